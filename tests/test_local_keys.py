"""Cache keys cover what a model reads for each item, and nothing more.

The embedded model's key of a paper names the leaf ids and the cues found in the paper's text
(pipeline/local_model/keys.py): every taxonomy edit below is made, and for every paper and
paper stage an answer that changes must come with a changed key (a stale key would replay the
old answer), while an edit that cannot change an answer keeps the key (no needless re-ask).
Answers come from the provider reading the request rendered for that paper, as in a build.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipeline.local_model import provider
from pipeline.seam.ask import Seam
from pipeline.seam.cache import AnswerCache
from pipeline.seam.request import numbered
from pipeline.seam.settings import ModelConfig
from pipeline.taxonomy import load_taxonomy
from schemas.stages import STAGE_MODELS
from schemas.survey import SectionDraft
from schemas.taxonomy import Taxonomy

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "classics" / "classics.jsonl"
PAPER_STAGES = ("screen", "classify", "extract")
Edit = Callable[[dict[str, Any]], None]


def papers() -> list[dict[str, str]]:
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return [
        {"paper_id": f"p{n:03d}", "title": item["title"], "abstract": item["abstract"]}
        for n, item in enumerate(map(json.loads, lines))
    ]


PAPERS = papers()


def leaf(data: dict[str, Any], leaf_id: str) -> dict[str, Any]:
    return next(x for level in data["levels"] for x in level["leaves"] if x["id"] == leaf_id)


def seam_for(taxonomy: Taxonomy, tmp_path: Path, model: str = "local/taxonomist") -> Seam:
    return Seam(AnswerCache(tmp_path / "cache"), taxonomy, {"default": ModelConfig(model=model)})


def answers_and_keys(
    taxonomy: Taxonomy, tmp_path: Path
) -> dict[tuple[str, str], tuple[str, dict[str, Any]]]:
    """(stage, paper) -> (cache key, the embedded model's answer to the rendered request)."""
    seam = seam_for(taxonomy, tmp_path)
    result = {}
    for stage in PAPER_STAGES:
        prompt = seam._prompt_loader(stage)
        for paper in PAPERS:
            key = seam.document_key(stage, paper, STAGE_MODELS[stage])
            shown = prompt.render(taxonomy, numbered([paper]), True)
            result[(stage, paper["paper_id"])] = (key, provider.answer(shown)["items"][0])
    return result


def edited(edit: Edit) -> Taxonomy:
    data = load_taxonomy().model_dump(mode="json")
    edit(data)
    return Taxonomy.model_validate(data)


def add_cue(leaf_id: str, field: str, cue: str) -> Edit:
    return lambda data: leaf(data, leaf_id)[field].append(cue)


def drop_cues(leaf_id: str) -> Edit:  # the leaf falls back to cues derived from its text
    def edit(data: dict[str, Any]) -> None:
        leaf(data, leaf_id).update(cues=[], title_cues=[], negative_cues=[])

    return edit


def rename(leaf_id: str, new_id: str) -> Edit:
    return lambda data: leaf(data, leaf_id).update(id=new_id)


def swap_first_leaves(data: dict[str, Any]) -> None:
    leaves = data["levels"][0]["leaves"]
    leaves[0], leaves[1] = leaves[1], leaves[0]


def add_leaf(data: dict[str, Any]) -> None:  # the learned heads no longer cover the leaves
    data["levels"][0]["leaves"].append(
        {
            "id": "model.hashing",
            "name": "Hashing",
            "description": "Hashing tricks.",
            "cues": ["hashing"],
        }  # fmt: skip
    )


def add_out_of_scope_cue(data: dict[str, Any]) -> None:
    data["out_of_scope"][0]["cues"].append("language model*")


# Edits that change some answer of the corpus (checked: the test can fail).
CHANGING: dict[str, Edit] = {
    "body cue": add_cue("model.pruning", "cues", "quantiz*"),
    "title cue": add_cue("model.pruning", "title_cues", "quantiz*"),
    "negative cue": add_cue("model.quantization", "negative_cues", "quantiz*"),
    "out-of-scope cue": add_out_of_scope_cue,
    "derived cues": drop_cues("model.quantization"),
    "leaf id": rename("model.pruning", "model.sparsification"),
    "leaf set (learned heads)": add_leaf,
}
# Edits that no answer can depend on: the keys stay.
INERT: dict[str, Edit] = {
    "cue found nowhere": add_cue("model.pruning", "cues", "zyxwv sparsifier"),
    "description of a leaf with cues": lambda data: leaf(data, "model.pruning").update(
        description="Removing weights."
    ),
    "family cue": lambda data: leaf(data, "model.pruning")["families"][0]["cues"].append("wanda"),
    "relevance rule": lambda data: data.update(relevance="Anything efficient."),
}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Any]:
    return answers_and_keys(load_taxonomy(), tmp_path_factory.mktemp("base"))


