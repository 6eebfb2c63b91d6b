"""One sentence on what a paper contributes, rewritten from the abstract's own claim.

Abstracts state their contribution in the first person ("We propose X, which cuts ..."); the
survey needs it in the third person about the paper ("X cuts ... [@key]"). The rewrite only
moves, drops or inflects words of that sentence: it never adds a claim or a number, so every
number in the result is one the cited paper's abstract states.
"""

from __future__ import annotations

import re

from schemas.names import clean

_MAX_WORDS = 48
_MIN_CUT_WORDS = 14
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"“])")
_LEAD = (
    r"(?:(?:in this (?:paper|work|study|article)|here|to (?:this end|address|tackle|solve|"
    r"overcome|bridge|fill|mitigate|alleviate|remedy|close|meet|resolve)[^,]{0,80}|therefore|"
    r"thus|hence|specifically|accordingly|instead|concretely|in response|motivated by[^,]{0,80}|"
    r"building on[^,]{0,80}|inspired by[^,]{0,80}|based on[^,]{0,80}|in particular|first|"
    r"finally|additionally|furthermore|moreover),?\s+)*"
)
_VERBS = {
    "propose": "proposed", "present": "presented", "introduce": "introduced",
    "develop": "developed", "design": "designed", "build": "built", "describe": "described",
    "offer": "offered", "devise": "devised", "put forward": "put forward",
    "conduct": "conducted", "perform": "performed", "provide": "provided",
    "release": "released", "study": "studied", "explore": "explored",
    "investigate": "investigated", "evaluate": "evaluated", "analyze": "analyzed",
    "analyse": "analysed", "benchmark": "benchmarked", "characterize": "characterized",
    "review": "reviewed", "summarize": "summarized", "summarise": "summarised",
    "discuss": "discussed", "examine": "examined", "compare": "compared",
    "quantify": "quantified", "measure": "measured", "identify": "identified",
}  # fmt: skip
_VERB = "|".join(sorted((re.escape(v) for v in _VERBS), key=len, reverse=True))
_WE = re.compile(
    rf"^{_LEAD}we\s+(?:(?:further|first|then|also|thus|therefore|hence|here|now)\s+)?"
    rf"({_VERB})(?:s|d)?\s+(.+)$",
    re.IGNORECASE,
)
_THIS = re.compile(
    rf"^{_LEAD}(?:this|the present|our) (?:paper|work|study|article|survey|thesis)\s+"
    rf"(?:also\s+)?({_VERB})(?:s|es)?\s+(.+)$",
    re.IGNORECASE,
)
_HYPE = re.compile(
    r"\b(an?|the)\s+(?:novel|new|simple yet effective|simple|innovative)(?:\s*,\s*|\s+)"
)
_SECOND_VERB = re.compile(r"^and ([a-z]+)\b")
_PRONOUNS = (
    (re.compile(r"\bwe\b"), "the authors"),
    (re.compile(r"\bWe\b"), "The authors"),
    (re.compile(r"\bour\b"), "their"),
    (re.compile(r"\bOur\b"), "Their"),
    (re.compile(r"\bus\b"), "them"),
)
_PRIORITY = ("propose", "introduce", "present", "develop", "design", "devise", "build")


def _third_person(verb: str) -> str:
    verb = verb.lower()
    if verb == "put forward":
        return "puts forward"
    if verb.endswith(("s", "sh", "ch")):
        return verb + "es"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def _sentences(abstract: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(clean(abstract)) if s.strip()]


def _claim(abstract: str) -> tuple[str, str] | None:
    """(verb, object) of the abstract's first-person contribution sentence, if any."""
    found: list[tuple[int, int, str, str]] = []
    for index, sentence in enumerate(_sentences(abstract)):
        match = _WE.match(sentence) or _THIS.match(sentence)
        if match:
            verb = match.group(1).lower()
            rank = _PRIORITY.index(verb) if verb in _PRIORITY else len(_PRIORITY)
            found.append((0 if rank < len(_PRIORITY) else 1, index, verb, match.group(2)))
    if not found:
        return None
    _, _, verb, obj = min(found)
    return verb, obj


def strip_lead(sentence: str) -> str:
    """A sentence without its leading discourse marker ("In this paper, we ..." -> "we ...")."""
    match = re.match(_LEAD, sentence, re.IGNORECASE)
    return sentence[match.end() :] if match and match.end() else sentence


