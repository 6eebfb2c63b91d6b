"""SectionDraft, the synthesize stage's answer model: what it rejects, in which words."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from schemas.record import PaperRecord
from schemas.survey import SectionDraft, cited_keys, draft_context, section_context

SECTION = "model.quantization"


@pytest.fixture
def context() -> dict[str, Any]:
    return draft_context(
        {
            "lin2024quant": [
                "QuantFast",
                "QuantFast achieves a 2.3x speedup over vLLM on Llama-2-7B",
            ],
            "chen2025fpga": ["FlexAcc", "It achieves 2.7x better energy efficiency"],
        },
        previous_keys={"chen2025fpga", "gone2020"},
        section=SECTION,
    )


def _error(sentences: list[str], context: dict[str, Any], section: str = SECTION) -> str:
    with pytest.raises(ValidationError) as caught:
        SectionDraft.model_validate({"section": section, "sentences": sentences}, context=context)
    errors = caught.value.errors()
    assert len(errors) == 1
    message: str = errors[0]["msg"]
    assert message.startswith("Value error, ")
    return message.removeprefix("Value error, ")


def test_a_valid_draft_passes(context: dict[str, Any]) -> None:
    draft = SectionDraft.model_validate(
        {"section": SECTION, "sentences": [
            "This section covers quantization.",
            "QuantFast reports a 2.3x speedup over vLLM on Llama-2-7B [@lin2024quant].",
            "FlexAcc and QuantFast report 2.7x and 2.3x [@chen2025fpga; @lin2024quant].",
        ]},
        context=context,
    )  # fmt: skip
    assert len(draft.sentences) == 3


def test_unknown_key_is_rejected_with_the_valid_keys(context: dict[str, Any]) -> None:
    message = _error(["FlexAcc too [@chen2025fpga; @smith2099x]."], context)
    assert message == (
        "sentence 1 cites @smith2099x, which is not a paper of this section. Cite only these "
        "keys, exactly as written: chen2025fpga, lin2024quant. Do not invent or alter keys; drop "
        "the claim if no listed paper supports it, e.g. 'The method halves memory traffic on "
        "GPUs [@chen2025fpga].'"
    )


def test_number_not_reported_by_the_cited_paper_is_rejected(context: dict[str, Any]) -> None:
    message = _error(
        ["QuantFast reaches a 3.1x speedup [@lin2024quant].", "FlexAcc [@chen2025fpga]."], context
    )
    assert message == (
        "sentence 1 states the number(s) 3.1, which do not appear in the results or abstract of "
        "the paper(s) it cites (@lin2024quant). Use only numbers reported by the cited paper, "
        "copied exactly (e.g. write '2.3x' only if the cited paper reports 2.3x), or remove the "
        "number"
    )
    # a number of another paper of the section does not count either
    assert _error(
        ["QuantFast reaches 2.7x [@lin2024quant].", "[@chen2025fpga]"], context
    ).startswith("sentence 1 states the number(s) 2.7,")


def test_dropping_a_previously_cited_key_is_rejected(context: dict[str, Any]) -> None:
    message = _error(["QuantFast reaches a 2.3x speedup [@lin2024quant]."], context)
    assert message == (
        "the previous version of this section cited @chen2025fpga and the new version does not: "
        "keep at least one sentence citing each of them (keep the previous sentence as it was if "
        "it still holds), e.g. '... [@chen2025fpga].'"
    )  # gone2020 left the section, so dropping it is fine


def test_empty_sentence_markup_malformed_citation_and_wrong_section(
    context: dict[str, Any],
) -> None:
    assert _error(["  ", "x [@chen2025fpga]."], context) == (
        "sentence 1 is empty: remove it or write one complete sentence, e.g. 'The method halves "
        "memory traffic on GPUs [@chen2025fpga].'"
    )
    assert _error(["Fast <script>x</script> [@chen2025fpga]."], context) == (
        "sentence 1 contains markup '<script>': write plain text only, no HTML tags, links or "
        "formatting, e.g. 'The method halves memory traffic on GPUs [@chen2025fpga].'"
    )
    assert _error(["QuantFast [@lin2024quant, chen2025fpga]."], context) == (
        "sentence 1 has a malformed citation '[@lin2024quant, chen2025fpga]': cite as [@key] for "
        "one paper or [@key1; @key2] for several, with keys exactly as given"
    )
    assert _error(["x [@chen2025fpga]."], context, section="model.pruning") == (
        "`section` is 'model.pruning' but this request is for 'model.quantization': set section "
        "to 'model.quantization' exactly"
    )
    assert _error(["one\ntwo [@chen2025fpga]."], context).startswith(
        "sentence 1 contains a line break"
    )


def test_without_context_only_form_is_checked() -> None:
    draft = SectionDraft.model_validate(
        {"section": "x", "sentences": ["Anything 9.9x [@whoever]."]}
    )
    assert draft.sentences == ["Anything 9.9x [@whoever]."]
    with pytest.raises(ValidationError):
        SectionDraft.model_validate({"section": "x", "sentences": []})
    with pytest.raises(ValidationError):
        SectionDraft.model_validate({"section": "x", "sentences": ["a"], "extra": 1})


def test_section_context_from_records() -> None:
    record = PaperRecord.model_validate({
        "id": "p1", "key": "lin2024quant", "title": "QuantFast v2", "abstract": "Cuts 40% of cost.",
        "sources": [{"file": "d.txt", "line": 1, "layout": "hf"}],
        "results": [{"metric": "speedup", "value": "2.3x", "quote": "a 2.3x speedup over vLLM",
                     "baseline": "FP16"}],
    })  # fmt: skip
    context = section_context(SECTION, [record], ["Old [@lin2024quant; @gone2020]."])
    assert context["allowed_keys"] == {"lin2024quant"}
    assert context["numbers"] == {"lin2024quant": {"2", "40", "2.3", "16"}}
    assert context["previous_keys"] == {"lin2024quant", "gone2020"}
    assert context["section"] == SECTION


def test_cited_keys_in_order_without_duplicates() -> None:
    assert cited_keys("A [@b; @a] then [@b] and [@c].") == ["b", "a", "c"]
    assert cited_keys("no citations, [x] [@] [@ bad key]") == []


def test_paragraph_starts_must_be_increasing_indices_inside_the_section(
    context: dict[str, Any],
) -> None:
    sentences = [
        "This section covers quantization.",
        "Weight-only methods keep activations in higher precision.",
        "QuantFast reports a 2.3x speedup over vLLM [@lin2024quant].",
        "FlexAcc reports 2.7x [@chen2025fpga].",
    ]
    draft = SectionDraft.model_validate(
        {"section": SECTION, "sentences": sentences, "paragraph_starts": [1, 3]}, context=context
    )
    assert draft.paragraph_starts == [1, 3]
    for bad in ([3, 1], [0], [4], [2, 2]):
        with pytest.raises(ValidationError) as caught:
            SectionDraft.model_validate(
                {"section": SECTION, "sentences": sentences, "paragraph_starts": bad},
                context=context,
            )
        assert "`paragraph_starts` is" in str(caught.value)
        assert "between 1 and 3" in str(caught.value)
