"""Refit the extract stage's learned head on every committed labelled result set
(`make train-results`).

    .venv/bin/python bench/train_results.py [--out pipeline/local_model/result_weights.json]

Fits pipeline/local_model/result_head.py's two heads on every committed set
(bench/results_training.py:SET_FILES), with each head's C and the veto / add /
relabel thresholds chosen by leave-one-set-out cross-validation over them, and writes the
weights as sorted JSON. The file's hash is part of the local model's version, so new weights
are a cache miss. Check `bench/results_cv.py` before committing new weights: keep them only if
the held-out scores say they help.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results_training import fit_selected, load_sets, write_head  # noqa: E402
from pipeline.local_model.result_head import RESULT_WEIGHTS_PATH  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=RESULT_WEIGHTS_PATH)
    args = parser.parse_args()
    sets = load_sets(ROOT)
    head, chosen = fit_selected(sets)
    text = write_head(head, args.out)
    sizes = ", ".join(f"{name} {len(papers)}" for name, papers in sets.items())
    print(
        f"trained on {sum(len(p) for p in sets.values())} papers ({sizes}); C result "
        f"{chosen.c_result:g}, metric {chosen.c_metric:g}; veto {chosen.veto:g}, add "
        f"{chosen.add:g}, relabel {chosen.relabel:g}; leave-one-set-out pooled scores: rules "
        f"{chosen.rules.text()}, rules + learned {chosen.chosen.text()}; wrote {args.out} "
        f"({len(text) // 1024} KiB)"
    )


if __name__ == "__main__":
    main()
