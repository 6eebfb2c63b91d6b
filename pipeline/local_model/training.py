"""Fit the learned heads of the local model (development time; needs scikit-learn).

    fit(examples, taxonomy) -> LearnedModel

Every choice is made on the examples given: the heads are fitted on them, and the decision
thresholds and the confidence calibration are chosen on out-of-fold predictions of an inner
cross-validation over the same examples. Scoring a held-out fold with a model fitted on the
other folds therefore measures the whole procedure (``bench/eval_local.py`` does that).
``bench/train_local.py`` (``make train-local``) fits on every labelled paper and writes the
weights that ship with the package.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from pipeline.local_model.embedding import embed
from pipeline.local_model.embedding import shipped as shipped_embedding
from pipeline.local_model.learned import (
    NEVER,
    RERANK_CLASSES,
    RERANK_PAIRS,
    Head,
    LearnedModel,
    Prediction,
    best_other,
    best_other_class,
    choose_leaves,
    class_candidates,
    class_features,
    class_logits,
    contribution_weights,
    embedding_record,
    from_json,
    head_relevant,
    leaf_features,
    level_features,
    level_of,
    level_probabilities,
    other_levels,
    primary_candidates,
    relevance_features,
    rerank_features,
    row_difference,
    terms,
    tfidf,
)
from schemas.taxonomy import Taxonomy

K = TypeVar("K")
SEED = 0
FOLDS = 5
INNER_FOLDS = 3  # thresholds and calibration: out-of-fold predictions on the training folds
C_RELEVANCE = 4.0
C_LEAVES = 4.0  # the primary head; the membership head's C is chosen (LEAF_CONFIGS)
MIN_DF = 3  # a word in fewer training papers says nothing general
# Weights smaller than this move a probability by well under a percent: dropped, so that the
# shipped file stays small (the pruned model is the one cross-validation scores). Not for the
# levels head: it has a few dozen features, most of them small at its C=0.25, and pruning them
# cost 0.004 held-out levels F1.
MIN_WEIGHT = 0.05
THRESHOLDS = [round(0.05 * i, 2) for i in range(2, 19)]
# The head's override thresholds tried, the first (NEVER: it only vetoes) preferred on ties.
OVERRIDES = (NEVER, 0.9, 0.8, 0.7, 0.6, 0.5)
# The relevance head vetoes papers the rules let in (learned.decide); its threshold maximises
# F-beta with recall weighted twice: a paper wrongly kept out costs its primary leaf and levels
# too (both are scored over the in-scope papers), a paper wrongly let in only relevance precision.
# Choosing it by issue 14's score itself (relevance F1 + primary lenient + levels F1 of the
# training folds) picks nearly the same thresholds; beta 3 or 4 scores within 0.004 of it held
# out, 0.018 on unseen arXiv sets (bench/veto_cv.py; README "Papers from outside the dumps").
RELEVANCE_BETA = 2.0


@dataclass(frozen=True)
class LeafConfig:
    """Regularisation of the membership head: its C and whether per-leaf word pairs are kept."""

    c: float
    pairs: bool


# Candidates for the membership head, most regularised first. The inner cross-validation on the
# training examples picks one (``choose_leaf_config``); the held-out fold never sees the choice.
LEAF_CONFIGS = [LeafConfig(c, pairs) for pairs in (False, True) for c in (0.25, 0.5, 1.0, 2.0, 4.0)]
# Candidates for the levels head's C, most regularised first (chosen by inner-CV levels F1).
LEVEL_CS = [0.25, 0.5, 1.0, 2.0, 4.0]
# The primary re-ranker's C and margin candidates (bench/primary_cv.py "top3 all pairs": with
# 4,138 labelled papers it beat the rules' primary held out, 0.803 -> 0.812 primary lenient);
# math.inf: never switch, which wins ties.
RERANK_CS = [0.03, 0.1, 0.3, 1.0]
# The multinomial re-ranker's C candidates (kind RERANK_CLASSES, most regularised first; the most
# regularised within LEAF_TOLERANCE of the best inner value wins).
CLASS_CS = [0.1, 0.25, 0.5]
RERANK_MARGINS = [-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0, math.inf]
# A candidate within this much inner-CV F1 of the best counts as tied, and the most
# regularised of the tied ones wins: differences this small are noise on a few hundred papers.
LEAF_TOLERANCE = 0.003


@dataclass(frozen=True)
class Example:
    """A labelled paper: its text and gold labels (``relevant`` None = not scored)."""

    title: str
    abstract: str
    relevant: bool | None
    primary: str | None
    leaves: tuple[str, ...]


@dataclass(frozen=True)
class Analysed:
    """An example with what the cue rules read from it."""

    example: Example
    words: dict[str, float]  # raw term counts
    scores: Any
    signal: Any
    rule_leaves: list[str]
    embedding: Any = None  # the paper's embedding (numpy vector), None without one


def analyse(examples: list[Example], taxonomy: Taxonomy) -> list[Analysed]:
    """Run the cue rules on every example (once; folds reuse the result)."""
    from pipeline.local_model import LocalModel

    rules = LocalModel(taxonomy, rules_only=True)
    out = []
    for ex in examples:
        a = rules.analyse(ex.title, ex.abstract)
        out.append(
            Analysed(
                ex,
                terms(ex.title, ex.abstract),
                a.scores,
                a.signal,
                a.choice.leaves,
                embed(ex.title, ex.abstract),
            )
        )
    return out


def _idf(items: list[Analysed]) -> dict[str, float]:
    df: dict[str, int] = {}
    for item in items:
        for term in item.words:
            df[term] = df.get(term, 0) + 1
    n = len(items)
    return {t: round(math.log((1 + n) / (1 + d)) + 1.0, 4) for t, d in sorted(df.items())
            if d >= MIN_DF}  # fmt: skip


def _logistic(
    rows: list[dict[str, float]], labels: list[int], c: float, min_weight: float = MIN_WEIGHT
) -> dict[str, Any]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer(sort=True)
    x = vectorizer.fit_transform(rows)
    if len(set(labels)) < 2:  # a degenerate fold: a constant model
        return {"bias": 8.0 if labels and labels[0] else -8.0, "weights": {}}
    model = LogisticRegression(C=c, max_iter=3000, solver="lbfgs")
    model.fit(x, labels)
    weights = {
        name: round(float(w), 3)
        for name, w in zip(vectorizer.get_feature_names_out(), model.coef_[0], strict=True)
        if abs(w) >= min_weight
    }
    return {"bias": round(float(model.intercept_[0]), 4), "weights": weights}


def _unigrams(words: dict[str, float]) -> dict[str, float]:
    return {t: v for t, v in words.items() if " " not in t}


# Extra (paper, level) features for the levels head, for experiments (bench/embeddings_cv.py):
# made from the training items of one fit, then asked for any item (a training item, a held-out
# one). None, what ships: cue scores alone.
LevelFeatures = Callable[[Analysed, str], dict[str, float]]
LevelExtra = Callable[[list[Analysed]], LevelFeatures]


def _level_rows(
    items: list[Analysed], more: LevelFeatures | None = None
) -> tuple[list[dict[str, float]], list[int]]:
    """(paper, other level) rows of the in-scope items, labelled by the gold levels."""
    rows: list[dict[str, float]] = []
    labels: list[int] = []
    for item in items:
        if not item.example.relevant:
            continue
        gold = {level_of(leaf) for leaf in item.example.leaves}
        for level in other_levels(item.scores, item.rule_leaves):
            rows.append(_with(level_features(level, item.scores, item.rule_leaves), item, level,
                              more))  # fmt: skip
            labels.append(int(level in gold))
    return rows, labels


def _with(
    features: dict[str, float], item: Analysed, level: str, more: LevelFeatures | None
) -> dict[str, float]:
    return features if more is None else {**features, **more(item, level)}


def item_levels(head: Head, item: Analysed, more: LevelFeatures | None = None) -> dict[str, float]:
    """The levels head's P(level) for an analysed item (``level_probabilities`` plus ``more``)."""
    if more is None:
        return level_probabilities(head, item.scores, item.rule_leaves)
    return {
        level: head.probability(
            _with(level_features(level, item.scores, item.rule_leaves), item, level, more)
        )
        for level in other_levels(item.scores, item.rule_leaves)
    }


