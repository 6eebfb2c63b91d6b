"""The model seam over real HTTP: litellm + instructor talk to the scripted local server.

Every test runs twice: requests made in the test process, and made by two worker processes
(pipeline/seam/workers.py) with retries, budget and counts kept in the test process.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import ReplayMiss
from pipeline.seam import workers as workers_module
from pipeline.seam.ask import Seam
from pipeline.seam.cache import AnswerCache
from pipeline.seam.retry import RetryPolicy
from pipeline.seam.settings import AskSettings, ModelConfig
from pipeline.taxonomy import load_taxonomy
from tests.openai_server import (
    Fault,
    Hang,
    Malformed,
    OpenAIServer,
    RecordedRequest,
    Reply,
)

PAPERS = [
    {
        "paper_id": f"p{i}",
        "title": f"Paper {i}: 4-bit weight quantization for LLM serving",
        "abstract": f"We quantize weights to 4 bits and serve model {i}. "
        "Our kernels achieve 2.3x speedup over vLLM on A100 GPUs.",
    }
    for i in range(1, 17)
]
QUOTE = "We quantize weights to 4 bits"
FAST_RETRY = RetryPolicy(attempts=4, wait_base=0.01, wait_max=0.05)


def classification(
    pid: str, leaf: str = "model.quantization", quote: str = QUOTE
) -> dict[str, Any]:
    return {
        "paper_id": pid,
        "primary": leaf,
        "leaves": [leaf],
        "evidence": [{"leaf": leaf, "quote": quote}],
    }


def shows(request: RecordedRequest, paper_id: str) -> bool:
    """Does the request show this paper? (Models see positions as ids: seam/request.py:numbered.)"""
    title = next(p["title"] for p in PAPERS if p["paper_id"] == paper_id)
    return f'"{title}"' in request.text()


def answer(*items: dict[str, Any]) -> dict[str, Any]:
    return {"items": list(items)}


@pytest.fixture
def taxonomy():  # type: ignore[no-untyped-def]
    return load_taxonomy()


_WORKERS: dict[str, int | None] = {"count": None}


@pytest.fixture(autouse=True, params=[None, 2], ids=["in-process", "2-workers"])
def workers(request: pytest.FixtureRequest) -> Iterator[int | None]:
    """Where requests are made: this process (None) or N worker processes."""
    _WORKERS["count"] = request.param
    yield request.param
    _WORKERS["count"] = None


def make_seam(tmp_path: Path, taxonomy: Any, server: OpenAIServer, **overrides: Any) -> Seam:
    settings = AskSettings(
        workers=_WORKERS["count"],
        retry=FAST_RETRY,
        concurrency=overrides.pop("concurrency", 4),
        replay=overrides.pop("replay", False),
        max_cost=overrides.pop("max_cost", None),
    )
    config = ModelConfig(
        model=overrides.pop("model", "openai/test-model"),
        api_base=server.base_url,
        timeout=overrides.pop("timeout", 10.0),
        papers_per_call=overrides.pop("papers_per_call", 1),
        max_reasks=overrides.pop("max_reasks", 2),
    )
    assert not overrides
    return Seam(AnswerCache(tmp_path / "cache"), taxonomy, {"default": config}, settings)


@pytest.fixture(autouse=True)
def _key(fake_openai_key: str) -> None:
    """litellm's openai/ provider needs some key; a fake one from the environment."""


async def test_answer_is_validated_cached_and_reused(tmp_path, taxonomy, openai_server):
    openai_server.script(Reply(answer(classification("p1"))))
    seam = make_seam(tmp_path, taxonomy, openai_server)
    first = await seam.ask("classify", PAPERS[:1])
    assert first["p1"].value.primary == "model.quantization"
    assert openai_server.call_count == 1
    pool = workers_module._POOL
    if _WORKERS["count"]:  # the request went through a worker process
        assert pool is not None and pool.size == 2 and pool.requests >= 1
    second = make_seam(tmp_path, taxonomy, openai_server)
    again = await second.ask("classify", PAPERS[:1])
    assert again["p1"].cached and again["p1"].value == first["p1"].value
    assert openai_server.call_count == 1
    assert second.stats["classify"].cache_hits == 1 and second.stats["classify"].calls == 0


async def test_unknown_leaf_is_reasked_with_the_validator_message(
    tmp_path, taxonomy, openai_server
):
    openai_server.script(
        Reply(answer(classification("p1", leaf="model.magic"))),
        Reply(answer(classification("p1"))),
    )
    seam = make_seam(tmp_path, taxonomy, openai_server)
    result = await seam.ask("classify", PAPERS[:1])
    assert result["p1"].value.leaves == ["model.quantization"]
    assert openai_server.call_count == 2
    assert "unknown leaf id" in openai_server.chat_requests[1].text()
    assert seam.stats["classify"].reasks == 1


