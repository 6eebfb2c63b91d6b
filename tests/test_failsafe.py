"""A run never damages outputs/: an unusable model stops at once, outputs are a transaction.

Every scenario starts from a published survey (built once over real HTTP from the embedded
model's answers) and checks that the files of outputs/ are byte-identical afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pipeline.publish import OutputTransaction
from tests.embedded import local_answers
from tests.openai_server import Fault, OpenAIServer, RecordedRequest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "dumps" / "small.txt"
KEY = "sk-test-failsafe"


def run_cli(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def commit_outputs(directory: Path) -> None:
    """Make ``directory`` a git repository with outputs/ committed, as a user's survey is."""
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=directory, check=True)
    subprocess.run([*git, "add", "outputs"], cwd=directory, check=True)
    subprocess.run([*git, "commit", "-qm", "survey"], cwd=directory, check=True)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    environ["OPENAI_API_KEY"] = KEY
    environ["TAXONOMIST_CACHE_DIR"] = str(tmp_path / "cache")
    environ["PYTHONPATH"] = str(ROOT)
    return environ


def http_args(server: OpenAIServer, *extra: str) -> list[str]:
    return [
        "build", "d", "--model", "openai/test-model", "--api-base", server.base_url,
        "--papers-per-call", "1", *extra,
    ]  # fmt: skip


@pytest.fixture
def published(tmp_path: Path, openai_server: OpenAIServer, env: dict[str, str]) -> Path:
    """tmp_path/outputs: a survey built over HTTP; the dump is tmp_path/d/small.txt."""
    (tmp_path / "d").mkdir()
    shutil.copyfile(FIXTURE, tmp_path / "d" / "small.txt")
    openai_server.respond_with(local_answers)
    first = run_cli(http_args(openai_server), tmp_path, env)
    assert first.returncode == 0, first.stderr
    return tmp_path / "outputs"


def test_no_key_stops_before_any_request_and_keeps_outputs(
    tmp_path: Path, published: Path, env: dict[str, str]
) -> None:
    before = snapshot(published)
    environ = {k: v for k, v in env.items() if k != "OPENAI_API_KEY"}
    environ["TAXONOMIST_CACHE_DIR"] = str(tmp_path / "fresh-cache")
    result = run_cli(["build", "d", "--model", "openai/gpt-4o-mini"], tmp_path, environ)
    assert result.returncode == 1
    assert "OPENAI_API_KEY" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(published) == before


def test_unknown_provider_names_the_fix_and_keeps_outputs(
    tmp_path: Path, published: Path, env: dict[str, str]
) -> None:
    before = snapshot(published)
    env["TAXONOMIST_CACHE_DIR"] = str(tmp_path / "fresh-cache")
    result = run_cli(["build", "d", "--model", "nosuchprovider/x"], tmp_path, env)
    assert result.returncode == 1
    assert "knows no provider" in result.stderr and "openai/gpt-4o-mini" in result.stderr
    assert snapshot(published) == before


def test_dead_api_base_stops_with_the_address(
    tmp_path: Path, published: Path, env: dict[str, str]
) -> None:
    before = snapshot(published)
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env["TAXONOMIST_CACHE_DIR"] = str(tmp_path / "fresh-cache")
    args = ["build", "d", "--model", "openai/x", "--api-base", f"http://127.0.0.1:{port}/v1"]
    result = run_cli(args, tmp_path, env)
    assert result.returncode == 1
    assert f"nothing answers at --api-base http://127.0.0.1:{port}/v1" in result.stderr
    assert snapshot(published) == before


