"""An interrupted build (SIGINT, SIGKILL) loses no finished answer and resumes to equal outputs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.embedded import local_answers
from tests.openai_server import OpenAIServer

ROOT = Path(__file__).resolve().parent.parent
DUMP = ROOT / "dumps" / "000_e1975b30c3037422.txt"


def build_cmd(server: OpenAIServer, where: list[str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pipeline",
        "build",
        str(DUMP),
        "--model",
        "openai/test-model",
        "--api-base",
        server.base_url,
        "--papers-per-call",
        "1",
        "--concurrency",
        "2",
        *where,
    ]


def environ(cache: Path) -> dict[str, str]:
    return {
        **os.environ,
        "TAXONOMIST_TEST_MARK": str(cache),
        "OPENAI_API_KEY": "sk-test-interrupt",
        "TAXONOMIST_CACHE_DIR": str(cache),
        "PYTHONPATH": str(ROOT),
    }


def sigint(handler: signal.Handlers) -> Callable[[], None]:
    """A ``preexec_fn`` giving the child this SIGINT disposition, whatever the test process
    has (a process started from a script in the background inherits SIGINT ignored)."""

    def set_it() -> None:
        signal.signal(signal.SIGINT, handler)

    return set_it


def run_to_the_end(server: OpenAIServer, where: list[str], directory: Path) -> None:
    """An uninterrupted build in ``directory`` (its cache inside it); it must succeed."""
    done = subprocess.run(
        build_cmd(server, where),
        cwd=directory,
        env=environ(directory / "cache"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr


def processes_marked(mark: str) -> list[int]:
    """Live processes whose environment carries TAXONOMIST_TEST_MARK=mark (workers inherit it)."""
    found = []
    needle = f"TAXONOMIST_TEST_MARK={mark}".encode() + b"\0"
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ_bytes = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:  # gone, or not ours to read
            continue
        if needle in environ_bytes + b"\0" and state != "Z":
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize("where", [[], ["--workers", "2"]], ids=["in-process", "workers"])
@pytest.mark.parametrize(
    "sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["ctrl-c", "term", "kill-9"]
)
def test_interrupted_build_resumes_to_identical_outputs(
    tmp_path: Path, openai_server: OpenAIServer, sig: signal.Signals, where: list[str]
) -> None:
    openai_server.respond_with(local_answers)
    openai_server.latency = 0.02
    interrupted, clean = tmp_path / "interrupted", tmp_path / "clean"
    interrupted.mkdir()
    clean.mkdir()

    proc = subprocess.Popen(
        build_cmd(openai_server, where),
        cwd=interrupted,
        env=environ(interrupted / "cache"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=sigint(signal.SIG_DFL),
    )
    # Wait for the event (30 requests seen by the server); the deadline only guards against a hang.
    deadline = time.monotonic() + 600
    while openai_server.call_count < 30 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    assert proc.poll() is None, "the build finished before it could be interrupted"
    if where:  # the CLI and its two workers (so the check after the signal can see them)
        assert len(processes_marked(str(interrupted / "cache"))) == 3
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=600)
    if sig != signal.SIGKILL:
        assert proc.returncode == 130, stderr
        assert "interrupted" in stderr and "resume" in stderr and "left as it was" in stderr
        # the staging copy and the lock are gone with the run
        assert [p.name for p in interrupted.iterdir()] == ["cache"]
    else:
        assert proc.returncode == -signal.SIGKILL
    calls_before = openai_server.call_count
    assert not (interrupted / "outputs" / "papers.jsonl").exists()
    # no worker process outlives the build, however it ended
    deadline = time.monotonic() + 300  # a hang guard: workers exit when they see the pipe close
    while processes_marked(str(interrupted / "cache")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes_marked(str(interrupted / "cache")) == []

    run_to_the_end(openai_server, where, interrupted)
    resumed_calls = openai_server.call_count - calls_before

    openai_server.reset()
    run_to_the_end(openai_server, where, clean)
    # every answer finished before the interruption was reused (at most the in-flight ones lost)
    assert resumed_calls <= openai_server.call_count - (calls_before - 2 - 2)
    assert resumed_calls < openai_server.call_count
    for name in ("papers.jsonl", "citation-keys.json"):
        assert (interrupted / "outputs" / name).read_bytes() == (
            clean / "outputs" / name
        ).read_bytes()


def test_sigterm_stops_a_build_that_ignores_sigint(
    tmp_path: Path, openai_server: OpenAIServer
) -> None:
    """A build started in the background of a script ignores SIGINT; `kill` must still stop it."""
    openai_server.respond_with(local_answers)
    openai_server.latency = 0.02
    proc = subprocess.Popen(
        build_cmd(openai_server, []),
        cwd=tmp_path,
        env=environ(tmp_path / "cache"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=sigint(signal.SIG_IGN),
    )
    deadline = time.monotonic() + 600  # a hang guard; the wait is for the event (10 requests)
    while openai_server.call_count < 10 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    assert proc.poll() is None, "the build finished before it could be stopped"
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "left as it was" in stderr
    assert not (tmp_path / "outputs").exists()
