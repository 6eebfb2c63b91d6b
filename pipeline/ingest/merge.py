"""Merge a group of duplicate entries into one Paper, the same way whatever the input order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pipeline.ingest.dedupe import Group
from pipeline.ingest.entries import RawEntry
from pipeline.ingest.keys import base_key, paper_id
from pipeline.ingest.normalize import extract_urls
from schemas.paper import Paper, Source
from schemas.report import Merge, MergedTitle

MAX_REPORTED_SOURCES = 20  # per merged title in the run report; papers.jsonl keeps them all
_OPTIONAL = ("authors_count", "organization", "date", "year", "upvotes", "url", "eprint")


@dataclass(frozen=True)
class Draft:
    """A merged paper before its citation key is known (keys need the whole corpus)."""

    id: str
    base_key: str
    fields: dict[str, object]
    group: Group
    retired_ids: tuple[str, ...]  # known ids that this merge absorbed (warned about)


def draft_paper(
    group: Group,
    known_keys: Mapping[str, str],
    known_titles: Mapping[str, str] | None = None,
    adoptable: dict[str, str] | None = None,
) -> Draft:
    """Id and fields of a group: a known id wins; fields come from the richest entry first.

    An entry with the title the paper had in the last run ranks first, so a variant of a known
    paper in a new dump (e.g. other capitalisation) adds a source without changing the paper.
    ``adoptable`` maps exact titles of the last run to their ids when no group computes that
    id any more (the normalization changed, e.g. it now keeps CJK letters): such a paper keeps
    its id and key; an adopted id is removed from the map so only one paper takes it.
    """
    ids = sorted(paper_id(title) for title in group.titles)
    known = [ident for ident in ids if ident in known_keys]
    if not known and adoptable:
        titles = sorted({entry.title for entry in group.entries})
        adopted = next((adoptable.pop(t) for t in titles if t in adoptable), None)
        known = [adopted] if adopted is not None else []
    ident = known[0] if known else ids[0]
    previous_title = (known_titles or {}).get(ident)
    # Entries with the same content rank alike; ranking one of each (the first by file and
    # line, which the tie-break would pick) keeps a paper listed 800,000 times cheap.
    entries = _by_place(group.entries)
    distinct: dict[tuple[object, ...], RawEntry] = {}
    for entry in entries:
        distinct.setdefault(_content(entry), entry)
    ranked = sorted(distinct.values(), key=lambda e: (e.title != previous_title, _rank(e)))
    best = ranked[0]
    fields: dict[str, object] = {"title": best.title, "abstract": best.abstract}
    for name in _OPTIONAL:
        fields[name] = next(
            (getattr(e, name) for e in ranked if getattr(e, name) is not None), None
        )
    authors = next((e.authors for e in ranked if e.authors), [])
    year = next((e.year for e in ranked if e.year is not None), None)
    fields["authors"] = authors
    fields["urls"] = _urls(ranked)
    flags = {flag for entry in group.entries for flag in entry.flags}
    if best.abstract:
        flags.discard("missing_abstract")
    fields["flags"] = sorted(flags)
    fields["sources"] = [
        _source(e)
        for index, e in enumerate(entries)
        if index == 0 or (e.file, e.line) != (entries[index - 1].file, entries[index - 1].line)
    ]
    return Draft(ident, base_key(best.title, authors, year), fields, group, tuple(known[1:]))


def build_paper(draft: Draft, key: str) -> Paper:
    return Paper.model_validate({"id": draft.id, "key": key, **draft.fields})


def merge_record(draft: Draft, paper: Paper) -> Merge | None:
    """The report line of a group of more than one entry, else None."""
    if len(draft.group.entries) < 2:
        return None
    # Reuse the paper's Source objects: a dump listing one paper 800,000 times has as many.
    by_place = {(source.file, source.line): source for source in paper.sources}
    by_title: dict[str, list[Source]] = {}
    for entry in draft.group.entries:
        by_title.setdefault(entry.title, []).append(by_place[(entry.file, entry.line)])
    merged = [
        MergedTitle(
            title=title,
            sources=sources[:MAX_REPORTED_SOURCES],
            more_sources=max(len(sources) - MAX_REPORTED_SOURCES, 0),
        )
        for title, sources in sorted(by_title.items())
    ]
    return Merge(
        kept_id=paper.id,
        key=paper.key,
        title=paper.title,
        method="fuzzy" if len(draft.group.titles) > 1 else "exact",
        scores=list(draft.group.fuzzy_scores),
        merged=merged,
    )


# Every Source has all its fields set; one shared set (frozen models never change theirs)
# instead of one set per Source saves 216 of 540 bytes per source: 180 MB for 826,000.
_ALL_SOURCE_FIELDS = set(Source.model_fields)


def _source(entry: RawEntry) -> Source:
    """The Source of an entry, built without re-validating what ingest produced."""
    return Source.model_construct(
        _ALL_SOURCE_FIELDS, file=entry.file, line=entry.line, layout=entry.layout.value
    )


def _by_place(entries: tuple[RawEntry, ...]) -> tuple[RawEntry, ...]:
    """Entries sorted by file and line (group_entries gives them so; not re-sorted then)."""
    ordered = all(
        (a.file, a.line) <= (b.file, b.line) for a, b in zip(entries, entries[1:], strict=False)
    )
    return entries if ordered else tuple(sorted(entries, key=lambda e: (e.file, e.line)))


def _content(entry: RawEntry) -> tuple[object, ...]:
    """Everything but the place: entries equal in this are interchangeable when merging."""
    return (
        entry.title,
        entry.abstract,
        tuple(entry.authors),
        tuple(entry.flags),
        *(getattr(entry, name) for name in _OPTIONAL),
    )


def _rank(entry: RawEntry) -> tuple[int, int, int, str, str, int]:
    """Longest abstract, then most metadata, then a fixed tie-break independent of input order."""
    return (
        -len(entry.abstract),
        -entry.metadata_count(),
        -len(entry.title),
        entry.title,
        entry.file,
        entry.line,
    )


def _urls(ranked: list[RawEntry]) -> list[str]:
    urls: list[str] = []
    for entry in ranked:
        urls.extend(url for url in extract_urls(entry.abstract) if url not in urls)
    return urls
