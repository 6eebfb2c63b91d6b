"""`ingest(paths)`: read every dump, de-duplicate, and return the corpus with its report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError
from pipeline.ingest.dedupe import ComparedTitles, group_entries
from pipeline.ingest.detect import parse_text
from pipeline.ingest.entries import Issue, RawEntry
from pipeline.ingest.files import InputFile, collect_files, decode
from pipeline.ingest.keys import assign_keys, paper_id
from pipeline.ingest.merge import Draft, build_paper, draft_paper, merge_record
from schemas.paper import Corpus, Paper
from schemas.report import EntryIssue, FileSummary, IngestReport, Merge, SkippedFile


@dataclass(frozen=True)
class IngestResult:
    """The corpus (papers sorted by id) and the report of how it was read."""

    corpus: Corpus
    report: IngestReport
    known_keys: Mapping[str, str] = field(default_factory=dict)

    @property
    def keys(self) -> dict[str, str]:
        """id -> key to persist for the next run: this corpus plus every key known before."""
        current = {paper.id: paper.key for paper in self.corpus.papers}
        return dict(sorted({**self.known_keys, **current}.items()))


@dataclass
class _Reading:
    """What the files gave, accumulated file by file."""

    entries: list[RawEntry] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    files: list[FileSummary] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)


def ingest(
    paths: Sequence[Path],
    known_keys: Mapping[str, str] | None = None,
    known_titles: Mapping[str, str] | None = None,
    compared: ComparedTitles | None = None,
) -> IngestResult:
    """Read dump files and folders into a de-duplicated corpus with stable ids and keys.

    Raises InputError for a missing path, or for a file named explicitly that is binary or in
    no known layout; such files found inside a folder are skipped with a warning instead.
    """
    known = dict(sorted((known_keys or {}).items()))
    files, skipped = collect_files(paths)
    reading = _Reading(skipped=[SkippedFile(file=name, reason=why) for name, why in skipped])
    for item in files:
        _read_file(item, reading)
    groups = group_entries(reading.entries, compared)
    computed = {paper_id(title) for group in groups for title in group.titles}
    adoptable = {
        title: ident
        for ident, title in sorted((known_titles or {}).items())
        if ident in known and ident not in computed
    }
    drafts = [draft_paper(group, known, known_titles, adoptable) for group in groups]
    keys = assign_keys({draft.id: draft.base_key for draft in drafts}, known)
    papers: list[Paper] = []
    merges: list[Merge] = []
    for draft in drafts:
        paper = build_paper(draft, keys[draft.id])
        papers.append(paper)
        if (merge := merge_record(draft, paper)) is not None:
            merges.append(merge)
        reading.issues.extend(_retired_warnings(draft, known, paper.key))
    papers.sort(key=lambda paper: paper.id)
    merges.sort(key=lambda merge: merge.kept_id)
    return IngestResult(Corpus(papers=papers), _report(reading, len(papers), merges), known)


def _read_bytes(item: InputFile) -> bytes:
    try:
        return item.path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"cannot read it ({exc.strerror}) — check permissions", file=item.name
        ) from exc


def _read_file(item: InputFile, reading: _Reading) -> None:
    data: bytes | None = _read_bytes(item)
    try:
        decoded = decode(data or b"", item.name)
        data = None  # release the bytes before parsing (a dump may be hundreds of MB)
        if not decoded.text or decoded.text.isspace():
            reading.issues.append(Issue(item.name, None, "warning", "empty file; no entries"))
            reading.files.append(_summary(item, "empty", decoded.encoding, 0, 0))
            return
        layout, outcome = parse_text(decoded.text, item.name)
    except InputError as exc:
        if item.explicit:
            raise
        reading.skipped.append(SkippedFile(file=item.name, reason=f"{exc}; skipped"))
        return
    if decoded.warning:
        warning = Issue(item.name, decoded.warning_line, "warning", decoded.warning)
        reading.issues.append(warning)
    rejected = sum(1 for issue in outcome.issues if issue.kind == "rejected")
    entries = len(outcome.entries)
    reading.files.append(_summary(item, layout.value, decoded.encoding, entries, rejected))
    reading.entries.extend(outcome.entries)
    reading.issues.extend(outcome.issues)


def _summary(
    item: InputFile, layout: str, encoding: str, entries: int, rejected: int
) -> FileSummary:
    return FileSummary(
        file=item.name, layout=layout, encoding=encoding, entries=entries, rejected=rejected
    )


def _retired_warnings(draft: Draft, known: Mapping[str, str], key: str) -> list[Issue]:
    return [
        Issue(
            "",
            None,
            "warning",
            f"known paper {retired} (key {known[retired]!r}) is now a duplicate of {draft.id} "
            f"and merged into it; {draft.id} keeps key {key!r} and {known[retired]!r} stays "
            "reserved",
        )
        for retired in draft.retired_ids
    ]


def _report(reading: _Reading, papers: int, merges: list[Merge]) -> IngestReport:
    def issues(kind: str) -> list[EntryIssue]:
        chosen = [issue for issue in reading.issues if issue.kind == kind]
        chosen.sort(key=lambda issue: (issue.file, issue.line or 0, issue.reason))
        return [EntryIssue(file=i.file, line=i.line, reason=i.reason) for i in chosen]

    skipped = sorted(reading.skipped, key=lambda item: item.file)
    warnings = sorted(
        issue.message() if issue.file else issue.reason
        for issue in reading.issues
        if issue.kind == "warning"
    )
    warnings += [f"{item.file}: {item.reason}" for item in skipped]
    return IngestReport(
        files=sorted(reading.files, key=lambda item: item.file),
        skipped_files=skipped,
        entries=len(reading.entries),
        papers=papers,
        duplicates_merged=len(reading.entries) - papers,
        fuzzy_merges=sum(1 for merge in merges if merge.method == "fuzzy"),
        merges=merges,
        rejected=issues("rejected"),
        flagged=issues("flagged"),
        warnings=warnings,
    )
