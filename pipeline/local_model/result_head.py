"""The learned part of the extract stage: two logistic heads over the rules' figure candidates.

The rules (pipeline/local_model/results.py) find every figure of an abstract and decide, for
each, whether it is a result and which metric it measures. On top of them, two heads read
features that do not depend on how one labelled set phrases its results (``features``):

- result: P(the figure is a result of the paper's own work), a binary logistic model;
- metric: P(metric kind | result), a multinomial logistic model over the closed vocabulary.

How they combine with the rules (``decide``), each step switched on by a threshold chosen by
leave-one-set-out cross-validation on the training sets only (``bench/results_cv.py``):

- veto: a figure the rules keep is dropped when P(result) < ``veto``;
- add: a figure the rules drop for want of a metric word (or for its sentence being
  background) is reported when P(result) × P(metric) ≥ ``add``, with the learned metric;
- relabel: a kept figure takes the learned metric when its P(metric) ≥ ``relabel``.

A learned metric is only ever one the schema accepts for that figure (a word of it within the
attribution window, ``other``, or the title's metric for an unnamed comparison), so the
schema's check holds as for the rules. The weights are fitted at development time by
``make train-results`` (bench/results_training.py, scikit-learn) on every
committed labelled set and ship as ``result_weights.json`` beside this module; nothing here
needs scikit-learn, and the file is part of the local model's version (registry.py hashes
every ``*.json`` here), so new weights are a cache miss.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from pipeline.local_model.results import (
    _BACKGROUND_SUBJECT,
    _OWN_SUBJECT,
    REACH,
    Candidate,
    _cue_spans,
    _unit,
    candidates,
    finish,
)
from pipeline.local_model.text import Document
from schemas.result import MULTIPLE_VALUE, cue_near, in_reach, unnamed_comparison

RESULT_WEIGHTS_PATH = Path(__file__).resolve().parent / "result_weights.json"
FORMAT = 1
WINDOW = 6  # words read on each side of a figure
NEAR = 2  # of which the nearest ones also carry their position
# Candidates the head may add: dropped for want of a metric word, or for their sentence.
ADDABLE = ("no metric", "background")
METRICS = (
    "speedup", "throughput", "memory", "energy", "cost", "quality", "size", "compute", "other",
)  # fmt: skip

_TOKEN = re.compile(r"[a-z][a-z0-9+-]*|\d+(?:[.,]\d+)*|[%×$<>~]")
_RANGE = re.compile(r"\d\s*(?:-|–|~|to)\s*\d")
_LISTED = re.compile(r"\d[^\d]*(?:,|\band\b|\bor\b)[^\d]*\d")


def _words(text: str) -> list[str]:
    return ["#" if w[0].isdigit() else w for w in _TOKEN.findall(text.lower())]


def features(c: Candidate) -> list[str]:
    """The features of one candidate figure: position-tagged words around it, the value's
    shape, the rules' decision and metric words in reach, the sentence's subject and place."""
    text, start, end = c.text, c.start, c.end
    value = c.value
    left = _words(text[:start])[-WINDOW:][::-1]
    right = _words(text[end:])[:WINDOW]
    out: list[str] = []
    for side, words in (("L", left), ("R", right)):
        out.extend(f"{side}:{w}" for w in words)
        out.extend(f"{side}{i}:{w}" for i, w in enumerate(words[:NEAR], start=1))
        if not words:
            out.append(f"{side}:none")
    # arXiv text writes "\\%" and "$\\times$": the same units as "%" and "×" ("x")
    unit = _unit(value).replace("$", "").replace("\\times", "x").replace("\\", "")[:12]
    out.append(f"unit:{unit}" if unit else "unit:none")
    out.extend(
        name
        for name, present in (
            ("shape:multiple", bool(MULTIPLE_VALUE.search(value))),
            ("shape:percent", "%" in value),
            ("shape:range", bool(_RANGE.search(value))),
            ("shape:list", bool(_LISTED.search(value))),
            ("shape:decimal", bool(re.search(r"\d\.\d", value))),
            ("shape:words", not re.search(r"\d", value)),
        )
        if present
    )
    out.append(f"status:{c.status}")
    if c.metric:
        out.append(f"rule:{c.metric}" + (":direct" if c.direct else ""))
    reach = in_reach(_cue_spans(text), start, end, REACH)
    for i, (gap, s, _e, name) in enumerate(reach):
        side = "L" if s < start else "R"
        out.append(f"cue:{name}")
        out.append(f"cue:{name}:{side}")
        if i == 0:
            out.append(f"cue1:{name}")
        if gap <= 15:
            out.append(f"cue-near:{name}")
    if not reach:
        out.append("cue:none")
    before = text[:start]
    if _OWN_SUBJECT.search(before):
        out.append("subject:own")
    if _BACKGROUND_SUBJECT.search(before):
        out.append("subject:prior")
    if c.background_sentence:
        out.append("sentence:background")
    if c.sentence == 0:
        out.append("sentence:first")
    if c.sentence == c.sentences - 1:
        out.append("sentence:last")
    out.append("sentence:late" if 2 * c.sentence >= c.sentences else "sentence:early")
    if c.aim:
        out.append("aim" + (":same" if c.aim == c.metric else ":other"))
    return sorted(set(out))


@dataclass
class ResultHead:
    """The two heads' weights and the thresholds that combine them with the rules."""

    result_bias: float
    result_weights: dict[str, float]
    metric_classes: list[str]
    metric_bias: list[float]
    metric_weights: dict[str, list[float]]
    veto: float = 0.0  # 0: no veto
    add: float = 1.01  # above 1: nothing added
    relabel: float = 1.01  # above 1: no metric changed
    config: dict[str, Any] = field(default_factory=dict)

    def predict(self, feats: list[str]) -> tuple[float, dict[str, float]]:
        """P(result) and P(metric | result) of a candidate's features."""
        z = self.result_bias + sum(self.result_weights.get(f, 0.0) for f in feats)
        scores = list(self.metric_bias)
        for f in feats:
            row = self.metric_weights.get(f)
            if row:
                scores = [a + b for a, b in zip(scores, row, strict=True)]
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        probs = {m: e / total for m, e in zip(self.metric_classes, exps, strict=True)}
        return 1.0 / (1.0 + math.exp(-z)), probs

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "result": {"bias": self.result_bias, "weights": self.result_weights},
            "metric": {
                "classes": self.metric_classes,
                "bias": self.metric_bias,
                "weights": self.metric_weights,
            },
            "thresholds": {"veto": self.veto, "add": self.add, "relabel": self.relabel},
            "config": self.config,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ResultHead:
        thresholds = data["thresholds"]
        return cls(
            result_bias=float(data["result"]["bias"]),
            result_weights={k: float(v) for k, v in data["result"]["weights"].items()},
            metric_classes=list(data["metric"]["classes"]),
            metric_bias=[float(v) for v in data["metric"]["bias"]],
            metric_weights={
                k: [float(x) for x in v] for k, v in data["metric"]["weights"].items()
            },
            veto=float(thresholds["veto"]),
            add=float(thresholds["add"]),
            relabel=float(thresholds["relabel"]),
            config=dict(data.get("config") or {}),
        )


