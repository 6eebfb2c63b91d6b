"""Text handling for the local model: sentences with offsets, their role, verbatim quotes.

Every span keeps offsets into the original string, so whatever the model quotes is a verbatim
slice of the title or abstract (the stage validators check this).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

# A sentence ends at . ! ? followed by space and an upper-case letter, digit, quote or bracket.
_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\[])")
# Tokens before a period that do not end a sentence.
_ABBREVIATIONS = {
    "e.g", "i.e", "et al", "vs", "fig", "figs", "eq", "no", "approx", "cf", "resp", "etc", "al",
}  # fmt: skip
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")

# Sentences that state the paper's own contribution.
_CONTRIBUTION = re.compile(
    r"\b(?:we|this (?:paper|work|study|article|report)|in this (?:paper|work|study)|"
    r"our (?:method|approach|framework|system|work|design|solution|technique|model|study))\b"
    r"(?:\W+\w+){0,4}?\W+(?:propose|present|introduce|design|develop|build|describe|"
    r"implement|offer|put forward|devise|contribute|conduct|perform|investigate|study|explore|"
    r"examine|analy[sz]e|evaluate|characteri[sz]e|measure|provide|release|report|call|name|"
    r"focus|aim|address|tackle|revisit|leverage|train|make|extend|apply|adopt|show|quantify|"
    r"calculate|estimate|dissect)",
    re.IGNORECASE,
)
# Sentences that describe prior work or the problem rather than the contribution.
_BACKGROUND = re.compile(
    r"\b(?:however|existing|prior|previous|previously|traditional|conventional|typically|"
    r"recent(?:ly)?|current(?:ly)?|state-of-the-art (?:methods|approaches|systems)|"
    r"has (?:been|become|emerged|shown|attracted)|have (?:been|become|emerged|shown|attracted)|"
    r"remains?|often|usually|widely)\b",
    re.IGNORECASE,
)
_RESULT = re.compile(
    r"\b(?:achiev\w*|outperform\w*|improv\w*|reduc\w*|speed\w*|accelerat\w*|surpass\w*|"
    r"deliver\w*|yield\w*|demonstrat\w*|results? show|experiments? show|up to)\b|"
    r"\d(?:\.\d+)?\s?(?:x|×|times|%)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sentence:
    """A sentence of the title or abstract, its offsets and role weights."""

    text: str
    start: int
    end: int
    index: int
    in_title: bool = False
    contribution: bool = False
    background: bool = False
    result: bool = False


@dataclass
class Document:
    """A paper's title and abstract split into sentences (the title is sentence 0)."""

    title: str
    abstract: str
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def body(self) -> list[Sentence]:
        return [s for s in self.sentences if not s.in_title]

    def body_matching(self, pattern: re.Pattern[str]) -> list[Sentence]:
        """Abstract sentences where ``pattern`` matches (one scan of the whole abstract)."""
        body = self.body
        starts = [s.start for s in body]
        found: dict[int, Sentence] = {}
        for match in pattern.finditer(self.abstract):
            i = bisect_right(starts, match.start()) - 1
            if i >= 0 and match.start() < body[i].end:
                found.setdefault(i, body[i])
        return [found[i] for i in sorted(found)]


def _ends_with_abbreviation(prefix: str) -> bool:
    match = _WORD_BEFORE.search(prefix)
    return bool(match and match.group(1).lower() in _ABBREVIATIONS)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of the sentences of ``text`` (whitespace trimmed)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if _ends_with_abbreviation(text[start : match.start()]):
            continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    out: list[tuple[int, int]] = []
    for begin, end in spans:
        chunk = text[begin:end]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            out.append((begin + lead, begin + lead + len(stripped)))
    return out


def make_document(title: str, abstract: str) -> Document:
    """Split a paper into role-tagged sentences; the title is sentence 0."""
    doc = Document(title=title, abstract=abstract)
    clean_title = title.strip()
    if clean_title:
        doc.sentences.append(
            Sentence(clean_title, 0, len(clean_title), 0, in_title=True, contribution=True)
        )
    spans = sentence_spans(abstract)
    # Scan the abstract once per role pattern, then assign matches to sentences.
    plain = [Sentence(abstract[b:e], b, e, i) for i, (b, e) in enumerate(spans)]
    draft = Document(title, abstract, plain)
    contribution = {s.index for s in draft.body_matching(_CONTRIBUTION)}
    background = {s.index for s in draft.body_matching(_BACKGROUND)}
    result = {s.index for s in draft.body_matching(_RESULT)}
    for position, (begin, end) in enumerate(spans):
        is_contribution = position in contribution
        doc.sentences.append(
            Sentence(
                abstract[begin:end],
                begin,
                end,
                len(doc.sentences),
                contribution=is_contribution,
                background=not is_contribution and (position == 0 or position in background),
                result=position in result,
            )
        )
    return doc


_CLAUSE_BREAK = re.compile(r"[;:]\s|,\s|\s(?:while|whereas|which|but)\s|\s[-–—]+\s")


def quote_around(text: str, start: int, end: int, limit: int = 300, widen: bool = False) -> str:
    """A verbatim span of ``text`` containing [start, end), cut at clause breaks if too long:
    the clause holding it, or with ``widen`` as many clauses around it as fit."""
    if len(text.strip()) <= limit:
        return text.strip()
    breaks = list(_CLAUSE_BREAK.finditer(text))
    lefts = [m.end() for m in reversed(breaks) if m.end() <= start] + [0]
    rights = [m.start() for m in breaks if m.start() >= end] + [len(text)]
    # The clause holding the figure, widened a clause at a time on each side in turn (left
    # first, where the words naming a figure usually stand) while it fits: "(ROC-AUC: 90%,
    # ACC: 84%)" is not cut down to "90%".
    i = j = 0
    while widen:
        grow_left = i + 1 < len(lefts) and rights[j] - lefts[i + 1] <= limit
        grow_right = j + 1 < len(rights) and rights[j + 1] - lefts[i] <= limit
        if grow_left and (i <= j or not grow_right):
            i += 1
        elif grow_right:
            j += 1
        else:
            break
    left, right = lefts[i], rights[j]
    if right - left > limit:
        # Still too long: a window centred on the match, aligned to words.
        half = max(0, (limit - (end - start)) // 2)
        left = max(left, start - half)
        right = min(right, max(end, left + limit))
        while 0 < left < start and not text[left - 1].isspace():
            left += 1
        while end < right < len(text) and not text[right].isspace():
            right -= 1
    return text[left:right].strip(" ,;:")
