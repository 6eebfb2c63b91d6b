"""`taxonomist build --batch` over real HTTP: provider batches through the local server.

The server (tests/openai_server.py) implements /v1/files and /v1/batches; its batches complete,
expire with some items done, or fail, as each test scripts them.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.embedded import local_answers
from tests.openai_server import OpenAIServer, RecordedRequest, Reply

FIXTURE = Path(__file__).parent / "fixtures" / "dumps" / "small.txt"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    environ["OPENAI_API_KEY"] = "sk-test-batch"
    environ["PYTHONPATH"] = str(ROOT)
    environ["COLUMNS"] = "200"  # the dry-run table unwrapped
    return environ


def build(
    tmp_path: Path, server: OpenAIServer, env: dict[str, str], name: str, *extra: str
) -> subprocess.CompletedProcess[str]:
    """Run `taxonomist build` with its own cache and outputs under tmp_path/name."""
    work = tmp_path / name
    (work / "dumps").mkdir(parents=True, exist_ok=True)
    (work / "dumps" / "small.txt").write_text(FIXTURE.read_text())
    args = [
        sys.executable, "-m", "pipeline", "build", "dumps",
        "--model", "openai/test-model", "--api-base", server.base_url,
        "--papers-per-call", "2", "--batch-poll", "0.01", *extra,
    ]  # fmt: skip
    return subprocess.run(args, cwd=work, env=env, capture_output=True, text=True, timeout=300)


PAPER_TASKS = ('<task name="screen"', '<task name="classify"', '<task name="extract"')


def paper_requests(server: OpenAIServer) -> list[RecordedRequest]:
    """Chat requests of the paper stages (synthesize's prose is never batched)."""
    return [r for r in server.chat_requests if any(t in r.text() for t in PAPER_TASKS)]


def papers(tmp_path: Path, name: str) -> str:
    return (tmp_path / name / "outputs" / "papers.jsonl").read_text()


def run_log(tmp_path: Path, name: str) -> dict[str, Any]:
    return json.loads((tmp_path / name / ".taxonomist" / "runs" / "last.json").read_text())


@pytest.fixture
def reference(tmp_path: Path, openai_server: OpenAIServer, env: dict[str, str]) -> str:
    """papers.jsonl of the same build made without --batch."""
    openai_server.respond_with(local_answers)
    done = build(tmp_path, openai_server, env, "plain")
    assert done.returncode == 0, done.stderr
    openai_server.reset()
    return papers(tmp_path, "plain")


def test_completed_batch_gives_the_same_outputs_without_chat_requests(
    tmp_path: Path, openai_server: OpenAIServer, env: dict[str, str], reference: str
) -> None:
    openai_server.batch_polls = 2
    done = build(tmp_path, openai_server, env, "batch", "--batch")
    assert done.returncode == 0, done.stderr
    assert papers(tmp_path, "batch") == reference
    assert paper_requests(openai_server) == []  # every paper answer came from a batch
    assert openai_server.chat_requests  # synthesize's prose went the normal way
    assert len(openai_server.batches) == 3  # screen, then classify and extract
    assert all(b["endpoint"] == "/v1/chat/completions" for b in openai_server.batches.values())
    stages = run_log(tmp_path, "batch")["stages"]
    assert stages["screen"]["batches"] == 1
    assert stages["screen"]["pricing"].startswith("batch:")
    assert not list((tmp_path / "batch" / ".taxonomist" / "batches").glob("*.json"))
    # a second run finds every answer in the cache: no batch, no request
    lines = len(openai_server.batch_lines)
    again = build(tmp_path, openai_server, env, "batch", "--batch")
    assert again.returncode == 0, again.stderr
    assert len(openai_server.batches) == 3
    assert len(openai_server.batch_lines) == lines


def test_expired_batch_reasks_the_missing_items_through_the_normal_path(
    tmp_path: Path, openai_server: OpenAIServer, env: dict[str, str], reference: str
) -> None:
    openai_server.batch_outcome = "expired"
    openai_server.batch_done_items = 1  # one request of each batch is done
    done = build(tmp_path, openai_server, env, "batch", "--batch")
    assert done.returncode == 0, done.stderr
    assert papers(tmp_path, "batch") == reference
    assert len(openai_server.batch_lines) == 3  # one answered line per batch
    assert paper_requests(openai_server)  # the rest were asked through the normal path


def test_failed_batch_asks_everything_through_the_normal_path(
    tmp_path: Path, openai_server: OpenAIServer, env: dict[str, str], reference: str
) -> None:
    openai_server.batch_outcome = "failed"
    done = build(tmp_path, openai_server, env, "batch", "--batch")
    assert done.returncode == 0, done.stderr
    assert papers(tmp_path, "batch") == reference
    assert openai_server.batch_lines == []
    assert paper_requests(openai_server)


def test_invalid_batch_items_are_reasked_and_never_cached(
    tmp_path: Path, openai_server: OpenAIServer, env: dict[str, str], reference: str
) -> None:
    def respond(request: RecordedRequest) -> Reply:
        reply = local_answers(request)
        if request.index == -1:  # a batch line: break the first item's fields
            content = dict(reply.content)
            items = [dict(item) for item in content["items"]]
            items[0] = {"paper_id": items[0]["paper_id"], "nonsense": True}
            return Reply({**content, "items": items})
        return reply

    openai_server.respond_with(respond)
    done = build(tmp_path, openai_server, env, "batch", "--batch")
    assert done.returncode == 0, done.stderr
    assert papers(tmp_path, "batch") == reference
    # each request's broken first item was asked again alone, through the normal path
    assert len(paper_requests(openai_server)) == len(openai_server.batch_lines)
    assert run_log(tmp_path, "batch")["stages"]["screen"]["reasks"] >= 1


def test_an_interrupted_run_resumes_the_same_batch(
    tmp_path: Path, openai_server: OpenAIServer, env: dict[str, str], reference: str
) -> None:
    openai_server.batch_polls = 10**9  # the first batch never finishes while the run waits
    work = tmp_path / "batch"
    (work / "dumps").mkdir(parents=True)
    (work / "dumps" / "small.txt").write_text(FIXTURE.read_text())
    args = [
        sys.executable, "-m", "pipeline", "build", "dumps",
        "--model", "openai/test-model", "--api-base", openai_server.base_url,
        "--papers-per-call", "2", "--batch-poll", "0.01", "--batch",
    ]  # fmt: skip
    process = subprocess.Popen(
        args, cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    states = work / ".taxonomist" / "batches"
    # wait for the event "the batch id is stored" (or the process ending, which fails below)
    while process.poll() is None and not list(states.glob("screen-*.json")):
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it stored its batch id"
    stored = json.loads(next(states.glob("screen-*.json")).read_text())
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=600)  # a hang guard: SIGTERM must end the run
    assert len(openai_server.batches) == 1
    uploads = len(openai_server.files)
    openai_server.batch_polls = 0
    openai_server._batch_polls_left[stored["batch_id"]] = 0  # the provider finishes it
    done = build(tmp_path, openai_server, env, "batch", "--batch")
    assert done.returncode == 0, done.stderr
    assert papers(tmp_path, "batch") == reference
    # screen resumed the stored batch: only classify and extract made new batches (and files)
    assert len(openai_server.batches) == 3
    assert stored["batch_id"] in openai_server.batches
    # no new upload for screen: classify's and extract's inputs and outputs only (the server
    # writes a batch's output file when the batch is created)
    assert len(openai_server.files) == uploads + 2 + 2


def test_dry_run_shows_batch_pricing(tmp_path: Path, env: dict[str, str]) -> None:
    work = tmp_path / "dry"
    (work / "dumps").mkdir(parents=True)
    (work / "dumps" / "small.txt").write_text(FIXTURE.read_text())
    args = [sys.executable, "-m", "pipeline", "build", "dumps", "--model", "openai/gpt-4o-mini"]
    plain = subprocess.run([*args, "--dry-run"], cwd=work, env=env, capture_output=True, text=True)
    batch = subprocess.run(
        [*args, "--dry-run", "--batch"], cwd=work, env=env, capture_output=True, text=True
    )
    assert plain.returncode == 0 and batch.returncode == 0, plain.stderr + batch.stderr
    assert "batch:" in batch.stdout and "batch:" not in plain.stdout


def test_max_cost_refuses_a_batch_it_cannot_afford(
    tmp_path: Path, openai_server: OpenAIServer, env: dict[str, str]
) -> None:
    openai_server.respond_with(local_answers)
    work = tmp_path / "poor"
    (work / "dumps").mkdir(parents=True)
    (work / "dumps" / "small.txt").write_text(FIXTURE.read_text())
    args = [
        sys.executable, "-m", "pipeline", "build", "dumps",
        "--model", "openai/gpt-4o-mini", "--api-base", openai_server.base_url,
        "--batch", "--batch-poll", "0.01", "--max-cost", "0.000001",
    ]  # fmt: skip
    done = subprocess.run(args, cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert "--max-cost" in done.stderr and "batch" in done.stderr
    assert openai_server.batches == {} and openai_server.files == {}
    assert not (work / "outputs").exists()
