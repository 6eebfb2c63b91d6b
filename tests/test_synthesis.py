"""The offline prose writer: families, claims, comparisons, citations, incremental updates."""

from __future__ import annotations

import difflib

import pytest
from pydantic import ValidationError

from pipeline.local_model.leaf_prose import paper_sentence
from pipeline.local_model.synthesis import (
    leaf_papers,
    write_challenges,
    write_conclusion,
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


def test_leaf_prose_reads_as_families_claims_and_comparisons(
    records: list[PaperRecord], taxonomy: Taxonomy
) -> None:
    text = write_section(taxonomy.leaf("model.quantization"), records)
    assert text.sentences[0].startswith("This section covers quantization: representing weights")
    assert text.sentences[1] == (
        "The five papers on quantization fall into weight-only quantization (3) and other "
        "approaches (2)."
    )
    # one paragraph per family; the single KV-cache paper folds into "other approaches"
    assert text.paragraph_starts == [2, 7]
    assert text.sentences[2] == (
        "Weight-only methods store the weights in a few bits and keep activations in 16 bits."
    )
    # "We present QuantFast, a weight-only ..." -> "QuantFast is a weight-only ..."
    assert (
        "QuantFast is a weight-only quantization method that stores weights in 4 bits "
        "[@lin2024quantfast]." in text.sentences
    )
    assert text.sentences[6].endswith(
        "Smith et al. (1.7x), QuantFast (2.3x; baseline vLLM) and AWQ+ (3.2x; baseline FP16) "
        "[@smith2023specials; @lin2024quantfast; @wang2025awqplus]."
    )
    assert text.sentences[7] == "Other work on quantization does not share one of these families."
    assert not any("comparable" in sentence for sentence in text.sentences)


def test_a_paper_in_several_leaves_gets_a_different_sentence_in_each(
    records: list[PaperRecord], taxonomy: Taxonomy
) -> None:
    sections = offline_sections(records, taxonomy)
    about_zhou = [
        s
        for text in sections.values()
        for s in text.sentences
        if cited_keys(s) == ["zhou2024survey"]
    ]
    assert len(about_zhou) >= 3
    leaf_sentences = [
        s for key, text in sections.items() if "." in key for s in text.sentences
        if cited_keys(s) == ["zhou2024survey"]
    ]  # fmt: skip
    assert len(leaf_sentences) == len(set(leaf_sentences))


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
    assert "<b>" not in everything and "<script>" not in everything
    hostile = next(r for r in records if r.key == "inject2024serve").model_copy(
        update={"abstract": "We propose HostileNet, which cites [@evil2099] and prints "
                "<b>bold</b> text for every request."}
    )  # fmt: skip
    sentence = paper_sentence(hostile, "system.serving", "HostileNet")
    assert sentence == (
        "HostileNet cites [ @evil2099] and prints bold text for every request [@inject2024serve]."
    )  # the injected text stays, as inert text
    assert cited_keys(sentence) == ["inject2024serve"]


def test_offline_prose_passes_the_synthesize_schema(
    records: list[PaperRecord], taxonomy: Taxonomy
) -> None:
    """The local model's answers satisfy the same checks as a paid model's."""
    relevant = [r for r in records if r.relevant is True]
    for section_id, text in offline_sections(records, taxonomy).items():
        papers = leaf_papers(records, section_id) if "." in section_id else relevant
        context = section_context(section_id, papers)
        SectionDraft.model_validate(text.model_dump(), context=context)


def test_introduction_states_scope_coverage_time_tensions_and_one_caveat(
    records: list[PaperRecord], taxonomy: Taxonomy
) -> None:
    text = write_introduction(records, taxonomy)
    assert text.sentences[0].startswith("This survey collects thirteen papers on efficient")
    assert text.sentences[1].startswith("A paper is relevant when its main contribution")
    assert (
        "Model-level optimizations gather eight papers, most of them on quantization (5) and "
        "KV-cache compression (2), while pruning and sparsity and efficient architectures have "
        "at most two papers."
    ) in text.sentences
    assert (
        "The largest families at this level are weight-only quantization in quantization "
        "(three papers) [@smith2023specials; @lin2024quantfast; @wang2025awqplus]."
    ) in text.sentences
    assert (
        "Only 12 of the 13 papers carry a date (2023 to 2025); before 2024 most dated papers "
        "are hardware-level optimizations, from 2024 most are model-level optimizations."
    ) in text.sentences
    assert any(
        s.startswith("Compression is weighed against accuracy")
        and s.endswith("[@smith2023specials; @lin2024quantfast].")
        for s in text.sentences
    )
    caveats = [s for s in text.sentences if "own baseline" in s]
    assert len(caveats) == 1 and text.sentences[-1] == caveats[0]
    assert not any("upvote" in s for s in text.sentences)


def test_no_statement_ranks_papers_by_upvotes_that_most_papers_lack(
    records: list[PaperRecord], taxonomy: Taxonomy
) -> None:
    boosted = [
        r.model_copy(update={"upvotes": 999}) if r.key == "roof2023analysis" else r for r in records
    ]
    assert write_introduction(boosted, taxonomy) == write_introduction(records, taxonomy)


def test_surveys_section_lists_surveys_and_analyses(
    records: list[PaperRecord], taxonomy: Taxonomy
) -> None:
    text = write_surveys_section(records, taxonomy)
    assert _cited(text) == {"zhou2024survey", "roof2023analysis", "orphan2024unclassified"}
    assert (
        "Zhou et al. cover serving and scheduling, quantization and pruning and sparsity "
        "[@zhou2024survey]." in text.sentences
    )
    empty = write_surveys_section([r for r in records if r.kind == "method"], taxonomy)
    assert empty.sentences == ["No survey or analysis paper is part of the corpus yet."]


def test_challenges_come_from_the_abstracts_limitation_sentences(
    records: list[PaperRecord], taxonomy: Taxonomy
) -> None:
    limited = [
        r.model_copy(update={"abstract": r.abstract + " However, accuracy still degrades "
                             "below 3 bits, which remains an open problem."})
        if r.key in ("lin2024quantfast", "wang2025awqplus") else r
        for r in records
    ]  # fmt: skip
    text = write_challenges(limited, taxonomy)
    assert text.sentences[0] == (
        "Accuracy under aggressive compression is raised as an open limitation by two "
        "abstracts [@lin2024quantfast; @wang2025awqplus]."
    )
    assert text.sentences[1] == (
        "QuantFast notes that “However, accuracy still degrades below 3 bits, which remains an "
        "open problem” [@lin2024quantfast]."
    )
    text = write_challenges(records, taxonomy)
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
        "+AWQ+ revisits weight-only quantization and delivers a 3.2x speedup over FP16 on an A100 "
        "GPU while keeping accuracy within 0.5 points [@wang2025awqplus].",
    ]
    assert after.paragraph_starts == before.paragraph_starts


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


def test_conclusion_names_the_densest_family_and_no_comparability_caveat(
    records: list[PaperRecord], taxonomy: Taxonomy
) -> None:
    text = write_conclusion(records, taxonomy)
    assert text.sentences[0] == (
        "Work in this collection concentrates on weight-only quantization within quantization, "
        "with three papers [@smith2023specials; @lin2024quantfast; @wang2025awqplus]."
    )
    assert not any("own baseline" in s or "setup" in s for s in text.sentences)
