"""The token ceiling of every request: what fits a model's context window.

Every request of every stage is estimated (4 characters a token, plus the response schema
instructor adds, as for cost estimates) before it is sent. Paper stages cut their batches so a
batch fits; the synthesize stage splits a section's papers into parts that fit (map-reduce); a
request that still does not fit fails with a message naming the ceiling instead of being sent.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from pipeline.seam.budget import request_tokens
from pipeline.seam.settings import DEFAULT_CONTEXT_TOKENS, ModelConfig, answer_tokens

__all__ = [
    "DEFAULT_CONTEXT_TOKENS",
    "BatchCutter",
    "RequestTooLarge",
    "check_ceiling",
    "context_overflow",
]
# Room kept free below the ceiling for what an estimate of 4 characters a token may miss.
SAFETY = 0.9

T = TypeVar("T")


class RequestTooLarge(ValueError):
    """A request whose estimated input exceeds its model's token ceiling (never retried)."""


def input_tokens(stage: str, messages: list[dict[str, str]]) -> int:
    """Estimated input tokens of one request."""
    return request_tokens(stage, messages, 0)[0]


def item_tokens(item: Any) -> int:
    """Estimated tokens one item (a paper, a summary) adds to a request's data."""
    return len(json.dumps(item, ensure_ascii=False, sort_keys=True)) // 4 + 1


def check_ceiling(stage: str, model: str, ceiling: int, messages: list[dict[str, str]]) -> int:
    """The request's estimated input tokens; RequestTooLarge when over ``ceiling``."""
    tokens = input_tokens(stage, messages)
    if tokens > ceiling:
        raise RequestTooLarge(
            f"the '{stage}' request has ~{tokens} input tokens, over the ceiling of {ceiling} "
            f"for {model}: raise --context-tokens if the model's context window is larger, or "
            "lower --papers-per-call"
        )
    return tokens


def context_overflow(
    config: ModelConfig, stage: str, messages: list[dict[str, str]], n_items: int
) -> str | None:
    """Why a request cannot fit ``--context-tokens`` (prompt + answer), or None when it fits."""
    if not config.context_tokens:
        return None
    prompt_tokens, _ = request_tokens(stage, messages, n_items)
    needed = prompt_tokens + answer_tokens(stage, n_items)
    if needed <= config.context_tokens:
        return None
    return (
        f"the request needs about {needed} tokens ({prompt_tokens} prompt + "
        f"{answer_tokens(stage, n_items)} answer) but --context-tokens is "
        f"{config.context_tokens}: use a model with a larger context, or shorten the "
        "taxonomy's leaf descriptions"
    )


class BatchCutter(Generic[T]):
    """Cuts a stream of items into batches of at most ``size`` items and ``room`` tokens."""

    def __init__(self, size: int, room: int):
        self.size = max(1, size)
        self.room = room
        self.items: list[T] = []
        self.tokens = 0

    def add(self, item: T, tokens: int) -> list[list[T]]:
        """Add one item; returns the batches completed by it (zero, one or two)."""
        done: list[list[T]] = []
        if self.items and self.tokens + tokens > self.room:
            done.append(self.flush())
        self.items.append(item)
        self.tokens += tokens
        if len(self.items) >= self.size:
            done.append(self.flush())
        return done

    def flush(self) -> list[T]:
        batch, self.items, self.tokens = self.items, [], 0
        return batch


def split_to_fit(items: Sequence[T], tokens: Callable[[T], int], room: int) -> list[list[T]]:
    """``items`` cut, in order, into the fewest consecutive parts within ``room`` tokens each
    (an item larger than ``room`` is a part of its own, which the ceiling check then refuses).

    Each part is filled before the next starts, so items appended at the end (new papers in
    (year, key) order) leave the earlier parts, and their prose, as they were.
    """
    split: list[list[T]] = [[]]
    used = 0
    for item in items:
        size = tokens(item)
        if split[-1] and used + size > room:
            split.append([])
            used = 0
        split[-1].append(item)
        used += size
    return split
