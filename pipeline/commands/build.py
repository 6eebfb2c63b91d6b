"""`taxonomist build`: the main job (dumps → outputs/)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from pipeline import console

if TYPE_CHECKING:
    from rich.progress import TaskID

STAGES = ("screen", "classify", "extract", "synthesize")


def build_command(
    paths: list[Path] = typer.Argument(..., help="Dump files or directories.", exists=True),
    out: Path = typer.Option(Path("outputs"), "--out", "-o", help="Output directory."),
    model: str = typer.Option(
        "local/taxonomist",
        "--model",
        "-m",
        help="litellm model name, e.g. openai/gpt-4o-mini, anthropic/claude-3-5-haiku-latest, "
        "ollama/qwen2.5, hosted_vllm/NAME (with --api-base). Default: the offline local model.",
    ),
    api_base: str | None = typer.Option(None, "--api-base", help="Base URL of the provider."),
    screen_model: str | None = typer.Option(None, "--screen-model", help="Model for screening."),
    classify_model: str | None = typer.Option(None, "--classify-model", help="Model for classify."),
    extract_model: str | None = typer.Option(None, "--extract-model", help="Model for extract."),
    taxonomy: Path | None = typer.Option(None, "--taxonomy", "-t", help="Taxonomy YAML file."),
    cache_dir: Path | None = typer.Option(
        None,
        "--cache-dir",
        help="Answer cache (default: $TAXONOMIST_CACHE_DIR or .taxonomist/cache).",
    ),
    concurrency: int = typer.Option(
        8, "--concurrency", "-j", min=1, help="Calls in flight at once."
    ),
    requests_per_minute: float | None = typer.Option(
        None, "--rpm", min=0.1, help="Limit on requests started per minute."
    ),
    workers: int | None = typer.Option(
        None,
        "--workers",
        min=1,
        help="Processes making requests (default: one per 8 requests in flight, up to the "
        "number of CPUs; for the embedded model one per CPU from 2,000 papers, else 1; "
        "1 = this process only).",
    ),
    papers_per_call: int | None = typer.Option(
        None,
        "--papers-per-call",
        min=1,
        max=50,
        help="Papers sent in one request (default: 16 for remote models, 32 for the local one).",
    ),
    context_tokens: int | None = typer.Option(
        None,
        "--context-tokens",
        min=1000,
        help="Input tokens one request may carry (the model's context window less room for its "
        "answer; default 32000 for remote models, 1000000 for the embedded one); batches and "
        "survey sections are split to fit, one paper that cannot fit is refused with a message.",
    ),
    mode: str = typer.Option(
        "json",
        "--mode",
        help="instructor mode: json, json_object_schema (llama.cpp), md_json, tools, json_schema.",
    ),
    timeout: float = typer.Option(120.0, "--timeout", min=1.0, help="Seconds per request."),
    max_reasks: int = typer.Option(2, "--max-reasks", min=0, help="Re-asks of an invalid answer."),
    replay: bool = typer.Option(
        False, "--replay", help="Never call a model: a cache miss is an error."
    ),
    max_cost: float | None = typer.Option(None, "--max-cost", min=0.0, help="Budget in USD."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Estimate calls, tokens and cost only."),
    batch: bool = typer.Option(
        False,
        "--batch",
        help="Send each paper stage's cache misses as one provider batch (OpenAI-style batch "
        "API, batch price; answers can take hours). An interrupted run resumes the same batch.",
    ),
    batch_poll: float = typer.Option(
        30.0, "--batch-poll", min=0.01, help="Seconds between checks of a batch's status."
    ),
    synthesize_model: str | None = typer.Option(
        None, "--synthesize-model", help="Model for prose."
    ),
    allow_failures: bool = typer.Option(
        False,
        "--allow-failures",
        help="Publish the survey even if some papers failed (they are listed in the run log "
        "and counted in the survey); without it a run with failures changes nothing in --out.",
    ),
    templates: Path | None = typer.Option(
        None,
        "--templates",
        exists=True,
        file_okay=False,
        help="Directory of survey templates overriding the built-in ones (same file names).",
    ),
) -> None:
    """Build the survey: ingest → screen → classify → extract → synthesize → render outputs/."""
    from pipeline.build import BuildOptions, build
    from pipeline.seam.cache import resolve_cache_dir
    from pipeline.seam.settings import AskSettings, ModelConfig
    from pipeline.taxonomy import load_taxonomy

    def config(name: str | None) -> ModelConfig:
        return ModelConfig(
            model=name or model,
            api_base=api_base,
            mode=mode,
            timeout=timeout,
            max_reasks=max_reasks,
            papers_per_call=papers_per_call,
            context_tokens=context_tokens,
        )

    models = {
        "default": config(None),
        "screen": config(screen_model),
        "classify": config(classify_model),
        "extract": config(extract_model),
        "synthesize": config(synthesize_model),
    }
    cache_path = resolve_cache_dir(cache_dir)
    options = BuildOptions(
        paths=list(paths),
        out_dir=out,
        cache_dir=cache_path,
        runs_dir=cache_path.parent / "runs",
        allow_failures=allow_failures,
        taxonomy=load_taxonomy(taxonomy),
        models=models,
        settings=AskSettings(
            replay=replay,
            dry_run=dry_run,
            concurrency=concurrency,
            requests_per_minute=requests_per_minute,
            workers=workers,
            max_cost=max_cost,
            batch=batch,
            batch_dir=cache_path.parent / "batches",
            batch_poll_seconds=batch_poll,
        ),
        templates_dir=templates,
    )
    try:
        with _progress_bar() as progress, _terminate_as_interrupt():
            options.progress = progress
            result = build(options)
    except KeyboardInterrupt:
        console.error(
            f"interrupted: {out}/ was left as it was; every answer finished so far is in the "
            "cache, so running the same command again resumes"
        )
        raise typer.Exit(130) from None
    from pipeline.commands.ingest import print_issues
    from schemas.report import IngestReport

    print_issues(IngestReport.model_validate(result.report["ingest"]))
    if dry_run:
        _print_estimate(result.seam)
        return
    _print_stages(result.report)
    run_log = options.runs_dir / "last.json" if options.runs_dir else None
    if result.seam.failures:
        for failure in result.seam.failures[:10]:
            console.error(f"{failure.stage} failed for {failure.title[:70]!r}: {failure.error}")
        more = len(result.seam.failures) - 10
        if more > 0:
            console.error(f"... and {more} more (see {run_log})")
        count = len(result.seam.failures)
        if result.published:
            console.error(
                f"{count} paper answer(s) failed; --allow-failures: {out}/ was written without "
                f"them (listed in {run_log}). Run the same command again to retry only them."
            )
        else:
            console.error(
                f"{count} paper answer(s) failed, so nothing was published: {out}/ was left as "
                f"it was (the failures are listed in {run_log}). Run the same command again to "
                "retry only the failed papers, or pass --allow-failures to publish without them."
            )
        raise typer.Exit(1)
    doubtful = result.report.get("low_confidence") or []
    if doubtful:
        shown = ", ".join(f"{d['title'][:50]!r} ({d['confidence']})" for d in doubtful[:3])
        console.info(
            f"{len(doubtful)} paper(s) answered with low confidence, least first: {shown}"
            f"{' ...' if len(doubtful) > 3 else ''} (all in {run_log}, low_confidence)"
        )
    console.info(
        f"wrote {out}/: survey.md, survey.tex, references.bib, papers.jsonl "
        f"(run statistics: {run_log})"
    )


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM stops a build the way Ctrl-C does: outputs untouched, answers kept in the cache."""
    import _thread
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        if callable(signal.getsignal(signal.SIGINT)):
            _thread.interrupt_main(signal.SIGINT)  # asyncio's own Ctrl-C handling, if it runs
        else:  # SIGINT ignored (a background job of a script): interrupt_main would do nothing
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _progress_bar() -> Iterator[Callable[[str, int, int], None] | None]:
    """A rich progress bar per stage on an interactive terminal; nothing in logs or CI."""
    if console.is_quiet() or not console.err.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    bars: dict[str, TaskID] = {}
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console.err,
        transient=True,
    ) as progress:

        def update(stage: str, planned: int, done: int) -> None:
            if stage not in bars:
                bars[stage] = progress.add_task(stage, total=0)
            task = bars[stage]
            total = progress.tasks[task].total or 0
            progress.update(task, total=total + planned, advance=done)

        yield update


