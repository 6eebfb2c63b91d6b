"""Worker processes for requests (pipeline/seam/workers.py): policy, failure of a worker, protocol.

The seam's behaviour through workers (retries, re-asks, budget, modes, cache) is covered by
running every test of tests/test_seam.py both in-process and with two workers.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.seam import workers
from pipeline.seam.ask import Seam
from pipeline.seam.cache import AnswerCache
from pipeline.seam.retry import RetryPolicy
from pipeline.seam.settings import AskSettings, ModelConfig
from pipeline.taxonomy import load_taxonomy
from schemas.stages import Screening
from tests.openai_server import Hang, OpenAIServer, Reply

PAPER = {
    "paper_id": "p1",
    "title": "Paper 1: 4-bit weight quantization for LLM serving",
    "abstract": "We quantize weights to 4 bits and serve the model on A100 GPUs.",
}
SCREENED = {"items": [{"paper_id": "p1", "relevant": True, "kind": "method", "reason": "4-bit"}]}


@pytest.fixture(autouse=True)
def _fresh_pool(fake_openai_key: str) -> Iterator[None]:
    workers.close_pool()
    yield
    workers.close_pool()


def seam(tmp_path: Path, server: OpenAIServer, **settings: Any) -> Seam:
    config = ModelConfig(model="openai/test-model", api_base=server.base_url, timeout=300.0)
    return Seam(
        AnswerCache(tmp_path / "cache"),
        load_taxonomy(),
        {"default": config},
        AskSettings(
            **{"retry": RetryPolicy(attempts=2, wait_base=0.01, wait_max=0.02), **settings}
        ),
    )


def test_worker_count_follows_requests_in_flight() -> None:
    remote, local = ModelConfig(model="openai/gpt-4o-mini"), ModelConfig()
    cpus = os.cpu_count() or 1
    assert AskSettings(concurrency=8).worker_count(remote) == 1
    assert AskSettings(concurrency=16).worker_count(remote) == min(cpus, 2)
    assert AskSettings(concurrency=64).worker_count(remote) == min(cpus, 8)
    assert AskSettings(concurrency=64).worker_count(local) == 1  # the embedded model: in-process
    assert AskSettings(concurrency=64, workers=1).worker_count(remote) == 1
    assert AskSettings(concurrency=1, workers=3).worker_count(local) == 3


async def request_in_flight(
    tmp_path: Path, server: OpenAIServer
) -> tuple[Seam, asyncio.Future[dict[str, Any]]]:
    """A screening request that a worker has sent and the server is sitting on (then answers).

    Waits for the event (the server saw the request); starting workers that import litellm can
    take long on a loaded machine, so the limit is only a guard against a hang.
    """
    server.script(Hang(600), Reply(SCREENED))
    asker = seam(tmp_path, server, workers=2)
    task = asyncio.ensure_future(asker.ask("screen", [PAPER]))
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and not task.done():
        if server.call_count:
            return asker, task
        await asyncio.sleep(0.05)
    raise AssertionError(f"the request never reached the server (task done: {task.done()})")


async def test_a_dead_worker_is_replaced_and_its_request_retried(
    tmp_path: Path, openai_server: OpenAIServer
) -> None:
    asker, task = await request_in_flight(tmp_path, openai_server)
    pool = workers._POOL
    assert pool is not None
    for worker in pool.workers:
        worker.process.kill()
    for worker in pool.workers:  # both dead before the retry picks a worker (on a loaded
        worker.process.wait(timeout=600)  # machine a SIGKILL can take a while to land)
    answers = await asyncio.wait_for(task, timeout=600)  # a hang guard
    value = answers["p1"].value
    assert isinstance(value, Screening) and value.relevant
    assert asker.stats["screen"].retries == 1 and asker.stats["screen"].failed == 0
    assert openai_server.call_count == 2
    assert workers._POOL is pool and pool.respawns == 2  # both killed workers were replaced


async def test_workers_that_keep_dying_fail_the_request_with_the_reason(
    tmp_path: Path, openai_server: OpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_init = workers._Worker.__init__

    def broken(self: workers._Worker) -> None:
        real_init(self)
        self.process.kill()  # as if every worker crashed on start

    monkeypatch.setattr(workers._Worker, "__init__", broken)
    retry = RetryPolicy(attempts=20, wait_base=0.01, wait_max=0.02)
    asker = seam(tmp_path, openai_server, workers=2, retry=retry)
    answers = await asyncio.wait_for(asker.ask("screen", [PAPER]), timeout=600)  # a hang guard
    assert answers["p1"].value is None
    # retried while replacements were allowed (3 per worker), then stopped with the reason
    assert workers._POOL is not None and workers._POOL.respawns == 6
    assert asker.stats["screen"].retries >= 3
    assert "model worker processes keep exiting" in (answers["p1"].error or "")
    assert "--workers 1" in (answers["p1"].error or "")
    assert openai_server.call_count == 0


async def test_a_cancelled_request_is_withdrawn_from_its_worker(
    tmp_path: Path, openai_server: OpenAIServer
) -> None:
    _, task = await request_in_flight(tmp_path, openai_server)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    pool = workers._POOL
    assert pool is not None and all(not worker.pending for worker in pool.workers)
    again = await seam(tmp_path, openai_server, workers=2).ask("screen", [PAPER])
    assert isinstance(again["p1"].value, Screening)
    assert pool.respawns == 0


async def test_the_protocol_carries_no_credentials(
    tmp_path: Path, openai_server: OpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    planted = "sk-planted-for-the-worker-protocol-0123456789"
    monkeypatch.setenv("OPENAI_API_KEY", planted)
    sent: list[str] = []
    real_send = workers._Worker.send

    def record(self: workers._Worker, message: dict[str, Any]) -> None:
        sent.append(repr(message))
        real_send(self, message)

    monkeypatch.setattr(workers._Worker, "send", record)
    openai_server.script(Reply(SCREENED))
    answers = await seam(tmp_path, openai_server, workers=2).ask("screen", [PAPER])
    assert answers["p1"].value is not None
    # the worker used the key from its environment, and no message to it contained the key
    assert planted in openai_server.chat_requests[0].headers.get("Authorization", "")
    assert sent and not any(planted in message for message in sent)


async def test_the_embedded_model_answers_the_same_through_workers(tmp_path: Path) -> None:
    """--workers with the local model: same validated answers as in-process (its taxonomy is
    sent to the workers, which look it up by digest like the in-process provider)."""
    from pipeline.ingest import ingest
    from pipeline.local_model.registry import register_taxonomy
    from pipeline.stages import paper_input

    dump = Path(__file__).resolve().parent.parent / "dumps" / "003_2fb630e49b968409.txt"
    papers = [paper_input(p) for p in ingest([dump]).corpus.papers[:12]]
    # an edited taxonomy (not the default the workers could load themselves)
    edited = tmp_path / "taxonomy.yaml"
    source = (Path(__file__).resolve().parent.parent / "taxonomy.yaml").read_text()
    edited.write_text(source.replace("description: >-", "description: >-\n      Edited.", 1))
    taxonomy = load_taxonomy(edited)
    assert taxonomy != load_taxonomy()
    register_taxonomy(taxonomy)  # as `taxonomist build` does for the in-process provider
    results = []
    for where, count in (("in-process", 1), ("workers", 2)):
        local = Seam(
            AnswerCache(tmp_path / where),
            taxonomy,
            {"default": ModelConfig(papers_per_call=4)},
            AskSettings(concurrency=4, workers=count),
        )
        answers = await local.ask("classify", papers)
        assert local.stats["classify"].calls == 3 and local.stats["classify"].failed == 0
        results.append({pid: a.value.model_dump() for pid, a in answers.items() if a.value})
    assert workers._POOL is not None and workers._POOL.requests == 3
    assert len(results[0]) == 12 and results[0] == results[1]
