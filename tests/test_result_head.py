"""The extract stage's learned head: candidates, features, the decision rule and training."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bench.results_training import fit_heads, prepare, write_head
from pipeline.evaluate import normalize_title
from pipeline.evaluate_results import labelled_papers
from pipeline.local_model.registry import model_digest
from pipeline.local_model.result_head import ResultHead, decide, features, results
from pipeline.local_model.results import candidates, rule_results
from pipeline.local_model.text import make_document

ROOT = Path(__file__).resolve().parent.parent
ABSTRACT = (
    "We study serving. Our system improves throughput by 2.3x over vLLM. "
    "Agents take 1.4-2.7x more steps than necessary. Prior work incurs 3x overhead."
)


def _candidates() -> list:  # type: ignore[type-arg]
    return candidates(make_document("A title", ABSTRACT), None)


def test_every_figure_is_a_candidate_with_the_rules_decision() -> None:
    found = _candidates()
    assert [(c.value, c.status, c.metric) for c in found] == [
        ("2.3x", "kept", "throughput"),
        ("1.4-2.7x", "no metric", None),
        ("3x", "skipped", None),
    ]
    # the rules alone report what they keep, as before the head existed
    assert [r["value"] for r in rule_results(make_document("A title", ABSTRACT))] == ["2.3x"]


def test_features_read_words_by_side_shape_subject_and_the_rules() -> None:
    kept, unnamed, prior = (features(c) for c in _candidates())
    assert {"L1:by", "L2:throughput", "R1:over", "R2:vllm", "shape:multiple", "unit:x"} <= set(
        kept
    )
    assert {"subject:own", "status:kept", "rule:throughput:direct", "cue:throughput:L"} <= set(
        kept
    )
    assert {"shape:range", "cue:none", "status:no metric", "R1:more"} <= set(unnamed)
    assert "subject:own" not in unnamed
    assert {"subject:prior", "sentence:last", "R1:overhead"} <= set(prior)


def test_latex_units_are_the_plain_units() -> None:
    # arXiv abstracts write "\\%" and "$\\times$"; the head reads them as "%" and "x"
    abstract = (
        r"We study serving. Our system improves throughput by 2.3$\times$ over vLLM and cuts "
        r"memory by 40\% on one GPU."
    )
    found = candidates(make_document("A title", abstract), None)
    units = {c.value: [f for f in features(c) if f.startswith("unit:")] for c in found}
    assert units == {r"2.3$\times$": ["unit:x"], r"40\%": ["unit:%"]}


def test_the_add_screen_adds_only_in_sentences_of_the_papers_own_work() -> None:
    from bench.results_add_screen import own_only

    paper = prepare({"title": "A title", "results": []}, "A title", ABSTRACT)
    preds = [(0.9, {"other": 1.0}) for _ in paper.found]
    # kept "2.3x" stays; the dropped "1.4-2.7x" of a sentence with no "we/our" goes to 0
    assert [p for p, _ in own_only(paper, preds)] == [0.9, 0.0, 0.0]


def test_the_add_screen_can_read_every_metric_word_of_the_sentence_and_title() -> None:
    from bench.results_add_screen import more_cues

    paper = prepare({"title": "Faster serving", "results": []}, "Faster serving", ABSTRACT)
    more_cues(paper)
    kept = paper.feats[0]
    assert {"sent-cue:throughput", "title-cue:speedup"} <= set(kept)
    assert "sent-cue:throughput" not in paper.feats[1]  # "1.4-2.7x more steps": no such word


def _head(**weights: float) -> ResultHead:
    """A head whose result weights are given and whose metric head says 'other' or, when a
    figure's words say 'steps', 'speedup'."""
    return ResultHead(
        result_bias=0.0,
        result_weights=dict(weights),
        metric_classes=["other", "speedup", "throughput"],
        metric_bias=[2.0, 0.0, 0.0],
        metric_weights={"R:steps": [0.0, 5.0, 0.0]},
    )


def test_the_head_vetoes_adds_and_never_gives_a_metric_the_schema_refuses() -> None:
    found = _candidates()
    # thresholds off: the rules' results exactly
    assert [r["value"] for r in decide(found, _head())] == ["2.3x"]
    # veto: the kept figure is dropped when P(result) is under the threshold
    vetoing = _head(**{"status:kept": -5.0})
    vetoing.veto = 0.5
    assert decide(found, vetoing) == []
    # add: the unnamed figure is reported; 'speedup' is likelier but no word of it stands
    # next to the figure, so the schema would refuse it: the head gives 'other'
    adding = _head(**{"status:no metric": 5.0})
    adding.add = 0.5
    added = decide(found, adding)
    assert [(r["value"], r["metric"]) for r in added] == [
        ("2.3x", "throughput"),
        ("1.4-2.7x", "other"),
    ]
    # the skipped figure (prior work's) is never the head's to add
    adding.result_weights["status:skipped"] = 50.0
    assert len(decide(found, adding)) == 2
    # relabel: a confident learned metric replaces the rules' only when the schema allows it
    relabelling = _head(**{"status:kept": 5.0})
    relabelling.metric_weights = {"status:kept": [9.0, 0.0, 0.0]}
    relabelling.relabel = 0.5
    assert [r["metric"] for r in decide(found, relabelling)] == ["other"]


def test_results_run_the_head_given() -> None:
    doc = make_document("A title", ABSTRACT)
    adding = _head(**{"status:no metric": 5.0})
    adding.add = 0.5
    assert [r["value"] for r in results(doc, None, adding)] == ["2.3x", "1.4-2.7x"]


def _fresh_papers() -> list:  # type: ignore[type-arg]
    path = ROOT / "tests" / "fixtures" / "results" / "results-fresh.jsonl"
    gold = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    by_title = {normalize_title(g["title"]): g for g in gold}
    return [
        prepare(by_title[normalize_title(p.title)], p.title, p.abstract)
        for p in labelled_papers(gold, ROOT)
    ]


def test_candidates_are_labelled_from_the_gold_spans() -> None:
    papers = _fresh_papers()
    labels = [label for p in papers for label in p.labels]
    assert len(papers) == 20
    assert sum(label is not None for label in labels) >= 40  # most figures are results
    assert set(labels) - {None} <= {
        "speedup", "throughput", "memory", "energy", "cost", "quality", "size", "compute",
        "other",
    }  # fmt: skip


def test_training_is_deterministic(tmp_path: Path) -> None:
    papers = _fresh_papers()
    first = write_head(fit_heads(papers, 1.0, 1.0), tmp_path / "a.json")
    second = write_head(fit_heads(papers, 1.0, 1.0), tmp_path / "b.json")
    assert first == second
    head = ResultHead.from_json(json.loads(first))
    assert head.result_weights and head.metric_weights
    assert head.add > 1.0 and head.relabel > 1.0 and head.veto == 0.0  # thresholds off


def test_result_weights_change_the_model_version(tmp_path: Path) -> None:
    copy = tmp_path / "local_model"
    shutil.copytree(
        ROOT / "pipeline" / "local_model", copy, ignore=shutil.ignore_patterns("__pycache__")
    )
    (copy / "result_weights.json").unlink(missing_ok=True)
    before = model_digest(copy)
    write_head(_head(), copy / "result_weights.json")
    assert model_digest(copy) != before
