"""The main job: ingest → screen → classify → extract → synthesize → render outputs/."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.keymap import load_keymap, save_keymap
from pipeline.publish import (
    OutputTransaction,
    load_titles,
    write_gitignore,
    write_jsonl,
    write_report,
)
from pipeline.seam import Answer, AnswerCache, AskSettings, ModelConfig, Seam
from pipeline.stages import merge_record, paper_input
from pipeline.stages.screen import is_relevant, low_confidence
from pipeline.stages.synthesize import (
    Previous,
    as_section_texts,
    estimate_synthesis,
    load_previous,
    save_sections,
    synthesize,
)
from schemas.paper import Paper
from schemas.record import PaperRecord
from schemas.taxonomy import Taxonomy

COMPARED_TITLES_FILE = "compared-titles.json"  # in the cache folder: fuzzy dedupe's memory


@dataclass
class BuildOptions:
    paths: list[Path]
    out_dir: Path
    cache_dir: Path
    taxonomy: Taxonomy
    models: dict[str, ModelConfig]
    settings: AskSettings = field(default_factory=AskSettings)
    templates_dir: Path | None = None
    render: bool = True
    allow_failures: bool = False
    runs_dir: Path | None = None  # where the run's statistics go (.taxonomist/runs/)
    progress: Callable[[str, int, int], None] | None = None


@dataclass
class BuildResult:
    records: list[PaperRecord]
    report: dict[str, Any]
    seam: Seam
    keys: tuple[dict[str, str], dict[str, str]] = ({}, {})  # (earlier runs' keys, this run's)
    sections: dict[str, Previous] = field(default_factory=dict)
    previous: dict[str, Previous] = field(default_factory=dict)
    published: bool = False

    @property
    def ok(self) -> bool:
        return not self.seam.failures


async def run_stages(seam: Seam, papers: list[Paper]) -> dict[str, dict[str, Answer]]:
    """Screen every paper; classify and extract the relevant ones.

    Classify and extract start as soon as a full batch of relevant papers is screened, so the
    stages overlap instead of waiting for each other (batches stay full; only their make-up
    depends on which screening answers arrive first, and answers are cached per paper).
    """
    inputs = [paper_input(p) for p in papers]
    by_id = {item["paper_id"]: item for item in inputs}
    if seam.settings.dry_run:
        return await _estimate_stages(seam, inputs)
    followers = ("classify", "extract")
    pending: dict[str, list[dict[str, str]]] = {stage: [] for stage in followers}
    tasks: list[tuple[str, asyncio.Task[dict[str, Answer]]]] = []

    def dispatch(stage: str, items: list[dict[str, str]]) -> None:
        tasks.append((stage, asyncio.ensure_future(seam.ask(stage, items))))

    def on_screened(answers: dict[str, Answer], cached: bool) -> None:
        relevant = [by_id[pid] for pid, answer in sorted(answers.items()) if is_relevant(answer)]
        for stage in followers:
            if cached:  # known papers: one request set, the seam batches their misses itself
                if relevant:
                    dispatch(stage, relevant)
                continue
            pending[stage] += relevant
            size = seam.config(stage).batch_size
            while len(pending[stage]) >= size:
                dispatch(stage, pending[stage][:size])
                pending[stage] = pending[stage][size:]

    screened = await seam.ask("screen", inputs, on_batch=on_screened)
    for stage, rest in pending.items():
        if rest:
            dispatch(stage, rest)
    answers: dict[str, dict[str, Answer]] = {"screen": screened, "classify": {}, "extract": {}}
    for (stage, _), result in zip(tasks, await asyncio.gather(*(t for _, t in tasks)), strict=True):
        answers[stage].update(result)
    return answers


async def _estimate_stages(
    seam: Seam, inputs: list[dict[str, str]]
) -> dict[str, dict[str, Answer]]:
    """--dry-run: unscreened papers count as relevant, so the estimate is an upper bound."""
    screened = await seam.ask("screen", inputs)

    relevant = [
        item
        for item in inputs
        if item["paper_id"] not in screened or is_relevant(screened[item["paper_id"]])
    ]
    classified, extracted = await asyncio.gather(
        seam.ask("classify", relevant), seam.ask("extract", relevant)
    )
    return {"screen": screened, "classify": classified, "extract": extracted}


async def run_all(
    seam: Seam, taxonomy: Taxonomy, papers: list[Paper], previous: dict[str, Previous]
) -> tuple[list[PaperRecord], dict[str, Previous]]:
    """All model stages in one event loop: paper stages, then prose per section."""
    answers = await run_stages(seam, papers)
    records = [merge_record(paper, answers) for paper in papers]
    if seam.settings.dry_run:
        seam.estimates["synthesize"] = estimate_synthesis(seam, taxonomy, papers)
        return records, {}
    sections = await synthesize(seam, taxonomy, records, previous)
    return records, sections


def build(options: BuildOptions) -> BuildResult:
    """Run the pipeline and publish outputs/ as one transaction.

    Everything is written into a staging copy of the output directory and published only when
    every paper got its answers (or ``allow_failures`` is set); a failed, interrupted or crashed
    run leaves the output directory as it was. The run's statistics go to ``runs_dir``.
    """
    if options.settings.dry_run:
        return _run(options)
    transaction = OutputTransaction(options.out_dir)
    with transaction as staging:
        result = _run(options)
        try:
            if result.ok or options.allow_failures:
                _write(options, result, staging)
                transaction.publish()
                result.published = True
        finally:
            result.report["published"] = result.published
            if options.runs_dir is not None:
                write_report(options.runs_dir / "last.json", result.report)
    return result


def _run(options: BuildOptions) -> BuildResult:
    """Ingest and ask every stage; nothing is written but the answer cache."""
    from pipeline.ingest import ingest
    from pipeline.ingest.dedupe import ComparedTitles

    known_keys = load_keymap(options.out_dir)
    previous = load_previous(options.out_dir)
    compared_file = options.cache_dir / COMPARED_TITLES_FILE
    compared = ComparedTitles.load(compared_file)
    ingested = ingest(
        options.paths,
        known_keys=known_keys,
        known_titles=load_titles(options.out_dir),
        compared=compared,
    )
    compared.save(compared_file)  # a cache like the answers: kept even if the run fails
    papers = ingested.corpus.papers
    if not papers:
        skipped = "; ".join(f"{s.file}: {s.reason}" for s in ingested.report.skipped_files[:5])
        raise InputError(
            f"no paper was read from {', '.join(str(p) for p in options.paths)}"
            + (f" (skipped: {skipped})" if skipped else "")
            + ": pass dump files in a known layout; outputs/ was left as it was"
        )
    cache = AnswerCache(options.cache_dir)
    try:
        settings = dataclasses.replace(options.settings, papers=len(papers))
        seam = Seam(cache, options.taxonomy, options.models, settings)
        seam.progress = options.progress
        records, sections = asyncio.run(run_all(seam, options.taxonomy, papers, previous))
    finally:
        cache.close()
    report: dict[str, Any] = {
        "ingest": ingested.report.model_dump(mode="json"),
        "stages": {
            stage: stats.model_dump(mode="json") for stage, stats in sorted(seam.stats.items())
        },
        "failed": [
            f.model_dump(mode="json")
            for f in sorted(seam.failures, key=lambda f: (f.stage, f.paper_id))
        ],
        "low_confidence": low_confidence(records),
    }
    return BuildResult(
        records=records,
        report=report,
        seam=seam,
        keys=(known_keys, {p.id: p.key for p in papers}),
        sections=sections,
        previous=previous,
    )


def _write(options: BuildOptions, result: BuildResult, staging: Path) -> None:
    """Write every output file of a finished run into the staging directory."""
    write_jsonl(staging / "papers.jsonl", result.records)
    save_keymap(staging, *result.keys)
    # A run with failed papers keeps the previous prose as the memory of the next run, so the
    # run that retries them writes the same survey as a run that never failed.
    save_sections(staging, result.sections if result.ok else result.previous)
    write_gitignore(staging)
    if options.render:
        from pipeline.render import render_survey

        render_survey(
            result.records,
            as_section_texts(result.sections),
            options.taxonomy,
            staging,
            options.templates_dir,
        )
