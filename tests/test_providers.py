"""instructor's response models, built once per class (seam/providers.py:response_model), and
the compact schema a model is shown (seam/compact.py)."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel

from pipeline.seam.compact import compact_schema, prompt_schema, schema_text
from pipeline.seam.providers import response_model
from pipeline.seam.request import loose_batch, strict_batch
from schemas.stages import STAGE_MODELS
from schemas.survey import SectionDraft
from tests.test_model_plumbing import untitled

MODELS = [
    *(factory(item) for item in STAGE_MODELS.values() for factory in (loose_batch, strict_batch)),
    SectionDraft,
]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_wrapper_asks_exactly_what_instructor_would(model: type[BaseModel]) -> None:
    from instructor import openai_schema
    from instructor.v2.core.response_model import prepare_response_model

    wrapped = response_model(model)
    assert response_model(model) is wrapped  # built once
    # the schema sent to the model is instructor's, compacted (and a batch shows its items)
    full = openai_schema(model).model_json_schema()
    assert wrapped.model_json_schema() == prompt_schema(model, full)
    assert wrapped.__name__ == model.__name__ and issubclass(wrapped, model)
    # instructor passes it through instead of rebuilding a model for every request
    assert prepare_response_model(wrapped) is wrapped


def test_a_cached_schema_cannot_be_edited_by_its_caller() -> None:
    wrapped = response_model(SectionDraft)
    schema = wrapped.model_json_schema()
    schema["properties"].clear()
    assert wrapped.model_json_schema()["properties"]


def test_the_compact_schema_keeps_types_enums_and_bounds_but_not_titles() -> None:
    from schemas.stages import Classification, Screening

    screening = compact_schema(Screening.model_json_schema())
    assert screening["properties"]["kind"]["enum"][0] == "method"
    assert screening["required"] == ["paper_id", "relevant", "kind", "reason"]
    assert screening["additionalProperties"] is False
    text = str(compact_schema(Classification.model_json_schema()))
    assert "Quote" not in text and "$ref" not in text and "maxLength" not in text
    leaves = compact_schema(Classification.model_json_schema())["properties"]["leaves"]
    assert (leaves["minItems"], leaves["maxItems"]) == (1, 4)
    # Optional[str] becomes a type list; a nested model is inlined
    result = compact_schema(STAGE_MODELS["extract"].model_json_schema())["properties"]["results"]
    assert result["items"]["properties"]["baseline"] == {"type": ["string", "null"]}


def test_the_prompt_shows_the_schema_as_types_with_enums_optional_fields_and_bounds() -> None:
    from schemas.stages import Extraction, Screening

    screening = schema_text(compact_schema(Screening.model_json_schema()))
    assert screening == (
        '{"paper_id":string,"relevant":boolean,"kind":"method"|"system"|"hardware"|"analysis"|'
        '"survey"|"position"|"resource","reason":string,"confidence"?:number(0-1)|null}'
    )
    extraction = schema_text(compact_schema(Extraction.model_json_schema()))
    assert '"techniques"?:[string](max 6)' in extraction  # optional, at most 6 items
    assert '"baseline"?:string|null' in extraction and '"quote":string}](max 8)' in extraction
    exact = {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2}
    assert schema_text(exact) == "[integer](exactly 2)"
    assert schema_text({"type": "array", "items": {"type": "string"}, "minItems": 1}) == (
        "[string](min 1)"
    )
    assert len(screening) < len(json.dumps(compact_schema(Screening.model_json_schema()))) / 2
    # a mapping (TaxonomyChanges' expected leaf sizes) keeps its value type
    from schemas.propose import TaxonomyChanges

    changes = schema_text(compact_schema(TaxonomyChanges.model_json_schema()))
    assert '"sizes"?:{string:integer}' in changes


def test_a_batch_shows_the_item_schema_once() -> None:
    from schemas.stages import Extraction

    shown = response_model(loose_batch(Extraction)).model_json_schema()
    assert shown["properties"]["items"]["items"] == untitled(Extraction)
    assert str(shown).count("'techniques'") == 1
