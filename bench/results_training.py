"""Fit the extract stage's learned head (pipeline/local_model/result_head.py) at development
time, with scikit-learn, on the committed labelled result sets (tests/fixtures/results/).

Every choice is made inside the papers it is given (``fit_selected``): each head's C by
leave-one-set-out log-loss over the training sets, then the veto / add / relabel thresholds by
the same folds' scores, so that ``bench/results_cv.py`` can hold a whole set out and score it
honestly. The selection rule: the highest pooled headline recall among the thresholds whose
pooled precision with the right metric is at least max(0.90, the rules' − 0.01) and whose share
of non-results is no higher than the rules'; ties go to the more conservative thresholds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.evaluate import normalize_title
from pipeline.evaluate_results import (
    ResultScores,
    _gold_spans,
    _norm,
    _overlap,
    _span,
    labelled_papers,
    score_results,
    split_of,
)
from pipeline.local_model.extract import named_technique
from pipeline.local_model.result_head import (
    ADDABLE,
    Prediction,
    ResultHead,
    decide,
    features,
)
from pipeline.local_model.results import Candidate, candidates, finish
from pipeline.local_model.text import make_document

# The committed labelled sets, by name (results-gold's two fixed halves count as two sets).
# Named one by one: a set that is not committed here is never read.
SET_FILES: tuple[tuple[str, str, str], ...] = (
    ("gold-dev", "results-gold.jsonl", "dev"),
    ("gold-held-out", "results-gold.jsonl", "held-out"),
    ("fresh", "results-fresh.jsonl", "all"),
    ("fresh2", "results-fresh2.jsonl", "all"),
    ("fresh3", "results-fresh3.jsonl", "all"),
    ("fresh4", "results-fresh4.jsonl", "all"),
    ("fresh5", "results-fresh5.jsonl", "all"),
    ("fresh6", "results-fresh6.jsonl", "all"),
    ("fresh7", "results-fresh7.jsonl", "all"),
    ("extern", "results-extern.jsonl", "all"),
    ("extern2", "results-extern2.jsonl", "all"),
    ("extern3", "results-extern3.jsonl", "all"),
    ("extern4", "results-extern4.jsonl", "all"),
    ("extern5", "results-extern5.jsonl", "all"),
    ("extern6", "results-extern6.jsonl", "all"),
    ("extern7", "results-extern7.jsonl", "all"),
)
CS = (0.1, 0.3, 1.0, 3.0)
VETOES = (0.0, 0.05, 0.1, 0.2, 0.3)
ADDS = (1.01, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4)
RELABELS = (1.01, 0.95, 0.9, 0.8, 0.7)
MIN_COUNT = 2  # a feature seen in fewer training candidates is left out
MIN_PRECISION = 0.90


@dataclass
class LabelledPaper:
    """A labelled paper with the rules' candidates, their features and their labels."""

    gold: dict[str, Any]
    title: str
    abstract: str
    found: list[Candidate]
    feats: list[list[str]]
    labels: list[str | None]  # the labelled metric of a candidate that is a result, else None
    # Scores of this paper by the results decided (the threshold grid decides the same
    # results many times over; scoring them is the slow part)
    memo: dict[str, ResultScores] = field(default_factory=dict, repr=False)


@dataclass
class Scores(ResultScores):
    """Results scores (pipeline.evaluate_results) pooled over papers, folds or sets."""

    split: str = "all"

    def add(self, other: ResultScores) -> None:
        self.extracted += other.extracted
        self.right_metric += other.right_metric
        self.non_results += other.non_results
        self.headline += other.headline
        self.headline_found += other.headline_found

    @property
    def precision(self) -> float:
        return self.precision_with_metric

    def text(self) -> str:
        return (
            f"{self.precision:.3f} ({self.right_metric}/{self.extracted}) / "
            f"{self.non_result_share:.3f} / {self.headline_recall:.3f} "
            f"({self.headline_found}/{self.headline})"
        )


@dataclass
class Selection:
    """What the inner cross-validation chose, and the pooled scores it chose them on."""

    c_result: float
    c_metric: float
    veto: float
    add: float
    relabel: float
    rules: Scores = field(default_factory=Scores)
    chosen: Scores = field(default_factory=Scores)


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def load_sets(root: Path) -> dict[str, list[LabelledPaper]]:
    """The committed labelled sets, each paper with its candidates and labels."""
    folder = root / "tests" / "fixtures" / "results"
    files: dict[str, list[dict[str, Any]]] = {}
    sets: dict[str, list[LabelledPaper]] = {}
    for name, file, split in SET_FILES:
        if file not in files:
            files[file] = _read(folder / file)
        gold = [g for g in files[file] if split == "all" or split_of(g["title"]) == split]
        sets[name] = load_set(root, gold)
    return sets


