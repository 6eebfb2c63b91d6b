"""Stable paper ids and citation keys ('frantar2022gptq', 'gptq2022', 'smoothquant')."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from itertools import product
from string import ascii_lowercase

from pipeline.errors import InputError
from pipeline.ingest.dedupe import STOP_WORDS
from pipeline.ingest.normalize import fold_ascii, latex_to_text, title_words

MAX_WORD_CHARS = 20
MAX_STEM_CHARS = 24
KEY_STOP_WORDS = STOP_WORDS | {
    "or", "be", "it", "towards", "toward", "how", "what", "why", "when", "where", "which",
    "do", "does", "can", "we", "you", "your", "our", "this", "that", "these", "not", "no",
    "all", "any", "than", "more", "most", "very", "new",
}  # fmt: skip
_LETTERS = re.compile(r"[^a-z]")


def paper_id(normalized_title: str) -> str:
    """'p' + 12 hex digits of the SHA-1 of the normalized title: stable across runs and inputs."""
    return "p" + hashlib.sha1(normalized_title.encode("utf-8")).hexdigest()[:12]


def base_key(title: str, authors: list[str], year: int | None) -> str:
    """'frantar2022gptq' when authors and year are known, else 'gptq2022' or 'gptq'.

    Without an author the title must carry the key alone: a one-word name before a colon
    ('GPTQ: ...') is used as is, otherwise the first two content words ('efficientmemory').
    """
    words = _content_words(title) or ["paper"]
    year = year if year is not None and 1000 <= year <= 9999 else None
    last = _last_name(authors[0]) if authors else ""
    if last and year:
        return f"{last}{year}{words[0]}"
    prefix, colon, _ = title.partition(":")
    named = bool(colon) and len(_content_words(prefix)) == 1
    stem = words[0] if named or len(words) == 1 else (words[0] + words[1])[:MAX_STEM_CHARS]
    return f"{stem}{year}" if year else stem


def assign_keys(base_keys: Mapping[str, str], known_keys: Mapping[str, str]) -> dict[str, str]:
    """Unique keys for ids: known ids keep their key; new ones get b, c, … suffixes in id order."""
    _check_known(known_keys)
    taken = set(known_keys.values())
    keys: dict[str, str] = {}
    for ident in sorted(base_keys):
        if ident in known_keys:
            keys[ident] = known_keys[ident]
            continue
        base = base_keys[ident]
        key = next(base + suffix for suffix in _suffixes() if base + suffix not in taken)
        taken.add(key)
        keys[ident] = key
    return keys


def _check_known(known_keys: Mapping[str, str]) -> None:
    owners: dict[str, str] = {}
    for ident, key in sorted(known_keys.items()):
        if key in owners:
            raise InputError(
                f"the known citation keys give key {key!r} to both {owners[key]} and {ident} — "
                "each key belongs to one paper; fix the persisted key map"
            )
        owners[key] = ident


def _suffixes() -> Iterator[str]:
    yield ""
    yield from ascii_lowercase[1:]
    for length in range(2, 5):
        for letters in product(ascii_lowercase, repeat=length):
            yield "".join(letters)


def _content_words(title: str) -> list[str]:
    words = [w for w in title_words(title) if w not in KEY_STOP_WORDS and not w.isdigit()]
    return [word[:MAX_WORD_CHARS] for word in words]


def _last_name(author: str) -> str:
    """'Frantar, Elias' or 'Elias Frantar' -> 'frantar'."""
    name = fold_ascii(latex_to_text(author)).strip().casefold()
    if name in {"others", "et al", "et al."}:
        return ""
    last = name.split(",", 1)[0] if "," in name else (name.split() or [""])[-1]
    return _LETTERS.sub("", last)
