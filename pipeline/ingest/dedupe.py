"""Group raw entries that are the same paper: exact normalized title, then a guarded fuzzy match.

The fuzzy step is conservative: a pair merges only when the normalized titles are at least
FUZZY_THRESHOLD similar *and* they differ only in spacing, stop words or spelling variants of
the same word (plural, British/American spelling). Any difference in numbers, version markers
("+", "v2", "II") or a distinctive word ("Volta" vs "Ampere", "LoRA" vs "QLoRA") blocks it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Group:
    """Entries judged to be one paper, with the normalized titles that were merged."""

    entries: tuple[RawEntry, ...]
    titles: tuple[str, ...]  # normalized titles, sorted; several when the fuzzy step merged
    fuzzy_scores: tuple[float, ...]  # the scores of the fuzzy links that formed the group


def group_entries(entries: list[RawEntry]) -> list[Group]:
    """Groups of duplicate entries; every entry is in exactly one group. Order-independent."""
    by_title: dict[str, list[RawEntry]] = {}
    for entry in entries:
        by_title.setdefault(normalize_title(entry.title), []).append(entry)
    titles = sorted(by_title)
    parent = list(range(len(titles)))
    scores: dict[int, list[float]] = {}
    for i, j, score in fuzzy_pairs(titles):
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


def fuzzy_pairs(titles: list[str]) -> list[tuple[int, int, float]]:
    """Index pairs (i < j) of distinct normalized titles that name the same paper."""
    if len(titles) < 2:
        return []
    matrix = process.cdist(
        titles, titles, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD, workers=-1
    )
    pairs = []
    for i, j in zip(*matrix.nonzero(), strict=True):
        if i < j and same_paper(titles[i], titles[j]):
            pairs.append((int(i), int(j), round(float(matrix[i, j]), 1)))
    return sorted(pairs)


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
