"""What the learned head's "add" step alone would do, out of fold, on every committed set.

    .venv/bin/python bench/results_add_screen.py [--variant plain|own|balanced] [--c 1.0]

Each committed labelled set (bench/results_training.py:SET_FILES) is scored by the heads fitted
on the others (one C for both, no inner choice), with no veto and no relabel, at each "add"
threshold of the grid: the pooled precision with the right metric / share of non-results /
headline recall over all sets and over the arXiv sets (extern…). A screen of the head and its
variants before a full `make results-cv`: ``own`` adds only figures whose sentence speaks of
the paper's own work ("we", "our", the method's name); ``balanced`` weighs results and
non-results alike in the result head; ``cues`` gives both heads more metric-word features (every
metric word of the sentence and of the title, wherever it stands).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results_training import (  # noqa: E402
    ADDS,
    LabelledPaper,
    Scores,
    fit_heads,
    load_sets,
    predictions,
    score,
)
from pipeline.local_model.extract import named_technique  # noqa: E402
from pipeline.local_model.result_head import Prediction  # noqa: E402
from pipeline.local_model.results import _cue_spans, _names_own  # noqa: E402
from pipeline.local_model.text import make_document  # noqa: E402


def own_only(paper: LabelledPaper, preds: list[Prediction]) -> list[Prediction]:
    """The predictions with P(result) 0 for a dropped figure whose sentence does not speak of
    the paper's own work, so that "add" never takes it."""
    own = named_technique(make_document(paper.title, paper.abstract))
    return [
        (p_result if c.status == "kept" or _names_own(c.text, own) else 0.0, probs)
        for (p_result, probs), c in zip(preds, paper.found, strict=True)
    ]


def more_cues(paper: LabelledPaper) -> None:
    """Add to each candidate's features the metric words of its whole sentence and of the
    title (``sent-cue:``, ``title-cue:``)."""
    title = {name for _, _, name in _cue_spans(paper.title)}
    for c, feats in zip(paper.found, paper.feats, strict=True):
        extra = {f"sent-cue:{name}" for _, _, name in _cue_spans(c.text)}
        extra |= {f"title-cue:{name}" for name in title}
        feats[:] = sorted(set(feats) | extra)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", choices=("plain", "own", "balanced", "cues"), default="plain")
    parser.add_argument("--c", type=float, default=1.0, help="both heads' C")
    args = parser.parse_args()
    sets = load_sets(ROOT)
    if args.variant == "cues":
        for papers in sets.values():
            for paper in papers:
                more_cues(paper)
    weight = "balanced" if args.variant == "balanced" else None
    oof: dict[str, list[list[Prediction]]] = {}
    head = None
    for name in sets:
        train = [p for other in sets if other != name for p in sets[other]]
        head = fit_heads(train, args.c, args.c, class_weight=weight)
        oof[name] = [predictions(head, p) for p in sets[name]]
        if args.variant == "own":
            oof[name] = [own_only(p, pr) for p, pr in zip(sets[name], oof[name], strict=True)]
    assert head is not None
    print("| add at | all sets | arXiv sets |")
    print("|---|---|---|")
    for add in ADDS:
        head.veto, head.add, head.relabel = 0.0, add, 1.01
        pooled, arxiv = Scores(), Scores()
        for name, papers in sets.items():
            scores = score(papers, head, oof[name])
            pooled.add(scores)
            if name.startswith("extern"):
                arxiv.add(scores)
        label = "rules alone" if add > 1 else f"{add:g}"
        print(f"| {label} | {pooled.text()} | {arxiv.text()} |", flush=True)


if __name__ == "__main__":
    main()
