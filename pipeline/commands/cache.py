"""`taxonomist cache stats|clear|export|import`: inspect and share recorded answers."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from pipeline import console

cache_app = typer.Typer(
    help="Inspect, clear, export and import the answer cache.", no_args_is_help=True
)

CacheDirOption = typer.Option(
    None, "--cache-dir", help="Answer cache (default: $TAXONOMIST_CACHE_DIR or .taxonomist/cache)."
)


def _open(cache_dir: Path | None):  # type: ignore[no-untyped-def]
    from pipeline.seam.cache import AnswerCache, resolve_cache_dir

    return AnswerCache(resolve_cache_dir(cache_dir))


@cache_app.command("stats")
def stats(cache_dir: Path | None = CacheDirOption) -> None:
    """Print entries per stage and model, and the size on disk."""
    cache = _open(cache_dir)
    try:
        console.out.print_json(json.dumps(cache.stats(), sort_keys=True))
    finally:
        cache.close()


@cache_app.command("clear")
def clear(
    cache_dir: Path | None = CacheDirOption,
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Delete every recorded answer (paid answers are lost: export them first)."""
    from pipeline.seam.cache import CacheDamaged, clear_damaged, resolve_cache_dir

    try:
        cache = _open(cache_dir)
    except CacheDamaged as exc:
        directory = resolve_cache_dir(cache_dir)
        console.warn(str(exc).split(": run")[0])
        if not yes and not typer.confirm(f"delete the damaged cache in {directory}?"):
            raise typer.Exit(1) from None
        console.info(f"removed the damaged cache ({clear_damaged(directory)} files and folders)")
        return
    try:
        if not yes and not typer.confirm(f"delete {len(cache)} cached answers?"):
            raise typer.Exit(1)
        removed = cache.clear()
        console.info(f"removed {removed} entries")
    finally:
        cache.close()


@cache_app.command("export")
def export(
    file: Path = typer.Argument(..., help="JSON Lines file to write (commit it to share answers)."),
    cache_dir: Path | None = CacheDirOption,
) -> None:
    """Write every entry as sorted JSON Lines (no API keys are ever stored)."""
    cache = _open(cache_dir)
    try:
        count = cache.export_jsonl(file)
    finally:
        cache.close()
    console.info(f"exported {count} entries to {file}")


@cache_app.command("import")
def import_(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="File from `cache export`."),
    cache_dir: Path | None = CacheDirOption,
) -> None:
    """Load entries exported by a teammate; a later build reuses them instead of calling a model."""
    cache = _open(cache_dir)
    try:
        count = cache.import_jsonl(file)
    finally:
        cache.close()
    console.info(f"imported {count} entries from {file}")


def register(app: typer.Typer) -> None:
    app.add_typer(cache_app, name="cache")
