"""The offline prose writer: themes, claims with numbers, citations, incremental updates."""

from __future__ import annotations

import difflib

import pytest
from pydantic import ValidationError

from pipeline.local_model.synthesis import (
    leaf_papers,
    write_challenges,
    write_introduction,
    write_section,
    write_surveys_section,
)
from schemas.record import PaperRecord, SectionText
from schemas.survey import SectionDraft, cited_keys, section_context
from schemas.taxonomy import Taxonomy
from tests.fixtures.render.corpus import load_fixture_taxonomy, load_records, offline_sections


@pytest.fixture(scope="module")
def records() -> list[PaperRecord]:
    return load_records()


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_fixture_taxonomy()


def _cited(text: SectionText) -> set[str]:
    return {key for sentence in text.sentences for key in cited_keys(sentence)}


def test_every_paper_of_a_leaf_is_cited_and_only_those(
    records: list[PaperRecord], taxonomy: Taxonomy
) -> None:
    for leaf in taxonomy.leaves:
        papers = leaf_papers(records, leaf.id)
        if not papers:
            continue
        text = write_section(leaf, records)
        assert text.section == leaf.id
        assert _cited(text) == {p.key for p in papers}, leaf.id
        assert all(s.strip() and "\n" not in s for s in text.sentences)


def test_leaf_prose_reads_as_themes_claims_and_comparisons(
    records: list[PaperRecord], taxonomy: Taxonomy
) -> None:
    text = write_section(taxonomy.leaf("model.quantization"), records)
    assert text.sentences[0].startswith("This section covers quantization: representing weights")
    assert text.sentences[1] == (
        "Three papers build on weight-only quantization "
        "[@smith2023specials; @lin2024quantfast; @wang2025awqplus]."
    )
    assert "QuantFast reports 2.3× speedup vs vLLM [@lin2024quantfast]." in (
        text.sentences
    )
    assert "Smith et al. report −50% memory and 1.7× speedup [@smith2023specials]." in (
        text.sentences
    )
    assert text.sentences[-1] == (
        "On speedup, Smith et al. report 1.7x, QuantFast reports 2.3x and AWQ+ reports 3.2x, "
        "each against its own baseline and setup, so the figures are indicative rather than "
        "directly comparable [@smith2023specials; @lin2024quantfast; @wang2025awqplus]."
    )


def test_prose_is_deterministic(records: list[PaperRecord], taxonomy: Taxonomy) -> None:
    first = offline_sections(records, taxonomy)
    second = offline_sections(list(reversed(records)), taxonomy)
    assert first == second


def test_paper_text_cannot_inject_citations_or_markup(
    records: list[PaperRecord], taxonomy: Taxonomy
) -> None:
    sections = offline_sections(records, taxonomy)
    everything = "\n".join(s for text in sections.values() for s in text.sentences)
    assert "[@evil2099]" not in everything and "[@notakey]" not in everything
    assert "[ @evil2099]" in everything  # the injected text stays, as inert text
    assert "<b>" not in everything and "<script>" not in everything


def test_offline_prose_passes_the_synthesize_schema(
    records: list[PaperRecord], taxonomy: Taxonomy
) -> None:
    """The local model's answers satisfy the same checks as a paid model's."""
    relevant = [r for r in records if r.relevant is True]
    for section_id, text in offline_sections(records, taxonomy).items():
        papers = leaf_papers(records, section_id) if "." in section_id else relevant
        context = section_context(section_id, papers)
        SectionDraft.model_validate(text.model_dump(), context=context)


def test_introduction_states_scope_counts_and_span(
    records: list[PaperRecord], taxonomy: Taxonomy
) -> None:
    text = write_introduction(records, taxonomy)
    assert text.sentences[0].startswith("This survey collects thirteen papers on efficient")
    assert text.sentences[1].startswith("A paper is relevant when its main contribution")
    assert (
        "Model-level optimizations account for eight papers across four of its ten leaves; "
        "the largest leaf is quantization with five papers."
    ) in text.sentences
    assert (
        text.sentences[-1]
        == "The papers were published between 2023 and 2025, most of them (5) in 2024."
    )


