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
    from rich.table import Table
    from rich.text import Text

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
    if diff.new_by_leaf:
        table = Table(title="new papers by leaf")
        table.add_column("leaf")
        table.add_column("key")
        table.add_column("title")
        for leaf, papers in diff.new_by_leaf.items():
            for key, title in papers:
                table.add_row(Text(leaf), Text(key), Text(title))  # paper text is never markup
        console.out.print(table)
    if diff.reclassified:
        table = Table(title="reclassified")
        for column in ("key", "before", "after"):
            table.add_column(column)
        for change in diff.reclassified:
            table.add_row(Text(change.key), Text(change.old), Text(change.new))
        console.out.print(table)
    if diff.removed:
        table = Table(title="removed")
        table.add_column("key")
        table.add_column("title")
        for key, title in diff.removed:
            table.add_row(Text(key), Text(title))
        console.out.print(table)
    if diff.sections:
        table = Table(title="survey.md sections changed")
        for column in ("section", "+", "-"):
            table.add_column(column)
        for section in diff.sections:
            table.add_row(Text(section.heading), str(section.added), str(section.removed))
        console.out.print(table)


def register(app: typer.Typer) -> None:
    app.command("diff")(diff_command)
