"""Fuzzing: any input gives entries and issues, or an InputError — never another exception."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.errors import InputError
from pipeline.ingest.bibtex import parse_bibtex
from pipeline.ingest.detect import parse_text
from pipeline.ingest.entries import Layout, ParseOutcome
from pipeline.ingest.files import decode
from pipeline.ingest.hf_listing import parse_listing
from pipeline.ingest.keys import base_key
from pipeline.ingest.normalize import extract_urls, normalize_title, parse_date
from pipeline.ingest.structured import parse_csv, parse_jsonl

FUZZ = settings(max_examples=200, deadline=None)
# Pieces of real dumps and of structured files, so examples reach deep into the parsers.
PIECES = [
    "Daily Papers",
    "Subscribe",
    "SubscribeTitle: X",
    "new",
    "Jul 31",
    "  • 5 authors",
    "·",
    "Nov 28, 2023 1",
    "Jan 12",
    "nvidia NVIDIA",
    "A Title: With Colon",
    "An abstract sentence. Another one follows here with more words in it.",
    "",
    '{"title": "T", "abstract": "A."}',
    '{"title": 1}',
    "[1]",
    "{",
    "title,abstract",
    '"a,b",c',
    "@article{k, title={T}, abstract={A.}, year={20x}}",
    "@misc{",
    "}",
    '{\\"o}',
    "https://github.com/a/b).",
    "\x00",
    "\r",
    "\ufeff",
    "2023-02-30",
    "Feb 30, 2023",
]
lines = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=40)), max_size=25)
texts = st.one_of(st.text(max_size=300), lines.map("\n".join))


def never_crashes(parse: Callable[[], ParseOutcome | object]) -> None:
    try:
        outcome = parse()
    except InputError:
        return
    if isinstance(outcome, ParseOutcome):
        for entry in outcome.entries:
            assert entry.title.strip() and entry.line >= 1


@FUZZ
@given(texts, st.sampled_from([Layout.HF_BLOCKS, Layout.HF_LINES, Layout.HF_META]))
def test_listing_parser(text: str, layout: Layout) -> None:
    never_crashes(lambda: parse_listing(text, "f.txt", layout))


@FUZZ
@given(texts)
def test_jsonl_parser(text: str) -> None:
    never_crashes(lambda: parse_jsonl(text, "f.jsonl"))


@FUZZ
@given(texts.map(lambda body: "title,abstract,date,authors\n" + body))
def test_csv_parser(text: str) -> None:
    never_crashes(lambda: parse_csv(text, "f.csv"))


@FUZZ
@given(texts)
def test_csv_parser_without_header(text: str) -> None:
    never_crashes(lambda: parse_csv(text, "f.csv"))


@FUZZ
@given(texts)
def test_bibtex_parser(text: str) -> None:
    never_crashes(lambda: parse_bibtex(text, "f.bib"))


@FUZZ
@given(texts)
def test_detection_and_dispatch(text: str) -> None:
    never_crashes(lambda: parse_text(text, "f.txt"))


@FUZZ
@given(st.binary(max_size=300))
def test_decode_any_bytes(data: bytes) -> None:
    never_crashes(lambda: decode(data, "f.txt"))
    never_crashes(lambda: decode(b"\xff\xfe" + data, "f.txt"))


@FUZZ
@given(st.text(max_size=120), st.lists(st.text(max_size=20), max_size=3), st.none() | st.integers())
@example("\u13a0", [], None)  # found by hypothesis: a capital that casefold keeps
def test_text_helpers(text: str, authors: list[str], year: int | None) -> None:
    normalized = normalize_title(text)
    # case-folded, not lower-cased: str.casefold maps Cherokee small letters to capitals
    # ('Ꭰ'.lower() is 'ꭰ', 'ꭰ'.casefold() is 'Ꭰ'); casefold is idempotent on every code point
    assert normalized == normalized.strip() and normalized == normalized.casefold()
    key = base_key(text, authors, year)
    assert key and key.isascii() and key.isalnum()
    assert all(url.startswith("http") for url in extract_urls(text))
    date, parsed_year = parse_date(text)
    assert (date is None) == (parsed_year is None)
