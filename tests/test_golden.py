"""Golden end-to-end test: `taxonomist build` on a small hostile dump gives the committed survey.

tests/fixtures/golden/dump.txt mixes in-scope papers across model, system and hardware leaves
with out-of-scope ones and hostile entries (LaTeX specials and TeX primitives, a prompt
injection, HTML/Markdown injection, Unicode, an over-long title, a title without abstract).
The outputs must equal tests/golden/ byte for byte (`make golden` regenerates them), the
LaTeX must compile without shell escape or reading outside its folder, and every citation must
resolve. Needs the TeX toolchain and poppler-utils; a missing tool fails with the install line.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.golden_regen import GOLDEN_DIR, GOLDEN_FILES, build_golden
from tests.latex import compile_checked, require

LONG_TITLE_START = "Towards a Unified, Exhaustive and Deliberately Verbose Account"
MARKDOWN_CITE = re.compile(r"\[\[([^\]\s]+)\]\]\(#ref-([^)\s]+)\)")
TEX_CITE = re.compile(r"\\cite[a-zA-Z]*\*?(?:\[[^\]]*\])*\{([^}]*)\}")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture survey, built once for this module as `make golden` builds it."""
    return build_golden(tmp_path_factory.mktemp("golden"))


@pytest.fixture(scope="module")
def records(built: Path) -> list[dict[str, Any]]:
    lines = (built / "papers.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def pdf_text(built: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """survey.tex compiled with latexmk in a folder of its own, as text (whitespace collapsed)."""
    pdftotext = require("pdftotext")
    work = tmp_path_factory.mktemp("latex")
    shutil.copyfile(built / "survey.tex", work / "survey.tex")
    shutil.copyfile(built / "references.bib", work / "references.bib")
    shutil.copytree(built / "figures", work / "figures")
    log = compile_checked(work)
    assert "Missing character" not in log
    text = subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(work / "survey.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return re.sub(r"\s+", " ", text)


def _bib_keys(built: Path) -> set[str]:
    import bibtexparser

    library = bibtexparser.parse_string((built / "references.bib").read_text(encoding="utf-8"))
    assert library.failed_blocks == []
    keys = [entry.key for entry in library.entries]
    assert len(keys) == len(set(keys)), "duplicate keys in references.bib"
    return set(keys)


def test_outputs_equal_the_golden_files(built: Path) -> None:
    for name in GOLDEN_FILES:
        expected = (GOLDEN_DIR / name).read_bytes()
        actual = (built / name).read_bytes()
        if actual == expected:
            continue
        diff = difflib.unified_diff(
            expected.decode("utf-8").splitlines(keepends=True),
            actual.decode("utf-8").splitlines(keepends=True),
            fromfile=f"tests/golden/{name}",
            tofile=f"built/{name}",
        )
        pytest.fail(
            f"{name} differs from tests/golden/{name}; run `make golden` if the change is "
            "intended, then review and commit tests/golden/:\n" + "".join(list(diff)[:200]),
            pytrace=False,
        )


def test_survey_tex_compiles_and_prints_hostile_text_literally(pdf_text: str) -> None:
    assert Path("/etc/passwd").is_file()  # else the next line would prove nothing
    assert "root:x:0:0" not in pdf_text  # \input{/etc/passwd} did not read the file
    assert "\\input{/etc/passwd} and \\write18{rm -rf /}" in pdf_text  # printed as text
    assert "100% of $cost_saved & #1 {fast}" in pdf_text
    assert "<script>alert(1)</script> [x](javascript:alert(1))" in pdf_text
    assert "# Heading | a | b | KV-Cache Eviction" in pdf_text
    assert "café" in pdf_text
    assert "[?]" in pdf_text  # CJK and emoji become placeholders, not missing glyphs
    assert "Medusa-Lite: Multiple Decoding Heads" in pdf_text


def test_every_citation_resolves(built: Path) -> None:
    bib = _bib_keys(built)
    tex = (built / "survey.tex").read_text(encoding="utf-8")
    tex_keys = {key.strip() for group in TEX_CITE.findall(tex) for key in group.split(",")}
    assert tex_keys and tex_keys <= bib, sorted(tex_keys - bib)

    markdown = (built / "survey.md").read_text(encoding="utf-8")
    cites = MARKDOWN_CITE.findall(markdown)
    assert cites
    assert [label for label, anchor in cites if label != anchor] == []
    anchors = set(re.findall(r'<a id="ref-([^"]+)"></a>', markdown))
    md_keys = {label for label, _ in cites}
    assert md_keys <= bib, sorted(md_keys - bib)
    assert md_keys <= anchors, sorted(md_keys - anchors)
    assert anchors == bib  # the reference list and references.bib hold the same papers


def test_every_relevant_paper_is_in_the_survey(built: Path, records: list[dict[str, Any]]) -> None:
    markdown = (built / "survey.md").read_text(encoding="utf-8")
    relevant = [record for record in records if record["relevant"]]
    assert len(relevant) >= 9
    for record in relevant:
        key = record["key"]
        assert f'<a id="ref-{key}"></a>' in markdown, record["title"]
        assert f"[[{key}]](#ref-{key})" in markdown.split("## References")[0], record["title"]
    levels = {level for record in relevant for level in record["levels"]}
    assert levels == {"model", "system", "hardware"}


def test_out_of_scope_papers_are_kept_but_not_surveyed(
    built: Path, records: list[dict[str, Any]]
) -> None:
    markdown = (built / "survey.md").read_text(encoding="utf-8")
    by_title = {record["title"]: record for record in records}
    for title in (
        "A Benchmark of Robot Dexterity for Household Tasks",
        "Poetry Generation with Rhyme-Aware Language Models",
    ):
        assert by_title[title]["relevant"] is False
        assert title not in markdown


def test_injected_markup_and_instructions_have_no_effect(
    built: Path, records: list[dict[str, Any]]
) -> None:
    markdown = (built / "survey.md").read_text(encoding="utf-8")
    assert "<script" not in markdown.lower()
    assert "javascript:" not in markdown.lower()
    assert not any(line.startswith("# Heading") for line in markdown.splitlines())
    for name in ("survey.md", "survey.tex", "references.bib"):
        assert "evil2099" not in (built / name).read_text(encoding="utf-8"), name
    injected = next(r for r in records if "@evil2099" in r["abstract"])
    assert injected["relevant"] is True
    assert injected["primary"] != "hardware.fpga"
    assert "hardware.fpga" not in injected["leaves"]


def test_title_without_abstract_is_flagged_and_the_next_entry_kept(
    built: Path, records: list[dict[str, Any]]
) -> None:
    by_title = {record["title"]: record for record in records}
    orphan = by_title["Speculative Decoding with Draft Trees for Faster LLM Inference"]
    assert orphan["abstract"] == ""
    assert orphan["flags"] == ["missing_abstract"]
    following = by_title["Medusa-Lite: Multiple Decoding Heads for Speculative Generation"]
    assert following["abstract"].startswith("Speculative decoding speeds up LLM inference")
    report = json.loads((built.parent / "runs" / "last.json").read_text(encoding="utf-8"))
    flagged = report["ingest"]["flagged"]
    assert [(issue["file"], issue["line"]) for issue in flagged] == [
        ("dump.txt", orphan["sources"][0]["line"])
    ]
    assert "has a title but no abstract" in flagged[0]["reason"]


def test_over_long_title_is_kept_or_reported_never_dropped_silently(
    built: Path, records: list[dict[str, Any]]
) -> None:
    lines = (
        (Path(__file__).parent / "fixtures" / "golden" / "dump.txt")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    number = next(n for n, line in enumerate(lines, 1) if line.startswith(LONG_TITLE_START))
    assert len(lines[number - 1]) == 401
    kept = [r for r in records if r["title"].startswith(LONG_TITLE_START)]
    report = json.loads((built.parent / "runs" / "last.json").read_text(encoding="utf-8"))
    rejected_lines = {issue["line"] for issue in report["ingest"]["rejected"]}
    assert kept or number in rejected_lines
