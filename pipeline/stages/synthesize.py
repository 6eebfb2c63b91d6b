"""The synthesize stage: survey prose per section, asked through the model seam (map-reduce).

Map: a leaf's (and the surveys section's) papers go to the model in parts that fit the
stage's token ceiling; one part when they fit, else stable parts whose texts are joined. Each
request carries its papers' structured results and, on a re-run, the part's previous sentences,
so a model updates rather than rewrites. The aggregates (introduction, challenges, conclusion)
get all relevant papers when that request fits the model's ceiling; else (reduce) they are
written from the sections' summaries (counts, notable papers, first sentences) and corpus
counts; the challenges then also get notes the model wrote on bounded batches of papers,
merged batch by batch until they fit. A part whose inputs did not change
since the last run keeps its previous text without a call (outputs/sections.json).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.atomic import write_text_atomic
from pipeline.seam import OUTPUT_TOKENS_PER_ITEM, Estimate, Seam, request_cost
from pipeline.seam.context import item_tokens, split_to_fit
from schemas.paper import Paper
from schemas.record import PaperRecord, SectionText
from schemas.run import StageStats
from schemas.survey import SectionDraft, cited_keys, compact, section_context
from schemas.taxonomy import Taxonomy, taxonomy_hash

SECTIONS_FILE = "sections.json"
SPECIAL_SECTIONS = ("introduction", "surveys", "challenges", "conclusion")
# From all relevant papers when they fit one request, else from summaries (the reduce step).
AGGREGATES = ("introduction", "challenges", "conclusion")
PART = "#"  # "model.quantization#2": the second part of a section written in parts
NOTES = "challenges/notes"  # intermediate: the model's notes on batches of papers
PREVIOUS_ALLOWANCE = 64  # tokens a paper's previous sentences may add to a part's request
SUMMARY_NOTABLE = 3
SUMMARY_POINTS = 3
# (notable papers, first sentences) per section summary, largest first, until a request fits
SUMMARY_SIZES = ((SUMMARY_NOTABLE, SUMMARY_POINTS), (2, 2), (1, 1), (1, 0), (0, 0))


@dataclass
class Previous:
    """A section as written by the last run: the digest of its inputs and its sentences."""

    inputs: str
    sentences: list[str]
    paragraph_starts: list[int] = field(default_factory=list)
    # The hash of the taxonomy the text was written under; "" in a sections file written
    # before it was recorded.
    taxonomy: str = ""


def section_papers(section: str, records: list[PaperRecord]) -> list[PaperRecord]:
    """The papers a section writes about, sorted by key (stable request content)."""
    relevant = [r for r in records if r.relevant is True]
    if section == "surveys":
        chosen = [r for r in relevant if r.kind in ("survey", "analysis")]
    elif section in AGGREGATES:
        chosen = relevant
    else:
        chosen = [r for r in relevant if section in r.leaves]
    return sorted(chosen, key=lambda r: r.key)


def section_ids(taxonomy: Taxonomy, records: list[PaperRecord]) -> list[str]:
    leaves = [leaf.id for leaf in taxonomy.leaves if section_papers(leaf.id, records)]
    return [*SPECIAL_SECTIONS, *leaves]


def payload(
    section: str,
    taxonomy: Taxonomy,
    papers: Sequence[PaperRecord],
    previous: list[str],
    part: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """The request of a section (or of part ``(k, n)`` of it) about ``papers``."""
    data: dict[str, Any] = {}
    if section in SPECIAL_SECTIONS:
        kind, name, description = section, section.capitalize(), taxonomy.relevance
    else:
        leaf = taxonomy.leaf(section)
        kind, name, description = "leaf", leaf.name, leaf.description
        if leaf.families:
            data["families"] = [
                {"id": f.id, "name": f.name, "definition": " ".join(f.definition.split())}
                for f in leaf.families
            ]
    data |= {
        "section": section,
        "kind": kind,
        "name": name,
        "description": " ".join(description.split()),
        "papers": [compact(p) for p in papers],
        "previous": previous,
    }
    if part is not None:  # only when split, so a section that fits asks what it always asked
        data["part"] = list(part)
    return data


def _by_year(papers: Sequence[PaperRecord]) -> list[PaperRecord]:
    """(year, key) order: new papers, mostly the newest, land in a section's last part."""
    return sorted(papers, key=lambda r: (r.year if r.year is not None else 9999, r.key))


