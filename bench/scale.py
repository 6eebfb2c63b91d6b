"""How a cold build grows with the corpus: synthetic corpora from the shipped dumps.

Each corpus is made of real seed text recombined: a title joins the head of one seed title to
the tail of another, an abstract strings together sentences of several seed abstracts (their
numbers stay real). Titles are unique after normalisation and no title is a seed title, so
ingest keeps every paper (the "papers" column says how many it kept). Each size is built cold
(empty cache) in a fresh subprocess with the default local model, so peak RSS is per size.

    python bench/scale.py 500 2000 8000            # sizes as arguments
    python bench/scale.py 2000 8000 --workers 2    # passes --workers to the build
    python bench/scale.py 100000 --write-corpus corpus.jsonl   # only write the corpus

Per size it prints papers, the exit status of the build, CPU and wall seconds per stage (CPU
of this process; worker processes are counted in ``cpu_total``), peak RSS, the largest request
of each stage (in estimated input tokens) and, from the second size on, the growth exponent of
total CPU time between consecutive sizes: log(cpu_b / cpu_a) / log(n_b / n_a) (1.0 is linear).
Wall seconds of the paper stages with ``--workers 1`` and without it give the speedup of the
default worker processes.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def seed_papers() -> list[tuple[str, list[str], int | None]]:
    """(title, abstract sentences, year) of every paper in the shipped dumps."""
    sys.path.insert(0, str(ROOT))
    from pipeline.ingest import ingest

    corpus = ingest([ROOT / "dumps"]).corpus
    seeds = []
    for paper in sorted(corpus.papers, key=lambda p: p.id):
        sentences = [s.strip() for s in _SENTENCE.split(paper.abstract) if s.strip()]
        if len(paper.title.split()) >= 3 and sentences:
            seeds.append((paper.title, sentences, paper.year))
    return seeds


def _halves(title: str) -> tuple[str, str]:
    """Head and tail of a title: at the colon when there is one, else at the middle word."""
    if ":" in title:
        head, tail = title.split(":", 1)
        return head.strip() + ":", tail.strip()
    words = title.split()
    middle = len(words) // 2
    return " ".join(words[:middle]), " ".join(words[middle:])


def _normal(title: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", title.lower()).split())


def synthetic_corpus(size: int, seeds: list[tuple[str, list[str], int | None]]) -> list[dict]:
    """``size`` distinct papers recombined from ``seeds``; the same size gives the same corpus."""
    rng = random.Random(size)
    halves = [_halves(title) for title, _, _ in seeds]
    seen = {_normal(title) for title, _, _ in seeds}
    papers: list[dict[str, Any]] = []
    while len(papers) < size:
        i, j = rng.randrange(len(seeds)), rng.randrange(len(seeds))
        title = f"{halves[i][0]} {halves[j][1]}".strip()
        if i == j or _normal(title) in seen or not halves[i][0] or not halves[j][1]:
            continue
        seen.add(_normal(title))
        sentences = list(seeds[i][1][:2])
        for _ in range(rng.randint(2, 4)):
            pool = seeds[rng.randrange(len(seeds))][1]
            sentences.append(pool[rng.randrange(len(pool))])
        papers.append(
            {"title": title, "abstract": " ".join(sentences), "year": seeds[i][2] or 2024}
        )
    return papers


def write_corpus(path: Path, papers: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for paper in papers:
            handle.write(json.dumps(paper, ensure_ascii=False) + "\n")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_one(corpus: Path, workdir: Path, workers: int | None) -> dict[str, Any]:
    """One cold build in this process, each stage timed (called in a fresh subprocess)."""
    sys.path.insert(0, str(ROOT))
    import pipeline.build as build_module
    import pipeline.ingest as ingest_module
    import pipeline.render as render_module
    from pipeline.seam.settings import AskSettings, ModelConfig
    from pipeline.taxonomy import load_taxonomy

    cpu: dict[str, float] = {}
    walls: dict[str, float] = {}

    def timed(name: str, function: Any) -> Any:
        def count(start: float, start_wall: float) -> None:
            cpu[name] = cpu.get(name, 0.0) + _cpu() - start
            walls[name] = walls.get(name, 0.0) + time.perf_counter() - start_wall

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start, start_wall = _cpu(), time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                count(start, start_wall)

        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            start, start_wall = _cpu(), time.perf_counter()
            try:
                return await function(*args, **kwargs)
            finally:
                count(start, start_wall)

        import inspect

        return async_wrapper if inspect.iscoroutinefunction(function) else wrapper

    ingest_module.ingest = timed("ingest", ingest_module.ingest)
    build_module.run_stages = timed("paper_stages", build_module.run_stages)
    build_module.synthesize = timed("synthesize", build_module.synthesize)
    render_module.render_survey = timed("render", render_module.render_survey)
    config = ModelConfig()
    options = build_module.BuildOptions(
        paths=[corpus],
        out_dir=workdir / "outputs",
        cache_dir=workdir / "cache",
        taxonomy=load_taxonomy(None),
        models={stage: config for stage in ("default", "screen", "classify", "extract",
                                            "synthesize")},
        settings=AskSettings(workers=workers),
    )  # fmt: skip
    start_cpu, start_wall = _cpu(), time.perf_counter()
    result = build_module.build(options)
    from pipeline.seam.workers import close_pool

    close_pool()  # reap the worker processes, so their CPU time is counted below
    wall = time.perf_counter() - start_wall
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    stages = result.report["stages"]
    return {
        "papers": len(result.records),
        "exit": 0 if result.ok else 1,
        "failed": len(result.seam.failures),
        "cpu": {name: round(value, 2) for name, value in cpu.items()},
        "cpu_total": round(_cpu() - start_cpu + children.ru_utime + children.ru_stime, 2),
        "wall": round(wall, 2),
        "wall_stages": {name: round(value, 2) for name, value in walls.items()},
        "peak_mb": max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, children.ru_maxrss)
        // 1024,
        "largest_request": {
            stage: stats.get("largest_request_tokens", 0) for stage, stats in stages.items()
        },
    }


def measure(size: int, seeds: list, workers: int | None, keep: Path | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = keep / f"scale-{size}" if keep else Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        corpus = workdir / f"corpus-{size}.jsonl"
        write_corpus(corpus, synthetic_corpus(size, seeds))
        command = [sys.executable, __file__, "--run-one", str(corpus), str(workdir)]
        if workers is not None:
            command += ["--workers", str(workers)]
        done = subprocess.run(
            command, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}
        )
        if done.returncode != 0 or not done.stdout.strip():
            sys.exit(f"size {size}: the build process failed ({done.returncode}):\n{done.stderr}")
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        result["size"] = size
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("sizes", nargs="*", type=int)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--keep", type=Path, default=None, help="keep corpora and outputs here")
    parser.add_argument(
        "--write-corpus", type=Path, metavar="FILE", help="write the corpus of one size and exit"
    )
    parser.add_argument("--run-one", nargs=2, type=Path, metavar=("CORPUS", "WORKDIR"))
    args = parser.parse_args()
    if args.run_one:
        print(json.dumps(run_one(args.run_one[0], args.run_one[1], args.workers)))
        return
    if not args.sizes:
        parser.error("give one or more corpus sizes, e.g. 2000 8000")
    seeds = seed_papers()
    if args.write_corpus:
        if len(args.sizes) != 1:
            parser.error("--write-corpus takes one size")
        write_corpus(args.write_corpus, synthetic_corpus(args.sizes[0], seeds))
        return
    previous: dict[str, Any] | None = None
    for size in args.sizes:
        result = measure(size, seeds, args.workers, args.keep)
        stages = " ".join(f"{name}={value:.1f}" for name, value in result["cpu"].items())
        growth = ""
        if previous is not None and result["cpu_total"] > 0 and previous["cpu_total"] > 0:
            exponent = math.log(result["cpu_total"] / previous["cpu_total"]) / math.log(
                result["papers"] / previous["papers"]
            )
            growth = (
                f" cpu_ratio={result['cpu_total'] / previous['cpu_total']:.2f}"
                f" growth=N^{exponent:.2f}"
            )
        largest = " ".join(f"{k}={v}" for k, v in sorted(result["largest_request"].items()))
        walls = " ".join(f"{k}={v:.1f}" for k, v in result.get("wall_stages", {}).items())
        print(
            f"papers={result['papers']} exit={result['exit']} failed={result['failed']} "
            f"cpu_total_s={result['cpu_total']:.1f} wall_s={result['wall']:.1f} "
            f"wall_stages_s[{walls}] "
            f"peak_mb={result['peak_mb']} [{stages}] largest_request_tokens[{largest}]{growth}",
            flush=True,
        )
        previous = result


if __name__ == "__main__":
    main()
