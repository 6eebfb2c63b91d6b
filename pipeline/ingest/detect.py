"""Detect a file's layout from its content and parse it with the matching parser."""

from __future__ import annotations

from pipeline.errors import InputError
from pipeline.ingest.bibtex import looks_like_bibtex, parse_bibtex
from pipeline.ingest.entries import Layout, ParseOutcome, known_layouts
from pipeline.ingest.hf_listing import detect_listing_layout, parse_listing
from pipeline.ingest.structured import csv_delimiter, looks_like_jsonl, parse_csv, parse_jsonl


def detect_layout(text: str) -> Layout | None:
    """The layout of a dump's text, or None when it is in no known layout."""
    if looks_like_jsonl(text):
        return Layout.JSONL
    if looks_like_bibtex(text):
        return Layout.BIBTEX
    if csv_delimiter(text) is not None:
        return Layout.CSV
    return detect_listing_layout(text)


def parse_text(text: str, file: str) -> tuple[Layout, ParseOutcome]:
    """Detect and parse; raises InputError naming the file when no layout fits."""
    layout = detect_layout(text)
    if layout is None:
        raise InputError(
            "not in any known dump layout — convert it to one of these:\n" + known_layouts(),
            file=file,
        )
    return layout, parse_as(text, file, layout)


def parse_as(text: str, file: str, layout: Layout) -> ParseOutcome:
    """Parse `text` with the parser of `layout`."""
    if layout is Layout.JSONL:
        return parse_jsonl(text, file)
    if layout is Layout.CSV:
        return parse_csv(text, file)
    if layout is Layout.BIBTEX:
        return parse_bibtex(text, file)
    return parse_listing(text, file, layout)
