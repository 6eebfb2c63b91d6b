"""The prose of the survey built from the shipped dumps stays under the repetition limits.

Measured as `bench/prose_style.py` prints them (pipeline/prose_style.py): no sentence frame
(first five words with names, numbers and citations masked) above 3% of the prose sentences,
no clause repeated more than three times. Before the family-based writer, the shipped survey had
a largest frame of 7.9% ("X builds a system on ...") and one clause 86 times.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.prose_style import CLAUSE_LIMIT, FRAME_LIMIT, measure, prose_sentences

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """outputs/ of `taxonomist build dumps/` with an empty cache (the shipped dumps)."""
    workdir = tmp_path_factory.mktemp("shipped")
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "-q", "build", str(ROOT / "dumps"), "--out", "out"],
        cwd=workdir,
        env={**os.environ, "PYTHONPATH": str(ROOT), "TAXONOMIST_CACHE_DIR": str(workdir / "c")},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return workdir / "out"


def test_no_sentence_frame_above_three_percent(shipped: Path) -> None:
    report = measure((shipped / "survey.md").read_text(encoding="utf-8"))
    assert report.sentences > 500  # the measure saw the whole survey's prose
    assert report.largest_frame_share <= FRAME_LIMIT, report.lines()


def test_no_clause_repeated_more_than_three_times(shipped: Path) -> None:
    report = measure((shipped / "survey.md").read_text(encoding="utf-8"))
    assert report.most_repeated_clause_count <= CLAUSE_LIMIT, report.lines()


def test_latex_leaf_sections_have_one_paragraph_per_family(shipped: Path) -> None:
    tex = (shipped / "survey.tex").read_text(encoding="utf-8")
    quantization = tex.split("\\subsection{Quantization}", 1)[1].split("\\begin{longtable}", 1)[0]
    paragraphs = [p for p in re.split(r"\n\s*\n", quantization) if "citep" in p]
    assert len(paragraphs) >= 3
    md = (shipped / "survey.md").read_text(encoding="utf-8")
    # Markdown keeps one sentence per line
    assert all(len(re.findall(r"[.!?] [A-Z]", line)) < 3 for line in prose_sentences(md))


def test_metadata_that_is_missing_is_not_shown(shipped: Path) -> None:
    md = (shipped / "survey.md").read_text(encoding="utf-8")
    bib = (shipped / "references.bib").read_text(encoding="utf-8")
    assert "n.d." not in md and "n.d." not in (shipped / "survey.tex").read_text(encoding="utf-8")
    assert "dumps/" not in md.split("## References", 1)[1] and "dumps/" not in bib
    assert "upvoted" not in md
    assert re.search(r"\(\d+ of \d+ papers are dated\)", md)


def test_measure_counts_frames_and_clauses() -> None:
    text = "\n".join(
        ["## 1. Introduction", ""]
        + [f"Tool{i} is {i}x faster, each against its own baseline [@k{i}]." for i in range(5)]
        + ["| a table | row |", "```mermaid", "graph LR", "```", "## References", "Body text."]
    )  # fmt: skip
    report = measure(text)
    assert report.sentences == 5
    assert report.largest_frame == "N is # faster each"
    assert report.largest_frame_count == 5
    assert report.most_repeated_clause == "each against its own baseline"
    assert report.most_repeated_clause_count == 5
