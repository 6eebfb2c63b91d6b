"""Each paper of a leaf assigned to one of the leaf's families (sub-approaches) by their cues.

A family's cues are matched like leaf cues (see lexicon.py); a cue in the title counts three
times, one in the abstract or the paper's extracted techniques once. The family with the
highest score wins, ties going to the family listed first. A paper without any family cue, and
every paper of a family that ends up with a single paper, goes to "other approaches".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.local_model.lexicon import BODY, Matcher, parse_cue, tokenize
from schemas.record import PaperRecord
from schemas.taxonomy import Family, Leaf

_TITLE_WEIGHT = 3.0
OTHER_ID = "other"
OTHER_NAME = "Other approaches"


@dataclass(frozen=True)
class FamilyGroup:
    """A family of a leaf with the leaf's papers assigned to it (``family`` None: other)."""

    family: Family | None
    papers: tuple[PaperRecord, ...]

    @property
    def id(self) -> str:
        return self.family.id if self.family is not None else OTHER_ID

    @property
    def name(self) -> str:
        return self.family.name if self.family is not None else OTHER_NAME


def _matcher(families: Sequence[Family]) -> Matcher:
    cues = []
    for index, family in enumerate(families):
        for phrase in family.cues:
            cues.extend(parse_cue(phrase, index, BODY))
    return Matcher(cues)


def _scores(matcher: Matcher, paper: PaperRecord, count: int) -> list[float]:
    scores = [0.0] * count
    for text, weight in (
        (paper.title, _TITLE_WEIGHT),
        (paper.abstract, 1.0),
        (" ; ".join(paper.techniques), 1.0),
    ):
        seen: set[tuple[int, str]] = set()
        for match in matcher.find(tokenize(text)):
            marker = (match.cue.leaf, match.cue.text)
            if marker not in seen:  # a cue counts once per text, however often it recurs
                seen.add(marker)
                scores[match.cue.leaf] += weight * len(match.cue.text.split())
    return scores


def assign_families(leaf: Leaf, papers: Sequence[PaperRecord]) -> list[FamilyGroup]:
    """The leaf's families that hold two or more of ``papers``, in taxonomy order, then other."""
    families = list(leaf.families)
    members: dict[int, list[PaperRecord]] = {}
    other: list[PaperRecord] = []
    matcher = _matcher(families)
    for paper in papers:
        scores = _scores(matcher, paper, len(families))
        best = max(range(len(families)), key=lambda i: (scores[i], -i), default=None)
        if best is None or scores[best] <= 0:
            other.append(paper)
        else:
            members.setdefault(best, []).append(paper)
    groups: list[FamilyGroup] = []
    for index, family in enumerate(families):
        assigned = members.get(index, [])
        if len(assigned) >= 2:
            groups.append(FamilyGroup(family, tuple(assigned)))
        else:
            other += assigned
    if other:
        order = {paper.key: position for position, paper in enumerate(papers)}
        other.sort(key=lambda paper: order[paper.key])
        groups.append(FamilyGroup(None, tuple(other)))
    return groups