def section_parts(
    seam: Seam, section: str, taxonomy: Taxonomy, papers: list[PaperRecord]
) -> list[list[PaperRecord]]:
    """The section's papers in parts whose requests fit the synthesize token ceiling."""
    room = seam.room("synthesize", payload(section, taxonomy, [], []))

    def tokens(record: PaperRecord) -> int:
        return item_tokens(compact(record)) + PREVIOUS_ALLOWANCE

    parts = split_to_fit(_by_year(papers), tokens, room) if papers else [[]]
    return [sorted(part, key=lambda r: r.key) for part in parts]  # requests list papers by key


def load_previous(out_dir: Path) -> dict[str, Previous]:
    """The prose of the last run by section; a damaged file is replaced by git's committed one,
    else the sections are written afresh (with a warning)."""
    path = out_dir / SECTIONS_FILE
    if not path.exists():
        return {}
    try:
        return _parse_sections(path.read_bytes().decode("utf-8", errors="replace"))
    except ValueError:
        pass
    from pipeline import console
    from pipeline.recover import committed_text

    committed = committed_text(path)
    if committed is not None:
        try:
            sections = _parse_sections(committed)
        except ValueError:
            pass
        else:
            console.warn(f"{path}: damaged; using the version committed in git (HEAD)")
            return sections
    console.warn(
        f"{path}: damaged and not recoverable from git; every section is written afresh "
        "(restore the file from a backup first to keep the previous prose)"
    )
    return {}


def _parse_sections(text: str) -> dict[str, Previous]:
    try:
        data = json.loads(text)
        return {
            k: Previous(
                v["inputs"],
                list(v["sentences"]),
                list(v.get("paragraphs", [])),
                str(v.get("taxonomy", "")),
            )
            for k, v in data.items()
        }
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
        raise ValueError("not a sections file written by taxonomist") from None


def save_sections(out_dir: Path, written: dict[str, Previous]) -> None:
    data: dict[str, dict[str, Any]] = {}
    for key, value in sorted(written.items()):
        data[key] = {"inputs": value.inputs, "sentences": value.sentences}
        if value.paragraph_starts:
            data[key]["paragraphs"] = value.paragraph_starts
        if value.taxonomy:
            data[key]["taxonomy"] = value.taxonomy
    text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    write_text_atomic(out_dir / SECTIONS_FILE, text)


async def synthesize(
    seam: Seam, taxonomy: Taxonomy, records: list[PaperRecord], previous: dict[str, Previous]
) -> dict[str, Previous]:
    """Prose of every section with papers; unchanged parts keep their previous text.

    Returns the texts by part id (``leaf`` or ``leaf#k``); `as_section_texts` joins them."""
    relevant = sorted((r for r in records if r.relevant is True), key=lambda r: r.key)
    ids = section_ids(taxonomy, relevant)
    mapped = [s for s in ids if s not in AGGREGATES]
    papers_of = {s: section_papers(s, relevant) for s in mapped}
    # An aggregate whose request with all relevant papers fits the ceiling gets the papers.
    whole = {s: payload(s, taxonomy, relevant, []) for s in AGGREGATES}
    whole = {s: request for s, request in whole.items() if seam.room("synthesize", request) >= 0}
    written: dict[str, Previous] = {}
    results = await asyncio.gather(
        *(_write_parts(seam, taxonomy, s, papers_of[s], previous) for s in mapped),
        _challenge_notes(seam, taxonomy, relevant, previous)
        if "challenges" not in whole
        else _nothing(),
    )
    for result in results:
        written.update(result)
    texts = as_section_texts(written)

    def summaries(notable: int, points: int) -> list[dict[str, Any]]:
        return [
            section_summary(taxonomy, s, papers_of[s], texts.get(s), notable, points)
            for s in mapped
        ]

    note_parts = sorted(
        (int(part.rsplit(PART, 1)[1]), text.sentences)
        for part, text in written.items()
        if part.startswith(NOTES + PART)
    )
    notes = [sentence for _, sentences in note_parts for sentence in sentences]
    notes = await _reduce_notes(seam, taxonomy, notes, relevant)
    corpus = corpus_digest(taxonomy, relevant)
    aggregates = await asyncio.gather(
        *(
            _ask_whole(seam, s, whole[s], relevant, previous)
            if s in whole
            else _write_aggregate(seam, taxonomy, s, corpus, summaries, notes, relevant, previous)
            for s in AGGREGATES
        )
    )
    for section, text in aggregates:
        if text is not None:
            written[section] = text
    return written