def _print_stages(report: dict[str, object]) -> None:
    from rich.table import Table

    if console.is_quiet():
        return
    table = Table(title="model calls per stage")
    for column in (
        "stage",
        "model",
        "papers",
        "calls",
        "cache hits",
        "re-asks",
        "retries",
        "failed",
        "in tokens",
        "out tokens",
        "cost USD",
    ):
        table.add_column(column, justify="left" if column in ("stage", "model") else "right")
    stages = report.get("stages", {})
    assert isinstance(stages, dict)
    for stage, stats in stages.items():
        cost = f"{stats['cost_usd']:.4f}" if stats["cost_known"] else "unknown"
        if stats.get("pricing", "standard") != "standard":
            cost = f"{cost} ({stats['pricing']})"
        table.add_row(
            stage,
            stats["model"],
            str(stats["papers"]),
            str(stats["calls"]),
            str(stats["cache_hits"]),
            str(stats["reasks"]),
            str(stats["retries"]),
            str(stats["failed"]),
            str(stats["input_tokens"]),
            str(stats["output_tokens"]),
            cost,
        )
    console.err.print(table)


def _print_estimate(seam: object) -> None:
    from rich.table import Table

    from pipeline.seam.ask import Seam

    assert isinstance(seam, Seam)
    table = Table(title="dry run: estimated model use (cache misses only)")
    for column in ("stage", "model", "papers", "calls", "in tokens", "out tokens", "cost USD"):
        table.add_column(column)
    for stage in STAGES:
        est = seam.estimates.get(stage)
        if est is None:
            table.add_row(stage, seam.config(stage).model, "0", "0", "0", "0", "0.0000")
            continue
        cost = f"{est.cost_usd:.4f}" if est.cost_known else "unknown (model not priced)"
        if est.pricing != "standard":
            cost = f"{cost} ({est.pricing})"
        table.add_row(
            stage,
            seam.config(stage).model,
            str(est.papers),
            str(est.calls),
            str(est.input_tokens),
            str(est.output_tokens),
            cost,
        )
    console.out.print(table)
    console.out.print(
        "classify/extract assume every unscreened paper is relevant (upper bound); synthesize "
        "is a rough figure (one call per leaf and aggregate section)."
    )


def register(app: typer.Typer) -> None:
    app.command("build")(build_command)
