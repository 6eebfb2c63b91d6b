"""Benchmark of the model seam over HTTP: concurrency speed-up and input tokens per paper.

A local OpenAI-compatible server (tests/openai_server.py, in its own process like a real
provider) adds 100 ms of latency to every call and answers as the embedded model would (answers
are computed before timing, so the figure measures the seam — rendering, cache, litellm,
instructor, validation — not the local model).
The shipped dumps go through screen + classify + extract at concurrency 1 and 16, with the
default number of worker processes (pipeline/seam/workers.py: none at 1, one per CPU up to 2 at 16).
The speed-up is measured on a fixed workload, 8 papers per call (160 calls, as since issue 3), so
that figures stay comparable; input tokens per paper at the default papers per call (16 for a
remote model), whose run is also timed at both settings and printed.
``client_cpu_s`` is this process's CPU time; ``worker_cpu_s`` that of the worker processes.
Last line: ``concurrency_speedup=<float> input_tokens_per_paper=<int>``.

``--scores`` checks that the prompts lose nothing: ``taxonomist build dumps/`` over HTTP against
the local server answering as the embedded model does from what each prompt shows
(tests/embedded.py), scored on ../shared/eval/dev-gold.jsonl and on the dev half of
tests/fixtures/results/results-gold.jsonl.
Last line: ``dev relevance_f1=<float> … results_headline_recall=<float>``.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OPENAI_API_KEY", "sk-bench-not-a-real-key")

from pipeline.build import run_stages  # noqa: E402
from pipeline.ingest import ingest  # noqa: E402
from pipeline.local_model import LocalModel  # noqa: E402
from pipeline.seam.ask import Seam  # noqa: E402
from pipeline.seam.cache import AnswerCache  # noqa: E402
from pipeline.seam.settings import AskSettings, ModelConfig  # noqa: E402
from pipeline.stages import paper_input  # noqa: E402
from pipeline.taxonomy import load_taxonomy  # noqa: E402
from tests.openai_server import OpenAIServer, RecordedRequest, Reply  # noqa: E402

LATENCY_S = 0.1
BENCH_MODEL = os.environ.get("BENCH_MODEL", "openai/gpt-4o-mini")
# BENCH_WORKERS=1 measures everything in this process (the default: pipeline/seam/workers.py policy)
BENCH_WORKERS = int(os.environ["BENCH_WORKERS"]) if os.environ.get("BENCH_WORKERS") else None
SPEEDUP_PAPERS_PER_CALL = 8  # the speed-up's workload: 160 calls (None: the default, for tokens)
_TASK = re.compile(r'<task name="([a-z_]+)"\s*/>')
_PAPERS = re.compile(r"<papers>\n(.*?)</papers>", re.S)


def precompute(papers: list[dict[str, str]]) -> dict[tuple[str, str], dict[str, object]]:
    taxonomy = load_taxonomy()
    model = LocalModel(taxonomy)
    answers: dict[tuple[str, str], dict[str, object]] = {}
    for paper in papers:
        title, abstract = paper["title"], paper["abstract"]
        # by title: the prompt shows positions as paper ids (pipeline/seam/request.py:numbered)
        answers[("screen", title)] = model.screen(title, abstract)
        answers[("classify", title)] = model.classify(title, abstract)
        answers[("extract", title)] = model.extract(title, abstract)
    return answers


def responder_for(answers: dict[tuple[str, str], dict[str, object]]):  # type: ignore[no-untyped-def]
    def respond(request: RecordedRequest) -> Reply:
        text = request.text()
        task = _TASK.search(text)
        block = _PAPERS.findall(text)[-1]
        assert task is not None
        shown = [json.loads(line) for line in block.splitlines() if line.strip()]
        return Reply(
            {
                "items": [
                    {"paper_id": p["paper_id"], **answers[(task.group(1), p["title"])]}
                    for p in shown
                ]
            }
        )

    return respond


class _Remote:
    def __init__(self, base_url: str):
        self.base_url = base_url


@dataclass
class Run:
    """One timed run: wall time, CPU of this process and of the workers, and the seam's counts."""

    seam: Seam
    workers: int
    wall_s: float = 0.0
    cpu_s: float = 0.0
    worker_cpu_s: float = 0.0


async def one_run(
    server: OpenAIServer | _Remote,
    papers: list,  # type: ignore[type-arg]
    concurrency: int,
    cache_dir: Path,
    papers_per_call: int | None = SPEEDUP_PAPERS_PER_CALL,
) -> Run:
    taxonomy = load_taxonomy()
    config = ModelConfig(
        model=BENCH_MODEL, api_base=server.base_url, papers_per_call=papers_per_call
    )
    settings = AskSettings(concurrency=concurrency, workers=BENCH_WORKERS)
    run = Run(
        Seam(AnswerCache(cache_dir), taxonomy, {"default": config}, settings),
        settings.worker_count(config),
    )
    worker_cpu = _worker_cpu()
    start, cpu = time.perf_counter(), time.process_time()
    await run_stages(run.seam, papers)
    run.wall_s = time.perf_counter() - start
    run.cpu_s = time.process_time() - cpu
    run.worker_cpu_s = _worker_cpu() - worker_cpu
    run.seam.cache.close()
    return run


def _figure(value: float) -> str:
    return str(value) if isinstance(value, int) else f"{value:.2f}"


