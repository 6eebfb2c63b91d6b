"""BibTeX dumps (bibtexparser 2.x): one entry per @type{key, ...} block."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

from pipeline.ingest.entries import Layout, ParseOutcome
from pipeline.ingest.records import entry_from_record, unknown_fields

_ENTRY_START = re.compile(r"^\s*@[A-Za-z]+\s*[{(]", re.MULTILINE)
_MACRO_NAME = re.compile(r"[A-Za-z_][^\s\"#%'(),={}]*")
# BibTeX's predefined month macros
_MONTHS = "January February March April May June July August September October November December"
_MONTH_MACROS = {name[:3].lower(): name for name in _MONTHS.split(" ")}
_NON_ENTRY_TYPES = {"comment", "string", "preamble"}
# Fields a bibliography routinely carries; not worth a warning when ignored.
_EXPECTED_EXTRA = {
    "journal",
    "booktitle",
    "pages",
    "volume",
    "number",
    "publisher",
    "doi",
    "month",
    "archiveprefix",
    "primaryclass",
    "keywords",
    "note",
    "editor",
}


def looks_like_bibtex(text: str) -> bool:
    """Some line starts a BibTeX block such as '@article{'."""
    return _ENTRY_START.search(text[:200_000]) is not None


def parse_bibtex(text: str, file: str) -> ParseOutcome:
    """Entries with their LaTeX turned to text; blocks that fail to parse are rejected."""
    import bibtexparser
    from bibtexparser.model import DuplicateBlockKeyBlock, Entry

    outcome = ParseOutcome()
    with _quiet_logger("bibtexparser"):  # it logs failed blocks; we report them as issues
        library = bibtexparser.parse_string(text, parse_stack=[])  # raw values: we resolve them
    macros = dict(_MONTH_MACROS)
    for string in library.strings:
        value, _ = _resolve(str(string.value), macros)
        macros[string.key.strip().lower()] = value
    blocks: list[Entry] = list(library.entries)
    for failed in library.failed_blocks:
        line = (failed.start_line or 0) + 1
        if isinstance(failed, DuplicateBlockKeyBlock) and isinstance(
            failed.ignore_error_block, Entry
        ):
            blocks.append(failed.ignore_error_block)  # same key twice: still a paper
            continue
        error = getattr(failed, "error", None)
        reason = _first_line(str(getattr(error, "abort_reason", "") or error or "syntax error"))
        outcome.reject(file, line, f"BibTeX block not parsed ({reason}); skipped — fix its braces")
    names: set[str] = set()
    for block in sorted(blocks, key=lambda entry: entry.start_line or 0):
        if block.entry_type.lower() in _NON_ENTRY_TYPES:
            continue
        record: dict[str, object] = {}
        for field in block.fields:
            value, unknown = _resolve(str(field.value), macros)
            record[field.key.lower()] = value
            for name in unknown:
                outcome.warn(
                    file,
                    (block.start_line or 0) + 1,
                    f"field {field.key!r} uses the undefined @string macro {name!r}; its name is "
                    f'kept as text — define it with @string{{{name} = "..."}} or quote it',
                )
        names.update(record)
        entry = entry_from_record(
            record,
            file=file,
            line=(block.start_line or 0) + 1,
            layout=Layout.BIBTEX,
            outcome=outcome,
            latex=True,
        )
        if entry is not None:
            outcome.entries.append(entry)
    unknown = [name for name in unknown_fields(sorted(names)) if name not in _EXPECTED_EXTRA]
    if unknown:
        outcome.warn(file, None, f"fields ignored (not used by taxonomist): {', '.join(unknown)}")
    return outcome


def _resolve(value: str, macros: dict[str, str]) -> tuple[str, list[str]]:
    """A raw BibTeX value ('{A} # name # "B"', '2024', 'jan') as text, and undefined macros."""
    pieces = _concatenated(value) if "#" in value else [value]
    text: list[str] = []
    unknown: list[str] = []
    for piece in (piece.strip() for piece in pieces):
        if len(piece) >= 2 and (piece[0], piece[-1]) in (("{", "}"), ('"', '"')):
            text.append(piece[1:-1])
        elif piece.isdigit() or not _MACRO_NAME.fullmatch(piece):
            text.append(piece)
        elif piece.lower() in macros:
            text.append(macros[piece.lower()])
        else:
            unknown.append(piece)
            text.append(piece)
    return "".join(text), unknown


def _concatenated(value: str) -> list[str]:
    """The parts of 'a # {b # c} # "d"': split at '#' outside braces and quotes."""
    parts: list[str] = []
    start = depth = 0
    quoted = False
    for index, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(value[start:index])
            start = index + 1
    parts.append(value[start:])
    return parts


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0][:160]


@contextmanager
def _quiet_logger(name: str) -> Iterator[None]:
    logger = logging.getLogger(name)
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(previous)
