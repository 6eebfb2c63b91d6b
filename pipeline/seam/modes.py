"""instructor modes of the seam: how the answer's schema reaches the model.

``json`` (default) and ``json_object_schema`` are instructor's JSON mode with two changes: the
schema is printed once, compactly (pipeline/seam/compact.py: the types in a JSON-like notation),
on one line after a one-line instruction, instead of pretty-printed after a paragraph; and
``json_object_schema`` also sends the JSON schema itself inside
``response_format: {"type": "json_object", "schema": …}`` — how llama.cpp's server (and others
built on it) constrain decoding to the schema; it answers HTTP 500 to
``{"type": "json_schema"}``. ``md_json``, ``tools`` and ``json_schema`` are instructor's own.

The two compact modes are registered with instructor under its ``litellm`` provider (which
instructor itself leaves empty), so instructor's own OpenAI handlers stay untouched.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel

T = TypeVar("T", bound=BaseModel)

# seam mode -> (instructor provider, instructor mode)
_INSTRUCTOR_MODES = {
    "json": ("litellm", "JSON"),
    "json_object_schema": ("litellm", "JSON_SCHEMA"),
    "md_json": ("openai", "MD_JSON"),
    "tools": ("openai", "TOOLS"),
    "json_schema": ("openai", "JSON_SCHEMA"),
}
MODES: tuple[str, ...] = tuple(sorted(_INSTRUCTOR_MODES))

INSTRUCTION = "Answer with one JSON object (no prose, no code fence) of this form:"


def schema_message(schema: dict[str, Any]) -> str:
    """The text that tells a model the answer's schema (pipeline/seam/compact.py:schema_text)."""
    from pipeline.seam.compact import schema_text

    return f"{INSTRUCTION} {schema_text(schema)}"


def instructor_client(mode: str, completion: Any) -> Any:
    """An async instructor client over ``completion`` (litellm.acompletion) in a seam mode."""
    if mode not in _INSTRUCTOR_MODES:
        raise ValueError(f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
    import instructor
    from instructor.v2.core.client import AsyncInstructor
    from instructor.v2.core.patch import patch_v2
    from instructor.v2.core.providers import Provider

    provider_name, mode_name = _INSTRUCTOR_MODES[mode]
    provider, instructor_mode = Provider(provider_name), getattr(instructor.Mode, mode_name)
    if provider is Provider.OPENAI:
        return instructor.from_litellm(completion, mode=instructor_mode)
    _register_compact_modes()
    create = patch_v2(func=completion, provider=provider, mode=instructor_mode)
    return AsyncInstructor(client=None, create=create, mode=instructor_mode, provider=provider)


@cache
def _register_compact_modes() -> None:
    from instructor import Mode
    from instructor.v2.core.providers import Provider
    from instructor.v2.core.registry import mode_registry
    from instructor.v2.providers.openai.handlers import OpenAIJSONHandler

    class CompactJSONHandler(OpenAIJSONHandler):  # type: ignore[misc]
        """instructor's JSON mode (parsing, re-asks) with the schema sent compactly."""

        def __init__(self, schema_in_format: bool):
            super().__init__()
            self.mode = Mode.JSON
            self.schema_in_format = schema_in_format

        def prepare_request(
            self, response_model: type[T] | None, kwargs: dict[str, Any]
        ) -> tuple[type[T] | None, dict[str, Any]]:
            if response_model is None:
                return None, kwargs
            schema = response_model.model_json_schema()
            new_kwargs = dict(kwargs)
            response_format: dict[str, Any] = {"type": "json_object"}
            if self.schema_in_format:
                response_format["schema"] = schema
            new_kwargs["response_format"] = response_format
            messages = [dict(m) for m in new_kwargs.get("messages", [])]
            text = schema_message(schema)
            if messages and messages[0].get("role") == "system":
                messages[0]["content"] = f"{messages[0]['content']}\n{text}"
            else:
                messages.insert(0, {"role": "system", "content": text})
            new_kwargs["messages"] = messages
            return response_model, new_kwargs

    for mode, schema_in_format in ((Mode.JSON, False), (Mode.JSON_SCHEMA, True)):
        handler = CompactJSONHandler(schema_in_format)
        mode_registry.register(
            provider=Provider.LITELLM,
            mode=mode,
            request_handler=handler.prepare_request,
            reask_handler=handler.handle_reask,
            response_parser=handler.parse_response,
        )
