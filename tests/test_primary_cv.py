"""bench/primary_cv.py: a learned choice of the primary leaf, scored as the local model is."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from bench import primary_cv
from pipeline.evaluate import score
from pipeline.local_model import LocalModel
from pipeline.local_model.learned import from_json, level_of
from pipeline.local_model.training import (
    Example,
    _heads,
    analyse,
    fit_levels_head,
    item_levels,
    levels_answer,
)
from pipeline.taxonomy import load_taxonomy
from schemas.taxonomy import Taxonomy

ROOT = Path(__file__).resolve().parent.parent
CLASSICS = ROOT / "tests" / "fixtures" / "classics" / "classics.jsonl"


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


@pytest.fixture(scope="module")
def papers(taxonomy: Taxonomy) -> list[primary_cv.Paper]:
    rows = [json.loads(line) for line in CLASSICS.read_text().splitlines() if line]
    examples = [
        Example(r["title"], r["abstract"], r["relevant"], r["primary"], tuple(r["leaves"]))
        for r in rows
    ]
    return [primary_cv.paper_of(item, taxonomy.leaf_ids) for item in analyse(examples, taxonomy)]


def test_candidates_start_with_the_rules_primary(papers: list[primary_cv.Paper]) -> None:
    for paper in papers:
        top = primary_cv.top3(paper)
        per_level = primary_cv.best_per_level(paper)
        assert top[0] == per_level[0] == paper.item.rule_leaves[0]
        assert len(set(top)) == len(top) <= 3
        assert len({level_of(leaf) for leaf in per_level}) == len(per_level) <= 3
    moved = primary_cv.with_primary(papers[0].item, papers[0].ranked[-1])
    assert moved.rule_leaves[0] == papers[0].ranked[-1]
    assert sorted(set(moved.rule_leaves)) == sorted(
        set(papers[0].item.rule_leaves) | {papers[0].ranked[-1]}
    )


def test_the_baseline_is_scored_as_the_local_model_answers(
    taxonomy: Taxonomy, papers: list[primary_cv.Paper]
) -> None:
    # The bench keeps the rules' relevance: a relevance threshold of 0 vetoes nothing.
    items = [p.item for p in papers]
    _, level_c, threshold = fit_levels_head(items)
    data = _heads(items, taxonomy.leaf_ids, [primary_cv.MEMBERSHIP], level_c)[0]
    data["leaf_threshold"], data["level_threshold"] = primary_cv.LEAF_THRESHOLD, threshold
    data["relevance_threshold"] = 0.0
    model = from_json(data)
    local = LocalModel(taxonomy, learned=model)
    order = {leaf: i for i, leaf in enumerate(taxonomy.leaf_ids)}
    records, gold, tally = [], [], primary_cv.Tally()
    for item in items:
        e = item.example
        relevant = local.screen(e.title, e.abstract)["relevant"]
        answer = local.classify(e.title, e.abstract)
        leaves = answer["leaves"] if relevant else []
        records.append({"title": e.title, "relevant": relevant, "leaves": leaves,
                        "primary": answer["primary"] if relevant else None})  # fmt: skip
        gold.append({"title": e.title, "relevant": e.relevant, "primary": e.primary,
                     "leaves": list(e.leaves)})  # fmt: skip
        if relevant:
            primary = item.rule_leaves[0]
            levels, chosen = primary_cv.answer(model, order, item, primary, threshold)
            assert chosen == set(leaves)
            tally.add(item, primary, levels, chosen)
        else:
            tally.add(item, None, set(), set())
    expected = score(gold, records)
    got = tally.scores()
    assert got["strict"] == pytest.approx(expected.primary_strict)
    assert got["lenient"] == pytest.approx(expected.primary_lenient)
    assert got["levels"] == pytest.approx(expected.levels_f1)
    assert got["leaves"] == pytest.approx(expected.leaves_f1)


@pytest.mark.parametrize("variant", [primary_cv.VARIANTS[0], primary_cv.VARIANTS[-1]])
def test_the_inner_choice_never_does_worse_than_the_rules(
    papers: list[primary_cv.Paper], variant: primary_cv.Variant
) -> None:
    items = [p.item for p in papers]
    train = list(range(len(papers)))
    head, _, threshold = fit_levels_head(items)
    reranker = primary_cv.Reranker(variant, papers, train)
    c, margin, value = primary_cv.inner_choice(reranker, train, head, threshold)
    assert c in primary_cv.RERANK_CS and margin in primary_cv.MARGINS
    rules = primary_cv.Tally()
    for item in items:
        if not item.signal.relevant:
            rules.add(item, None, set(), set())
            continue
        levels = levels_answer(item, item_levels(head, item), threshold)
        rules.add(item, item.rule_leaves[0], levels, set())
    baseline = rules.scores()
    assert value >= baseline["lenient"] + baseline["levels"] - 1e-9
    # Never switching answers the rules' primary; switching at any gain answers another leaf.
    fitted = reranker.fit(train, c)
    for i, paper in enumerate(papers):
        other = reranker.best_other(fitted, i)
        assert primary_cv.primary_of(paper, other, math.inf) == paper.ranked[0]
        if len(variant.candidates(paper)) > 1:
            assert primary_cv.primary_of(paper, other, -math.inf) != paper.ranked[0]
