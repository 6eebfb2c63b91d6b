"""Short human-readable names and phrases for papers, shared by the renderer and the prose writer.

Everything here works on raw text; escaping for a format happens later, in the renderers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from schemas.metric_words import FACTOR_QUALIFIER, KEPT_VERB
from schemas.record import PaperRecord
from schemas.result import TEX_TIMES, Result, closed_number, metric_kind

_WS = re.compile(r"\s+")
# A method name before the colon of a title, e.g. "FlashAttention: Fast and ..." -> FlashAttention.
_MAX_NAME_WORDS = 3
_MAX_NAME_CHARS = 28
# Metrics a reader looks at first, in order of preference for a table's "headline result".
_HEADLINE_METRICS = ("speedup", "throughput", "memory", "energy", "cost", "size", "compute")


_SUPERSCRIPTS = str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")
_SUBSCRIPTS = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
# "$^2$", "^{2}", "$_{k}$": a short super- or subscript written in TeX math in a title; an
# unbraced digit only when no digit follows ("10^264" is 10 to the 264th, not "10²64")
_SCRIPT = re.compile(r"\$?([\^_])(?:\{([0-9+\-=()ni]{1,4})\}|([0-9])(?![0-9]))\$?")
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
# How a reader names each metric when the quote names nothing more specific.
_METRIC_LABELS = {
    "speedup": "speedup", "throughput": "throughput", "memory": "memory", "energy": "energy",
    "cost": "cost", "quality": "accuracy", "size": "model size", "compute": "compute",
    "other": "",
}  # fmt: skip
# More specific names a quote may use, tried nearest to the value first.
_METRIC_NOUNS = {
    "speedup": r"time-to-first-token|TTFT|(?:inference |training |end-to-end )?latency|"
    r"(?:inference|training|decoding|end-to-end|wall-clock) time|speedup",
    "throughput": r"(?:serving |inference |training )?throughput|goodput",
    "memory": r"(?:activation|peak|KV[- ]cache|GPU) memory|KV[- ]cache(?: size)?|"
    r"memory footprint|memory",
    "energy": r"energy(?: consumption)?|power(?: consumption)?|carbon emissions?",
    "cost": r"(?:training |inference |serving )?cost",
    "quality": r"(?:top-1 )?accuracy|perplexity|BLEU|ROUGE(?:-\w+)?|F1(?: score)?|win rate|"
    r"robustness|FID|mAP|AP|success rate|(?:test |mean |median )?errors?(?: rate)?|RMSE|"
    r"(?:training |validation )?loss",
    "size": r"model size|compression ratio|parameters",
    "compute": r"FLOPs|MACs|computation(?:al cost)?|compute",
    "other": r"(?:GPU |hardware |cluster )?utili[sz]ation|MFU|(?:chip )?area",
}  # fmt: skip
_REDUCTION = re.compile(
    r"\b(?:reduc\w*|lower\w*|less|fewer|cut\w*|sav\w*|decreas\w*|smaller|shrink\w*|drops?|"
    r"compress\w*|prun\w*|remov\w*)\b",
    re.IGNORECASE,
)
# "recovers 90% of the performance": a share kept, neither a gain nor a loss.
_KEPT = re.compile(KEPT_VERB, re.I)
_INCREASE = re.compile(r"\b(?:higher|more|increas\w*|improv\w*|gains?|boost\w*)\b", re.I)
_FIG = r"[−+-]?\d+(?:[.,]\d+)*\s?[%×]?"
_PLAIN_VALUE = re.compile(
    r"^(?:(?:up to|over|more than|nearly|almost|about|around|approximately|at least|less than|"
    rf"under|within|only|as much as|[<>~≈])\s?)?{_FIG}"
    rf"(?:\s?(?:[–~/]|to|and|or|,|, and)\s?{_FIG})*$",
    re.IGNORECASE,
)


_WITH_UNIT = re.compile(
    r"^(?:(?:up to|only|about|around|approximately|under|within|less than)\s)?\d+(?:[.,]\d+)*\s?"
    r"(?:ms|s|sec|seconds?|minutes?|hours?|days?|weeks?|[GMKT]B|m?W|m?J)$",
    re.IGNORECASE,
)


_SMALL_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}


# "a factor of 3", "a factor of about 3", "by a factor of ~1.35": a multiple.
_FACTOR_OF = re.compile(rf"\ban?\s+factor\s+of\s+({FACTOR_QUALIFIER})?(\d+(?:\.\d+)?)\b", re.I)


def _as_multiple(match: re.Match[str]) -> str:
    lead = (match.group(1) or "").strip()
    lead = "~" if lead == "~" else (f"{lead} " if lead else "")
    return f"{lead}{match.group(2)}×"


def reader_value(value: str) -> str:
    """A figure as a reader writes it: '6.0times' -> '6.0×', '1.4x-6.9x' -> '1.4×–6.9×'."""
    text = clean(_VALUE_LEAD.sub("", clean(value)))
    # LaTeX's residue: "2\\times$", "$8{\\times}$", "1.4\\texttimes{}", "3.1\\%$"; a lone "$"
    # is kept only where it leads the figure as money ("$5"); a number LaTeX closed before its
    # unit is the number and the unit ("3.3$ points", "20$\\,KB")
    if text.count("$") > 1 or text.endswith("$"):
        text = text.replace("$", "")
    text = closed_number(text)
    text = text.replace("{,}", ",")  # LaTeX's thousands: "1{,}200"
    text = TEX_TIMES.sub("×", text).replace("\\%", "%")
    text = _FACTOR_OF.sub(_as_multiple, text)
    text = re.sub(
        r"\b(?:an?\s+factor\s+of\s+(two|three|four|five|ten)|"
        r"(two|three|four|five|ten)(?:-?fold|\s+times))\b",
        lambda m: f"{_SMALL_NUMBERS[(m.group(1) or m.group(2)).lower()]}×",
        text,
        flags=re.I,
    )
    # "sim" is how a listing renders TeX's \sim: "4.7 sim 71.3x" is a range, "sim3x" is about 3x.
    text = re.sub(r"(\d)\s?\\?sim\s?(?=\d)", r"\1–", text)
    text = re.sub(r"(?<![A-Za-z])\\?sim\s?(?=\d)", "~", text)
    text = re.sub(r"(\d)\s?(?:times\b|[xX]\b|×|-fold\b)", r"\1×", text)
    # a "×" that text extraction made a "*" ("4.97* speedup"; the extractor takes it as a figure
    # only before a comparison or a speedup)
    text = re.sub(r"(\d)\*$", r"\1×", text)
    text = re.sub(r"(\d)\s?percent\b", r"\1%", text)
    # "by 10+%" is at least 10%
    text = re.sub(r"^(\d+(?:\.\d+)?)\+%$", r"at least \1%", text)
    text = re.sub(r"([\d×%])\s?-\s?(?=\d)", r"\1–", text)
    # A unit never runs into the next word: "2.3×faster" -> "2.3× faster".
    return re.sub(r"([×%])(?=[A-Za-z])", r"\1 ", text)


def _label(result: Result) -> str:
    """The metric's name as the quote says it nearest to the value ('activation memory')."""
    quote = clean(result.quote)
    pattern = _METRIC_NOUNS.get(result.metric)
    at = quote.find(clean(result.value))
    if pattern and at >= 0:
        found = [
            (min(abs(m.start() - at), abs(m.end() - at)), m.group(0))
            for m in re.finditer(pattern, quote, re.IGNORECASE)
        ]
        if found:
            word = min(found)[1]
            return word if word.isupper() or word[:2].isupper() else word.lower()
    return _METRIC_LABELS.get(result.metric, "")


