"""The heads' embedding scales, re-measured on held-out folds: a bench's ``main()`` once per scale.

    .venv/bin/python bench/embedding_scales.py relevance 1,1.5,2,3.5,5 -- --seeds 1
    .venv/bin/python bench/embedding_scales.py classes 2,3,4,7,10 -- --cs 0.25 [--seed 1]

``relevance`` sets ``learned.EMBEDDING_SCALE`` and runs bench/relevance_cv.py; ``classes`` sets
``learned.CLASS_EMBEDDING_SCALE`` (the multinomial primary re-ranker's) and runs
bench/primary_classes_cv.py, with the arguments after ``--``. One process for all scales, so the
papers are embedded once (the encoder caches per text). Stop 45's figures: README, "Fresh judges
from September 2025".
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.local_model import learned  # noqa: E402

BENCHES = {"relevance": "bench.relevance_cv", "classes": "bench.primary_classes_cv"}


def main(argv: list[str]) -> None:
    if len(argv) < 2 or argv[0] not in BENCHES:
        raise SystemExit(__doc__)
    head, scales = argv[0], [float(s) for s in argv[1].split(",")]
    rest = argv[argv.index("--") + 1 :] if "--" in argv else []
    bench = importlib.import_module(BENCHES[head])
    for scale in scales:
        if head == "relevance":
            learned.EMBEDDING_SCALE = scale
        else:
            learned.CLASS_EMBEDDING_SCALE = scale
        print(f"===== {head}: embedding x{scale}", flush=True)
        start = time.perf_counter()
        sys.argv = [BENCHES[head], *rest]
        bench.main()
        print(f"----- {time.perf_counter() - start:.0f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
