"""Benchmark of the model seam over HTTP: concurrency speed-up and input tokens per paper.

A local OpenAI-compatible server (tests/openai_server.py, in its own process like a real
provider) adds 100 ms of latency to every call and answers as the embedded model would (answers
are computed before timing, so the figure measures the seam — rendering, cache, litellm,
instructor, validation — not the local model).
The shipped dumps go through screen + classify + extract at concurrency 1 and 16.
Last line: ``concurrency_speedup=<float> input_tokens_per_paper=<int>``.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OPENAI_API_KEY", "sk-bench-not-a-real-key")

from pipeline.build import paper_input, run_stages  # noqa: E402
from pipeline.cache import AnswerCache  # noqa: E402
from pipeline.ingest import ingest  # noqa: E402
from pipeline.llm import AskSettings, ModelConfig, Seam  # noqa: E402
from pipeline.local_model import LocalModel  # noqa: E402
from pipeline.taxonomy import load_taxonomy  # noqa: E402
from tests.openai_server import OpenAIServer, RecordedRequest, Reply  # noqa: E402

LATENCY_S = 0.1
BENCH_MODEL = os.environ.get("BENCH_MODEL", "openai/gpt-4o-mini")
_TASK = re.compile(r'<task name="([a-z_]+)"\s*/>')
_PAPERS = re.compile(r"<papers>\n(.*?)</papers>", re.S)


def precompute(papers: list[dict[str, str]]) -> dict[tuple[str, str], dict[str, object]]:
    taxonomy = load_taxonomy()
    model = LocalModel(taxonomy)
    answers: dict[tuple[str, str], dict[str, object]] = {}
    for paper in papers:
        title, abstract = paper["title"], paper["abstract"]
        pid = paper["paper_id"]
        answers[("screen", pid)] = {"paper_id": pid, **model.screen(title, abstract)}
        answers[("classify", pid)] = {"paper_id": pid, **model.classify(title, abstract)}
        answers[("extract", pid)] = {"paper_id": pid, **model.extract(title, abstract)}
    return answers


def responder_for(answers: dict[tuple[str, str], dict[str, object]]):  # type: ignore[no-untyped-def]
    def respond(request: RecordedRequest) -> Reply:
        text = request.text()
        task = _TASK.search(text)
        block = _PAPERS.findall(text)[-1]
        assert task is not None
        ids = [json.loads(line)["paper_id"] for line in block.splitlines() if line.strip()]
        return Reply({"items": [answers[(task.group(1), pid)] for pid in ids]})

    return respond


class _Remote:
    def __init__(self, base_url: str):
        self.base_url = base_url


async def one_run(
    server: OpenAIServer | _Remote, papers: list, concurrency: int, cache_dir: Path
) -> tuple[float, Seam]:  # type: ignore[type-arg]
    taxonomy = load_taxonomy()
    config = ModelConfig(model=BENCH_MODEL, api_base=server.base_url)
    seam = Seam(
        AnswerCache(cache_dir), taxonomy, {"default": config}, AskSettings(concurrency=concurrency)
    )
    start, cpu = time.perf_counter(), time.process_time()
    await run_stages(seam, papers)
    elapsed = time.perf_counter() - start
    seam.cpu_s = time.process_time() - cpu  # type: ignore[attr-defined]
    seam.cache.close()
    return elapsed, seam


def serve() -> None:
    """Child process: answer until stdin closes; first line printed is the base URL."""
    corpus = ingest([ROOT / "dumps"]).corpus.papers
    answers = precompute([paper_input(p) for p in corpus])
    with OpenAIServer(responder_for(answers), latency=LATENCY_S) as server:
        print(server.base_url, flush=True)
        sys.stdin.read()


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
            # worker processes of concurrency 16 (pipeline/workers.py) start once per process.
            asyncio.run(one_run(server, corpus[:2], 1, Path(tmp) / "warm"))
            asyncio.run(one_run(server, corpus[:48], 16, Path(tmp) / "warm16"))
            serial, seam1 = asyncio.run(one_run(server, corpus, 1, Path(tmp) / "c1"))
            parallel, seam16 = asyncio.run(one_run(server, corpus, 16, Path(tmp) / "c16"))
    finally:
        child.stdin.close()
        child.wait(timeout=30)
    print(f"papers={len(corpus)} latency_per_call_s={LATENCY_S}")
    total_in = 0
    for stage, stats in sorted(seam16.stats.items()):
        per_paper = stats.input_tokens / max(1, stats.papers)
        total_in += stats.input_tokens
        print(
            f"stage={stage} papers={stats.papers} calls={stats.calls} "
            f"input_tokens={stats.input_tokens} input_tokens_per_paper={per_paper:.0f}"
        )
    print(f"wall_s concurrency_1={serial:.2f} concurrency_16={parallel:.2f}")
    print(f"client_cpu_s concurrency_1={seam1.cpu_s:.2f} concurrency_16={seam16.cpu_s:.2f}")  # type: ignore[attr-defined]
    calls = sum(s.calls for s in seam1.stats.values())
    print(
        f"calls={calls} "
        f"(same at both settings: {calls == sum(s.calls for s in seam16.stats.values())})"
    )
    print(
        f"concurrency_speedup={serial / parallel:.2f} "
        f"input_tokens_per_paper={round(total_in / len(corpus))}"
    )


if __name__ == "__main__":
    serve() if "--serve" in sys.argv else main()
