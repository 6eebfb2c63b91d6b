"""Leaf scores: cue hits weighted by where they occur (title, contribution, background)."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from pipeline.local_model.lexicon import NEGATIVE, TITLE, Lexicon, Match, tokenize
from pipeline.local_model.text import Document, Sentence

# Weight of a hit by cue strength and place. Title cues are a leaf's defining phrases.
TITLE_CUE_IN_TITLE = 3.0
CUE_IN_TITLE = 1.2
TITLE_CUE_IN_BODY = 1.5
CUE_IN_BODY = 1.0
WEAK_FACTOR = 0.5  # single lower-case words ("memory", "training") are weak cues
# Sentence roles: the paper's own contribution counts more than background and prior work.
CONTRIBUTION_FACTOR = 1.5
BACKGROUND_FACTOR = 0.5
CONTRAST_FACTOR = 0.25
# Extra distinct cues in one sentence add a little each.
EXTRA_HIT_FACTOR = 0.25
REPEAT_DECAY = 0.6

# A cue shortly after these words (same clause) is something the paper does not do or
# compares against.
_CONTRAST = re.compile(
    r"\b(?:without|instead of|unlike|rather than|as opposed to|compared (?:to|with)|than|"
    r"in contrast to|orthogonal to|complementary to|beyond|not|avoid\w*|free of|"
    r"eliminat\w*|outperform\w*|existing|prior|previous|conventional|traditional)\b",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[.;,]")
CONTRAST_REACH = 40


@dataclass(frozen=True)
class Contrast:
    """Where contrast words end and clauses break in one sentence."""

    ends: list[int]
    breaks: list[int]

    @classmethod
    def of(cls, text: str) -> Contrast:
        ends = [m.end() for m in _CONTRAST.finditer(text)]
        breaks = [m.start() for m in _CLAUSE_END.finditer(text)] if ends else []
        return cls(ends, breaks)

    def covers(self, start: int) -> bool:
        """Does a contrast word precede ``start`` within reach, in the same clause?"""
        for end in self.ends:
            if end <= start <= end + CONTRAST_REACH:
                i = bisect_left(self.breaks, end)
                if i == len(self.breaks) or self.breaks[i] >= start:
                    return True
        return False


@dataclass(frozen=True)
class Hit:
    """One cue occurrence."""

    leaf: str
    sentence: int
    start: int  # offsets within the sentence
    end: int
    text: str
    weight: float
    cue: str = ""


@dataclass
class LeafScore:
    """The accumulated score of one leaf, with its hits (best first)."""

    leaf: str
    score: float = 0.0
    title_score: float = 0.0
    hits: list[Hit] = field(default_factory=list)

    def best_hit(self, prefer_body: bool = True) -> Hit | None:
        ranked = sorted(self.hits, key=lambda h: (-h.weight, h.sentence, h.start))
        if prefer_body:
            body = [h for h in ranked if h.sentence > 0]
            if body and body[0].weight >= 0.5 * ranked[0].weight / TITLE_CUE_IN_TITLE:
                return body[0]
        return ranked[0] if ranked else None


def is_weak(cue: str) -> bool:
    """A single lower-case word is a weak cue; phrases and acronyms are strong."""
    cue = cue.strip()
    return " " not in cue and "-" not in cue and cue == cue.lower()


def _overlaps(match: Match, others: list[Match]) -> bool:
    return any(match.first < o.last and o.first < match.last for o in others)


def _hit_weight(sentence: Sentence, strong: bool, cue: str, contrasted: bool) -> float:
    if sentence.in_title:
        weight = TITLE_CUE_IN_TITLE if strong else CUE_IN_TITLE
    else:
        weight = TITLE_CUE_IN_BODY if strong else CUE_IN_BODY
        if sentence.contribution:
            weight *= CONTRIBUTION_FACTOR
        elif sentence.background:
            weight *= BACKGROUND_FACTOR
    if is_weak(cue) and not strong:
        weight *= WEAK_FACTOR
    if contrasted:
        weight *= CONTRAST_FACTOR
    return weight


def sentence_hits(sentence: Sentence, lexicon: Lexicon) -> dict[int, list[Hit]]:
    """Cue hits per leaf index in one sentence; negative cues mask the spans they cover."""
    by_leaf: dict[int, list[Match]] = {}
    for match in lexicon.matcher.find(tokenize(sentence.text)):
        by_leaf.setdefault(match.cue.leaf, []).append(match)
    hits: dict[int, list[Hit]] = {}
    contrast = Contrast.of(sentence.text) if by_leaf else None
    for leaf, matches in by_leaf.items():
        blocked = [m for m in matches if m.cue.category == NEGATIVE]
        positive = [m for m in matches if m.cue.category != NEGATIVE and not _overlaps(m, blocked)]
        # Longest phrase first, title cues before plain cues, then reading order.
        positive.sort(key=lambda m: (m.first - m.last, m.cue.category, m.first, m.cue.text))
        taken: list[Match] = []
        for match in positive:
            if _overlaps(match, taken):
                continue
            taken.append(match)
            matched = sentence.text[match.start : match.end]
            strong = match.cue.category == TITLE
            contrasted = contrast is not None and contrast.covers(match.start)
            weight = _hit_weight(sentence, strong, match.cue.text, contrasted)
            hits.setdefault(leaf, []).append(
                Hit(
                    lexicon.leaf_ids[leaf],
                    sentence.index,
                    match.start,
                    match.end,
                    matched,
                    weight,
                    match.cue.text.lower(),
                )
            )
    return hits


def score_leaves(doc: Document, lexicon: Lexicon) -> dict[str, LeafScore]:
    """Score every leaf: per sentence, the best hit plus a little for each other distinct cue.

    A cue repeated in later sentences counts less each time (REPEAT_DECAY): several different
    cues are better evidence than one word used throughout.
    """
    scores = {leaf: LeafScore(leaf) for leaf in lexicon.leaf_ids}
    seen: dict[tuple[str, str], int] = {}
    for sentence in doc.sentences:
        for leaf, hits in sentence_hits(sentence, lexicon).items():
            leaf_id = lexicon.leaf_ids[leaf]
            leaf_score = scores[leaf_id]
            leaf_score.hits.extend(hits)
            weights: list[float] = []
            for hit in _distinct(hits):
                repeats = seen.get((leaf_id, hit.cue), 0)
                seen[(leaf_id, hit.cue)] = repeats + 1
                weights.append(hit.weight * REPEAT_DECAY**repeats)
            weights.sort(reverse=True)
            value = weights[0] + EXTRA_HIT_FACTOR * sum(weights[1:3])
            leaf_score.score += value
            if sentence.in_title:
                leaf_score.title_score += value
    return scores


def _distinct(hits: list[Hit]) -> list[Hit]:
    seen: dict[str, Hit] = {}
    for hit in hits:
        key = hit.cue
        if key not in seen or hit.weight > seen[key].weight:
            seen[key] = hit
    return list(seen.values())
