"""`taxonomist taxonomy`: print the taxonomy as a tree."""

from __future__ import annotations

from pathlib import Path

import typer

from pipeline import console


def show_taxonomy(
    taxonomy: Path | None = typer.Option(
        None, "--taxonomy", "-t", help="Taxonomy YAML file (default: the built-in one)."
    ),
    descriptions: bool = typer.Option(False, "--descriptions", "-d", help="Show descriptions."),
) -> None:
    """Print the taxonomy as a tree of levels and leaves."""
    from rich.tree import Tree

    from pipeline.taxonomy import load_taxonomy

    tax = load_taxonomy(taxonomy)
    tree = Tree(f"[bold]{tax.title}[/bold]")
    for level in tax.levels:
        branch = tree.add(f"[bold]{level.id}[/bold] — {level.name}")
        for leaf in level.leaves:
            label = f"{leaf.id} — {leaf.name}"
            node = branch.add(label)
            if descriptions:
                node.add(f"[dim]{leaf.description}[/dim]")
    console.out.print(tree)


def register(app: typer.Typer) -> None:
    app.command("taxonomy")(show_taxonomy)
