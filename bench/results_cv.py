"""Honest scores of the extract stage's learned head: leave-one-set-out cross-validation.

    .venv/bin/python bench/results_cv.py [--sets NAME ...] [--no-words] [--jobs N]

The committed labelled sets (results-gold's dev and held-out halves, results-fresh …
results-fresh7, results-extern … results-extern7; bench/results_training.py:SET_FILES) take
turns as the held-out set: the head is fitted on the others, with each head's C and the veto /
add / relabel thresholds chosen by a leave-one-set-out cross-validation inside those only, then
the held-out set is scored as `taxonomist eval --results-gold` scores it (precision with the
right metric / share of non-results / headline recall). Printed per held-out set, as the mean
over sets and pooled (over the arXiv sets, extern…, and over all): the rules alone vs rules +
learned, held out and fitted (the training sets scored by the head fitted on them). The rules
were tuned on most of these sets, so "rules alone" is not a held-out number for them; the
learned part's change is. ``--jobs`` runs held-out sets in parallel processes (same output).
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results_training import (  # noqa: E402
    LabelledPaper,
    Scores,
    Selection,
    fit_selected,
    load_sets,
    score,
)


def _mean(rows: list[Scores]) -> str:
    n = len(rows) or 1
    precision = sum(r.precision for r in rows) / n
    non_results = sum(r.non_result_share for r in rows) / n
    return f"{precision:.3f} / {non_results:.3f} / {sum(r.headline_recall for r in rows) / n:.3f}"


def _fold(name: str) -> tuple[Scores, Scores, Scores, Scores, Selection]:
    """Hold ``name`` out: fit on the other sets, score it and them."""
    sets = _SETS
    train = {other: papers for other, papers in sets.items() if other != name}
    head, chosen = fit_selected(train, words=not _NO_WORDS)
    fitted, train_rules = Scores(), Scores()
    for papers in train.values():
        fitted.add(score(papers, head, None))
        train_rules.add(score(papers, None, None))
    rules, learned = score(sets[name], None, None), score(sets[name], head, None)
    return rules, learned, fitted, train_rules, chosen


_SETS: dict[str, list[LabelledPaper]] = {}
_NO_WORDS = False


def _pooled(label: str, rows: list[tuple[str, Scores, Scores]]) -> str:
    rules, learned = Scores(), Scores()
    for _, r, lr in rows:
        rules.add(r)
        learned.add(lr)
    return f"| pooled, {label} | {rules.text()} | {learned.text()} | | | |"


def main() -> None:
    global _NO_WORDS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*", help="hold out only these sets (default: all)")
    parser.add_argument(
        "--no-words", action="store_true", help="heads without the words around the figure"
    )
    parser.add_argument("--jobs", type=int, default=1, help="held-out sets run in parallel")
    args = parser.parse_args()
    _SETS.update(load_sets(ROOT))
    _NO_WORDS = args.no_words
    held_names = args.sets or list(_SETS)
    print(
        "| held-out set | rules alone | rules + learned, held out | rules + learned, fitted "
        "(its training sets) | rules alone on them | chosen C / veto / add / relabel (inner "
        "headline recall: rules → chosen) |"
    )
    print("|---|---|---|---|---|---|")
    if args.jobs > 1:
        # fork: the workers share the loaded sets
        context = multiprocessing.get_context("fork")
        with context.Pool(args.jobs) as pool:
            folds = pool.imap(_fold, held_names)
            done = list(_print_folds(held_names, folds))
    else:
        done = list(_print_folds(held_names, map(_fold, held_names)))
    rules_rows = [r for _, r, _ in done]
    learned_rows = [lr for _, _, lr in done]
    print(f"| mean over sets | {_mean(rules_rows)} | {_mean(learned_rows)} | | | |")
    arxiv = [row for row in done if row[0].startswith("extern")]
    if arxiv and len(arxiv) < len(done):
        print(_pooled(f"arXiv sets ({len(arxiv)})", arxiv))
    print(_pooled(f"all ({len(done)})", done))
    print("\n(precision with the right metric / share of non-results / headline recall)")


def _print_folds(
    names: list[str], folds: Iterable[tuple[Scores, Scores, Scores, Scores, Selection]]
) -> Iterator[tuple[str, Scores, Scores]]:
    for name, (rules, learned, fitted, train_rules, chosen) in zip(names, folds, strict=True):
        print(
            f"| {name} ({len(_SETS[name])}) | {rules.text()} | {learned.text()} | "
            f"{fitted.text()} | {train_rules.text()} | C {chosen.c_result:g}/{chosen.c_metric:g}"
            f", {chosen.veto:g} / {chosen.add:g} / {chosen.relabel:g} "
            f"({chosen.rules.headline_recall:.3f} → {chosen.chosen.headline_recall:.3f}) |",
            flush=True,
        )
        yield name, rules, learned


if __name__ == "__main__":
    main()
