"""A learned choice of the primary leaf on top of the cue rules, cross-validated.

    .venv/bin/python bench/primary_cv.py [--seeds 4] [--dumps-only]

The rules choose the primary leaf (``pipeline/local_model/classify.py``); the levels head then
adds other levels to the primary's, and never overrides it. This script measures whether a
learned choice among the rules' candidate leaves does better (since stop 40 the "top3 all
pairs" variant ships: ``learned.rerank_features``, ``training.choose_reranker``; the rows here
are built by the same functions, the baseline is the rules' primary). On each of the 5 outer
folds of ``bench/eval_local.py --cv`` (stratified, fold seeds 0..N-1, every labelled set;
``--dumps-only``: the 601 papers of the dumps and classics), everything is fitted on the four
training folds:

- the levels head, its C and threshold by inner cross-validation (``fit_levels_head``);
- the membership head (secondary leaves) at the shipped choice (C=4, words only) with the shipped
  leaf threshold 0.3, so that leaves F1 can be scored (the same for every variant);
- each variant's re-ranker: a logistic model over the paper's candidate leaves. Pointwise: one
  row per candidate, labelled by whether it is the gold primary; a candidate's gain is its logit
  minus the rules' primary's. Pairwise: one row per (rules' primary, other candidate) pair of
  which one is the gold primary, the other candidate's features minus the rules' primary's,
  labelled by whether the other one is; the gain is that row's logit. A held-out paper's primary
  moves from the rules' to the best other candidate only when its gain exceeds a margin. The
  re-ranker's C (``RERANK_CS``) and the margin (``MARGINS``; never switching is one of them,
  and wins ties) are chosen by an inner cross-validation on the training folds maximising inner
  primary lenient + levels F1.

With the new primary first, the levels head and the membership head answer as ``decide`` does
(their features read the primary's level). Relevance is the rules' (no relevance-head veto, so
relevance is the same for every variant and primary figures are over the gold in-scope papers).

Variants (candidates / features):
- ``top3 cues``: the rules' primary and the next two leaves by cue score; cue features only
  (score, title score, share of the top, ratio to the rules' primary, rank, contribution-sentence
  weight, whether the rules chose it, its level, the move from the rules' level to it);
- ``top3 all``: the same plus the paper's TF-IDF words and its static embedding, one copy per
  candidate level (strongly regularised by the inner choice of C);
- ``level all``: a primary-level choice: the candidates are the rules' primary and the best leaf
  (by cue score) of each other level with any cue; all features;
- ``... pairs``: the same three, pairwise;
- ``level-label all`` (and ``... pairs``): the per-level candidates, labelled by whether the
  candidate is of the gold primary's level (a primary-level head) rather than the gold leaf.

``--only NAME ...`` runs the named variants only (the baseline always).

Prints, per seed and as the mean over seeds, held-out primary strict / primary lenient / levels
F1 / leaves F1 and the fitted-minus-held-out gap of each (fitted: on the training folds, all
sets), baseline (the rules' primary) first, over every paper and over the dumps' and classics'.
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.cross_validate import EXTERN_OLDER, EXTERN_TRAIN, labelled_sets  # noqa: E402
from pipeline.local_model.classify import rank_leaves  # noqa: E402
from pipeline.local_model.learned import (  # noqa: E402
    Head,
    choose_leaves,
    contribution_weights,
    from_json,
    level_of,
    rerank_features,
    tfidf,
)
from pipeline.local_model.text import make_document  # noqa: E402
from pipeline.local_model.training import (  # noqa: E402
    INNER_FOLDS,
    Analysed,
    LeafConfig,
    _heads,
    _idf,
    _logistic,
    analyse,
    fit_levels_head,
    folds,
    item_levels,
    levels_answer,
    predict,
)
from pipeline.taxonomy import load_taxonomy  # noqa: E402

LEAF_THRESHOLD = 0.3  # the shipped secondary-leaf threshold (weights.json)
MEMBERSHIP = LeafConfig(4.0, False)  # the shipped membership config
RERANK_CS = [0.03, 0.1, 0.3, 1.0]
MARGINS = [-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0, math.inf]  # inf: never switch
METRICS = ["strict", "lenient", "levels", "leaves"]


@dataclass(frozen=True)
class Paper:
    """An analysed item with what the re-ranker reads besides its cue scores."""

    item: Analysed
    ranked: list[str]  # leaves with a cue, best first, the rules' primary first of all
    contribution: dict[str, float]  # each leaf's hit weight in contribution sentences


def paper_of(item: Analysed, order: list[str]) -> Paper:
    doc = make_document(item.example.title, item.example.abstract)
    primary = item.rule_leaves[0]
    ranked = [s.leaf for s in rank_leaves(item.scores, order) if s.score > 0]
    ranked = [primary] + [leaf for leaf in ranked if leaf != primary]
    return Paper(item, ranked, contribution_weights(doc, item.scores))


def top3(paper: Paper) -> list[str]:
    return paper.ranked[:3]


def best_per_level(paper: Paper) -> list[str]:
    out = [paper.ranked[0]]
    for leaf in paper.ranked[1:]:
        if all(level_of(leaf) != level_of(o) for o in out):
            out.append(leaf)
    return out


@dataclass(frozen=True)
class Variant:
    name: str
    candidates: Any  # Paper -> list[str]
    words: bool
    pairwise: bool = False
    by_level: bool = False  # label: the candidate is of the gold primary's level (not the leaf)


VARIANTS = [
    Variant("top3 cues", top3, False),
    Variant("top3 all", top3, True),
    Variant("level all", best_per_level, True),
    Variant("top3 cues pairs", top3, False, True),
    Variant("top3 all pairs", top3, True, True),
    Variant("level all pairs", best_per_level, True, True),
    Variant("level-label all", best_per_level, True, by_level=True),
    Variant("level-label all pairs", best_per_level, True, True, by_level=True),
]


def features(
    paper: Paper, leaf: str, rank: int, words: dict[str, float] | None
) -> dict[str, float]:
    """One (paper, candidate leaf) row: the shipped model's (learned.rerank_features), cue
    features only when ``words`` is None."""
    item = paper.item
    embedding = item.embedding if words is not None else None
    return rerank_features(
        leaf, rank, item.scores, item.rule_leaves, paper.contribution, words, embedding
    )


class Reranker:
    """Candidate rows of one variant, fitted on some papers, answering logit margins."""

    def __init__(self, variant: Variant, papers: list[Paper], train: list[int]) -> None:
        self.variant = variant
        self.papers = papers
        self.idf = _idf([papers[i].item for i in train]) if variant.words else {}

    def rows(self, i: int) -> list[tuple[str, dict[str, float]]]:
        paper = self.papers[i]
        words = tfidf(paper.item.words, self.idf) if self.variant.words else None
        return [(leaf, features(paper, leaf, r, words))
                for r, leaf in enumerate(self.variant.candidates(paper))]  # fmt: skip

    def fit(self, train: list[int], c: float) -> Head:
        rows: list[dict[str, float]] = []
        labels: list[int] = []
        for i in train:
            item = self.papers[i].item
            if not item.example.relevant or not item.signal.relevant:
                continue
            candidates = self.rows(i)
            if not self.variant.pairwise:
                for leaf, row in candidates:
                    rows.append(row)
                    labels.append(int(self.right(item, leaf)))
                continue
            rule, first = candidates[0]
            for leaf, row in candidates[1:]:
                if self.right(item, rule) != self.right(item, leaf):
                    rows.append(difference(row, first))
                    labels.append(int(self.right(item, leaf)))
        data = _logistic(rows, labels, c, min_weight=0.0)
        return Head(data["weights"], data["bias"])

    def right(self, item: Analysed, leaf: str) -> bool:
        """Is ``leaf`` the gold primary (of its level, ``by_level``)?"""
        gold = item.example.primary or ""
        return level_of(leaf) == level_of(gold) if self.variant.by_level else leaf == gold

    def best_other(self, head: Head, i: int) -> tuple[str, float]:
        """The best candidate other than the rules' primary and its logit margin over it."""
        rows = self.rows(i)
        if len(rows) < 2:
            return rows[0][0], -math.inf
        if self.variant.pairwise:  # the logit of "this one, not the rules' primary"
            return max((head.logit(difference(row, rows[0][1])), leaf) for leaf, row in rows[1:])[
                ::-1
            ]
        logits = [(head.logit(row), leaf) for leaf, row in rows]
        best = max(logits[1:])
        return best[1], best[0] - logits[0][0]


