"""The introduction and the challenges section: what the corpus covers and what it leaves open.

The introduction synthesises across leaves: coverage per level, the dominant and thin families
of each level, change over time among the dated papers, the tensions the abstracts state (with
citations), and the one statement on how far the quoted figures are comparable. The challenges
section groups the abstracts' own limitation and future-work sentences by theme, each cited.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from pipeline.local_model.families import assign_families
from pipeline.local_model.leaf_prose import cite, inert, subjects_of
from schemas.names import (
    capitalize,
    clean,
    count_words,
    join_words,
    lower_name,
    number_word,
)
from schemas.record import PaperRecord, SectionText
from schemas.taxonomy import Taxonomy

_MAX_CITED = 6
_THIN = 2
_QUOTE_VERBS = ("notes", "observes")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")

# (cue stems, the tension as the introduction states it)
_TENSIONS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("accuracy loss", "accuracy degradation", "accuracy drop", "quality loss", "degradation",
      "without sacrificing", "negligible loss", "trade-off between", "tradeoff between",
      "at the cost of"),
     "Compression is weighed against accuracy throughout: {n} abstracts name the loss in "
     "quality that cheaper models risk, or the trade-off itself {cites}."),
    (("latency and throughput", "throughput and latency", "latency-throughput",
      "throughput-latency", "tail latency", "slo", "slos", "service level objective"),
     "Serving work states a tension between latency and throughput, visible in {n} abstracts "
     "that target service-level objectives or tail latency {cites}."),
    (("hardware support", "specialized hardware", "specialised hardware", "dedicated hardware",
      "custom hardware", "hardware-friendly", "kernel support", "unstructured sparsity",
      "irregular"),
     "Several gains hold only with matching hardware: {n} abstracts point to kernels, sparse "
     "formats or dedicated units needed to turn savings into speed {cites}."),
    (("memory-bound", "memory bound", "memory bandwidth", "memory wall"),
     "Memory bandwidth rather than arithmetic bounds many workloads, as {n} abstracts "
     "observe {cites}."),
)  # fmt: skip

# (theme, cue stems) for limitation and future-work sentences
_THEMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Accuracy under aggressive compression",
     ("accuracy", "quality", "degrad", "perplexity", "performance drop")),
    ("Memory and bandwidth limits",
     ("memory", "bandwidth", "kv cache", "footprint")),
    ("Hardware and kernel support",
     ("hardware", "kernel", "accelerator", "gpu", "support")),
    ("Generalisation across models, tasks and devices",
     ("generaliz", "generalis", "heterogeneous", "portab", "different models", "diverse")),
    ("Long contexts and scale",
     ("long context", "long-context", "sequence length", "scal")),
    ("Energy and cost",
     ("energy", "power", "carbon", "cost")),
    ("Evaluation and benchmarks",
     ("benchmark", "evaluation", "metric", "reproduc")),
)  # fmt: skip
_LIMITATION = re.compile(
    r"\b(however|limitation|remains? (?:a |an )?(?:challenge|challenging|open|unclear|"
    r"underexplored|unexplored|difficult)|open (?:problem|question|challenge)|future "
    r"(?:work|research|direction)|still (?:suffer|lack|require|face)|lack of|overlooked|"
    r"little attention|not yet|struggle|bottleneck|suffer)",
    re.IGNORECASE,
)


def _relevant(records: Sequence[PaperRecord]) -> list[PaperRecord]:
    ranked = (r for r in records if r.relevant is True)
    return sorted(ranked, key=lambda r: (r.year if r.year is not None else 9999, r.key))


def _in_leaf(papers: Sequence[PaperRecord], leaf_id: str) -> list[PaperRecord]:
    return [p for p in papers if leaf_id in p.leaves]


def _level_sentences(papers: Sequence[PaperRecord], taxonomy: Taxonomy) -> list[str]:
    sentences: list[str] = []
    for level in taxonomy.levels:
        members = [p for p in papers if any(leaf.id in p.leaves for leaf in level.leaves)]
        name = lower_name(level.name)
        if not members:
            sentences.append(f"No paper of the corpus is classified under {name}.")
            continue
        sizes = sorted(
            ((len(_in_leaf(papers, leaf.id)), lower_name(leaf.name)) for leaf in level.leaves),
            key=lambda item: (-item[0], item[1]),
        )
        big = [f"{leaf} ({size})" for size, leaf in sizes[:2] if size]
        thin = [leaf for size, leaf in sizes[2:] if 0 < size <= _THIN]
        sentence = (
            f"{capitalize(name)} gather {count_words(len(members))}, most of them on "
            f"{join_words(big)}"
        )
        if thin:
            sentence += f", while {join_words(thin)} {'has' if len(thin) == 1 else 'have'} "
            sentence += f"at most {count_words(_THIN)}"
        sentences.append(sentence + ".")
        families: list[tuple[int, str, str, list[str]]] = []
        for leaf in level.leaves:
            for group in assign_families(leaf, _in_leaf(papers, leaf.id)):
                if group.family is not None:
                    keys = [p.key for p in group.papers]
                    families.append((len(keys), group.name, lower_name(leaf.name), keys))
        families.sort(key=lambda item: (-item[0], item[1]))
        if families:
            top = families[:2]
            # counts in words: a digit in a cited sentence must be a number of the cited paper
            named = [
                f"{lower_name(n)} in {leaf} ({number_word(size)} papers)"
                for size, n, leaf, _ in top
            ]
            keys = [key for *_, ks in top for key in ks[:3]]
            sentences.append(
                f"The largest families at this level are {join_words(named)} {cite(keys)}."
            )
    return sentences


def _time_sentence(papers: Sequence[PaperRecord], taxonomy: Taxonomy) -> str | None:
    dated = [p for p in papers if p.year is not None]
    if len(dated) < 4:
        return None
    years = sorted(p.year for p in dated if p.year is not None)
    median = years[len(years) // 2]
    span = f"{years[0]} to {years[-1]}"
    lead = f"Only {len(dated)} of the {len(papers)} papers carry a date ({span})"
    if len(dated) == len(papers):
        lead = f"All papers carry a date ({span})"
    leaders = []
    for part in (
        [p for p in dated if (p.year or 0) < median],
        [p for p in dated if (p.year or 0) >= median],
    ):
        counts = Counter(taxonomy.level_of(p.primary) for p in part if p.primary)
        leaders.append(counts.most_common(1)[0][0] if counts else None)
    names = {level.id: lower_name(level.name) for level in taxonomy.levels}
    early, late = leaders
    if early and late and early != late:
        trend = (
            f"; before {median} most dated papers are {names.get(early, early)}, from {median} "
            f"most are {names.get(late, late)}"
        )
    elif late:
        trend = f"; {names.get(late, late)} lead both before and from {median}"
    else:
        trend = ""
    if len(dated) * 2 <= len(papers):  # most papers undated: no trend is claimed
        return f"{lead}, too few to read a trend for the corpus."
    return f"{lead}{trend}."


def _cue_pattern(cues: Sequence[str]) -> re.Pattern[str]:
    # cues are word starts ("degrad" matches "degradation"); short ones are whole words
    alternatives = [re.escape(c) + (r"\b" if len(c) <= 4 else "") for c in cues]
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")", re.IGNORECASE)


# (abstract pattern, sentence template): also what map-reduce notes count (mapreduce.py)
TENSIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (_cue_pattern(cues), template) for cues, template in _TENSIONS
)
MIN_TENSION = 2  # abstracts that must state a tension before the introduction names it


def _tension_sentences(papers: Sequence[PaperRecord]) -> list[str]:
    sentences = []
    for pattern, template in TENSIONS:
        hits = [p for p in papers if pattern.search(p.abstract)]
        if len(hits) >= MIN_TENSION:
            keys = [p.key for p in hits[:_MAX_CITED]]
            sentences.append(template.format(n=number_word(len(hits)), cites=cite(keys)))
    return sentences


def write_introduction(records: Sequence[PaperRecord], taxonomy: Taxonomy) -> SectionText:
    """Scope, coverage per level, dominant and thin families, time, tensions, comparability."""
    papers = _relevant(records)
    levels = [lower_name(level.name) for level in taxonomy.levels]
    sentences = [
        f"This survey collects {count_words(len(papers))} on efficient machine learning and "
        f"organises them by the part of the stack they optimise: {join_words(levels)}."
    ]
    sentences += [s for s in _SENTENCE.split(clean(taxonomy.relevance)) if s]
    starts = [len(sentences)]
    sentences += _level_sentences(papers, taxonomy)
    if len(taxonomy.levels) > 1:
        sentences.append("A paper can sit in several leaves and levels, so these counts overlap.")
    timing = _time_sentence(papers, taxonomy)
    tensions = _tension_sentences(papers)
    if timing or tensions:
        starts.append(len(sentences))
        sentences += ([timing] if timing else []) + tensions
    starts.append(len(sentences))
    sentences.append(
        "Every figure quoted in this survey is the cited paper's own, measured against its own "
        "baseline, model and hardware; figures are set side by side only within a family and "
        "for the same kind of metric, and even then they indicate rather than establish which "
        "approach is faster or smaller."
    )
    return SectionText(section="introduction", sentences=sentences, paragraph_starts=starts)


def _limitations(paper: PaperRecord) -> list[str]:
    sentences = _SENTENCE.split(clean(paper.abstract))
    return [inert(s) for s in sentences[1:] if _LIMITATION.search(s)] or [
        inert(s) for s in sentences[:1] if _LIMITATION.search(s)
    ]


def write_challenges(records: Sequence[PaperRecord], taxonomy: Taxonomy) -> SectionText:
    """Open problems from the abstracts' limitation and future-work sentences, by theme."""
    papers = _relevant(records)
    by_theme: dict[str, list[tuple[PaperRecord, str]]] = {}
    for paper in papers:
        for sentence in _limitations(paper):
            lowered = sentence.lower()
            theme = next((t for t, cues in _THEMES if any(c in lowered for c in cues)), None)
            if theme is not None:
                entries = by_theme.setdefault(theme, [])
                if all(p.key != paper.key for p, _ in entries):
                    entries.append((paper, sentence))
                break
    sentences: list[str] = []
    starts: list[int] = []
    for theme, _ in _THEMES:
        entries = by_theme.get(theme, [])
        if len(entries) < 2:
            continue
        if sentences:
            starts.append(len(sentences))
        keys = [p.key for p, _ in entries]
        sentences.append(
            f"{theme} is raised as an open limitation by {count_words(len(entries), 'abstract')} "
            f"{cite(keys[:_MAX_CITED])}."
        )
        quoted = 0
        for paper, quote in entries:
            words = quote.rstrip(" .").split()
            if quoted == 2 or len(words) > 40:
                continue
            name = subjects_of([paper])[paper.key]
            verb = _QUOTE_VERBS[quoted % len(_QUOTE_VERBS)]
            verb = verb[:-1] if name.endswith("et al.") else verb
            sentences.append(f"{name} {verb} that “{' '.join(words)}” {cite([paper.key])}.")
            quoted += 1
    sentences += _coverage_gaps(papers, taxonomy, starts, len(sentences))
    if not sentences:
        sentences.append("The collection is still too small to identify open problems.")
    return SectionText(section="challenges", sentences=sentences, paragraph_starts=starts)


