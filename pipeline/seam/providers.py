"""litellm and instructor set-up: offline-safe environment, the local provider, costs.

Imported only when a model call is needed (litellm costs ~2.4 s to import).
"""

from __future__ import annotations

import copy
import functools
import json
import os
from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError, create_model

from pipeline.seam.compact import prompt_schema

if TYPE_CHECKING:
    from pipeline.seam.settings import ModelConfig

LOCAL_PROVIDER = "local"


@cache
def litellm_module() -> Any:
    """Import litellm once, offline-safe: no cost-map fetch, no hub downloads, quiet."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("LITELLM_LOG", "ERROR")
    import logging

    import litellm

    # litellm warns at WARNING level about our zero-priced local model on every start.
    for name in ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy"):
        logging.getLogger(name).setLevel(logging.ERROR)
    litellm.suppress_debug_info = True
    litellm.telemetry = False
    _register_local_provider(litellm)
    return litellm


def _register_local_provider(litellm: Any) -> None:
    from pipeline.local_model.provider import LOCAL_MODELS, LocalProvider

    handler = LocalProvider()
    providers = [p for p in litellm.custom_provider_map if p.get("provider") != LOCAL_PROVIDER]
    litellm.custom_provider_map = [
        *providers,
        {"provider": LOCAL_PROVIDER, "custom_handler": handler},
    ]
    from litellm.utils import custom_llm_setup

    custom_llm_setup()
    litellm.register_model(
        {
            name: {
                "input_cost_per_token": 0.0,
                "output_cost_per_token": 0.0,
                "litellm_provider": LOCAL_PROVIDER,
                "mode": "chat",
                "max_tokens": 100_000,
                "max_input_tokens": 100_000,
                "max_output_tokens": 100_000,
            }
            for name in LOCAL_MODELS
        }
    )


def instructor_client(mode: str) -> tuple[Any, Any]:
    """An async instructor client over litellm.acompletion, and the Hooks class."""
    return _client(mode), _hooks_class()


@cache
def _client(mode: str) -> Any:
    from pipeline.seam.modes import instructor_client as client_for

    return client_for(mode, litellm_module().acompletion)


@cache
def _hooks_class() -> Any:
    from instructor.v2.core.hooks import Hooks

    return Hooks


@cache
def response_model(model: type[BaseModel]) -> type[BaseModel]:
    """``model`` as instructor wants it, built once per class instead of once per request.

    instructor wraps a plain pydantic model in its ``ResponseSchema`` on every request (a
    pydantic ``create_model``) and its JSON modes regenerate the model's JSON schema for every
    request; together ~2 ms of CPU per call, which caps the speed-up of concurrent calls
    (bench/llm_path.py). A ``ResponseSchema`` subclass is passed through unchanged, and this
    one computes each JSON schema once — the compact schema a model is shown
    (pipeline/seam/compact.py) — and parses JSON leniently where only control characters
    inside strings are wrong.
    """
    wrapped = create_model(model.__name__, __base__=(model, _cached_schema_base()))
    return functools.wraps(model, updated=())(wrapped)  # type: ignore[return-value]


@cache
def _cached_schema_base() -> type[BaseModel]:
    from instructor import OpenAISchema

    schemas: dict[tuple[Any, ...], dict[str, Any]] = {}

    class CachedSchema(OpenAISchema):  # type: ignore[misc]
        """instructor's response base whose JSON schemas are computed once per class."""

        @classmethod
        def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
            key = (cls, args, tuple(sorted(kwargs.items())))
            if key not in schemas:
                schemas[key] = prompt_schema(cls, super().model_json_schema(*args, **kwargs))
            # a copy: callers may edit the schema they get (instructor's tools mode does)
            return copy.deepcopy(schemas[key])

        @classmethod
        def model_validate_json(cls, json_data: Any, **kwargs: Any) -> Any:
            """Parse leniently where only control characters are wrong, then validate.

            A grammar-constrained small model writes raw newlines and tabs inside JSON strings
            (legal for llama.cpp's JSON grammar, not for a strict parser); Python's
            ``json.loads(strict=False)`` accepts exactly those. Anything else stays an error
            that instructor sends back to the model."""
            try:
                return super().model_validate_json(json_data, **kwargs)
            except ValidationError as exc:
                if not any(error["type"] == "json_invalid" for error in exc.errors()):
                    raise
                try:
                    data = json.loads(json_data, strict=False)
                except ValueError:
                    raise exc from None
            return cls.model_validate(
                data, strict=kwargs.get("strict"), context=kwargs.get("context")
            )

    return CachedSchema


def litellm_kwargs(config: ModelConfig) -> dict[str, Any]:
    """Arguments of litellm.acompletion for a stage; keys come from the environment only."""
    kwargs: dict[str, Any] = {
        "model": config.model,
        "temperature": config.temperature,
        "timeout": config.timeout,
        # Our tenacity loop owns retries; the SDK's own retries would multiply them.
        "num_retries": 0,
    }
    if config.api_base:
        kwargs["api_base"] = config.api_base
    if config.max_tokens:
        kwargs["max_tokens"] = min(config.max_tokens, max_output_tokens(config.model))
    if config.mode == "tools":
        # litellm's tools path imports the optional `mcp` package otherwise (DEPENDENCY-NOTES).
        kwargs["_skip_mcp_handler"] = True
    return kwargs


@cache
def max_output_tokens(model: str) -> int:
    """The most answer tokens ``model`` may be asked for: litellm's ``max_output_tokens`` when it
    knows the model (gpt-3.5-turbo 4,096; a provider refuses a larger ``max_tokens``), else no
    bound. A request's ``max_tokens`` (settings.answer_tokens) is capped to it."""
    if model.startswith(LOCAL_PROVIDER + "/"):
        return 1 << 30
    try:
        info = litellm_module().get_model_info(model)
    except Exception:  # a model litellm does not map (a self-hosted one): its server decides
        return 1 << 30
    limit = info.get("max_output_tokens")
    return int(limit) if limit else 1 << 30


def response_cost(response: Any, model: str) -> float | None:
    """USD cost of one response from litellm's price map; None when the model is not priced."""
    hidden = getattr(response, "_hidden_params", None) or {}
    if hidden.get("response_cost") is not None:  # litellm already priced it: don't pay twice
        return float(hidden["response_cost"])
    litellm = litellm_module()
    try:
        return float(litellm.completion_cost(completion_response=response, model=model))
    except Exception:  # unpriced model (e.g. a self-hosted one): report cost as unknown
        return None


def token_cost(model: str, input_tokens: int, output_tokens: int) -> float | None:
    """Estimated USD cost of a request of this size; None when the model is not priced."""
    litellm = litellm_module()
    try:
        prompt_cost, completion_cost = litellm.cost_per_token(
            model=model, prompt_tokens=input_tokens, completion_tokens=output_tokens
        )
    except Exception:  # unpriced model
        return None
    return float(prompt_cost + completion_cost)
