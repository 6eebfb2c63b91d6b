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
    """Write survey.md, survey.tex, references.bib and figures/* into ``out_dir``."""
    from pipeline.atomic import write_bytes_atomic
    from pipeline.render.charts import write_charts
    from pipeline.render.data import build_survey_data
    from pipeline.render.documents import render_documents

    data = build_survey_data(records, sections, taxonomy)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, text in render_documents(data, templates_dir).items():
        path = out_dir / name
        write_bytes_atomic(path, text.encode("utf-8"))
        written.append(path)
    written += write_charts(data, out_dir / "figures")
    return written