async def _nothing() -> dict[str, Previous]:
    return {}


async def _ask_whole(
    seam: Seam,
    section: str,
    request: dict[str, Any],
    papers: list[PaperRecord],
    previous: dict[str, Previous],
) -> tuple[str, Previous | None]:
    """An aggregate from all relevant papers (the request fits); written afresh each time."""
    return section, await _ask_section(seam, section, request, papers, previous.get(section), False)


async def _ask_section(
    seam: Seam,
    part_id: str,
    request: dict[str, Any],
    context_papers: Sequence[PaperRecord],
    previous: Previous | None,
    keep_previous: bool,
    paper_count: int | None = None,
) -> Previous | None:
    """One request of the stage: reuse the previous text when its inputs are unchanged.

    ``paper_count``: the largest count of papers a sentence may state (default: the papers
    of ``context_papers``)."""
    inputs = seam.document_key("synthesize", {**request, "previous": []}, SectionDraft)
    written_under = taxonomy_hash(seam.taxonomy)
    if previous is not None and previous.inputs == inputs:
        model = seam.config("synthesize").model
        stats = seam.stats.setdefault("synthesize", StageStats(model=model))
        stats.papers += 1
        stats.cache_hits += 1
        return dataclasses.replace(previous, taxonomy=written_under)
    # A new dump updates a section (old sentences kept, new papers added: a small diff). After
    # a taxonomy edit, papers moved and sections changed meaning: a section asked again is
    # written afresh, byte for byte as a cold build under the edited taxonomy writes it.
    keep = keep_previous and previous is not None and previous.taxonomy in ("", written_under)
    old_sentences = previous.sentences if previous is not None and keep else []
    request = {**request, "previous": old_sentences}
    if old_sentences and previous is not None and previous.paragraph_starts:
        request["previous_paragraphs"] = previous.paragraph_starts
    context = section_context(request["section"], context_papers, old_sentences)
    context["section"] = request["section"]
    if paper_count is not None:
        context["paper_count"] = paper_count
    answer = await seam.ask_document("synthesize", part_id, request, SectionDraft, context)
    if answer.value is None:  # keep the last good text; the next run asks again
        return previous
    draft = answer.value
    assert isinstance(draft, SectionDraft)
    return Previous(inputs, list(draft.sentences), list(draft.paragraph_starts), written_under)


async def _write_parts(
    seam: Seam,
    taxonomy: Taxonomy,
    section: str,
    papers: list[PaperRecord],
    previous: dict[str, Previous],
) -> dict[str, Previous]:
    """A leaf or the surveys section: one request per part (the map step)."""
    parts = section_parts(seam, section, taxonomy, papers)
    part_ids = (
        [section] if len(parts) == 1 else [f"{section}{PART}{k}" for k in range(1, len(parts) + 1)]
    )

    async def one(index: int, part_id: str) -> tuple[str, Previous | None]:
        members = parts[index]
        part = (index + 1, len(parts)) if len(parts) > 1 else None
        request = payload(section, taxonomy, members, [], part)
        if part is not None and section == "surveys":
            request["kinds"] = dict(sorted(Counter(p.kind or "" for p in papers).items()))
        # Leaf sections are updated (old sentences kept, old keys stay cited); surveys afresh.
        keep = section not in SPECIAL_SECTIONS
        text = await _ask_section(seam, part_id, request, members, previous.get(part_id), keep)
        return part_id, text

    results = await asyncio.gather(*(one(i, pid) for i, pid in enumerate(part_ids)))
    return {part_id: text for part_id, text in results if text is not None}


