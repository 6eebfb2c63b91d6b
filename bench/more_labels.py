"""Do more labelled arXiv papers help the local model on papers it did not see? Cross-validated.

    .venv/bin/python bench/more_labels.py [--seed 0] [--out FILE]

The labelled sets of bench/cross_validate.py (the dumps' papers, the classics, EXTERN_OLDER) and
the 800 papers of EXTERN_POOLS (the results sets' pools, labelled for relevance and leaves in
stop 32) are split into the same 5 stratified folds. On each fold the learned heads are fitted
twice, as ``make train-local`` fits them (thresholds and calibration by an inner
cross-validation of the training folds):

- ``without``: on the training folds' papers of the older sets only (what ships before);
- ``with``: on every training-fold paper, the pools' included.

Both answer the same held-out papers, so their scores compare like for like. Prints held-out
relevance F1, primary lenient, levels F1, leaves F1 and primary strict for the older sets'
papers, the pools' papers and all of them, and the rules alone. ``--out``: each paper's two
held-out answers beside its gold labels (JSON Lines).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.cross_validate import (  # noqa: E402
    DEV_GOLD,
    EXTERN_OLDER,
    EXTERN_POOLS,
    REPORTED,
    _gold,
    _line,
    _scores,
    answer,
    labelled_sets,
)
from pipeline.local_model import LocalModel  # noqa: E402
from pipeline.local_model.training import analyse, fit_analysed, folds  # noqa: E402
from pipeline.taxonomy import load_taxonomy  # noqa: E402

VARIANTS = ("without", "with")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dumps", type=Path, default=ROOT / "dumps")
    parser.add_argument("--seed", type=int, default=0, help="outer fold seed")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    taxonomy = load_taxonomy()
    sets = labelled_sets(args.dumps, DEV_GOLD, extern_sets=EXTERN_OLDER + EXTERN_POOLS)
    examples = [e for rows in sets.values() for e in rows]
    pooled = [name in EXTERN_POOLS for name, rows in sets.items() for _ in rows]
    print(
        f"{len(examples)} labelled papers, {sum(pooled)} of them in EXTERN_POOLS; 5 folds, "
        f"stratified, seed {args.seed}",
        flush=True,
    )
    items = analyse(examples, taxonomy)
    held: dict[str, list[dict[str, Any]]] = {v: [{}] * len(items) for v in VARIANTS}
    for number, test in enumerate(folds(items, seed=args.seed), start=1):
        out = set(test)
        train = {
            "with": [x for i, x in enumerate(items) if i not in out],
            "without": [x for i, x in enumerate(items) if i not in out and not pooled[i]],
        }
        for variant in VARIANTS:
            learned = fit_analysed(train[variant], taxonomy.leaf_ids)
            model = LocalModel(taxonomy, learned=learned)
            for i in test:
                held[variant][i] = answer(model, items[i].example)
            print(
                f"  fold {number} {variant}: {len(train[variant])} train; thresholds relevance "
                f"{learned.relevance_threshold}, leaf {learned.leaf_threshold}, level "
                f"{learned.level_threshold}",
                flush=True,
            )
    rules = LocalModel(taxonomy, rules_only=True)
    rule_records = [answer(rules, e) for e in examples]
    groups = {
        "older sets": [i for i, p in enumerate(pooled) if not p],
        "pools": [i for i, p in enumerate(pooled) if p],
        "all": list(range(len(examples))),
    }
    print(f"{'held out':28}" + "".join(f"{k:>17}" for k in REPORTED))
    for group, chosen in groups.items():
        gold = [examples[i] for i in chosen]
        for variant in VARIANTS:
            _line(f"{group}: {variant}", _scores(gold, [held[variant][i] for i in chosen]))
        _line(f"{group}: rules alone", _scores(gold, [rule_records[i] for i in chosen]))
    if args.out is not None:
        with args.out.open("w", encoding="utf-8") as handle:
            for i, example in enumerate(examples):
                row = {"gold": _gold(example), "pool": pooled[i]}
                row.update({v: held[v][i] for v in VARIANTS})
                handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