def _shorten(text: str) -> str:
    words = text.split()
    if len(words) <= _MAX_WORDS:
        return text
    # cut at the last clause boundary that leaves a complete-looking clause
    head = " ".join(words[:_MAX_WORDS])
    cut = max(head.rfind(", "), head.rfind("; "))
    if cut > 0 and len(head[:cut].split()) >= _MIN_CUT_WORDS:
        return head[:cut]
    return ""


def _balanced(text: str) -> bool:
    return text.count("(") == text.count(")") and text.count("[") == text.count("]")


def _name_led(name: str, obj: str, verb: str) -> str | None:
    """'X, which cuts ...' -> 'X cuts ...'; 'X, a framework that ...' -> 'X is a framework ...'."""
    if not obj.lower().startswith(name.lower()):
        pattern = re.compile(
            rf"^(an?|the)\s+(.{{3,120}}?)(?:,\s*|\s+(?:called|named|dubbed|termed)\s+)"
            rf"{re.escape(name)}\b(?:\s*\([^)]*\))?,?\s*(?:(which|that)\s+)?(.*)$",
            re.IGNORECASE,
        )
        match = pattern.match(obj)
        if not match:
            return None
        article, what, relative, tail = match.groups()
        what = what.strip(" ,")
        if relative and tail:
            return f"{name} is {article.lower()} {what} that {tail}"
        return f"{name} is {article.lower()} {what}" + (f", {tail}" if tail else "")
    rest = obj[len(name) :].lstrip()
    rest = re.sub(r"^\([^)]*\)\s*", "", rest)
    relative = re.match(r"^,?\s*(?:which|that)\s+(.+)$", rest)
    if relative:
        return f"{name} {relative.group(1)}"
    apposition = re.match(r"^,\s*((?:an?|the)\s+.+)$", rest)
    if apposition:
        return f"{name} is {apposition.group(1)}"
    if rest.startswith(("to ", "for ", "that ", "as ", "in ", "with ", "on ", "by ")):
        return f"{name} is {_VERBS[verb]} {rest}"
    return None


def contribution_sentence(name: str, abstract: str, plural: bool = False) -> str | None:
    """The abstract's contribution claim as a sentence about ``name`` (no citation, no '.').

    ``plural``: the name takes a plural verb ("Smith et al. propose", "Two papers propose").
    """
    claim = _rewrite(name, _claim(abstract), plural)
    if claim is not None:
        return claim
    return _self_named(name, abstract)


def _self_named(name: str, abstract: str) -> str | None:
    """An abstract sentence already about the paper: 'AWQ+ revisits ... and delivers ...'."""
    pattern = re.compile(rf"^{re.escape(name)}\s+(?:also\s+)?[a-z]+s\b")
    for sentence in _sentences(abstract):
        if pattern.match(sentence):
            text = _shorten(sentence.rstrip(" ."))
            if text and _balanced(text) and len(text.split()) >= 5:
                return text
    return None


def rewrite_sentence(name: str, sentence: str, plural: bool = False) -> str | None:
    """One abstract sentence in the first person ("We propose X ...") about ``name``."""
    match = _WE.match(clean(sentence)) or _THIS.match(clean(sentence))
    if match is None:
        return None
    return _rewrite(name, (match.group(1).lower(), match.group(2)), plural)


def _rewrite(name: str, claim: tuple[str, str] | None, plural: bool) -> str | None:
    if claim is None:
        return None
    verb, obj = claim
    obj = _HYPE.sub(lambda m: m.group(1) + " ", obj.rstrip(" .")).strip()
    for pattern, replacement in _PRONOUNS:
        obj = pattern.sub(replacement, obj)
    if not plural:  # "We present and motivate ..." -> "presents and motivates ..."
        obj = _SECOND_VERB.sub(lambda m: "and " + _third_person(m.group(1)), obj)
    if not obj:
        return None
    led = _name_led(name, obj, verb)
    if led is not None and plural:
        led = led.replace(f"{name} is ", f"{name} are ", 1)
    text = led or f"{name} {verb if plural else _third_person(verb)} {obj}"
    text = _shorten(text).rstrip(" ,;:.")
    if not text or not _balanced(text) or len(text.split()) < 5:
        return None
    return text
