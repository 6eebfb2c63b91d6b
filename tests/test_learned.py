"""The local model's learned heads, out-of-scope topics, title-only papers and confidence."""

from __future__ import annotations

import json
import math
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.local_model import LocalModel
from pipeline.local_model.learned import (
    NEVER,
    RERANK_CLASSES,
    RERANK_PAIRS,
    WEIGHTS_PATH,
    Head,
    LearnedModel,
    Prediction,
    best_other_class,
    choose_leaves,
    class_candidates,
    class_features,
    class_logits,
    contribution_weights,
    from_json,
    head_relevant,
    level_features,
    level_of,
    level_probabilities,
    primary_candidates,
    rerank_features,
    shipped_model,
    terms,
    tfidf,
)
from pipeline.local_model.registry import model_digest
from pipeline.local_model.scoring import LeafScore
from pipeline.local_model.training import (
    CLASS_CS,
    LEAF_CONFIGS,
    LEVEL_CS,
    RERANK_CS,
    Analysed,
    Example,
    LeafConfig,
    LevelFeatures,
    _Candidates,
    _Classes,
    _idf,
    analyse,
    best_threshold,
    choose_leaf_config,
    choose_levels,
    choose_relevance_policy,
    choose_reranker,
    f_beta,
    fit,
    fit_analysed,
    fit_levels_head,
    item_levels,
    levels_f1_of,
    one_paper_of_f_beta,
    predict,
    with_primary,
)
from pipeline.stages.screen import apply, low_confidence
from pipeline.taxonomy import load_taxonomy
from schemas.paper import Paper
from schemas.record import PaperRecord
from schemas.stages import Screening
from schemas.taxonomy import Taxonomy

ROOT = Path(__file__).resolve().parent.parent
CLASSICS = ROOT / "tests" / "fixtures" / "classics" / "classics.jsonl"

COLOUR_TITLE = "Name Your Colour For the Task: Artificially Discover Colour Naming via Colour Quantisation Transformer"  # noqa: E501
COLOUR_ABSTRACT = (
    "The long-standing theory that a colour-naming system evolves under dual pressure of "
    "efficient communication and perceptual mechanism is supported by more and more "
    "linguistic studies. We propose a novel colour quantisation transformer, CQFormer, that "
    "quantises colour space while maintaining the accuracy of machine recognition on the "
    "quantised images. Given an RGB image, the annotation branch maps it into an index map "
    "before generating the quantised image with a colour palette. The colour naming systems "
    "it discovers resemble those of human languages."
)
TITLE_ONLY_TITLE = "Pruning Large Language Models for Faster Inference"
TITLE_ONLY_ABSTRACT = (
    "We study how people describe their favourite recipes. We interview forty home cooks and "
    "report recurring themes in their stories."
)


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


@pytest.fixture(scope="module")
def classics() -> list[Example]:
    rows = [json.loads(line) for line in CLASSICS.read_text().splitlines() if line]
    return [
        Example(r["title"], r["abstract"], r["relevant"], r["primary"], tuple(r["leaves"]))
        for r in rows
    ]


def test_out_of_scope_topics_weigh_against_relevance(taxonomy: Taxonomy) -> None:
    with_list = LocalModel(taxonomy, rules_only=True).analyse(COLOUR_TITLE, COLOUR_ABSTRACT)
    bare = taxonomy.model_copy(update={"out_of_scope": []})
    without = LocalModel(bare, rules_only=True).analyse(COLOUR_TITLE, COLOUR_ABSTRACT)
    assert without.signal.out_of_scope == 0.0
    assert with_list.signal.out_of_scope > 3.0
    # Same weight as the leaf cues: the score drops by exactly the out-of-scope cue score.
    drop = without.signal.score - with_list.signal.score
    assert drop == pytest.approx(with_list.signal.out_of_scope)
    assert not with_list.relevant
    assert not LocalModel(taxonomy).screen(COLOUR_TITLE, COLOUR_ABSTRACT)["relevant"]


def test_a_title_alone_does_not_make_a_paper_relevant(taxonomy: Taxonomy) -> None:
    for model in (LocalModel(taxonomy, rules_only=True), LocalModel(taxonomy)):
        analysis = model.analyse(TITLE_ONLY_TITLE, TITLE_ONLY_ABSTRACT)
        assert analysis.signal.title_only
        screening = model.screen(TITLE_ONLY_TITLE, TITLE_ONLY_ABSTRACT)
        assert screening["relevant"] is False
        assert "only the title" in screening["reason"]
    # The same title over an abstract that backs it is relevant.
    backed = "We prune 50% of the weights of LLaMA and cut inference latency by 1.8x."
    assert LocalModel(taxonomy).screen(TITLE_ONLY_TITLE, backed)["relevant"] is True


