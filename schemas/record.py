"""One line of outputs/papers.jsonl: a paper with every stage's result merged in."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from schemas.paper import Paper
from schemas.stages import Kind, Result


class PaperRecord(Paper):
    """A paper plus its screening, classification and extraction (None where not run/failed)."""

    model_config = ConfigDict(extra="forbid")

    relevant: bool | None = None
    kind: Kind | None = None
    reason: str | None = None
    confidence: float | None = Field(
        default=None, description="the model's calibrated confidence in relevance and primary"
    )
    primary: str | None = None
    leaves: list[str] = Field(default_factory=list)
    levels: list[str] = Field(default_factory=list, description="sorted level ids of `leaves`")
    evidence: dict[str, str] = Field(default_factory=dict, description="leaf id -> verbatim quote")
    techniques: list[str] = Field(default_factory=list)
    models: list[str] = Field(default_factory=list)
    hardware: list[str] = Field(default_factory=list)
    results: list[Result] = Field(default_factory=list)
    failed: dict[str, str] = Field(
        default_factory=dict, description="stage -> last error, for stages that failed"
    )


class SectionText(BaseModel):
    """Prose of one survey section; sentences cite papers as [@key]; one sentence per item."""

    model_config = ConfigDict(extra="forbid")

    section: str = Field(description="leaf id, or 'introduction', 'surveys', 'challenges'")
    sentences: list[str] = Field(min_length=1)
    paragraph_starts: list[int] = Field(
        default_factory=list,
        description="indices of the sentences that open a new paragraph (besides the first)",
    )
