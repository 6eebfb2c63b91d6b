"""The LaTeX survey compiles (pdflatex + BibTeX via latexmk), with hostile papers included.

These tests need the TeX toolchain (see DEPENDENCY-NOTES.md for the Debian packages); a missing
tool fails the test with the install command rather than skipping it.
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

from pipeline.render import render_survey
from pipeline.render.latex import _RANGES, latex_escape
from schemas.record import PaperRecord
from tests.fixtures.render.corpus import load_fixture_taxonomy, load_records, offline_sections
from tests.latex import compile_checked, require, safe_env

# The preamble of templates/survey.tex.j2 that matters for which characters typeset.
PREAMBLE = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{lmodern}
\usepackage{textcomp}
\usepackage{amsmath,amssymb}
\tracinglostchars=3
\begin{document}
"""


def _page_count(pdf: Path) -> int:
    require("pdfinfo")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    match = re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    assert match is not None
    return int(match.group(1))


def test_survey_tex_compiles_without_errors_or_undefined_citations(tmp_path: Path) -> None:
    records = load_records()
    taxonomy = load_fixture_taxonomy()
    started = time.perf_counter()
    render_survey(records, offline_sections(records, taxonomy), taxonomy, tmp_path)
    rendered = time.perf_counter() - started
    compile_checked(tmp_path)
    pdf = tmp_path / "survey.pdf"
    pages = _page_count(pdf)
    print(f"fixture survey: rendered in {rendered:.2f} s, {pages} PDF pages")
    assert pages >= 5

    text = subprocess.run(
        [require("pdftotext"), "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    flat = re.sub(r"\s+", " ", text)
    assert "root:x:0:0" not in text  # /etc/passwd was not read
    assert "\\input{/etc/passwd} Pruning \\write18{rm -rf /} at Scale" in flat  # printed as text
    assert "100% of $cost_saved & #1 {fast}" in flat
    assert "[?]" in flat  # CJK/emoji placeholders
    assert "<script>alert(1)</script>" in flat  # literal text, harmless in a PDF


def test_many_papers_compile_with_bounded_tree(tmp_path: Path) -> None:
    """300 papers in one leaf, without authors (like Daily Papers dumps), keys sharing a prefix.

    The tree lists 10 papers and says how many more; BibTeX's author-year labels stay unique.
    """
    base = next(r for r in load_records() if r.key == "lin2024quantfast")
    records: list[PaperRecord] = [
        base.model_copy(update={
            "id": f"p{n:05d}", "key": f"efficient{n:03d}", "title": f"Efficient method {n}",
            "authors": [], "upvotes": n, "year": 2024 if n % 2 else None,
            "leaves": ["model.quantization"], "primary": "model.quantization",
        })
        for n in range(300)
    ]  # fmt: skip
    taxonomy = load_fixture_taxonomy()
    render_survey(records, offline_sections(records, taxonomy), taxonomy, tmp_path)
    tex = (tmp_path / "survey.tex").read_text(encoding="utf-8")
    assert "and 290 more (Section~\\ref{sec:model:quantization})" in tex
    compile_checked(tmp_path)


def test_every_mapped_character_typesets(tmp_path: Path) -> None:
    """Each character latex_escape maps (not to the placeholder) compiles and has a glyph."""
    lines = []
    for low, high in _RANGES:
        for code in range(low, high + 1):
            escaped = latex_escape(chr(code))
            if escaped not in ("", " ", "{[}?{]}"):
                lines.append(f"x{escaped}x\\par % U+{code:04X}")
    assert len(lines) > 500
    (tmp_path / "chars.tex").write_text(
        PREAMBLE + "\n".join(lines) + "\n\\end{document}\n", encoding="ascii"
    )
    require("pdflatex")
    result = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "chars.tex"],
        cwd=tmp_path, env=safe_env(), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    log = (tmp_path / "chars.log").read_text(encoding="latin-1")
    failing = re.findall(r"^l\.\d+ .*", log, re.MULTILINE)
    assert result.returncode == 0, failing[:5]
    assert "Missing character" not in log