def test_training_is_deterministic_and_learns_the_training_set(
    taxonomy: Taxonomy, classics: list[Example]
) -> None:
    first = fit(classics, taxonomy)
    second = fit(classics, taxonomy)
    assert json.dumps(first.to_json(), sort_keys=True) == json.dumps(
        second.to_json(), sort_keys=True
    )
    model = LocalModel(taxonomy, learned=first)
    relevant = [e for e in classics if e.relevant]
    right = sum(model.classify(e.title, e.abstract)["primary"] in e.leaves for e in relevant)
    assert right / len(relevant) > 0.9
    # The JSON form answers exactly like the fitted model.
    again = LocalModel(taxonomy, learned=from_json(json.loads(json.dumps(first.to_json()))))
    for e in classics[:20]:
        assert again.screen(e.title, e.abstract) == model.screen(e.title, e.abstract)
        assert again.classify(e.title, e.abstract) == model.classify(e.title, e.abstract)


def test_the_most_regularised_near_best_membership_config_is_chosen() -> None:
    strong, middle, weak = LeafConfig(0.25, False), LeafConfig(1.0, False), LeafConfig(4.0, True)
    # Within the tolerance of the best: the most regularised (first) wins.
    assert choose_leaf_config({strong: 0.880, middle: 0.882, weak: 0.8825}, 0.003) == strong
    # Clearly worse: the best one wins, whatever its place.
    assert choose_leaf_config({strong: 0.85, middle: 0.86, weak: 0.88}, 0.003) == weak
    assert choose_leaf_config({strong: 0.85, middle: 0.88, weak: 0.87}, 0.003) == middle
    assert LEAF_CONFIGS[0].c == min(c.c for c in LEAF_CONFIGS)


def test_a_flat_f_beta_does_not_pick_the_threshold_by_a_hair() -> None:
    """Scores within one paper of the best are a tie, and the tie goes to the threshold nearest
    0.5: a retraining that moves the best by a hair must not move the threshold."""
    gold = [True] * 40 + [False] * 10
    kept = [True] * 38 + [False] * 2 + [True] * 6 + [False] * 4
    one = one_paper_of_f_beta(gold, kept, 2.0)
    assert one > 0
    # The F-beta one relevant paper fewer would score is exactly one paper below.
    fewer = [True] * 37 + [False] * 3 + [True] * 6 + [False] * 4
    assert one == pytest.approx(f_beta(gold, kept, 2.0) - f_beta(gold, fewer, 2.0))
    flat = {0.1: 0.9396, 0.15: 0.9396, 0.2: 0.9392, 0.25: 0.9364}

    def score(t: float) -> float:
        return flat.get(t, 0.5)

    assert best_threshold(score) == (0.15, 0.9396)  # the best by a hair; exact tie: nearest 0.5
    assert best_threshold(score, tolerance=0.0017) == (0.2, 0.9392)


def test_the_override_is_kept_only_when_it_finds_relevant_papers_the_rules_miss() -> None:
    """The head's override of the rules (training.choose_relevance_policy): NEVER unless a lower
    override raises F-beta, and then the highest override that does."""
    gold = [True] * 10 + [False] * 10
    rules = [True] * 8 + [False] * 2 + [True] * 2 + [False] * 8
    head = [0.9] * 8 + [0.85, 0.4] + [0.1, 0.1] + [0.55] + [0.1] * 7

    def answers(t: float, override: float) -> list[bool]:
        return [head_relevant(r, p, t, override) for r, p in zip(rules, head, strict=True)]

    assert choose_relevance_policy(gold, answers) == (0.5, 0.8)  # 0.85 found; 0.5 lets in a 0.55
    # When nothing the rules keep out is in scope, the head never overrides them.
    nothing = [True] * 8 + [False] * 12
    assert choose_relevance_policy(nothing, answers)[1] == NEVER
    # Never on the title alone, however sure the head is.
    assert head_relevant(False, 0.99, 0.5, 0.8) is True
    assert head_relevant(False, 0.99, 0.5, 0.8, title_only=True) is False


