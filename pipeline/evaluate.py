"""Score predictions against gold labels (../shared/eval/README.md defines every metric).

Papers are matched by normalized title (lowercase, only [a-z0-9]). Gold papers without a match
in the predictions are listed and left out of every score; gold papers with ``relevant: null``
(labelers disagreed) are matched but not scored.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import InputError

NOT_RELEVANT = "(not relevant)"


def normalize_title(title: str) -> str:
    """The matching key of a title: lowercase, keep only [a-z0-9]."""
    return re.sub(r"[^a-z0-9]", "", title.lower())


@dataclass(frozen=True)
class Scores:
    """Every score of one evaluation, plus the counts and confusions behind them."""

    relevance_f1: float
    relevance_accuracy: float
    primary_strict: float
    primary_lenient: float
    levels_f1: float
    leaves_f1: float
    kind_accuracy: float
    gold_papers: int
    matched: int
    scored: int
    gold_relevant: int
    unmatched: list[str] = field(default_factory=list)
    confusions: list[tuple[str, str, int]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "relevance_f1": self.relevance_f1,
            "relevance_accuracy": self.relevance_accuracy,
            "primary_strict": self.primary_strict,
            "primary_lenient": self.primary_lenient,
            "levels_f1": self.levels_f1,
            "leaves_f1": self.leaves_f1,
            "kind_accuracy": self.kind_accuracy,
            "gold_papers": self.gold_papers,
            "matched": self.matched,
            "scored": self.scored,
            "gold_relevant": self.gold_relevant,
            "unmatched": list(self.unmatched),
            "confusions": [
                {"gold": gold, "pred": pred, "count": count}
                for gold, pred, count in self.confusions
            ],
        }


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def _f1(true_positive: int, predicted: int, actual: int) -> float:
    precision = _ratio(true_positive, predicted)
    recall = _ratio(true_positive, actual)
    return _ratio(2 * precision * recall, precision + recall)


def _pred_levels(pred: dict[str, Any]) -> set[str]:
    levels = pred.get("levels")
    if levels:
        return set(levels)
    return {leaf.split(".", 1)[0] for leaf in pred.get("leaves") or []}


def score(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> Scores:
    """Score predictions (dicts with title, relevant, primary, leaves, levels, kind)."""
    by_title = {normalize_title(p.get("title") or ""): p for p in pred}
    rel_tp = rel_pred = rel_gold = rel_correct = scored = 0
    strict = lenient = kinds = relevant_gold = 0
    lv_tp = lv_pred = lv_gold = lf_tp = lf_pred = lf_gold = 0
    unmatched: list[str] = []
    confusions: Counter[tuple[str, str]] = Counter()
    matched = 0
    for g in gold:
        p = by_title.get(normalize_title(g.get("title") or ""))
        if p is None:
            unmatched.append(g.get("title") or "")
            continue
        matched += 1
        if g.get("relevant") is None:
            continue
        scored += 1
        gold_rel = bool(g["relevant"])
        pred_rel = bool(p.get("relevant"))
        rel_correct += gold_rel == pred_rel
        rel_tp += gold_rel and pred_rel
        rel_pred += pred_rel
        rel_gold += gold_rel
        if not gold_rel:
            continue
        relevant_gold += 1
        gold_leaves = set(g.get("leaves") or [])
        gold_levels = set(g.get("levels") or {leaf.split(".", 1)[0] for leaf in gold_leaves})
        primary = p.get("primary") if pred_rel else None
        strict += primary is not None and primary == g.get("primary")
        lenient += primary is not None and primary in gold_leaves
        if primary != g.get("primary"):
            confusions[(g.get("primary") or "?", primary or NOT_RELEVANT)] += 1
        pred_leaves = set(p.get("leaves") or []) if pred_rel else set()
        pred_levels = _pred_levels(p) if pred_rel else set()
        lf_tp += len(pred_leaves & gold_leaves)
        lf_pred += len(pred_leaves)
        lf_gold += len(gold_leaves)
        lv_tp += len(pred_levels & gold_levels)
        lv_pred += len(pred_levels)
        lv_gold += len(gold_levels)
        kinds += p.get("kind") is not None and (
            p.get("kind") == g.get("kind") or p.get("kind") in (g.get("kind_alt") or [])
        )
    ranked = sorted(confusions.items(), key=lambda item: (-item[1], item[0]))
    return Scores(
        relevance_f1=_f1(rel_tp, rel_pred, rel_gold),
        relevance_accuracy=_ratio(rel_correct, scored),
        primary_strict=_ratio(strict, relevant_gold),
        primary_lenient=_ratio(lenient, relevant_gold),
        levels_f1=_f1(lv_tp, lv_pred, lv_gold),
        leaves_f1=_f1(lf_tp, lf_pred, lf_gold),
        kind_accuracy=_ratio(kinds, relevant_gold),
        gold_papers=len(gold),
        matched=matched,
        scored=scored,
        gold_relevant=relevant_gold,
        unmatched=unmatched,
        confusions=[(g, p, n) for (g, p), n in ranked],
    )


def read_jsonl(path: Path, what: str) -> list[dict[str, Any]]:
    """Read a JSON Lines file of objects; errors name the file and line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(
            f"{what} file not found: pass an existing JSON Lines file", file=str(path)
        ) from None
    rows: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"not valid JSON ({exc.msg}): each line of a {what} file is one JSON object",
                file=str(path),
                line=number,
            ) from None
        if not isinstance(row, dict) or not isinstance(row.get("title"), str):
            raise InputError(
                f'each line of a {what} file is a JSON object with a "title" string',
                file=str(path),
                line=number,
            )
        rows.append(row)
    return rows