async def _challenge_notes(
    seam: Seam, taxonomy: Taxonomy, papers: list[PaperRecord], previous: dict[str, Previous]
) -> dict[str, Previous]:
    """The model's notes on open problems, written on bounded batches of papers (map)."""
    if not papers:
        return {}
    base = {**payload("challenges", taxonomy, [], []), "kind": "challenge-notes"}
    room = seam.room("synthesize", base)
    parts = split_to_fit(_by_year(papers), lambda r: item_tokens(compact(r)), room)
    parts = [sorted(part, key=lambda r: r.key) for part in parts]

    async def one(index: int) -> tuple[str, Previous | None]:
        part_id = f"{NOTES}{PART}{index + 1}"
        request = {**base, "papers": [compact(p) for p in parts[index]]}
        request["part"] = [index + 1, len(parts)]
        text = await _ask_section(
            seam, part_id, request, parts[index], previous.get(part_id), False
        )
        return part_id, text

    results = await asyncio.gather(*(one(i) for i in range(len(parts))))
    return {part_id: text for part_id, text in results if text is not None}


async def _reduce_notes(
    seam: Seam, taxonomy: Taxonomy, notes: list[str], papers: list[PaperRecord]
) -> list[str]:
    """Merge notes group by group until all of them fit one request (the reduce step)."""
    base = {**payload("challenges", taxonomy, [], []), "kind": "challenge-notes"}
    room = seam.room("synthesize", base) // 2  # the final request also carries summaries
    rounds = 0
    while notes and sum(item_tokens(n) for n in notes) > room and rounds < 8:
        rounds += 1
        groups = split_to_fit(notes, item_tokens, room)
        merged: list[str] = []
        for index, group in enumerate(groups):
            request = {**base, "notes": group, "part": [index + 1, len(groups)]}
            cited = {key for note in group for key in cited_keys(note)}
            members = [p for p in papers if p.key in cited]
            merge_id = f"{NOTES}/merge-{rounds}{PART}{index + 1}"
            text = await _ask_section(seam, merge_id, request, members, None, False, len(papers))
            merged += text.sentences if text is not None else group
        notes = merged
    return notes


async def _write_aggregate(
    seam: Seam,
    taxonomy: Taxonomy,
    section: str,
    corpus: dict[str, Any],
    summaries: Callable[[int, int], list[dict[str, Any]]],
    notes: list[str],
    papers: list[PaperRecord],
    previous: dict[str, Previous],
) -> tuple[str, Previous | None]:
    """The introduction or the challenges, from summaries (never from all papers); summaries
    shrink (fewer notable papers and first sentences) until the request fits the ceiling."""
    base = payload(section, taxonomy, [], [])
    room = seam.room("synthesize", base)
    request: dict[str, Any] = {}
    for notable, points in SUMMARY_SIZES:
        request = {**base, "corpus": corpus, "summaries": summaries(notable, points)}
        if section == "challenges":
            request["notes"] = notes
        if item_tokens(request) - item_tokens(base) <= room:
            break
    # The aggregates are written afresh (counts, top lists); every relevant paper may be cited.
    text = await _ask_section(seam, section, request, papers, previous.get(section), False)
    return section, text