def test_membership_without_word_pairs_has_no_pair_weights(
    taxonomy: Taxonomy, classics: list[Example]
) -> None:
    items = analyse(classics, taxonomy)
    leaf_ids = taxonomy.leaf_ids
    unigrams = fit_analysed(items, leaf_ids, configs=[LeafConfig(1.0, False)])
    with_pairs = fit_analysed(items, leaf_ids, configs=[LeafConfig(1.0, True)])

    def pair_weights(model: LearnedModel) -> int:
        weights = model.membership.weights
        return sum(1 for k in weights if "|" in k and " " in k.split("|", 1)[1])

    assert pair_weights(unigrams) == 0
    assert pair_weights(with_pairs) > 0
    # The choice is recorded in the weights and survives their JSON form.
    recorded = from_json(json.loads(json.dumps(unigrams.to_json()))).membership_config
    assert recorded["c"] == 1.0 and recorded["pairs"] is False
    assert 0.0 < recorded["inner_levels_f1"] <= 1.0
    assert 0.0 < recorded["inner_leaves_f1"] <= 1.0
    assert recorded["level_c"] in LEVEL_CS


def test_other_levels_come_from_the_levels_head_only() -> None:
    position = {leaf: i for i, leaf in enumerate(
        ["model.pruning", "model.quantization", "system.serving", "system.distributed",
         "hardware.accelerators"])}  # fmt: skip
    membership = {"model.pruning": 0.9, "model.quantization": 0.6, "system.serving": 0.3,
                  "system.distributed": 0.7, "hardware.accelerators": 0.95}  # fmt: skip
    primary = {leaf: 0.2 for leaf in membership}

    def leaves(levels: dict[str, float]) -> list[str]:
        prediction = Prediction(0.9, membership, primary, levels)
        return choose_leaves(prediction, "model.pruning", 0.5, 0.5, position)

    # No other level: only leaves of the primary's level, however sure the membership head is.
    assert leaves({"system": 0.2, "hardware": 0.4}) == ["model.pruning", "model.quantization"]
    # An added level brings its most probable leaf (first), then leaves above the threshold.
    assert leaves({"system": 0.8, "hardware": 0.1}) == [
        "model.pruning", "system.distributed", "model.quantization"]  # fmt: skip
    # Its best leaf comes in even when the membership head alone would not keep it.
    low = {**membership, "system.distributed": 0.1}
    prediction = Prediction(0.9, low, primary, {"system": 0.8, "hardware": 0.1})
    assert choose_leaves(prediction, "model.pruning", 0.5, 0.5, position) == [
        "model.pruning", "system.serving", "model.quantization"]  # fmt: skip
    # At most four leaves, the added levels' best leaves kept first.
    everything = leaves({"system": 0.9, "hardware": 0.9})
    assert everything[:3] == ["model.pruning", "hardware.accelerators", "system.distributed"]
    assert len(everything) == 4


def test_the_levels_head_reads_cue_scores_not_words(taxonomy: Taxonomy) -> None:
    model = LocalModel(taxonomy, rules_only=True)
    a = model.analyse("Pruning LLMs on GPUs", "We prune 50% of weights and run it on GPUs.")
    features = level_features("hardware", a.scores, list(a.choice.leaves))
    leaves = set(taxonomy.leaf_ids)
    for name in features:
        tail = name.rsplit(":", 1)[-1] if ":" in name else ""
        assert not tail or tail in leaves, name  # per-leaf cue scores, never a word
    assert features["bias|hardware"] == 1.0
    assert features[f"from|{a.choice.primary.split('.')[0]}>hardware"] == 1.0
    assert 0.0 <= features["share"] <= 1.0


def test_the_levels_shortcut_answers_like_the_model(
    taxonomy: Taxonomy, classics: list[Example]
) -> None:
    # bench/levels_errors.py fits the levels head alone: it must choose what the full fit
    # chooses and score the levels the local model answers.
    from pipeline.evaluate import score

    items = analyse(classics, taxonomy)
    head, c, threshold = fit_levels_head(items)
    model = fit_analysed(items, taxonomy.leaf_ids, configs=[LeafConfig(1.0, False)])
    assert (c, threshold) == (model.membership_config["level_c"], model.level_threshold)
    assert head.weights == model.levels.weights and head.bias == model.levels.bias
    local = LocalModel(taxonomy, learned=model)
    records, gold = [], []
    for e in classics:
        relevant = local.screen(e.title, e.abstract)["relevant"]
        leaves = local.classify(e.title, e.abstract)["leaves"] if relevant else []
        levels = sorted({level_of(leaf) for leaf in leaves})
        records.append({"title": e.title, "relevant": relevant, "leaves": leaves,
                        "levels": levels})  # fmt: skip
        gold.append({"title": e.title, "relevant": e.relevant, "leaves": list(e.leaves)})
    probabilities = [level_probabilities(head, i.scores, i.rule_leaves) for i in items]
    shortcut = levels_f1_of(items, probabilities, threshold)
    assert shortcut == pytest.approx(score(gold, records).levels_f1)
    # A threshold above every probability leaves only the primaries' levels.
    assert levels_f1_of(items, probabilities, 1.1) != shortcut


