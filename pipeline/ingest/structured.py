"""JSON Lines and CSV/TSV dumps: one record per line or row, with a title and an abstract."""

from __future__ import annotations

import csv
import itertools
import json

from pipeline.errors import InputError
from pipeline.ingest.entries import Layout, ParseOutcome
from pipeline.ingest.records import entry_from_record, unknown_fields

CSV_DELIMITERS = (",", "\t", ";", "|")
MAX_HEADER_CHARS = 10_000


def looks_like_jsonl(text: str) -> bool:
    """The first non-blank line is a JSON object."""
    first = next((line for line in text.split("\n", 50) if line.strip()), "")
    if not first.lstrip().startswith("{"):
        return False
    try:
        return isinstance(json.loads(first), dict)
    except (ValueError, RecursionError):
        return False


def csv_delimiter(text: str) -> str | None:
    """The delimiter whose split of the first line names a 'title' column, else None."""
    header = next((line for line in text.split("\n", 50) if line.strip()), "")
    if len(header) > MAX_HEADER_CHARS:
        return None
    for delimiter in CSV_DELIMITERS:
        try:
            names = next(csv.reader([header], delimiter=delimiter), [])
        except csv.Error:
            continue
        if "title" in (name.strip().lower() for name in names) and len(names) > 1:
            return delimiter
    return None


def parse_jsonl(text: str, file: str) -> ParseOutcome:
    """One entry per JSON object line; bad lines are rejected with their line number."""
    outcome = ParseOutcome()
    seen_fields: set[str] = set()
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            outcome.reject(file, number, f"not valid JSON ({exc}); skipped — one object per line")
            continue
        except RecursionError:
            outcome.reject(
                file,
                number,
                "JSON nested too deeply to read; skipped — a record is one flat object with "
                "text fields",
            )
            continue
        if not isinstance(record, dict):
            kind = type(record).__name__
            outcome.reject(file, number, f"a JSON {kind}, not an object; skipped")
            continue
        seen_fields.update(str(name) for name in record)
        entry = entry_from_record(
            record, file=file, line=number, layout=Layout.JSONL, outcome=outcome
        )
        if entry is not None:
            outcome.entries.append(entry)
    _warn_unknown(outcome, file, sorted(seen_fields))
    return outcome


def parse_csv(text: str, file: str) -> ParseOutcome:
    """One entry per row under a header naming 'title' and 'abstract' columns."""
    delimiter = csv_delimiter(text)
    if delimiter is None:
        raise InputError(
            "no CSV header with a 'title' column — the first line must name the columns, "
            "e.g. 'title,abstract,date,url,authors'",
            file=file,
            line=1,
        )
    outcome = ParseOutcome()
    lines = text.split("\n")
    lines = [line + "\n" for line in lines[:-1]] + lines[-1:]
    reader = csv.reader(iter(lines), delimiter=delimiter, strict=True)
    header = [name.strip().lower() for name in next(reader)]
    if "abstract" not in header:
        raise InputError(
            f"CSV header {header} has no 'abstract' column — add one (it may be empty per row)",
            file=file,
            line=reader.line_num,
        )
    _warn_unknown(outcome, file, header)
    position: int | None = reader.line_num  # physical lines consumed so far
    while position is not None:
        position = _read_rows(lines, position, delimiter, header, file, outcome)
    return outcome


def _read_rows(
    lines: list[str],
    position: int,
    delimiter: str,
    header: list[str],
    file: str,
    outcome: ParseOutcome,
) -> int | None:
    """Rows from physical line ``position`` on; after a broken row, where to start again.

    A quote that never closes would swallow every later row into one cell; strict parsing
    stops at the first place where the quoting cannot be right, and reading resumes on the
    line after the one where the broken row started, so only that row is lost.
    """
    reader = csv.reader(itertools.islice(lines, position, None), delimiter=delimiter, strict=True)
    while True:
        start = position + reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            outcome.reject(
                file,
                start,
                f"unreadable CSV row ({exc}); skipped — a cell that starts with a quote must end "
                'with one, and quotes inside a quoted cell are doubled ("")',
            )
            return start
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            outcome.reject(
                file,
                start,
                f"row has {len(row)} cells but the header names {len(header)} columns; "
                "skipped — quote cells that contain the delimiter",
            )
            continue
        record = dict(zip(header, row, strict=False))
        entry = entry_from_record(record, file=file, line=start, layout=Layout.CSV, outcome=outcome)
        if entry is not None:
            outcome.entries.append(entry)


def _warn_unknown(outcome: ParseOutcome, file: str, names: list[str]) -> None:
    unknown = unknown_fields(names)
    if unknown:
        outcome.warn(file, None, f"fields ignored (not used by taxonomist): {', '.join(unknown)}")