def test_a_provider_that_fails_everything_stops_the_run_and_keeps_outputs(
    tmp_path: Path, published: Path, openai_server: OpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """500 to every request: the run stops as an outage after a few requests; nothing is written."""
    from pipeline.build import BuildOptions, build
    from pipeline.errors import ProviderFatal
    from pipeline.seam import AskSettings, ModelConfig
    from pipeline.seam.retry import RetryPolicy
    from pipeline.taxonomy import load_taxonomy

    before = snapshot(published)
    openai_server.respond_with(lambda request: Fault(500))
    config = ModelConfig(model="openai/test-model", api_base=openai_server.base_url)
    options = BuildOptions(
        paths=[tmp_path / "d"],
        out_dir=published,
        cache_dir=tmp_path / "fresh-cache",
        runs_dir=tmp_path / "runs",
        taxonomy=load_taxonomy(),
        models={"default": config},
        settings=AskSettings(retry=RetryPolicy(attempts=2, wait_base=0.01, wait_max=0.02)),
    )
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with pytest.raises(ProviderFatal, match="looks down"):
        build(options)
    assert snapshot(published) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_broken_template_publishes_nothing(
    tmp_path: Path, published: Path, openai_server: OpenAIServer, env: dict[str, str]
) -> None:
    before = snapshot(published)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "survey.md.j2").write_text("{% for x in %}broken", encoding="utf-8")
    result = run_cli(http_args(openai_server, "--templates", str(templates)), tmp_path, env)
    assert result.returncode == 1
    assert "survey.md.j2" in result.stderr
    assert snapshot(published) == before


def test_torn_citation_keys_are_rebuilt_from_papers_jsonl(
    tmp_path: Path, published: Path, openai_server: OpenAIServer, env: dict[str, str]
) -> None:
    before = snapshot(published)
    keymap = published / "citation-keys.json"
    keymap.write_bytes(before["citation-keys.json"][:40])  # torn mid-write
    result = run_cli(http_args(openai_server), tmp_path, env)
    assert result.returncode == 0, result.stderr
    assert "citation-keys.json: damaged" in result.stderr and "papers.jsonl" in result.stderr
    assert snapshot(published) == before


def test_torn_sections_file_is_restored_from_git(
    tmp_path: Path, published: Path, openai_server: OpenAIServer, env: dict[str, str]
) -> None:
    commit_outputs(tmp_path)
    before = snapshot(published)
    (published / "sections.json").write_text('{"intro": {"inp', encoding="utf-8")
    result = run_cli(http_args(openai_server), tmp_path, env)
    assert result.returncode == 0, result.stderr
    assert "sections.json: damaged; using the version committed in git" in result.stderr
    assert snapshot(published) == before


def test_a_second_build_into_the_same_out_is_refused(
    tmp_path: Path, published: Path, openai_server: OpenAIServer, env: dict[str, str]
) -> None:
    before = snapshot(published)
    with OutputTransaction(published):  # a build in progress (this process holds the lock)
        result = run_cli(http_args(openai_server), tmp_path, env)
    assert result.returncode == 1
    assert "another taxonomist build" in result.stderr and str(os.getpid()) in result.stderr
    assert snapshot(published) == before
    # the lock goes with its holder: the next build runs
    assert run_cli(http_args(openai_server), tmp_path, env).returncode == 0


def test_partial_failure_publishes_nothing_and_the_retry_equals_a_clean_build(
    tmp_path: Path, published: Path, openai_server: OpenAIServer, env: dict[str, str]
) -> None:
    before = snapshot(published)
    dump = tmp_path / "d" / "small.txt"
    extra = (
        "KIVI-Lite: 2-bit KV-Cache Quantization for Faster LLM Inference\n\n"
        "We propose a tuning-free 2-bit quantization of the key-value cache that reduces the "
        "inference memory of large language models by 2.6x and increases serving throughput by "
        "3.1x on A100 GPUs.\n\n"
    )
    text = dump.read_text(encoding="utf-8")
    anchor = "Efficient Memory Management for Large Language Model Serving"
    dump.write_text(text.replace(anchor, extra + anchor, 1), encoding="utf-8")

    def flaky(request: RecordedRequest) -> Any:
        if "KIVI-Lite" in request.text() and '<task name="classify"/>' in request.text():
            return Fault(400, body={"error": {"message": "too long", "type": "bad_request"}})
        return local_answers(request)

    openai_server.respond_with(flaky)
    failed = run_cli(http_args(openai_server), tmp_path, env)
    assert failed.returncode == 1
    assert "classify failed for 'KIVI-Lite" in failed.stderr
    assert snapshot(published) == before  # no survey that silently lacks the paper

    allowed = run_cli(http_args(openai_server, "--allow-failures"), tmp_path, env)
    assert allowed.returncode == 1
    survey = (published / "survey.md").read_text(encoding="utf-8")
    assert "This build is incomplete: 1 paper failed" in survey
    report = json.loads((tmp_path / "runs" / "last.json").read_text(encoding="utf-8"))
    assert report["published"] and [f["stage"] for f in report["failed"]] == ["classify"]

    openai_server.respond_with(local_answers)
    retried = run_cli(http_args(openai_server), tmp_path, env)
    assert retried.returncode == 0, retried.stderr

    # a clean build: the starting survey, the same answers, no failure on the way
    clean = tmp_path / "clean"
    clean.mkdir()
    shutil.copytree(tmp_path / "d", clean / "d")
    (clean / "outputs").mkdir()
    for name, data in before.items():
        (clean / "outputs" / name).parent.mkdir(parents=True, exist_ok=True)
        (clean / "outputs" / name).write_bytes(data)
    env["TAXONOMIST_CACHE_DIR"] = str(clean / "cache")
    assert run_cli(http_args(openai_server), clean, env).returncode == 0
    assert snapshot(published) == snapshot(clean / "outputs")