def relevance_head(
    scored: list[tuple[Analysed, dict[str, float]]], c: float = C_RELEVANCE, embedding: bool = True
) -> dict[str, Any]:
    """The relevance head fitted on (item, TF-IDF vector) pairs; ``embedding=False`` leaves the
    paper embedding's features out (bench/relevance_cv.py --no-embedding)."""
    rows = [
        relevance_features(v, item.signal, item.scores, item.embedding if embedding else None)
        for item, v in scored
    ]
    return _logistic(rows, [int(bool(item.example.relevant)) for item, _ in scored], c)


def _heads(
    items: list[Analysed],
    leaf_ids: list[str],
    configs: list[LeafConfig],
    level_c: float = LEVEL_CS[-1],
) -> list[dict[str, Any]]:
    """The heads fitted on ``items``, one model per membership config (the rest shared)."""
    idf = _idf(items)
    vectors = [tfidf(item.words, idf) for item in items]
    encoder = shipped_embedding()
    read = any(item.embedding is not None for item in items)
    embedding_digest = encoder.digest if read and encoder is not None else ""
    scored = [(item, v) for item, v in zip(items, vectors, strict=True)
              if item.example.relevant is not None]  # fmt: skip
    relevance = relevance_head(scored)
    in_scope = [(item, v) for item, v in scored if item.example.relevant]
    rows: list[dict[str, float]] = []
    member: list[int] = []
    primary: list[int] = []
    for item, v in in_scope:
        for leaf in leaf_ids:
            rows.append(leaf_features(leaf, v, item.scores, item.rule_leaves))
            member.append(int(leaf in item.example.leaves))
            primary.append(int(leaf == item.example.primary))
    primary_head = _logistic(rows, primary, C_LEAVES)
    levels_head = _logistic(*_level_rows(items), level_c, min_weight=0.0)
    unigram_rows: list[dict[str, float]] = []
    if not all(config.pairs for config in configs):
        # Without word pairs: the paper's vector keeps its norm, so a weight means the same
        # when answering (pair features then simply have no weight).
        unigram_rows = [
            leaf_features(leaf, _unigrams(v), item.scores, item.rule_leaves)
            for item, v in in_scope
            for leaf in leaf_ids
        ]
    out = []
    for config in configs:
        membership = _logistic(rows if config.pairs else unigram_rows, member, config.c)
        # Every leaf keeps a bias entry, so that covers() can tell which leaves were trained.
        for leaf in leaf_ids:
            membership["weights"].setdefault(f"bias|{leaf}", 0.0)
        out.append(
            {
                "format": 2,
                "idf": idf,
                "heads": {
                    "relevance": relevance,
                    "membership": membership,
                    "primary": primary_head,
                    "levels": levels_head,
                },
                "relevance_threshold": 0.5,
                "leaf_threshold": 0.5,
                "level_threshold": 0.5,
                "calibration": [1.0, 0.0],
                "membership_config": {"c": config.c, "pairs": config.pairs, "level_c": level_c},
                **embedding_record(embedding_digest),
            }
        )
    return out


