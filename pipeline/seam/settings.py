"""How the seam talks to models: per-stage model configuration and run-wide settings."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.seam.retry import RetryPolicy

DEFAULT_MODEL = "local/taxonomist"
# Input tokens of one request to a remote model (see pipeline/seam/context.py); the embedded
# model declares its own (pipeline/local_model/registry.py, CONTEXT_TOKENS).
DEFAULT_CONTEXT_TOKENS = 32_000
LOCAL_WORKERS_FROM = 2000  # papers from which the embedded model runs in worker processes


@dataclass(frozen=True)
class ModelConfig:
    """How one stage talks to its model; everything but api_base/timeout is in the cache key."""

    model: str = DEFAULT_MODEL
    api_base: str | None = None
    mode: str = "json"
    temperature: float = 0.0
    timeout: float = 120.0
    max_reasks: int = 2
    papers_per_call: int | None = None  # None: 16 for remote models, 32 for the local one
    # Answer tokens allowed for one request; the seam sets it per request from the stage and
    # the number of items (ANSWER_TOKENS). Not in the cache key: an answer cut short fails
    # validation and is never cached, so the limit cannot change a cached answer.
    max_tokens: int | None = None
    # Input tokens one request may carry (the model's context window, less room for the answer);
    # None: the model's own (`ceiling`).
    context_tokens: int | None = None

    @property
    def embedded(self) -> bool:
        """The embedded model (``local/...``): it answers from the taxonomy behind the hash in
        its prompt, and its cache keys name the parts of it each answer reads."""
        return self.model.startswith("local/")

    @property
    def ceiling(self) -> int:
        """Input tokens one request may carry: ``context_tokens`` when set, else the embedded
        model's declared window for ``local/`` models and DEFAULT_CONTEXT_TOKENS for others."""
        if self.context_tokens:
            return self.context_tokens
        if self.embedded:
            from pipeline.local_model.registry import CONTEXT_TOKENS

            return CONTEXT_TOKENS
        return DEFAULT_CONTEXT_TOKENS

    @property
    def batch_size(self) -> int:
        if self.papers_per_call:
            return self.papers_per_call
        # Remote: the static prefix (instructions, taxonomy, schema: 260-390 tokens) is below the
        # 1,024 tokens from which providers cache a prefix, so it is paid in full per call; 16
        # papers make it ~20 tokens per paper and stage (bench/llm_path.py: 994 input tokens per
        # paper at 16, 1,046 at 8) in requests of ~6-7k tokens, and an item that fails
        # validation is re-asked alone. Local: per-call overhead is all litellm/instructor.
        return 32 if self.embedded else 16

    def parameters(self) -> dict[str, Any]:
        parameters: dict[str, Any] = {"mode": self.mode, "temperature": self.temperature}
        if self.embedded:
            # The embedded model's answers change with its code, not its name: a new version
            # of taxonomist must not replay answers of the old one.
            from pipeline.local_model.registry import local_model_version

            parameters["local_model_version"] = local_model_version()
        return parameters


# Answer tokens per item of a stage, sized to its schema: a screening is an id, a boolean, a kind
# and a sentence (~60 tokens); a classification up to 4 leaves with a quote each (~300); an
# extraction up to 8 results with quotes (~600); a section a few dozen sentences. Generous,
# because a valid answer cut short is lost; a small model without a limit rambles to its
# context size (210-274 s per call in issue 17).
ANSWER_TOKENS = {"screen": 150, "classify": 450, "extract": 800, "synthesize": 4000}
ANSWER_TOKENS_DEFAULT = 2000
ANSWER_OVERHEAD_TOKENS = 32  # {"items": [...]} and whitespace


def answer_tokens(stage: str, items: int) -> int:
    """The ``max_tokens`` of a request of ``stage`` that answers ``items`` items."""
    per_item = ANSWER_TOKENS.get(stage, ANSWER_TOKENS_DEFAULT)
    return ANSWER_OVERHEAD_TOKENS + per_item * max(1, items)


@dataclass(frozen=True)
class AskSettings:
    """Run-wide behaviour of the seam."""

    replay: bool = False
    dry_run: bool = False
    concurrency: int = 8
    requests_per_minute: float | None = None
    max_cost: float | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    workers: int | None = None  # processes making requests; None: see worker_count
    # --batch: paper stages' misses go as one provider batch (pipeline/seam/batch.py)
    batch: bool = False
    batch_dir: Path = Path(".taxonomist") / "batches"  # batch ids, so a rerun resumes polling
    batch_poll_seconds: float = 30.0
    papers: int = 0  # papers of the run: a large corpus puts the embedded model on every core

    def worker_count(self, config: ModelConfig) -> int:
        """Processes that make this model's requests (1: this process, no workers).

        One process spends ~9 ms of CPU per request inside litellm, the openai SDK and
        instructor, so it keeps about 8 requests of a fast server (100 ms) in flight; beyond
        that, requests go to one worker process per 8 in flight, up to the number of CPUs
        (bench/llm_path.py). The embedded model answers in-process unless asked otherwise.
        """
        if self.workers is not None:
            return max(1, self.workers)
        if config.embedded:
            # Its CPU work is the request itself: worth the processes' start-up (~2 s each)
            # only for a large corpus (bench/scale.py --workers).
            return (os.cpu_count() or 1) if self.papers >= LOCAL_WORKERS_FROM else 1
        return max(1, min(os.cpu_count() or 1, -(-self.concurrency // 8)))
