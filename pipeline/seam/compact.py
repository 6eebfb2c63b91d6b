"""The JSON schema a model is shown: the response model's schema without what only costs tokens.

instructor's JSON modes print the response model's schema into the system message of every
request, and a grammar-constrained server (llama.cpp) compiles it into a grammar. pydantic's
schema repeats each field name as a ``title``, puts nested models in ``$defs`` behind
``$ref``, and carries string-length bounds (a ``maxLength: 400`` grammar is slow to build on a
CPU server and tells a model nothing useful). The compact form keeps types, enums, required
fields, item-count bounds and ``additionalProperties``; the validators still check everything.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

# Keys that only cost tokens: the validators enforce the bounds, the prompt says what fields mean.
_DROP = frozenset({"title", "description", "default", "maxLength", "minLength", "examples"})


def compact_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with ``$ref`` inlined and titles, descriptions, defaults and lengths dropped."""
    definitions = schema.get("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return walk(definitions[ref.removeprefix("#/$defs/")])
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$defs":
                continue
            if key == "properties":  # field names, not schema keywords
                out[key] = {name: walk(sub) for name, sub in value.items()}
            elif key not in _DROP:
                out[key] = walk(value)
        branches = out.get("anyOf")
        if isinstance(branches, list) and all(set(b) == {"type"} for b in branches):
            # Optional[str] and the like: {"anyOf": [{"type": "string"}, {"type": "null"}]}
            out.pop("anyOf")
            out["type"] = [b["type"] for b in branches]
        return out

    result: dict[str, Any] = walk(schema)
    if "title" in schema:  # the root's title names the tool in instructor's tools mode
        result = {"title": schema["title"], **result}
    return result


def schema_text(schema: dict[str, Any]) -> str:
    """``schema`` (compact) as the type notation a model reads in the prompt.

    JSON with types where values go: ``{"paper_id":string,"kind":"method"|"system",
    "baseline"?:string|null,"leaves":[string](1-4),"sizes":{string:integer}}`` — ``?`` marks an
    optional field, ``(1-4)`` or ``(max 8)`` an array's item count, ``(0-1)`` a number's range,
    ``{string:T}`` a mapping. About a third of the JSON
    schema's characters (bench/llm_path.py counts them) for the same types, enums, required
    fields and bounds; OpenAI shows function schemas to its models in a similar notation.
    ``additionalProperties`` is left to the validators and, in ``json_object_schema`` mode, to
    the grammar, which gets the JSON schema itself."""
    if "enum" in schema:
        return "|".join(json.dumps(value, ensure_ascii=False) for value in schema["enum"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return "|".join(schema_text(branch) for branch in schema[key])
    kind = schema.get("type")
    if isinstance(kind, list):
        return "|".join(schema_text({**schema, "type": one}) for one in kind)
    values = schema.get("additionalProperties")
    if "properties" not in schema and isinstance(values, dict):  # a mapping: {string:integer}
        return "{string:" + schema_text(values) + "}"
    if kind == "object" or "properties" in schema:
        required = set(schema.get("required", []))
        fields = (
            f"{json.dumps(name, ensure_ascii=False)}{'' if name in required else '?'}:"
            f"{schema_text(sub)}"
            for name, sub in schema.get("properties", {}).items()
        )
        return "{" + ",".join(fields) + "}"
    if kind == "array":
        return f"[{schema_text(schema.get('items', {}))}]{_bounds(schema, 'minItems', 'maxItems')}"
    if kind in ("number", "integer"):
        return f"{kind}{_bounds(schema, 'minimum', 'maximum')}"
    return str(kind or "any")


def _bounds(schema: dict[str, Any], low_key: str, high_key: str) -> str:
    low, high = schema.get(low_key), schema.get(high_key)
    if low is not None and low == high:
        return f"(exactly {_number(low)})"
    if low is not None and high is not None:
        return f"({_number(low)}-{_number(high)})"
    if high is not None:
        return f"(max {_number(high)})"
    if low:
        return f"(min {_number(low)})"
    return ""


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def batch_schema(item_schema: dict[str, Any]) -> dict[str, Any]:
    """The schema of ``{"items": [item, ...]}``, one item per paper of the request."""
    item = compact_schema(item_schema)
    item.pop("title", None)
    return {
        "type": "object",
        "properties": {"items": {"type": "array", "items": item}},
        "required": ["items"],
        "additionalProperties": False,
    }


# A multi-paper response model validates its items one by one after parsing (so one bad item
# does not fail the others); the model is still shown the item's schema.
_BATCH_ITEMS: dict[type[BaseModel], type[BaseModel]] = {}


def register_batch(batch_model: type[BaseModel], item_model: type[BaseModel]) -> None:
    """Show ``batch_model`` to models as ``{"items": [<item_model>, ...]}``."""
    _BATCH_ITEMS[batch_model] = item_model


def prompt_schema(model: type[BaseModel], full: dict[str, Any]) -> dict[str, Any]:
    """The schema shown for ``model`` whose pydantic schema is ``full``."""
    for base in model.__mro__:
        item = _BATCH_ITEMS.get(base)  # type: ignore[arg-type]
        if item is not None:
            return batch_schema(item.model_json_schema())
    return compact_schema(full)
