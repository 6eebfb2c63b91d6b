"""Group raw entries that are the same paper: exact normalized title, then a guarded fuzzy match.

The fuzzy step is conservative: a pair merges only when the normalized titles are at least
FUZZY_THRESHOLD similar *and* they differ only in spacing, stop words or spelling variants of
the same word (plural, British/American spelling). Any difference in numbers, version markers
("+", "v2", "II") or a distinctive word ("Volta" vs "Ampere", "LoRA" vs "QLoRA") blocks it.
Because of that guard only titles sharing a block key are scored (``block_keys`` proves every
accepted pair shares one), so the step is near-linear in titles and finds the same pairs as
scoring all of them.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from pipeline.ingest.entries import RawEntry
from pipeline.ingest.normalize import normalize_title

FUZZY_THRESHOLD = 90
WORD_VARIANT_THRESHOLD = 80
STOP_WORDS = frozenset(
    {"a", "an", "the", "of", "for", "on", "in", "and", "to", "with", "via", "by", "from", "at"}
    | {"as", "is", "are", "its", "into", "using"}
)
_ROMAN = frozenset({"ii", "iii", "iv", "vi", "vii", "viii", "ix"})
_DIGIT = re.compile(r"\d")
# fuzz.ratio >= 90 needs the shorter title to be at least 9/11 of the longer (and the longer at
# most 11/9 of the shorter): ratio <= 200 * min / (min + max).
_MAX_LENGTH_RATIO = (200 - FUZZY_THRESHOLD) / FUZZY_THRESHOLD
BLOCK_CELLS = 16_000_000  # uint8 scores per block of rows: 16 MB, whatever the corpus size
_THREADED_CELLS = 100_000


@dataclass
class ComparedTitles:
    """Normalized titles already compared with each other, and the fuzzy pairs among them.

    A pair depends on its two titles only, so a re-run compares new titles against all titles
    and takes the pairs among known ones from here: the same pairs as comparing everything.
    """

    titles: set[str] = field(default_factory=set)
    pairs: dict[tuple[str, str], float] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> ComparedTitles:
        """The index saved at ``path``; empty when missing, unreadable or from other rules."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("rules") != rules_digest():
                return cls()
            pairs = {(a, b): float(score) for a, b, score in data["pairs"]}
            return cls(set(data["titles"]), pairs)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls()  # only a cache: comparing everything again gives the same pairs

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "rules": rules_digest(),
            "titles": sorted(self.titles),
            "pairs": [[a, b, score] for (a, b), score in sorted(self.pairs.items())],
        }
        temporary = path.with_name(path.name + f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)


def rules_digest() -> str:
    """Digest of this module: saved pairs are reused only while the matching rules are the same."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


@dataclass(frozen=True)
class Group:
    """Entries judged to be one paper, with the normalized titles that were merged."""

    entries: tuple[RawEntry, ...]
    titles: tuple[str, ...]  # normalized titles, sorted; several when the fuzzy step merged
    fuzzy_scores: tuple[float, ...]  # the scores of the fuzzy links that formed the group


def group_entries(entries: list[RawEntry], compared: ComparedTitles | None = None) -> list[Group]:
    """Groups of duplicate entries; every entry is in exactly one group. Order-independent.

    ``compared`` (titles compared by earlier runs) is used and extended in place."""
    by_title: dict[str, list[RawEntry]] = {}
    for entry in entries:
        by_title.setdefault(normalize_title(entry.title), []).append(entry)
    titles = sorted(by_title)
    parent = list(range(len(titles)))
    scores: dict[int, list[float]] = {}
    for i, j, score in fuzzy_pairs(titles, compared):
        root_i, root_j = _find(parent, i), _find(parent, j)
        if root_i != root_j:
            parent[max(root_i, root_j)] = min(root_i, root_j)
        scores.setdefault(j, []).append(score)
    members: dict[int, list[int]] = {}
    for index in range(len(titles)):
        members.setdefault(_find(parent, index), []).append(index)
    groups = []
    for indices in members.values():
        group_entries_ = [entry for index in indices for entry in by_title[titles[index]]]
        group_entries_.sort(key=lambda entry: (entry.file, entry.line))
        link_scores = sorted(score for index in indices for score in scores.get(index, []))
        groups.append(
            Group(tuple(group_entries_), tuple(titles[i] for i in indices), tuple(link_scores))
        )
    return groups


def fuzzy_pairs(
    titles: list[str], compared: ComparedTitles | None = None
) -> list[tuple[int, int, float]]:
    """Index pairs (i < j) of distinct normalized titles that name the same paper.

    Only titles that share a block key (``block_keys``) are scored: every pair the guard
    accepts shares one, so the pairs are those of comparing all titles with each other.
    Titles in ``compared`` were all compared with each other: they are not compared again, and
    a new title is compared with every one of them, present in this call or not, so that stays
    true when ``compared`` gains this call's titles and pairs.
    """
    index = {title: number for number, title in enumerate(titles)}
    known = compared.titles if compared is not None else set()
    blocks: dict[tuple[str, ...], tuple[list[str], list[str]]] = {}
    for title in titles:
        if title not in known:
            for key in block_keys(title):
                blocks.setdefault(key, ([], []))[0].append(title)
    for title in known:
        for key in block_keys(title):
            if key in blocks:
                blocks[key][1].append(title)
    found: dict[tuple[str, str], float] = {}
    for new, old in blocks.values():
        found.update(matches(_candidates(new, new)))
        found.update(matches(_candidates(new, old)))
    if compared is not None:
        compared.titles.update(titles)
        compared.pairs.update(found)
        found = compared.pairs
    return sorted(
        (index[a], index[b], score) for (a, b), score in found.items() if a in index and b in index
    )


def matches(candidates: Iterable[tuple[str, str]]) -> dict[tuple[str, str], float]:
    """The candidate pairs that name one paper, each as (first, second) in order, with scores."""
    found = {}
    for a, b in candidates:
        first, second = sorted((a, b))
        # the score as the full float32 matrix gave it, so reports keep their figures
        score = round(float(np.float32(fuzz.ratio(first, second))), 1)
        if score >= FUZZY_THRESHOLD and same_paper(first, second):
            found[(first, second)] = score
    return found


def block_keys(title: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Two keys of a normalized title; every pair ``same_paper`` accepts shares one of them.

    The spacing key is the title without spaces; the wording key is its marker set
    (``_markers``) with the set of first letters of its words that are not stop words.

    Claim: if ``same_paper(a, b)`` then a and b have the same spacing key or the same wording
    key. Proof: ``same_paper`` returns True in one of two places. (1) The first test: a and b
    are equal without spaces, which is the spacing key. (2) The last line: the marker test
    before it did not return False, so the marker sets are equal. Let W(t) be the words of t
    (``str.split``: never empty, so each has a first letter) less STOP_WORDS, and F(t) their
    first letters. Take w in W(a). If w is a word of b, then w is in W(b) (being a stop word
    does not depend on the title), so w[0] is in F(b). Otherwise w is in ``only_a``, and
    ``all(_has_variant(word, only_b) ...)`` held for it: some o in ``only_b`` has
    ``o[:1] == w[:1]``; ``only_b`` is a subset of W(b), so w[0] is in F(b). Hence F(a) is a
    subset of F(b), and by the second ``all`` (the same argument with a and b swapped) F(b)
    of F(a): F(a) = F(b), the wording keys are equal. QED. The claim needs nothing of the
    score, so blocking changes which pairs are scored, never which are found
    (tests/test_ingest_dedupe.py checks it against comparing all pairs).
    """
    words = set(title.split())
    letters = "".join(sorted({word[0] for word in words - STOP_WORDS}))
    markers = " ".join(sorted(_markers(words)))
    return ("spacing", title.replace(" ", "")), ("wording", markers, letters)