def test_extra_level_features_reach_the_levels_head(
    taxonomy: Taxonomy, classics: list[Example]
) -> None:
    # bench/embeddings_cv.py adds features to the levels head's rows; without them the head is
    # the shipped one, and with a feature that tells the gold level it answers the gold levels.
    items = analyse(classics, taxonomy)
    made_from: list[int] = []

    def oracle(train: list[Analysed]) -> LevelFeatures:
        made_from.append(len(train))

        def more(item: Analysed, level: str) -> dict[str, float]:
            gold = {level_of(leaf) for leaf in item.example.leaves}
            return {"oracle": 3.0 if level in gold else -3.0}

        return more

    head, _, _ = fit_levels_head(items)
    assert all(
        item_levels(head, item) == level_probabilities(head, item.scores, item.rule_leaves)
        for item in items
    )
    plain = choose_levels(items)
    told = choose_levels(items, extra=oracle)
    # One set of features per inner training part, made from that part only.
    assert len(made_from) == 3 and all(n < len(items) for n in made_from)
    assert told.inner_f1 > plain.inner_f1
    told_head, _, threshold = fit_levels_head(items, oracle)
    assert told_head.weights["oracle"] > 0
    more = oracle(items)
    levels = [item_levels(told_head, item, more) for item in items]
    assert levels_f1_of(items, levels, threshold) > levels_f1_of(
        items, [item_levels(head, item) for item in items], threshold
    )


def test_shipped_weights_give_a_confidence_in_every_screening(taxonomy: Taxonomy) -> None:
    assert shipped_model() is not None, "weights.json is missing: run `make train-local`"
    model = LocalModel(taxonomy)
    screening = model.screen(COLOUR_TITLE, COLOUR_ABSTRACT)
    Screening.model_validate({"paper_id": "p" + "0" * 11, **screening})
    assert 0.0 <= screening["confidence"] <= 1.0


def test_weights_for_other_leaves_are_not_used() -> None:
    custom = Taxonomy.model_validate(
        {
            "levels": [
                {"id": "topic", "name": "Topics", "description": "Two topics.",
                 "leaves": [{"id": "topic.pruning", "name": "Pruning", "description": "Pruning."},
                            {"id": "topic.caching", "name": "Caching", "description": "Caches."}]}
            ]
        }
    )  # fmt: skip
    model = LocalModel(custom)
    assert model.learned is None
    assert "confidence" not in model.screen(TITLE_ONLY_TITLE, "We prune weights of LLMs.")


