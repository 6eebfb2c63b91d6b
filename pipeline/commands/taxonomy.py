"""`taxonomist taxonomy`: print the taxonomy as a tree; `induce` and `propose` a taxonomy."""

from __future__ import annotations

from pathlib import Path

import typer

from pipeline import console

taxonomy_app = typer.Typer(
    help="Print the taxonomy (no subcommand), induce one from a corpus, or propose changes.",
    invoke_without_command=True,
    no_args_is_help=False,
)

_TAXONOMY_HELP = "Taxonomy YAML file (default: the built-in one)."


@taxonomy_app.callback()
def show_taxonomy(
    ctx: typer.Context,
    taxonomy: Path | None = typer.Option(None, "--taxonomy", "-t", help=_TAXONOMY_HELP),
    descriptions: bool = typer.Option(False, "--descriptions", "-d", help="Show descriptions."),
) -> None:
    """Print the taxonomy as a tree of levels and leaves."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = taxonomy
        return
    from rich.text import Text
    from rich.tree import Tree

    from pipeline.taxonomy import load_taxonomy

    tax = load_taxonomy(taxonomy)
    # Text(), not markup strings: a name like "Quantization [INT8]" is the user's text.
    tree = Tree(Text(tax.title, style="bold"))
    for level in tax.levels:
        branch = tree.add(Text.assemble((level.id, "bold"), f" — {level.name}"))
        for leaf in level.leaves:
            node = branch.add(Text(f"{leaf.id} — {leaf.name}"))
            if descriptions:
                node.add(Text(" ".join(leaf.description.split()), style="dim"))
            if descriptions and leaf.families:
                node.add(Text("families: " + "; ".join(f.name for f in leaf.families), style="dim"))
    console.out.print(tree, soft_wrap=False)


def _job(
    ctx: typer.Context,
    paths: list[Path],
    taxonomy: Path | None,
    model: str,
    api_base: str | None,
    cache_dir: Path | None,
    replay: bool,
    outputs: Path,
) -> object:
    from pipeline.seam import AskSettings, ModelConfig, resolve_cache_dir
    from pipeline.taxonomy import load_taxonomy
    from pipeline.taxonomy_jobs import TaxonomyJob

    config = ModelConfig(model=model, api_base=api_base)
    return TaxonomyJob(
        paths=list(paths),
        cache_dir=resolve_cache_dir(cache_dir),
        taxonomy=load_taxonomy(taxonomy or ctx.obj),
        models={"default": config},
        settings=AskSettings(replay=replay),
        outputs=outputs,
    )


_PATHS = typer.Argument(..., help="Dump files or directories.", exists=True)
_MODEL = typer.Option("local/taxonomist", "--model", "-m", help="litellm model name.")
_API_BASE = typer.Option(None, "--api-base", help="Base URL of the provider.")
_CACHE = typer.Option(None, "--cache-dir", help="Answer cache (default: as for build).")
_REPLAY = typer.Option(False, "--replay", help="Never call a model: a cache miss is an error.")
_OUTPUTS = typer.Option(
    Path("outputs"), "--outputs", help="The build's output folder (its citation keys are reused)."
)


@taxonomy_app.command("induce")
def induce_command(
    ctx: typer.Context,
    paths: list[Path] = _PATHS,
    out: Path = typer.Option(
        Path("taxonomy.proposed.yaml"), "--out", "-o", help="Where to write the taxonomy."
    ),
    taxonomy: Path | None = typer.Option(
        None, "--taxonomy", "-t", help="Seed taxonomy: its levels (and leaves as a start)."
    ),
    from_scratch: bool = typer.Option(
        False, "--from-scratch", help="Use only the seed's levels, not its leaves and cues."
    ),
    max_leaves: int = typer.Option(30, "--max-leaves", min=2, max=80, help="Leaves at most."),
    model: str = _MODEL,
    api_base: str | None = _API_BASE,
    cache_dir: Path | None = _CACHE,
    replay: bool = _REPLAY,
    outputs: Path = _OUTPUTS,
) -> None:
    """Induce a taxonomy from the relevant papers of the dumps (a file `build --taxonomy` takes).

    Also writes OUT with `.md` (a review report) and `.members.jsonl` (each paper's induced
    leaf, for `taxonomist eval --clusters`)."""
    from pipeline.taxonomy_jobs import (
        TAXONOMY_HEADER,
        TaxonomyJob,
        induce_job,
        induce_report,
        members_jsonl,
        taxonomy_yaml,
        write_text,
    )

    job = _job(ctx, paths, taxonomy, model, api_base, cache_dir, replay, outputs)
    assert isinstance(job, TaxonomyJob)
    induced = induce_job(job, use_existing_leaves=not from_scratch, max_leaves=max_leaves)
    header = TAXONOMY_HEADER.format(papers=len(induced.proposal.members()))
    write_text(out, taxonomy_yaml(induced.taxonomy, header))
    write_text(out.with_suffix(".md"), induce_report(induced))
    write_text(
        out.with_suffix(".members.jsonl"),
        members_jsonl(induced.proposal, induced.corpus.records),
    )
    for leaf in induced.proposal.leaves:
        console.out.print(f"{leaf.id:40s} {len(leaf.members):4d}  {leaf.name}", markup=False)
    console.info(
        f"wrote {out} ({len(induced.proposal.leaves)} leaves), {out.with_suffix('.md')}, "
        f"{out.with_suffix('.members.jsonl')}"
    )


@taxonomy_app.command("propose")
def propose_command(
    ctx: typer.Context,
    paths: list[Path] = _PATHS,
    taxonomy: Path | None = typer.Option(
        None, "--taxonomy", "-t", help="Taxonomy file to review (default: the built-in one)."
    ),
    apply: bool = typer.Option(
        False, "--apply", help="Write the changes marked for applying into the taxonomy file."
    ),
    accept: str = typer.Option(
        "", "--accept", help="Also apply these review-only changes, by number (e.g. 2,5)."
    ),
    report: Path = typer.Option(
        Path("taxonomy.proposal.md"), "--report", help="Where to write the Markdown report."
    ),
    model: str = _MODEL,
    api_base: str | None = _API_BASE,
    cache_dir: Path | None = _CACHE,
    replay: bool = _REPLAY,
    outputs: Path = _OUTPUTS,
) -> None:
    """Propose changes to the taxonomy from the classified dumps: print the unified diff of the
    taxonomy file, write a Markdown report; --apply writes the file."""
    from pipeline.errors import InputError
    from pipeline.paths import DEFAULT_TAXONOMY
    from pipeline.taxonomy_edit import edited_text, unified_diff
    from pipeline.taxonomy_jobs import (
        TaxonomyJob,
        chosen_changes,
        propose_job,
        propose_report,
        write_text,
    )

    try:
        accepted = [int(n) for n in accept.split(",") if n.strip()]
    except ValueError:
        raise InputError(f"--accept {accept!r}: give change numbers like 2,5") from None
    job = _job(ctx, paths, taxonomy, model, api_base, cache_dir, replay, outputs)
    assert isinstance(job, TaxonomyJob)
    path = taxonomy or ctx.obj or DEFAULT_TAXONOMY
    proposed = propose_job(job)
    unknown = [n for n in accepted if not 1 <= n <= len(proposed.changes)]
    if unknown:
        raise InputError(
            f"--accept {unknown}: there are {len(proposed.changes)} proposed changes; "
            "pass numbers from the report"
        )
    chosen = chosen_changes(proposed.changes, accepted)
    old = Path(path).read_text(encoding="utf-8")
    new = edited_text(old, job.taxonomy, chosen)
    diff = unified_diff(old, new, Path(path).name)
    write_text(report, propose_report(proposed, diff, chosen))
    for number, change in enumerate(proposed.changes, start=1):
        mark = "apply " if change in chosen else "review"
        target = f" -> {change.target}" if change.target else ""
        console.out.print(
            f"{number:3d}. [{mark}] {change.kind} {change.leaf}{target}: "
            f"{len(change.members)} papers",
            markup=False,
        )
    console.out.print(diff or "(no change to the taxonomy file)", markup=False, end="")
    if apply and new != old:
        write_text(Path(path), new)
        console.info(f"wrote {path}; run `taxonomist build` again, then `taxonomist diff`")
    console.info(f"wrote {report}")


def register(app: typer.Typer) -> None:
    app.add_typer(taxonomy_app, name="taxonomy")
