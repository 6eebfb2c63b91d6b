"""Regenerate the golden survey of tests/fixtures/golden/ into tests/golden/ (`make golden`).

The build runs as the command line does, offline with the default local model and a fresh
cache, from inside the fixture folder with the dump named relatively, so the source paths in
the outputs read `dump.txt:13` wherever the repository is checked out. tests/test_golden.py
builds the same way and compares byte for byte.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DIR = ROOT / "tests" / "fixtures" / "golden"
GOLDEN_DIR = ROOT / "tests" / "golden"
DUMP = "dump.txt"  # relative to FIXTURE_DIR: the sources in the outputs name it so
GOLDEN_FILES = ("survey.md", "survey.tex", "references.bib", "papers.jsonl")
# As in tests/conftest.py: no price-map fetch, no hub download, no telemetry.
OFFLINE_ENV = {
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    "HF_HUB_OFFLINE": "1",
    "LITELLM_TELEMETRY": "False",
}


def build_golden(work_dir: Path) -> Path:
    """Build the fixture survey into `work_dir`/out with a fresh cache; return the out folder.

    Raises RuntimeError with the command's output when the build fails.
    """
    out_dir = work_dir / "out"
    env = {name: value for name, value in os.environ.items() if not name.endswith("_API_KEY")}
    env.update(OFFLINE_ENV)
    env.pop("TAXONOMIST_CACHE_DIR", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    command = [
        sys.executable, "-m", "pipeline", "-q", "build", DUMP,
        "--out", str(out_dir), "--cache-dir", str(work_dir / "cache"),
    ]  # fmt: skip
    result = subprocess.run(
        command, cwd=FIXTURE_DIR, env=env, capture_output=True, text=True, timeout=300
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"`{' '.join(command)}` in {FIXTURE_DIR} exited {result.returncode}:\n"
            f"{result.stdout}{result.stderr}"
        )
    return out_dir


def main() -> int:
    """Rebuild the fixture and copy the golden files into tests/golden/."""
    with tempfile.TemporaryDirectory(prefix="taxonomist-golden-") as scratch:
        out_dir = build_golden(Path(scratch))
        GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
        for name in GOLDEN_FILES:
            shutil.copyfile(out_dir / name, GOLDEN_DIR / name)
            print(f"wrote {(GOLDEN_DIR / name).relative_to(ROOT)}")
    print("review with `git diff tests/golden/` and commit the files with the change")
    return 0


if __name__ == "__main__":
    sys.exit(main())
