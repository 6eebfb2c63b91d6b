"""User templates: sandboxed, paper text escaped whatever operator a template uses, no symlinks out.

Each test renders the hostile fixture corpus with one paper retitled `\\input{secret.txt}` through
a user template, as `taxonomist build --templates DIR` does.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pipeline.render import RenderError, render_survey
from pipeline.render.data import build_survey_data
from pipeline.render.documents import render_documents
from pipeline.render.markdown import md_escape
from schemas.record import PaperRecord
from tests.fixtures.render.corpus import load_fixture_taxonomy, load_records, offline_sections
from tests.latex import latexmk, require

HOSTILE = r"\input{secret.txt} $x$ & 100% { <script>[x](http://a.b)"
KEY = "chen2025fpga"
INERT_TEX = (
    r"\textbackslash{}input\textbraceleft{}secret.txt\textbraceright{} \$x\$ \& 100\% "
    r"\textbraceleft{} \textless{}script\textgreater{}{[}x{]}(http://a.b)"
)

# Every way we know for a template to turn a string into output, with and without `|safe`.
OPERATORS = [
    "{{ ref.key|cite ~ ref.record.title }}",
    "{{ ref.record.title ~ ref.key|cite }}",
    "{{ ref.record.title|safe }}",
    "{{ ref.record.title|e }}",
    "{{ ref.record.title|escape|safe }}",
    "{{ ref.record.title|lower|safe }}",
    "{{ ref.record.title|string|safe }}",
    "{{ ref.record.title|trim|safe }}",
    "{{ ref.record.title|replace('x', 'x'|safe) }}",
    "{{ (ref.record.title + '')|safe }}",
    "{{ ('' + ref.record.title)|safe }}",
    "{{ ('%s'|format(ref.record.title))|safe }}",
    "{{ ('%s' % ref.record.title)|safe }}",
    "{{ ref.record.title.upper()|safe }}",
    "{{ '{}'.format(ref.record.title)|safe }}",
    "{{ ref.record.title[0:200]|safe }}",
    "{{ [ref.key|cite, ref.record.title]|join(' ') }}",
    "{{ [ref.record.title]|join|safe }}",
    "{{ ref.record.title|tojson }}",
    "{{ ref.record['title']|safe }}",
    "{% for t in [ref.record.title] %}{{ t|safe }}{% endfor %}",
    "{% for a in ref.record.authors %}{{ a|safe }}{% endfor %}",
    "{% set t = ref.record.title %}{{ t|safe }}",
    "{% macro m(x) %}{{ x }}{% endmacro %}{{ m(ref.record.title) ~ ref.record.title }}",
]


def hostile_records() -> list[PaperRecord]:
    return [
        r.model_copy(update={"title": HOSTILE, "authors": [HOSTILE]}) if r.key == KEY else r
        for r in load_records()
    ]


def render_override(tmp_path: Path, name: str, source: str) -> Path:
    """survey.md, survey.tex and references.bib (no charts: they do not use templates)."""
    templates = tmp_path / "templates"
    templates.mkdir(exist_ok=True)
    (templates / name).write_text(source, encoding="utf-8")
    records = hostile_records()
    taxonomy = load_fixture_taxonomy()
    data = build_survey_data(records, offline_sections(records, taxonomy), taxonomy)
    out = tmp_path / "out"
    out.mkdir()
    for file, text in render_documents(data, templates).items():
        (out / file).write_text(text, encoding="utf-8")
    return out


def for_the_paper(line: str) -> str:
    return f"{{% for ref in data.references if ref.key == '{KEY}' %}}{line}\n{{% endfor %}}"


@pytest.mark.parametrize("line", OPERATORS)
def test_paper_text_is_escaped_in_latex_whatever_the_operator(tmp_path: Path, line: str) -> None:
    out = render_override(tmp_path, "survey.tex.j2", for_the_paper(line))
    tex = (out / "survey.tex").read_text(encoding="utf-8")
    lowered = tex.lower()  # some operators change the case
    assert "\\input" not in lowered and "\\textbackslash{}input" in lowered, tex
    if "cite" in line:
        assert f"\\citep{{{KEY}}}" in tex  # the citation next to the text still works


@pytest.mark.parametrize("line", OPERATORS[:6] + OPERATORS[16:18])
def test_paper_text_is_escaped_in_markdown_whatever_the_operator(tmp_path: Path, line: str) -> None:
    out = render_override(tmp_path, "survey.md.j2", for_the_paper(line))
    md = (out / "survey.md").read_text(encoding="utf-8").lower()
    assert "<script>" not in md and "[x](" not in md, md
    assert md_escape(HOSTILE).lower() in md, md


def test_concatenated_title_is_exact_text_in_latex(tmp_path: Path) -> None:
    out = render_override(tmp_path, "survey.tex.j2", for_the_paper(OPERATORS[0]))
    tex = (out / "survey.tex").read_text(encoding="utf-8")
    assert f"~\\citep{{{KEY}}}{INERT_TEX}\n" in tex


def test_a_hostile_title_compiles_as_text_and_reads_no_file(tmp_path: Path) -> None:
    require("pdftotext")
    source = (
        "\\documentclass{article}\\usepackage[T1]{fontenc}\\usepackage{lmodern}"
        "\\begin{document}\n"
        + for_the_paper("{{ ref.key ~ ' ' ~ ref.record.title }} {{ (ref.record.title)|safe }}")
        + "\\end{document}\n"
    )
    out = render_override(tmp_path, "survey.tex.j2", source)
    (out / "secret.txt").write_text("SECRET-CONTENT\n", encoding="utf-8")
    result = latexmk(out)
    assert result.returncode == 0, result.stdout[-3000:]
    text = subprocess.run(
        ["pdftotext", "survey.pdf", "-"], cwd=out, capture_output=True, text=True, check=True
    ).stdout
    assert "SECRET-CONTENT" not in text
    assert text.count("\\input{secret.txt}") == 2, text


def test_templates_cannot_reach_python_internals(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    attack = (
        "{{ cycler.__init__.__globals__.os.system('touch " + str(marker) + "') }}"
        "{{ data.__class__.__mro__[1].__subclasses__() }}"
    )
    with pytest.raises(RenderError, match="unsafe"):
        render_override(tmp_path, "survey.md.j2", attack)
    assert not marker.exists()


def test_template_symlinked_outside_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.j2"
    outside.write_text("{{ data.title }}\n", encoding="utf-8")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "survey.md.j2").symlink_to(outside)
    records = load_records()
    taxonomy = load_fixture_taxonomy()
    with pytest.raises(RenderError, match=r"survey.md.j2.* is a link to .*elsewhere.j2, outside"):
        render_survey(records, offline_sections(records, taxonomy), taxonomy, tmp_path, templates)


def test_template_symlinked_inside_the_folder_is_used(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "mine.md.j2").write_text("Title: {{ data.title }}\n", encoding="utf-8")
    (templates / "survey.md.j2").symlink_to(templates / "mine.md.j2")
    records = load_records()
    taxonomy = load_fixture_taxonomy()
    out = tmp_path / "out"
    render_survey(records, offline_sections(records, taxonomy), taxonomy, out, templates)
    assert (out / "survey.md").read_text(encoding="utf-8").startswith("Title: Model")
