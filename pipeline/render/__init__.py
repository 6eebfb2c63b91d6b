"""Render the survey: Markdown, LaTeX, BibTeX and figures from records, prose and the taxonomy.

Usage::

    written = render_survey(records, sections, taxonomy, out_dir, templates_dir=None)

All data is built and checked first (data.py); templates only lay it out. Output bytes are
deterministic: no timestamps, fixed ordering, charts without dated metadata.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from pipeline.render.errors import RenderError
from schemas.record import PaperRecord, SectionText
from schemas.taxonomy import Taxonomy

__all__ = ["RenderError", "render_survey"]


def render_survey(
    records: Sequence[PaperRecord],
    sections: Mapping[str, SectionText],
    taxonomy: Taxonomy,
    out_dir: Path,
    templates_dir: Path | None = None,
) -> list[Path]:
    """Write survey.md (and survey/*.md when large), survey.tex, references.bib, papers.csv
    and figures/* into ``out_dir``."""
    from pipeline.atomic import write_bytes_atomic
    from pipeline.render.charts import write_charts
    from pipeline.render.data import build_survey_data
    from pipeline.render.documents import render_documents

    data = build_survey_data(records, sections, taxonomy)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, text in render_documents(data, templates_dir).items():
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, text.encode("utf-8"))
        written.append(path)
    _remove_stale_pages(out_dir, written)
    written.append(write_papers_csv(records, taxonomy, out_dir / "papers.csv"))
    written += write_charts(data, out_dir / "figures")
    return written


def _remove_stale_pages(out_dir: Path, written: list[Path]) -> None:
    """Pages of survey/ that this run did not write (the survey shrank, or is one file now)."""
    from pipeline.render.documents import SPLIT_DIR

    folder = out_dir / SPLIT_DIR
    if folder.is_dir():
        for page in folder.glob("*.md"):
            if page not in written:
                page.unlink()
        if not any(folder.iterdir()):
            folder.rmdir()


CSV_COLUMNS = ("id", "key", "year", "title", "relevant", "kind", "primary", "leaves", "levels")


def write_papers_csv(records: Sequence[PaperRecord], taxonomy: Taxonomy, path: Path) -> Path:
    """Every paper, one row each (sorted by id): the complete per-leaf lists as a table."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in sorted(records, key=lambda r: r.id):
        relevant = {True: "yes", False: "no", None: "unscreened"}[record.relevant]
        writer.writerow(
            [
                record.id, record.key, record.year or "", record.title, relevant,
                record.kind or "", record.primary or "", ";".join(record.leaves),
                ";".join(record.levels),
            ]
        )  # fmt: skip
    from pipeline.atomic import write_bytes_atomic

    write_bytes_atomic(path, buffer.getvalue().encode("utf-8"))
    return path
