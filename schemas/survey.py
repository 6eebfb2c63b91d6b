"""The synthesize stage's answer: one survey section's prose, checked against its papers.

Validators read the validation context::

    {"allowed_keys": {key, ...},              # keys of the section's papers
     "numbers": {key: {"2.3", "40", ...}},    # number strings of each paper (results, abstract)
     "previous_keys": {key, ...},             # optional: keys cited by the previous version
     "paper_count": 1161,                     # optional: counts up to it ("1,161 papers") pass
     "section": "model.quantization"}         # optional: the expected section id

Without a context (e.g. re-reading cached JSON) only the context-free checks run. Messages are
prompts for the re-ask: what is wrong, how to fix it, an example. A bad key is never "fixed".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from schemas.record import PaperRecord
from schemas.stages import numbers_in

KEY_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_:.+\-]*"
_KEY = re.compile(rf"^{KEY_PATTERN}$")
# A citation group: "[@a]" or "[@a; @b]". Anything else in brackets after "[@" is malformed.
CITATION = re.compile(r"\[@([^\[\]]*)\]")
HTML_TAG = re.compile(r"</?\s*[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--|<!\[CDATA\[")


@dataclass(frozen=True)
class Citation:
    """A parsed citation group, e.g. ``[@a; @b]`` -> keys ("a", "b")."""

    keys: tuple[str, ...]


def parse_citation_group(inner: str) -> tuple[str, ...] | None:
    """Keys of the text between ``[@`` and ``]``; None when it is not ``@key; @key...``."""
    keys: list[str] = []
    for index, part in enumerate(inner.split(";")):
        item = part.strip()
        if index > 0:
            if not item.startswith("@"):
                return None
            item = item[1:]
        if not _KEY.match(item):
            return None
        keys.append(item)
    return tuple(keys)


def split_citations(text: str) -> list[str | Citation]:
    """Split prose into plain-text pieces and citation groups, in order.

    A bracket that starts with ``[@`` but is not a well-formed group stays plain text, so the
    renderers escape it and print it literally.
    """
    pieces: list[str | Citation] = []
    position = 0
    for match in CITATION.finditer(text):
        keys = parse_citation_group(match.group(1))
        if keys is None:
            continue
        if match.start() > position:
            pieces.append(text[position : match.start()])
        pieces.append(Citation(keys))
        position = match.end()
    if position < len(text):
        pieces.append(text[position:])
    return pieces


def cited_keys(text: str) -> list[str]:
    """Keys cited as ``[@key]`` / ``[@a; @b]`` in ``text``, unique, in order of first citation."""
    seen: dict[str, None] = {}
    for piece in split_citations(text):
        if isinstance(piece, Citation):
            for key in piece.keys:
                seen.setdefault(key, None)
    return list(seen)


def malformed_citations(text: str) -> list[str]:
    """Bracket groups that start with ``[@`` but are not ``[@key]`` or ``[@a; @b]``."""
    return [
        match.group(0)
        for match in CITATION.finditer(text)
        if parse_citation_group(match.group(1)) is None
    ]


def text_without_citations(text: str) -> str:
    """The prose with citation groups removed (their keys may contain digits)."""
    return "".join(piece for piece in split_citations(text) if isinstance(piece, str))


_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
# "1,161 papers", "of the 1161 papers", "12 hardware designs": a count of the corpus, not a result.
_COUNT = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)\s+(?:[a-z]+\s+)?"
    r"(?:papers?|abstracts?|surveys?|analys[ie]s|methods?|systems?|designs?|resources?|levels?|leaves)\b"
)


def plain_number(number: str) -> str:
    """One spelling per number: thousands separators dropped ("1,161" -> "1161")."""
    return number.replace(",", "") if _THOUSANDS.match(number) else number


def sentence_numbers(text: str) -> list[str]:
    """The numbers of ``text`` (as `numbers_in` finds them), thousands separators dropped."""
    return [plain_number(n) for n in numbers_in(text)]


def paper_numbers(*texts: str) -> set[str]:
    """Number strings (as `sentence_numbers` finds them) in a paper's title, abstract, results."""
    found: set[str] = set()
    for text in texts:
        found.update(sentence_numbers(text))
    return found


def counts_in(text: str) -> list[tuple[str, int, int]]:
    """Counts of papers ("1,161 papers", "twelve of the 40 methods"): (number, start, end)."""
    return [(plain_number(m.group(1)), m.start(1), m.end(1)) for m in _COUNT.finditer(text)]


def result_numbers(text: str, max_count: int | None) -> list[str]:
    """Numbers a cited paper must support: all but counts of at most ``max_count`` papers."""
    if max_count is None:
        return sentence_numbers(text)
    kept, position = [], 0
    for number, start, end in counts_in(text):
        if int(number) <= max_count:
            kept.append(text[position:start])
            position = end
    return sentence_numbers(" ".join([*kept, text[position:]]))


def record_texts(record: PaperRecord) -> list[str]:
    """The texts a sentence citing this paper may take numbers from: title, abstract, results."""
    texts = [record.title, record.abstract]
    for result in record.results:
        texts += [result.value, result.quote, result.baseline or ""]
    return texts


def section_context(
    section: str,
    records: Iterable[PaperRecord],
    previous: Iterable[str] = (),
) -> dict[str, Any]:
    """The validation context for a section about ``records`` (``previous``: its old sentences)."""
    previous_keys = {key for sentence in previous for key in cited_keys(sentence)}
    return draft_context({r.key: record_texts(r) for r in records}, previous_keys, section)


def draft_context(
    papers: Mapping[str, Iterable[str]],
    previous_keys: Iterable[str] = (),
    section: str | None = None,
) -> dict[str, Any]:
    """The validation context for `SectionDraft` from {key: texts of that paper}."""
    context: dict[str, Any] = {
        "allowed_keys": set(papers),
        "numbers": {key: paper_numbers(*texts) for key, texts in papers.items()},
        "previous_keys": set(previous_keys),
        "paper_count": len(papers),
    }
    if section is not None:
        context["section"] = section
    return context


def _example(context: dict[str, Any]) -> str:
    allowed = sorted(context.get("allowed_keys") or ["key"])
    return f"e.g. 'The method halves memory traffic on GPUs [@{allowed[0]}].'"


class SectionDraft(BaseModel):
    """Prose of one survey section: one sentence per item, citing only the section's papers."""

    model_config = ConfigDict(extra="forbid")

    section: str = Field(description="the section id given in the request, e.g. a leaf id")
    sentences: list[str] = Field(
        min_length=1,
        description="one sentence per item; cite papers as [@key] or [@key1; @key2]",
    )
    paragraph_starts: list[int] = Field(
        default_factory=list,
        description=(
            "0-based indices of the sentences that open a new paragraph, one per family of "
            "work (the first sentence always opens one), e.g. [2, 6, 9]"
        ),
    )

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> SectionDraft:
        context: dict[str, Any] = info.context or {}
        expected = context.get("section")
        if expected is not None and self.section != expected:
            raise ValueError(
                f"`section` is {self.section!r} but this request is for {expected!r}: "
                f"set section to {expected!r} exactly"
            )
        for number, sentence in enumerate(self.sentences, start=1):
            _check_sentence(number, sentence, context)
        _check_paragraphs(self.paragraph_starts, len(self.sentences))
        _check_previous(self.sentences, context)
        return self


def _check_sentence(number: int, sentence: str, context: dict[str, Any]) -> None:
    if not sentence.strip():
        raise ValueError(
            f"sentence {number} is empty: remove it or write one complete sentence, "
            f"{_example(context)}"
        )
    if "\n" in sentence.strip():
        raise ValueError(
            f"sentence {number} contains a line break: put exactly one sentence in each item "
            "of `sentences`, without line breaks"
        )
    tag = HTML_TAG.search(sentence)
    if tag:
        raise ValueError(
            f"sentence {number} contains markup {tag.group(0)!r}: write plain text only, "
            f"no HTML tags, links or formatting, {_example(context)}"
        )
    bad = malformed_citations(sentence)
    if bad:
        raise ValueError(
            f"sentence {number} has a malformed citation {bad[0]!r}: cite as [@key] for one paper "
            "or [@key1; @key2] for several, with keys exactly as given"
        )
    keys = cited_keys(sentence)
    allowed: set[str] | None = context.get("allowed_keys")
    if allowed is not None:
        unknown = [key for key in keys if key not in allowed]
        if unknown:
            valid = ", ".join(sorted(allowed))
            raise ValueError(
                f"sentence {number} cites {', '.join('@' + k for k in unknown)}, which "
                f"{'is' if len(unknown) == 1 else 'are'} not a paper of this section. "
                f"Cite only these keys, exactly as written: {valid}. Do not invent or alter "
                f"keys; drop the claim if no listed paper supports it, {_example(context)}"
            )
    numbers: dict[str, set[str]] | None = context.get("numbers")
    if numbers is not None and keys:
        supported: set[str] = set()
        for key in keys:
            supported |= numbers.get(key, set())
        unsupported = [
            n
            for n in result_numbers(text_without_citations(sentence), context.get("paper_count"))
            if n not in supported
        ]
        if unsupported:
            raise ValueError(
                f"sentence {number} states the number(s) {', '.join(unsupported)}, which do not "
                f"appear in the results or abstract of the paper(s) it cites "
                f"({', '.join('@' + k for k in keys)}). Use only numbers reported by the cited "
                "paper, copied exactly (e.g. write '2.3x' only if the cited paper reports 2.3x), "
                "or remove the number"
            )


def _check_paragraphs(starts: list[int], count: int) -> None:
    bad = [index for index in starts if not 0 < index < count]
    if bad or starts != sorted(set(starts)):
        raise ValueError(
            f"`paragraph_starts` is {starts}: list, in increasing order and without repeats, "
            f"the 0-based indices (between 1 and {count - 1}) of the sentences that open a new "
            "paragraph, e.g. [2, 6] for paragraphs starting at the third and seventh sentence"
        )


def _check_previous(sentences: list[str], context: dict[str, Any]) -> None:
    previous: set[str] = set(context.get("previous_keys") or ())
    allowed: set[str] | None = context.get("allowed_keys")
    if allowed is not None:
        previous &= allowed  # a paper that left the section may be dropped
    if not previous:
        return
    cited: set[str] = set()
    for sentence in sentences:
        cited.update(cited_keys(sentence))
    dropped = sorted(previous - cited)
    if dropped:
        raise ValueError(
            f"the previous version of this section cited {', '.join('@' + k for k in dropped)} "
            "and the new version does not: keep at least one sentence citing each of them "
            f"(keep the previous sentence as it was if it still holds), e.g. "
            f"'... [@{dropped[0]}].'"
        )


# What a model sees of a classified paper when it writes a section (the section request).
def compact(record: PaperRecord, abstract: bool = True) -> dict[str, Any]:
    """What a model sees of a classified paper when writing prose about it."""
    return {
        "key": record.key,
        "title": record.title,
        "abstract": record.abstract if abstract else "",
        "year": record.year,
        "authors": record.authors,
        "authors_count": record.authors_count,
        "upvotes": record.upvotes,
        "kind": record.kind,
        "primary": record.primary,
        "leaves": record.leaves,
        "evidence": record.evidence,
        "techniques": record.techniques,
        "models": record.models,
        "hardware": record.hardware,
        "results": [r.model_dump(mode="json") for r in record.results],
    }


def record_from_compact(data: dict[str, Any]) -> PaperRecord:
    """The inverse of `compact`, for the local model (which writes from records)."""
    leaves = list(data.get("leaves") or [])
    results = list(data.get("results") or [])
    # A result's metric may come from the paper's title ("outperforms vLLM by 2x" in a
    # "Throughput-oriented ..." paper): its validator reads the title from the context, and the
    # quote may come from an abstract the request leaves out.
    text = " ".join([data.get("abstract") or "", *(str(r.get("quote", "")) for r in results)])
    context = {"papers": {data["key"]: {"title": data["title"], "abstract": text}}}
    fields = dict(
        id=data["key"],
        key=data["key"],
        title=data["title"],
        abstract=data.get("abstract") or "",
        sources=[],
        year=data.get("year"),
        authors=data.get("authors") or [],
        authors_count=data.get("authors_count"),
        upvotes=data.get("upvotes"),
        relevant=True,
        kind=data.get("kind"),
        primary=data.get("primary"),
        leaves=leaves,
        levels=sorted({leaf.split(".", 1)[0] for leaf in leaves}),
        evidence=data.get("evidence") or {},
        techniques=data.get("techniques") or [],
        models=data.get("models") or [],
        hardware=data.get("hardware") or [],
        results=results,
    )
    return PaperRecord.model_validate(fields, context=context)
