"""A leaf section written as the families of work inside it, one paragraph per family.

A paragraph opens with the family's definition (from taxonomy.yaml), gives each paper one
sentence drawn from its own contribution sentence ("We propose X, which ..." -> "X ... [@x]"),
and closes with what the numbers say where two papers report the same kind of metric in the
same unit. Nothing is said about comparability here: the introduction says it once.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Sequence

from pipeline.local_model.contribution import (
    contribution_sentence,
    rewrite_sentence,
    strip_lead,
)
from pipeline.local_model.families import FamilyGroup, assign_families
from schemas.names import (
    clean,
    count_words,
    join_words,
    lower_name,
    metric_family,
    short_name,
    truncate,
)
from schemas.record import PaperRecord
from schemas.survey import HTML_TAG, paper_numbers, record_texts, sentence_numbers
from schemas.taxonomy import Leaf

_MAX_COMPARED = 4
_TOPIC_WORDS = 7
_MAX_COMPARISONS = 2
_TITLE_CHARS = 140
_GENRE = re.compile(
    r"^(?:towards?\s+)?(?:(?:an?|the)?\s*(?:survey|review|study|analysis|overview|"
    r"characteri[sz]ation)\s+(?:of|on)\s+)?",
    re.IGNORECASE,
)
_TRAILING = frozenset(
    ("a", "an", "the", "of", "for", "to", "in", "on", "with", "by", "via", "and", "or", "from",
     "using", "towards", "toward")
)  # fmt: skip


def inert(text: str) -> str:
    """Paper text made unable to act as a citation or markup in our prose (it stays data)."""
    return clean(HTML_TAG.sub(" ", text)).replace("[@", "[ @")


def cite(keys: Sequence[str]) -> str:
    return "[" + "; ".join(f"@{key}" for key in dict.fromkeys(keys)) + "]"


def is_named(record: PaperRecord) -> bool:
    """Whether the paper has a short method name or authors to be called by (not a title)."""
    head, sep, _ = clean(record.title).partition(":")
    return bool(sep and short_name(record) == head.strip()) or bool(record.authors)


def _supported(record: PaperRecord) -> Callable[[str], bool]:
    numbers = paper_numbers(*record_texts(record))
    return lambda text: all(n in numbers for n in sentence_numbers(text))


def _quote_sentence(quote: str, subject: str) -> str | None:
    """The quote rewritten about ``subject`` if it is a first-person claim, else quoted."""
    quote = inert(quote).rstrip(" .")
    if len(quote.split()) < 5:
        return None
    rewritten = rewrite_sentence(subject, quote, plural=subject.endswith("et al."))
    if rewritten is not None:
        return rewritten
    quote = strip_lead(quote)
    quote = quote[:1].upper() + quote[1:] if quote[:1].islower() else quote
    return f"{subject} {'state' if subject.endswith('et al.') else 'states'} that “{quote}”"


def _abstract_sentences(record: PaperRecord) -> list[str]:
    """Abstract sentences of at most 40 words: those naming the paper first, then the rest."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", inert(record.abstract))]
    sentences = [s for s in sentences if 5 <= len(s.split()) <= 40]
    name = inert(short_name(record)).lower()
    return sorted(sentences, key=lambda s: name not in s.lower())


def _leaf_order(record: PaperRecord) -> list[str]:
    """The paper's leaves, primary first: its full sentence goes to the first one."""
    primary = record.primary if record.primary in record.leaves else None
    others = sorted(leaf for leaf in record.leaves if leaf != primary)
    return ([primary] if primary else []) + others


def paper_sentence(record: PaperRecord, leaf_id: str, subject: str, leaf_name: str = "") -> str:
    """One sentence on what the paper contributes, about ``subject``, citing it.

    In its primary leaf a paper gets its contribution sentence; in its other leaves the quote
    that placed it there, or its title, so that no sentence repeats across sections.
    """
    plural = subject.endswith("et al.")
    ok = _supported(record)
    title = truncate(inert(record.title), _TITLE_CHARS).rstrip(" .")
    claim = contribution_sentence(subject, inert(record.abstract), plural=plural)
    candidates = [claim if claim is not None and ok(claim) else None]
    for leaf in _leaf_order(record) or [leaf_id]:
        candidates.append(_quote_sentence(record.evidence.get(leaf, ""), subject))
    for sentence in _abstract_sentences(record):
        candidates.append(_quote_sentence(sentence, subject))
    candidates.append(f"{subject} {'contribute' if plural else 'contributes'} “{title}”")
    order = _leaf_order(record)
    position = order.index(leaf_id) if leaf_id in order else 0
    chosen: list[str] = []
    for candidate in candidates:
        if candidate is not None and candidate not in chosen:
            chosen.append(candidate)
    if position >= len(chosen) and leaf_name:
        verb = "touch" if plural else "touches"
        return f"{subject} also {verb} on {lower_name(leaf_name)} {cite([record.key])}."
    sentence = chosen[min(position, len(chosen) - 1)]
    return f"{sentence} {cite([record.key])}."


def _unit(value: str) -> str:
    lowered = value.lower()
    if "%" in lowered or "percent" in lowered:
        return "%"
    if re.search(r"\d\s*[x×]|times|fold", lowered):
        return "x"
    return "other"


# Fixed words stay short (fewer than five between commas), so no clause repeats across leaves.
_COMPARISON_FORMS = (
    "On {metric}, they report {parts} {cites}.",
    "In {metric}, the figures are {parts} {cites}.",
    "Compared on {metric}: {parts} {cites}.",
)


