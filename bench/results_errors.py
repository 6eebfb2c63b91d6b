"""Why the embedded model misses headline results: per labelled set, each missed headline result
with its value, its labelled metric, the reason and the quote; then the reasons counted.

    .venv/bin/python bench/results_errors.py [FILE ...] [--wrong] [--all] [--quiet] [--relevant]

Without FILE: every committed set of tests/fixtures/results/ (every ``results-*.jsonl``: gold
dev and held-out, then fresh, fresh2, ... in the order they were labelled). ``--wrong`` also
lists extracted results that are non-results or carry the wrong metric; ``--all`` lists
missed results that are not headlines too (counted apart).
``--quiet`` prints only the scores and the counted reasons. ``--relevant`` scores only the papers
a relevance label calls in scope (the papers a survey shows; labels from dev-gold, the labelled
sets of tests/fixtures/labels, the classics and tests/fixtures/extern/*-gold.jsonl), and says how
many papers of each set it left out, unlabelled ones included.

A reason says where the figure was lost, following the steps of
``pipeline.local_model.results.candidates``: its sentence is taken for background, no figure
pattern matches it, it is skipped as a name, setting or someone else's figure, no metric word is
attached to it, or it is read as another metric.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.evaluate_results import (  # noqa: E402
    ResultScores,
    _norm,
    _overlap,
    _span,
    local_predictions,
    score_results,
    split_of,
)
from pipeline.local_model.extract import named_technique  # noqa: E402
from pipeline.local_model.results import (  # noqa: E402
    _attribution,
    _figures,
    _is_background,
    _skip,
)
from pipeline.local_model.text import make_document  # noqa: E402
from schemas.result import setting_problem  # noqa: E402

SETS = ROOT / "tests" / "fixtures" / "results"
# every file with relevance labels (a "relevant" field per title)
RELEVANCE_LABELS = (
    ROOT.parent / "shared" / "eval" / "dev-gold.jsonl",
    *sorted((ROOT / "tests" / "fixtures" / "labels").glob("*-gold.jsonl")),
    ROOT / "tests" / "fixtures" / "classics" / "classics.jsonl",
    *sorted((ROOT / "tests" / "fixtures" / "extern").glob("*-gold.jsonl")),
)
# the counts a pooled row sums over the sets
POOLED = ("papers", "extracted", "right_metric", "non_results", "headline", "headline_found")


def _row(name: str, scores: ResultScores) -> str:
    """A table row: precision with metric, non-result share and headline recall, with counts."""
    return (
        f"| {name} ({scores.papers}) | {scores.precision_with_metric:.3f} "
        f"({scores.right_metric}/{scores.extracted}) | {scores.non_result_share:.3f} | "
        f"{scores.headline_recall:.3f} ({scores.headline_found}/{scores.headline}) |"
    )


def relevant_titles() -> set[str]:
    """The normalised titles a relevance label calls in scope; a title labelled out of scope in
    any file is left out."""
    inside: set[str] = set()
    outside: set[str] = set()
    for path in RELEVANCE_LABELS:
        if not path.exists():
            print(f"note: {path} not found; its papers count as unlabelled")
            continue
        for row in _read(path):
            if isinstance(row.get("relevant"), bool):  # null: not labelled
                (inside if row["relevant"] else outside).add(_norm(row["title"]))
    return inside - outside


def _set_order(path: Path) -> tuple[int, str]:
    """The gold set first, then the fresh sets in the order they were labelled."""
    digits = "".join(c for c in path.stem if c.isdigit())
    return (0 if path.name == "results-gold.jsonl" else 1 + int(digits or 1), path.name)


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _why_lost(title: str, abstract: str, item: dict[str, Any]) -> str:
    """The step of the local model at which a labelled result was lost."""
    doc = make_document(title, abstract)
    own = named_technique(doc)
    value = _norm(item.get("value") or "")
    for position, sentence in enumerate(doc.body):
        text = sentence.text
        if _norm(item.get("quote") or "")[:40] not in _norm(text) and value not in _norm(text):
            continue
        at = _norm(text).find(value)
        if at < 0:
            continue
        # offsets of the normalised text match the sentence's when it has no runs of spaces
        span = (at, at + len(value))
        if _is_background(sentence, position == 0, own):
            return "sentence taken for background"
        figures = [f for f in _figures(text) if _overlap((f[0], f[1]), span)]
        if not figures:
            return "no figure pattern matches the value"
        start, end, named = figures[0]
        problem = setting_problem(text, start, end)
        if problem:
            return "skipped as a setting: " + problem.split(" (")[0].split(",")[0]
        if _skip(text, start, end, own):
            return "skipped (year, capacity, duration, someone else's figure or background)"
        metric = named or _attribution(text, start, end, text[start:end])[0]
        if metric is None:
            return "no metric word attached"
        if metric != item.get("metric"):
            return f"read as {metric}"
        return f"dropped after attribution ({metric}: quote check, repeat or result cap)"
    return "value not found in a body sentence"


def report(
    path: Path,
    show_wrong: bool,
    quiet: bool,
    reasons: Counter[str],
    every: bool = False,
    totals: ResultScores | None = None,
    only: set[str] | None = None,
) -> list[str]:
    """Score one set and print its missed headlines; returns the table row of its scores and
    adds its counts to ``totals``. ``only``: the normalised titles to score (all when None)."""
    gold = _read(path)
    if only is not None:
        kept = [g for g in gold if _norm(g["title"]) in only]
        left = len(gold) - len(kept)
        print(f"{path.name}: {left} of {len(gold)} papers out of scope or unlabelled, left out")
        if not kept:
            return []
        gold = kept
    pred = local_predictions(gold, ROOT)
    by_title = {p["title"]: p for p in pred}
    splits = ["dev", "held-out"] if path.name == "results-gold.jsonl" else ["all"]
    rows = []
    for split in splits:
        scores = score_results(gold, pred, split)
        name = path.name if split == "all" else f"{path.name} {split}"
        if totals is not None:
            for key in POOLED:
                setattr(totals, key, getattr(totals, key) + getattr(scores, key))
        rows.append(_row(name, scores))
        if not quiet and show_wrong:
            for example in scores.examples:
                print(f"  [{split}] {example['error']}: {example['value']!r} "
                      f"({example['metric']}) — {example['title']}")  # fmt: skip
                print(f"      {example['quote']}")
    for g in gold:
        p = next((v for t, v in by_title.items() if _norm(t) == _norm(g["title"])), None)
        if p is None:
            continue
        abstract = _norm(f"{p['title']} {p['abstract']}")
        found = [(_span(abstract, r["quote"], r["value"]), r["metric"]) for r in p["results"]]
        for item in g["results"]:
            if not item.get("headline") and not every:
                continue
            span = _span(abstract, item.get("quote") or "", item.get("value") or "")
            hits = [m for s, m in found if s and span and _overlap(s, span)]
            if item["metric"] in hits:
                continue
            reason = f"read as {hits[0]}" if hits else _why_lost(p["title"], p["abstract"], item)
            reasons[reason if item.get("headline") else f"(not headline) {reason}"] += 1
            if not quiet:
                where = split_of(g["title"]) if path.name == "results-gold.jsonl" else path.stem
                print(f"- [{where}] {item['value']!r} ({item['metric']}): {reason}")
                print(f"    {item.get('quote', '')[:300]}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--wrong", action="store_true", help="also list wrong extractions")
    parser.add_argument("--all", action="store_true", help="also missed non-headline results")
    parser.add_argument("--quiet", action="store_true", help="scores and reasons only")
    parser.add_argument(
        "--relevant", action="store_true", help="only papers a relevance label calls in scope"
    )
    args = parser.parse_args()
    only = relevant_titles() if args.relevant else None
    files = args.files or sorted(SETS.glob("results-*.jsonl"), key=_set_order)
    reasons: Counter[str] = Counter()
    totals = ResultScores(split="pooled")
    rows: list[str] = []
    for path in files:
        if not args.quiet:
            print(f"\n## {path.name}")
        rows.extend(report(path, args.wrong, args.quiet, reasons, args.all, totals, only))
    print("\n| set (papers) | precision with metric | non-results | headline recall |")
    print("|---|---|---|---|")
    print("\n".join(rows))
    if len(rows) > 1:
        print(_row("pooled", totals))
    print("\nmissed results, by reason:")
    for reason, count in reasons.most_common():
        print(f"  {count:3d}  {reason}")


if __name__ == "__main__":
    main()