def difference(row: dict[str, float], base: dict[str, float]) -> dict[str, float]:
    """A candidate's row minus the rules' primary's (pairwise variants)."""
    out = dict(row)
    for key, value in base.items():
        out[key] = out.get(key, 0.0) - value
    return out


def primary_of(paper: Paper, other: tuple[str, float], margin: float) -> str:
    leaf, gain = other
    return leaf if gain > margin else paper.ranked[0]


def with_primary(item: Analysed, primary: str) -> Analysed:
    rest = [leaf for leaf in item.rule_leaves if leaf != primary]
    return replace(item, rule_leaves=[primary, *rest])


@dataclass
class Tally:
    strict: int = 0
    lenient: int = 0
    in_scope: int = 0
    lv: tuple[int, int, int] = (0, 0, 0)
    lf: tuple[int, int, int] = (0, 0, 0)

    def add(self, item: Analysed, primary: str | None, levels: set[str], leaves: set[str]) -> None:
        ex = item.example
        if not ex.relevant:
            return
        self.in_scope += 1
        self.strict += primary is not None and primary == ex.primary
        self.lenient += primary is not None and primary in ex.leaves
        want_levels = {level_of(leaf) for leaf in ex.leaves}
        want = set(ex.leaves)
        a, b, c = self.lv
        self.lv = (a + len(levels & want_levels), b + len(levels), c + len(want_levels))
        a, b, c = self.lf
        self.lf = (a + len(leaves & want), b + len(leaves), c + len(want))

    def scores(self) -> dict[str, float]:
        def f1(t: tuple[int, int, int]) -> float:
            return 2 * t[0] / (t[1] + t[2]) if t[1] + t[2] else 0.0

        n = self.in_scope or 1
        return {"strict": self.strict / n, "lenient": self.lenient / n,
                "levels": f1(self.lv), "leaves": f1(self.lf)}  # fmt: skip


