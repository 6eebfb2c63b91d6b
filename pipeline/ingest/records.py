"""Turn one structured record (a JSON object, a CSV row, a BibTeX entry) into a RawEntry."""

from __future__ import annotations

import re
from collections.abc import Mapping

from pipeline.ingest.entries import Layout, ParseOutcome, RawEntry, preview
from pipeline.ingest.normalize import clean_text, latex_to_text, parse_date

# Field names a record may use, mapped to ours; matched case-insensitively.
FIELD_ALIASES: dict[str, str] = {
    "title": "title",
    "abstract": "abstract",
    "summary": "abstract",
    "date": "date",
    "published": "date",
    "year": "year",
    "url": "url",
    "link": "url",
    "authors": "authors",
    "author": "authors",
    "eprint": "eprint",
    "arxiv": "eprint",
    "arxiv_id": "eprint",
}
MAX_AUTHORS = 100  # more names are counted ("and others"), not listed
MAX_AUTHOR_CHARS = 200
_SURROGATE = re.compile("[\ud800-\udfff]")
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_YEAR = re.compile(r"^\d{4}$")


def unknown_fields(names: list[str]) -> list[str]:
    """Field names no alias covers (reported once per file, not silently dropped)."""
    return sorted({name for name in names if name.strip().lower() not in FIELD_ALIASES})


def entry_from_record(
    record: Mapping[str, object],
    *,
    file: str,
    line: int,
    layout: Layout,
    outcome: ParseOutcome,
    latex: bool = False,
) -> RawEntry | None:
    """The entry of a record, or None (and a 'rejected' issue) when it has no usable title."""
    fields = _canonical(record)
    bad = [name for name, value in fields.items() if not _scalar_or_list(value)]
    raw_title = fields.get("title")
    title = _text(raw_title, latex) if isinstance(raw_title, str | list) else ""
    if not title or bad:
        if isinstance(raw_title, bool | int | float):
            what = f"its title is {_json_kind(raw_title)}, not text"
        elif bad:
            what = f"field(s) {bad} hold neither text nor a number"
        else:
            what = "it has no title"
        outcome.reject(file, line, f"record skipped because {what} — give it a 'title' text")
        return None
    names = _authors(fields.get("authors"), latex)
    entry = RawEntry(
        title=title,
        abstract=_text(fields.get("abstract"), latex),
        file=file,
        line=line,
        layout=layout,
        authors=[name[:MAX_AUTHOR_CHARS] for name in names[:MAX_AUTHORS]],
        url=_text(fields.get("url"), latex=False) or None,
        eprint=_text(fields.get("eprint"), latex=False) or None,
    )
    if len(names) > MAX_AUTHORS:
        entry.authors_count = len(names)
        outcome.warn(
            file,
            line,
            f"{len(names):,} authors; the first {MAX_AUTHORS} are kept and the rest counted "
            "('and others') — separate authors with ' and ' or ';' if commas split names",
        )
    _replace_surrogates(entry, outcome)
    _set_date(entry, fields, outcome)
    if not entry.abstract:
        entry.flags.append("missing_abstract")
        outcome.flag(
            file,
            line,
            f"entry {preview(title)} has a title but no abstract; kept and flagged "
            "missing_abstract — add an 'abstract' field",
        )
    return entry


def _scalar_or_list(value: object) -> bool:
    """Text, a number (not a JSON true/false), or a flat list of those."""
    if isinstance(value, list):
        return all(isinstance(item, str | int) and not isinstance(item, bool) for item in value)
    return isinstance(value, str | int) and not isinstance(value, bool)


def _json_kind(value: bool | int | float) -> str:
    if isinstance(value, bool):
        return f"the value {str(value).lower()}"
    return f"a number ({value})"


def _replace_surrogates(entry: RawEntry, outcome: ParseOutcome) -> None:
    """Lone UTF-16 surrogates ("\\ud800" in JSON) cannot be written as UTF-8: replace them."""
    texts = [entry.title, entry.abstract, *entry.authors]
    if not any(_SURROGATE.search(text) for text in texts):
        return
    entry.title = _SURROGATE.sub("\ufffd", entry.title)
    entry.abstract = _SURROGATE.sub("\ufffd", entry.abstract)
    entry.authors = [_SURROGATE.sub("\ufffd", name) for name in entry.authors]
    outcome.warn(
        entry.file,
        entry.line,
        "lone UTF-16 surrogate escape (such as \\ud800) replaced by U+FFFD '\ufffd' — fix the "
        "escape in the file (a character outside the BMP is written as a pair)",
    )


def _canonical(record: Mapping[str, object]) -> dict[str, object]:
    fields: dict[str, object] = {}
    for name, value in record.items():
        ours = FIELD_ALIASES.get(str(name).strip().lower())
        if ours is not None and value not in (None, "") and ours not in fields:
            fields[ours] = value
    return fields


def _text(value: object, latex: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = " ".join(str(item) for item in value)
    text = clean_text(str(value))
    return latex_to_text(text) if latex else text


def _authors(value: object, latex: bool) -> list[str]:
    if isinstance(value, list):
        names = [str(item) for item in value]
    elif isinstance(value, str):
        separator = _AND if _AND.search(value) else re.compile(";") if ";" in value else None
        names = separator.split(value) if separator else value.split(",")
    else:
        names = []
    cleaned = (_text(name, latex) for name in names)
    return [name for name in cleaned if name]


def _set_date(entry: RawEntry, fields: Mapping[str, object], outcome: ParseOutcome) -> None:
    raw_date = _text(fields.get("date"), latex=False)
    raw_year = _text(fields.get("year"), latex=False)
    if raw_date:
        entry.date, entry.year = parse_date(raw_date)
        if entry.date is None:
            outcome.flag(
                entry.file,
                entry.line,
                f"date {raw_date[:40]!r} not understood and left empty — write it as "
                "YYYY-MM-DD, YYYY-MM, YYYY or 'Nov 28, 2023'",
            )
    if raw_year and entry.year is None:
        if _YEAR.match(raw_year):
            entry.year = int(raw_year)
            entry.date = entry.date or raw_year
        else:
            outcome.flag(
                entry.file, entry.line, f"year {raw_year[:20]!r} is not a 4-digit year; ignored"
            )
