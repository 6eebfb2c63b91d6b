"""render_survey on the hostile fixture: contents, safety, references, determinism, overrides."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pytest

from pipeline.render import RenderError, render_survey
from schemas.record import PaperRecord, SectionText
from schemas.survey import cited_keys
from tests.fixtures.render.corpus import load_fixture_taxonomy, load_records, offline_sections

ROOT = Path(__file__).resolve().parent.parent
OUTPUT_FILES = [
    "survey.md",
    "survey.tex",
    "references.bib",
    "papers.csv",
    "figures/papers_per_leaf.png",
    "figures/papers_per_leaf.pdf",
    "figures/papers_per_year.png",
    "figures/papers_per_year.pdf",
    "figures/charts.json",
]
IRRELEVANT = {"robot2024policy", "failed2024screen"}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    records = load_records()
    taxonomy = load_fixture_taxonomy()
    out = tmp_path_factory.mktemp("survey")
    render_survey(records, offline_sections(records, taxonomy), taxonomy, out)
    return out


def _relevant_keys() -> set[str]:
    return {r.key for r in load_records() if r.relevant is True}


def test_writes_every_output_file(tmp_path: Path) -> None:
    records = load_records()
    taxonomy = load_fixture_taxonomy()
    written = render_survey(records, offline_sections(records, taxonomy), taxonomy, tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == sorted(OUTPUT_FILES)
    assert all(p.stat().st_size > 0 for p in written)


def test_rendering_twice_gives_identical_bytes(rendered: Path, tmp_path: Path) -> None:
    records = load_records()
    taxonomy = load_fixture_taxonomy()
    render_survey(records, offline_sections(records, taxonomy), taxonomy, tmp_path)
    for name in OUTPUT_FILES:
        assert (tmp_path / name).read_bytes() == (rendered / name).read_bytes(), name


def test_another_process_with_another_hash_seed_gives_identical_bytes(
    rendered: Path, tmp_path: Path
) -> None:
    script = (
        "import sys; from pathlib import Path\n"
        "from pipeline.render import render_survey\n"
        "from tests.fixtures.render.corpus import *\n"
        "r = load_records(); t = load_fixture_taxonomy()\n"
        "render_survey(r, offline_sections(r, t), t, Path(sys.argv[1]))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True, env=env, cwd=ROOT)
    for name in OUTPUT_FILES:
        assert (tmp_path / name).read_bytes() == (rendered / name).read_bytes(), name


def test_every_relevant_paper_appears_and_no_other(rendered: Path) -> None:
    md = (rendered / "survey.md").read_text(encoding="utf-8")
    tex = (rendered / "survey.tex").read_text(encoding="utf-8")
    bib = (rendered / "references.bib").read_text(encoding="utf-8")
    for key in _relevant_keys():
        assert f'<a id="ref-{key}"></a>' in md
        assert f"(#ref-{key})" in md  # cited in a table or the prose
        assert re.search(rf"\\citep\{{[^}}]*\b{key}\b", tex), key
        assert f"@misc{{{key}," in bib
    for key in IRRELEVANT:
        assert key not in md and key not in tex and key not in bib
    assert "1 more paper could not be screened" in md
    assert "## 6. Other relevant papers" in md  # the relevant paper without leaves


def test_references_bib_reparses_and_every_citation_resolves(rendered: Path) -> None:
    library = bibtexparser.parse_string((rendered / "references.bib").read_text(encoding="utf-8"))
    assert library.failed_blocks == []
    bib_keys = {entry.key for entry in library.entries}
    assert bib_keys == _relevant_keys()
    titles = {entry.key: entry.fields_dict["title"].value for entry in library.entries}
    assert (
        titles["lin2024quantfast"]
        == "{QuantFast: Accurate 4-bit Weight Quantization for LLM Serving}"
    )
    assert "\\input{" not in titles["evil2024input"]

    tex = (rendered / "survey.tex").read_text(encoding="utf-8")
    cited = {
        key for group in re.findall(r"\\cite[pt]?\{([^}]*)\}", tex) for key in group.split(",")
    }
    assert cited and cited <= bib_keys

    md = (rendered / "survey.md").read_text(encoding="utf-8")
    anchors = set(re.findall(r'<a id="(ref-[A-Za-z0-9_-]+)"></a>', md))
    links = set(re.findall(r"\[\[[^\]]+\]\]\(#(ref-[A-Za-z0-9_-]+)\)", md))
    assert links and links <= anchors
    assert len(anchors) == len(bib_keys)

    sections = offline_sections(load_records(), load_fixture_taxonomy())
    prose_keys = {k for text in sections.values() for s in text.sentences for k in cited_keys(s)}
    assert prose_keys <= bib_keys


def test_markdown_has_no_injected_markup(rendered: Path) -> None:
    md = (rendered / "survey.md").read_text(encoding="utf-8")
    tags = set(re.findall(r"<[^>\n]*>", md))
    assert all(re.fullmatch(r'<a id="ref-[A-Za-z0-9_-]+">|</a>', tag) for tag in tags), tags
    assert "javascript:" not in md.lower()
    assert not re.search(r"(?<!\\)\]\(javascript", md, re.IGNORECASE)
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert all(re.fullmatch(r"#{1,3} (\d+(\.\d+)*\. |)[A-Z][^#]*", h) for h in headings), headings
    assert not any(
        line.startswith(("# Heading", "| a |", "---", "===", "> ")) for line in md.splitlines()
    )
    for line in md.splitlines():
        if line.startswith("| "):
            assert len(re.findall(r"(?<!\\)\|", line)) == 7, line  # 6 columns, escaped pipes
    fence = md.index("```mermaid")
    assert md.count("```") == 2 and md.index("```", fence + 3) > fence


def test_markdown_layout(rendered: Path) -> None:
    lines = (rendered / "survey.md").read_text(encoding="utf-8").split("\n")
    for index, line in enumerate(lines[1:], start=1):
        if line.startswith("#"):
            assert lines[index - 1] == "", f"no blank line before {line!r}"
        assert not (line == "" and lines[index - 1] == ""), f"double blank line at {index + 1}"
    text = "\n".join(lines)
    assert "- [3.1. Quantization](#31-quantization)" in text
    assert "![Number of papers per taxonomy leaf.](figures/papers_per_leaf.png)" in text


def test_markdown_keeps_unicode_and_escapes_paper_text(rendered: Path) -> None:
    md = (rendered / "survey.md").read_text(encoding="utf-8")
    for text in ["Ασφαλής κβαντοποίηση", "café naïve Zürich", "高效推理", "🚀", "\u200f", "Łukasz"]:
        assert text in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert r"\[x\](javascript&#58;alert(1))" in md
    assert r"100% of \$cost\_saved &amp; \#1" in md


def test_latex_is_ascii_and_inert(rendered: Path) -> None:
    for name in ["survey.tex", "references.bib"]:
        text = (rendered / name).read_text(encoding="utf-8")
        assert text.isascii(), name
        for live in [
            "\\input{",
            "\\write18",
            "\\immediate",
            "\\include{",
            "\\openin",
            "^^5c",
            "\\def\\x",
            "\\catcode",
        ]:
            assert live not in text, (name, live)
    tex = (rendered / "survey.tex").read_text(encoding="utf-8")
    assert r"\textbackslash{}input\textbraceleft{}/etc/passwd\textbraceright{}" in tex
    assert r"100\% of \$cost\_saved \& \#1" in tex
    assert "{[}?{]}" in tex  # CJK and emoji placeholders
    assert r"\begin{longtable}" in tex and r"\toprule" in tex and r"\begin{forest}" in tex
    assert r"\includegraphics[width=0.9\linewidth]{figures/papers_per_leaf.pdf}" in tex
    assert r"\bibliographystyle{plainnat}" in tex


def test_no_timestamps_or_absolute_paths(rendered: Path) -> None:
    for name in ["survey.md", "survey.tex", "references.bib"]:
        text = (rendered / name).read_text(encoding="utf-8")
        assert str(rendered) not in text and "/tmp/" not in text
        assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text)
    pdf = (rendered / "figures/papers_per_leaf.pdf").read_bytes()
    assert b"CreationDate" not in pdf and b"Producer" not in pdf
    assert b"Software" not in (rendered / "figures/papers_per_leaf.png").read_bytes()


def test_user_template_overrides_extend_the_builtin_ones(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    (templates / "partials").mkdir(parents=True)
    (templates / "survey.md.j2").write_text(
        '{% extends "builtin/survey.md.j2" %}\n'
        "{% block title %}# Team survey: {{ data.title }}\n{% endblock %}\n"
        "{% block abstract %}{{ super() }}Newest first: {{ data.references[-1].title }}\n"
        "{% endblock %}\n",
        encoding="utf-8",
    )
    (templates / "partials" / "table.md.j2").write_text(
        "{% for row in rows %}* {{ row.title }} {{ row.ref.key|cite }}\n{% endfor %}",
        encoding="utf-8",
    )
    (templates / "survey.tex.j2").write_text(
        '{% extends "builtin/survey.tex.j2" %}{% block toc %}{% endblock %}', encoding="utf-8"
    )
    records = load_records()
    taxonomy = load_fixture_taxonomy()
    out = tmp_path / "out"
    render_survey(records, offline_sections(records, taxonomy), taxonomy, out, templates)
    md = (out / "survey.md").read_text(encoding="utf-8")
    assert md.startswith("# Team survey: Model, System and Hardware")
    assert "**Abstract.**\nThis survey organises 13 papers" in md  # super() is not re-escaped
    # the override prints paper text without a filter: it is escaped all the same
    assert "* &lt;script&gt;alert(1)&lt;/script&gt; \\[x\\]" in md
    assert "| Paper | Year |" not in md  # the partial override replaced every table
    tex = (out / "survey.tex").read_text(encoding="utf-8")
    assert "\\tableofcontents" not in tex and "\\begin{forest}" in tex


def render_with_template(tmp_path: Path, name: str, source: str) -> None:
    """Render the fixture survey with one template overridden by ``source``."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / name).write_text(source, encoding="utf-8")
    records = load_records()
    taxonomy = load_fixture_taxonomy()
    render_survey(records, offline_sections(records, taxonomy), taxonomy, tmp_path, templates)