def inner_choice(
    reranker: Reranker, train: list[int], levels_head: Head, threshold: float
) -> tuple[float, float, float]:
    """(C, margin, inner criterion): out-of-fold margins of an inner cross-validation over the
    training papers, scored by primary lenient + levels F1 (levels from the outer fold's levels
    head, fitted on these training papers)."""
    papers = reranker.papers
    sub = [papers[i].item for i in train]
    others: dict[float, dict[int, tuple[str, float]]] = {c: {} for c in RERANK_CS}
    for test in folds(sub, INNER_FOLDS):
        held = set(test)
        inner_train = [train[j] for j in range(len(train)) if j not in held]
        for c in RERANK_CS:
            head = reranker.fit(inner_train, c)
            for j in test:
                others[c][train[j]] = reranker.best_other(head, train[j])
    best = (-1.0, 0.0, 0.0)
    for c in RERANK_CS:
        for margin in reversed(MARGINS):  # never switching first: ties keep the rules
            t = Tally()
            for i in train:
                item = papers[i].item
                if not item.signal.relevant:
                    t.add(item, None, set(), set())
                    continue
                p = primary_of(papers[i], others[c][i], margin)
                moved = with_primary(item, p)
                lv = levels_answer(moved, item_levels(levels_head, moved), threshold)
                t.add(item, p, lv, set())
            s = t.scores()
            value = s["lenient"] + s["levels"]
            if value > best[0] + 1e-9:
                best = (value, c, margin)
    return best[1], best[2], best[0]


def answer(
    model: Any, order: dict[str, int], item: Analysed, primary: str, level_threshold: float
) -> tuple[set[str], set[str]]:
    """Levels and leaves decide() would answer with ``primary`` as the primary."""
    moved = with_primary(item, primary)
    prediction = predict(model, moved)
    leaves = choose_leaves(prediction, primary, LEAF_THRESHOLD, level_threshold, order)
    return {level_of(leaf) for leaf in leaves}, set(leaves)


Answer = tuple[str | None, set[str], set[str]]  # primary, levels, leaves (None: screened out)


