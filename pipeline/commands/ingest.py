"""`taxonomist ingest`: read dumps into outputs/papers.jsonl and the ingest run report.

Citation keys persist in <out>/citation-keys.json (shared with `build`): a key once given to a
paper never changes, and a new paper never takes a key given before.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from pipeline import console
from schemas.report import IngestReport

MAX_LISTED_ISSUES = 20


def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help="Dump files or folders of dumps.")],
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="Output folder (not the build's outputs/: that would drop results)."
        ),
    ] = Path("outputs/ingest"),
) -> None:
    """Read dumps, de-duplicate them and write <out>/papers.jsonl and <out>/run-report.json."""
    from pipeline.ingest import ingest
    from pipeline.keymap import load_keymap, save_keymap

    known = load_keymap(out)
    result = ingest(paths, known_keys=known)
    out.mkdir(parents=True, exist_ok=True)
    lines = "".join(paper.model_dump_json() + "\n" for paper in result.corpus.papers)
    _write_atomic(out / "papers.jsonl", lines)
    save_keymap(out, known, {paper.id: paper.key for paper in result.corpus.papers})
    report = {"ingest": result.report.model_dump(mode="json")}
    _write_atomic(out / "run-report.json", json.dumps(report, indent=2, sort_keys=True) + "\n")
    _print_summary(result.report)


def print_issues(report: IngestReport) -> None:
    """Warnings, rejected and flagged entries with file:line (shared with `build`)."""
    for warning in report.warnings:
        console.warn(warning)
    for kind, issues in (("rejected", report.rejected), ("flagged", report.flagged)):
        for issue in issues[:MAX_LISTED_ISSUES]:
            where = f"{issue.file}:{issue.line}" if issue.line else issue.file
            console.warn(f"{where}: {issue.reason}")
        if len(issues) > MAX_LISTED_ISSUES:
            more = len(issues) - MAX_LISTED_ISSUES
            console.warn(f"{more} more {kind} entries: see run-report.json")


def _print_summary(report: IngestReport) -> None:
    from rich.table import Table

    print_issues(report)
    if console.is_quiet():
        return
    table = Table(title="ingest")
    for column in ("file", "layout", "entries", "rejected"):
        table.add_column(column, justify="right" if column in {"entries", "rejected"} else "left")
    for item in report.files:
        table.add_row(item.file, item.layout, str(item.entries), str(item.rejected))
    console.err.print(table)
    console.info(
        f"{report.entries} entries -> {report.papers} papers "
        f"({report.duplicates_merged} duplicates merged, {report.fuzzy_merges} by fuzzy match; "
        f"{len(report.rejected)} rejected, {len(report.flagged)} flagged)"
    )


def _write_atomic(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8", newline="\n")
    os.replace(temporary, path)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