def load_set(root: Path, gold: list[dict[str, Any]]) -> list[LabelledPaper]:
    """The labelled papers (read from their dumps), each with its candidates and labels."""
    by_title = {normalize_title(g["title"]): g for g in gold}
    return [
        prepare(by_title[normalize_title(p.title)], p.title, p.abstract)
        for p in labelled_papers(gold, root)
    ]


def prepare(gold: dict[str, Any], title: str, abstract: str) -> LabelledPaper:
    """The rules' candidates of a labelled paper, with features and the labelled metric of
    each one that overlaps a labelled result."""
    doc = make_document(title, abstract)
    found = candidates(doc, named_technique(doc))
    text = _norm(f"{title} {abstract}")
    golds = _gold_spans(text, gold)
    labels: list[str | None] = []
    for c in found:
        span = _span(text, c.text, c.value)
        best = max(
            ((_overlap(span, s), i) for i, (s, _) in enumerate(golds)), default=(0, -1)
        ) if span else (0, -1)  # fmt: skip
        labels.append(str(golds[best[1]][1].get("metric")) if best[0] > 0 else None)
    return LabelledPaper(gold, title, abstract, found, [features(c) for c in found], labels)


def _actionable(c: Candidate) -> bool:
    return c.result is not None and (c.status == "kept" or c.status in ADDABLE)


_WORD_FEATURE = re.compile(r"^[LR]\d?:")


def _rows(
    papers: Iterable[LabelledPaper], words: bool = True
) -> list[tuple[list[str], str | None]]:
    return [
        (f if words else [x for x in f if not _WORD_FEATURE.match(x)], label)
        for p in papers
        for c, f, label in zip(p.found, p.feats, p.labels, strict=True)
        if _actionable(c)
    ]


