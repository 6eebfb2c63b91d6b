"""`taxonomist build` end to end over real HTTP: cache reuse, replay, and no key on disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.embedded import local_answers
from tests.openai_server import OpenAIServer, RecordedRequest

FIXTURE = Path(__file__).parent / "fixtures" / "dumps" / "small.txt"
PLANTED_KEY = "sk-planted-7f3a9c1e5b2d4f6a8c0e"


def run_cli(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    environ["OPENAI_API_KEY"] = PLANTED_KEY
    environ["TAXONOMIST_CACHE_DIR"] = str(tmp_path / "cache")
    environ["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    return environ


# Requests made by the CLI process, and by two worker processes (pipeline/seam/workers.py).
WHERE = pytest.mark.parametrize("where", [[], ["--workers", "2"]], ids=["in-process", "workers"])


@WHERE
def test_build_over_http_caches_replays_and_never_stores_the_key(
    tmp_path: Path, openai_server: OpenAIServer, env: dict[str, str], where: list[str]
) -> None:
    openai_server.respond_with(local_answers)
    dump = tmp_path / "dumps" / "small.txt"
    dump.parent.mkdir()
    dump.write_text(FIXTURE.read_text())
    args = [
        "build",
        "dumps",
        "--model",
        "openai/test-model",
        "--api-base",
        openai_server.base_url,
        "--papers-per-call",
        "2",
        *where,
    ]
    first = run_cli(args, tmp_path, env)
    assert first.returncode == 0, first.stderr
    calls = openai_server.call_count
    assert calls >= 3
    # the key was used on the wire ...
    assert any(
        PLANTED_KEY in r.headers.get("Authorization", "") for r in openai_server.chat_requests
    )
    records = [
        json.loads(line)
        for line in (tmp_path / "outputs" / "papers.jsonl").read_text().splitlines()
    ]
    assert len(records) == 4
    by_title = {r["title"]: r for r in records}
    assert by_title["A Benchmark of Robot Dexterity for Household Tasks"]["relevant"] is False
    gptq = next(r for r in records if r["title"].startswith("GPTQ"))
    assert gptq["relevant"] and gptq["primary"] == "model.quantization"
    report = json.loads((tmp_path / "runs" / "last.json").read_text())
    assert (
        report["stages"]["screen"]["calls"] == 2 and report["stages"]["screen"]["cache_hits"] == 0
    )

    # second run: zero calls, same papers.jsonl
    before = (tmp_path / "outputs" / "papers.jsonl").read_bytes()
    second = run_cli(args, tmp_path, env)
    assert second.returncode == 0, second.stderr
    assert openai_server.call_count == calls
    assert (tmp_path / "outputs" / "papers.jsonl").read_bytes() == before
    report = json.loads((tmp_path / "runs" / "last.json").read_text())
    assert all(s["calls"] == 0 for s in report["stages"].values())
    assert report["stages"]["screen"]["cache_hits"] == 4

    # --replay works from the cache, and fails clearly on an empty one
    assert run_cli([*args, "--replay"], tmp_path, env).returncode == 0
    empty = run_cli([*args, "--replay", "--cache-dir", str(tmp_path / "empty")], tmp_path, env)
    assert empty.returncode == 1
    assert "--replay" in empty.stderr and "not in the cache" in empty.stderr

    # the planted key is nowhere on disk
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert PLANTED_KEY.encode() not in path.read_bytes(), path


def test_failed_papers_exit_nonzero_and_are_reported(
    tmp_path: Path, openai_server: OpenAIServer, env: dict[str, str]
) -> None:
    from tests.openai_server import Fault

    def responder(request: RecordedRequest) -> Any:
        if "GPTQ" in request.text() and '<task name="classify"/>' in request.text():
            return Fault(
                400,
                body={"error": {"message": "context too long", "type": "invalid_request_error"}},
            )
        return local_answers(request)

    openai_server.respond_with(responder)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "small.txt").write_text(FIXTURE.read_text())
    args = [
        "build",
        "d",
        "--model",
        "openai/test-model",
        "--api-base",
        openai_server.base_url,
        "--papers-per-call",
        "1",
    ]
    result = run_cli(args, tmp_path, env)
    assert result.returncode == 1
    assert "classify failed for 'GPTQ" in result.stderr
    assert "nothing was published" in result.stderr and "--allow-failures" in result.stderr
    report = json.loads((tmp_path / "runs" / "last.json").read_text())
    assert [f["stage"] for f in report["failed"]] == ["classify"]
    assert report["published"] is False
    assert not (tmp_path / "outputs").exists()  # a survey without GPTQ is not published

    allowed = run_cli([*args, "--allow-failures"], tmp_path, env)
    assert allowed.returncode == 1
    assert "--allow-failures" in allowed.stderr and "written without them" in allowed.stderr
    report = json.loads((tmp_path / "runs" / "last.json").read_text())
    assert [f["stage"] for f in report["failed"]] == ["classify"] and report["published"]
    records = [
        json.loads(line)
        for line in (tmp_path / "outputs" / "papers.jsonl").read_text().splitlines()
    ]
    gptq = next(r for r in records if r["title"].startswith("GPTQ"))
    assert "classify" in gptq["failed"] and gptq["primary"] is None and gptq["relevant"] is True


def test_cli_usage_errors_exit_2() -> None:
    from pipeline.cli import _register, app

    _register()
    result = CliRunner().invoke(app, ["build", "--no-such-option"])
    assert result.exit_code == 2


def test_dry_run_estimates_every_stage_and_calls_nothing(
    tmp_path: Path, openai_server: OpenAIServer, env: dict[str, str]
) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "small.txt").write_text(FIXTURE.read_text())
    result = run_cli(["build", "d", "--model", "openai/gpt-4o-mini", "--api-base",
                      openai_server.base_url, "--dry-run"], tmp_path, env)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert openai_server.call_count == 0
    for stage in ("screen", "classify", "extract", "synthesize"):
        assert stage in result.stdout
    assert not (tmp_path / "outputs" / "papers.jsonl").exists()


@WHERE
def test_bad_key_stops_the_run_and_is_never_printed(
    tmp_path: Path, openai_server: OpenAIServer, env: dict[str, str], where: list[str]
) -> None:
    """A 401 that echoes the key: one clear error naming the fix, no key in stderr or files."""
    from tests.openai_server import Fault

    def refuse(request: RecordedRequest) -> Fault:
        sent = request.headers.get("Authorization", "")
        body = {
            "error": {
                "message": f"Incorrect API key provided: {sent}",
                "type": "invalid_request_error",
            }
        }
        return Fault(401, body=body)

    openai_server.respond_with(refuse)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "small.txt").write_text(FIXTURE.read_text())
    result = run_cli(["build", "d", "--model", "openai/test-model", "--api-base",
                      openai_server.base_url, *where], tmp_path, env)  # fmt: skip
    assert result.returncode == 1
    assert "check the provider's API key" in result.stderr
    assert openai_server.call_count <= 2  # stops at once instead of failing paper after paper
    assert PLANTED_KEY not in result.stderr and PLANTED_KEY not in result.stdout
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert PLANTED_KEY.encode() not in path.read_bytes(), path


def test_empty_input_exits_1_and_keeps_outputs(tmp_path: Path, env: dict[str, str]) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "outputs").mkdir()
    (tmp_path / "outputs" / "survey.md").write_text("kept")
    result = run_cli(["build", "empty"], tmp_path, env)
    assert result.returncode == 1
    assert "no paper was read from empty" in result.stderr
    assert (tmp_path / "outputs" / "survey.md").read_text() == "kept"
