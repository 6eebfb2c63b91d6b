"""`taxonomist diff [REV]`: what the working outputs changed since a git revision."""

from __future__ import annotations

from pathlib import Path

import typer

from pipeline import console


def diff_command(
    revision: str = typer.Argument("HEAD", help="git revision to compare with."),
    out: Path = typer.Option(Path("outputs"), "--out", "-o", help="Output directory."),
    format_: str = typer.Option("rich", "--format", "-f", help="rich (terminal) or md (Markdown)."),
) -> None:
    """New papers per leaf, reclassified and removed papers, and changed survey sections."""
    from pipeline.diff import compare_outputs, format_markdown

    if format_ not in ("rich", "md"):
        raise typer.BadParameter("use --format rich or --format md", param_hint="--format")
    diff = compare_outputs(out, revision)
    if format_ == "md":
        console.out.print(format_markdown(diff), markup=False, end="")
        return
    _print_rich(diff)


def _print_rich(diff: object) -> None:
    from pipeline.diff import OutputDiff

    assert isinstance(diff, OutputDiff)
    if diff.empty:
        console.out.print(f"no changes in outputs since {diff.revision}", markup=False)
        return
    total = sum(len(v) for v in diff.new_by_leaf.values())
    console.out.print(
        f"since {diff.revision}: {total} new relevant papers, {diff.new_irrelevant} new out of "
        f"scope, {len(diff.reclassified)} reclassified, {len(diff.removed)} removed, "
        f"{diff.sources_added} new sources of known papers",
        markup=False,
    )
    _print_table(
        "new papers by leaf",
        ("leaf", "key", "title"),
        [(leaf, key, title) for leaf, papers in diff.new_by_leaf.items() for key, title in papers],
    )
    _print_table(
        "reclassified",
        ("key", "before", "after"),
        [(change.key, change.old, change.new) for change in diff.reclassified],
    )
    _print_table("removed", ("key", "title"), list(diff.removed))
    _print_table(
        "survey.md sections changed",
        ("section", "+", "-"),
        [(s.heading, str(s.added), str(s.removed)) for s in diff.sections],
    )


def _print_table(title: str, columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """A table of rows, printed only when there are any; cells are never read as markup."""
    from rich.table import Table
    from rich.text import Text

    if not rows:
        return
    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))  # paper text is never markup
    console.out.print(table)


def register(app: typer.Typer) -> None:
    app.command("diff")(diff_command)