def _candidates(rows: list[str], columns: list[str]) -> Iterator[tuple[str, str]]:
    """Title pairs (row, column) that may score FUZZY_THRESHOLD or more; each unordered pair
    once when ``rows is columns``. Scores are uint8 in blocks of rows, within the length band
    a match needs, so memory stays bounded and time follows the pairs of similar length."""
    if not rows or not columns or (rows is columns and len(rows) < 2):
        return
    same = rows is columns
    rows = sorted(rows, key=lambda t: (len(t), t))
    columns = rows if same else sorted(columns, key=lambda t: (len(t), t))
    lengths = [len(title) for title in columns]
    block = max(1, BLOCK_CELLS // len(columns))
    for start in range(0, len(rows), block):
        chunk = rows[start : start + block]
        low = start if same else bisect.bisect_left(lengths, len(chunk[0]) / _MAX_LENGTH_RATIO)
        high = bisect.bisect_right(lengths, len(chunk[-1]) * _MAX_LENGTH_RATIO)
        if high <= low:
            continue
        # threads pay off on large blocks only; most blocks hold a few titles
        threads = -1 if len(chunk) * (high - low) >= _THREADED_CELLS else 1
        scores = process.cdist(
            chunk, columns[low:high], scorer=fuzz.ratio, dtype=np.uint8,
            score_cutoff=FUZZY_THRESHOLD, workers=threads,
        )  # fmt: skip
        for row, column in zip(*scores.nonzero(), strict=True):
            if not same or start + int(row) < low + int(column):
                yield chunk[row], columns[low + int(column)]


def same_paper(a: str, b: str) -> bool:
    """The guard of the fuzzy step: are two similar normalized titles variants of one title?"""
    if a.replace(" ", "") == b.replace(" ", ""):
        return True
    words_a, words_b = set(a.split()), set(b.split())
    if _markers(words_a) != _markers(words_b):
        return False
    only_a = sorted(words_a - words_b - STOP_WORDS)
    only_b = sorted(words_b - words_a - STOP_WORDS)
    return all(_has_variant(word, only_b) for word in only_a) and all(
        _has_variant(word, only_a) for word in only_b
    )


def _markers(words: set[str]) -> set[str]:
    """Numbers, versions and '+' variants: any difference means a different paper."""
    return {w for w in words if _DIGIT.search(w) or w.endswith("plus") or w in _ROMAN}


def _has_variant(word: str, others: list[str]) -> bool:
    return any(
        other[:1] == word[:1] and fuzz.ratio(word, other) >= WORD_VARIANT_THRESHOLD
        for other in others
    )


def _find(parent: list[int], index: int) -> int:
    while parent[index] != index:
        parent[index] = parent[parent[index]]
        index = parent[index]
    return index
