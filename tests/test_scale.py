"""Scale: counts of 1,000+, token ceilings, map-reduce synthesis, a survey that stays readable."""

from __future__ import annotations

import asyncio
import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from pipeline.build import BuildOptions, build
from pipeline.local_model.registry import CONTEXT_TOKENS
from pipeline.render import data as render_data
from pipeline.render import render_survey
from pipeline.seam import AnswerCache, AskSettings, ModelConfig, Seam
from pipeline.seam.context import BatchCutter, split_to_fit
from pipeline.seam.settings import DEFAULT_CONTEXT_TOKENS
from pipeline.stages.synthesize import AGGREGATES, Previous, as_section_texts
from pipeline.taxonomy import load_taxonomy
from schemas.names import number_word
from schemas.survey import SectionDraft, draft_context
from tests.fixtures.render.corpus import load_fixture_taxonomy, load_records, offline_sections

ROOT = Path(__file__).resolve().parent.parent
DUMP = ROOT / "dumps" / "000_e1975b30c3037422.txt"


# ------------------------------------------------------------------------ counts of 1,000+
def _draft(sentence: str, papers: int = 1200) -> SectionDraft:
    texts = {f"k{i}": ["An abstract."] for i in range(papers)}
    texts["k1"] = ["It runs on 1,024 GPUs with a 2.3x speedup."]
    context = draft_context(texts, section="s")
    return SectionDraft.model_validate({"section": "s", "sentences": [sentence]}, context=context)


def test_counts_of_thousands_are_written_and_checked_one_way() -> None:
    assert number_word(1161) == "1,161"
    assert number_word(117) == "one hundred and seventeen"
    _draft("1,161 papers build on LoRA, including [@k1].")
    _draft("1161 papers build on LoRA, including [@k1].")
    _draft("Of the 1,200 papers, one runs on 1024 GPUs [@k1].")  # "1,024" in the paper


def test_a_count_above_the_papers_or_a_result_number_is_still_refused() -> None:
    with pytest.raises(ValidationError, match="1,?300"):
        _draft("1,300 papers build on LoRA, including [@k1].")
    with pytest.raises(ValidationError, match="95"):
        _draft("It reaches 95% accuracy [@k1].")
    with pytest.raises(ValidationError, match="1161"):
        _draft("1161 papers build on LoRA [@k1].", papers=50)


# ----------------------------------------------------------------------------- ceilings
def test_batches_are_cut_by_size_and_by_tokens() -> None:
    cutter: BatchCutter[int] = BatchCutter(size=3, room=100)
    done = [batch for i in range(7) for batch in cutter.add(i, 40)]
    assert done == [[0, 1], [2, 3], [4, 5]]
    assert cutter.flush() == [6]
    cutter = BatchCutter(size=3, room=1000)
    assert [b for i in range(4) for b in cutter.add(i, 1)] == [[0, 1, 2]]


def test_parts_keep_order_fit_the_room_and_are_as_few_as_possible() -> None:
    sizes = [30, 50, 20, 70, 10, 40, 60, 20]
    parts = split_to_fit(list(range(len(sizes))), lambda i: sizes[i], 100)
    assert [i for part in parts for i in part] == list(range(len(sizes)))
    assert all(sum(sizes[i] for i in part) <= 100 for part in parts)
    assert len(parts) == 4  # 300 tokens: at least 3 parts; 4 is the fewest consecutive cut
    assert split_to_fit([1, 2], lambda i: 10, 100) == [[1, 2]]


def test_a_request_over_the_ceiling_is_refused_before_it_is_sent(tmp_path: Path) -> None:
    taxonomy = load_taxonomy(None)
    small = ModelConfig(context_tokens=300)
    cache = AnswerCache(tmp_path / "cache")
    try:
        seam = Seam(cache, taxonomy, {"default": small})
        paper = {"paper_id": "p1", "title": "A title", "abstract": "An abstract. " * 50}
        answers = asyncio.run(seam.ask("screen", [paper]))
    finally:
        cache.close()
    assert answers["p1"].value is None
    assert "over the ceiling of 300" in (answers["p1"].error or "")
    assert seam.stats["screen"].calls == 0


