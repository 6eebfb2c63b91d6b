"""Do more arXiv-listing labels teach the local model anything that carries over?

    .venv/bin/python bench/extern_loso.py [--seeds 2] [--full]

Leave one arXiv-listing set out (issue 14): the judge sets of tests/fixtures/extern
(``EXTERN_JUDGES`` of bench/cross_validate.py: extern, extern5 ... extern8, extern11, extern15;
each 130 papers from daily arXiv listings, most only looking related) are held out one at a
time. For each, the relevance decision of the local model ("rules and head": in scope when the
cue rules say so and the relevance head does not veto it, the threshold chosen by inner
cross-validation of the training part as ``make train-local`` chooses it) is fitted twice and
scored on the held-out set:

- ``first sets``: the dumps, the classics, extern2 and extern3 (``EXTERN_FIRST``: what
  ``make train-local`` trained on until stop 27);
- ``+ other judges``: those plus every other judge set, never the held-out one (what it trains
  on since: all of ``EXTERN_TRAIN``, so this column is the held-out figure of the shipped
  recipe).

Prints each held-out set's relevance F1 (and papers wrongly let in / missed) for both, and the
pooled F1 over all held-out sets. ``--seeds`` repeats the inner cross-validation that chooses
the threshold with fold seeds 0..N-1 and reports their mean (the head itself is fitted once per
training part).

``--full``: the whole learned model instead (every head, thresholds and calibration fitted by
``pipeline.local_model.training.fit_analysed`` as ``make train-local`` fits them; a few minutes
a fit, eight fits), scored per held-out set and pooled as ``pipeline.evaluate`` scores it:
relevance F1 / primary lenient / levels F1 / leaves F1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.cross_validate import (  # noqa: E402
    DEV_GOLD,
    EXTERN,
    EXTERN_FIRST,
    EXTERN_JUDGES,
    _example,
    _rows,
    _scores,
    answer,
    labelled_sets,
)
from bench.relevance_cv import (  # noqa: E402
    _decide,
    _fit,
    _inner_probabilities,
    _probabilities,
    _threshold,
)
from pipeline.local_model import LocalModel  # noqa: E402
from pipeline.local_model.training import (  # noqa: E402
    C_RELEVANCE,
    Analysed,
    analyse,
    fit_analysed,
)
from pipeline.taxonomy import Taxonomy, load_taxonomy  # noqa: E402

JUDGES = EXTERN_JUDGES
POLICY = "rules and head"
FULL_KEYS = ("relevance_f1", "primary_lenient", "levels_f1", "leaves_f1")


def _counts(gold: list[bool], got: list[bool]) -> tuple[int, int, int]:
    tp = sum(1 for g, p in zip(gold, got, strict=True) if g and p)
    return tp, sum(got) - tp, sum(gold) - tp


def _f1(tp: float, fp: float, fn: float) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _scored(train: list[Analysed], test: list[Analysed], seeds: int) -> list[tuple[int, int, int]]:
    """(tp, fp, fn) on ``test`` per inner seed, the head fitted on ``train``."""
    head, idf = _fit(train, C_RELEVANCE)
    probs = _probabilities(head, idf, test)
    gold = [bool(i.example.relevant) for i in test]
    out = []
    for seed in range(seeds):
        t = _threshold(POLICY, train, _inner_probabilities(train, C_RELEVANCE, seed))
        out.append(_counts(gold, _decide(POLICY, test, probs, t)))
    return out


def _full(base: list[Analysed], judges: dict[str, list[Analysed]], taxonomy: Taxonomy) -> None:
    """The whole model fitted on the first sets and on them plus the other judges."""
    print(f"{'held-out set':14}{'first sets':>30}{'+ other judges':>30}", flush=True)
    first = LocalModel(taxonomy, learned=fit_analysed(base, taxonomy.leaf_ids))
    records: dict[str, list[list[dict[str, Any]]]] = {"first": [], "more": []}
    for name, test in judges.items():
        others = [i for n, items in judges.items() if n != name for i in items]
        more = LocalModel(taxonomy, learned=fit_analysed(base + others, taxonomy.leaf_ids))
        row = f"{name:14}"
        for variant, model in (("first", first), ("more", more)):
            got = [answer(model, i.example) for i in test]
            records[variant].append(got)
            scores = _scores([i.example for i in test], got)
            row += "    " + " / ".join(f"{scores[k]:.3f}" for k in FULL_KEYS)
        print(row, flush=True)
    examples = [i.example for items in judges.values() for i in items]
    row = f"{'pooled':14}"
    for variant in ("first", "more"):
        scores = _scores(examples, [r for got in records[variant] for r in got])
        row += "    " + " / ".join(f"{scores[k]:.3f}" for k in FULL_KEYS)
    print(row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dumps", type=Path, default=ROOT / "dumps")
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--full", action="store_true")
    args = parser.parse_args()
    taxonomy = load_taxonomy()
    first_sets = labelled_sets(args.dumps, DEV_GOLD, extern_sets=EXTERN_FIRST)
    base = [e for rows in first_sets.values() for e in rows if e.relevant is not None]
    base_items = analyse(base, taxonomy)
    judges = {
        name: analyse(
            [_example(r["title"], r["abstract"], r) for r in _rows(EXTERN / f"{name}-gold.jsonl")],
            taxonomy,
        )
        for name in JUDGES
    }
    if args.full:
        _full(base_items, judges, taxonomy)
        return
    totals = {"first sets": [0.0, 0.0, 0.0], "+ other judges": [0.0, 0.0, 0.0]}
    print(f"{'held-out set':14}{'first sets':>34}{'+ other judges':>34}")
    for name, test in judges.items():
        others = [i for n, items in judges.items() if n != name for i in items]
        row = f"{name:14}"
        variants = (("first sets", base_items), ("+ other judges", base_items + others))
        for variant, train in variants:
            runs = _scored(train, test, args.seeds)
            tp, fp, fn = (sum(r[k] for r in runs) / len(runs) for k in range(3))
            for k, v in enumerate((tp, fp, fn)):
                totals[variant][k] += v
            row += f"   F1 {_f1(tp, fp, fn):.3f} ({fp:4.1f} in, {fn:4.1f} missed)"
        print(row, flush=True)
    row = f"{'pooled':14}"
    for variant in totals:
        tp, fp, fn = totals[variant]
        row += f"   F1 {_f1(tp, fp, fn):.3f} ({fp:4.1f} in, {fn:4.1f} missed)"
    print(row)


if __name__ == "__main__":
    main()
