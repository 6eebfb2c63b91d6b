"""Relevance only: how the screen's decision generalises, by cross-validation and on a test set.

    .venv/bin/python bench/relevance_cv.py [--test tests/fixtures/extern/extern-gold.jsonl]

Fits only the relevance head (pipeline.local_model.learned.relevance_features, C and MIN_DF of
pipeline.local_model.training), so one run takes seconds, not the 20 minutes of
``bench/eval_local.py --cv``. Decision policies compared:

- ``rules``: the cue rules' decision (what the local model answered before issue 14's
  out-of-distribution sets);
- ``head``: the relevance head's probability at a threshold chosen, as ``make train-local``
  chooses it, by F-beta (training.RELEVANCE_BETA) on out-of-fold predictions of an inner
  cross-validation of the training folds;
- ``rules and head``: in scope only when the rules and the head (threshold chosen the same
  way) both say so;
- ``rules and head, or head sure``: the same, or the head alone at or above an override threshold
  (training.OVERRIDES, chosen with the veto threshold by the same inner F-beta as the shipped
  model: training.choose_relevance_policy; ``NEVER``: none), never on the title alone.

``--choose-c``: each outer fold's C chosen on its training folds (``choose_relevance_c``: the
most regularised of RELEVANCE_CS within training.LEAF_TOLERANCE of the best inner F1, as the
levels and membership heads choose theirs), instead of ``--c`` everywhere. Measured in stop 41
and not shipped: the shipped head keeps training.C_RELEVANCE (README, "The relevance head's
regularisation against the gap").

``--no-embedding``: the relevance head on words and rule signals only (without the paper
embedding of pipeline.local_model.embedding).

Training sets: every labelled set of bench/cross_validate.labelled_sets (the dumps' papers, the
classics and the arXiv-listing sets extern2 and extern3); ``--dumps-only`` leaves out the
arXiv-listing sets, as before issue 14's extern sets. Prints 5-fold held-out relevance F1 per
policy and per set (fold seeds 0 to ``--seeds`` - 1), then each policy fitted on all training
sets and scored on ``--test`` (never trained on).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cross_validate import (  # noqa: E402
    DEV_GOLD,
    EXTERN,
    EXTERN_OLDER,
    EXTERN_TRAIN,
    _example,
    _rows,
    labelled_sets,
)
from pipeline.local_model.learned import (  # noqa: E402
    NEVER,
    Head,
    head_relevant,
    relevance_features,
    tfidf,
)
from pipeline.local_model.training import (  # noqa: E402
    C_RELEVANCE,
    INNER_FOLDS,
    Analysed,
    Example,
    _idf,
    analyse,
    choose_leaf_config,
    choose_relevance_policy,
    choose_relevance_threshold,
    f_beta,
    folds,
    relevance_head,
)
from pipeline.taxonomy import load_taxonomy  # noqa: E402

POLICIES = ["rules", "head", "rules and head", "rules and head, or head sure"]
SHIPPED = POLICIES[-1]
RELEVANCE_CS = [0.25, 0.5, 1.0, 2.0, 4.0]  # most regularised first


def _examples(path: Path) -> list[Example]:
    return [_example(r["title"], r["abstract"], r) for r in _rows(path)]


WORDS_ONLY = False  # --no-embedding: the head without the paper embedding's features


def _vector(item: Analysed) -> object:
    return None if WORDS_ONLY else item.embedding


def _fit(train: list[Analysed], c: float) -> tuple[Head, dict[str, float]]:
    idf = _idf(train)
    data = relevance_head([(i, tfidf(i.words, idf)) for i in train], c, not WORDS_ONLY)
    return Head(bias=data["bias"], weights=data["weights"]), idf


def _probabilities(head: Head, idf: dict[str, float], items: list[Analysed]) -> list[float]:
    return [
        head.probability(relevance_features(tfidf(i.words, idf), i.signal, i.scores, _vector(i)))
        for i in items
    ]


_f1 = f_beta


def _decide(
    policy: str, items: list[Analysed], probs: list[float], t: float, sure: float = NEVER
) -> list[bool]:
    rules = [bool(i.signal.relevant) for i in items]
    if policy == "rules and head, or head sure":
        return [
            head_relevant(r, p, t, sure, i.signal.title_only)
            for r, p, i in zip(rules, probs, items, strict=True)
        ]
    if policy == "rules":
        return rules
    if policy == "head":
        return [p >= t for p in probs]
    return [head_relevant(r, p, t) for r, p in zip(rules, probs, strict=True)]


def _inner_probabilities(train: list[Analysed], c: float, seed: int) -> list[float]:
    """Out-of-fold probabilities of the training items (inner cross-validation)."""
    probs = [0.0] * len(train)
    for test in folds(train, INNER_FOLDS, seed):
        held = set(test)
        head, idf = _fit([x for i, x in enumerate(train) if i not in held], c)
        for i, p in zip(test, _probabilities(head, idf, [train[i] for i in test]), strict=True):
            probs[i] = p
    return probs


def choose_relevance_c(
    items: list[Analysed], seed: int = 0
) -> tuple[float, dict[float, float], list[float]]:
    """The most regularised C of RELEVANCE_CS within LEAF_TOLERANCE of the best F1 of the
    shipped policy on an inner cross-validation of ``items`` (thresholds chosen on each C's
    out-of-fold probabilities); returns the C, every candidate's inner F1 and the chosen C's
    out-of-fold probabilities (what the thresholds are then chosen on)."""
    gold = [bool(i.example.relevant) for i in items]
    f1: dict[float, float] = {}
    inner: dict[float, list[float]] = {}
    for c in RELEVANCE_CS:
        inner[c] = _inner_probabilities(items, c, seed)
        veto, sure = _threshold(SHIPPED, items, inner[c])
        f1[c] = round(_f1(gold, _decide(SHIPPED, items, inner[c], veto, sure)), 4)
    chosen = choose_leaf_config(f1)
    return chosen, f1, inner[chosen]


def _threshold(policy: str, train: list[Analysed], probs: list[float]) -> tuple[float, float]:
    """The policy's thresholds (veto, override) by F-beta (training.RELEVANCE_BETA, as the
    shipped model chooses them: training.choose_relevance_policy) on the out-of-fold
    probabilities ``probs`` of the training items."""
    if policy == "rules":
        return 0.5, NEVER
    gold = [bool(i.example.relevant) for i in train]
    if policy == "rules and head, or head sure":
        return choose_relevance_policy(gold, lambda t, s: _decide(policy, train, probs, t, s))
    return choose_relevance_threshold(gold, lambda t: _decide(policy, train, probs, t)), NEVER


def held_out(
    items: list[Analysed], names: list[str], c: float, seed: int, choose: bool = False
) -> dict[str, dict[str, float]]:
    """Held-out relevance F1 per policy: pooled ("all") and per set; and "fitted": the mean F1
    of each fold's model on its own training papers (the gap issue 14 asks about is fitted
    minus held out)."""
    answers: dict[str, list[bool]] = {p: [False] * len(items) for p in POLICIES}
    fitted: dict[str, list[float]] = {p: [] for p in POLICIES}
    for test in folds(items, seed=seed):
        held = set(test)
        train = [x for i, x in enumerate(items) if i not in held]
        if choose:
            c, inner_f1, inner = choose_relevance_c(train, seed)
            print(f"  fold C {c} (inner F1 by C {inner_f1})")
        else:
            inner = _inner_probabilities(train, c, seed)
        head, idf = _fit(train, c)
        tested = [items[i] for i in test]
        probs = _probabilities(head, idf, tested)
        own = _probabilities(head, idf, train)
        for policy in POLICIES:
            t, sure = _threshold(policy, train, inner)
            if sure < NEVER:
                print(f"  {policy}: veto {t}, override {sure}")
            for i, got in zip(test, _decide(policy, tested, probs, t, sure), strict=True):
                answers[policy][i] = got
            fitted[policy].append(
                _f1([bool(i.example.relevant) for i in train], _decide(policy, train, own, t, sure))
            )
    out: dict[str, dict[str, float]] = {}
    for policy, got in answers.items():
        row = {
            "all": _f1([bool(i.example.relevant) for i in items], got),
            "fitted": sum(fitted[policy]) / len(fitted[policy]),
        }
        for name in dict.fromkeys(names):
            chosen = [k for k, n in enumerate(names) if n == name]
            row[name] = _f1(
                [bool(items[k].example.relevant) for k in chosen], [got[k] for k in chosen]
            )
        out[policy] = row
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dumps", type=Path, default=ROOT / "dumps")
    parser.add_argument("--test", type=Path, default=EXTERN / "extern-gold.jsonl")
    parser.add_argument("--dumps-only", action="store_true")
    parser.add_argument("--no-embedding", action="store_true")
    parser.add_argument("--c", type=float, default=C_RELEVANCE)
    parser.add_argument("--choose-c", action="store_true")
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--older", action="store_true",
                        help="without EXTERN_POOLS (as before stop 32)")  # fmt: skip
    args = parser.parse_args()
    global WORDS_ONLY
    WORDS_ONLY = args.no_embedding
    taxonomy = load_taxonomy()
    extern_sets = EXTERN_OLDER if args.older else EXTERN_TRAIN
    sets = labelled_sets(args.dumps, DEV_GOLD, extern_sets=extern_sets)
    if args.dumps_only:
        sets = {k: v for k, v in sets.items() if k not in EXTERN_TRAIN}
    sets = {k: [e for e in v if e.relevant is not None] for k, v in sets.items()}
    names = [n for n, rows in sets.items() for _ in rows]
    items = analyse([e for rows in sets.values() for e in rows], taxonomy)
    print(", ".join(f"{n} {len(r)}" for n, r in sets.items()),
          "C chosen per fold" if args.choose_c else f"C={args.c}")  # fmt: skip
    columns = ["all", *dict.fromkeys(names)]
    print(f"{'held out (mean of seeds)':28}" + "".join(f"{c[:12]:>13}" for c in columns))
    runs = [held_out(items, names, args.c, seed, args.choose_c) for seed in range(args.seeds)]
    for policy in POLICIES:
        mean = {c: sum(r[policy][c] for r in runs) / len(runs) for c in columns}
        print(f"{policy:28}" + "".join(f"{mean[c]:13.3f}" for c in columns))
    print("fitted (mean of folds) and gap (fitted - held out, all):")
    for policy in POLICIES:
        fit = sum(r[policy]["fitted"] for r in runs) / len(runs)
        held = sum(r[policy]["all"] for r in runs) / len(runs)
        print(f"  {policy:26} fitted {fit:.3f}  held out {held:.3f}  gap {fit - held:.3f}")
    test = analyse(_examples(args.test), taxonomy)
    if args.choose_c:
        args.c, inner_f1, inner = choose_relevance_c(items)
        print(f"C {args.c} chosen on all (inner F1 by C {inner_f1})")
    else:
        inner = _inner_probabilities(items, args.c, 0)
    head, idf = _fit(items, args.c)
    probs = _probabilities(head, idf, test)
    gold = [bool(i.example.relevant) for i in test]
    print(f"test {args.test.name} ({len(test)} papers, {sum(gold)} in scope), fitted on all:")
    for policy in POLICIES:
        t, sure = _threshold(policy, items, inner)
        got = _decide(policy, test, probs, t, sure)
        tp = sum(1 for g, p in zip(gold, got, strict=True) if g and p)
        print(
            f"  {policy:26} F1 {_f1(gold, got):.3f}  (threshold {t}, override {sure}, {tp} right, "
            f"{sum(got) - tp} wrongly in, {sum(gold) - tp} missed)"
        )


if __name__ == "__main__":
    main()
