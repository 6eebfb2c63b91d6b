"""Cue lexicons: taxonomy cue phrases compiled to token patterns, matched in one pass.

Cue syntax (taxonomy.yaml ``cues``, ``title_cues``, ``negative_cues``):

- words are matched whole, case-insensitively; a trailing ``s``/``es`` plural is allowed;
- words of a phrase may be joined by spaces, hyphens, slashes or run together ("low rank"
  matches "low-rank" and "lowrank"); punctuation in a cue only separates words;
- ``*`` at the end of a word matches any continuation ("quantiz*" matches "quantization");
- a cue written with an upper-case letter is matched case-sensitively ("ZeRO" does not match
  "zero-shot", "NAS" does not match "nas").

A leaf without cues gets cues derived from its name and description, so a user's own taxonomy
works without writing any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from schemas.taxonomy import Leaf, Taxonomy

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.'][A-Za-z0-9]+)*")
_CUE_WORD = re.compile(r"[A-Za-z0-9]+(?:[.'][A-Za-z0-9]+)*\*?")
# Tokens separated only by these characters belong to one phrase ("low-rank", "TOPS/W", "N:M").
_JOINER_CHARS = " \t\n-‐–/"
_STOPWORDS_TEXT = """a an and or of the to in on for with by from as at into via its their it is
are be that this these those which while including such other more less than per each both
e.g i.e etc using use used based model models method methods machine learning ml making make
run runs running given well how what where when them they we our"""
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

TITLE, BODY, NEGATIVE = 0, 1, 2


class Token(NamedTuple):
    """A word of a sentence with its offsets; ``joined`` when only a space/hyphen precedes it."""

    text: str
    lower: str
    start: int
    end: int
    joined: bool


def tokenize(text: str) -> list[Token]:
    """Words of ``text`` with offsets."""
    tokens: list[Token] = []
    previous_end = -1
    make = Token._make
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        gap = text[previous_end:start] if previous_end >= 0 else "."
        joined = gap == ":" or not gap.strip(_JOINER_CHARS)
        word = match.group()
        tokens.append(make((word, word.lower(), start, end, joined)))
        previous_end = end
    return tokens


@dataclass(frozen=True)
class CueToken:
    """One word of a cue: exact (plural allowed) or a prefix; case-sensitive if written so."""

    value: str
    prefix: bool
    cased: bool

    def matches(self, token: Token) -> bool:
        word = token.text if self.cased else token.lower
        if self.prefix:
            return word.startswith(self.value)
        if word == self.value:
            return True
        if not self.value[-1:].isalpha():
            return False
        return word == self.value + "s" or word == self.value + "es"


@dataclass(frozen=True)
class Cue:
    """A compiled cue phrase of one leaf."""

    leaf: int
    category: int  # TITLE, BODY or NEGATIVE
    words: tuple[CueToken, ...]
    text: str


def parse_cue(cue: str, leaf: int, category: int) -> list[Cue]:
    """A cue phrase as token patterns, plus its run-together spelling ("lowrank")."""
    cased = cue != cue.lower()
    words: list[CueToken] = []
    for raw in _CUE_WORD.findall(cue):
        prefix = raw.endswith("*")
        value = raw.rstrip("*")
        words.append(CueToken(value if cased else value.lower(), prefix, cased))
    if not words:
        return []
    parsed = [Cue(leaf, category, tuple(words), cue)]
    if 1 < len(words) <= 3 and not any(w.prefix for w in words[:-1]):
        joined = "".join(w.value for w in words)
        parsed.append(Cue(leaf, category, (CueToken(joined, words[-1].prefix, cased),), cue))
    return parsed


class Match(NamedTuple):
    """A cue found in a sentence: token range and character offsets."""

    cue: Cue
    first: int
    last: int  # exclusive token index
    start: int
    end: int


class Matcher:
    """Finds the cues of every leaf in a sentence in one pass over its tokens."""

    def __init__(self, cues: list[Cue]) -> None:
        self.exact: dict[str, list[Cue]] = {}
        self.prefixes: dict[str, list[Cue]] = {}
        for cue in cues:
            head = cue.words[0]
            key = head.value.lower()
            if head.prefix:
                self.prefixes.setdefault(key[:3], []).append(cue)
            else:
                self.exact.setdefault(key, []).append(cue)
        # Cues whose first word matches a given word: the vocabulary repeats across papers.
        self._heads: dict[str, tuple[Cue, ...]] = {}

    def _starting_with(self, token: Token) -> tuple[Cue, ...]:
        cached = self._heads.get(token.text)
        if cached is not None:
            return cached
        word = token.lower
        keys = [word]
        if word.endswith("s"):
            keys.append(word[:-1])
        if word.endswith("es"):
            keys.append(word[:-2])
        found: list[Cue] = []
        for key in keys:
            found.extend(self.exact.get(key, ()))
        for size in (1, 2, 3):
            if len(word) >= size:
                found.extend(self.prefixes.get(word[:size], ()))
        heads = tuple(cue for cue in found if cue.words[0].matches(token))
        if len(self._heads) < 200_000:
            self._heads[token.text] = heads
        return heads

    def find(self, tokens: list[Token]) -> list[Match]:
        """Every cue occurrence (overlaps included; the scorer resolves them)."""
        matches: list[Match] = []
        count = len(tokens)
        for i, token in enumerate(tokens):
            for cue in self._starting_with(token):
                n = len(cue.words)
                if n == 1:
                    matches.append(Match(cue, i, i + 1, token.start, token.end))
                    continue
                if i + n > count:
                    continue
                for j in range(1, n):
                    following = tokens[i + j]
                    if not following.joined or not cue.words[j].matches(following):
                        break
                else:
                    matches.append(Match(cue, i, i + n, token.start, tokens[i + n - 1].end))
        return matches


def derive_cues(leaf: Leaf) -> tuple[list[str], list[str]]:
    """Cues for a leaf that has none: phrases of its name (title cues) and description."""
    title_cues: list[str] = []
    for part in re.split(r"[,;:/()]|\band\b|\bor\b", leaf.name):
        phrase = _content_phrase(part)
        if phrase:
            title_cues.append(phrase)
    cues: list[str] = []
    for part in re.split(r"[,;:.()]|\band\b|\bor\b|\bincluding\b|\bsuch as\b", leaf.description):
        phrase = _content_phrase(part)
        if phrase and len(phrase) > 3:
            cues.append(phrase)
    # Single content words of the description are weak cues (see scoring.is_weak).
    for word in re.findall(r"[A-Za-z][\w-]{4,}", f"{leaf.name} {leaf.description}"):
        if word.lower() not in _STOPWORDS and word.lower() not in cues:
            cues.append(word.lower())
    return title_cues, cues


def _content_phrase(text: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z0-9][\w\-]*", text)]
    while words and words[0].lower() in _STOPWORDS:
        words.pop(0)
    while words and words[-1].lower() in _STOPWORDS:
        words.pop()
    if not words or len(words) > 4:
        # Long descriptive clauses make poor cues: keep their last two content words.
        content = [w for w in words if w.lower() not in _STOPWORDS]
        words = content[-2:]
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words)


@dataclass(frozen=True)
class Lexicon:
    """The compiled cues of a taxonomy: leaf ids, their levels and one matcher for all."""

    leaf_ids: list[str]
    levels: list[str]
    matcher: Matcher


def compile_out_of_scope(taxonomy: Taxonomy) -> Lexicon:
    """The out-of-scope topics as a lexicon of their own (ids ``out_of_scope.<n>``)."""
    ids = [f"out_of_scope.{n}" for n in range(len(taxonomy.out_of_scope))]
    cues: list[Cue] = []
    for index, topic in enumerate(taxonomy.out_of_scope):
        for phrase in topic.cues:
            cues.extend(parse_cue(phrase, index, BODY))
    return Lexicon(leaf_ids=ids, levels=["out_of_scope"] * len(ids), matcher=Matcher(cues))


def compile_taxonomy(taxonomy: Taxonomy) -> Lexicon:
    """Compile every leaf's cues once, deriving cues where a leaf has none."""
    cues: list[Cue] = []
    for index, leaf in enumerate(taxonomy.leaves):
        title_cues, body_cues = list(leaf.title_cues), list(leaf.cues)
        if not title_cues and not body_cues:
            title_cues, body_cues = derive_cues(leaf)
        for category, phrases in ((TITLE, title_cues), (BODY, body_cues),
                                  (NEGATIVE, leaf.negative_cues)):  # fmt: skip
            for phrase in phrases:
                cues.extend(parse_cue(phrase, index, category))
    return Lexicon(
        leaf_ids=taxonomy.leaf_ids,
        levels=[taxonomy.level_of(leaf_id) for leaf_id in taxonomy.leaf_ids],
        matcher=Matcher(cues),
    )
