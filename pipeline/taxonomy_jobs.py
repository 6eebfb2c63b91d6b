"""Orchestration of `taxonomist taxonomy induce` and `propose`: ingest, the paper stages through
the seam (same cache as `build`), then the taxonomy stage; files are written only on success."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import InputError
from pipeline.keymap import load_keymap
from pipeline.publish import load_titles
from pipeline.seam import AnswerCache, AskSettings, ModelConfig, Seam
from pipeline.stages import merge_record, paper_input
from schemas.induce import TaxonomyProposal
from schemas.paper import Paper
from schemas.propose import Change
from schemas.record import PaperRecord
from schemas.taxonomy import Taxonomy


@dataclass
class TaxonomyJob:
    """What both commands need: the dumps, the taxonomy, the models and the cache."""

    paths: list[Path]
    cache_dir: Path
    taxonomy: Taxonomy
    models: dict[str, ModelConfig]
    settings: AskSettings = field(default_factory=AskSettings)
    outputs: Path = Path("outputs")  # its key map gives the citation keys `build` gave


@dataclass
class Corpus:
    """The ingested papers and their records (screened; classified when asked for)."""

    papers: list[Paper]
    records: list[PaperRecord]

    @property
    def relevant(self) -> list[PaperRecord]:
        return [r for r in self.records if r.relevant is True]


def read_corpus(job: TaxonomyJob, seam: Seam, classify: bool) -> Corpus:
    """Ingest the dumps and run screen (and classify) through the seam."""
    from pipeline.build import run_stages
    from pipeline.ingest import ingest

    ingested = ingest(
        job.paths, known_keys=load_keymap(job.outputs), known_titles=load_titles(job.outputs)
    )
    papers = ingested.corpus.papers
    if not papers:
        raise InputError(
            f"no paper was read from {', '.join(str(p) for p in job.paths)}: pass dump files in "
            "a known layout"
        )
    if classify:
        answers = asyncio.run(run_stages(seam, papers))
    else:
        answers = {"screen": asyncio.run(seam.ask("screen", [paper_input(p) for p in papers]))}
    records = [merge_record(paper, answers) for paper in papers]
    return Corpus(papers, records)


def make_seam(job: TaxonomyJob, cache: AnswerCache) -> Seam:
    return Seam(cache, job.taxonomy, job.models, job.settings)


@dataclass
class Induced:
    proposal: TaxonomyProposal
    taxonomy: Taxonomy
    corpus: Corpus
    seam: Seam


def induce_job(job: TaxonomyJob, use_existing_leaves: bool, max_leaves: int) -> Induced:
    """Induce a taxonomy of the relevant papers of the dumps."""
    from pipeline.stages.induce import induce_taxonomy

    cache = AnswerCache(job.cache_dir)
    try:
        seam = make_seam(job, cache)
        corpus = read_corpus(job, seam, classify=False)
        papers = [paper_input(r) for r in corpus.relevant]
        proposal = asyncio.run(
            induce_taxonomy(
                seam, papers, use_existing_leaves=use_existing_leaves, max_leaves=max_leaves
            )
        )
    finally:
        cache.close()
    return Induced(proposal, proposal.to_taxonomy(job.taxonomy), corpus, seam)


# ------------------------------------------------------------------------------ files
TAXONOMY_HEADER = (
    "# Induced by `taxonomist taxonomy induce` from {papers} relevant papers.\n"
    "# Review names, scopes and cues, then use it with `taxonomist build --taxonomy FILE`.\n"
)


def taxonomy_yaml(taxonomy: Taxonomy, header: str = "") -> str:
    """The taxonomy as YAML in the layout of taxonomy.yaml (empty lists left out)."""
    data = taxonomy.model_dump(mode="json")
    for level in data["levels"]:
        for leaf in level["leaves"]:
            for name in ("cues", "title_cues", "negative_cues", "families"):
                if not leaf[name]:
                    del leaf[name]
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return header + body


def members_jsonl(proposal: TaxonomyProposal, records: list[PaperRecord]) -> str:
    """One line per member paper: id, key, title and its induced leaf (what `eval` scores)."""
    by_id = {r.id: r for r in records}
    lines = []
    for paper_id, leaf in sorted(proposal.members().items()):
        record = by_id[paper_id]
        item: dict[str, Any] = {
            "id": paper_id, "key": record.key, "title": record.title, "relevant": True,
            "primary": leaf, "leaves": [leaf],
        }  # fmt: skip
        lines.append(json.dumps(item, ensure_ascii=False, sort_keys=True))
    return "\n".join(lines) + "\n"


def induce_report(induced: Induced) -> str:
    """Markdown for a reviewer: each leaf with its scope, families, cues, members and quotes."""
    by_id = {r.id: r for r in induced.corpus.records}
    lines = [
        "# Induced taxonomy",
        "",
        f"{len(induced.proposal.members())} relevant papers in "
        f"{len(induced.proposal.leaves)} leaves.",
        "",
    ]
    for leaf in induced.proposal.leaves:
        lines += [f"## {leaf.name} (`{leaf.id}`, {len(leaf.members)} papers)", "", leaf.scope, ""]
        if leaf.families:
            lines += ["Families: " + "; ".join(leaf.families), ""]
        lines += ["Defining phrases: " + ", ".join(f"`{c}`" for c in leaf.title_cues), ""]
        for quote in leaf.evidence:
            key = by_id[quote.paper_id].key
            lines.append(f"> {_one_line(quote.quote)} [{key}]")
        lines += ["", "Members:", ""]
        for member in sorted(leaf.members, key=lambda m: by_id[m].key):
            record = by_id[member]
            lines.append(f"- `{record.key}` {_one_line(record.title)}")
        lines.append("")
    return "\n".join(lines)


def _one_line(text: str) -> str:
    """Paper text shown as plain text in Markdown: one line, markup characters escaped."""
    flat = " ".join(text.split())
    for char in "\\`*_[]<>#|":
        flat = flat.replace(char, "\\" + char)
    return flat


def write_text(path: Path, text: str) -> None:
    """Write atomically (a failed run never leaves a half-written file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


# ---------------------------------------------------------------------------- propose
@dataclass
class Proposed:
    changes: list[Change]
    corpus: Corpus
    seam: Seam


def propose_job(job: TaxonomyJob) -> Proposed:
    """Classify the dumps under the current taxonomy and ask for changes to it."""
    from pipeline.stages.propose import propose_changes

    cache = AnswerCache(job.cache_dir)
    try:
        seam = make_seam(job, cache)
        corpus = read_corpus(job, seam, classify=True)
        answer = asyncio.run(propose_changes(seam, corpus.relevant))
    finally:
        cache.close()
    return Proposed(list(answer.changes), corpus, seam)


def chosen_changes(changes: list[Change], accept: list[int]) -> list[Change]:
    """The changes `--apply` writes: those marked apply, plus the numbers the user accepted."""
    return [c for n, c in enumerate(changes, start=1) if c.apply or n in accept]


def propose_report(proposed: Proposed, diff: str, chosen: list[Change]) -> str:
    """Markdown for a reviewer: each change, why, its members with citation keys, sizes."""
    by_id = {r.id: r for r in proposed.corpus.records}
    lines = ["# Proposed taxonomy changes", ""]
    if not proposed.changes:
        lines += ["No change proposed.", ""]
    for number, change in enumerate(proposed.changes, start=1):
        target = f" → `{change.target}`" if change.target else ""
        status = "applied with --apply" if change in chosen else "review only"
        lines += [f"## {number}. {change.kind} `{change.leaf}`{target} ({status})", ""]
        lines += [_one_line(change.why), ""]
        for edit in change.edits:
            for name in ("title_cues", "cues", "negative_cues"):
                phrases = getattr(edit, name)
                if phrases:
                    shown = ", ".join(f"`{p}`" for p in phrases)
                    lines.append(f"- add to {name} of `{edit.leaf}`: {shown}")
        for new in change.new_leaves:
            lines.append(
                f"- new leaf `{new.id}` {_one_line(new.name)} ({len(new.members)} papers): "
                + ", ".join(
                    f"`{by_id[m].key}`" for m in sorted(new.members, key=lambda m: by_id[m].key)
                )
            )
        if change.sizes:
            lines.append(
                "- expected primary counts: "
                + ", ".join(f"`{leaf}` {size}" for leaf, size in sorted(change.sizes.items()))
            )
        for quote in change.evidence:
            lines.append(f"> {_one_line(quote.quote)} [{by_id[quote.paper_id].key}]")
        if change.members and not change.new_leaves:
            lines += ["", "Members:", ""]
            for member in sorted(change.members, key=lambda m: by_id[m].key):
                record = by_id[member]
                lines.append(f"- `{record.key}` {_one_line(record.title)} (now `{record.primary}`)")
        lines.append("")
    lines += ["## Diff of the taxonomy file (what --apply writes)", ""]
    lines += ["```diff", diff.rstrip("\n") or "(no change)", "```", ""]
    return "\n".join(lines)
