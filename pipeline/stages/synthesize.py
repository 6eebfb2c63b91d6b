"""The synthesize stage: survey prose per section, asked through the model seam.

A section's request carries its papers' structured results and, on a re-run, the section's
previous sentences, so a model updates rather than rewrites. A section whose inputs did not
change since the last run keeps its previous text without a call (outputs/sections.json).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.seam import OUTPUT_TOKENS_PER_ITEM, Estimate, Seam, request_cost
from schemas.paper import Paper
from schemas.record import PaperRecord, SectionText
from schemas.run import StageStats
from schemas.survey import SectionDraft, compact, section_context
from schemas.taxonomy import Taxonomy

SECTIONS_FILE = "sections.json"
SPECIAL_SECTIONS = ("introduction", "surveys", "challenges", "conclusion")


@dataclass
class Previous:
    """A section as written by the last run: the digest of its inputs and its sentences."""

    inputs: str
    sentences: list[str]
    paragraph_starts: list[int] = field(default_factory=list)


def section_papers(section: str, records: list[PaperRecord]) -> list[PaperRecord]:
    """The papers a section writes about, sorted by key (stable request content)."""
    relevant = [r for r in records if r.relevant is True]
    if section == "surveys":
        chosen = [r for r in relevant if r.kind in ("survey", "analysis")]
    elif section in ("introduction", "challenges", "conclusion"):
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
    papers: list[PaperRecord],
    previous: list[str],
    previous_paragraphs: list[int] | None = None,
) -> dict[str, Any]:
    families: list[dict[str, str]] = []
    if section in SPECIAL_SECTIONS:
        kind, name, description = section, section.capitalize(), taxonomy.relevance
    else:
        leaf = taxonomy.leaf(section)
        kind, name, description = "leaf", leaf.name, leaf.description
        families = [
            {"id": f.id, "name": f.name, "definition": " ".join(f.definition.split())}
            for f in leaf.families
        ]
    extra: dict[str, Any] = {}
    if families:
        extra["families"] = families
    if previous_paragraphs:
        extra["previous_paragraphs"] = previous_paragraphs
    return {
        **extra,
        "section": section,
        "kind": kind,
        "name": name,
        "description": " ".join(description.split()),
        "papers": [compact(p) for p in papers],
        "previous": previous,
    }


def load_previous(out_dir: Path) -> dict[str, Previous]:
    path = out_dir / SECTIONS_FILE
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {
            k: Previous(v["inputs"], list(v["sentences"]), list(v.get("paragraphs", [])))
            for k, v in data.items()
        }
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
        raise InputError(
            "not a sections file written by taxonomist: restore it from git, or delete it to "
            "write every section afresh",
            file=str(path),
        ) from None


def save_sections(out_dir: Path, written: dict[str, Previous]) -> None:
    data: dict[str, dict[str, Any]] = {}
    for key, value in sorted(written.items()):
        data[key] = {"inputs": value.inputs, "sentences": value.sentences}
        if value.paragraph_starts:
            data[key]["paragraphs"] = value.paragraph_starts
    text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    (out_dir / SECTIONS_FILE).write_text(text, encoding="utf-8")


async def synthesize(
    seam: Seam, taxonomy: Taxonomy, records: list[PaperRecord], previous: dict[str, Previous]
) -> dict[str, Previous]:
    """Prose of every section with papers; unchanged sections keep their previous text."""

    async def one(section: str) -> tuple[str, Previous | None]:
        papers = section_papers(section, records)
        inputs = seam.document_key(
            "synthesize", payload(section, taxonomy, papers, []), SectionDraft
        )
        old = previous.get(section)
        if old is not None and old.inputs == inputs:
            model = seam.config("synthesize").model
            stats = seam.stats.setdefault("synthesize", StageStats(model=model))
            stats.papers += 1
            stats.cache_hits += 1
            return section, old
        # Leaf sections are updated (old sentences kept, old keys stay cited). The introduction,
        # surveys and challenges are aggregates (counts, top lists) and are written afresh.
        keep_previous = old is not None and section not in SPECIAL_SECTIONS
        old_sentences = old.sentences if old is not None and keep_previous else []
        old_starts = old.paragraph_starts if old is not None and keep_previous else []
        request = payload(section, taxonomy, papers, old_sentences, old_starts)
        context = section_context(section, papers, old_sentences)
        context["section"] = section
        answer = await seam.ask_document("synthesize", section, request, SectionDraft, context)
        if answer.value is None:  # keep the last good text; the next run asks again
            return section, old
        draft = answer.value
        assert isinstance(draft, SectionDraft)
        return section, Previous(inputs, list(draft.sentences), list(draft.paragraph_starts))

    results = await asyncio.gather(*(one(s) for s in section_ids(taxonomy, records)))
    return {section: text for section, text in results if text is not None}


def as_section_texts(written: dict[str, Previous]) -> dict[str, SectionText]:
    return {
        k: SectionText(section=k, sentences=v.sentences, paragraph_starts=v.paragraph_starts)
        for k, v in written.items()
    }


def estimate_synthesis(seam: Seam, taxonomy: Taxonomy, papers: list[Paper]) -> Estimate:
    """A rough --dry-run figure for the prose: one call per leaf plus three aggregate sections,
    each paper's data sent ~2.5 times (its leaves, the surveys/challenges sections)."""
    calls = len(taxonomy.leaves) + len(SPECIAL_SECTIONS)
    paper_tokens = sum(len(p.title) + len(p.abstract) + 200 for p in papers) // 4
    input_tokens = int(paper_tokens * 2.5) + calls * 600
    output_tokens = calls * OUTPUT_TOKENS_PER_ITEM["synthesize"]
    cost = request_cost(seam.config("synthesize").model, input_tokens, output_tokens)
    return Estimate(
        calls=calls, papers=calls, input_tokens=input_tokens, output_tokens=output_tokens,
        cost_usd=cost or 0.0, cost_known=cost is not None,
    )  # fmt: skip
