"""`taxonomist ingest`: output files, determinism, summary and exit codes (0, 1, 2)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from pipeline.commands.ingest import register
from pipeline.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
ROOT = Path(__file__).resolve().parent.parent


def app() -> typer.Typer:
    application = typer.Typer()
    register(application)

    @application.callback()
    def _root() -> None:  # a callback keeps `ingest` a subcommand, as in the real CLI
        pass

    return application


def run(*args: str) -> subprocess.CompletedProcess[str]:
    code = "from pipeline.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, check=False
    )


def test_writes_sorted_papers_and_report_and_is_byte_identical(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app(), ["ingest", str(FIXTURES), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    papers = (tmp_path / "papers.jsonl").read_bytes()
    report = (tmp_path / "run-report.json").read_bytes()
    lines = [json.loads(line) for line in papers.decode().splitlines()]
    assert [p["id"] for p in lines] == sorted(p["id"] for p in lines) and len(lines) == 15
    parsed = json.loads(report)
    assert list(parsed) == ["ingest"] and parsed["ingest"]["papers"] == 15
    assert report.decode() == json.dumps(parsed, indent=2, sort_keys=True) + "\n"
    again = runner.invoke(app(), ["ingest", str(FIXTURES), "--out", str(tmp_path)])
    assert again.exit_code == 0
    assert (tmp_path / "papers.jsonl").read_bytes() == papers
    assert (tmp_path / "run-report.json").read_bytes() == report


def read_keys(folder: Path) -> dict[str, str]:
    lines = (folder / "papers.jsonl").read_text(encoding="utf-8").splitlines()
    return {json.loads(line)["id"]: json.loads(line)["key"] for line in lines}


def test_rerun_keeps_the_citation_keys_given_before(tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(app(), ["ingest", str(FIXTURES / "hf_blocks.txt"), "--out", str(tmp_path)])
    before = read_keys(tmp_path)
    keymap = tmp_path / "citation-keys.json"
    assert json.loads(keymap.read_text(encoding="utf-8")) == before
    # Pretend an earlier run chose other keys: they must survive adding the other fixtures.
    keymap.write_text(json.dumps({i: f"old{k}" for i, k in before.items()}), encoding="utf-8")
    runner.invoke(app(), ["ingest", str(FIXTURES), "--out", str(tmp_path)])
    after = read_keys(tmp_path)
    assert len(after) == 15 and all(after[i] == f"old{k}" for i, k in before.items())
    assert json.loads(keymap.read_text(encoding="utf-8")) == after


def test_input_error_propagates_from_the_command(tmp_path: Path) -> None:
    result = CliRunner().invoke(app(), ["ingest", str(tmp_path / "missing.txt")])
    assert isinstance(result.exception, InputError)


def test_console_script_exit_codes(tmp_path: Path) -> None:
    ok = run("ingest", "tests/fixtures/ingest/hf_meta.txt", "--out", str(tmp_path))
    assert ok.returncode == 0, ok.stderr
    assert "tests/fixtures/ingest/hf_meta.txt" in ok.stderr and "hf-meta" in ok.stderr
    assert "6 entries -> 6 papers" in ok.stderr
    bad = tmp_path / "bad.txt"
    bad.write_text("just some words\n", encoding="utf-8")
    failed = run("ingest", str(bad), "--out", str(tmp_path))
    assert failed.returncode == 1
    assert "bad.txt: not in any known dump layout" in failed.stderr
    usage = run("ingest")
    assert usage.returncode == 2
    assert "Missing argument" in usage.stderr


@pytest.mark.parametrize("flag", ["--quiet"])
def test_quiet_prints_nothing_on_success(tmp_path: Path, flag: str) -> None:
    result = run(flag, "ingest", "tests/fixtures/ingest/papers.bib", "--out", str(tmp_path))
    assert result.returncode == 0 and result.stderr == "" and result.stdout == ""


def test_warnings_are_printed(tmp_path: Path) -> None:
    result = run("ingest", "tests/fixtures/ingest/papers.bib", "--out", str(tmp_path))
    assert result.returncode == 0
    assert "warning: tests/fixtures/ingest/papers.bib:2: entry 'Once-for-All" in result.stderr
