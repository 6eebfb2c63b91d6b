"""Two cold builds of the same dumps, in different directories, give byte-identical outputs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DUMP = ROOT / "dumps" / "000_e1975b30c3037422.txt"


def cold_build(workdir: Path) -> dict[str, bytes]:
    (workdir / "dumps").mkdir(parents=True)
    (workdir / "dumps" / DUMP.name).write_bytes(DUMP.read_bytes())
    env = {**os.environ, "TAXONOMIST_CACHE_DIR": str(workdir / "cache"), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "-q", "build", "dumps", "--concurrency", "8"],
        cwd=workdir, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = workdir / "outputs"
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_two_cold_builds_are_byte_identical(tmp_path: Path) -> None:
    first = cold_build(tmp_path / "a")
    second = cold_build(tmp_path / "b")
    assert sorted(first) == sorted(second)
    assert "figures/papers_per_leaf.png" in first and ".gitignore" in first
    assert "run-report.json" not in first  # run statistics go to .taxonomist/runs/
    different = [name for name in first if first[name] != second[name]]
    assert different == []
