"""`taxonomist eval --results-gold`: score extracted results against hand-labelled ones."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline import console
from pipeline.errors import InputError
from pipeline.evaluate_results import SPLITS, ResultScores, local_predictions, score_results

MAX_ERRORS_SHOWN = 8


def eval_results(
    gold_path: Path, pred_path: Path, split: str, *, local: bool, as_json: bool
) -> None:
    """Print precision with the right metric, share of non-results and headline recall."""
    from pipeline.evaluate import read_jsonl

    if split not in SPLITS:
        raise InputError(f"--split {split!r} is not one of {', '.join(SPLITS)}: pick one of them")
    gold = read_jsonl(gold_path, "results gold")
    pred = local_predictions(gold, Path.cwd()) if local else read_jsonl(pred_path, "predictions")
    scores = score_results(gold, pred, split)
    if as_json:
        console.out.print_json(json.dumps(scores.as_dict()))
        return
    _print(scores)


def _print(scores: ResultScores) -> None:
    from rich.table import Table

    if scores.unmatched:
        console.out.print(f"{len(scores.unmatched)} labelled papers not in the predictions:")
        for title in scores.unmatched[:MAX_ERRORS_SHOWN]:
            console.out.print(f"  - {title[:100]}", markup=False)
    errors = Table(title="Most common errors", title_justify="left")
    errors.add_column("error")
    errors.add_column("count", justify="right")
    for error, times in scores.errors.most_common(MAX_ERRORS_SHOWN):
        errors.add_row(error, str(times))
    console.out.print(errors)
    table = Table(title=f"Results ({scores.split}, {scores.papers} papers)", title_justify="left")
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("count", justify="right")
    rows: list[tuple[str, float, str]] = [
        ("precision with the right metric", scores.precision_with_metric,
         f"{scores.right_metric}/{scores.extracted}"),
        ("share of non-results", scores.non_result_share,
         f"{scores.non_results}/{scores.extracted}"),
        ("headline recall (right metric)", scores.headline_recall,
         f"{scores.headline_found}/{scores.headline}"),
        ("headline recall (number only)",
         scores.headline_number_found / scores.headline if scores.headline else 0.0,
         f"{scores.headline_number_found}/{scores.headline}"),
    ]  # fmt: skip
    for name, value, count in rows:
        table.add_row(name, f"{value:.3f}", count)
    console.out.print(table)