@cache
def load_head(path: Path = RESULT_WEIGHTS_PATH) -> ResultHead | None:
    """The shipped head, or None when no weights file is there (the rules alone then)."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != FORMAT:
        return None
    return ResultHead.from_json(data)


def accepted(metric: str, c: Candidate) -> bool:
    """Does the schema accept ``metric`` for the candidate's figure in its quote?"""
    if c.result is None:
        return False
    s, e = c.start - c.quote_at, c.end - c.quote_at
    return _accepts(metric, str(c.result["quote"]), s, e, c.aim)


@lru_cache(maxsize=16384)
def _accepts(metric: str, quote: str, s: int, e: int, aim: str | None) -> bool:
    # cached: cross-validation asks the same figure about every metric for every threshold
    if cue_near(metric, quote, s, e):
        return True
    return metric == aim and unnamed_comparison(quote, s, e)


def _best_metric(probs: dict[str, float], c: Candidate) -> tuple[str | None, float]:
    """The likeliest metric the schema accepts for the figure, and its probability among the
    accepted ones (a figure no word names can only be ``other``)."""
    allowed = {m: p for m, p in probs.items() if accepted(m, c)}
    total = sum(allowed.values())
    if not allowed or total <= 0:
        return None, 0.0
    metric = min(allowed, key=lambda m: (-allowed[m], m))
    return metric, allowed[metric] / total


Prediction = tuple[float, dict[str, float]]


def decide(
    found: list[Candidate],
    head: ResultHead | None,
    predictions: list[Prediction] | None = None,
) -> list[dict[str, Any]]:
    """The results reported: the rules' kept figures, vetoed, relabelled or joined by others
    as the head's thresholds say. ``predictions`` (aligned with ``found``) saves recomputing
    them when only the thresholds change (cross-validation)."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, c in enumerate(found):
        if c.result is None or not (c.status == "kept" or c.status in ADDABLE):
            continue
        key = f"{c.result['value']}|{c.result['quote']}"
        if key in seen:
            continue
        if head is None:
            if c.status == "kept":
                seen.add(key)
                out.append(dict(c.result))
            continue
        p_result, probs = predictions[i] if predictions else head.predict(features(c))
        metric, p_metric = _best_metric(probs, c)
        if c.status == "kept":
            if p_result < head.veto:
                continue
            result = dict(c.result)
            if metric and metric != result["metric"] and p_metric >= head.relabel:
                result = {**result, "metric": metric}
        elif metric and p_result * p_metric >= head.add:
            result = {**c.result, "metric": metric}
        else:
            continue
        seen.add(key)
        out.append(result)
    return out


def results(
    doc: Document, own: str | None = None, head: ResultHead | None = None
) -> list[dict[str, Any]]:
    """Results with metric, value, direction, baseline, headline flag and a verbatim quote:
    the rules' figures combined with the shipped head (``head`` overrides it)."""
    return finish(decide(candidates(doc, own), head or load_head()))
