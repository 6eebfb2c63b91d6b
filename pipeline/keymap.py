"""The persisted citation-key map (outputs/citation-keys.json): a key once given never changes."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.errors import InputError

KEYMAP_FILE = "citation-keys.json"


def load_keymap(out_dir: Path) -> dict[str, str]:
    """Paper id -> citation key from earlier runs (empty on a first run)."""
    path = out_dir / KEYMAP_FILE
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON ({exc.msg}): restore it from git (`git checkout {path}`); deleting it "
            "lets citation keys of existing papers change",
            file=str(path),
            line=exc.lineno,
        ) from None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise InputError("expected a JSON object of paper id -> citation key", file=str(path))
    return data


def save_keymap(out_dir: Path, previous: dict[str, str], current: dict[str, str]) -> None:
    """Keep every key ever given (also of papers no longer in the dumps), sorted by id."""
    merged = {**previous, **current}
    text = json.dumps(dict(sorted(merged.items())), indent=1, ensure_ascii=False) + "\n"
    (out_dir / KEYMAP_FILE).write_text(text, encoding="utf-8")