@pytest.mark.parametrize("name", [*CHANGING, "leaf order"])
def test_every_changed_answer_has_a_changed_key(
    name: str, base: dict[tuple[str, str], Any], tmp_path: Path
) -> None:
    edit = CHANGING.get(name, swap_first_leaves)
    after = answers_and_keys(edited(edit), tmp_path)
    stale = [
        item for item in base if base[item][0] == after[item][0] and base[item][1] != after[item][1]
    ]
    assert stale == [], f"{name}: answers replayed under a stale key: {stale[:5]}"
    changed = [item for item in base if base[item][1] != after[item][1]]
    rekeyed = [item for item in base if base[item][0] != after[item][0]]
    if name in CHANGING:
        assert changed, f"{name} changes no answer of the corpus: pick another edit"
    if name not in ("leaf id", "leaf set (learned heads)", "leaf order"):
        # a local edit re-asks only papers it touches, not the corpus
        assert len(rekeyed) < len(base) / 2, (name, len(rekeyed))


@pytest.mark.parametrize("name", list(INERT))
def test_an_edit_no_answer_reads_keeps_every_key(
    name: str, base: dict[tuple[str, str], Any], tmp_path: Path
) -> None:
    after = answers_and_keys(edited(INERT[name]), tmp_path)
    assert {item: key for item, (key, _) in after.items()} == {
        item: key for item, (key, _) in base.items()
    }


def test_the_model_version_is_in_every_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.local_model import registry

    seam = seam_for(load_taxonomy(), tmp_path)
    before = seam.document_key("classify", PAPERS[0], STAGE_MODELS["classify"])
    monkeypatch.setattr(registry, "local_model_version", lambda: "new-weights")
    assert seam.document_key("classify", PAPERS[0], STAGE_MODELS["classify"]) != before


def test_a_cue_edit_re_asks_exactly_the_papers_it_is_found_in(tmp_path: Path) -> None:
    import asyncio

    taxonomy = load_taxonomy()
    seam = seam_for(taxonomy, tmp_path)
    asyncio.run(seam.ask("classify", PAPERS))
    cue = "post-training quantization"
    found = [p for p in PAPERS if cue in (p["title"] + " " + p["abstract"]).lower()]
    assert 0 < len(found) < len(PAPERS) / 2
    again = seam_for(edited(add_cue("system.compiler", "cues", cue)), tmp_path)
    asyncio.run(again.ask("classify", PAPERS))
    stats = again.stats["classify"]
    assert stats.papers - stats.cache_hits == len(found)
    assert stats.why == {"changed taxonomy": len(found)}


def section_keys(taxonomy: Taxonomy, tmp_path: Path, model: str) -> dict[str, str]:
    from pipeline.stages.synthesize import payload

    seam = seam_for(taxonomy, tmp_path, model)
    return {
        section: seam.document_key("synthesize", payload(section, taxonomy, [], []), SectionDraft)
        for section in ("introduction", "surveys", "model.pruning", "model.quantization")
    }


def test_a_section_is_keyed_on_what_its_writer_reads(tmp_path: Path) -> None:
    model = "local/taxonomist"
    base = section_keys(load_taxonomy(), tmp_path, model)

    def changed(edit: Edit) -> set[str]:
        after = section_keys(edited(edit), tmp_path, model)
        return {section for section in base if base[section] != after[section]}

    # The leaf's own cues are read by no writer; its families' cues group its papers.
    assert changed(add_cue("model.pruning", "cues", "sparsifier")) == set()
    family_cue = changed(lambda d: leaf(d, "model.pruning")["families"][0]["cues"].append("x"))
    assert family_cue == {"introduction", "surveys", "model.pruning"}
    renamed = changed(lambda d: leaf(d, "model.pruning").update(name="Sparsity"))
    assert renamed == {"introduction", "surveys", "model.pruning"}


def test_a_remote_model_is_keyed_on_the_prompt_it_is_shown(tmp_path: Path) -> None:
    model = "openai/gpt-4o-mini"
    taxonomy = load_taxonomy()
    seam = seam_for(taxonomy, tmp_path, model)
    key = seam.document_key("classify", PAPERS[0], STAGE_MODELS["classify"])
    system = seam._prompt_loader("classify").render(taxonomy, [PAPERS[0]], False)[0]["content"]
    assert "sha256:" not in system and "model.pruning: " in system

    cue = seam_for(edited(add_cue("model.pruning", "cues", "quantiz*")), tmp_path, model)
    assert cue.document_key("classify", PAPERS[0], STAGE_MODELS["classify"]) == key
    name = seam_for(
        edited(lambda d: leaf(d, "model.pruning").update(name="Sparsity")), tmp_path, model
    )
    assert name.document_key("classify", PAPERS[0], STAGE_MODELS["classify"]) != key