def comparison_sentences(group: Sequence[PaperRecord], salt: str) -> list[str]:
    """Sentences comparing papers of one family on the same metric kind and unit."""
    by_metric: dict[tuple[str, str], list[tuple[PaperRecord, str]]] = {}
    for paper in group:
        ok = _supported(paper)
        for result in paper.results:
            metric = metric_family(inert(result.metric))
            value = inert(result.value)
            if not metric or not ok(value):
                continue
            entries = by_metric.setdefault((metric, _unit(value)), [])
            if all(p.key != paper.key for p, _ in entries):
                baseline = inert(result.baseline or "")
                shown = value + (f"; baseline {baseline}" if baseline and ok(baseline) else "")
                entries.append((paper, shown))
    sentences: list[str] = []
    shared = sorted(
        ((metric, unit), entries) for (metric, unit), entries in by_metric.items()
        if len(entries) >= 2
    )  # fmt: skip
    # the metrics most papers of the family report, at most _MAX_COMPARISONS of them
    shared = sorted(shared, key=lambda item: -len(item[1]))[:_MAX_COMPARISONS]
    for (metric, _), entries in sorted(shared):
        entries = entries[:_MAX_COMPARED]
        hardware = {tuple(p.hardware[:1]) for p, _ in entries}
        parts = []
        for paper, shown in entries:
            where = ""
            if len(hardware) > 1 and paper.hardware and _supported(paper)(paper.hardware[0]):
                where = f"; {inert(paper.hardware[0])}"
            parts.append(f"{_subject_name(paper)} ({shown}{where})")
        form = _COMPARISON_FORMS[zlib.crc32(f"{salt}:{metric}".encode()) % len(_COMPARISON_FORMS)]
        sentences.append(
            form.format(
                metric=metric, parts=join_words(parts), cites=cite([p.key for p, _ in entries])
            )
        )
    return sentences


def _subject_name(record: PaperRecord) -> str:
    """A short handle for a comparison: the name, else the title's first words in quotes."""
    if is_named(record):
        return inert(short_name(record))
    words = inert(record.title).split()
    return "“" + " ".join(words[:4]) + ("…”" if len(words) > 4 else "”")


def topic(record: PaperRecord) -> str:
    """The title as a lower-case noun phrase: 'Efficient Hybrid Zoom using ...' -> 'efficient
    hybrid zoom using ...' (acronyms and mixed-case names keep their case)."""
    title = inert(record.title).rstrip(" .?!")
    head, colon, tail = title.partition(":")
    title = head if colon and len(head.split()) > 1 else title
    title = re.split(r"[,;(?]", title, maxsplit=1)[0].strip() or title
    title = _GENRE.sub("", title) or title
    words = []
    for word in title.split()[:_TOPIC_WORDS]:
        keep = any(ch.isupper() for ch in word[1:]) or any(ch.isdigit() for ch in word)
        words.append(word if keep else word.lower())
    while len(words) > 2 and words[-1].strip(":,;") in _TRAILING:
        words.pop()
    return " ".join(words).rstrip(":,;")


def subjects_of(papers: Sequence[PaperRecord]) -> dict[str, str]:
    """Each paper's subject: its name, else the paper or study named by its topic."""
    subjects: dict[str, str] = {}
    for paper in papers:
        if is_named(paper):
            subjects[paper.key] = inert(short_name(paper))
        else:
            noun = {"survey": "A survey of", "analysis": "A study of"}.get(
                paper.kind or "", "A paper on"
            )
            subjects[paper.key] = f"{noun} {topic(paper)}"
    return subjects


def _overview(leaf: Leaf, groups: Sequence[FamilyGroup], total: int) -> str | None:
    named = [g for g in groups if g.family is not None]
    name = lower_name(leaf.name)
    if total < 2:
        return None
    if not named:
        return f"The {count_words(total)} on {name} do not yet form distinct families."
    parts = [f"{lower_name(g.name)} ({len(g.papers)})" for g in named]
    rest = sum(len(g.papers) for g in groups if g.family is None)
    if rest:
        parts.append(f"other approaches ({rest})")
    return f"The {count_words(total)} on {name} fall into {join_words(parts)}."


def _opening(leaf: Leaf) -> str:
    description = clean(leaf.description).rstrip(".")
    if len(description) > 1 and not description[1].isupper():
        description = description[0].lower() + description[1:]
    return f"This section covers {lower_name(leaf.name)}: {description}."


def family_paragraphs(leaf: Leaf, papers: Sequence[PaperRecord]) -> list[list[str]]:
    """The leaf's prose as paragraphs: an overview, then one paragraph per family."""
    groups = assign_families(leaf, papers)
    overview = _overview(leaf, groups, len(papers))
    paragraphs = [[_opening(leaf)] + ([overview] if overview else [])]
    several = any(g.family is not None for g in groups)
    for group in groups:
        sentences: list[str] = []
        if group.family is not None:
            sentences.append(clean(group.family.definition))
        elif several:
            sentences.append(
                f"Other work on {lower_name(leaf.name)} does not share one of these families."
            )
        subjects = subjects_of(group.papers)
        for paper in group.papers:
            sentences.append(paper_sentence(paper, leaf.id, subjects[paper.key], leaf.name))
        sentences += comparison_sentences(group.papers, f"{leaf.id}.{group.id}")
        paragraphs.append(sentences)
    return paragraphs