def _coverage_gaps(
    papers: Sequence[PaperRecord], taxonomy: Taxonomy, starts: list[int], offset: int
) -> list[str]:
    sentences: list[str] = []
    empty = [lower_name(leaf.name) for leaf in taxonomy.leaves if not _in_leaf(papers, leaf.id)]
    single = [
        (lower_name(leaf.name), _in_leaf(papers, leaf.id)[0].key)
        for leaf in taxonomy.leaves
        if len(_in_leaf(papers, leaf.id)) == 1
    ]
    sentences += gap_sentences(empty, single)
    level_ids = {level.id for level in taxonomy.levels}
    if len(level_ids) > 1 and papers:
        spanning = [
            p for p in papers if {taxonomy.level_of(leaf) for leaf in p.leaves} >= level_ids
        ]
        if spanning:
            sentences.append(
                f"Only {count_words(len(spanning))} "
                f"{'combines' if len(spanning) == 1 else 'combine'} contributions at all "
                f"{count_words(len(level_ids), 'level')} of the stack, so end-to-end co-design "
                f"is rare {cite([p.key for p in spanning[:_MAX_CITED]])}."
            )
        else:
            sentences.append(
                "No paper combines contributions at every level of the stack, so "
                "end-to-end co-design remains open."
            )
    without = sum(1 for p in papers if not p.results)
    if papers and without:
        sentences.append(
            f"{capitalize(count_words(without))} of the {len(papers)} report no quantitative "
            f"result in their abstract, which leaves {'it' if without == 1 else 'them'} out of "
            "every comparison."
        )
    if sentences and offset:
        starts.append(offset)
    return sentences


