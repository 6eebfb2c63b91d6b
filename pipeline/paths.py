"""Where the project's data files live (prompts, templates, the default taxonomy)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROMPTS_DIR = ROOT / "prompts"
TEMPLATES_DIR = ROOT / "templates"
DEFAULT_TAXONOMY = ROOT / "taxonomy.yaml"


def display_path(path: Path) -> str:
    """A path relative to the working directory when possible, so outputs match across machines."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
