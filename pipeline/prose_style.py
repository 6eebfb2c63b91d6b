"""How repetitive the survey's prose is: sentence frames and repeated clauses.

A reader skims past prose built from a few sentence frames ("X reports a speedup of ...") or
closing every sentence with the same clause. Both are measured on the prose of a rendered
``survey.md`` (tables, lists, figures, headings and the reference list are not prose):

- a sentence's *frame* is its first ``FRAME_WORDS`` words after masking: citations removed,
  numbers -> ``#``, names (capitalised or mixed-case words, words with digits) -> ``N``, runs
  of ``N`` collapsed; the share of the most frequent frame is ``largest_frame_share``;
- a *clause* is a piece of a masked sentence between ``, ; : ( )`` with at least
  ``CLAUSE_WORDS`` words; ``most_repeated_clause`` counts the most frequent one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

FRAME_WORDS = 5
CLAUSE_WORDS = 5
FRAME_LIMIT = 0.03  # no frame above 3% of the prose sentences
CLAUSE_LIMIT = 3  # no clause more than 3 times in the survey

_MD_CITATION = re.compile(r"\[\[[^\]]*\]\]\(#[^)]*\)(?:,\s*)?")
_RAW_CITATION = re.compile(r"\[@[^\]]*\]")
_NUMBER = re.compile(r"(?<![A-Za-z])[-+]?\d[\d.,]*(?:\s?[x×%])?")
_WORD = re.compile(r"#|[A-Za-z0-9$][\w$'’.\-/^{}]*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")
_CLAUSE_SPLIT = re.compile(r"[,;:()]")
# Capitalised sentence openers that are ordinary words, not names.
_COMMON = frozenset(
    ("a", "an", "the", "this", "these", "those", "that", "its", "it", "their", "both", "each",
     "all", "most", "many", "some", "several", "one", "two", "three", "four", "five", "six",
     "seven", "eight", "nine", "ten", "other", "others", "on", "in", "for", "at", "by", "with",
     "from", "among", "across", "while", "where", "when", "although", "because", "as", "after",
     "before", "over", "under", "since", "no", "only", "we", "our", "unlike", "like",
     "compared", "beyond")
)  # fmt: skip


@dataclass(frozen=True)
class StyleReport:
    """Frame and clause statistics of a survey's prose."""

    sentences: int
    largest_frame: str
    largest_frame_count: int
    top10_share: float
    most_repeated_clause: str
    most_repeated_clause_count: int

    @property
    def largest_frame_share(self) -> float:
        return self.largest_frame_count / self.sentences if self.sentences else 0.0

    def lines(self) -> list[str]:
        return [
            f"prose sentences: {self.sentences}",
            f"largest frame: {self.largest_frame_share:.1%} ({self.largest_frame_count}x) "
            f"{self.largest_frame!r}",
            f"top-10 frames: {self.top10_share:.1%}",
            f"most repeated clause: {self.most_repeated_clause_count}x "
            f"{self.most_repeated_clause!r}",
        ]


def prose_lines(markdown: str) -> list[str]:
    """The prose lines of a rendered survey.md (no headings, tables, lists, code, references)."""
    lines: list[str] = []
    in_code = False
    for raw in markdown.splitlines():
        line = raw.strip()
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code or not line:
            continue
        if line.startswith("## References"):
            break
        if line[0] in "#|-!*<>" or re.match(r"^\d+\.\s", line):
            continue
        lines.append(line)
    return lines


def prose_sentences(markdown: str) -> list[str]:
    """Sentences of the prose (a line may hold more than one in user-edited surveys)."""
    sentences: list[str] = []
    for line in prose_lines(markdown):
        sentences += [s for s in _SENTENCE_END.split(line) if s.strip()]
    return sentences


def mask(sentence: str) -> list[str]:
    """The sentence's words with citations removed, numbers and names masked."""
    text = _RAW_CITATION.sub(" ", _MD_CITATION.sub(" ", sentence)).replace("\\", "")
    text = _NUMBER.sub(" # ", text)
    words: list[str] = []
    for index, word in enumerate(_WORD.findall(text)):
        token = word.rstrip(".")
        if token == "#":
            masked = "#"
        elif _is_name(token, first=index == 0):
            masked = "N"
        else:
            masked = token.lower()
        if masked == "N" and words and words[-1] == "N":
            continue
        words.append(masked)
    return words


def _is_name(token: str, first: bool) -> bool:
    """Digits or inner capitals (A100, FlashAttention), or a capital not opening the sentence."""
    if any(ch.isdigit() for ch in token) or any(ch.isupper() for ch in token[1:]):
        return True
    return token[:1].isupper() and not (first and token.lower() in _COMMON)


def measure(markdown: str) -> StyleReport:
    """Frame and clause statistics of the prose of ``markdown`` (a rendered survey.md)."""
    sentences = prose_sentences(markdown)
    frames: Counter[str] = Counter()
    clauses: Counter[str] = Counter()
    for sentence in sentences:
        words = mask(sentence)
        if words:
            frames[" ".join(words[:FRAME_WORDS])] += 1
        clean = _RAW_CITATION.sub(" ", _MD_CITATION.sub(" ", sentence))
        for piece in _CLAUSE_SPLIT.split(clean):
            clause = mask(piece)
            if len(clause) >= CLAUSE_WORDS:
                clauses[" ".join(clause)] += 1
    top_frame, top_count = frames.most_common(1)[0] if frames else ("", 0)
    top_clause, clause_count = clauses.most_common(1)[0] if clauses else ("", 0)
    top10 = sum(count for _, count in frames.most_common(10))
    return StyleReport(
        sentences=len(sentences),
        largest_frame=top_frame,
        largest_frame_count=top_count,
        top10_share=top10 / len(sentences) if sentences else 0.0,
        most_repeated_clause=top_clause,
        most_repeated_clause_count=clause_count,
    )
