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
    from rich.text import Text
    from rich.tree import Tree

    from pipeline.taxonomy import load_taxonomy

    tax = load_taxonomy(taxonomy)
    # Text(), not markup strings: a name like "Quantization [INT8]" is the user's text.
    tree = Tree(Text(tax.title, style="bold"))
    for level in tax.levels:
        branch = tree.add(Text.assemble((level.id, "bold"), f" — {level.name}"))
        for leaf in level.leaves:
            node = branch.add(Text(f"{leaf.id} — {leaf.name}"))
            if descriptions:
                node.add(Text(" ".join(leaf.description.split()), style="dim"))
    console.out.print(tree, soft_wrap=False)


def register(app: typer.Typer) -> None:
    app.command("taxonomy")(show_taxonomy)
