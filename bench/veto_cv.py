"""The relevance veto's threshold objective, scored on relevance, primary and levels together.

    .venv/bin/python bench/veto_cv.py [--seeds 4]

The local model lets a paper in when the cue rules say so and the relevance head's probability
reaches a threshold (learned.head_relevant). A vetoed in-scope paper loses its relevance, its
primary leaf and its levels (pipeline.evaluate scores the last two over the gold in-scope
papers), so this bench scores all three, as ``bench/eval_local.py`` does:

- relevance F1, as the screen answers it;
- primary lenient: the rules' primary (what decide() answers) is one of the gold leaves, over the
  gold in-scope papers, 0 for a paper kept out;
- levels F1: the rules' primary's level and the levels the levels head adds
  (training.levels_answer), over the gold in-scope papers, nothing for a paper kept out.

The secondary leaves do not change the levels (training.levels_answer), so only the relevance
head and the levels head are fitted: seconds a fit, not the minutes of ``fit_analysed``.

Threshold objectives, each chosen on out-of-fold predictions of an inner cross-validation of the
training items only (the levels head's C and threshold too, by training.choose_levels):

- ``no veto``: the rules alone decide relevance;
- ``F2``: F-beta of relevance, beta 2 (training.RELEVANCE_BETA, what ships);
- ``F1``: F-beta of relevance, beta 1;
- ``sum``: relevance F1 + primary lenient + levels F1 of the training items (issue 14's score).

Evaluations, all in one run:

- (a) 5-fold cross-validation over the training sets of bench/cross_validate.labelled_sets,
  fold seeds 0 to ``--seeds`` - 1, held-out scores per set and pooled, mean over seeds
  (``--new-in-cv``: over the training sets and ``NEW``, and only this);
- (b) leave one arXiv set out: train on every labelled set but S (``extern`` never) and score S,
  for S in extern2, extern3 and the new sets ``NEW``, with ("+new") and without ("old") the
  other new sets among the training sets;
- (c) ``extern`` (the test set) scored with everything fitted on the old training sets and on
  the old ones plus ``NEW``.

(b) and (c) are means over the inner cross-validation's fold seeds 0 to ``--seeds`` - 1 (the
thresholds depend on that split).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cross_validate import DEV_GOLD, EXTERN, EXTERN_FIRST, labelled_sets  # noqa: E402
from bench.relevance_cv import _examples, _fit, _inner_probabilities, _probabilities  # noqa: E402
from pipeline.local_model.learned import Head, head_relevant, level_of  # noqa: E402
from pipeline.local_model.training import (  # noqa: E402
    C_RELEVANCE,
    Analysed,
    Example,
    _level_rows,
    _logistic,
    analyse,
    best_threshold,
    choose_levels,
    f_beta,
    folds,
    item_levels,
    levels_answer,
)
from pipeline.taxonomy import load_taxonomy  # noqa: E402

NEW = ("extern5", "extern6", "extern7")
OBJECTIVES = ["no veto", "F1", "F2", "F3", "F4", "sum", "sum/set"]
POOLED = ("pooled old", "pooled +new")
Scores = tuple[float, float, float]  # relevance F1, primary lenient, levels F1
Objective = Callable[[list[Analysed], list[bool], list[set[str]]], float]


def scores(items: list[Analysed], let_in: list[bool], levels: list[set[str]]) -> Scores:
    """Relevance F1, primary lenient and levels F1 as pipeline.evaluate scores them, for the
    decisions ``let_in`` and the levels each paper would get if let in."""
    gold = [bool(i.example.relevant) for i in items]
    lenient = tp = predicted = wanted = 0
    for item, yes, got in zip(items, let_in, levels, strict=True):
        if not item.example.relevant:
            continue
        want = {level_of(leaf) for leaf in item.example.leaves}
        answered = got if yes else set()
        lenient += yes and item.rule_leaves[0] in item.example.leaves
        tp, predicted, wanted = tp + len(answered & want), predicted + len(answered), \
            wanted + len(want)  # fmt: skip
    in_scope = sum(gold)
    return (
        f_beta(gold, let_in),
        lenient / in_scope if in_scope else 0.0,
        2 * tp / (predicted + wanted) if predicted + wanted else 0.0,
    )


def decisions(items: list[Analysed], probs: list[float], t: float | None) -> list[bool]:
    """The screen's answers at veto threshold ``t`` (None: no veto, the rules alone)."""
    return [
        bool(i.signal.relevant) if t is None else head_relevant(bool(i.signal.relevant), p, t)
        for i, p in zip(items, probs, strict=True)
    ]