def test_weights_change_the_model_version(tmp_path: Path) -> None:
    copy = tmp_path / "local_model"
    shutil.copytree(WEIGHTS_PATH.parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = model_digest(copy)
    weights = json.loads((copy / "weights.json").read_text())
    weights["leaf_threshold"] = 0.123
    (copy / "weights.json").write_text(json.dumps(weights))
    assert model_digest(copy) != before


def test_wrong_weights_format_names_the_fix() -> None:
    with pytest.raises(ValueError, match="make train-local"):
        from_json({"format": 99})


def test_weights_fitted_at_other_embedding_scales_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pipeline.local_model import learned

    data = json.loads(WEIGHTS_PATH.read_text())
    # the shipped weights record the scales this code reads the embedding at
    assert data["embedding_scales"] == {
        "relevance": learned.EMBEDDING_SCALE,
        "rerank": learned.CLASS_EMBEDDING_SCALE,
    }
    assert from_json(data).to_json()["embedding_scales"] == data["embedding_scales"]
    unrecorded = {k: v for k, v in data.items() if k != "embedding_scales"}
    with pytest.raises(ValueError, match="make train-local"):
        from_json(unrecorded)
    monkeypatch.setattr(learned, "CLASS_EMBEDDING_SCALE", 4.0)
    with pytest.raises(ValueError, match=r"embedding at scales .*'rerank': 3"):
        from_json(data)
    # weights fitted without an embedding read none: no scale to agree on
    assert from_json({k: v for k, v in data.items() if k not in ("embedding", "embedding_scales")})


def test_low_confidence_papers_are_listed_least_confident_first() -> None:
    records = []
    for n, confidence in enumerate([0.9, 0.3, None, 0.5]):
        paper = Paper.model_validate(
            {"id": f"p{n:011d}", "key": f"k{n}", "title": f"T{n}", "abstract": "A.",
             "sources": [{"file": "d.txt", "line": n + 1, "layout": "jsonl"}]}
        )  # fmt: skip
        record = PaperRecord.model_validate(paper.model_dump())
        apply(record, Screening(paper_id=paper.id, relevant=True, kind="method",
                                reason="r", confidence=confidence))  # fmt: skip
        records.append(record)
    assert records[0].confidence == 0.9
    listed = low_confidence(records)
    assert [item["title"] for item in listed] == ["T1", "T3"]


# --- the primary re-ranker ----------------------------------------------------------------------


def _with_reranker(model: LearnedModel, favour: str, margin: float) -> LearnedModel:
    """The model with a re-ranker that prefers candidates of ``favour``'s level by a logit of 5."""
    head = Head({f"level|{level_of(favour)}": 5.0}, 0.0)
    return replace(model, reranker=head, rerank_margin=margin)


def test_the_reranker_moves_the_primary_only_past_its_margin(
    taxonomy: Taxonomy, classics: list[Example]
) -> None:
    base = fit_analysed(analyse(classics, taxonomy), taxonomy.leaf_ids, inner=False)
    assert base.reranker is None  # without the inner choice there is none
    # A paper whose rules' primary is a model leaf and that has a system candidate.
    for e in classics:
        rules = LocalModel(taxonomy, rules_only=True).analyse(e.title, e.abstract)
        candidates = primary_candidates(rules.scores, list(rules.choice.leaves))
        others = [c for c in candidates[1:] if level_of(c) == "system"]
        if level_of(candidates[0]) == "model" and others:
            break
    else:
        pytest.fail("no classic with a model primary and a system candidate")
    assert candidates[0] == rules.choice.primary and len(candidates) <= 3
    moved = LocalModel(taxonomy, learned=_with_reranker(base, others[0], 4.0))
    kept = LocalModel(taxonomy, learned=_with_reranker(base, others[0], 6.0))
    never = LocalModel(taxonomy, learned=_with_reranker(base, others[0], math.inf))
    plain = LocalModel(taxonomy, learned=base)
    assert level_of(moved.classify(e.title, e.abstract)["primary"]) == "system"
    for model in (kept, never):
        assert model.classify(e.title, e.abstract) == plain.classify(e.title, e.abstract)
    # The other heads read the new primary: its level is among the answer's, first.
    leaves = moved.classify(e.title, e.abstract)["leaves"]
    assert level_of(leaves[0]) == "system"
    # The JSON form keeps the re-ranker and its margin; a margin of "never" is not written.
    data = _with_reranker(base, others[0], 4.0).to_json()
    assert data["rerank_margin"] == 4.0 and data["primary_rerank"]["weights"]
    again = LocalModel(taxonomy, learned=from_json(json.loads(json.dumps(data))))
    assert again.classify(e.title, e.abstract) == moved.classify(e.title, e.abstract)
    assert "primary_rerank" not in _with_reranker(base, others[0], math.inf).to_json()
    assert from_json(base.to_json()).reranker is None


def test_the_reranker_is_fitted_and_chosen_as_bench_primary_cv_measured(
    taxonomy: Taxonomy, classics: list[Example]
) -> None:
    """The shipped re-ranker is bench/primary_cv.py's "top3 all pairs": the same candidates
    (the bench ranks them with the taxonomy's leaf order), the same inner choice of C and
    margin, the same head. The features are one function (learned.rerank_features)."""
    from bench import primary_cv
    from pipeline.local_model.text import make_document

    items = analyse(classics, taxonomy)
    idf = _idf(items)
    papers = [primary_cv.paper_of(item, taxonomy.leaf_ids) for item in items]
    for item, paper in zip(items, papers, strict=True):
        assert primary_candidates(item.scores, item.rule_leaves) == primary_cv.top3(paper)
    for item, paper in zip(items[:20], papers, strict=False):
        doc = make_document(item.example.title, item.example.abstract)
        words = tfidf(item.words, idf)
        for rank, leaf in enumerate(primary_cv.top3(paper)):
            got = rerank_features(leaf, rank, item.scores, item.rule_leaves,
                                  contribution_weights(doc, item.scores), words, item.embedding)
            cues = primary_cv.features(paper, leaf, rank, None)  # the cue variants' rows
            assert not any("|w:" in k or "|e:" in k for k in cues)
            assert {k: v for k, v in got.items() if k in cues} == cues
            if words and item.embedding is not None:  # words and embedding copied per level
                level = level_of(leaf)
                assert f"{level}|e:0" in got and any(k.startswith(f"{level}|w:") for k in got)
    levels_head, _, threshold = fit_levels_head(items)
    everyone = list(range(len(items)))
    variant = next(v for v in primary_cv.VARIANTS if v.name == "top3 all pairs")
    bench = primary_cv.Reranker(variant, papers, everyone)
    c, margin, value = primary_cv.inner_choice(bench, everyone, levels_head, threshold)
    choice = choose_reranker(items, idf, levels_head, threshold)
    assert (choice.c, choice.margin) == (c, margin)
    assert choice.inner == pytest.approx(value, abs=1e-4)
    head = bench.fit(everyone, c)
    assert choice.head.bias == head.bias
    assert {k: v for k, v in head.weights.items() if abs(v) >= 0.0005} == choice.head.weights
    ours = _Candidates(items, idf)
    for i in everyone:  # the same best other candidate, the same gain over the rules' primary
        leaf, gain = bench.best_other(head, i)
        assert ours.best_other(choice.head, i) == (leaf, pytest.approx(gain, abs=1e-3))


def test_the_margin_is_strict_and_the_other_heads_read_the_moved_primary(
    taxonomy: Taxonomy, classics: list[Example]
) -> None:
    base = fit_analysed(analyse(classics, taxonomy), taxonomy.leaf_ids, inner=False)
    from pipeline.local_model.text import make_document

    for e in classics:
        rules = LocalModel(taxonomy, rules_only=True).analyse(e.title, e.abstract)
        leaves = list(rules.choice.leaves)
        candidates = primary_candidates(rules.scores, leaves)
        if len({level_of(c) for c in candidates}) > 1:
            break
    other = next(c for c in candidates if level_of(c) != level_of(candidates[0]))
    head = Head({f"level|{level_of(other)}": 2.0}, 0.0)  # gain exactly 2 for that level
    doc = make_document(e.title, e.abstract)
    at = replace(base, reranker=head, rerank_margin=2.0)
    past = replace(base, reranker=head, rerank_margin=1.999)
    words = tfidf(terms(e.title, e.abstract), base.idf)
    assert at.choose_primary(doc, rules.scores, leaves, words, None) == leaves[0]
    assert level_of(past.choose_primary(doc, rules.scores, leaves, words, None)) == level_of(other)
    # The levels head offers levels other than the primary's: after the move, the new
    # primary's level is no longer among them, and the old one's may be.
    moved = past.predict(doc, rules.scores, rules.signal, leaves)
    assert level_of(moved.leader) == level_of(other)
    assert level_of(other) not in moved.levels
    assert level_of(leaves[0]) in moved.levels
    assert base.predict(doc, rules.scores, rules.signal, leaves).leader == leaves[0]


def test_a_training_set_without_pairs_gives_a_reranker_that_never_moves(
    taxonomy: Taxonomy, classics: list[Example]
) -> None:
    items = analyse(classics, taxonomy)
    out = [replace(i, example=replace(i.example, relevant=False)) for i in items]
    head = _Candidates(out, _idf(out)).fit(list(range(len(out))), 1.0)
    assert head.weights == {} and head.bias < -5


def test_the_reranker_is_chosen_on_inner_folds_and_never_switching_wins_ties(
    taxonomy: Taxonomy, classics: list[Example]
) -> None:
    items = analyse(classics, taxonomy)
    model = fit_analysed(items, taxonomy.leaf_ids)
    config = model.membership_config
    cs = RERANK_CS if config["rerank_kind"] == RERANK_PAIRS else CLASS_CS
    assert config["rerank_kind"] in (RERANK_PAIRS, RERANK_CLASSES)
    assert config["rerank_c"] in cs and config["inner_rerank"] > 0
    assert model.rerank_kind == config["rerank_kind"] or model.reranker is None
    assert (model.reranker is None) == (model.rerank_margin == math.inf)
    # Where the rules' primary is always the gold one, every margin ties and the rules stay.
    agreed = [
        replace(i, example=replace(i.example, primary=i.rule_leaves[0],
                                   leaves=(i.rule_leaves[0], *i.example.leaves)))
        for i in items
    ]  # fmt: skip
    same = fit_analysed(agreed, taxonomy.leaf_ids)
    assert same.reranker is None and same.rerank_margin == math.inf
    assert same.membership_config["rerank_c"] == RERANK_CS[0]
    assert same.membership_config["rerank_kind"] == RERANK_PAIRS  # the first kind wins ties
    rows = _Candidates(items, _idf(items))
    head = rows.fit(list(range(len(items))), 1.0)
    pairs = sum(len(r) - 1 for r, i in zip(rows.rows, items, strict=True)
                if i.example.relevant and i.signal.relevant)  # fmt: skip
    assert head.weights and pairs > 0
    # with_primary puts the new primary first and keeps the other rule leaves.
    item = next(i for i in items if len(i.rule_leaves) > 1)
    moved = with_primary(item, item.rule_leaves[1])
    assert moved.rule_leaves[0] == item.rule_leaves[1]
    assert sorted(moved.rule_leaves) == sorted(item.rule_leaves)
    assert with_primary(item, item.rule_leaves[0]) is item


# --- the multinomial re-ranker (kind "classes") -------------------------------------------------


def test_class_logits_read_per_leaf_weights_and_skip_leaves_never_fitted() -> None:
    head = Head({"a|bias": 0.5, "a|w:x": 2.0, "b|bias": 1.0, "b|cue:b": 1.0}, 0.0)
    row = {"w:x": 1.0, "cue:b": 0.25, "bias": 1.0}
    logits = class_logits(head, row, ["a", "b", "c"])
    assert logits == {"a": pytest.approx(2.5), "b": pytest.approx(1.25)}  # "c": no weights
    assert best_other_class(logits, "b") == ("a", pytest.approx(1.25))
    assert best_other_class(logits, "a") == ("b", pytest.approx(-1.25))
    assert best_other_class(logits, "c") == ("c", -math.inf)  # an unfitted primary stays
    assert best_other_class({"a": 1.0}, "a") == ("a", -math.inf)


def test_class_candidates_are_the_rules_primary_and_the_leaves_with_a_cue() -> None:
    scores = {leaf: LeafScore(leaf, score) for leaf, score in
              (("a", 0.0), ("b", 1.5), ("c", 0.0), ("d", 0.2))}  # fmt: skip
    assert class_candidates(scores, "c", ["d", "c", "b", "a", "e"]) == ["d", "c", "b"]
    assert class_candidates(scores, "a", scores) == ["a", "b", "d"]


def test_class_features_hold_words_embedding_cues_and_the_rules_primary(
    taxonomy: Taxonomy, classics: list[Example]
) -> None:
    items = analyse(classics, taxonomy)
    item = items[0]
    words = tfidf(item.words, _idf(items))
    row = class_features(words, item.scores, item.rule_leaves, [0.5, -0.25])
    assert row["bias"] == 1.0 and row[f"rule:{item.rule_leaves[0]}"] == 1.0
    assert sum(k.startswith("rule:") for k in row) == 1
    assert {k for k in row if k.startswith("cue:")} == {f"cue:{leaf}" for leaf in item.scores}
    assert row["e:0"] == 1.5 and row["e:1"] == -0.75  # times CLASS_EMBEDDING_SCALE (3)
    assert not any(k.startswith("w:") and " " in k for k in row)  # single words only
    assert any(k.startswith("w:") for k in row)


def test_the_multinomial_reranker_is_fitted_chosen_and_kept_in_the_json(
    taxonomy: Taxonomy, classics: list[Example]
) -> None:
    items = analyse(classics, taxonomy)
    idf = _idf(items)
    classes = _Classes(items, idf, taxonomy.leaf_ids)
    head = classes.fit(list(range(len(items))), 1.0)
    gold = {i.example.primary for i in items if i.example.relevant and i.example.primary}
    assert {k.split("|", 1)[0] for k in head.weights if k.endswith("|bias")} == gold
    # Fitted on every in-scope paper, it answers the training papers' primaries mostly right.
    right = total = 0
    for i, item in enumerate(items):
        if item.example.relevant and item.example.primary:
            logits = class_logits(head, classes.rows[i], taxonomy.leaf_ids)
            right += max(logits, key=logits.__getitem__) == item.example.primary
            total += 1
    assert right / total > 0.9
    levels_head, _, threshold = fit_levels_head(items)
    choice = choose_reranker(items, idf, levels_head, threshold, taxonomy.leaf_ids,
                             kinds=(RERANK_CLASSES,))  # fmt: skip
    assert choice.kind == RERANK_CLASSES and choice.c in CLASS_CS
    assert len(choice.out_of_fold) == len(items)
    # A model carrying it moves the primary to the head's favourite past the margin, and the
    # JSON form keeps the kind.
    base = fit_analysed(items, taxonomy.leaf_ids, inner=False)
    e = next(x for x in classics if x.relevant)
    rules = LocalModel(taxonomy, rules_only=True).analyse(e.title, e.abstract)
    cued = [leaf for leaf in taxonomy.leaf_ids
            if leaf != rules.choice.primary and rules.scores[leaf].score > 0]  # fmt: skip
    bare = [leaf for leaf in taxonomy.leaf_ids
            if leaf != rules.choice.primary and rules.scores[leaf].score == 0]  # fmt: skip
    assert cued and bare
    favour = cued[0]
    push = Head({f"{leaf}|bias": 0.0 for leaf in taxonomy.leaf_ids} | {f"{favour}|bias": 5.0}, 0.0)
    moved = replace(base, reranker=push, rerank_margin=4.0, rerank_kind=RERANK_CLASSES)
    kept = replace(moved, rerank_margin=5.0)
    assert LocalModel(taxonomy, learned=moved).classify(e.title, e.abstract)["primary"] == favour
    assert LocalModel(taxonomy, learned=kept).classify(e.title, e.abstract)["primary"] == (
        rules.choice.primary
    )
    # A leaf without a cue in the paper is never made primary, however strong its logit.
    pull = Head({f"{leaf}|bias": 0.0 for leaf in taxonomy.leaf_ids} | {f"{bare[0]}|bias": 9.0}, 0.0)
    unmoved = replace(moved, reranker=pull)
    assert LocalModel(taxonomy, learned=unmoved).classify(e.title, e.abstract)["primary"] == (
        rules.choice.primary
    )
    data = json.loads(json.dumps(moved.to_json()))
    assert data["rerank_kind"] == RERANK_CLASSES
    assert from_json(data).rerank_kind == RERANK_CLASSES
    assert "rerank_kind" not in replace(moved, rerank_kind=RERANK_PAIRS).to_json()
    with pytest.raises(ValueError, match="make train-local"):
        from_json({**data, "rerank_kind": "trees"})


def test_a_multinomial_reranker_without_two_primaries_never_moves(
    taxonomy: Taxonomy, classics: list[Example]
) -> None:
    items = analyse(classics, taxonomy)
    one = [replace(i, example=replace(i.example, primary=taxonomy.leaf_ids[0],
                                      leaves=(taxonomy.leaf_ids[0],)))
           for i in items]  # fmt: skip
    classes = _Classes(one, _idf(one), taxonomy.leaf_ids)
    head = classes.fit(list(range(len(one))), 1.0)
    assert head.weights == {}
    assert all(classes.best_other(head, i) == ("", -math.inf) for i in range(len(one)))


def test_the_multinomial_reranker_answers_as_it_was_fitted(
    taxonomy: Taxonomy, classics: list[Example], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Training rows and answering rows are the same features: a fitted head put in a model moves
    exactly the primaries that _Classes.best_other and the margin move; and the weights (biases
    folded, sklearn's one-row binary case split) give sklearn's own logit differences."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from pipeline.local_model import training

    items = analyse(classics, taxonomy)
    idf = _idf(items)
    classes = _Classes(items, idf, taxonomy.leaf_ids)
    everyone = list(range(len(items)))
    head = classes.fit(everyone, 1.0)
    base = fit_analysed(items, taxonomy.leaf_ids, inner=False)
    model = replace(base, idf=idf, reranker=head, rerank_margin=0.5, rerank_kind=RERANK_CLASSES)
    moved = 0
    for i, item in enumerate(items):
        leaf, gain = classes.best_other(head, i)
        want = leaf if gain > 0.5 else item.rule_leaves[0]
        assert predict(model, item).leader == want
        moved += want != item.rule_leaves[0]
    assert moved > 0
    monkeypatch.setattr(training, "MIN_WEIGHT", 0.0)
    for chosen in (everyone, [i for i in everyone if items[i].example.primary in
                              {"model.quantization", "model.pruning"}]):  # fmt: skip
        full = classes.fit(chosen, 1.0)
        use = [i for i in chosen if items[i].example.relevant and items[i].example.primary]
        vectorizer = DictVectorizer(sort=True)
        x = vectorizer.fit_transform([classes.rows[i] for i in use])
        gold = [items[i].example.primary for i in use]
        sk = LogisticRegression(C=1.0, max_iter=3000).fit(x, gold)
        scores = sk.decision_function(x)
        labels = list(sk.classes_)
        for row_index, i in enumerate(use[:15]):
            logits = class_logits(full, classes.rows[i], labels)
            if len(labels) == 2:  # sklearn: one score, the logit of the second class over the first
                ours = logits[labels[1]] - logits[labels[0]]
                assert ours == pytest.approx(float(scores[row_index]), abs=0.05)
            else:
                want = np.asarray(scores[row_index]) - scores[row_index][0]
                got = [logits[c] - logits[labels[0]] for c in labels]
                assert got == pytest.approx(list(want), abs=0.05)


def test_check_embedding_reads_the_multinomial_heads_dimensions() -> None:
    from pipeline.local_model.embedding import shipped as shipped_embedding
    from pipeline.local_model.learned import check_embedding

    head = Head({"model.pruning|e:999": 1.0, "model.pruning|bias": 0.0}, 0.0)
    base = from_json(json.loads(WEIGHTS_PATH.read_text()))
    model = replace(base, reranker=head, rerank_margin=0.5, rerank_kind=RERANK_CLASSES)
    embedding = shipped_embedding()
    assert embedding is not None
    with pytest.raises(ValueError, match="dimension 999"):
        check_embedding(replace(model, embedding=""), embedding)
