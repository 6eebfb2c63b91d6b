"""Getting a damaged output file's content back from git, when the output folder is committed."""

from __future__ import annotations

import subprocess
from pathlib import Path


def committed_text(path: Path) -> str | None:
    """The text of ``path`` as committed in git's HEAD; None outside git or when not committed."""
    try:
        result = subprocess.run(
            ["git", "show", f"HEAD:./{path.name}"],
            cwd=path.parent,
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    try:
        return result.stdout.decode("utf-8")
    except UnicodeDecodeError:
        return None
