"""Peak memory of ingest and of a full build on a dump that repeats one paper block.

    .venv/bin/python bench/repeated_dump.py [--mb 200] [--work /tmp/repeated-dump] [--no-build]

Writes a Daily Papers listing of about `--mb` megabytes (one title + abstract block, repeated),
then runs, each in a fresh process, `ingest` and `taxonomist build` (offline local model,
fresh cache) on it, and prints the peak resident memory of each, its ratio to the dump's size,
and the size of the files the build wrote. Memory should stay a small multiple of the input.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ABSTRACT = (
    "We present a method that makes inference cheaper. It halves the latency of a 7B model on "
    "one GPU while keeping accuracy within one point of the baseline, and we release code."
)
HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\n"
BLOCK = f"Efficient Inference of Large Language Models with Sparse Kernels\n\n{ABSTRACT}\n\n"
INGEST = (
    "import sys; from pathlib import Path; from pipeline.ingest import ingest; "
    "r = ingest([Path(sys.argv[1])]); "
    "print(len(r.corpus.papers), sum(len(p.sources) for p in r.corpus.papers))"
)


def write_dump(path: Path, megabytes: float) -> int:
    count = int(megabytes * 1_000_000) // len(BLOCK)
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for _ in range(count // 1000):
            out.write(BLOCK * 1000)
        out.write(BLOCK * (count % 1000))
    return count


# Runs a command and reports its peak RSS: a fresh parent per measurement, because
# RUSAGE_CHILDREN is the largest of all children a process ever waited for.
MEASURE = (
    "import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
    "print('PEAK_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
    "sys.exit(done.returncode)"
)


def peak_of(command: list[str], cwd: Path) -> tuple[float, float, str]:
    """(peak RSS in MB of the command, seconds, its stdout)."""
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(command[:4])} failed:\n{done.stderr[-3000:]}")
    peak_kb = int(done.stderr.rsplit("PEAK_KB", 1)[1].split()[0])
    return peak_kb / 1024, seconds, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--mb", type=float, default=200.0)
    parser.add_argument("--work", type=Path, default=Path("/tmp/repeated-dump"))
    parser.add_argument("--no-build", action="store_true", help="measure ingest only")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    dump = args.work / "repeated.txt"
    blocks = write_dump(dump, args.mb)
    size = dump.stat().st_size / 2**20
    print(f"dump: {size:.0f} MB, {blocks:,} copies of one paper block")
    python = sys.executable
    peak, seconds, out = peak_of([python, "-c", INGEST, str(dump)], ROOT)
    papers, sources = out.split()
    print(f"ingest: peak {peak:,.0f} MB = {peak / size:.1f}x the dump, {seconds:.0f} s "
          f"({papers} paper, {int(sources):,} sources)")  # fmt: skip
    figures: dict[str, float] = {"dump_mb": round(size), "ingest_peak_mb": round(peak)}
    if args.no_build:
        print(json.dumps(figures))
        return
    out_dir, cache = args.work / "outputs", args.work / "cache"
    shutil.rmtree(out_dir, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    command = [python, "-m", "pipeline", "-q", "build", str(dump), "--out", str(out_dir)]
    peak, seconds, _ = peak_of([*command, "--cache-dir", str(cache)], ROOT)
    written = {p.name: p.stat().st_size for p in out_dir.rglob("*") if p.is_file()}
    print(f"build: peak {peak:,.0f} MB = {peak / size:.1f}x the dump, {seconds:.0f} s")
    for name, bytes_ in sorted(written.items(), key=lambda item: -item[1])[:6]:
        print(f"  {name}: {bytes_ / 2**20:.2f} MB")
    figures |= {"build_peak_mb": round(peak), "outputs_mb": round(sum(written.values()) / 2**20)}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