def test_a_rebuild_leaves_git_status_clean(
    tmp_path: Path, published: Path, openai_server: OpenAIServer, env: dict[str, str]
) -> None:
    commit_outputs(tmp_path)
    assert (published / ".gitignore").exists() and not (published / "run-report.json").exists()
    for name in ("survey.pdf", "survey.aux", "survey.log", "survey.fdb_latexmk"):
        (published / name).write_text("latex build file", encoding="utf-8")
    result = run_cli(http_args(openai_server), tmp_path, env)
    assert result.returncode == 0, result.stderr
    status = subprocess.run(
        ["git", "status", "--porcelain", "outputs"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert status == ""
    # the run's statistics are in the run log instead
    report = json.loads((tmp_path / "runs" / "last.json").read_text(encoding="utf-8"))
    assert report["stages"]["screen"]["cache_hits"] == 4


def _corrupt(cache_dir: Path, how: str) -> None:
    database = cache_dir / "cache.db"
    if how == "truncated":
        data = database.read_bytes()
        database.write_bytes(data[: len(data) // 3])
    else:
        database.write_bytes(b"this is not an SQLite database\n" * 500)


@pytest.mark.parametrize("how", ["truncated", "garbage"])
def test_a_damaged_cache_is_reported_and_cache_clear_repairs_it(
    tmp_path: Path, published: Path, openai_server: OpenAIServer, env: dict[str, str], how: str
) -> None:
    before = snapshot(published)
    for leftover in (tmp_path / "cache").glob("cache.db-*"):
        leftover.unlink()
    _corrupt(tmp_path / "cache", how)
    result = run_cli(http_args(openai_server), tmp_path, env)
    assert result.returncode == 1
    assert "cache damaged" in result.stderr and "taxonomist cache clear" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(published) == before
    cleared = run_cli(["cache", "clear", "--yes"], tmp_path, env)
    assert cleared.returncode == 0, cleared.stderr
    again = run_cli(http_args(openai_server), tmp_path, env)
    assert again.returncode == 0, again.stderr
    assert snapshot(published) == before


def test_an_undecodable_cache_entry_is_dropped_and_asked_again(tmp_path: Path) -> None:
    import diskcache

    from pipeline.seam.cache import AnswerCache

    raw = diskcache.Cache(str(tmp_path / "cache"))
    raw.set("v1:bad", "{not json")
    raw.set("v1:good", json.dumps({"stage": "screen", "model": "m", "answer": {}}))
    raw.close()
    cache = AnswerCache(tmp_path / "cache")
    try:
        assert cache.get("v1:bad") is None
        assert "v1:bad" not in cache  # dropped, so the next run asks again and stores the answer
        assert cache.get("v1:good") == {"stage": "screen", "model": "m", "answer": {}}
    finally:
        cache.close()
