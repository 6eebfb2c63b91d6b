"""Benchmark of the default offline build on the shipped dumps.

Runs `taxonomist build dumps/` (the same command as `make survey`) in a fresh directory with an
empty cache (cold), then again on the warm cache, each as its own process.
Last line: ``cold_s=<float> warm_s=<float> warm_ratio=<float> peak_mb=<int>``.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed_build(workdir: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (MB) of one build process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "-q", "build", str(ROOT / "dumps"), "--out", "outputs"],
        cwd=workdir,
        env={**os.environ, "PYTHONPATH": str(ROOT), "TAXONOMIST_CACHE_DIR": str(workdir / "cache")},
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"build failed ({result.returncode}):\n{result.stderr}")
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak_kb, before) // 1024


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        cold, cold_peak = timed_build(workdir)
        warm, warm_peak = timed_build(workdir)
        files = sorted(
            p.relative_to(workdir / "outputs").as_posix()
            for p in (workdir / "outputs").rglob("*")
            if p.is_file()
        )
    print(f"outputs: {', '.join(files)}")
    print(
        f"cold_s={cold:.2f} warm_s={warm:.2f} warm_ratio={warm / cold:.3f} "
        f"peak_mb={max(cold_peak, warm_peak)}"
    )


if __name__ == "__main__":
    main()
