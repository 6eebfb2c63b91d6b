"""Benchmark of ``--batch``: the shipped dumps through the local batch server, with and without it.

The local OpenAI-compatible server (tests/openai_server.py, /v1/files and /v1/batches included)
answers as the embedded model would (scripted answers, as bench/llm_path.py). Screen, classify
and extract run once the normal way and once as provider batches, each with its own cache; the
answers of both runs are compared paper by paper.
Last line: ``batch_requests=<n> items=<m> identical=<yes|no>`` where n is the number of requests
(JSONL lines) sent inside batches and m the paper answers they returned.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OPENAI_API_KEY", "sk-bench-not-a-real-key")

from bench.llm_path import precompute, responder_for  # noqa: E402
from pipeline.build import run_stages  # noqa: E402
from pipeline.ingest import ingest  # noqa: E402
from pipeline.seam.ask import Seam  # noqa: E402
from pipeline.seam.cache import AnswerCache  # noqa: E402
from pipeline.seam.settings import AskSettings, ModelConfig  # noqa: E402
from pipeline.stages import paper_input  # noqa: E402
from pipeline.taxonomy import load_taxonomy  # noqa: E402
from tests.openai_server import OpenAIServer  # noqa: E402

BENCH_MODEL = os.environ.get("BENCH_MODEL", "openai/gpt-4o-mini")


def one_run(
    base_url: str, papers: list[Any], tmp: Path, batch: bool
) -> tuple[Seam, dict[str, Any]]:
    config = ModelConfig(model=BENCH_MODEL, api_base=base_url)
    settings = AskSettings(
        concurrency=8, batch=batch, batch_dir=tmp / "batches", batch_poll_seconds=0.01
    )
    seam = Seam(AnswerCache(tmp / "cache"), load_taxonomy(), {"default": config}, settings)
    answers = asyncio.run(run_stages(seam, papers))
    seam.cache.close()
    dumped = {
        stage: {
            pid: answer.value.model_dump(mode="json") if answer.value is not None else None
            for pid, answer in sorted(by_id.items())
        }
        for stage, by_id in answers.items()
    }
    return seam, dumped


def main() -> None:
    corpus = ingest([ROOT / "dumps"]).corpus.papers
    inputs = [paper_input(p) for p in corpus]
    with (
        OpenAIServer(responder_for(precompute(inputs))) as server,
        tempfile.TemporaryDirectory() as tmp,
    ):
        plain_seam, plain = one_run(server.base_url, corpus, Path(tmp) / "plain", batch=False)
        plain_calls = server.call_count
        server.reset()
        lines_before = len(server.batch_lines)
        batch_seam, batched = one_run(server.base_url, corpus, Path(tmp) / "batch", batch=True)
        batch_requests = len(server.batch_lines) - lines_before
        chat_in_batch_run = server.call_count
        batches = len(server.batches)
    items = sum(1 for by_id in batched.values() for value in by_id.values() if value is not None)
    for stage in ("screen", "classify", "extract"):
        p, b = plain_seam.stats[stage], batch_seam.stats[stage]
        print(
            f"stage={stage} papers={b.papers} plain_calls={p.calls} batch_lines={b.calls} "
            f"batches={b.batches} failed_plain={p.failed} failed_batch={b.failed} "
            f"pricing={b.pricing!r}"
        )
    print(
        f"papers={len(corpus)} plain_chat_requests={plain_calls} batches={batches} "
        f"chat_requests_in_batch_run={chat_in_batch_run}"
    )
    identical = "yes" if plain == batched else "no"
    print(f"batch_requests={batch_requests} items={items} identical={identical}")


if __name__ == "__main__":
    main()