async def test_invented_quote_is_reasked(tmp_path, taxonomy, openai_server):
    openai_server.script(
        Reply(answer(classification("p1", quote="we invent a new GPU"))),
        Reply(answer(classification("p1"))),
    )
    seam = make_seam(tmp_path, taxonomy, openai_server)
    result = await seam.ask("classify", PAPERS[:1])
    assert result["p1"].value is not None
    assert "does not occur verbatim" in openai_server.chat_requests[1].text()


@pytest.mark.parametrize(
    "fault",
    [
        Fault(429, headers={"Retry-After": "0"}),
        Fault(500),
        Fault(503),
        Malformed('{"items": [{"paper_id": "p1", "primary": '),
    ],
    ids=["429", "500", "503", "truncated-json"],
)
async def test_faults_then_success_recover(tmp_path, taxonomy, openai_server, fault):
    openai_server.script(fault, Reply(answer(classification("p1"))))
    seam = make_seam(tmp_path, taxonomy, openai_server)
    result = await seam.ask("classify", PAPERS[:1])
    assert result["p1"].value is not None
    assert openai_server.call_count == 2
    stats = seam.stats["classify"]
    assert stats.retries + stats.reasks == 1 and stats.failed == 0


async def test_hang_past_timeout_is_retried(tmp_path, taxonomy, openai_server):
    # The hang outlasts any timeout; the timeout is long enough that the answer after it
    # arrives in time on a loaded machine.
    openai_server.script(Hang(600), Reply(answer(classification("p1"))))
    seam = make_seam(tmp_path, taxonomy, openai_server, timeout=3.0)
    result = await seam.ask("classify", PAPERS[:1])
    assert result["p1"].value is not None
    assert seam.stats["classify"].retries == 1


async def test_retry_after_is_honoured(tmp_path, taxonomy, openai_server):
    import time

    openai_server.script(
        Fault(429, headers={"Retry-After": "1"}), Reply(answer(classification("p1")))
    )
    seam = make_seam(tmp_path, taxonomy, openai_server)
    seam.settings = AskSettings(retry=RetryPolicy(attempts=3, wait_base=0.0, wait_max=5.0))
    start = time.monotonic()
    await seam.ask("classify", PAPERS[:1])
    assert time.monotonic() - start >= 0.9


async def test_exhausted_retries_fail_one_paper_and_the_rest_go_on(
    tmp_path, taxonomy, openai_server
):
    def responder(request: RecordedRequest) -> Any:
        if shows(request, "p1"):
            return Fault(500)
        pid = "p2" if shows(request, "p2") else "p3"
        return Reply(answer(classification(pid)))

    openai_server.respond_with(responder)
    seam = make_seam(tmp_path, taxonomy, openai_server)
    result = await seam.ask("classify", PAPERS[:3])
    assert result["p1"].value is None and "InternalServerError" in (result["p1"].error or "")
    assert result["p2"].value is not None and result["p3"].value is not None
    assert [f.paper_id for f in seam.failures] == ["p1"]
    assert seam.stats["classify"].failed == 1
    # A re-run retries only the failed paper.
    openai_server.respond_with(lambda r: Reply(answer(classification("p1"))))
    openai_server.reset()
    rerun = make_seam(tmp_path, taxonomy, openai_server)
    again = await rerun.ask("classify", PAPERS[:3])
    assert all(a.value is not None for a in again.values())
    assert openai_server.call_count == 1 and rerun.stats["classify"].cache_hits == 2


async def test_multi_paper_call_reasks_only_the_bad_item(tmp_path, taxonomy, openai_server):
    openai_server.script(
        Reply(
            answer(
                classification("p1"), classification("p2", leaf="model.magic"), classification("p3")
            )
        ),
        Reply(answer(classification("p2"))),
    )
    seam = make_seam(tmp_path, taxonomy, openai_server, papers_per_call=3)
    result = await seam.ask("classify", PAPERS[:3])
    assert all(result[p].value is not None for p in ("p1", "p2", "p3"))
    assert openai_server.call_count == 2
    alone = openai_server.chat_requests[1].text()
    assert PAPERS[1]["title"] in alone and PAPERS[0]["title"] not in alone


async def test_replay_with_empty_cache_fails_clearly(tmp_path, taxonomy, openai_server):
    seam = make_seam(tmp_path, taxonomy, openai_server, replay=True)
    with pytest.raises(
        ReplayMiss, match=r"--replay: 2 answer\(s\) of stage 'classify'.*taxonomist cache import"
    ):
        await seam.ask("classify", PAPERS[:2])
    assert openai_server.call_count == 0