def predict(model: LearnedModel, item: Analysed) -> Prediction:
    """The heads' probabilities for an analysed example."""
    from pipeline.local_model.text import make_document

    doc = make_document(item.example.title, item.example.abstract)
    return model.predict(doc, item.scores, item.signal, item.rule_leaves)


def folds(items: list[Analysed], k: int = FOLDS, seed: int = SEED) -> list[list[int]]:
    """Stratified folds (by relevance and primary level), fixed seed: test indices per fold."""
    from sklearn.model_selection import StratifiedKFold

    strata = []
    for item in items:
        ex = item.example
        strata.append(
            (ex.primary or "?").split(".", 1)[0] if ex.relevant else "out"
        )  # fmt: skip
    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    return [list(test) for _, test in splitter.split(strata, strata)]


def _f1(tp: int, predicted: int, actual: int) -> float:
    return 2 * tp / (predicted + actual) if predicted + actual else 0.0


def f_beta(gold: list[bool], got: list[bool], beta: float = 1.0) -> float:
    """F-beta of yes/no answers (recall weighted ``beta``); 0.0 when nothing is yes at all."""
    tp = sum(1 for g, p in zip(gold, got, strict=True) if g and p)
    b2 = beta * beta
    denominator = b2 * sum(gold) + sum(got)
    return (1 + b2) * tp / denominator if denominator else 0.0


def _answer_sets(
    items: list[Analysed], predictions: list[Prediction], leaf_ids: list[str], same: float,
    level: float,
) -> list[tuple[set[str], set[str]]]:  # fmt: skip
    """(predicted, gold) leaves of every in-scope item, as decide() would answer."""
    position = {leaf: i for i, leaf in enumerate(leaf_ids)}
    out = []
    for item, p in zip(items, predictions, strict=True):
        if not item.example.relevant:
            continue
        got: set[str] = set()
        # The rules' relevance stands in for decide()'s here: leaf thresholds are chosen before
        # the relevance threshold (and before the primary re-ranker, so with the rules' primary).
        if item.signal.relevant:
            got = set(choose_leaves(p, item.rule_leaves[0], same, level, position))
        out.append((got, set(item.example.leaves)))
    return out


