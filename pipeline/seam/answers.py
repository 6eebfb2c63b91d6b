"""What the cache stores for a stage answer, and why a call had to be made.

Each answer is stored with a fingerprint of what shaped it (prompt, taxonomy, paper, schema,
parameters); a small index entry per (stage, model, paper) remembers the last fingerprint, so a
later miss can say what changed ("new paper", "changed prompt+taxonomy", ...).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ValidationError

from pipeline.seam.cache import KEY_VERSION, AnswerCache, canonical_json

logger = logging.getLogger(__name__)


# One cache miss of a paper stage: the paper as the prompt shows it, its cache key, its fingerprint.
Miss = tuple[dict[str, str], str, dict[str, Any]]


@dataclass
class Answer:
    """The outcome for one paper of one stage: a validated value, or the last error."""

    paper_id: str
    value: BaseModel | None
    error: str | None = None
    cached: bool = False


def digest(value: Any) -> str:
    """sha256 of canonical JSON (schemas and parameters enter cache keys as digests)."""
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()


@lru_cache(maxsize=64)
def _text_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def key_messages(messages: list[dict[str, str]]) -> list[dict[str, str]]:
    """Messages as they enter a cache key; the long static system text by its digest."""
    return [
        {"role": "system", "sha256": _text_digest(m["content"])} if m["role"] == "system" else m
        for m in messages
    ]


def cached_value(
    record: dict[str, Any] | None, model: type[BaseModel], context: dict[str, Any]
) -> BaseModel | None:
    """A cached answer validated like a fresh one; an invalid entry counts as a miss."""
    if record is None:
        return None
    try:
        return model.model_validate(record.get("answer"), context=context)
    except (ValidationError, AttributeError):
        logger.warning("ignoring an invalid cached %s answer; asking again", model.__name__)
        return None


def answer_record(
    stage: str,
    model: str,
    value: BaseModel,
    usage: dict[str, float],
    fingerprint: dict[str, Any],
) -> dict[str, Any]:
    """The cache value of one answer (never any credential: only model name and content)."""
    return {
        "stage": stage,
        "model": model,
        "answer": value.model_dump(mode="json"),
        "usage": {k: round(v, 6) for k, v in sorted(usage.items())},
        "fingerprint": fingerprint,
    }


def index_key(stage: str, model: str, item_id: str) -> str:
    return f"{KEY_VERSION}:idx:{stage}:{model}:{item_id}"


def index_entry(
    stage: str, model: str, item_id: str, fingerprint: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    return (
        index_key(stage, model, item_id),
        {"stage": "index", "model": model, "fingerprint": fingerprint},
    )


def why(cache: AnswerCache, stage: str, model: str, fingerprint: dict[str, Any], new: str) -> str:
    """Why this item was not in the cache: new, or which parts of its fingerprint changed."""
    previous = cache.get(index_key(stage, model, str(fingerprint.get("paper_id", ""))))
    if previous is None:
        return new
    old = previous.get("fingerprint", {})
    changed = [name for name in fingerprint if old.get(name) != fingerprint[name]]
    return ("changed " + "+".join(changed)) if changed else "not cached"