# ---------------------------------------------------------------- map-reduce synthesis
def _recorded_build(out: Path, config: ModelConfig) -> tuple[Any, list[dict[str, Any]]]:
    """A build of the shipped dump with ``config``, and every section request it made."""
    requests: list[dict[str, Any]] = []
    original = Seam.ask_document

    async def recording(self: Seam, stage: str, item: str, payload: dict[str, Any], *rest: Any):  # type: ignore[no-untyped-def]
        requests.append(payload)
        return await original(self, stage, item, payload, *rest)

    Seam.ask_document = recording  # type: ignore[method-assign,assignment]
    try:
        result = build(
            BuildOptions(
                paths=[DUMP],
                out_dir=out / "outputs",
                cache_dir=out / "cache",
                taxonomy=load_taxonomy(None),
                models={"default": config},
                settings=AskSettings(),
            )
        )
    finally:
        Seam.ask_document = original  # type: ignore[method-assign]
    return result, requests


@pytest.fixture(scope="module")
def mapped_build(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One build of a shipped dump under a 9,000-token ceiling, recording every section request."""
    tmp = tmp_path_factory.mktemp("mapreduce")
    result, requests = _recorded_build(tmp, ModelConfig(context_tokens=9000))
    return {"result": result, "requests": requests, "out": tmp / "outputs"}


def test_every_request_of_every_stage_fits_its_ceiling(mapped_build: dict[str, Any]) -> None:
    result = mapped_build["result"]
    assert result.ok
    stages = result.report["stages"]
    assert set(stages) == {"screen", "classify", "extract", "synthesize"}
    for stage, stats in stages.items():
        assert 0 < stats["largest_request_tokens"] <= 9000, stage


def test_sections_are_written_in_parts_and_aggregates_from_summaries(
    mapped_build: dict[str, Any],
) -> None:
    relevant = [r for r in mapped_build["result"].records if r.relevant]
    requests = mapped_build["requests"]
    assert all(len(r["papers"]) < len(relevant) for r in requests)  # never all papers at once
    aggregates = [r for r in requests if r["kind"] in AGGREGATES]
    assert {r["kind"] for r in aggregates} == set(AGGREGATES)
    for request in aggregates:
        assert request["papers"] == []
        assert request["summaries"] and request["corpus"]["papers"] == len(relevant)
    parts = [r for r in requests if r.get("part")]
    assert any(r["kind"] == "leaf" for r in parts)  # a leaf too large for one request
    sections = json.loads((mapped_build["out"] / "sections.json").read_text(encoding="utf-8"))
    leaf = next(r["section"] for r in parts if r["kind"] == "leaf")
    assert f"{leaf}#1" in sections and f"{leaf}#2" in sections
    survey = (mapped_build["out"] / "survey.md").read_text(encoding="utf-8")
    for paper in relevant:  # every paper is still in the survey (prose or appendix)
        assert f"#ref-{paper.key}" in survey or f"[[{paper.key}]]" in survey


def test_a_leaf_in_parts_is_one_text_whose_parts_open_paragraphs() -> None:
    written = {
        "leaf#2": Previous("b", ["c.", "d.", "e."], [2]),
        "leaf#1": Previous("a", ["a.", "b."], [1]),
        "challenges/notes#1": Previous("n", ["Note."]),
    }
    texts = as_section_texts(written)
    assert set(texts) == {"leaf"}
    assert texts["leaf"].sentences == ["a.", "b.", "c.", "d.", "e."]
    assert texts["leaf"].paragraph_starts == [1, 2, 4]


def test_the_ceiling_is_the_models_own_unless_given() -> None:
    assert ModelConfig(model="local/taxonomist").ceiling == CONTEXT_TOKENS
    assert ModelConfig(model="openai/gpt-4o-mini").ceiling == DEFAULT_CONTEXT_TOKENS
    assert ModelConfig(model="local/taxonomist", context_tokens=9000).ceiling == 9000
    assert ModelConfig(model="openai/gpt-4o-mini", context_tokens=128_000).ceiling == 128_000


def test_aggregates_get_all_papers_when_they_fit(tmp_path: Path) -> None:
    """Under the embedded model's own ceiling the shipped dump fits one request: the
    introduction, challenges and conclusion are written from the papers, no section in parts."""
    result, requests = _recorded_build(tmp_path, ModelConfig())
    assert result.ok
    relevant = sorted(r.key for r in result.records if r.relevant)
    aggregates = {r["kind"]: r for r in requests if r["kind"] in AGGREGATES}
    assert set(aggregates) == set(AGGREGATES)
    for request in aggregates.values():
        assert [p["key"] for p in request["papers"]] == relevant
        assert "summaries" not in request
    assert not any(r.get("part") or r["kind"] == "challenge-notes" for r in requests)
    sections = json.loads((tmp_path / "outputs" / "sections.json").read_text(encoding="utf-8"))
    assert not any("#" in section for section in sections)


def test_the_conclusion_from_summaries_cites_section_papers(mapped_build: dict[str, Any]) -> None:
    sections = json.loads((mapped_build["out"] / "sections.json").read_text(encoding="utf-8"))
    conclusion = " ".join(sections["conclusion"]["sentences"])
    assert "concentrates on" in conclusion
    relevant = {r.key for r in mapped_build["result"].records if r.relevant}
    cited = set(re.findall(r"@([\w:.-]+)", conclusion))
    assert cited <= relevant  # summaries shrink to fit: notable papers may be left out
    for text in sections.values():
        assert "upvoted" not in " ".join(text["sentences"])


# --------------------------------------------------------------------- document size
def test_large_leaves_show_a_selection_and_the_appendix_lists_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records, taxonomy = load_records(), load_fixture_taxonomy()
    monkeypatch.setattr(render_data, "TABLE_ROWS", 1)
    data = render_data.build_survey_data(records, offline_sections(records, taxonomy), taxonomy)
    selected = data.appendix
    assert selected and all(len(leaf.rows) == 1 < leaf.total for leaf in selected)
    render_survey(records, offline_sections(records, taxonomy), taxonomy, tmp_path)
    survey = (tmp_path / "survey.md").read_text(encoding="utf-8")
    appendix = survey.split("## Appendix. Complete paper lists", 1)[1]
    for leaf in selected:
        assert f"The table shows 1 of the {leaf.total} papers of this leaf" in survey
        for row in leaf.complete:
            assert f"[[{row.ref.key}]](#{row.ref.anchor})" in appendix
    with (tmp_path / "papers.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["id"] for row in rows] == sorted(r.id for r in records)
    assert {row["key"]: row["leaves"] for row in rows} == {
        r.key: ";".join(r.leaves) for r in records
    }


def test_a_large_survey_is_split_into_linked_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records, taxonomy = load_records(), load_fixture_taxonomy()
    sections = offline_sections(records, taxonomy)
    monkeypatch.setattr(render_data, "SPLIT_MARKDOWN_FROM", 1)
    monkeypatch.setattr(render_data, "TABLE_ROWS", 1)
    render_survey(records, sections, taxonomy, tmp_path)
    pages = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.md")}
    levels = {f"survey/{level.id}.md" for level in taxonomy.levels}
    assert pages == {"survey.md", "survey/appendix.md", "survey/references.md"} | levels
    index = (tmp_path / "survey.md").read_text(encoding="utf-8")
    references = (tmp_path / "survey" / "references.md").read_text(encoding="utf-8")
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', references))
    assert "## References" not in index and "## 3." not in index
    assert f"(survey/{taxonomy.levels[0].id}.md#" in index  # the contents page links pages
    for name in ["survey.md", *sorted(levels), "survey/appendix.md"]:
        text = (tmp_path / name).read_text(encoding="utf-8")
        prefix = "survey/references.md" if name == "survey.md" else "references.md"
        links = re.findall(r"\]\(([^)#]*)#(ref-[^)]+)\)", text)
        assert links, name
        assert {page for page, _ in links} == {prefix}, name
        assert {anchor for _, anchor in links} <= anchors, name
    # Smaller again: one survey.md, the pages of the split survey are gone.
    monkeypatch.setattr(render_data, "SPLIT_MARKDOWN_FROM", 10_000)
    render_survey(records, sections, taxonomy, tmp_path)
    assert not (tmp_path / "survey").exists()
    assert "## References" in (tmp_path / "survey.md").read_text(encoding="utf-8")
