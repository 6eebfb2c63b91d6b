"""Short human-readable names and phrases for papers, shared by the renderer and the prose writer.

Everything here works on raw text; escaping for a format happens later, in the renderers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from schemas.record import PaperRecord
from schemas.stages import Result

_WS = re.compile(r"\s+")
# A method name before the colon of a title, e.g. "FlashAttention: Fast and ..." -> FlashAttention.
_MAX_NAME_WORDS = 3
_MAX_NAME_CHARS = 28
# Metrics a reader looks at first, in order of preference for a table's "headline result".
_HEADLINE_METRICS = (
    "speedup",
    "throughput",
    "latency",
    "memory",
    "energy",
    "cost",
    "compression",
    "accuracy",
)


_SUPERSCRIPTS = str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")
_SUBSCRIPTS = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
# "$^2$", "^{2}", "$_{k}$": a short super- or subscript written in TeX math in a title
_SCRIPT = re.compile(r"\$?([\^_])(?:\{([0-9+\-=()ni]{1,4})\}|([0-9]))\$?")
_INLINE_MATH = re.compile(r"\$([^$\\\s\d][^$\\\s]{0,39})\$")


def plain_math(text: str) -> str:
    """TeX math of paper titles as plain text: ``A$^2$ATS`` -> ``A²ATS``, ``$O(n)$`` -> ``O(n)``.

    Paper text never reaches LaTeX as markup; these spellings would otherwise print literally.
    """

    def script(match: re.Match[str]) -> str:
        body = match.group(2) or match.group(3)
        table = _SUPERSCRIPTS if match.group(1) == "^" else _SUBSCRIPTS
        return body.translate(table)

    if "^" not in text and "_" not in text and "$" not in text:
        return text
    text = _SCRIPT.sub(script, text)
    return _INLINE_MATH.sub(lambda m: m.group(1), text)


def clean(text: str) -> str:
    """NFC-normalize, spell short TeX math as plain text, collapse whitespace to single spaces."""
    return plain_math(_WS.sub(" ", unicodedata.normalize("NFC", text)).strip())


def truncate(text: str, limit: int) -> str:
    """Cut ``text`` at a word boundary to at most ``limit`` characters, ending with an ellipsis."""
    text = clean(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "…"


def short_name(record: PaperRecord) -> str:
    """The paper's method name when its title starts with one ("X: ..."), else a short title."""
    title = clean(record.title)
    head, sep, _ = title.partition(":")
    head = head.strip()
    if sep and head and len(head.split()) <= _MAX_NAME_WORDS and len(head) <= _MAX_NAME_CHARS:
        return head
    if record.authors:
        last = clean(record.authors[0]).split(" ")[-1]
        many = len(record.authors) > 1 or (record.authors_count or 0) > 1
        return f"{last} et al." if many else last
    return truncate(title, _MAX_NAME_CHARS + 12)


def article(word: str) -> str:
    """'a' or 'an' for the English word that follows."""
    return "an" if word[:1].lower() in "aeiou" else "a"


_VALUE_LEAD = re.compile(r"^(?:of|by)\s+", re.IGNORECASE)


def describe_result(result: Result, *more_values: str) -> str:
    """'a speedup of 2.3x compared with vLLM' (raw text); extra values of the same metric and
    baseline are listed too ('an improvement of 46% and 75%')."""
    metric = clean(result.metric) or "result"
    values = [_VALUE_LEAD.sub("", clean(v)) for v in (result.value, *more_values)]
    phrase = f"{article(metric)} {metric} of {join_words(values)}"
    if result.baseline and clean(result.baseline):
        phrase += f" compared with {clean(result.baseline)}"
    return phrase


def headline_result(record: PaperRecord) -> Result | None:
    """The result a comparison table shows: the first one on a preferred metric, else the first."""
    for wanted in _HEADLINE_METRICS:
        for result in record.results:
            if wanted in result.metric.lower():
                return result
    return record.results[0] if record.results else None


def headline_text(record: PaperRecord) -> str:
    """'2.3x speedup vs. vLLM' for a table cell, '' when the paper reports no result."""
    result = headline_result(record)
    if result is None:
        return ""
    text = f"{clean(result.value)} {clean(result.metric)}"
    if result.baseline and clean(result.baseline):
        text += f" vs. {clean(result.baseline)}"
    return text


def metric_family(metric: str) -> str:
    """A normalized metric name so that two papers' results can be compared."""
    lowered = clean(metric).lower()
    for wanted in _HEADLINE_METRICS:
        if wanted in lowered:
            return wanted
    return lowered


_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                 "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                 "seventeen", "eighteen", "nineteen")  # fmt: skip
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_PLURAL_VERBS = {
    "applies": "apply", "builds": "build", "designs": "design", "analyses": "analyse",
    "surveys": "survey", "argues": "argue", "provides": "provide", "uses": "use",
    "reports": "report", "states": "state", "contributes": "contribute", "evaluates": "evaluate",
}  # fmt: skip


def number_word(count: int) -> str:
    """'three' for 3, 'one hundred and seventeen' for 117; '1,161' from 1000 on.

    Words keep counts out of the number check of cited sentences (a count is not a result);
    from 1000 on, digits with a thousands separator, which the check reads as a count of papers.
    """
    if count < 0:
        return str(count)
    if count >= 1000:
        return f"{count:,}"
    if count < 20:
        return _NUMBER_WORDS[count]
    if count < 100:
        tens, ones = divmod(count, 10)
        return _TENS[tens] + (f"-{_NUMBER_WORDS[ones]}" if ones else "")
    hundreds, rest = divmod(count, 100)
    return f"{_NUMBER_WORDS[hundreds]} hundred" + (f" and {number_word(rest)}" if rest else "")


def count_words(count: int, noun: str = "paper", plural: str | None = None) -> str:
    """'three papers', 'one paper', '14 papers'."""
    return f"{number_word(count)} {noun if count == 1 else (plural or noun + 's')}"


def lower_name(name: str) -> str:
    """Lower-case a display name for use mid-sentence, keeping acronyms: 'KV-cache compression'."""
    return " ".join(
        word.lower() if word[1:] == word[1:].lower() else word for word in clean(name).split(" ")
    )


def capitalize(text: str) -> str:
    """Upper-case the first character only ('three papers' -> 'Three papers')."""
    return text[:1].upper() + text[1:]


def join_words(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" and {items[-1]}"


def verb_for(name: str, verb: str) -> str:
    """The verb agreeing with a paper's name: 'Smith et al. apply' but 'QuantFast applies'."""
    head, _, rest = verb.partition(" ")
    if name.endswith("et al."):
        head = _PLURAL_VERBS.get(head, head)
    return f"{head} {rest}".strip()
