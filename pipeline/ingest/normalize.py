"""Text normalization shared by parsers, de-duplication and keys: titles, LaTeX, dates, URLs."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

# Hyphen-like characters: ASCII hyphen-minus, Unicode hyphens and dashes, minus sign.
_DASHES = re.compile(r"[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d]")
_NON_WORD = re.compile(r"[^\w+]+|_+")
_PLUS = re.compile(r"\s+\+")
_LATEX_HINT = re.compile(r"[\\{}]")
MAX_LATEX_DEPTH = 50  # deeper brace nesting is not decoded as LaTeX (pylatexenc recurses)
_LATEX_DROP = re.compile(r"\\[A-Za-z]+\*?|[{}\\]")
_URL = re.compile(r"(?:https?://|www\.|github\.com/)[^\s<>\"'`]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?'\""
_MONTHS = {
    name: index
    for index, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_MONTH_DATE = re.compile(r"^([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2})(?:,\s*(\d{4}))?$")


def clean_text(text: str) -> str:
    """Collapse runs of whitespace (incl. newlines and tabs) to single spaces and strip."""
    return " ".join(text.split())


@lru_cache(maxsize=4096)
def latex_to_text(text: str) -> str:
    """Turn LaTeX accents and braces (``{\\"o}``, ``\\'e``, ``{GPT}``) into plain Unicode."""
    if not _LATEX_HINT.search(text):
        return text
    if _brace_depth(text) > MAX_LATEX_DEPTH:
        # pylatexenc recurses per group; such text is not LaTeX anyone wrote: keep its words
        return clean_text(_LATEX_DROP.sub(" ", text))
    from pylatexenc.latex2text import LatexNodes2Text

    # A bare % would start a LaTeX comment and cut the title ("50% Sparsity for {LLaMA}").
    escaped = re.sub(r"(?<!\\)%", r"\\%", text)
    converted: str = LatexNodes2Text(math_mode="text").latex_to_text(escaped)
    return clean_text(converted)


def _brace_depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif char == "}":
            depth = max(depth - 1, 0)
    return deepest


def fold_ascii(text: str) -> str:
    """Drop accents and other non-ASCII marks: 'Schölkopf' -> 'Scholkopf'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii")


def _fold_keeping_letters(text: str) -> str:
    """`fold_ascii`, except that letters and digits of scripts other than Latin and Greek are
    kept: '大型语言模型' stays itself, 'Schölkopf' -> 'Scholkopf', 'μ-Transfer' -> '-Transfer'.
    (Latin and Greek letters fold as before, so the ids of such titles do not change.)
    """
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if char.isascii() or _other_script(char))


@lru_cache(maxsize=8192)
def _other_script(char: str) -> bool:
    """A letter or digit outside the Latin and Greek scripts (CJK, Cyrillic, Arabic, …)."""
    if not char.isalnum():
        return False
    return unicodedata.name(char, "LATIN ?").split(" ", 1)[0] not in {"LATIN", "GREEK"}


def normalize_title(title: str) -> str:
    """The de-duplication form of a title: case, accents, LaTeX, dashes and punctuation folded.

    Letters of every script are kept (two Chinese titles are two papers); for titles in Latin
    script the result is what it always was, so paper ids do not change.

    Dashes are removed (so "Trade-Off", "TradeOff" and "Trade–Off" agree); "+" is kept and glued
    to its word, because "SmoothQuant+" is a different paper from "SmoothQuant".
    """
    text = _fold_keeping_letters(latex_to_text(title)).casefold()
    text = _DASHES.sub("", text)
    text = _PLUS.sub("+", text)
    text = _NON_WORD.sub(" ", text)
    return clean_text(re.sub(r"\++", lambda m: "plus" * len(m.group(0)) + " ", text))


def title_words(title: str) -> list[str]:
    """ASCII words of a title, hyphens joined, '+' spelled: 'LD-Pruner++' -> ldprunerplusplus."""
    text = fold_ascii(latex_to_text(title)).casefold().replace("+", "plus")
    text = re.sub(r"(?<=[0-9a-z])[-.\u2010-\u2015](?=[0-9a-z])", "", text)
    return re.findall(r"[0-9a-z]+", text)


def extract_urls(text: str) -> list[str]:
    """URLs mentioned in an abstract (code, project pages), trailing punctuation removed."""
    found: list[str] = []
    lowered = text.lower()
    if "http" not in lowered and "www." not in lowered and "github.com" not in lowered:
        return found  # the common case; skips a slow scan of the whole abstract
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_URL_TRAILING)
        while url.endswith(")") and url.count(")") > url.count("("):
            url = url[:-1].rstrip(_URL_TRAILING)
        if not url.lower().startswith("http"):
            url = "https://" + url
        if url not in found:
            found.append(url)
    return found


def parse_date(text: str) -> tuple[str | None, int | None]:
    """(ISO date, year) from 'Nov 28, 2023', '2023-11-28', '2023-11' or '2023'; (None, None) if not.

    A date without a year ('Jan 12', as listings show the current year) yields (None, None):
    the year is not in the dump and is not guessed.
    """
    value = clean_text(text)
    iso = _ISO_DATE.match(value)
    if iso:
        year, month, day = (int(part) if part else None for part in iso.groups())
        return _iso(year, month, day)
    named = _MONTH_DATE.match(value)
    if named and named.group(1).lower() in _MONTHS:
        if named.group(3) is None:
            return None, None
        return _iso(int(named.group(3)), _MONTHS[named.group(1).lower()], int(named.group(2)))
    return None, None


def _iso(year: int | None, month: int | None, day: int | None) -> tuple[str | None, int | None]:
    if year is None or not 1000 <= year <= 9999:
        return None, None
    if month is None:
        return f"{year:04d}", year
    if not 1 <= month <= 12:
        return None, None
    if day is None:
        return f"{year:04d}-{month:02d}", year
    try:
        return dt.date(year, month, day).isoformat(), year
    except ValueError:
        return None, None