def test_missing_template_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="template 'nope.j2' not found"):
        render_with_template(tmp_path, "survey.md.j2", '{% include "nope.j2" %}')


def _with(records: list[PaperRecord], old_key: str, **changes: object) -> list[PaperRecord]:
    return [r.model_copy(update=changes) if r.key == old_key else r for r in records]


def test_bad_inputs_are_reported_not_repaired(tmp_path: Path) -> None:
    records = load_records()
    taxonomy = load_fixture_taxonomy()
    sections = offline_sections(records, taxonomy)
    with pytest.raises(
        RenderError,
        match=re.escape(
            "paper 'p0011' has citation key 'bad key}', which LaTeX and BibTeX cannot use: "
            "keys are letters, digits and _:.+- (fix the key in the corpus)"
        ),
    ):
        render_survey(_with(records, "chen2025fpga", key="bad key}"), sections, taxonomy, tmp_path)
    with pytest.raises(RenderError, match="share the citation key 'lin2024quantfast'"):
        render_survey(
            _with(records, "chen2025fpga", key="lin2024quantfast"), sections, taxonomy, tmp_path
        )
    leaking = dict(sections)
    leaking["model.pruning"] = SectionText(
        section="model.pruning", sentences=["Pruning helps [@chen2025fpga]."]
    )
    with pytest.raises(
        RenderError,
        match=(
            r"section 'model.pruning' cites chen2025fpga, which is not among the papers of that "
            r"section: re-run the synthesize stage"
        ),
    ):
        render_survey(records, leaking, taxonomy, tmp_path)