def test_surveys_section_lists_surveys_and_analyses(
    records: list[PaperRecord], taxonomy: Taxonomy
) -> None:
    text = write_surveys_section(records, taxonomy)
    assert _cited(text) == {"zhou2024survey", "roof2023analysis", "orphan2024unclassified"}
    assert (
        "Zhou et al. survey serving and scheduling, quantization and pruning and sparsity "
        "[@zhou2024survey]." in text.sentences
    )
    empty = write_surveys_section([r for r in records if r.kind == "method"], taxonomy)
    assert empty.sentences == ["No survey or analysis paper is part of the corpus yet."]


def test_challenges_come_from_the_papers(records: list[PaperRecord], taxonomy: Taxonomy) -> None:
    text = write_challenges(records, taxonomy)
    assert text.sentences[0] == (
        "Efficiency is weighed against accuracy: three papers discuss accuracy or quality loss "
        "or the trade-off itself, e.g. [@smith2023specials; @lin2024quantfast; @zhou2024survey]."
    )
    assert any(
        s.startswith("No paper of this collection addresses knowledge distillation")
        for s in text.sentences
    )
    assert (
        "Only one paper combines contributions at all three levels of the stack, so end-to-end "
        "co-design is rare [@roof2023analysis]."
    ) in text.sentences


def _diff(old: SectionText, new: SectionText) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(old.sentences, new.sentences, lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_a_new_paper_changes_a_few_lines(records: list[PaperRecord], taxonomy: Taxonomy) -> None:
    leaf = taxonomy.leaf("model.quantization")
    before = write_section(leaf, [r for r in records if r.key != "wang2025awqplus"])
    after = write_section(leaf, records, previous=before)
    assert _diff(before, after) == [
        "-On speedup, Smith et al. report 1.7x and QuantFast reports 2.3x, each against its own "
        "baseline and setup, so the figures are indicative rather than directly comparable "
        "[@smith2023specials; @lin2024quantfast].",
        "+On speedup, Smith et al. report 1.7x, QuantFast reports 2.3x and AWQ+ reports 3.2x, "
        "each against its own baseline and setup, so the figures are indicative rather than "
        "directly comparable [@smith2023specials; @lin2024quantfast; @wang2025awqplus].",
        "+AWQ+ applies weight-only quantization on A100 GPU [@wang2025awqplus].",
        "+AWQ+ reports 3.2× speedup vs FP16 [@wang2025awqplus].",
    ]


def test_a_paper_leaving_the_leaf_takes_its_sentences_along(
    records: list[PaperRecord], taxonomy: Taxonomy
) -> None:
    leaf = taxonomy.leaf("model.quantization")
    before = write_section(leaf, records)
    remaining = [r for r in records if r.key != "smith2023specials"]
    after = write_section(leaf, remaining, previous=before)
    assert "smith2023specials" not in _cited(after)
    assert all(line.startswith("-") for line in _diff(before, after))
    assert _cited(after) == {p.key for p in leaf_papers(remaining, leaf.id)}
    # and the result passes the schema's "keep previous keys" rule
    context = section_context(leaf.id, leaf_papers(remaining, leaf.id), before.sentences)
    SectionDraft.model_validate(after.model_dump(), context=context)


def test_unchanged_papers_keep_the_section_unchanged(
    records: list[PaperRecord], taxonomy: Taxonomy
) -> None:
    leaf = taxonomy.leaf("hardware.fpga")
    before = write_section(leaf, records)
    assert write_section(leaf, records, previous=before) == before
    edited = SectionText(
        section=leaf.id, sentences=["A reviewer's sentence [@chen2025fpga].", *before.sentences[1:]]
    )
    assert write_section(leaf, records, previous=edited) == edited  # human edits survive


def test_schema_rejects_a_dropped_key_in_a_rewrite(
    records: list[PaperRecord], taxonomy: Taxonomy
) -> None:
    leaf = taxonomy.leaf("hardware.fpga")
    before = write_section(leaf, records)
    rewrite = {"section": leaf.id, "sentences": ["FlexAcc is an FPGA design [@chen2025fpga]."]}
    context = section_context(leaf.id, leaf_papers(records, leaf.id), before.sentences)
    with pytest.raises(ValidationError, match="cited @verylong2023title and the new version"):
        SectionDraft.model_validate(rewrite, context=context)