def objective_score(name: str, groups: list[list[int]]) -> Objective:
    """The training-side score an objective maximises (``groups``: the training items' sets,
    as index lists, for ``sum/set``)."""
    if name == "sum":
        return lambda items, got, levels: sum(scores(items, got, levels))
    if name == "sum/set":
        return lambda items, got, levels: (
            sum(
                sum(scores([items[k] for k in g], [got[k] for k in g], [levels[k] for k in g]))
                for g in groups
            )
            / len(groups)
        )
    beta = float(name[1:])
    return lambda items, got, levels: f_beta([bool(i.example.relevant) for i in items], got, beta)


@dataclass(frozen=True)
class Fitted:
    """What one training set gives: per objective its veto threshold, and for the test items
    the relevance head's probabilities and the levels they would get if let in."""

    thresholds: dict[str, float | None]
    probs: list[float]
    levels: list[set[str]]

    def answer(self, items: list[Analysed], objective: str) -> Scores:
        return scores(items, decisions(items, self.probs, self.thresholds[objective]), self.levels)


def fit_and_answer(
    train: list[Analysed], names: list[str], test: list[Analysed], seed: int = 0
) -> Fitted:
    """Fit the relevance and levels heads on ``train`` (thresholds and levels C by inner
    cross-validation on ``train`` only) and answer ``test``; ``names``: the training items'
    sets."""
    groups = [[k for k, n in enumerate(names) if n == name] for name in dict.fromkeys(names)]
    head, idf = _fit(train, C_RELEVANCE)
    inner_probs = _inner_probabilities(train, C_RELEVANCE, seed)
    choice = choose_levels(train)
    inner_levels = [
        levels_answer(item, lv, choice.threshold)
        for item, lv in zip(train, choice.out_of_fold, strict=True)
    ]
    thresholds: dict[str, float | None] = {"no veto": None}
    for name in OBJECTIVES[1:]:
        score = objective_score(name, groups)

        def at(t: float, score: Objective = score) -> float:
            return score(train, decisions(train, inner_probs, t), inner_levels)

        thresholds[name] = best_threshold(at)[0]
    data = _logistic(*_level_rows(train), choice.c, min_weight=0.0)
    levels_head = Head(data["weights"], data["bias"])
    levels = [levels_answer(i, item_levels(levels_head, i), choice.threshold) for i in test]
    return Fitted(thresholds, _probabilities(head, idf, test), levels)


def _row(label: str, values: list[Scores]) -> None:
    print(f"{label:14}" + "".join(f"   {r:.3f}/{p:.3f}/{v:.3f}" for r, p, v in values), flush=True)


def _mean(values: list[Scores]) -> Scores:
    n = len(values)
    return (sum(v[0] for v in values) / n, sum(v[1] for v in values) / n,
            sum(v[2] for v in values) / n)  # fmt: skip


def cross_validation(items: list[Analysed], names: list[str], seeds: int) -> None:
    """(a): 5-fold held-out scores per objective, pooled and per set, mean over fold seeds."""
    columns = ["all", *dict.fromkeys(names)]
    runs: dict[str, list[dict[str, Scores]]] = {o: [] for o in OBJECTIVES}
    chosen: dict[str, list[float | None]] = {o: [] for o in OBJECTIVES}
    for seed in range(seeds):
        let_in = {o: [False] * len(items) for o in OBJECTIVES}
        levels: list[set[str]] = [set() for _ in items]
        for test in folds(items, seed=seed):
            held = set(test)
            train = [x for i, x in enumerate(items) if i not in held]
            tested = [items[i] for i in test]
            fitted = fit_and_answer(train, [n for i, n in enumerate(names) if i not in held],
                                    tested, seed)  # fmt: skip
            for o in OBJECTIVES:
                chosen[o].append(fitted.thresholds[o])
                for i, yes in zip(test, decisions(tested, fitted.probs, fitted.thresholds[o]),
                                  strict=True):  # fmt: skip
                    let_in[o][i] = yes
            for i, lv in zip(test, fitted.levels, strict=True):
                levels[i] = lv
        for o in OBJECTIVES:
            row = {"all": scores(items, let_in[o], levels)}
            for name in columns[1:]:
                k = [j for j, n in enumerate(names) if n == name]
                row[name] = scores([items[j] for j in k], [let_in[o][j] for j in k],
                                   [levels[j] for j in k])  # fmt: skip
            runs[o].append(row)
        print(f"  seed {seed} done", flush=True)
    print("(a) held out, relevance F1/primary lenient/levels F1, mean of seeds:")
    print(f"{'objective':14}" + "".join(f"{c:>20}" for c in columns))
    for o in OBJECTIVES:
        _row(o, [_mean([r[c] for r in runs[o]]) for c in columns])
        sums = [sum(_mean([r[c] for r in runs[o]])) for c in columns]
        print(f"{'  sum':14}" + "".join(f"{s:20.3f}" for s in sums))
        print(f"{'  thresholds':14}  {sorted({t for t in chosen[o] if t is not None})}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dumps", type=Path, default=ROOT / "dumps")
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument(
        "--new-in-cv", action="store_true", help="(a) over the new sets too, and nothing else"
    )
    args = parser.parse_args()
    taxonomy = load_taxonomy()
    sets = labelled_sets(args.dumps, DEV_GOLD, extern_sets=EXTERN_FIRST)
    for name in NEW:
        sets[name] = _examples(EXTERN / f"{name}-gold.jsonl")
    sets = {k: [e for e in v if e.relevant is not None] for k, v in sets.items()}
    analysed = {k: analyse(v, taxonomy) for k, v in sets.items()}
    test = analyse(_examples(EXTERN / "extern-gold.jsonl"), taxonomy)
    old = [k for k in sets if k not in NEW]
    print(", ".join(f"{n} {len(r)}" for n, r in sets.items()), f"; test extern {len(test)}")

    cross_validation(*_training(analysed, list(sets) if args.new_in_cv else old), args.seeds)
    if args.new_in_cv:
        return

    leave_one_set_out(sets, analysed, args.seeds)
    test_set(sets, analysed, test, args.seeds)


