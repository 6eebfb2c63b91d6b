"""The ingest part of outputs/run-report.json: what was read, merged, rejected and flagged."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.paper import Source


class FileSummary(BaseModel):
    """One input file: its detected layout and how many entries it gave."""

    model_config = ConfigDict(extra="forbid")

    file: str
    layout: str = Field(description="hf-blocks, hf-lines, hf-meta, jsonl, csv, bibtex or empty")
    encoding: str
    entries: int = Field(ge=0, description="entries read (incl. flagged ones)")
    rejected: int = Field(ge=0, description="entries or lines skipped, see `rejected`")


class SkippedFile(BaseModel):
    """A file found in a folder that was not read, and why."""

    model_config = ConfigDict(extra="forbid")

    file: str
    reason: str


class EntryIssue(BaseModel):
    """A rejected (not read) or flagged (read, with a flag) entry, with its place and the fix."""

    model_config = ConfigDict(extra="forbid")

    file: str
    line: int | None = None
    reason: str


class MergedTitle(BaseModel):
    """One spelling of a merged paper's title and where each occurrence was read."""

    model_config = ConfigDict(extra="forbid")

    title: str
    sources: list[Source] = Field(description="the first occurrences (at most 20)")
    more_sources: int = Field(default=0, ge=0, description="occurrences not listed in sources")


class Merge(BaseModel):
    """Several entries that became one paper."""

    model_config = ConfigDict(extra="forbid")

    kept_id: str
    key: str
    title: str = Field(description="the title the paper kept")
    method: Literal["exact", "fuzzy"] = Field(
        description="exact: equal normalized titles; fuzzy: similar titles (see scores)"
    )
    scores: list[float] = Field(default_factory=list, description="fuzzy link scores (0-100)")
    merged: list[MergedTitle]


class IngestReport(BaseModel):
    """Counts and details of one ingest; deterministic (sorted, no timestamps)."""

    model_config = ConfigDict(extra="forbid")

    files: list[FileSummary]
    skipped_files: list[SkippedFile] = Field(default_factory=list)
    entries: int = Field(ge=0, description="entries read over all files")
    papers: int = Field(ge=0, description="unique papers after de-duplication")
    duplicates_merged: int = Field(ge=0, description="entries - papers")
    fuzzy_merges: int = Field(ge=0, description="merged papers that needed the fuzzy match")
    merges: list[Merge] = Field(default_factory=list)
    rejected: list[EntryIssue] = Field(default_factory=list)
    flagged: list[EntryIssue] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
