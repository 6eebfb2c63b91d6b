"""Ingest never loses or garbles a paper: other scripts, stray bytes, hostile structure.

Every test writes real dump files and reads them with `ingest`, as `taxonomist build` does.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.ingest import ingest
from pipeline.ingest.keys import paper_id
from pipeline.ingest.normalize import normalize_title
from pipeline.render.bibtex import bib_entry
from schemas.record import PaperRecord
from tests.test_ingest_bad_input import ABSTRACT, HEADER


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def jsonl(*records: object) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


# --- titles in other scripts ---------------------------------------------------------------

OTHER_SCRIPTS = [
    "大型语言模型的高效推理",
    "大型语言模型的量化训练",
    "Эффективный вывод больших языковых моделей",
    "大規模言語モデルの効率的な推論",
    "الاستدلال الفعال لنماذج اللغة الكبيرة",
    "LLM推理加速",
    "LLM训练加速",
]


def test_titles_in_other_scripts_are_distinct_papers_with_unique_stable_keys() -> None:
    Path("a.jsonl").write_text(
        jsonl(*({"title": t, "abstract": ABSTRACT} for t in OTHER_SCRIPTS)), encoding="utf-8"
    )
    first = ingest([Path("a.jsonl")])
    assert sorted(p.title for p in first.corpus.papers) == sorted(OTHER_SCRIPTS)
    keys = [p.key for p in first.corpus.papers]
    assert len(set(keys)) == len(keys)
    # a later run with one more paper in another script keeps every key given before
    Path("b.jsonl").write_text(
        jsonl({"title": "Быстрое обучение", "abstract": ABSTRACT}), encoding="utf-8"
    )
    second = ingest([Path("a.jsonl"), Path("b.jsonl")], known_keys=first.keys)
    assert {p.id: p.key for p in second.corpus.papers if p.id in first.keys} == first.keys
    assert len({p.key for p in second.corpus.papers}) == len(OTHER_SCRIPTS) + 1


def test_latin_titles_normalize_as_before() -> None:
    # ids are hashes of this form: Latin (and Greek-letter) titles must keep theirs
    assert normalize_title("Schölkopf Straße μ-Transfer: ×4 don’t") == (
        "scholkopf strae transfer 4 dont"
    )
    assert normalize_title("SmoothQuant+: Trade–Off") == "smoothquantplus tradeoff"


# --- bytes ---------------------------------------------------------------------------------


def test_one_stray_byte_loses_only_that_character() -> None:
    text = HEADER + f"Fast Paper: 2× Faster…\n\n{ABSTRACT} “Quoted”…\n\nCafé Paper\n\n{ABSTRACT}\n"
    Path("dump.txt").write_bytes(text.encode("utf-8").replace("é".encode(), b"\xe9"))
    result = ingest([Path("dump.txt")])
    titles = sorted(p.title for p in result.corpus.papers)
    assert titles == ["Café Paper", "Fast Paper: 2× Faster…"]
    abstracts = {p.title: p.abstract for p in result.corpus.papers}
    assert abstracts["Fast Paper: 2× Faster…"].endswith("“Quoted”…")
    assert result.report.files[0].encoding == "utf-8"
    assert result.report.warnings == [
        "dump.txt:13: not valid UTF-8 (byte 0xe9); only those bytes were read as cp1252, the "
        "rest as UTF-8 — re-save the file as UTF-8 to be sure every character is right"
    ]


# --- hostile structure ---------------------------------------------------------------------


def test_deeply_nested_json_is_rejected_by_line() -> None:
    deep = '{"title": ' + "[" * 100_000 + "]" * 100_000 + "}"
    deep_value = '{"title": "X", "abstract": ' + '{"a": ' * 5_000 + "1" + "}" * 5_000 + "}"
    Path("a.jsonl").write_text(
        jsonl({"title": "Fine", "abstract": ABSTRACT}) + deep + "\n" + deep_value + "\n",
        encoding="utf-8",
    )
    result = ingest([Path("a.jsonl")])
    assert [p.title for p in result.corpus.papers] == ["Fine"]
    assert [(r.line, r.reason) for r in result.report.rejected] == [
        (
            n,
            "JSON nested too deeply to read; skipped — a record is one flat object with text "
            "fields",
        )
        for n in (2, 3)
    ]


def test_deeply_nested_json_on_the_first_line_is_not_a_traceback() -> None:
    Path("a.jsonl").write_text('{"a": ' * 100_000 + "1" + "}" * 100_000 + "\n", encoding="utf-8")
    result = ingest([Path(".")])
    assert result.corpus.papers == []
    assert [item.file for item in result.report.skipped_files] == ["a.jsonl"]


def test_lone_surrogates_are_replaced_and_reported() -> None:
    Path("a.jsonl").write_text(
        '{"title": "Bad \\ud800 Title", "abstract": "x \\udfff y", "authors": ["A \\udc00"]}\n',
        encoding="utf-8",
    )
    result = ingest([Path("a.jsonl")])
    [paper] = result.corpus.papers
    assert (paper.title, paper.abstract, paper.authors) == (
        "Bad \ufffd Title",
        "x \ufffd y",
        ["A \ufffd"],
    )
    paper.model_dump_json().encode("utf-8")  # writable as UTF-8
    assert result.report.warnings == [
        "a.jsonl:1: lone UTF-16 surrogate escape (such as \\ud800) replaced by U+FFFD '\ufffd' "
        "— fix the escape in the file (a character outside the BMP is written as a pair)"
    ]


def test_json_true_or_a_number_as_title_is_rejected() -> None:
    Path("a.jsonl").write_text(
        jsonl(
            {"title": True, "abstract": ABSTRACT},
            {"title": 12, "abstract": ABSTRACT},
            {"title": "Fine", "abstract": ABSTRACT, "year": False},
            {"title": "Fine Too", "abstract": ABSTRACT},
        ),
        encoding="utf-8",
    )
    result = ingest([Path("a.jsonl")])
    assert [p.title for p in result.corpus.papers] == ["Fine Too"]
    assert [(r.line, r.reason) for r in result.report.rejected] == [
        (
            1,
            "record skipped because its title is the value true, not text — give it a 'title' text",
        ),
        (2, "record skipped because its title is a number (12), not text — give it a 'title' text"),
        (
            3,
            "record skipped because field(s) ['year'] hold neither text nor a number — give it "
            "a 'title' text",
        ),
    ]


def test_braces_thousands_deep_are_not_a_traceback() -> None:
    Path("a.bib").write_text(
        "@article{x, title = {" + "{" * 5_000 + "Deep Title" + "}" * 5_000 + "}, abstract = {"
        + ABSTRACT + "}}\n@article{y, title = {Fine}, abstract = {" + ABSTRACT + "}}\n",
        encoding="utf-8",
    )  # fmt: skip
    Path("b.jsonl").write_text(
        jsonl({"title": "\\textbf{" * 3_000 + "Bold" + "}" * 3_000, "abstract": ABSTRACT}),
        encoding="utf-8",
    )
    result = ingest([Path("a.bib"), Path("b.jsonl")])
    assert len(result.corpus.papers) == 3
    assert {"Deep Title", "Fine"} <= {p.title for p in result.corpus.papers}


def test_an_author_list_with_thousands_of_commas_is_capped() -> None:
    names = ",".join(f"Author{i}" for i in range(20_000))
    Path("a.jsonl").write_text(
        jsonl({"title": "Many Authors", "abstract": ABSTRACT, "authors": names}), encoding="utf-8"
    )
    result = ingest([Path("a.jsonl")])
    [paper] = result.corpus.papers
    assert paper.authors == [f"Author{i}" for i in range(100)]
    assert paper.authors_count == 20_000
    author = next(
        f.value for f in bib_entry(PaperRecord(**dict(paper))).fields if f.name == "author"
    )
    assert author.count(" and ") == 100 and author.endswith(" and Author99 and others}")
    assert result.report.warnings == [
        "a.jsonl:1: 20,000 authors; the first 100 are kept and the rest counted ('and others') "
        "— separate authors with ' and ' or ';' if commas split names"
    ]


# --- CSV and BibTeX ------------------------------------------------------------------------


def test_csv_unbalanced_quote_loses_only_its_row() -> None:
    Path("a.csv").write_text(
        "title,abstract\n"
        f'Good One,"{ABSTRACT}"\n'
        f'"Broken Two,{ABSTRACT}\n'
        f'Good Three,"{ABSTRACT}\nsecond line of the same abstract"\n'
        f'Good "Four",{ABSTRACT}\n'
        f'"Broken Five,{ABSTRACT}\n'
        f"Good Six,{ABSTRACT}\n",
        encoding="utf-8",
    )
    result = ingest([Path("a.csv")])
    assert sorted(p.title for p in result.corpus.papers) == [
        'Good "Four"',
        "Good One",
        "Good Six",
        "Good Three",
    ]
    three = next(p for p in result.corpus.papers if p.title == "Good Three")
    assert three.abstract.endswith("baseline. second line of the same abstract")
    reason = (
        "unreadable CSV row ({}); skipped — a cell that starts with a quote must end with one, "
        'and quotes inside a quoted cell are doubled ("")'
    )
    assert [(r.line, r.reason) for r in result.report.rejected] == [
        (3, reason.format("',' expected after '\"'")),
        (7, reason.format("unexpected end of data")),
    ]


def test_bibtex_string_macros_concatenation_and_latex_are_resolved() -> None:
    Path("a.bib").write_text(
        '@string{eff = "Efficient"}\n'
        "@STRING{full = eff # { Inference}}\n"
        "@article{a1,\n"
        '  title = full # " with {GPT} and Sch{\\"o}lkopf\'s \\emph{Kernels}",\n'
        '  abstract = "We show \\emph{fast} " # {inference} # ". Published in " # jan # ".",\n'
        '  author = "M{\\"u}ller, Jan and Smith, Bob",\n'
        "  year = 2024,\n"
        "  note = undefinedmacro\n"
        "}\n",
        encoding="utf-8",
    )
    result = ingest([Path("a.bib")])
    [paper] = result.corpus.papers
    assert paper.title == "Efficient Inference with GPT and Schölkopf's Kernels"
    assert paper.abstract == "We show fast inference. Published in January."
    assert paper.authors == ["Müller, Jan", "Smith, Bob"]
    assert paper.key == "muller2024efficient"
    assert result.report.warnings == [
        "a.bib:3: field 'note' uses the undefined @string macro 'undefinedmacro'; its name is "
        'kept as text — define it with @string{undefinedmacro = "..."} or quote it'
    ]


# --- multi-line abstracts ------------------------------------------------------------------

CONTINUATION = [
    "# a line that starts with a hash and goes on for a while",
    "| a | table | row |",
    "- a bullet point that is long enough",
    "1. a numbered item of the abstract text.",
    "<b>markup</b> and more text follows here",
    "2x faster than vLLM at the same accuracy.",
]
FIRST = "First Paper: Sparse Kernels"
SECOND = "Second Paper: Dense Kernels"


def _assert_one_abstract_each(path: Path) -> None:
    result = ingest([path])
    papers = {p.title: p for p in result.corpus.papers}
    assert sorted(papers) == [FIRST, SECOND], sorted(papers)
    assert papers[FIRST].abstract == " ".join([ABSTRACT, *CONTINUATION])
    assert papers[SECOND].abstract == ABSTRACT
    assert result.report.rejected == [] and result.report.flagged == []


def test_multi_line_abstract_in_blank_line_blocks() -> None:
    Path("blocks.txt").write_text(
        HEADER + f"{FIRST}\n\n{ABSTRACT}\n" + "\n".join(CONTINUATION) + f"\n\n{SECOND}\n\n"
        f"{ABSTRACT}\n",
        encoding="utf-8",
    )
    _assert_one_abstract_each(Path("blocks.txt"))


def test_multi_line_abstract_in_alternating_lines() -> None:
    Path("lines.txt").write_text(
        "Get trending papers in your email inbox!\nSubscribe\n"
        f"{FIRST}\n{ABSTRACT}\n" + "\n".join(CONTINUATION) + f"\n{SECOND}\n{ABSTRACT}\n",
        encoding="utf-8",
    )
    _assert_one_abstract_each(Path("lines.txt"))


def test_multi_line_abstract_in_blocks_with_metadata() -> None:
    meta = "\n\n• 5 authors\n·\nNov 28, 2023 1\n\n"
    Path("meta.txt").write_text(
        HEADER + f"{FIRST}\n\n{ABSTRACT}\n" + "\n".join(CONTINUATION) + meta + f"{SECOND}\n\n"
        f"{ABSTRACT}" + meta,
        encoding="utf-8",
    )
    _assert_one_abstract_each(Path("meta.txt"))
    result = ingest([Path("meta.txt")])
    assert {p.authors_count for p in result.corpus.papers} == {5}


def test_multi_line_abstract_in_csv_jsonl_and_bibtex() -> None:
    text = "\n".join([ABSTRACT, *CONTINUATION])
    Path("a.csv").write_text(f'title,abstract\n{FIRST},"{text}"\n{SECOND},{ABSTRACT}\n', "utf-8")
    Path("b.bib").write_text(
        f"@article{{a, title={{{FIRST}}}, abstract={{{text}}}}}\n"
        f"@article{{b, title={{{SECOND}}}, abstract={{{ABSTRACT}}}}}\n",
        encoding="utf-8",
    )
    Path("c.jsonl").write_text(
        jsonl({"title": FIRST, "abstract": text}, {"title": SECOND, "abstract": ABSTRACT}), "utf-8"
    )
    for name in ("a.csv", "b.bib", "c.jsonl"):
        _assert_one_abstract_each(Path(name))


def test_wrapped_abstract_in_alternating_lines_runs_on_mid_sentence() -> None:
    Path("lines.txt").write_text(
        "Get trending papers in your email inbox!\nSubscribe\n"
        f"{FIRST}\nWe present a method that makes inference cheaper. It halves latency on\n"
        "Every GPU We Tried\n"
        f"{SECOND}\n{ABSTRACT}\n",
        encoding="utf-8",
    )
    papers = {p.title: p.abstract for p in ingest([Path("lines.txt")]).corpus.papers}
    assert papers == {
        FIRST: "We present a method that makes inference cheaper. It halves latency on Every "
        "GPU We Tried",
        SECOND: ABSTRACT,
    }


def test_a_title_without_abstract_at_the_end_of_a_file_is_reported_by_name() -> None:
    Path("dump.txt").write_text(
        HEADER + f"{FIRST}\n\n{ABSTRACT}\n\nLast Title Without Abstract\n", encoding="utf-8"
    )
    result = ingest([Path("dump.txt")])
    assert [(i.line, i.reason) for i in result.report.flagged] == [
        (
            13,
            "entry 'Last Title Without Abstract' has a title but no abstract; kept and flagged "
            "missing_abstract — add the abstract on the line after the title",
        )
    ]


# --- symlinks ------------------------------------------------------------------------------


def test_symlinks_out_of_an_input_folder_are_not_followed_unless_named() -> None:
    Path("secret").mkdir()
    Path("secret/private.jsonl").write_text(
        jsonl({"title": "Private Paper", "abstract": ABSTRACT}), encoding="utf-8"
    )
    Path("dumps/sub").mkdir(parents=True)
    Path("dumps/a.jsonl").write_text(
        jsonl({"title": "Public Paper", "abstract": ABSTRACT}), encoding="utf-8"
    )
    Path("dumps/link.jsonl").symlink_to(Path("secret/private.jsonl").resolve())
    Path("dumps/linkdir").symlink_to(Path("secret").resolve())
    Path("dumps/sub/inside.jsonl").symlink_to(Path("dumps/a.jsonl").resolve())
    result = ingest([Path("dumps")])
    assert [p.title for p in result.corpus.papers] == ["Public Paper"]
    assert [(s.file, s.reason) for s in result.report.skipped_files] == [
        (
            f"dumps/{name}",
            f"a symlink to {target}, outside dumps; not followed — name the file directly to "
            "read it",
        )
        for name, target in (("link.jsonl", "secret/private.jsonl"), ("linkdir", "secret"))
    ]
    named = ingest([Path("dumps"), Path("dumps/link.jsonl")])
    assert sorted(p.title for p in named.corpus.papers) == ["Private Paper", "Public Paper"]


# --- one paper listed many times -----------------------------------------------------------


def test_a_paper_listed_thousands_of_times_is_one_paper_with_a_short_report() -> None:
    Path("dump.txt").write_text(HEADER + f"{FIRST}\n\n{ABSTRACT}\n\n" * 3_000, encoding="utf-8")
    result = ingest([Path("dump.txt")])
    [paper] = result.corpus.papers
    assert [s.line for s in paper.sources] == list(range(9, 9 + 4 * 3_000, 4))
    [merge] = result.report.merges
    [merged] = merge.merged
    assert [s.line for s in merged.sources] == list(range(9, 9 + 4 * 20, 4))
    assert merged.more_sources == 2_980
    assert (result.report.entries, result.report.duplicates_merged) == (3_000, 2_999)


def test_a_known_paper_whose_normalized_title_changed_keeps_its_id_and_key() -> None:
    # Before titles kept CJK letters, this title's id was the hash of its Latin part only.
    title = "Mixed-Precision Quantization 量化 for Efficient Inference"
    old_id = paper_id("mixedprecision quantization for efficient inference")
    Path("a.jsonl").write_text(
        jsonl({"title": title, "abstract": ABSTRACT}, {"title": "Other", "abstract": ABSTRACT}),
        encoding="utf-8",
    )
    result = ingest(
        [Path("a.jsonl")],
        known_keys={old_id: "mixedquant2024"},
        known_titles={old_id: title},
    )
    by_title = {p.title: p for p in result.corpus.papers}
    assert (by_title[title].id, by_title[title].key) == (old_id, "mixedquant2024")
    assert by_title["Other"].key == "other"
