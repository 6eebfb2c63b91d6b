"""How fuzzy title matching scales: blocked against all-pairs scoring, same pairs or not.

    .venv/bin/python bench/fuzzy_dedupe.py                      # 16,000 and 100,000 titles
    .venv/bin/python bench/fuzzy_dedupe.py 2000 16000           # other sizes

Titles are those of bench/scale.py's synthetic corpora (real seed titles recombined), plus a
variant of every 20th one (a plural, two words joined, a stop word added, a British spelling),
so that there are pairs to find. Per size three methods run, each in a fresh process, so the
peak RSS printed is its own (``base_mb`` is the process before matching: interpreter, modules,
titles):

- ``all-pairs``: every title scored against every title of similar length, in uint8 blocks
  (how ``fuzzy_pairs`` worked before block keys, at 415dc37);
- ``blocked``: ``fuzzy_pairs``, only titles sharing a block key scored;
- ``rerun``: ``fuzzy_pairs`` with 99% of the titles known from an earlier call (its time not
  counted), as a re-run of a build on a grown dump.

Each prints CPU seconds (all threads), wall seconds, peak RSS and the pairs found; the last
line says whether the three found the same pairs. Printed, not asserted: limits on time belong
here, not in tests (tests/test_ingest_dedupe.py checks that blocking finds the same pairs).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

METHODS = ("all-pairs", "blocked", "rerun")
_SPELLINGS = (("ization", "isation"), ("ize", "ise"), ("or ", "our "))


def titles(size: int) -> list[str]:
    """Normalized titles of the synthetic corpus of ``size`` papers, with variants."""
    sys.path.insert(0, str(ROOT / "bench"))
    from scale import seed_papers, synthetic_corpus

    from pipeline.ingest.normalize import normalize_title

    base = sorted({normalize_title(p["title"]) for p in synthetic_corpus(size, seed_papers())})
    variants = set()
    for number, title in enumerate(base[::20]):
        words = title.split()
        kind = number % 4
        if kind == 0:
            words[-1] += "s"
        elif kind == 1 and len(words) > 1:
            words[:2] = [words[0] + words[1]]
        elif kind == 2:
            words.insert(len(words) // 2, "the")
        else:
            text = " ".join(words) + " "
            for american, british in _SPELLINGS:
                text = text.replace(american, british)
            words = text.split()
        variants.add(" ".join(words))
    return sorted(set(base) | variants)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_one(method: str, size: int) -> dict[str, Any]:
    """One method on one size, in this process."""
    from pipeline.ingest import dedupe

    names = titles(size)
    compared = None
    if method == "rerun":
        compared = dedupe.ComparedTitles()
        dedupe.fuzzy_pairs(names[: len(names) * 99 // 100], compared)
    base_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    start_cpu, start_wall = _cpu(), time.perf_counter()
    if method == "all-pairs":
        index = {title: number for number, title in enumerate(names)}
        found = dedupe.matches(dedupe._candidates(names, names))
        pairs = sorted((index[a], index[b], score) for (a, b), score in found.items())
    else:
        pairs = dedupe.fuzzy_pairs(names, compared)
    cpu, wall = _cpu() - start_cpu, time.perf_counter() - start_wall
    digest = hashlib.sha256(json.dumps(pairs).encode()).hexdigest()[:12]
    return {
        "titles": len(names),
        "cpu": round(cpu, 2),
        "wall": round(wall, 2),
        "base_mb": base_mb,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "pairs": len(pairs),
        "digest": digest,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[16_000, 100_000])
    parser.add_argument("--run-one", nargs=2, metavar=("METHOD", "SIZE"))
    args = parser.parse_args()
    if args.run_one:
        print(json.dumps(run_one(args.run_one[0], int(args.run_one[1]))))
        return
    for size in args.sizes:
        digests = set()
        for method in METHODS:
            done = subprocess.run(
                [sys.executable, __file__, "--run-one", method, str(size)],
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
            if done.returncode != 0:
                sys.exit(f"{method} at {size}: failed ({done.returncode}):\n{done.stderr}")
            result = json.loads(done.stdout.strip().splitlines()[-1])
            digests.add(result["digest"])
            print(
                f"size={size} titles={result['titles']} method={method} cpu_s={result['cpu']} "
                f"wall_s={result['wall']} base_mb={result['base_mb']} "
                f"peak_mb={result['peak_mb']} pairs={result['pairs']} digest={result['digest']}",
                flush=True,
            )
        print(f"size={size} same pairs: {'yes' if len(digests) == 1 else 'NO'}", flush=True)


if __name__ == "__main__":
    main()