def _leaves_f1(answers: list[tuple[set[str], set[str]]]) -> float:
    tp = sum(len(got & want) for got, want in answers)
    return _f1(tp, sum(len(g) for g, _ in answers), sum(len(w) for _, w in answers))


def best_threshold(
    f1_at: Callable[[float], float], tolerance: float = 0.0
) -> tuple[float, float]:
    """The threshold with the best F1, and that F1. Thresholds scoring within ``tolerance`` of
    the best count as tied; ties go to the one nearest 0.5."""
    f1 = {t: f1_at(t) for t in THRESHOLDS}
    top = max(f1.values())
    best = min((t for t in THRESHOLDS if f1[t] >= top - tolerance), key=lambda t: abs(t - 0.5))
    return best, f1[best]


def one_paper_of_f_beta(gold: list[bool], got: list[bool], beta: float) -> float:
    """What F-beta loses when one more relevant paper is kept out: a score difference smaller
    than this is one paper's noise, not a better threshold."""
    for i, (g, p) in enumerate(zip(gold, got, strict=True)):
        if g and p:
            worse = [*got[:i], False, *got[i + 1 :]]
            return f_beta(gold, got, beta) - f_beta(gold, worse, beta)
    return 0.0


def choose_relevance_threshold(
    gold: list[bool], answers: Callable[[float], list[bool]]
) -> float:
    """The relevance threshold by F-beta (RELEVANCE_BETA) of ``answers(t)`` against ``gold``.

    F-beta is flat over the low thresholds (0.10..0.20 within 0.0003 of each other on the
    shipped gold, less than one paper): the best of them by a hair was noise that moved the
    threshold from one retraining to the next. Within one paper's worth of the best, the
    threshold nearest 0.5 (the head's own even odds) is taken.
    """
    got = {t: answers(t) for t in THRESHOLDS}
    curve = {t: f_beta(gold, got[t], RELEVANCE_BETA) for t in THRESHOLDS}
    top, _ = best_threshold(curve.__getitem__)
    threshold, _ = best_threshold(
        curve.__getitem__, tolerance=one_paper_of_f_beta(gold, got[top], RELEVANCE_BETA)
    )
    return threshold


def choose_relevance_policy(
    gold: list[bool], answers: Callable[[float, float], list[bool]]
) -> tuple[float, float]:
    """The veto threshold and the override threshold (``answers(veto, override)``): for each
    override of OVERRIDES, from NEVER down, the veto threshold of choose_relevance_threshold; an
    override is kept only when its F-beta (RELEVANCE_BETA) beats every higher one's."""
    best = (-1.0, 0.5, NEVER)
    for override in OVERRIDES:

        def at(t: float, o: float = override) -> list[bool]:
            return answers(t, o)

        t = choose_relevance_threshold(gold, at)
        score = f_beta(gold, answers(t, override), RELEVANCE_BETA)
        if score > best[0] + 1e-9:
            best = (score, t, override)
    return best[1], best[2]


