"""Levels errors of the local model on held-out folds, by kind, per level and per set.

    .venv/bin/python bench/levels_errors.py [--seeds 4]

The levels alone, cheaply (~15 s a seed): the same 5 outer folds as ``bench/eval_local.py --cv``
(stratified, seed 0, every labelled set); on each, the levels head's C and threshold are chosen
by the inner cross-validation of ``pipeline.local_model.training`` on the training folds, and a
held-out paper's levels are its rules' primary's level plus the levels the head adds (what
``decide`` answers; the secondary leaves do not change the levels). Prints held-out and fitted
levels F1, their gap, held-out levels F1 per set, and every held-out levels error as one of:

- ``not relevant``: a gold level of a paper the rules screen out;
- ``primary level wrong``: the rules' primary is of a level the paper does not belong to;
- ``missing primary's``: the gold primary's level, missing because the rules' primary is of
  another level and the head did not add it;
- ``missing other``: another gold level the head did not add;
- ``spurious other``: a level the head added that the paper does not belong to.

``--extern``: over every set ``make train-local`` fits (the arXiv-listing sets of
``EXTERN_TRAIN`` too), not only the 601 papers of the dumps and the classics.

``--seeds N`` repeats the outer cross-validation with fold seeds 0..N-1 and prints each seed's
held-out and fitted levels F1 and their mean: the spread between seeds is the noise a change of
the levels head has to beat.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.cross_validate import labelled_sets  # noqa: E402
from pipeline.local_model.learned import level_of  # noqa: E402
from pipeline.local_model.training import (  # noqa: E402
    Analysed,
    LevelExtra,
    analyse,
    fit_levels_head,
    folds,
    item_levels,
    levels_answer,
    levels_f1_of,
)
from pipeline.taxonomy import load_taxonomy  # noqa: E402

KINDS = ["not relevant", "primary level wrong", "missing primary's", "missing other",
         "spurious other"]  # fmt: skip


def gold_levels(item: Analysed) -> set[str]:
    return {level_of(leaf) for leaf in item.example.leaves}


def errors(item: Analysed, got: set[str]) -> list[tuple[str, str]]:
    """(kind, level) of every levels error of one in-scope item."""
    want = gold_levels(item)
    if not got:
        return [("not relevant", level) for level in sorted(want)]
    primary = level_of(item.rule_leaves[0])
    gold_primary = level_of(item.example.primary or "")
    out = [("primary level wrong", primary)] if primary not in want else []
    for level in sorted(want - got):
        kind = "missing primary's" if level == gold_primary else "missing other"
        out.append((kind, level))
    out += [("spurious other", level) for level in sorted(got - want - {primary})]
    return out


def cross_validate(
    items: list[Analysed], seed: int, verbose: bool, extra: LevelExtra | None = None
) -> tuple[list[set[str]], float]:
    """Held-out levels of every item (5 outer folds with ``seed``) and the mean fitted F1
    (``extra``: features the levels head reads besides the cue scores, see ``choose_levels``)."""
    held: list[set[str]] = [set() for _ in items]
    fitted: list[float] = []
    for number, test in enumerate(folds(items, seed=seed), start=1):
        inside = set(test)
        train = [item for i, item in enumerate(items) if i not in inside]
        head, c, threshold = fit_levels_head(train, extra)
        more = extra(train) if extra else None
        for i in test:
            held[i] = levels_answer(items[i], item_levels(head, items[i], more), threshold)
        fitted.append(levels_f1_of(train, [item_levels(head, t, more) for t in train], threshold))
        if verbose:
            print(f"  fold {number}: levels head C={c}, threshold {threshold}", flush=True)
    return held, sum(fitted) / len(fitted)


def pooled_f1(items: list[Analysed], held: list[set[str]], chosen: list[int]) -> float:
    """Levels F1 of the in-scope items among ``chosen``."""
    tp = total = 0
    for i in chosen:
        if items[i].example.relevant:
            want = gold_levels(items[i])
            tp += len(held[i] & want)
            total += len(held[i]) + len(want)
    return 2 * tp / total if total else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=1, help="outer fold seeds 0..N-1")
    parser.add_argument(
        "--extern",
        action="store_true",
        help="every labelled set make train-local fits (the arXiv-listing sets too)",
    )
    args = parser.parse_args()
    taxonomy = load_taxonomy()
    # the 601 papers of the dumps and classics its README figures were measured on, or (--extern)
    # every set make train-local fits
    sets = labelled_sets(ROOT / "dumps", extern=args.extern)
    examples = [e for rows in sets.values() for e in rows]
    names = [name for name, rows in sets.items() for _ in rows]
    items = analyse(examples, taxonomy)
    everyone = list(range(len(items)))
    runs = [cross_validate(items, seed, verbose=seed == 0) for seed in range(args.seeds)]
    for seed, (held, fitted) in enumerate(runs):
        pooled = pooled_f1(items, held, everyone)
        print(f"seed {seed}: levels F1 held out {pooled:.3f}, fitted {fitted:.3f}, gap "
              f"{fitted - pooled:.3f}")  # fmt: skip
    if args.seeds > 1:
        mean_held = sum(pooled_f1(items, h, everyone) for h, _ in runs) / len(runs)
        mean_fitted = sum(f for _, f in runs) / len(runs)
        print(f"mean of {args.seeds} seeds: held out {mean_held:.3f}, fitted {mean_fitted:.3f}, "
              f"gap {mean_fitted - mean_held:.3f}")  # fmt: skip
        for name in sets:
            chosen = [i for i in everyone if names[i] == name]
            mean = sum(pooled_f1(items, h, chosen) for h, _ in runs) / len(runs)
            print(f"  mean of {args.seeds} seeds held out, {name}: {mean:.3f}")
    held = runs[0][0]
    for name in sets:
        chosen = [i for i in everyone if names[i] == name]
        print(f"  seed 0 held out, {name}: {pooled_f1(items, held, chosen):.3f}")
    counts: Counter[tuple[str, str, str]] = Counter()
    for i, item in enumerate(items):
        if item.example.relevant:
            for kind, level in errors(item, held[i]):
                counts[(names[i], kind, level)] += 1
    levels = list(dict.fromkeys(level_of(leaf) for leaf in taxonomy.leaf_ids))
    print(f"{'seed 0 held-out levels errors':36}" + "".join(f"{c:>9}" for c in [*sets, "all"]))
    for kind in KINDS:
        for level in levels:
            row = [counts[(name, kind, level)] for name in sets]
            if sum(row):
                print(f"  {kind + ', ' + level:34}" + "".join(f"{n:9}" for n in [*row, sum(row)]))
    totals = [sum(n for (s, _, _), n in counts.items() if s == name) for name in sets]
    print(f"  {'total':34}" + "".join(f"{n:9}" for n in [*totals, sum(totals)]))


if __name__ == "__main__":
    main()
