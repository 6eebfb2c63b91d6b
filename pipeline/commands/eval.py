"""`taxonomist eval`: score predictions (outputs/papers.jsonl) against gold labels."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from pipeline import console
from pipeline.evaluate import Scores

MAX_UNMATCHED_SHOWN = 10
DEFAULT_PRED = Path("outputs/papers.jsonl")


def eval_command(
    gold: Annotated[
        Path | None, typer.Option("--gold", "-g", help="Gold labels (JSON Lines).")
    ] = None,
    pred: Annotated[
        Path, typer.Option("--pred", "-p", help="Predictions (JSON Lines).")
    ] = DEFAULT_PRED,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    confusions: Annotated[
        int, typer.Option("--confusions", min=0, help="Primary confusions shown.")
    ] = 10,
    results_gold: Annotated[
        Path | None,
        typer.Option(
            "--results-gold",
            help="Hand-labelled results (JSON Lines, tests/fixtures/results/README.md): score "
            "the extracted results instead of the classification.",
        ),
    ] = None,
    split: Annotated[
        str, typer.Option("--split", help="Papers scored with --results-gold: all, dev, held-out.")
    ] = "all",
    local: Annotated[
        bool,
        typer.Option(
            "--local",
            help="With --results-gold: run the embedded model's extract stage on the labelled "
            "papers (read from the dumps their `source` names) instead of reading --pred.",
        ),
    ] = False,
) -> None:
    """Score predictions against gold labels (relevance, primary, levels, leaves, kind), or
    extracted results against labelled results (--results-gold)."""
    from pipeline.evaluate import read_jsonl, score

    if results_gold is not None:
        from pipeline.commands.eval_results import eval_results

        eval_results(results_gold, pred, split, local=local, as_json=as_json)
        return
    if gold is None:
        raise typer.BadParameter("give --gold (classification) or --results-gold (results)")
    scores = score(read_jsonl(gold, "gold"), read_jsonl(pred, "predictions"))
    if as_json:
        console.out.print_json(json.dumps(scores.as_dict()))
        return
    _print_scores(scores, confusions)


def _print_scores(scores: Scores, confusions: int) -> None:
    from rich.table import Table

    counts = Table(title="Papers", title_justify="left")
    counts.add_column("gold papers", justify="right")
    counts.add_column("matched", justify="right")
    counts.add_column("unmatched", justify="right")
    counts.add_column("scored (relevance labelled)", justify="right")
    counts.add_column("gold relevant", justify="right")
    counts.add_row(
        str(scores.gold_papers),
        str(scores.matched),
        str(len(scores.unmatched)),
        str(scores.scored),
        str(scores.gold_relevant),
    )
    console.out.print(counts)
    if scores.unmatched:
        console.out.print("Unmatched gold titles (not in the predictions, not scored):")
        for title in scores.unmatched[:MAX_UNMATCHED_SHOWN]:
            console.out.print(f"  - {title[:100]}", markup=False)
        if len(scores.unmatched) > MAX_UNMATCHED_SHOWN:
            console.out.print(f"  … and {len(scores.unmatched) - MAX_UNMATCHED_SHOWN} more")
    if confusions and scores.confusions:
        table = Table(title="Primary confusions (gold → predicted)", title_justify="left")
        table.add_column("gold")
        table.add_column("predicted")
        table.add_column("count", justify="right")
        for gold_leaf, pred_leaf, count in scores.confusions[:confusions]:
            table.add_row(gold_leaf, pred_leaf, str(count))
        console.out.print(table)
    # The headline scores come last, where a reader (or `| tail`) looks first.
    table = Table(title="Scores", title_justify="left")
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("over", justify="right")
    scored, relevant = str(scores.scored), str(scores.gold_relevant)
    rows = [
        ("relevance F1", scores.relevance_f1, scored),
        ("relevance accuracy", scores.relevance_accuracy, scored),
        ("primary strict", scores.primary_strict, relevant),
        ("primary lenient", scores.primary_lenient, relevant),
        ("levels F1", scores.levels_f1, relevant),
        ("leaves F1", scores.leaves_f1, relevant),
        ("kind accuracy", scores.kind_accuracy, relevant),
    ]
    for name, value, over in rows:
        table.add_row(name, f"{value:.3f}", over)
    console.out.print(table)


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_command)