def _worker_cpu() -> float:
    """CPU seconds used so far by the live worker processes (Linux /proc; 0 elsewhere)."""
    from pipeline.seam import workers

    total = 0.0
    for worker in workers._POOL.workers if workers._POOL else []:
        try:
            fields = Path(f"/proc/{worker.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def serve() -> None:
    """Child process: answer until stdin closes; first line printed is the base URL."""
    corpus = ingest([ROOT / "dumps"]).corpus.papers
    answers = precompute([paper_input(p) for p in corpus])
    with OpenAIServer(responder_for(answers), latency=LATENCY_S) as server:
        print(server.base_url, flush=True)
        sys.stdin.read()


DEV_GOLD = ROOT.parent / "shared" / "eval" / "dev-gold.jsonl"
RESULTS_GOLD = ROOT / "tests" / "fixtures" / "results" / "results-gold.jsonl"
_CLASSIFICATION = (
    "relevance_f1", "relevance_accuracy", "primary_strict", "primary_lenient", "levels_f1",
    "leaves_f1", "kind_accuracy",
)  # fmt: skip
_RESULTS = ("precision_with_metric", "non_result_share", "headline_recall")


def scores() -> None:
    """Build the shipped dumps through the seam over HTTP (the embedded model answering what
    each prompt shows) and print the dev scores of classification and extracted results."""
    import subprocess

    from pipeline.evaluate import read_jsonl, score
    from pipeline.evaluate_results import score_results
    from tests.embedded import local_answers

    with OpenAIServer(local_answers) as server, tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "TAXONOMIST_CACHE_DIR": str(Path(tmp) / "cache")}
        command = [sys.executable, "-m", "pipeline", "-q", "build", str(ROOT / "dumps")]
        command += ["--model", "openai/test-model", "--api-base", server.base_url]
        command += ["--out", str(Path(tmp) / "out")]
        subprocess.run(command, env=env, cwd=tmp, check=True)
        pred = read_jsonl(Path(tmp) / "out" / "papers.jsonl", "predictions")
    classification = score(read_jsonl(DEV_GOLD, "gold"), pred).as_dict()
    results = score_results(read_jsonl(RESULTS_GOLD, "results gold"), pred, "dev").as_dict()
    print(f"results-gold dev: {results['papers']} papers, {results['extracted']} results extracted")
    print(
        "dev "
        + " ".join(f"{key}={classification[key]:.3f}" for key in _CLASSIFICATION)
        + " results_"
        + " results_".join(f"{key}={results[key]:.3f}" for key in _RESULTS)
    )


def main() -> None:
    import subprocess

    corpus = ingest([ROOT / "dumps"]).corpus.papers
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdin is not None
    base_url = child.stdout.readline().strip()
    server = _Remote(base_url)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            # Warm-up: litellm's first call in a process pays a one-off set-up cost, and the
            # worker processes of concurrency 16 (pipeline/seam/workers.py) start once per process.
            asyncio.run(one_run(server, corpus[:2], 1, Path(tmp) / "warm"))
            asyncio.run(one_run(server, corpus[:48], 16, Path(tmp) / "warm16"))
            serial = asyncio.run(one_run(server, corpus, 1, Path(tmp) / "c1"))
            parallel = asyncio.run(one_run(server, corpus, 16, Path(tmp) / "c16"))
            default_1 = asyncio.run(one_run(server, corpus, 1, Path(tmp) / "d1", None))
            default = asyncio.run(one_run(server, corpus, 16, Path(tmp) / "d16", None))
    finally:
        child.stdin.close()
        child.wait(timeout=30)
    print(f"papers={len(corpus)} latency_per_call_s={LATENCY_S}")
    total_in = 0
    batch = default.seam.config("screen").batch_size
    print(f"default papers_per_call={batch}")
    for stage, stats in sorted(default.seam.stats.items()):
        per_paper = stats.input_tokens / max(1, stats.papers)
        total_in += stats.input_tokens
        print(
            f"stage={stage} papers={stats.papers} calls={stats.calls} "
            f"input_tokens={stats.input_tokens} input_tokens_per_paper={per_paper:.0f}"
        )
    for label, attribute in (
        ("wall_s", "wall_s"),
        ("workers", "workers"),
        ("client_cpu_s", "cpu_s"),
        ("worker_cpu_s", "worker_cpu_s"),
    ):
        one, sixteen = (_figure(getattr(run, attribute)) for run in (serial, parallel))
        print(f"{label} concurrency_1={one} concurrency_16={sixteen}")
    calls = sum(s.calls for s in serial.seam.stats.values())
    same = calls == sum(s.calls for s in parallel.seam.stats.values())
    print(
        f"calls={calls} at {SPEEDUP_PAPERS_PER_CALL} papers per call "
        f"(same at both settings: {same})"
    )
    default_calls = sum(s.calls for s in default.seam.stats.values())
    print(
        f"at the default {batch} papers per call: calls={default_calls} wall_s "
        f"concurrency_1={default_1.wall_s:.2f} concurrency_16={default.wall_s:.2f} "
        f"speedup={default_1.wall_s / default.wall_s:.2f}"
    )
    print(
        f"concurrency_speedup={serial.wall_s / parallel.wall_s:.2f} "
        f"input_tokens_per_paper={round(total_in / len(corpus))}"
    )


if __name__ == "__main__":
    if "--serve" in sys.argv:
        serve()
    elif "--scores" in sys.argv:
        scores()
    else:
        main()
