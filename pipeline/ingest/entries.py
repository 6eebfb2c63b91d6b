"""What a parser hands on: raw entries (one per occurrence in a file) and per-entry issues."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Layout(StrEnum):
    """The input layouts ingest understands; the value is what reports and sources show."""

    HF_BLOCKS = "hf-blocks"
    HF_LINES = "hf-lines"
    HF_META = "hf-meta"
    JSONL = "jsonl"
    CSV = "csv"
    BIBTEX = "bibtex"


LAYOUT_HELP: dict[Layout, str] = {
    Layout.HF_BLOCKS: "Daily Papers listing: title line, blank line, abstract line, blank line",
    Layout.HF_LINES: "Daily Papers listing: title and abstract lines alternating, no blank lines",
    Layout.HF_META: "Daily Papers listing: blocks followed by '• N authors' / '·' / date lines",
    Layout.JSONL: "JSON Lines: one object per line with 'title' and 'abstract'",
    Layout.CSV: "CSV/TSV with a header row naming 'title' and 'abstract' columns",
    Layout.BIBTEX: "BibTeX: @article{...} entries with title (and abstract) fields",
}


def preview(text: str, limit: int = 60) -> str:
    """A title or line quoted for a message, cut to `limit` characters with an ellipsis."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def known_layouts() -> str:
    """One line per layout, for error messages that say what would have been accepted."""
    return "\n".join(f"  - {layout.value}: {text}" for layout, text in LAYOUT_HELP.items())


@dataclass(slots=True)
class RawEntry:
    """One occurrence of a paper in one file; several may merge into one Paper."""

    title: str
    abstract: str
    file: str
    line: int
    layout: Layout
    authors: list[str] = field(default_factory=list)
    authors_count: int | None = None
    organization: str | None = None
    date: str | None = None
    year: int | None = None
    upvotes: int | None = None
    url: str | None = None
    eprint: str | None = None
    flags: list[str] = field(default_factory=list)

    def metadata_count(self) -> int:
        """How many optional fields are known; ranks duplicates when merging."""
        values = [
            self.authors or None,
            self.authors_count,
            self.organization,
            self.date,
            self.year,
            self.upvotes,
            self.url,
            self.eprint,
        ]
        return sum(value is not None for value in values)


@dataclass(frozen=True)
class Issue:
    """A rejected or flagged entry, or a file-level warning, with its place and the fix."""

    file: str
    line: int | None
    kind: str  # "rejected" | "flagged" | "warning"
    reason: str

    def message(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.reason}"


@dataclass
class ParseOutcome:
    """Entries and issues of one file."""

    entries: list[RawEntry] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def reject(self, file: str, line: int | None, reason: str) -> None:
        self.issues.append(Issue(file, line, "rejected", reason))

    def flag(self, file: str, line: int | None, reason: str) -> None:
        self.issues.append(Issue(file, line, "flagged", reason))

    def warn(self, file: str, line: int | None, reason: str) -> None:
        self.issues.append(Issue(file, line, "warning", reason))
