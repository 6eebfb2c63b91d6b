"""Which primary leaves the contract corrections of the rules move, over every labelled paper.

    .venv/bin/python bench/primary_moves.py [--judges 55-58] [--list]

The rules rank the leaves by cue score (``classify.choose_leaves``);
``classify.classify_scores`` then corrects the lead where the taxonomy contract files the
contribution elsewhere (token pruning and a generator's feature caching are model.dynamic,
dataset distillation model.training, a quantized architecture model.quantization:
``_contract_primary``). For every labelled paper of ``bench/cross_validate.labelled_sets`` (the
training sets) and the judges ``--judges`` (extern sets by number, never trained on), this
prints how many primaries each correction moves, how many to a gold leaf that was not one
before, how many away from one, and how many of the moved papers are out of scope. No fitting,
no learned heads: the rules' primary alone (the learned model keeps it unless its primary
re-ranker, since stop 40, moves it to another of the rules' top three leaves).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cross_validate import DEV_GOLD, EXTERN, _rows, labelled_sets  # noqa: E402
from pipeline.local_model import LocalModel  # noqa: E402
from pipeline.local_model.classify import choose_leaves  # noqa: E402
from pipeline.taxonomy import load_taxonomy  # noqa: E402


def _judges(spec: str) -> list[tuple[str, str, str, bool, list[str]]]:
    first, _, last = spec.partition("-")
    return [
        (f"extern{n}", g["title"], g["abstract"], g["relevant"], g["leaves"])
        for n in range(int(first), int(last or first) + 1)
        for g in _rows(EXTERN / f"extern{n}-gold.jsonl")
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dumps", type=Path, default=ROOT / "dumps")
    parser.add_argument(
        "--judges", default="55-58", help="extern judge sets never trained on, e.g. 55-58"
    )
    parser.add_argument("--list", action="store_true", help="list every moved paper")
    args = parser.parse_args()
    sets = labelled_sets(args.dumps, DEV_GOLD)
    rows = [
        (name, e.title, e.abstract, e.relevant, list(e.leaves))
        for name, examples in sets.items()
        for e in examples
    ]
    rows += _judges(args.judges) if args.judges else []
    model = LocalModel(load_taxonomy(), rules_only=True)
    moved: Counter[tuple[str, str]] = Counter()
    for name, title, abstract, relevant, leaves in rows:
        analysis = model.analyse(title, abstract)
        before = choose_leaves(analysis.scores, model.order)[0]
        after = analysis.choice.primary
        if before == after:
            continue
        if not relevant:
            outcome = "out of scope"
        elif after in leaves and before not in leaves:
            outcome = "to a gold leaf"
        elif before in leaves and after not in leaves:
            outcome = "away from a gold leaf"
        else:
            outcome = "both gold leaves" if after in leaves else "neither a gold leaf"
        moved[(f"{before} -> {after}", outcome)] += 1
        if args.list:
            print(f"  {outcome:22} {name:9} {before} -> {after} | {title[:70]}")
    print(f"{len(rows)} labelled papers ({args.judges and 'judges extern' + args.judges})")
    print("| correction | outcome | papers |\n|---|---|---|")
    for (move, outcome), count in sorted(moved.items()):
        print(f"| {move} | {outcome} | {count} |")


if __name__ == "__main__":
    main()
