"""What a real model server needs from the seam (issue 17): the schema sent compactly, inside
``response_format`` for llama.cpp-like servers, ``max_tokens`` sized to the answer, lenient JSON
where only control characters are wrong, and re-ask counts equal to the requests sent."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from pydantic import BaseModel

from pipeline.seam.budget import request_tokens
from pipeline.seam.compact import compact_schema, schema_text
from pipeline.seam.modes import INSTRUCTION
from pipeline.seam.providers import max_output_tokens
from pipeline.seam.settings import ANSWER_TOKENS, answer_tokens
from pipeline.taxonomy import load_taxonomy
from schemas.stages import Classification, Screening
from tests.openai_server import Malformed, Reply
from tests.test_seam import PAPERS, QUOTE, answer, classification, make_seam


def untitled(model: type[BaseModel]) -> dict[str, Any]:
    """The compact schema of a model nested in another (no title of its own)."""
    schema = compact_schema(model.model_json_schema())
    schema.pop("title", None)
    return schema


@pytest.fixture
def taxonomy():  # type: ignore[no-untyped-def]
    return load_taxonomy()


@pytest.fixture(autouse=True)
def _key(fake_openai_key: str) -> None:
    """litellm's openai/ provider needs some key; a fake one from the environment."""


def _with_mode(seam: Any, server: Any, mode: str, **fields: Any) -> Any:
    from pipeline.seam.settings import ModelConfig

    seam.models = {
        "default": ModelConfig(
            model="openai/test-model", api_base=server.base_url, mode=mode, **fields
        )
    }
    return seam


async def test_json_mode_shows_the_compact_schema_once(tmp_path, taxonomy, openai_server):
    openai_server.script(Reply(answer(classification("p1"))))
    seam = _with_mode(make_seam(tmp_path, taxonomy, openai_server), openai_server, "json")
    result = await seam.ask("classify", PAPERS[:1])
    assert result["p1"].value is not None
    request = openai_server.chat_requests[0]
    system = request.messages[0]["content"]
    line = system.splitlines()[-1]
    assert line.startswith(INSTRUCTION) and system.count(INSTRUCTION) == 1
    shown = line.removeprefix(INSTRUCTION).strip()
    # the item's types in the JSON-like notation, every field required, the bounds kept
    item = '{"paper_id":string,"primary":string,"leaves":[string](1-4),'
    item += '"evidence":[{"leaf":string,"quote":string}]}'
    assert shown == '{"items":[' + item + "](exactly 1)}"
    assert shown == schema_text(
        {
            "properties": {
                "items": {
                    "type": "array",
                    "items": untitled(Classification),
                    "minItems": 1,
                    "maxItems": 1,
                }
            },
            "required": ["items"],
        }
    )
    assert request.json["response_format"] == {"type": "json_object"}


async def test_json_object_schema_mode_sends_the_schema_in_response_format(
    tmp_path, taxonomy, openai_server
):
    openai_server.script(Reply(answer(classification("p1"))))
    seam = make_seam(tmp_path, taxonomy, openai_server)
    seam = _with_mode(seam, openai_server, "json_object_schema")
    result = await seam.ask("classify", PAPERS[:1])
    assert result["p1"].value is not None
    response_format = openai_server.chat_requests[0].json["response_format"]
    assert response_format["type"] == "json_object"
    items = response_format["schema"]["properties"]["items"]
    assert items["items"] == untitled(Classification)
    assert (items["minItems"], items["maxItems"]) == (1, 1)


async def test_max_tokens_is_sized_to_the_stage_and_the_number_of_papers(
    tmp_path, taxonomy, openai_server
):
    items = [
        {"paper_id": p["paper_id"], "relevant": True, "kind": "method", "reason": "4-bit."}
        for p in PAPERS[:3]
    ]
    openai_server.script(Reply(answer(*items)), Reply(answer(classification("p1"))))
    seam = make_seam(tmp_path, taxonomy, openai_server, papers_per_call=3)
    await seam.ask("screen", PAPERS[:3])
    await seam.ask("classify", PAPERS[:1])
    screen, classify = (r.json["max_tokens"] for r in openai_server.chat_requests)
    assert screen == answer_tokens("screen", 3) and classify == answer_tokens("classify", 1)
    assert ANSWER_TOKENS["screen"] * 3 < screen < ANSWER_TOKENS["classify"] * 3


async def test_max_tokens_never_exceeds_what_the_model_may_answer(
    tmp_path, taxonomy, openai_server
):
    # gpt-3.5-turbo answers at most 4,096 tokens (litellm's price map): 8 extractions would
    # ask for more, which the provider refuses
    openai_server.respond_with(lambda request: Reply(answer()))
    seam = make_seam(
        tmp_path, taxonomy, openai_server, model="openai/gpt-3.5-turbo", papers_per_call=8
    )
    await seam.ask("extract", PAPERS[:8])
    assert answer_tokens("extract", 8) > 4096
    assert openai_server.chat_requests[0].json["max_tokens"] == 4096
    assert max_output_tokens("openai/test-model") > answer_tokens("extract", 50)