_LEAD_WORDS = re.compile(
    r"^((?:up to|over|more than|nearly|almost|about|around|approximately|at least|less than|"
    r"under|within|only|as much as|[<>~≈])\s?)",
    re.IGNORECASE,
)
_SINGLE = re.compile(r"^\d+(?:[.,]\d+)*\s?[%×]$")


def _change(quote: str, start: int, end: int) -> str:
    """'down', 'up' or '' from the words next to the value ('47% smaller', 'reduces … by 47%')."""
    after = re.split(r"[,;(]", quote[end : end + 25], maxsplit=1)[0]
    first = [(m.start(), "down") for m in _REDUCTION.finditer(after)]
    first += [(m.start(), "up") for m in _INCREASE.finditer(after)]
    if first:
        return min(first)[1]
    before = re.split(r"[,;:]\s", quote[max(0, start - 80) : start])[-1]  # this clause only
    if re.search(r"\b(?:higher|more|lower|less|greater|fewer) than\s$", before, re.I):
        return ""  # "higher than 80%": a bound, not a change
    last = [(m.start(), "down") for m in _REDUCTION.finditer(before)]
    last += [(m.start(), "up") for m in _INCREASE.finditer(before)]
    last += [(m.start(), "") for m in _KEPT.finditer(before)]
    return max(last)[1] if last else ""