def fit_heads(
    papers: list[LabelledPaper],
    c_result: float,
    c_metric: float,
    words: bool = True,
    class_weight: str | None = None,
) -> ResultHead:
    """Both heads fitted on the papers' actionable candidates (thresholds off); ``words``
    False leaves the words around the figure out (shape, rules, cues, subject and place only);
    ``class_weight`` is scikit-learn's, for the result head ("balanced": results and
    non-results weigh alike)."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    rows = _rows(papers, words)
    counts: dict[str, int] = {}
    for feats, _ in rows:
        for f in feats:
            counts[f] = counts.get(f, 0) + 1
    vocab = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    index = {f: i for i, f in enumerate(vocab)}

    def matrix(subset: list[tuple[list[str], str | None]]) -> Any:
        data, cols, ptr = [], [], [0]
        for feats, _ in subset:
            ids = sorted(index[f] for f in feats if f in index)
            cols.extend(ids)
            data.extend([1.0] * len(ids))
            ptr.append(len(cols))
        return csr_matrix((data, cols, ptr), shape=(len(subset), len(vocab)))

    y = np.array([label is not None for _, label in rows])
    result = LogisticRegression(C=c_result, max_iter=5000, class_weight=class_weight).fit(
        matrix(rows), y
    )
    # The metric head reads the rules' decision too: without it ("rule:", "status:", "aim"
    # features left out) it lost precision held out (README, "A learned head").
    positives: list[tuple[list[str], str | None]] = [r for r in rows if r[1] is not None]
    metric = LogisticRegression(C=c_metric, max_iter=5000).fit(
        matrix(positives), np.array([label for _, label in positives])
    )
    classes = [str(c) for c in metric.classes_]
    coef = metric.coef_
    if len(classes) == 2:  # a binary model keeps one row: the second class's
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        bias = [-float(metric.intercept_[0]) / 2, float(metric.intercept_[0]) / 2]
    else:
        bias = [float(b) for b in metric.intercept_]
    return ResultHead(
        result_bias=round(float(result.intercept_[0]), 6),
        result_weights={
            f: round(float(w), 6) for f, w in zip(vocab, result.coef_[0], strict=True) if w
        },
        metric_classes=classes,
        metric_bias=[round(b, 6) for b in bias],
        metric_weights={
            f: [round(float(w), 6) for w in coef[:, i]]
            for i, f in enumerate(vocab)
            if any(coef[:, i])
        },
        config={"c_result": c_result, "c_metric": c_metric},
    )


def predictions(head: ResultHead, paper: LabelledPaper) -> list[Prediction]:
    return [head.predict(f) for f in paper.feats]


def score(
    papers: list[LabelledPaper], head: ResultHead | None, preds: list[list[Prediction]] | None
) -> Scores:
    """Pooled scores of the combined decisions on the papers (as `taxonomist eval` scores)."""
    pooled = Scores()
    for i, p in enumerate(papers):
        decided = decide(p.found, head, preds[i] if preds else None)
        key = json.dumps(decided, sort_keys=True, default=str)
        if key not in p.memo:
            row = {"title": p.title, "abstract": p.abstract, "results": finish(decided)}
            p.memo[key] = score_results([p.gold], [row])
        pooled.add(p.memo[key])
    return pooled


def _log_loss(pairs: list[tuple[float, bool]]) -> float:
    import math

    return -sum(math.log(max(1e-9, p if y else 1.0 - p)) for p, y in pairs) / max(1, len(pairs))


def fit_selected(
    sets: dict[str, list[LabelledPaper]], words: bool = True
) -> tuple[ResultHead, Selection]:
    """The head fitted on every given set, with C and thresholds chosen by leave-one-set-out
    cross-validation over those sets only."""
    names = sorted(sets)
    # Out-of-fold predictions of each set, for every C.
    oof: dict[float, dict[str, list[list[Prediction]]]] = {}
    for c in CS:
        oof[c] = {}
        for name in names:
            train = [p for other in names if other != name for p in sets[other]]
            head = fit_heads(train, c, c, words)
            oof[c][name] = [predictions(head, p) for p in sets[name]]

    def losses(c: float) -> tuple[float, float]:
        result: list[tuple[float, bool]] = []
        metric: list[tuple[float, bool]] = []
        for name in names:
            for paper, preds in zip(sets[name], oof[c][name], strict=True):
                for cand, (p_result, probs), label in zip(
                    paper.found, preds, paper.labels, strict=True
                ):
                    if not _actionable(cand):
                        continue
                    result.append((p_result, label is not None))
                    if label is not None:
                        metric.append((probs.get(label, 0.0), True))
        return _log_loss(result), _log_loss(metric)

    table = {c: losses(c) for c in CS}
    c_result = min(CS, key=lambda c: (round(table[c][0], 4), c))
    c_metric = min(CS, key=lambda c: (round(table[c][1], 4), c))
    combined = {
        name: [
            [(r[0], m[1]) for r, m in zip(pr, pm, strict=True)]
            for pr, pm in zip(oof[c_result][name], oof[c_metric][name], strict=True)
        ]
        for name in names
    }
    rules = Scores()
    for name in names:
        rules.add(score(sets[name], None, None))
    floor = max(MIN_PRECISION, rules.precision - 0.01)
    probe = fit_heads([p for name in names for p in sets[name]], c_result, c_metric, words)
    best: tuple[tuple[float, float, float], Selection] | None = None
    for veto in VETOES:
        for add in ADDS:
            for relabel in RELABELS:
                probe.veto, probe.add, probe.relabel = veto, add, relabel
                pooled = Scores()
                for name in names:
                    pooled.add(score(sets[name], probe, combined[name]))
                if pooled.precision < floor or pooled.non_result_share > rules.non_result_share:
                    continue
                rank = (pooled.headline_recall, pooled.precision, -pooled.non_result_share)
                if best is None or rank > best[0]:
                    best = (rank, Selection(c_result, c_metric, veto, add, relabel, rules, pooled))
    # None qualifies when the rules' own precision is under the floor: then change nothing
    chosen = best[1] if best else Selection(c_result, c_metric, 0.0, 1.01, 1.01, rules, rules)
    head = fit_heads([p for name in names for p in sets[name]], c_result, c_metric, words)
    head.veto, head.add, head.relabel = chosen.veto, chosen.add, chosen.relabel
    head.config = {
        "c_result": c_result,
        "c_metric": c_metric,
        "trained_on": names,
        "words": words,
        "inner_rules": chosen.rules.text(),
        "inner_chosen": chosen.chosen.text(),
    }
    return head, chosen


def write_head(head: ResultHead, path: Path) -> str:
    """Write the head as sorted JSON; returns the text written."""
    text = json.dumps(head.to_json(), sort_keys=True, separators=(",", ":")) + "\n"
    path.write_text(text, encoding="utf-8")
    return text
