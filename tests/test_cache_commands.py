"""`taxonomist cache`: stats, export → import round trip, clear; keys are versioned."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.errors import InputError
from pipeline.seam.cache import AnswerCache, cache_key


@pytest.fixture
def runner() -> CliRunner:
    from pipeline.cli import _register

    _register()
    return CliRunner()


def filled(directory: Path) -> AnswerCache:
    cache = AnswerCache(directory)
    for i in range(3):
        cache.set(cache_key({"i": i}), {"stage": "screen", "model": "m", "answer": {"i": i}})
    return cache


def test_cache_key_is_canonical_and_versioned() -> None:
    assert cache_key({"a": 1, "b": [1, 2]}) == cache_key({"b": [1, 2], "a": 1})
    assert cache_key({"a": 1}) != cache_key({"a": 1.5})
    assert cache_key({"a": 1}).startswith("v1:")


def test_export_import_round_trip_and_stats(tmp_path: Path, runner: CliRunner) -> None:
    from pipeline.cli import app

    filled(tmp_path / "a").close()
    export = tmp_path / "answers.jsonl"
    result = runner.invoke(
        app, ["cache", "export", str(export), "--cache-dir", str(tmp_path / "a")]
    )
    assert result.exit_code == 0, result.output
    lines = export.read_text().splitlines()
    assert len(lines) == 3 and lines == sorted(lines)
    result = runner.invoke(
        app, ["cache", "import", str(export), "--cache-dir", str(tmp_path / "b")]
    )
    assert result.exit_code == 0, result.output
    copy = AnswerCache(tmp_path / "b")
    assert dict(copy.items()) == dict(AnswerCache(tmp_path / "a").items())
    result = runner.invoke(app, ["cache", "stats", "--cache-dir", str(tmp_path / "b")])
    assert json.loads(result.output)["answers"] == 3
    result = runner.invoke(app, ["cache", "clear", "--yes", "--cache-dir", str(tmp_path / "b")])
    assert result.exit_code == 0 and len(AnswerCache(tmp_path / "b")) == 0


def test_import_rejects_foreign_lines_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    good = '{"key": "v1:x", "value": {"stage": "screen", "model": "m", "answer": {}}}'
    bad.write_text(good + "\nnot json\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl:2: not a cache export line"):
        AnswerCache(tmp_path / "c").import_jsonl(bad)
    old = tmp_path / "old.jsonl"
    old.write_text('{"key": "v0:x", "value": {}}\n', encoding="utf-8")
    with pytest.raises(InputError, match="is not a v1 key"):
        AnswerCache(tmp_path / "c").import_jsonl(old)
    shapeless = tmp_path / "shapeless.jsonl"
    shapeless.write_text('{"key": "v1:x", "value": "oops"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"shapeless\.jsonl:1: cache value must be an object"):
        AnswerCache(tmp_path / "c").import_jsonl(shapeless)
