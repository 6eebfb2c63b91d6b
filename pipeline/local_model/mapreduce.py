"""The embedded model's side of map-reduce synthesis: parts of sections, notes, summaries.

Used only when a request with all the papers would not fit the model's ceiling. A large section
arrives in parts (``"part": [k, n]``): each part is written like a section of its own (family
paragraphs, leaf_prose.py), and only the first opens the section. The challenges come in two
steps: notes on batches of papers ("Note on <topic>: <n> papers ..."), one per tension of
overview.py that the batch's abstracts state, merged by topic (counts added, first citations
kept), then the section from the merged notes, the section summaries and the corpus counts.
The introduction and the conclusion are written from the summaries and corpus counts alone.
Nothing is ranked by upvotes (most papers have none).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.local_model import synthesis
from pipeline.local_model.leaf_prose import cite, inert
from pipeline.local_model.overview import MIN_TENSION, TENSIONS, gap_sentences
from schemas.names import capitalize, clean, count_words, join_words, lower_name, number_word
from schemas.record import PaperRecord, SectionText
from schemas.survey import cited_keys
from schemas.taxonomy import Taxonomy

# One topic per tension of overview.TENSIONS, in the same order.
_TOPICS = ("accuracy trade-offs", "latency and throughput", "hardware support", "memory bandwidth")
_NOTE = re.compile(r"^Note on (?P<topic>[a-z -]+): (?P<count>[\d,]+) papers? ")
_MAX_CITED = 6


def _without(text: SectionText, drop: set[int]) -> SectionText:
    """``text`` less the sentences at ``drop``, its paragraph starts moved to match."""
    kept = [i for i in range(len(text.sentences)) if i not in drop]
    position = {old: new for new, old in enumerate(kept)}
    starts = sorted(
        {position[i] for i in text.paragraph_starts if i in position and position[i] > 0}
    )
    return SectionText(
        section=text.section, sentences=[text.sentences[i] for i in kept], paragraph_starts=starts
    )


def write_part(
    kind: str,
    section: str,
    taxonomy: Taxonomy,
    records: Sequence[PaperRecord],
    previous: SectionText | None,
    part: Sequence[int],
    kinds: Mapping[str, int],
) -> SectionText:
    """Part ``part[0]`` of ``part[1]`` of a leaf or of the surveys section."""
    if kind == "surveys":
        text = _without(synthesis.write_surveys_section(records, taxonomy), {0})
        if part[0] != 1:  # this part's own lead counted only its papers
            return text
        surveys = kinds.get("survey", 0)
        analyses = sum(kinds.values()) - surveys
        lead = (
            f"{capitalize(count_words(surveys, 'survey'))} and "
            f"{count_words(analyses, 'analysis', 'analyses')} map or measure the field "
            "rather than propose a single technique."
        )
        return SectionText(
            section=section,
            sentences=[lead, *text.sentences],
            paragraph_starts=[1] + [i + 1 for i in text.paragraph_starts],
        )
    leaf = taxonomy.leaf(section)
    text = synthesis.write_section(leaf, records, previous)
    if previous is not None and previous.sentences:
        return text  # kept sentences are already this part's own
    # The opening paragraph (the leaf's description and its overview of this part's papers'
    # families): only the first part opens the section, and no part counts the whole leaf.
    first = text.paragraph_starts[0] if text.paragraph_starts else len(text.sentences)
    drop = set(range(1 if part[0] == 1 else 0, first))
    trimmed = _without(text, drop)
    return trimmed if trimmed.sentences else text


def write_notes(records: Sequence[PaperRecord]) -> list[str]:
    """One note per tension that abstracts of this batch state, with their count."""
    ordered = sorted(records, key=lambda r: (r.year if r.year is not None else 9999, r.key))
    notes = []
    for topic, (pattern, _) in zip(_TOPICS, TENSIONS, strict=True):
        hits = [p.key for p in ordered if pattern.search(p.abstract)]
        if hits:
            notes.append(_note(topic, len(hits), hits))
    return notes


def merge_notes(notes: Sequence[str]) -> list[str]:
    """Notes on the same topic as one: counts added, the first citations kept."""
    counts, keys = _tally(notes)
    return [_note(topic, counts[topic], keys[topic]) for topic in _TOPICS if topic in counts]


def _tally(notes: Sequence[str]) -> tuple[dict[str, int], dict[str, list[str]]]:
    counts: dict[str, int] = {}
    keys: dict[str, list[str]] = {}
    for note in notes:
        match = _NOTE.match(note)
        if match is None:  # not a note of ours: nothing to add up
            continue
        topic = match["topic"]
        counts[topic] = counts.get(topic, 0) + int(match["count"].replace(",", ""))
        keys.setdefault(topic, []).extend(cited_keys(note))
    return counts, keys


def _note(topic: str, count: int, keys: Sequence[str]) -> str:
    return f"Note on {topic}: {count:,} papers raise it, e.g. {cite(list(keys)[:_MAX_CITED])}."


def write_challenges(
    corpus: Mapping[str, Any],
    summaries: Sequence[Mapping[str, Any]],
    notes: Sequence[str],
    taxonomy: Taxonomy,
) -> SectionText:
    """Open problems from the merged notes, the sections' sizes and the corpus counts."""
    sentences: list[str] = []
    counts, keys = _tally(notes)
    for topic, (_, template) in zip(_TOPICS, TENSIONS, strict=True):
        if counts.get(topic, 0) >= MIN_TENSION:
            cites = cite(list(dict.fromkeys(keys[topic]))[:_MAX_CITED])
            sentences.append(template.format(n=number_word(counts[topic]), cites=cites))
    sizes = {s["section"]: s for s in summaries}
    empty = [lower_name(leaf.name) for leaf in taxonomy.leaves if leaf.id not in sizes]
    single = [
        (lower_name(leaf.name), sizes[leaf.id]["notable"][0]["key"])
        for leaf in taxonomy.leaves
        if leaf.id in sizes and sizes[leaf.id]["papers"] == 1 and sizes[leaf.id]["notable"]
    ]
    sentences += gap_sentences(empty, single)
    if len(taxonomy.levels) > 1:
        spanning = int(corpus.get("spanning_levels", 0))
        examples = list(corpus.get("spanning_examples", []))
        if spanning and examples:
            sentences.append(
                f"Only {count_words(spanning)} {'combines' if spanning == 1 else 'combine'} "
                f"contributions at all {count_words(len(taxonomy.levels), 'level')} of the "
                f"stack, so end-to-end co-design is rare "
                f"{cite(examples)}."
            )
        else:
            sentences.append(
                "No paper combines contributions at every level of the stack, so "
                "end-to-end co-design remains open."
            )
    total, without = int(corpus.get("papers", 0)), int(corpus.get("without_results", 0))
    if total and without:
        sentences.append(
            f"{capitalize(number_word(without))} of the {total:,} papers report no "
            f"quantitative result in their abstract, which makes "
            f"{'it' if without == 1 else 'them'} hard to compare."
        )
    if not sentences:
        sentences.append("The collection is still too small to identify open problems.")
    return SectionText(section="challenges", sentences=sentences)


