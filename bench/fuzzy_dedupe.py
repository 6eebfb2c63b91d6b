"""How fuzzy title matching scales: seconds for 800 titles over seconds for 100 (a ratio).

    .venv/bin/python bench/fuzzy_dedupe.py

Linear work would give 8; all-pairs comparison 64. Printed, not asserted: wall-clock limits
belong here, not in tests (tests/test_ingest_dedupe.py checks what the matching decides).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.ingest.dedupe import group_entries  # noqa: E402
from pipeline.ingest.entries import Layout, RawEntry  # noqa: E402


def seconds(count: int, repeats: int = 3) -> float:
    entries = [
        RawEntry(
            title=f"Paper Number {i} About Topic {i * 7}",
            abstract="An abstract.",
            file="a.txt",
            line=i + 1,
            layout=Layout.HF_BLOCKS,
        )
        for i in range(count)
    ]
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        group_entries(entries)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    small, large = seconds(100), seconds(800)
    print(f"100 titles: {small:.3f} s; 800 titles: {large:.3f} s; ratio {large / small:.1f}")


if __name__ == "__main__":
    main()
