"""instructor's response models, built once per class (seam/providers.py:response_model)."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from pipeline.seam.providers import response_model
from pipeline.seam.request import loose_batch, strict_batch
from schemas.stages import STAGE_MODELS
from schemas.survey import SectionDraft

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
    # the schema sent to the model is the one instructor derives from its own wrapper
    assert wrapped.model_json_schema() == openai_schema(model).model_json_schema()
    assert wrapped.__name__ == model.__name__ and issubclass(wrapped, model)
    # instructor passes it through instead of rebuilding a model for every request
    assert prepare_response_model(wrapped) is wrapped


def test_a_cached_schema_cannot_be_edited_by_its_caller() -> None:
    wrapped = response_model(SectionDraft)
    schema = wrapped.model_json_schema()
    schema["properties"].clear()
    assert wrapped.model_json_schema()["properties"]