def run_seed(
    papers: list[Paper], leaf_ids: list[str], seed: int, variants: list[Variant]
) -> dict[str, tuple[list[Answer], dict[str, float]]]:
    """Held-out answers of every paper and the mean fitted scores, for the baseline and every
    variant, with one fold seed."""
    items = [p.item for p in papers]
    order = {leaf: i for i, leaf in enumerate(leaf_ids)}
    names = ["rules' primary", *(v.name for v in variants)]
    held: dict[str, list[Answer]] = {name: [(None, set(), set())] * len(items) for name in names}
    fitted: dict[str, list[dict[str, float]]] = {name: [] for name in names}
    for number, test in enumerate(folds(items, seed=seed), start=1):
        in_test = set(test)
        train = [i for i in range(len(items)) if i not in in_test]
        levels_head, level_c, threshold = fit_levels_head([items[i] for i in train])
        data = _heads([items[i] for i in train], leaf_ids, [MEMBERSHIP], level_c)[0]
        data["leaf_threshold"], data["level_threshold"] = LEAF_THRESHOLD, threshold
        model = from_json(data)
        pickers: dict[str, Any] = {"rules' primary": lambda i: papers[i].ranked[0]}
        notes = []
        for variant in variants:
            reranker = Reranker(variant, papers, train)
            c, margin, _ = inner_choice(reranker, train, levels_head, threshold)
            head = reranker.fit(train, c)
            pickers[variant.name] = _picker(reranker, head, margin)
            notes.append(f"{variant.name}: C={c}, margin {margin}")
        if seed == 0:
            print(f"  fold {number}: levels C={level_c}, threshold {threshold}; "
                  + "; ".join(notes), flush=True)  # fmt: skip
        cache: dict[tuple[int, str], tuple[set[str], set[str]]] = {}
        for name, pick in pickers.items():
            answers: dict[int, Answer] = {}
            for i in range(len(items)):
                item = items[i]
                if not item.example.relevant or not item.signal.relevant:
                    continue
                primary = pick(i)
                if (i, primary) not in cache:
                    cache[(i, primary)] = answer(model, order, item, primary, threshold)
                answers[i] = (primary, *cache[(i, primary)])
            for i in test:
                if i in answers:
                    held[name][i] = answers[i]
            fitted[name].append(tally(items, answers, train))
    return {name: (held[name], {m: sum(f[m] for f in fitted[name]) / len(fitted[name])
                                for m in METRICS}) for name in names}  # fmt: skip


def tally(items: list[Analysed], answers: dict[int, Answer], chosen: list[int]) -> dict[str, float]:
    """Scores of the answers of the ``chosen`` items (a missing answer: screened out)."""
    t = Tally()
    for i in chosen:
        t.add(items[i], *answers.get(i, (None, set(), set())))
    return t.scores()


def _picker(reranker: Reranker, head: Head, margin: float) -> Any:
    def pick(i: int) -> str:
        return primary_of(reranker.papers[i], reranker.best_other(head, i), margin)

    return pick


def _line(name: str, held: dict[str, float], fitted: dict[str, float]) -> str:
    values = " / ".join(f"{held[m]:.3f}" for m in METRICS)
    gaps = " / ".join(f"{fitted[m] - held[m]:.3f}" for m in METRICS)
    return f"  {name:16} held out {values}   gap {gaps}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=1, help="outer fold seeds 0..N-1")
    parser.add_argument("--dumps-only", action="store_true",
                        help="the 601 papers of the dumps and classics only")  # fmt: skip
    parser.add_argument("--only", nargs="*", help="the variants with these names only")
    parser.add_argument("--older", action="store_true",
                        help="without EXTERN_POOLS (as before stop 32)")  # fmt: skip
    args = parser.parse_args()
    variants = [v for v in VARIANTS if not args.only or v.name in args.only]
    taxonomy = load_taxonomy()
    extern_sets = EXTERN_OLDER if args.older else EXTERN_TRAIN
    sets = labelled_sets(ROOT / "dumps", extern=not args.dumps_only, extern_sets=extern_sets)
    examples = [e for rows in sets.values() for e in rows]
    names = [name for name, rows in sets.items() for _ in rows]
    items = analyse(examples, taxonomy)
    papers = [paper_of(item, taxonomy.leaf_ids) for item in items]
    dumps = [i for i, name in enumerate(names) if not name.startswith("extern")]
    groups = {f"all {len(items)}": list(range(len(items)))}
    if len(dumps) < len(items):
        groups[f"dumps+classics {len(dumps)}"] = dumps
    print(f"{len(items)} papers ({', '.join(f'{n} {len(r)}' for n, r in sets.items())}); "
          "primary strict / lenient / levels F1 / leaves F1")  # fmt: skip
    runs = []
    for seed in range(args.seeds):
        out = run_seed(papers, taxonomy.leaf_ids, seed, variants)
        runs.append(out)
        for group, chosen in groups.items():
            print(f"seed {seed}, held out over {group}:")
            for name, (answers, fitted) in out.items():
                print(_line(name, tally(items, dict(enumerate(answers)), chosen), fitted),
                      flush=True)  # fmt: skip
    for group, chosen in groups.items():
        print(f"mean of {len(runs)} seeds, held out over {group}:")
        for name in runs[0]:
            each = [tally(items, dict(enumerate(r[name][0])), chosen) for r in runs]
            mean = {m: sum(e[m] for e in each) / len(runs) for m in METRICS}
            mean_fitted = {m: sum(r[name][1][m] for r in runs) / len(runs) for m in METRICS}
            print(_line(name, mean, mean_fitted))


if __name__ == "__main__":
    main()