def _choose(
    items: list[Analysed], predictions: list[Prediction], primaries: list[str] | None = None
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Relevance thresholds (veto, override) and calibration from out-of-fold predictions
    (``primaries``: each item's out-of-fold primary, when not the rules')."""
    leaders = primaries or [item.rule_leaves[0] for item in items]
    primary_of = {id(item): leader for item, leader in zip(items, leaders, strict=True)}
    scored = [(i, p) for i, p in zip(items, predictions, strict=True)
              if i.example.relevant is not None]  # fmt: skip

    def in_scope(item: Analysed, p: Prediction, t: float, override: float) -> bool:
        signal = item.signal
        return head_relevant(bool(signal.relevant), p.relevance, t, override, signal.title_only)

    gold = [bool(i.example.relevant) for i, _ in scored]
    relevance_threshold, override = choose_relevance_policy(
        gold, lambda t, o: [in_scope(i, p, t, o) for i, p in scored]
    )

    # Calibration: P(answer right) from the logit of its raw probability.
    raws: list[float] = []
    right: list[int] = []
    for item, p in scored:
        # The answer decide() gives: the head's relevance, the re-ranker's primary.
        relevant = in_scope(item, p, relevance_threshold, override)
        primary = primary_of[id(item)]
        raw = (p.relevance if relevant else 1 - p.relevance) * (
            p.primary[primary] if relevant else 1.0
        )
        raw = min(max(raw, 1e-6), 1 - 1e-6)
        raws.append(math.log(raw / (1 - raw)))
        ok = relevant == bool(item.example.relevant) and (
            not relevant or primary in item.example.leaves
        )
        right.append(int(ok))
    calibration = (1.0, 0.0)
    if len(set(right)) == 2:
        from sklearn.linear_model import LogisticRegression

        platt = LogisticRegression(C=100.0, solver="lbfgs")
        platt.fit([[r] for r in raws], right)
        calibration = (round(float(platt.coef_[0][0]), 4), round(float(platt.intercept_[0]), 4))
    return (relevance_threshold, override), calibration


def choose_leaf_config(f1: dict[K, float], tolerance: float = LEAF_TOLERANCE) -> K:
    """The most regularised candidate (the first, in LEAF_CONFIGS or LEVEL_CS order) within
    ``tolerance`` of the best."""
    best = max(f1.values())
    return next(config for config in f1 if f1[config] >= best - tolerance)


@dataclass(frozen=True)
class LevelsChoice:
    """The levels head's C and threshold chosen by inner-CV levels F1, with that F1 and the
    out-of-fold level probabilities at the chosen C."""

    c: float
    threshold: float
    inner_f1: float
    out_of_fold: list[dict[str, float]]


def levels_answer(item: Analysed, levels: dict[str, float], threshold: float) -> set[str]:
    """The levels decide() answers: the level of the item's first rule leaf (its primary; see
    with_primary) and the levels added."""
    if not item.signal.relevant:
        return set()
    added = {level for level, p in levels.items() if p >= threshold}
    return {level_of(item.rule_leaves[0])} | added


def levels_f1_of(
    items: list[Analysed], levels: list[dict[str, float]], threshold: float
) -> float:
    """Levels F1 over the in-scope items, as ``pipeline.evaluate`` scores it."""
    tp = pred = gold = 0
    for item, lv in zip(items, levels, strict=True):
        if not item.example.relevant:
            continue
        got = levels_answer(item, lv, threshold)
        want = {level_of(leaf) for leaf in item.example.leaves}
        tp, pred, gold = tp + len(got & want), pred + len(got), gold + len(want)
    return _f1(tp, pred, gold)


def choose_levels(
    items: list[Analysed], level_cs: list[float] | None = None, extra: LevelExtra | None = None
) -> LevelsChoice:
    """The levels head's C (most regularised within LEAF_TOLERANCE of the best) and threshold,
    by the levels F1 of out-of-fold predictions of an inner cross-validation over ``items``
    (``extra``: features added to the cue scores, made from each inner training part)."""
    level_cs = list(level_cs or LEVEL_CS)
    levels: dict[float, list[dict[str, float]]] = {c: [{} for _ in items] for c in level_cs}
    for test in folds(items, INNER_FOLDS):
        held = set(test)
        train = [item for i, item in enumerate(items) if i not in held]
        more = extra(train) if extra else None
        rows, labels = _level_rows(train, more)
        for c in level_cs:
            data = _logistic(rows, labels, c, min_weight=0.0)
            head = Head(data["weights"], data["bias"])
            for i in test:
                levels[c][i] = item_levels(head, items[i], more)

    def threshold(c: float) -> tuple[float, float]:
        return best_threshold(lambda t: levels_f1_of(items, levels[c], t))

    best = {c: threshold(c) for c in level_cs}
    c = choose_leaf_config({c: f1 for c, (_, f1) in best.items()})
    return LevelsChoice(c, best[c][0], best[c][1], levels[c])


def fit_levels_head(
    items: list[Analysed], extra: LevelExtra | None = None
) -> tuple[Head, float, float]:
    """The levels head fitted on ``items`` with its C and threshold chosen on them (inner
    cross-validation): (head, C, threshold). With ``extra``, it reads ``extra(items)`` too."""
    choice = choose_levels(items, extra=extra)
    data = _logistic(*_level_rows(items, extra(items) if extra else None), choice.c,
                     min_weight=0.0)  # fmt: skip
    return Head(data["weights"], data["bias"]), choice.c, choice.threshold


@dataclass(frozen=True)
class RerankChoice:
    """The primary re-ranker fitted on all items, its kind, C and margin chosen by inner
    cross-validation (primary lenient + levels F1), and each item's out-of-fold primary."""

    head: Head
    c: float
    margin: float
    inner: float
    out_of_fold: list[str]
    kind: str = RERANK_PAIRS


