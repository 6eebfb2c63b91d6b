"""Offline, deterministic prose for the survey from the papers' structured results.

Each function returns a `SectionText`: one sentence per item, papers cited as ``[@key]``.
Sentences are built only from each paper's own record (techniques, models, hardware, results,
evidence quotes, kind), so every number in a sentence comes from the paper it cites.

Leaf sections group papers into themes (a technique, hardware target or model family shared
by several papers, else their kind), open with the leaf's definition, give each paper one or
two sentences, and compare papers that report the same metric. With ``previous``, sentences
that still hold are kept verbatim and new papers' sentences are appended, so a section that
gains a paper changes by a few lines.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

from schemas.names import (
    article,
    capitalize,
    clean,
    count_words,
    describe_result,
    join_words,
    lower_name,
    metric_family,
    number_word,
    short_name,
    verb_for,
)
from schemas.record import PaperRecord, SectionText
from schemas.stages import Result
from schemas.survey import HTML_TAG, cited_keys, paper_numbers, record_texts, sentence_numbers
from schemas.taxonomy import Leaf, Taxonomy

_MAX_CITED = 6
_KIND_VERBS = {
    "method": "applies",
    "system": "builds a system on",
    "hardware": "designs hardware for",
    "analysis": "analyses",
    "survey": "surveys",
    "position": "argues for",
    "resource": "provides a resource on",
}
_KIND_NOUNS = {
    "method": ("method", "methods"),
    "system": ("system", "systems"),
    "hardware": ("hardware design", "hardware designs"),
    "analysis": ("analysis", "analyses"),
    "survey": ("survey", "surveys"),
    "position": ("position paper", "position papers"),
    "resource": ("resource", "resources"),
}
# (cue stems, sentence, verb when one paper, verb when several); {n}: "three papers".
_TRADE_OFFS: tuple[tuple[tuple[str, ...], str, str, str], ...] = (
    (("accuracy loss", "accuracy degradation", "accuracy drop", "quality loss", "degrad",
      "perplexity", "without sacrificing", "negligible loss", "trade-off", "tradeoff"),
     "Efficiency is weighed against accuracy: {n} {verb} accuracy or quality loss or the "
     "trade-off itself, e.g. {cites}.", "discusses", "discuss"),
    (("hardware support", "specialized hardware", "specialised hardware", "dedicated hardware",
      "custom hardware", "hardware-friendly", "hardware friendly", "kernel support",
      "commodity hardware", "unstructured sparsity"),
     "Gains often depend on hardware support: {n} {verb} to specialised hardware, kernels or "
     "number formats needed to realise them, e.g. {cites}.", "points", "point"),
    (("memory-bound", "memory bound", "memory bandwidth", "memory wall"),
     "Memory bandwidth rather than compute limits many workloads, as {n} {verb}, e.g. {cites}.",
     "notes", "note"),
    (("generaliz", "generalis", "portab", "heterogeneous"),
     "Portability across models, tasks and heterogeneous hardware is a concern that {n} "
     "{verb}, e.g. {cites}.", "raises", "raise"),
)  # fmt: skip


def inert(text: str) -> str:
    """Paper text made unable to act as a citation or markup in our prose (it stays data)."""
    return clean(HTML_TAG.sub(" ", text)).replace("[@", "[ @")


def _cite(keys: Sequence[str]) -> str:
    return "[" + "; ".join(f"@{key}" for key in dict.fromkeys(keys)) + "]"


def _name(record: PaperRecord) -> str:
    return inert(short_name(record))


def _sorted(records: Sequence[PaperRecord]) -> list[PaperRecord]:
    return sorted(records, key=lambda r: (r.year if r.year is not None else 9999, r.key))


def _notable(records: Sequence[PaperRecord]) -> list[PaperRecord]:
    """Most upvoted first, then newest, then by key."""
    return sorted(records, key=lambda r: (-(r.upvotes or 0), -(r.year or 0), r.key))


def _supported(record: PaperRecord) -> Callable[[str], bool]:
    numbers = paper_numbers(*record_texts(record))
    return lambda text: all(n in numbers for n in sentence_numbers(text))


def _terms(
    values: Sequence[str], ok: Callable[[str], bool], limit: int, skip: str = ""
) -> list[str]:
    out: list[str] = []
    for value in values:
        term = inert(value)
        if term.lower() == skip.lower():
            continue
        if term and ok(term) and term.lower() not in {t.lower() for t in out}:
            out.append(term)
    return out[:limit]


def _family(model: str) -> str:
    head = re.split(r"[\s\-_/]", inert(model), maxsplit=1)[0]
    return re.sub(r"[\d.]+$", "", head).lower()


Theme = tuple[str, str, list[PaperRecord]]  # (category, display label, members)


def _themes(papers: Sequence[PaperRecord]) -> list[Theme]:
    """Greedy grouping: the label covering most unassigned papers (>= 2) first, then the rest."""
    candidates: dict[tuple[int, str, str], set[str]] = {}
    for paper in papers:
        ok = _supported(paper)
        labels = [(0, "technique", t.lower()) for t in _terms(paper.techniques, ok, 6)]
        labels += [(1, "hardware", h.lower()) for h in _terms(paper.hardware, ok, 8)]
        families = {_family(m) for m in _terms(paper.models, ok, 8)}
        labels += [(2, "family", f) for f in sorted(families) if len(f) > 2]
        for label in labels:
            candidates.setdefault(label, set()).add(paper.key)
    by_key = {p.key: p for p in papers}
    left = set(by_key)
    themes: list[Theme] = []
    while True:
        ranked = sorted(
            ((len(keys & left), label) for label, keys in candidates.items()),
            key=lambda item: (-item[0], item[1][0], item[1][2]),
        )
        if not ranked or ranked[0][0] < 2:
            break
        label = ranked[0][1]
        members = _sorted([by_key[k] for k in candidates[label] & left])
        themes.append((label[1], _display_label(label[2], members, label[1]), members))
        left -= {p.key for p in members}
    if left:
        themes.append(("rest", "", _sorted([by_key[k] for k in left])))
    return themes


def _display_label(label: str, members: Sequence[PaperRecord], category: str) -> str:
    # the spelling of the first member that uses the label, e.g. "LoRA" rather than "lora"
    for paper in members:
        if category == "family":
            for model in paper.models:
                if _family(model) == label:
                    head = re.split(r"[\s\-_/]", inert(model), maxsplit=1)[0]
                    return head.rstrip("0123456789.")
            continue
        for value in paper.techniques if category == "technique" else paper.hardware:
            if inert(value).lower() == label:
                return inert(value)
    return label


def _theme_sentence(theme: Theme, any_theme: bool) -> str | None:
    category, label, members = theme
    count = capitalize(count_words(len(members)))
    cites = " " + _cite([p.key for p in members])
    if len(members) > _MAX_CITED:  # the papers' own sentences follow; name a few here
        cites = ", including " + _cite([p.key for p in _notable(members)[:_MAX_CITED]])
    if category == "technique":
        return f"{count} build on {label}{cites}."
    if category == "hardware":
        return f"{count} target {label}{cites}."
    if category == "family":
        return f"{count} evaluate {label} models{cites}."
    if len(members) < 2:
        return None
    kinds = Counter(p.kind or "method" for p in members)
    parts = [
        count_words(n, *_KIND_NOUNS.get(kind, (kind, kind + "s")))
        for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    lead = "The remaining papers comprise" if any_theme else "The papers comprise"
    return f"{lead} {join_words(parts)}{cites}."


def _result_phrases(results: Sequence[Result], ok: Callable[[str], bool]) -> list[str]:
    """Up to two phrases; results with the same metric and baseline share one phrase."""
    groups: dict[tuple[str, str], list[Result]] = {}
    for result in results:
        if ok(inert(result.value)):
            key = (inert(result.metric).lower(), inert(result.baseline or "").lower())
            groups.setdefault(key, []).append(result)
    phrases = []
    for group in list(groups.values())[:2]:
        first = group[0].model_copy(update={
            "metric": inert(group[0].metric), "value": inert(group[0].value),
            "baseline": inert(group[0].baseline) if group[0].baseline else None,
        })  # fmt: skip
        phrases.append(describe_result(first, *(inert(r.value) for r in group[1:3])))
    return phrases


def paper_sentences(
    record: PaperRecord, leaf_id: str | None = None, *, approach: bool = True, theme: str = ""
) -> list[str]:
    """One or two sentences about a paper: its approach, then its reported results.

    ``theme`` (a technique its theme sentence already names) is not repeated; ``approach=False``
    keeps only the results sentence.
    """
    ok = _supported(record)
    name = _name(record)
    cite = _cite([record.key])
    sentences: list[str] = []
    if approach:
        techniques = [
            t for t in _terms(record.techniques, ok, 3, skip=theme) if t.lower() != name.lower()
        ]
        models = _terms(record.models, ok, 2)
        hardware = _terms(record.hardware, ok, 2)
        where = (f" for {join_words(models)}" if models else "") + (
            f" on {join_words(hardware)}" if hardware else ""
        )
        if techniques:
            verb = verb_for(name, _KIND_VERBS.get(record.kind or "", "uses"))
            sentences.append(f"{name} {verb} {join_words(techniques)}{where} {cite}.")
        elif theme and where:
            sentences.append(f"{name} {verb_for(name, 'evaluates')} it{where} {cite}.")
    results = [phrase for phrase in _result_phrases(record.results, ok) if ok(phrase)]
    if results:
        sentences.append(f"{name} {verb_for(name, 'reports')} {join_words(results)} {cite}.")
    if not sentences and approach and not theme:
        quotes = [record.evidence.get(leaf_id or "", ""), *record.evidence.values()]
        quote = next((inert(q) for q in quotes if inert(q)), "")
        if quote:
            sentences.append(
                f"{name} {verb_for(name, 'states')} that “{quote.rstrip('.')}” {cite}."
            )
        else:
            kind = _KIND_NOUNS.get(record.kind or "", ("contribution", ""))[0]
            verb = verb_for(name, "contributes")
            sentences.append(f"{name} {verb} {article(kind)} {kind} to this area {cite}.")
    return sentences


def comparison_sentences(
    papers: Sequence[PaperRecord], involving: set[str] | None = None
) -> list[str]:
    """One sentence per metric that two or more papers report (optionally: involving a key)."""
    by_metric: dict[str, list[tuple[PaperRecord, str]]] = {}
    for paper in _sorted(papers):
        ok = _supported(paper)
        for result in paper.results:
            family = metric_family(inert(result.metric))
            entries = by_metric.setdefault(family, []) if family else []
            if family and ok(inert(result.value)) and all(p.key != paper.key for p, _ in entries):
                entries.append((paper, inert(result.value)))
    sentences: list[str] = []
    for family in sorted(by_metric):
        entries = by_metric[family][:4]
        if len(entries) < 2:
            continue
        if involving is not None and not any(p.key in involving for p, _ in entries):
            continue
        parts = [f"{_name(p)} {verb_for(_name(p), 'reports')} {value}" for p, value in entries]
        sentences.append(
            f"On {family}, {join_words(parts)}, each against its own baseline and setup, so the "
            f"figures are indicative rather than directly comparable "
            f"{_cite([p.key for p, _ in entries])}."
        )
    return sentences


def leaf_papers(records: Sequence[PaperRecord], leaf_id: str) -> list[PaperRecord]:
    """Relevant papers classified under ``leaf_id``, in (year, key) order."""
    return _sorted([r for r in records if r.relevant is True and leaf_id in r.leaves])


def _opening(leaf: Leaf) -> str:
    description = clean(leaf.description).rstrip(".")
    if len(description) > 1 and not description[1].isupper():
        description = description[0].lower() + description[1:]
    return f"This section covers {lower_name(leaf.name)}: {description}."


def _fresh(leaf: Leaf, papers: Sequence[PaperRecord]) -> list[str]:
    sentences = [_opening(leaf)]
    themes = _themes(papers)
    any_theme = any(category != "rest" for category, _, _ in themes)
    for theme in themes:
        lead = _theme_sentence(theme, any_theme)
        if lead:
            sentences.append(lead)
        category, label, members = theme
        for paper in members:
            sentences += paper_sentences(
                paper, leaf.id, theme=label if category == "technique" else ""
            )
    return sentences + comparison_sentences(papers)


def write_section(
    leaf: Leaf, records: Sequence[PaperRecord], previous: SectionText | None = None
) -> SectionText:
    """Prose of one leaf; ``records`` may be the whole corpus (the leaf's papers are picked)."""
    papers = leaf_papers(records, leaf.id)
    if previous is None or not previous.sentences:
        return SectionText(section=leaf.id, sentences=_fresh(leaf, papers))
    keys = {p.key for p in papers}
    kept = [s for s in previous.sentences if s.strip() and set(cited_keys(s)) <= keys]
    covered = {key for sentence in kept for key in cited_keys(sentence)}
    new = [p for p in papers if p.key not in covered]
    if not any(cited_keys(s) for s in kept):
        return SectionText(section=leaf.id, sentences=_fresh(leaf, papers))
    added: list[str] = []
    for paper in new:
        added += paper_sentences(paper, leaf.id)
    for comparison in comparison_sentences(papers, involving={p.key for p in new}) if new else []:
        # an updated comparison replaces the one on the same metric where it stood
        prefix = comparison.split(",", 1)[0] + ","
        index = next((i for i, s in enumerate(kept) if s.startswith(prefix)), None)
        if index is None:
            added.append(comparison)
        else:
            kept[index] = comparison
    return SectionText(section=leaf.id, sentences=kept + added)


def write_introduction(records: Sequence[PaperRecord], taxonomy: Taxonomy) -> SectionText:
    """Scope (the taxonomy's relevance rule), counts per level, time span, notable papers."""
    papers = _sorted([r for r in records if r.relevant is True])
    levels = [lower_name(level.name) for level in taxonomy.levels]
    sentences = [
        f"This survey collects {count_words(len(papers))} on efficient machine learning and "
        f"organises them by the part of the stack they optimise: {join_words(levels)}."
    ]
    relevance = clean(taxonomy.relevance)
    sentences += [s for s in re.split(r"(?<=[.!?])\s+", relevance) if s]
    for level in taxonomy.levels:
        members = [p for p in papers if any(leaf.id in p.leaves for leaf in level.leaves)]
        if not members:
            sentences.append(
                f"No paper of the corpus is classified under {lower_name(level.name)}."
            )
            continue
        sizes = [(len(leaf_papers(papers, leaf.id)), leaf.name) for leaf in level.leaves]
        used = sum(1 for size, _ in sizes if size)
        top_size, top_name = sorted(sizes, key=lambda item: (-item[0], item[1]))[0]
        sentences.append(
            f"{level.name} account for {count_words(len(members))} across "
            f"{number_word(used)} of its {number_word(len(level.leaves))} leaves; "
            f"the largest leaf is {lower_name(top_name)} with {count_words(top_size)}."
        )
        noticed = [p for p in _notable(members) if p.upvotes][:3]
        if noticed:
            named = [f"{_name(p)} {_cite([p.key])}" for p in noticed]
            sentences.append(f"The most upvoted of them are {join_words(named)}.")
    if len(taxonomy.levels) > 1:
        sentences.append(
            "A paper can belong to several leaves and levels, so these counts overlap."
        )
    years = Counter(p.year for p in papers if p.year is not None)
    if years:
        first, last = min(years), max(years)
        peak = max(sorted(years), key=lambda y: years[y])
        span = f"between {first} and {last}" if first != last else f"in {first}"
        sentences.append(
            f"The papers were published {span}, most of them ({years[peak]}) in {peak}."
        )
    return SectionText(section="introduction", sentences=sentences)


def write_surveys_section(records: Sequence[PaperRecord], taxonomy: Taxonomy) -> SectionText:
    """Papers of kind survey or analysis: what each covers or measures."""
    papers = _sorted(
        [r for r in records if r.relevant is True and r.kind in ("survey", "analysis")]
    )
    if not papers:
        return SectionText(
            section="surveys", sentences=["No survey or analysis paper is part of the corpus yet."]
        )
    surveys = sum(1 for p in papers if p.kind == "survey")
    sentences = [
        f"{capitalize(count_words(surveys, 'survey'))} and "
        f"{count_words(len(papers) - surveys, 'analysis', 'analyses')} map or measure the field "
        "rather than propose a single technique."
    ]
    names = {leaf.id: lower_name(leaf.name) for leaf in taxonomy.leaves}
    for paper in papers:
        areas = [names[leaf] for leaf in paper.leaves if leaf in names]
        if paper.kind == "survey" and areas:
            name = _name(paper)
            sentences.append(
                f"{name} {verb_for(name, 'surveys')} {join_words(areas)} {_cite([paper.key])}."
            )
            sentences += paper_sentences(paper, approach=False)
        else:
            sentences += paper_sentences(paper, paper.primary)
    return SectionText(section="surveys", sentences=sentences)


def write_challenges(records: Sequence[PaperRecord], taxonomy: Taxonomy) -> SectionText:
    """Open problems drawn from the papers: trade-offs they state, sparse leaves, co-design."""
    papers = _sorted([r for r in records if r.relevant is True])
    sentences: list[str] = []
    for cues, template, one, several in _TRADE_OFFS:
        hits = [p for p in papers if any(cue in f"{p.title} {p.abstract}".lower() for cue in cues)]
        if hits:
            sentences.append(
                template.format(
                    n=count_words(len(hits)),
                    verb=one if len(hits) == 1 else several,
                    cites=_cite([p.key for p in hits[:_MAX_CITED]]),
                )
            )
    empty = [lower_name(leaf.name) for leaf in taxonomy.leaves if not leaf_papers(papers, leaf.id)]
    single = [
        (lower_name(leaf.name), leaf_papers(papers, leaf.id)[0].key)
        for leaf in taxonomy.leaves
        if len(leaf_papers(papers, leaf.id)) == 1
    ]
    if empty:
        sentences.append(
            f"No paper of this collection addresses {join_words(empty)}, so these "
            "directions remain open here."
        )
    if single:
        sentences.append(
            f"{capitalize(join_words([name for name, _ in single]))} "
            f"{'is' if len(single) == 1 else 'are each'} covered by a single paper "
            f"{_cite([key for _, key in single])}."
        )
    level_ids = {level.id for level in taxonomy.levels}
    if len(level_ids) > 1:
        spanning = [
            p for p in papers if {taxonomy.level_of(leaf) for leaf in p.leaves} >= level_ids
        ]
        if spanning:
            sentences.append(
                f"Only {count_words(len(spanning))} "
                f"{'combines' if len(spanning) == 1 else 'combine'} contributions at all "
                f"{count_words(len(level_ids), 'level')} of the stack, so end-to-end co-design "
                f"is rare {_cite([p.key for p in spanning[:_MAX_CITED]])}."
            )
        else:
            sentences.append(
                "No paper combines contributions at every level of the stack, so "
                "end-to-end co-design remains open."
            )
    without = sum(1 for p in papers if not p.results)
    if papers and without:
        sentences.append(
            f"{capitalize(number_word(without))} of the {len(papers)} papers "
            f"report no quantitative result in their abstract, which makes "
            f"{'it' if without == 1 else 'them'} hard to compare."
        )
    if not sentences:
        sentences.append("The collection is still too small to identify open problems.")
    return SectionText(section="challenges", sentences=sentences)
