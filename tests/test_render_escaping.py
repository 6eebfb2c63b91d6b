"""Escaping units: LaTeX/BibTeX, Markdown, anchors, URLs, Mermaid labels, prose citations."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.render.bibtex import bib_entry
from pipeline.render.errors import RenderError
from pipeline.render.latex import PLACEHOLDER, latex_escape, latex_label, latex_prose
from pipeline.render.links import arxiv_id, paper_url
from pipeline.render.markdown import (
    github_slug,
    md_anchor,
    md_citer,
    md_escape,
    md_prose,
    mermaid_label,
    safe_url,
)
from pipeline.render.safe import Safe
from schemas.record import PaperRecord
from schemas.survey import cited_keys, split_citations


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


# --- LaTeX -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("100% & $5", r"100\% \& \$5"),
        ("a_b #1", r"a\_b \#1"),
        ("{x}", r"\textbraceleft{}x\textbraceright{}"),
        ("~^\\", r"\textasciitilde{}\textasciicircum{}\textbackslash{}"),
        ("<a|b>", r"\textless{}a\textbar{}b\textgreater{}"),
        ('say "hi"', r"say \textquotedbl{}hi\textquotedbl{}"),
        ("[dim]", "{[}dim{]}"),
        ("line\nbreak\t tab", "line break tab"),
    ],
)
def test_latex_escape_specials(raw: str, escaped: str) -> None:
    assert latex_escape(raw) == escaped


def test_latex_commands_print_literally() -> None:
    for hostile in [
        r"\input{/etc/passwd}",
        r"\write18{rm -rf /}",
        r"\immediate\write18{id}",
        r"\catcode`\^^5c=12 ^^5cinput{/etc/hostname}",
        r"\def\x{boom}\x",
    ]:
        escaped = latex_escape(hostile)
        assert "\\input" not in escaped and "\\write" not in escaped and "\\def" not in escaped
        assert "^^" not in escaped
        assert _balanced(escaped)
    assert latex_escape(r"\input{/etc/passwd}") == (
        r"\textbackslash{}input\textbraceleft{}/etc/passwd\textbraceright{}"
    )


def test_latex_unicode_policy() -> None:
    assert latex_escape("café naïve") == r"caf\'e na{\"\i}ve"
    assert latex_escape("α") == r"\ensuremath{\alpha}"
    assert latex_escape("e\u0301") == r"\'e"  # combining accent is NFC-composed first
    assert latex_escape("ß x") == r"{\ss} x"
    # CJK, emoji, Cyrillic, Arabic: no glyphs in T1 fonts -> the documented placeholder
    assert PLACEHOLDER == "[?]"
    assert latex_escape("高效") == "{[}?{]}{[}?{]}"
    assert latex_escape("🚀") == "{[}?{]}"
    assert latex_escape("Я") == "{[}?{]}"
    # format characters (RTL mark, zero-width joiner) are dropped, no-break space is a space
    assert latex_escape("a\u200fb\u200dc\u00a0d") == "abc d"
    assert latex_escape("x\x07y") == "xy"


def test_latex_escape_output_is_ascii_for_any_text() -> None:
    text = "".join(chr(code) for code in range(0x20, 0x3000)) + "😀🤖中文"
    escaped = latex_escape(text)
    assert escaped.isascii()
    assert _balanced(escaped)


def test_latex_label_is_a_safe_identifier() -> None:
    assert latex_label("model.low_rank") == "model:low-rank"


def test_latex_prose_turns_citations_into_citep() -> None:
    keys = {"a", "b"}
    assert latex_prose("X is 2.3x faster [@a; @b].", keys) == r"X is 2.3x faster~\citep{a,b}."
    assert latex_prose("50% [@a] & more [@b]", keys) == r"50\%~\citep{a} \& more~\citep{b}"
    # a malformed group stays text and is escaped
    assert latex_prose("see [@a b]", keys) == "see {[}@a b{]}"


def test_prose_citing_an_unknown_key_is_an_error() -> None:
    with pytest.raises(RenderError, match="cites zz, which is not a relevant paper"):
        latex_prose("X [@zz].", {"a"})


# --- Markdown ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("[x](javascript:alert(1))", r"\[x\](javascript&#58;alert(1))"),
        ("# Heading", r"\# Heading"),
        ("| a | b |", r"\| a \| b \|"),
        ("`code` *b* _i_ ~s~ $x$", r"\`code\` \*b\* \_i\_ \~s\~ \$x\$"),
        ("a\\b", r"a\\b"),
        ("- item", r"\- item"),
        ("1. first", r"1\. first"),
        ("=== setext", r"\=== setext"),
        ("line\n# two\n| t |", r"line \# two \| t \|"),
        ("AT&T", "AT&amp;T"),
        ("&lt;", "&amp;lt;"),
        ("Data: vbscript:x", "Data&#58; vbscript&#58;x"),
    ],
)
def test_md_escape(raw: str, escaped: str) -> None:
    assert md_escape(raw) == escaped


def test_md_escape_keeps_unicode() -> None:
    text = "Ασφαλής café 高效推理 🚀 \u200fمرحبا"
    assert md_escape(text) == text


def test_md_prose_links_citations_to_references() -> None:
    cite = md_citer({"a": md_anchor("ref", "a"), "b": md_anchor("ref", "b")})
    sentence = "X <b>beats</b> Y [@a; @b]."
    assert md_prose(sentence, {"a", "b"}, cite) == (
        "X &lt;b&gt;beats&lt;/b&gt; Y [[a]](#ref-a), [[b]](#ref-b)."
    )


def test_anchor_slug_url_and_mermaid_sanitizing() -> None:
    assert md_anchor("ref", 'k"><script>') == "ref-k---script-"
    assert (
        github_slug("3.1. Compilers, kernels and runtimes") == "31-compilers-kernels-and-runtimes"
    )
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("https://x.org/a b") is None
    assert safe_url("https://x.org/{a}") is None
    assert safe_url("https://x.org/f(1)") == "https://x.org/f%281%29"
    assert mermaid_label('Q"]--> x[evil & <b>') == "Q -- x evil and b"
    assert isinstance(md_escape("x"), Safe)


# --- links and BibTeX --------------------------------------------------------------------


def _record(**fields: object) -> PaperRecord:
    base: dict[str, object] = {
        "id": "p1", "key": "k2024x", "title": "T", "relevant": True,
        "sources": [{"file": "dumps/a.txt", "line": 3, "layout": "hf"}],
    }  # fmt: skip
    return PaperRecord.model_validate(base | fields)


def test_links() -> None:
    assert arxiv_id("2401.12345v2") == "2401.12345v2"
    assert arxiv_id("cs/0101001") == "cs/0101001"
    assert arxiv_id("2401.1}") is None
    assert paper_url(_record(eprint="2401.12345")) == "https://arxiv.org/abs/2401.12345"
    assert paper_url(_record(url="javascript:alert(1)")) is None


def test_bib_entry_fields_are_escaped_and_balanced() -> None:
    entry = bib_entry(
        _record(
            title="{Unbalanced \\input{/etc/passwd} 100% $x",
            authors=["Ann Smith", "Bob and Co", "Jo {Brace"],
            authors_count=5,
            year=2024,
            url="https://x.org/p?a=1&b=2#s",
        )
    )
    fields = {field.name: field.value for field in entry.fields}
    assert list(fields) == ["author", "title", "year", "url"]  # provenance stays in papers.jsonl
    assert fields["author"] == (
        "{Ann Smith and {Bob and Co} and Jo \\textbraceleft{}Brace and others}"
    )
    assert fields["title"].startswith("{{") and fields["title"].endswith("}}")
    assert "\\input" not in fields["title"]
    assert not any("dumps/" in value for value in fields.values())
    for value in fields.values():
        assert _balanced(value)


def test_bib_entry_without_authors_has_no_author_field() -> None:
    entry = bib_entry(_record(title="Only a title"))
    assert [field.name for field in entry.fields] == ["title", "key"]
    assert entry.fields[1].value == "{k2024x}"


def test_citation_parsing() -> None:
    text = "A [@a; @b] and [@c], not [@], [x], [@ d e] or [@a;b]."
    assert cited_keys(text) == ["a", "b", "c"]
    assert sum(1 for piece in split_citations(text) if not isinstance(piece, str)) == 2


# --- template environments ---------------------------------------------------------------


def test_environment_escapes_every_printed_value_once(tmp_path: Path) -> None:
    from pipeline.render.environment import make_environment

    (tmp_path / "t.j2").write_text(
        "{% macro cell(x) %}[{{ x }}]{% endmacro %}"
        "{{ raw }}|{{ safe }}|{{ cell(raw) }}|{{ items|join_escaped('; ') }}|{{ raw|tex }}|"
        "{% set block %}{{ raw }}{% endset %}{{ block }}|{{ none_value }}|{{ 3 }}",
        encoding="utf-8",
    )
    env = make_environment(tmp_path, latex_escape, "tex")
    out = env.get_template("t.j2").render(
        raw="50% & $", safe=Safe(r"\citep{a}"), items=["a_b", Safe(r"\S")], none_value=None
    )
    assert out == (r"50\% \& \$|\citep{a}|[50\% \& \$]|a\_b; \S|50\% \& \$|50\% \& \$||3")
