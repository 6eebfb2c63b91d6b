"""Bad input gives a message naming file and line; the valid entries of the file are still read."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.ingest import ingest

ABSTRACT = (
    "We present a method that makes inference cheaper. It halves the latency of a 7B model on "
    "one GPU while keeping accuracy within one point of the baseline."
)
HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Sources are relative to the working directory; run each test inside its tmp folder.
    monkeypatch.chdir(tmp_path)


def listing(*titles: str) -> str:
    return HEADER + "".join(f"{title}\n\n{ABSTRACT}\n\n" for title in titles)


def test_title_without_abstract_is_flagged_and_does_not_swallow_the_next_title() -> None:
    Path("dump.txt").write_text(
        HEADER
        + "Lonely Title Without Abstract\n\n"
        + listing("Next Paper: With Abstract")[len(HEADER) :],
        encoding="utf-8",
    )
    result = ingest([Path("dump.txt")])
    titles = {p.title: p.flags for p in result.corpus.papers}
    assert titles == {
        "Lonely Title Without Abstract": ["missing_abstract"],
        "Next Paper: With Abstract": [],
    }
    assert [(i.file, i.line, i.reason) for i in result.report.flagged] == [
        (
            "dump.txt",
            9,
            "entry 'Lonely Title Without Abstract' has a title but no abstract; kept and "
            "flagged missing_abstract — add the abstract on the line after the title",
        )
    ]


def test_alternating_lines_with_a_missing_abstract() -> None:
    Path("lines.txt").write_text(
        f"Get trending papers in your email inbox!\nSubscribeFirst Paper\n{ABSTRACT}\n"
        f"Second Paper Lost Its Abstract\nThird Paper\n{ABSTRACT}\n",
        encoding="utf-8",
    )
    result = ingest([Path("lines.txt")])
    assert [(p.title, p.flags) for p in sorted(result.corpus.papers, key=lambda p: p.title)] == [
        ("First Paper", []),
        ("Second Paper Lost Its Abstract", ["missing_abstract"]),
        ("Third Paper", []),
    ]
    assert [(i.file, i.line) for i in result.report.flagged] == [("lines.txt", 4)]


def test_abstract_without_title_is_rejected_with_its_line() -> None:
    Path("dump.txt").write_text(listing("Good Paper") + ABSTRACT + "\n", encoding="utf-8")
    result = ingest([Path("dump.txt")])
    assert [p.title for p in result.corpus.papers] == ["Good Paper"]
    assert [(r.file, r.line) for r in result.report.rejected] == [("dump.txt", 13)]
    assert result.report.rejected[0].reason.startswith("abstract without a title ('We present")
    assert result.report.files[0].rejected == 1


def test_empty_file_is_a_warning_not_a_crash() -> None:
    Path("empty.txt").write_bytes(b"")
    Path("blank.txt").write_bytes(b"\n \r\n")
    report = ingest([Path("empty.txt"), Path("blank.txt")]).report
    assert [(f.file, f.layout, f.entries) for f in report.files] == [
        ("blank.txt", "empty", 0),
        ("empty.txt", "empty", 0),
    ]
    assert report.warnings == [
        "blank.txt: empty file; no entries",
        "empty.txt: empty file; no entries",
    ]


def test_binary_file_named_explicitly_is_an_input_error() -> None:
    Path("figure.txt").write_bytes(b"first line\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError) as caught:
        ingest([Path("figure.txt")])
    assert str(caught.value) == (
        "figure.txt:4: binary file (NUL byte), not a text dump — remove it from the inputs or "
        "export the listing as text"
    )


def test_non_utf8_falls_back_to_cp1252_with_a_warning() -> None:
    text = listing("Caf\u00e9 Models: Na\u00efve Quantization", "Plain Paper")
    Path("legacy.txt").write_bytes(text.encode("cp1252"))
    result = ingest([Path("legacy.txt")])
    assert "Caf\u00e9 Models: Na\u00efve Quantization" in {p.title for p in result.corpus.papers}
    assert result.report.files[0].encoding == "cp1252"
    assert result.report.warnings == [
        "legacy.txt:9: not valid UTF-8 (byte 0xe9); read as cp1252 — re-save the file as "
        "UTF-8 to be sure every character is right"
    ]


def test_utf8_bom_and_utf16_are_read_without_warnings() -> None:
    Path("bom.txt").write_bytes(listing("Bom Paper").encode("utf-8-sig"))
    Path("wide.txt").write_bytes(listing("Wide Paper").encode("utf-16"))
    result = ingest([Path("bom.txt"), Path("wide.txt")])
    assert sorted(p.title for p in result.corpus.papers) == ["Bom Paper", "Wide Paper"]
    assert result.report.warnings == []


def test_crlf_and_cr_line_endings_give_the_same_entries_and_lines() -> None:
    text = listing("Paper One", "Paper Two")
    Path("unix.txt").write_text(text, encoding="utf-8", newline="\n")
    Path("dos.txt").write_bytes(text.replace("\n", "\r\n").encode())
    Path("mac.txt").write_bytes(text.replace("\n", "\r").encode())
    for name in ("unix.txt", "dos.txt", "mac.txt"):
        papers = ingest([Path(name)]).corpus.papers
        assert sorted((p.title, p.abstract, p.sources[0].line) for p in papers) == [
            ("Paper One", ABSTRACT, 9),
            ("Paper Two", ABSTRACT, 13),
        ], name


def test_a_10_mb_line_is_rejected_and_the_rest_of_the_file_is_read() -> None:
    huge = "word " * 2_000_000  # 10 MB on one line
    text = listing("Before Paper") + huge + "\n\n" + listing("After Paper")[len(HEADER) :]
    Path("huge.txt").write_text(text, encoding="utf-8")
    result = ingest([Path("huge.txt")])
    assert sorted(p.title for p in result.corpus.papers) == ["After Paper", "Before Paper"]
    assert [(r.file, r.line) for r in result.report.rejected] == [("huge.txt", 13)]
    assert result.report.rejected[0].reason.startswith(
        "line is 9,999,999 characters long (an abstract has at most 20,000); skipped"
    )


def test_a_file_that_is_one_10_mb_line_is_in_no_layout() -> None:
    Path("blob.txt").write_text("x" * 10_000_000, encoding="utf-8")
    with pytest.raises(InputError, match=r"^blob\.txt: not in any known dump layout"):
        ingest([Path("blob.txt")])


def test_directory_skips_non_dump_files_with_a_warning() -> None:
    folder = Path("dumps")
    folder.mkdir()
    (folder / "a.txt").write_text(listing("Folder Paper"), encoding="utf-8")
    (folder / "figure.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (folder / "README.md").write_text("# Dumps\n\nCopied from the site.\n", encoding="utf-8")
    (folder / "notes.txt").write_text("# Notes\n\nnothing here\n", encoding="utf-8")
    (folder / "raw.txt").write_bytes(b"\x00\x01\x02")
    (folder / ".hidden.txt").write_text("ignored", encoding="utf-8")
    result = ingest([folder])
    assert [p.title for p in result.corpus.papers] == ["Folder Paper"]
    assert [(s.file, s.reason.split(" —")[0]) for s in result.report.skipped_files] == [
        ("dumps/README.md", "not a dump file (.md files are not read from folders); skipped"),
        ("dumps/figure.png", "not a dump file (.png files are not read from folders); skipped"),
        ("dumps/notes.txt", "dumps/notes.txt: not in any known dump layout"),
        ("dumps/raw.txt", "dumps/raw.txt:1: binary file (NUL byte), not a text dump"),
    ]
    assert len(result.report.warnings) == 4


def test_missing_path_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"^nowhere\.txt: no such file or directory"):
        ingest([Path("nowhere.txt")])


def test_bad_jsonl_lines_are_rejected_with_line_numbers() -> None:
    Path("p.jsonl").write_text(
        '{"title": "Good", "abstract": "Fine."}\n'
        "{broken\n"
        "[1, 2]\n"
        '{"abstract": "No title."}\n'
        '{"title": {"nested": 1}, "abstract": "x"}\n',
        encoding="utf-8",
    )
    result = ingest([Path("p.jsonl")])
    assert [p.title for p in result.corpus.papers] == ["Good"]
    assert [(r.line, r.reason.split(";")[0].split(" (")[0]) for r in result.report.rejected] == [
        (2, "not valid JSON"),
        (3, "a JSON list, not an object"),
        (4, "record skipped because it has no title — give it a 'title' text"),
        (
            5,
            "record skipped because field(s) ['title'] hold neither text nor a number — give it "
            "a 'title' text",
        ),
    ]


def test_csv_problems_are_reported_per_row_or_for_the_header() -> None:
    Path("p.csv").write_text(
        'title,abstract,date\nGood,"Fine.",2024-13-01\n"Too",many,cells,here\n,"No title."\n',
        encoding="utf-8",
    )
    result = ingest([Path("p.csv")])
    assert [p.title for p in result.corpus.papers] == ["Good"]
    assert [(r.line, r.reason[:23]) for r in result.report.rejected] == [
        (3, "row has 4 cells but the"),
        (4, "record skipped because "),
    ]
    assert [(f.line, f.reason[:31]) for f in result.report.flagged] == [
        (2, "date '2024-13-01' not understoo")
    ]
    Path("noabstract.csv").write_text("title,year\nA,2020\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        ingest([Path("noabstract.csv")])
    assert str(caught.value) == (
        "noabstract.csv:1: CSV header ['title', 'year'] has no 'abstract' column — add one "
        "(it may be empty per row)"
    )


def test_broken_bibtex_block_is_rejected_and_the_next_entry_read() -> None:
    Path("refs.bib").write_text(
        "@misc{broken, title = {Unclosed\n"
        "@article{ok, title={Fine Paper}, abstract={It works.}, year={2021}}\n",
        encoding="utf-8",
    )
    result = ingest([Path("refs.bib")])
    assert [p.title for p in result.corpus.papers] == ["Fine Paper"]
    assert [(r.file, r.line) for r in result.report.rejected] == [("refs.bib", 1)]
    assert result.report.rejected[0].reason.startswith("BibTeX block not parsed (")
