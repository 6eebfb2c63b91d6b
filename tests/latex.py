"""Compiling LaTeX in tests: the TeX toolchain is required (a missing tool fails with the
install command, never a skip), TeX may only touch files below the working directory."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

INSTALL = (
    "apt-get install -y --no-install-recommends texlive-latex-base texlive-latex-recommended "
    "texlive-pictures texlive-latex-extra texlive-fonts-recommended latexmk lmodern poppler-utils"
)


def require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is not installed: install the TeX toolchain with `{INSTALL}`")
    return path


def safe_env() -> dict[str, str]:
    # paranoid file access: TeX may only read files below the working directory
    return {**os.environ, "openin_any": "p", "openout_any": "p"}


def latexmk(directory: Path, main: str = "survey.tex") -> subprocess.CompletedProcess[str]:
    require("latexmk")
    return subprocess.run(
        [
            "latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error",
            "-pdflatex=pdflatex -no-shell-escape %O %S", main,
        ],
        # TeX echoes typeset characters in its own 8-bit encoding (e.g. ² as 0xB2), not UTF-8
        cwd=directory, env=safe_env(), capture_output=True, text=True, errors="replace",
        timeout=300,
    )  # fmt: skip


def compile_checked(directory: Path) -> str:
    result = latexmk(directory)
    log = (directory / "survey.log").read_text(encoding="latin-1")
    errors = [line for line in log.splitlines() if line.startswith("!")]
    assert result.returncode == 0, (errors, result.stdout[-3000:])
    assert errors == []
    assert not re.search(r"Citation .* undefined", log)
    assert not re.search(r"Reference .* undefined", log)
    assert "There were undefined references" not in log
    return log