def gap_sentences(empty: Sequence[str], single: Sequence[tuple[str, str]]) -> list[str]:
    """The leaves no paper addresses, and those one paper covers ((leaf name, its key))."""
    sentences = []
    if empty:
        sentences.append(
            f"No paper of this collection addresses {join_words(list(empty))}, so these "
            "directions remain open here."
        )
    if single:
        sentences.append(
            f"{capitalize(join_words([name for name, _ in single]))} "
            f"{'is' if len(single) == 1 else 'are each'} covered by a single paper "
            f"{cite([key for _, key in single])}."
        )
    return sentences


def write_conclusion(records: Sequence[PaperRecord], taxonomy: Taxonomy) -> SectionText:
    """Where the corpus is dense and where it is thin, and what would make it comparable."""
    papers = _relevant(records)
    if not papers:
        return SectionText(section="conclusion", sentences=["The corpus holds no paper yet."])
    families: list[tuple[int, str, str, list[str]]] = []
    for leaf in taxonomy.leaves:
        for group in assign_families(leaf, _in_leaf(papers, leaf.id)):
            if group.family is not None:
                keys = [p.key for p in group.papers]
                families.append((len(keys), group.name, lower_name(leaf.name), keys))
    families.sort(key=lambda item: (-item[0], item[1]))
    sentences = []
    if families:
        size, name, leaf_name, keys = families[0]
        sentences.append(
            f"Work in this collection concentrates on {lower_name(name)} within {leaf_name}, "
            f"with {count_words(size)} {cite(keys[:3])}."
        )
        thin = [f for f in families if f[0] == 2][:3]
        if thin:
            named = [f"{lower_name(n)} in {where}" for _, n, where, _ in thin]
            sentences.append(
                f"By contrast, {join_words(named)} rest on two papers each "
                f"{cite([k for *_, ks in thin for k in ks])}."
            )
    with_results = sum(1 for p in papers if p.results)
    sentences.append(
        f"{capitalize(count_words(with_results))} of the {len(papers)} state a quantitative "
        "result in their abstract; a benchmark shared across families is what this corpus "
        "lacks most."
    )
    return SectionText(section="conclusion", sentences=sentences)