def write_introduction(
    corpus: Mapping[str, Any], summaries: Sequence[Mapping[str, Any]], taxonomy: Taxonomy
) -> SectionText:
    """Scope, counts per level, the largest leaves, notable papers and the time span."""
    levels = [lower_name(level.name) for level in taxonomy.levels]
    sentences = [
        f"This survey collects {count_words(int(corpus.get('papers', 0)))} on efficient machine "
        f"learning and organises them by the part of the stack they optimise: "
        f"{join_words(levels)}."
    ]
    sentences += [inert(s) for s in re.split(r"(?<=[.!?])\s+", clean(taxonomy.relevance)) if s]
    sizes = {s["section"]: s for s in summaries}
    level_counts: Mapping[str, int] = corpus.get("levels", {})
    for level in taxonomy.levels:
        members = int(level_counts.get(level.id, 0))
        if not members:
            sentences.append(
                f"No paper of the corpus is classified under {lower_name(level.name)}."
            )
            continue
        leaf_sizes = [
            (int(sizes[leaf.id]["papers"]) if leaf.id in sizes else 0, leaf.name)
            for leaf in level.leaves
        ]
        used = sum(1 for size, _ in leaf_sizes if size)
        top_size, top_name = sorted(leaf_sizes, key=lambda item: (-item[0], item[1]))[0]
        sentences.append(
            f"{level.name} account for {count_words(members)} across "
            f"{number_word(used)} of its {number_word(len(level.leaves))} leaves; "
            f"the largest leaf is {lower_name(top_name)} with {count_words(top_size)}."
        )
        notable = [
            paper["key"]
            for leaf in level.leaves
            if leaf.id in sizes
            for paper in sizes[leaf.id]["notable"][:1]
        ]
        if notable:
            sentences.append(
                f"Among the best-supported papers of this level (most reported results) are "
                f"{cite(notable[:3])}."
            )
    if len(taxonomy.levels) > 1:
        sentences.append(
            "A paper can belong to several leaves and levels, so these counts overlap."
        )
    years: Mapping[str, int] = corpus.get("years", {})
    if years:
        first, last = min(years), max(years)
        peak = max(sorted(years), key=lambda y: years[y])
        span = f"between {first} and {last}" if first != last else f"in {first}"
        sentences.append(
            f"The papers were published {span}, most of them ({years[peak]:,}) in {peak}."
        )
    return SectionText(section="introduction", sentences=sentences)


def write_conclusion(
    corpus: Mapping[str, Any], summaries: Sequence[Mapping[str, Any]], taxonomy: Taxonomy
) -> SectionText:
    """Where the corpus is dense and where it is thin (leaves, from the summaries)."""
    total = int(corpus.get("papers", 0))
    if not total:
        return SectionText(section="conclusion", sentences=["The corpus holds no paper yet."])
    leaves = {leaf.id: leaf for leaf in taxonomy.leaves}
    sized = sorted(
        (s for s in summaries if s["section"] in leaves and s["papers"]),
        key=lambda s: (-int(s["papers"]), s["section"]),
    )
    sentences = []
    if sized:
        top = sized[0]
        keys = [paper["key"] for paper in top["notable"][:3]]
        sentences.append(
            f"Work in this collection concentrates on {lower_name(leaves[top['section']].name)}, "
            f"with {count_words(int(top['papers']))}" + (f" {cite(keys)}." if keys else ".")
        )
        thin = [s for s in sized[1:] if int(s["papers"]) <= 2][-3:]
        if thin:
            names = [lower_name(leaves[s["section"]].name) for s in thin]
            keys = [paper["key"] for s in thin for paper in s["notable"][:2]]
            sentences.append(
                f"By contrast, {join_words(names)} rest on at most two papers each"
                + (f" {cite(keys)}." if keys else ".")
            )
    with_results = total - int(corpus.get("without_results", 0))
    sentences.append(
        f"{capitalize(count_words(with_results))} of the {number_word(total)} state a "
        "quantitative result in their abstract; a benchmark shared across families is what "
        "this corpus lacks most."
    )
    return SectionText(section="conclusion", sentences=sentences)
