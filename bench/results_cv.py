"""Honest scores of the extract stage's learned head: leave-one-set-out cross-validation.

    .venv/bin/python bench/results_cv.py [--sets NAME ...] [--no-words]

The seven committed labelled sets (results-gold's dev and held-out halves, results-fresh …
results-fresh5; bench/results_training.py:SET_FILES) take turns as the held-out
set: the head is fitted on the other six, with each head's C and the veto / add / relabel
thresholds chosen by a leave-one-set-out cross-validation inside those six only, then the
held-out set is scored as `taxonomist eval --results-gold` scores it (precision with the right
metric / share of non-results / headline recall). Printed per held-out set and as the mean
over sets: the rules alone vs rules + learned, held out and fitted (the six training sets
scored by the head fitted on them). The rules were tuned on every one of these sets, so "rules
alone" is not a held-out number for them; the learned part's change is.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results_training import (  # noqa: E402
    Scores,
    fit_selected,
    load_sets,
    score,
)


def _mean(rows: list[Scores]) -> str:
    n = len(rows) or 1
    precision = sum(r.precision for r in rows) / n
    non_results = sum(r.non_result_share for r in rows) / n
    return f"{precision:.3f} / {non_results:.3f} / {sum(r.headline_recall for r in rows) / n:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*", help="hold out only these sets (default: all)")
    parser.add_argument(
        "--no-words", action="store_true", help="heads without the words around the figure"
    )
    args = parser.parse_args()
    sets = load_sets(ROOT)
    held_names = args.sets or list(sets)
    print(
        "| held-out set | rules alone | rules + learned, held out | rules + learned, fitted (six "
        "training sets) | rules alone on them | chosen C / veto / add / relabel (inner headline "
        "recall: rules → chosen) |"
    )
    print("|---|---|---|---|---|---|")
    rules_rows, learned_rows, fitted_rows, train_rules_rows = [], [], [], []
    for name in held_names:
        train = {other: papers for other, papers in sets.items() if other != name}
        head, chosen = fit_selected(train, words=not args.no_words)
        rules = score(sets[name], None, None)
        learned = score(sets[name], head, None)
        fitted, train_rules = Scores(), Scores()
        for papers in train.values():
            fitted.add(score(papers, head, None))
            train_rules.add(score(papers, None, None))
        rules_rows.append(rules)
        learned_rows.append(learned)
        fitted_rows.append(fitted)
        train_rules_rows.append(train_rules)
        print(
            f"| {name} ({len(sets[name])}) | {rules.text()} | {learned.text()} | {fitted.text()} "
            f"| {train_rules.text()} | C {chosen.c_result:g}/{chosen.c_metric:g}, {chosen.veto:g}"
            f" / {chosen.add:g} / {chosen.relabel:g} ({chosen.rules.headline_recall:.3f} → "
            f"{chosen.chosen.headline_recall:.3f}) |",
            flush=True,
        )
    print(
        f"| mean over sets | {_mean(rules_rows)} | {_mean(learned_rows)} | {_mean(fitted_rows)} "
        f"| {_mean(train_rules_rows)} | |"
    )
    pooled_rules, pooled_learned = Scores(), Scores()
    for r, learned in zip(rules_rows, learned_rows, strict=True):
        pooled_rules.add(r)
        pooled_learned.add(learned)
    print(f"| pooled | {pooled_rules.text()} | {pooled_learned.text()} | | | |")
    print("\n(precision with the right metric / share of non-results / headline recall)")


if __name__ == "__main__":
    main()