class _Candidates:
    """Each item's candidate rows for the pairwise re-ranker, words weighted by one IDF."""

    cs = RERANK_CS

    def __init__(self, items: list[Analysed], idf: dict[str, float]) -> None:
        from pipeline.local_model.text import make_document

        self.items = items
        self.rows: list[list[tuple[str, dict[str, float]]]] = []
        for item in items:
            if not item.rule_leaves:
                self.rows.append([])
                continue
            doc = make_document(item.example.title, item.example.abstract)
            contribution = contribution_weights(doc, item.scores)
            words = tfidf(item.words, idf)
            self.rows.append([
                (leaf, rerank_features(leaf, rank, item.scores, item.rule_leaves, contribution,
                                       words, item.embedding))
                for rank, leaf in enumerate(primary_candidates(item.scores, item.rule_leaves))
            ])  # fmt: skip

    def fit(self, chosen: list[int], c: float) -> Head:
        """Pairwise rows of the in-scope items (gold and rules): a candidate's row minus the
        rules' primary's, labelled by which of the two is the gold primary (when one is)."""
        rows: list[dict[str, float]] = []
        labels: list[int] = []
        for i in chosen:
            item = self.items[i]
            if not item.example.relevant or not item.signal.relevant or not self.rows[i]:
                continue
            gold = item.example.primary or ""
            (rule, first), *others = self.rows[i]
            for leaf, row in others:
                if (rule == gold) != (leaf == gold):
                    rows.append(row_difference(row, first))
                    labels.append(int(leaf == gold))
        if not rows:  # no pair to learn from: a head that never moves the primary
            return Head({}, -8.0)
        data = _logistic(rows, labels, c, min_weight=0.0005)
        return Head(data["weights"], data["bias"])

    def best_other(self, head: Head, i: int) -> tuple[str, float]:
        rows = self.rows[i]
        return best_other(head, rows) if rows else ("", -math.inf)


class _Classes:
    """Each item's row for the multinomial re-ranker (learned.class_features), words weighted
    by one IDF; fitted on every in-scope item with a gold primary among ``leaf_ids``."""

    cs = CLASS_CS

    def __init__(self, items: list[Analysed], idf: dict[str, float], leaf_ids: list[str]) -> None:
        self.items = items
        self.leaf_ids = leaf_ids
        self.rows = [
            class_features(tfidf(item.words, idf), item.scores, item.rule_leaves, item.embedding)
            if item.rule_leaves
            else {}
            for item in items
        ]

    def fit(self, chosen: list[int], c: float) -> Head:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        known = set(self.leaf_ids)
        use = [i for i in chosen
               if self.items[i].example.relevant and self.items[i].example.primary in known
               and self.rows[i]]  # fmt: skip
        labels = [str(self.items[i].example.primary) for i in use]
        if len(set(labels)) < 2:  # nothing to tell apart: a head that never moves the primary
            return Head({}, 0.0)
        vectorizer = DictVectorizer(sort=True)
        x = vectorizer.fit_transform([self.rows[i] for i in use])
        model = LogisticRegression(C=c, max_iter=3000, solver="lbfgs")
        model.fit(x, labels)
        names = list(vectorizer.get_feature_names_out())
        at = names.index("bias")
        coefs, biases = model.coef_, model.intercept_
        if len(model.classes_) == 2:  # sklearn keeps one row for two classes: logit of the second
            coefs, biases = [-0.5 * coefs[0], 0.5 * coefs[0]], [-0.5 * biases[0], 0.5 * biases[0]]
        weights: dict[str, float] = {}
        for leaf, coef, bias in zip(model.classes_, coefs, biases, strict=True):
            for name, w in zip(names, coef, strict=True):
                if name != "bias" and abs(w) >= MIN_WEIGHT:
                    weights[f"{leaf}|{name}"] = round(float(w), 3)
            weights[f"{leaf}|bias"] = round(float(bias) + float(coef[at]), 4)
        return Head(dict(sorted(weights.items())), 0.0)

    def best_other(self, head: Head, i: int) -> tuple[str, float]:
        item = self.items[i]
        if not self.rows[i] or not head.weights:
            return "", -math.inf
        leaves = class_candidates(item.scores, item.rule_leaves[0], self.leaf_ids)
        return best_other_class(class_logits(head, self.rows[i], leaves), item.rule_leaves[0])