def _training(
    analysed: dict[str, list[Analysed]], keep: list[str]
) -> tuple[list[Analysed], list[str]]:
    return [x for k in keep for x in analysed[k]], [k for k in keep for _ in analysed[k]]


def leave_one_set_out(
    sets: dict[str, list[Example]], analysed: dict[str, list[Analysed]], seeds: int
) -> None:
    """(b): each arXiv set scored by heads fitted on every other set (never ``extern``), without
    ("old") and with ("+new") the other new sets; then pooled over the held-out sets. Mean over
    inner fold seeds 0 to ``seeds`` - 1 (the thresholds' inner cross-validation)."""
    held_sets = [*EXTERN_FIRST, *NEW]
    print("(b) leave one arXiv set out (train: every set but it; extern never), mean of seeds:")
    columns = [f"{s} {d}" for s in held_sets for d in ("old", "+new")]
    results: dict[str, dict[str, list[Scores]]] = {o: {} for o in [*OBJECTIVES, *POOLED]}
    for seed in range(seeds):
        pooled: dict[str, dict[str, tuple[list[Analysed], list[bool], list[set[str]]]]] = {
            o: {d: ([], [], []) for d in ("old", "+new")} for o in OBJECTIVES
        }
        for held in held_sets:
            for data in ("old", "+new"):
                keep = [k for k in sets if k != held and (data == "+new" or k not in NEW)]
                tested = analysed[held]
                fitted = fit_and_answer(*_training(analysed, keep), tested, seed)
                for o in OBJECTIVES:
                    results[o].setdefault(f"{held} {data}", []).append(fitted.answer(tested, o))
                    items, let_in, levels = pooled[o][data]
                    items += tested
                    let_in += decisions(tested, fitted.probs, fitted.thresholds[o])
                    levels += fitted.levels
                print(f"  seed {seed}, {held} {data}: thresholds {fitted.thresholds}", flush=True)
        for o in OBJECTIVES:
            for d in ("old", "+new"):
                results[o].setdefault(f"pooled {d}", []).append(scores(*pooled[o][d]))
    columns += list(POOLED)
    print(f"{'objective':14}" + "".join(f"{c:>20}" for c in columns))
    for o in OBJECTIVES:
        values = [_mean(results[o][c]) for c in columns]
        _row(o, values)
        print(f"{'  sum':14}" + "".join(f"{sum(v):20.3f}" for v in values))


def test_set(
    sets: dict[str, list[Example]], analysed: dict[str, list[Analysed]], test: list[Analysed],
    seeds: int,
) -> None:  # fmt: skip
    """(c): ``extern`` scored by heads fitted on all old / old + new sets, mean of inner seeds."""
    print("(c) extern (test), fitted on all old training sets / old + new, mean of seeds:")
    for data in ("old", "+new"):
        keep = [k for k in sets if data == "+new" or k not in NEW]
        runs = [fit_and_answer(*_training(analysed, keep), test, seed) for seed in range(seeds)]
        for o in OBJECTIVES:
            values = _mean([fitted.answer(test, o) for fitted in runs])
            chosen = [fitted.thresholds[o] for fitted in runs]
            print(f"  {data:5} {o:8} {values[0]:.3f}/{values[1]:.3f}/{values[2]:.3f}  "
                  f"sum {sum(values):.3f}  thresholds {chosen}")  # fmt: skip


if __name__ == "__main__":
    main()