def test_missing_prose_is_shown_not_hidden(tmp_path: Path) -> None:
    records = load_records()
    taxonomy = load_fixture_taxonomy()
    sections = offline_sections(records, taxonomy)
    del sections["model.pruning"]
    render_survey(records, sections, taxonomy, tmp_path)
    md = (tmp_path / "survey.md").read_text(encoding="utf-8")
    section = md.split("### 3.2. Pruning and sparsity", 1)[1].split("###", 1)[0]
    assert "*The synthesize stage produced no text for this section.*" in section
    assert "[[" in section  # the table is still there


def test_template_citing_an_unknown_key_fails(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="a template cites 'nokey2099', which is not a relevant"):
        render_with_template(tmp_path, "survey.tex.j2", "{{ 'nokey2099'|cite }}")


def test_unchanged_charts_are_not_redrawn_and_changed_ones_are(tmp_path: Path) -> None:
    records = load_records()
    taxonomy = load_fixture_taxonomy()
    sections = offline_sections(records, taxonomy)
    render_survey(records, sections, taxonomy, tmp_path)
    png = tmp_path / "figures" / "papers_per_leaf.png"
    png.write_bytes(png.read_bytes() + b"marker")  # a redraw would remove the marker
    render_survey(records, sections, taxonomy, tmp_path)
    assert png.read_bytes().endswith(b"marker")
    fewer = [r for r in records if r.key != sorted(r.key for r in records if r.relevant)[0]]
    render_survey(fewer, offline_sections(fewer, taxonomy), taxonomy, tmp_path)
    assert not png.read_bytes().endswith(b"marker")