async def test_concurrency_overlaps_calls(tmp_path, taxonomy, openai_server):
    # Each answer waits until six requests are being handled at once (an event, not a delay:
    # on a loaded machine a fixed latency may pass before the seam has sent the sixth).
    overlapped = threading.Event()

    def responder(request: RecordedRequest) -> Any:
        if openai_server.in_flight >= 6:
            overlapped.set()
        overlapped.wait(timeout=120)  # only a seam that never overlaps six calls waits this out
        pid = next(p["paper_id"] for p in PAPERS if f'"{p["title"]}"' in request.text())
        return Reply(answer(classification(pid)))

    openai_server.respond_with(responder)
    seam = make_seam(tmp_path, taxonomy, openai_server, concurrency=8)
    result = await seam.ask("classify", PAPERS)
    assert len(result) == 16 and all(a.value is not None for a in result.values())
    assert openai_server.max_in_flight >= 6


async def test_budget_cap_stops_calls(tmp_path, taxonomy, openai_server):
    def responder(request: RecordedRequest) -> Any:
        pid = next(p["paper_id"] for p in PAPERS if f'"{p["title"]}"' in request.text())
        return Reply(
            answer(classification(pid)), usage={"prompt_tokens": 100_000, "completion_tokens": 10}
        )

    openai_server.respond_with(responder)
    # gpt-4o-mini is in litellm's bundled price map: 100k input tokens cost ~0.015 USD.
    seam = make_seam(
        tmp_path, taxonomy, openai_server, model="openai/gpt-4o-mini", max_cost=0.02, concurrency=1
    )
    result = await seam.ask("classify", PAPERS[:4])
    done = [p for p, a in result.items() if a.value is not None]
    # The check uses the estimated cost of the next call (the server bills far more than the
    # prompt's size), so the second call still starts and the third is refused. Which papers
    # go first depends on the order their cache lookups finish, so only the counts are fixed.
    assert len(done) == 2
    assert seam.budget.exhausted
    assert all("--max-cost" in (f.error or "") for f in seam.failures)
    refused = sorted(f.paper_id for f in seam.failures)
    assert len(refused) == 2 and sorted(done + refused) == ["p1", "p2", "p3", "p4"]


async def test_dry_run_estimates_without_calling(tmp_path, taxonomy, openai_server):
    seam = make_seam(
        tmp_path, taxonomy, openai_server, model="openai/gpt-4o-mini", papers_per_call=4
    )
    seam.settings = AskSettings(dry_run=True)
    await seam.ask("classify", PAPERS)
    estimate = seam.estimates["classify"]
    assert estimate.calls == 4 and estimate.papers == 16
    assert estimate.input_tokens > 1000 and estimate.cost_usd > 0
    assert openai_server.call_count == 0


@pytest.mark.parametrize("mode", ["json", "json_object_schema", "md_json", "tools", "json_schema"])
async def test_every_instructor_mode_works_over_http(tmp_path, taxonomy, openai_server, mode):
    openai_server.script(Reply(answer(classification("p1"))))
    seam = make_seam(tmp_path, taxonomy, openai_server)
    seam.models = {
        "default": ModelConfig(
            model="openai/test-model", api_base=openai_server.base_url, mode=mode
        )
    }
    result = await seam.ask("classify", PAPERS[:1])
    assert result["p1"].value is not None and result["p1"].value.primary == "model.quantization"
    assert bool(openai_server.chat_requests[0].tools) == (mode == "tools")


async def test_progress_reports_every_planned_paper_as_done(tmp_path, taxonomy, openai_server):
    openai_server.respond_with(
        lambda r: Reply(
            answer(
                *(
                    classification(p["paper_id"])
                    for p in PAPERS[:4]
                    if f'"{p["title"]}"' in r.text()
                )
            )
        )
    )
    seam = make_seam(tmp_path, taxonomy, openai_server, papers_per_call=2)
    events: list[tuple[str, int, int]] = []
    seam.progress = lambda stage, planned, done: events.append((stage, planned, done))
    await seam.ask("classify", PAPERS[:4])
    assert sum(p for _, p, _ in events) == 4 and sum(d for _, _, d in events) == 4
    assert {s for s, _, _ in events} == {"classify"}


def test_local_model_code_version_is_part_of_its_cache_key():
    local = ModelConfig(model="local/taxonomist").parameters()
    remote = ModelConfig(model="openai/gpt-4o-mini").parameters()
    assert len(local["local_model_version"]) == 16
    assert "local_model_version" not in remote


async def test_a_tampered_cache_entry_is_revalidated_and_asked_again(
    tmp_path, taxonomy, openai_server
):
    openai_server.script(Reply(answer(classification("p1"))), Reply(answer(classification("p1"))))
    seam = make_seam(tmp_path, taxonomy, openai_server)
    await seam.ask("classify", PAPERS[:1])
    cache = seam.cache
    for key, record in list(cache.items()):
        if record.get("stage") == "classify":
            record["answer"]["evidence"][0]["quote"] = "a quote that is not in the abstract"
            cache.set(key, record)
    again = make_seam(tmp_path, taxonomy, openai_server)
    result = await again.ask("classify", PAPERS[:1])
    assert result["p1"].value is not None and not result["p1"].cached
    assert openai_server.call_count == 2
