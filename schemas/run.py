"""The per-stage part of outputs/run-report.json."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class StageStats(BaseModel):
    """Counts for one stage of one run; deterministic (no timestamps, no durations)."""

    model_config = ConfigDict(extra="forbid")

    model: str = ""
    papers: int = 0
    calls: int = Field(default=0, description="model requests made (incl. re-asks and retries)")
    cache_hits: int = 0
    reasks: int = 0
    retries: int = 0
    failed: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    cost_known: bool = True
    largest_request_tokens: int = Field(
        default=0, description="estimated input tokens of the stage's largest request"
    )
    why: dict[str, int] = Field(
        default_factory=dict, description="why calls were made: new paper, changed prompt, ..."
    )


class FailedPaper(BaseModel):
    model_config = ConfigDict(extra="forbid")

    stage: str
    paper_id: str
    title: str
    error: str