def with_primary(item: Analysed, primary: str) -> Analysed:
    """The item with ``primary`` first among its rule leaves."""
    if not primary or primary == item.rule_leaves[0]:
        return item
    return replace(item, rule_leaves=[primary, *(x for x in item.rule_leaves if x != primary)])


def choose_reranker(
    items: list[Analysed],
    idf: dict[str, float],
    levels_head: Head,
    level_threshold: float,
    leaf_ids: list[str] | None = None,
    kinds: tuple[str, ...] = (RERANK_PAIRS, RERANK_CLASSES),
) -> RerankChoice:
    """The primary re-ranker's kind, C and margin by an inner cross-validation over ``items``:
    the out-of-fold choice of every item scored by primary lenient + levels F1 (levels from
    ``levels_head``, fitted on ``items``, at ``level_threshold``); then the re-ranker fitted on
    all of ``items`` with that kind and C. The kinds are tried in ``kinds``' order, and a later
    one wins only by scoring higher (RERANK_CLASSES needs ``leaf_ids``)."""
    if kinds == (RERANK_CLASSES,) and not leaf_ids:
        raise ValueError("choose_reranker: the multinomial kind needs the taxonomy's leaf_ids")
    makers: dict[str, _Candidates | _Classes] = {}
    for kind in kinds:
        if kind == RERANK_PAIRS:
            makers[kind] = _Candidates(items, idf)
        elif kind == RERANK_CLASSES and leaf_ids:
            makers[kind] = _Classes(items, idf, leaf_ids)
    everyone = list(range(len(items)))
    options = [(kind, c) for kind, maker in makers.items() for c in maker.cs]
    others: dict[tuple[str, float], list[tuple[str, float]]] = {
        option: [("", -math.inf)] * len(items) for option in options
    }
    for test in folds(items, INNER_FOLDS):
        held = set(test)
        train = [i for i in everyone if i not in held]
        for kind, c in options:
            head = makers[kind].fit(train, c)
            for i in test:
                others[(kind, c)][i] = makers[kind].best_other(head, i)

    def primaries(option: tuple[str, float], margin: float) -> list[str]:
        return [leaf if gain > margin else (item.rule_leaves[0] if item.rule_leaves else "")
                for item, (leaf, gain) in zip(items, others[option], strict=True)]  # fmt: skip

    scored: dict[tuple[str, float], tuple[float, float]] = {}  # option -> (value, margin)
    for option in options:
        for margin in reversed(RERANK_MARGINS):  # never switching first: ties keep the rules
            right = tp = pred = gold = in_scope = 0
            for item, primary in zip(items, primaries(option, margin), strict=True):
                if not item.example.relevant:
                    continue
                in_scope += 1
                want = {level_of(leaf) for leaf in item.example.leaves}
                gold += len(want)
                if not item.signal.relevant:
                    continue
                moved = with_primary(item, primary)
                got = levels_answer(moved, item_levels(levels_head, moved), level_threshold)
                right += primary in item.example.leaves
                tp, pred = tp + len(got & want), pred + len(got)
            value = right / max(in_scope, 1) + _f1(tp, pred, gold)
            if option not in scored or value > scored[option][0] + 1e-9:
                scored[option] = (value, margin)
    best = (-1.0, options[0], math.inf)
    for kind in makers:
        mine = [option for option in options if option[0] == kind]
        # The multinomial model overfits as its C grows (fitted - held-out primary lenient
        # 0.021 at C=0.25, 0.062 at C=1: bench/primary_classes_cv.py, README): the most
        # regularised C within LEAF_TOLERANCE of its best inner value is taken, as the membership
        # head's is.
        if kind == RERANK_CLASSES:
            mine = [choose_leaf_config({option: scored[option][0] for option in mine})]
        for option in mine:
            value, margin = scored[option]
            if value > best[0] + 1e-9:
                best = (value, option, margin)
    value, (kind, c), margin = best
    head = makers[kind].fit(everyone, c)
    return RerankChoice(head, c, margin, round(value, 4), primaries((kind, c), margin), kind)


