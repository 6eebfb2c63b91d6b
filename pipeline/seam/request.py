"""One model request: instructor over litellm, with the validator's re-asks, and what it cost.

The same function runs in this process or in a worker process (pipeline/seam/workers.py); transport
retries, the budget and the rate limit stay with the caller (``Seam``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from pipeline.seam.compact import register_batch

if TYPE_CHECKING:
    from pipeline.seam.settings import ModelConfig


@functools.cache
def strict_batch(item_model: type[BaseModel]) -> type[BaseModel]:
    """Response model for a one-paper call: exactly one fully validated item."""
    model: type[BaseModel] = create_model(
        f"{item_model.__name__}Answer",
        __config__=ConfigDict(extra="forbid"),
        items=(list[item_model], Field(min_length=1, max_length=1)),  # type: ignore[valid-type]
    )
    return model


@functools.cache
def loose_batch(item_model: type[BaseModel]) -> type[BaseModel]:
    """Response model for a multi-paper call: items are checked one by one afterwards.

    The model is shown the item's schema (pipeline/seam/compact.py), once."""
    model: type[BaseModel] = create_model(
        f"{item_model.__name__}Batch",
        __config__=ConfigDict(extra="forbid"),
        items=(list[dict[str, Any]], Field(description="one object per paper")),
    )
    register_batch(model, item_model)
    return model


@dataclass(frozen=True)
class Listener:
    """What a request reports as it goes: each attempt sent, each response's bill, each re-ask."""

    on_request: Callable[[], None]
    # (input tokens, output tokens, USD cost or None when the model is not priced)
    on_response: Callable[[float, float, float | None], None]
    on_reask: Callable[[], None]


@dataclass(frozen=True)
class ModelRequest:
    """What one request asks: the model, the rendered messages and how to validate the answer."""

    config: ModelConfig
    messages: list[dict[str, str]]
    response_model: type[BaseModel]
    context: dict[str, Any] | None  # the validators' context: {"papers", "taxonomy"}


async def model_request(request: ModelRequest, listener: Listener) -> BaseModel:
    """Ask ``request.config.model``; instructor validates the answer and re-asks."""
    from pipeline.seam.providers import instructor_client, litellm_kwargs, response_cost
    from pipeline.seam.providers import response_model as instructor_model

    config = request.config
    client, hooks_factory = instructor_client(config.mode)

    def on_response(response: Any) -> None:
        tokens = getattr(response, "usage", None)
        listener.on_response(
            float(getattr(tokens, "prompt_tokens", 0) or 0),
            float(getattr(tokens, "completion_tokens", 0) or 0),
            response_cost(response, config.model),
        )

    sent = 0

    def on_request(**_: Any) -> None:
        # Every request after the first of this call is a re-ask with the validator's message;
        # counted as sent, so the run report's re-asks match the requests a server saw.
        nonlocal sent
        sent += 1
        listener.on_request()
        if sent > 1:
            listener.on_reask()

    hooks = hooks_factory()
    hooks.on("completion:kwargs", on_request)
    hooks.on("completion:response", on_response)
    value, _ = await client.chat.completions.create_with_completion(
        messages=[dict(m) for m in request.messages],
        response_model=instructor_model(request.response_model),
        context=request.context,
        # instructor's max_retries=N makes N+1 attempts (tests/test_model_plumbing.py)
        max_retries=config.max_reasks,
        hooks=hooks,
        **litellm_kwargs(config),
    )
    return value  # type: ignore[no-any-return]


def numbered(papers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Papers as a model sees them: ``paper_id`` is the position in the request ("1", "2", …).

    A small model copies "2" reliably where it drops the "p" of "p000fc00bb919" (issue 17); the
    seam maps positions back to paper ids, and answers are cached under the real id."""
    return [
        {**paper, "paper_id": str(position)} if "paper_id" in paper else paper
        for position, paper in enumerate(papers, start=1)
    ]