def section_summary(
    taxonomy: Taxonomy,
    section: str,
    papers: list[PaperRecord],
    text: SectionText | None,
    notable_count: int = SUMMARY_NOTABLE,
    points: int = SUMMARY_POINTS,
) -> dict[str, Any]:
    """What the reduce step knows of a section: counts, notable papers (most reported results,
    then newest: fields every paper has, never upvotes), its first sentences."""
    notable = sorted(papers, key=lambda r: (-len(r.results), -(r.year or 0), r.key))
    sentences = text.sentences if text is not None else []
    return {
        "section": section,
        "name": section.capitalize()
        if section in SPECIAL_SECTIONS
        else taxonomy.leaf(section).name,
        "level": None if section in SPECIAL_SECTIONS else taxonomy.level_of(section),
        "papers": len(papers),
        "without_results": sum(1 for p in papers if not p.results),
        "notable": [
            {**compact(p, abstract=False), "evidence": {}} for p in notable[:notable_count]
        ],
        "points": [s for s in sentences if cited_keys(s)][:points],
    }


def corpus_digest(taxonomy: Taxonomy, papers: list[PaperRecord]) -> dict[str, Any]:
    """Counts over all relevant papers that no section summary can add up (papers overlap)."""
    levels = {level.id: {leaf.id for leaf in level.leaves} for level in taxonomy.levels}
    spanning = sorted(
        (p for p in papers if all(set(p.leaves) & leaves for leaves in levels.values())),
        key=lambda r: (r.year if r.year is not None else 9999, r.key),
    )
    years = Counter(p.year for p in papers if p.year is not None)
    return {
        "papers": len(papers),
        "levels": {
            lid: sum(1 for p in papers if set(p.leaves) & ids) for lid, ids in levels.items()
        },
        "years": {str(year): years[year] for year in sorted(years)},
        "without_results": sum(1 for p in papers if not p.results),
        "spanning_levels": len(spanning) if len(levels) > 1 else 0,
        "spanning_examples": [p.key for p in spanning[:6]] if len(levels) > 1 else [],
    }


def as_section_texts(written: dict[str, Previous]) -> dict[str, SectionText]:
    """Section texts by section id: the parts of a section joined in part order (each part
    opens a paragraph; its own paragraph starts shifted); notes left out."""
    joined: dict[str, list[tuple[int, Previous]]] = {}
    for part_id, text in written.items():
        section, _, number = part_id.partition(PART)
        if section != NOTES:
            joined.setdefault(section, []).append((int(number or 0), text))
    texts: dict[str, SectionText] = {}
    for section, parts in sorted(joined.items()):
        sentences: list[str] = []
        starts: list[int] = []
        for _, part in sorted(parts, key=lambda item: item[0]):
            if sentences and part.sentences:
                starts.append(len(sentences))
            starts += [len(sentences) + i for i in part.paragraph_starts if i > 0]
            sentences += part.sentences
        if sentences:
            texts[section] = SectionText(
                section=section, sentences=sentences, paragraph_starts=sorted(set(starts))
            )
    return texts


def estimate_synthesis(seam: Seam, taxonomy: Taxonomy, papers: list[Paper]) -> Estimate:
    """A rough --dry-run figure for the prose: each paper's data sent ~2.5 times (its leaves,
    the surveys section, the challenge notes) in requests that fill the token ceiling, one call
    at least per leaf, plus the two aggregate sections."""
    paper_tokens = sum(len(p.title) + len(p.abstract) + 200 for p in papers) // 4
    room = max(1, seam.room("synthesize", payload("challenges", taxonomy, [], [])))
    data_tokens = int(paper_tokens * 2.5)
    calls = max(len(taxonomy.leaves) + 2, -(-data_tokens // room)) + 2
    input_tokens = data_tokens + calls * 600
    output_tokens = calls * OUTPUT_TOKENS_PER_ITEM["synthesize"]
    cost = request_cost(seam.config("synthesize").model, input_tokens, output_tokens)
    return Estimate(
        calls=calls, papers=calls, input_tokens=input_tokens, output_tokens=output_tokens,
        cost_usd=cost or 0.0, cost_known=cost is not None,
    )  # fmt: skip
