"""The corpus: papers read from dumps, with provenance."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Source(BaseModel):
    """Where an entry was read: a path relative to the working directory and a 1-based line."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str
    line: int = Field(ge=1)
    layout: str


class Paper(BaseModel):
    """One de-duplicated paper of the corpus."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="stable id derived from the normalized title")
    key: str = Field(description="stable citation key, unique in the corpus")
    title: str
    abstract: str = ""
    sources: list[Source]
    authors: list[str] = Field(default_factory=list)
    authors_count: int | None = None
    organization: str | None = None
    date: str | None = Field(default=None, description="ISO date: YYYY-MM-DD, YYYY-MM or YYYY")
    year: int | None = None
    upvotes: int | None = None
    url: str | None = None
    eprint: str | None = None
    urls: list[str] = Field(default_factory=list, description="URLs found in the abstract")
    flags: list[str] = Field(default_factory=list, description="e.g. missing_abstract")


class Corpus(BaseModel):
    """All papers, sorted by id."""

    model_config = ConfigDict(extra="forbid")

    papers: list[Paper]