async def test_raw_newlines_inside_strings_are_accepted_without_a_reask(
    tmp_path, taxonomy, openai_server
):
    text = json.dumps(answer(classification("p1"))).replace(QUOTE, QUOTE.replace(" 4 ", "\n4\t"))
    assert "\n" in text
    openai_server.script(Reply(text))
    seam = make_seam(tmp_path, taxonomy, openai_server)
    result = await seam.ask("classify", PAPERS[:1])
    assert result["p1"].value is not None and result["p1"].value.evidence[0].quote.count("\n") == 1
    assert openai_server.call_count == 1 and seam.stats["classify"].reasks == 0


async def test_broken_json_is_still_reasked(tmp_path, taxonomy, openai_server):
    openai_server.script(
        Malformed('{"items": [{"paper_id": "p1",'), Reply(answer(classification("p1")))
    )
    seam = make_seam(tmp_path, taxonomy, openai_server)
    result = await seam.ask("classify", PAPERS[:1])
    assert result["p1"].value is not None
    assert openai_server.call_count == 2 and seam.stats["classify"].reasks == 1


@pytest.mark.parametrize("max_reasks", [0, 1, 2])
async def test_reasks_counted_equal_the_requests_sent(
    tmp_path, taxonomy, openai_server, max_reasks
):
    bad = Reply(answer(classification("p1", leaf="model.magic")))
    openai_server.script(*[bad] * (1 + max_reasks))
    seam = make_seam(tmp_path, taxonomy, openai_server, max_reasks=max_reasks)
    result = await seam.ask("classify", PAPERS[:1])
    assert result["p1"].value is None and "unknown leaf id" in (result["p1"].error or "")
    stats = seam.stats["classify"]
    assert openai_server.call_count == 1 + max_reasks
    assert stats.calls == 1 + max_reasks and stats.reasks == max_reasks and stats.failed == 1


def test_screening_schema_is_small() -> None:
    # what a small model must produce: four fields, the kind an enum, an optional confidence
    schema = compact_schema(Screening.model_json_schema())
    assert len(json.dumps(schema, separators=(",", ":"))) < 450


async def test_papers_are_shown_by_position_and_answers_map_back(tmp_path, taxonomy, openai_server):
    # a small model copies "2" reliably; the number itself (not a string) is accepted too
    openai_server.script(
        Reply(
            answer(classification("1"), classification("2"), {**classification("x"), "paper_id": 3})
        )
    )
    seam = make_seam(tmp_path, taxonomy, openai_server, papers_per_call=3)
    result = await seam.ask("classify", PAPERS[:3])
    text = openai_server.chat_requests[0].text()
    assert '"paper_id":"1"' in text and '"paper_id":"3"' in text and '"p1"' not in text
    assert {pid: a.value.paper_id for pid, a in result.items() if a.value} == {
        "p1": "p1",
        "p2": "p2",
        "p3": "p3",
    }
    # cached under the paper's own id: a second run asks nothing
    again = await make_seam(tmp_path, taxonomy, openai_server).ask("classify", PAPERS[:3])
    assert all(a.cached for a in again.values()) and openai_server.call_count == 1


async def test_a_request_too_big_for_the_context_is_split(tmp_path, taxonomy, openai_server):
    def respond(request: Any) -> Reply:
        shown = [json.loads(x) for x in request.text().split("<papers>\n")[1].splitlines()[:-1]]
        return Reply(answer(*(classification(p["paper_id"]) for p in shown)))

    openai_server.respond_with(respond)
    seam = make_seam(tmp_path, taxonomy, openai_server, papers_per_call=4)
    one = request_tokens(
        "classify", seam._prompt_loader("classify").render(taxonomy, PAPERS[:1]), 1
    )
    # room for two papers' prompts and answers, not for four
    limit = one[0] + 2 * answer_tokens("classify", 1) + 200
    seam.models = {"default": replace(seam.config("classify"), context_tokens=limit)}
    result = await seam.ask("classify", PAPERS[:4])
    assert all(a.value is not None for a in result.values()) and len(result) == 4
    # papers in each request's <papers> block (the instructions name the block too)
    requests = openai_server.chat_requests
    sizes = [r.text().split("<papers>\n")[1].count('"paper_id"') for r in requests]
    assert sum(sizes) == 4 and max(sizes) < 4 and len(sizes) >= 2


async def test_one_paper_that_cannot_fit_is_refused_with_a_message(
    tmp_path, taxonomy, openai_server
):
    seam = make_seam(tmp_path, taxonomy, openai_server)
    seam.models = {"default": replace(seam.config("classify"), context_tokens=300)}
    result = await seam.ask("classify", PAPERS[:1])
    assert result["p1"].value is None and "--context-tokens is 300" in (result["p1"].error or "")
    assert openai_server.call_count == 0 and seam.stats["classify"].failed == 1