def result_text(result: Result) -> str:
    """'2.3× throughput vs vLLM', '−47% activation memory', '+3.8% accuracy' (raw text)."""
    value = reader_value(result.value)
    if _WITH_UNIT.match(value):
        label = _label(result)
        text = f"{value} {label}" if label not in {"speedup", ""} else value  # "12 ms latency"
    elif not _PLAIN_VALUE.match(value):
        text = value  # the value already says what it measures ("47% smaller")
    else:
        label = _label(result)
        quote = clean(result.quote)
        at = quote.find(clean(result.value))
        change = _change(quote, at, at + len(clean(result.value))) if at >= 0 else ""
        match = _LEAD_WORDS.match(value)
        lead = match.group(1) if match else ""
        core = value[len(lead) :]
        if change == "down" and label == "speedup" and not core.endswith("×"):
            label = "time"
        if core.endswith("×"):
            if result.metric == "speedup":
                label = "speedup"
            reduction = change == "down" and result.metric in {
                "memory",
                "energy",
                "cost",
                "size",
                "compute",
            }
            text = f"{lead}{core} {label}{' reduction' if reduction else ''}"
        elif change and _SINGLE.match(core) and core.endswith("%") and not lead:
            text = f"{'−' if change == 'down' else '+'}{core} {label}"
        elif change and core.endswith("%"):
            text = f"{lead}{core} {'lower' if change == 'down' else 'higher'} {label}"
        else:
            text = f"{lead}{core} {label}"
    text = text.strip()
    if result.baseline and clean(result.baseline):
        text += f" vs {clean(result.baseline)}"
    return text


def describe_result(result: Result, *more_values: str) -> str:
    """'2.3× throughput vs vLLM' (raw text); extra values of the same metric and baseline are
    listed after it ('2.3× speedup vs vLLM, and 1.8× and 1.5×')."""
    text = result_text(result)
    extra = [reader_value(v) for v in more_values]
    return f"{text} (also {join_words(extra)})" if extra else text


def headline_result(record: PaperRecord) -> Result | None:
    """The result a comparison table shows: a headline result on the most preferred metric
    (speed before quality), else any result on a preferred metric, else the first."""
    headlines = [result for result in record.results if result.headline]
    for wanted in _HEADLINE_METRICS:
        for result in headlines:
            if result.metric == wanted:
                return result
    if headlines:
        return headlines[0]
    for wanted in _HEADLINE_METRICS:
        for result in record.results:
            if result.metric == wanted:
                return result
    return record.results[0] if record.results else None


def headline_text(record: PaperRecord) -> str:
    """'2.3× speedup vs vLLM' for a table cell, '' when the paper reports no result."""
    result = headline_result(record)
    return "" if result is None else result_text(result)


def metric_family(metric: str) -> str:
    """A normalized metric name so that two papers' results can be compared."""
    return metric_kind(clean(metric))


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