def fit_analysed(
    items: list[Analysed],
    leaf_ids: list[str],
    inner: bool = True,
    configs: list[LeafConfig] | None = None,
    level_cs: list[float] | None = None,
) -> LearnedModel:
    """Fit heads on ``items``; regularisation, thresholds and calibration from an inner
    cross-validation over ``items`` only.

    The levels head's C and threshold are chosen by inner levels F1; then the membership
    head's config and the secondary-leaf threshold by inner leaves F1 (with those levels).
    """
    configs = list(configs or LEAF_CONFIGS)
    level_cs = list(level_cs or LEVEL_CS)
    if not inner or len(items) < 2 * INNER_FOLDS:
        return from_json(_heads(items, leaf_ids, configs[-1:], level_cs[-1])[0])
    predictions: dict[LeafConfig, list[Prediction | None]] = {
        config: [None] * len(items) for config in configs
    }
    fold_models: dict[LeafConfig, list[LearnedModel | None]] = {
        config: [None] * len(items) for config in configs
    }  # the inner model that answered each item out of fold
    for test in folds(items, INNER_FOLDS):
        held = set(test)
        train = [item for i, item in enumerate(items) if i not in held]
        for config, data in zip(configs, _heads(train, leaf_ids, configs), strict=True):
            model = from_json(data)
            for i in test:
                predictions[config][i] = predict(model, items[i])
                fold_models[config][i] = model
    done = {config: [p for p in ps if p is not None] for config, ps in predictions.items()}
    levels = choose_levels(items, level_cs)

    def with_levels(ps: list[Prediction]) -> list[Prediction]:
        return [replace(p, levels=lv) for p, lv in zip(ps, levels.out_of_fold, strict=True)]

    def leaf_threshold(ps: list[Prediction]) -> tuple[float, float]:
        """The secondary-leaf threshold by leaves F1, the levels head's threshold fixed."""
        return best_threshold(
            lambda t: _leaves_f1(_answer_sets(items, ps, leaf_ids, t, levels.threshold))
        )

    leaf_f1 = {config: leaf_threshold(with_levels(done[config])) for config in configs}
    chosen = choose_leaf_config({config: f1 for config, (_, f1) in leaf_f1.items()})
    data = _heads(items, leaf_ids, [chosen], levels.c)[0]
    levels_head = Head(data["heads"]["levels"]["weights"], data["heads"]["levels"]["bias"])
    rerank = choose_reranker(items, data["idf"], levels_head, levels.threshold, leaf_ids)
    if rerank.margin != math.inf:
        data["primary_rerank"] = {"bias": rerank.head.bias, "weights": rerank.head.weights}
        data["rerank_margin"] = rerank.margin
        if rerank.kind != RERANK_PAIRS:
            data["rerank_kind"] = rerank.kind
    data["membership_config"]["rerank_kind"] = rerank.kind
    data["membership_config"]["rerank_c"] = rerank.c
    data["membership_config"]["inner_rerank"] = rerank.inner
    # Calibrate on the answers decide() gives: an item whose out-of-fold primary is not the
    # rules' is predicted again by its inner model with that primary first (the primary head's
    # features read which leaf is first).
    moved = with_levels(done[chosen])
    for i, (item, primary) in enumerate(zip(items, rerank.out_of_fold, strict=True)):
        fold_model = fold_models[chosen][i]
        if fold_model is not None and item.rule_leaves and primary != item.rule_leaves[0]:
            again = predict(fold_model, with_primary(item, primary))
            moved[i] = replace(again, levels=moved[i].levels)
    (rel_t, override), calibration = _choose(items, moved, rerank.out_of_fold)
    data["relevance_threshold"], data["relevance_override"] = rel_t, override
    data["leaf_threshold"], data["level_threshold"] = leaf_f1[chosen][0], levels.threshold
    data["calibration"] = list(calibration)
    data["membership_config"]["inner_levels_f1"] = round(levels.inner_f1, 4)
    data["membership_config"]["inner_leaves_f1"] = round(leaf_f1[chosen][1], 4)
    return from_json(data)


def fit(examples: list[Example], taxonomy: Taxonomy) -> LearnedModel:
    """Fit the learned model on labelled examples (see the module docstring)."""
    return fit_analysed(analyse(examples, taxonomy), taxonomy.leaf_ids)


__all__ = [
    "LEAF_CONFIGS",
    "LEVEL_CS",
    "Analysed",
    "Example",
    "LeafConfig",
    "LevelExtra",
    "LevelFeatures",
    "LevelsChoice",
    "analyse",
    "choose_leaf_config",
    "choose_relevance_policy",
    "choose_relevance_threshold",
    "choose_levels",
    "fit",
    "fit_analysed",
    "fit_levels_head",
    "folds",
    "item_levels",
    "levels_answer",
    "levels_f1_of",
    "predict",
]
