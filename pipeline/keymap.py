"""The persisted citation-key map (outputs/citation-keys.json): a key once given never changes."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.atomic import write_text_atomic
from pipeline.errors import InputError

KEYMAP_FILE = "citation-keys.json"


def load_keymap(out_dir: Path) -> dict[str, str]:
    """Paper id -> citation key from earlier runs (empty on a first run).

    A damaged file is rebuilt from git's committed version and the keys in papers.jsonl (with a
    warning); only when neither has keys is the run stopped, with the fix.
    """
    path = out_dir / KEYMAP_FILE
    if not path.exists():
        return {}
    text = path.read_bytes().decode("utf-8", errors="replace")
    try:
        return _parse(text)
    except ValueError as exc:
        problem = str(exc)
    from pipeline import console
    from pipeline.recover import committed_text

    recovered = _keys_of_papers(out_dir / "papers.jsonl")
    committed = committed_text(path)
    sources = ["papers.jsonl"] if recovered else []
    if committed is not None:
        try:
            recovered.update(_parse(committed))
            sources.append("git HEAD")
        except ValueError:
            pass
    if not recovered:
        raise InputError(
            f"{problem}: restore it from git (`git checkout {path}`) or from a backup; deleting "
            "it lets citation keys of existing papers change",
            file=str(path),
        )
    console.warn(
        f"{path}: damaged ({problem}); rebuilt {len(recovered)} citation keys from "
        f"{' and '.join(sources)} (written back when this run succeeds)"
    )
    return recovered


def _parse(text: str) -> dict[str, str]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON at line {exc.lineno}: {exc.msg}") from None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise ValueError("expected a JSON object of paper id -> citation key")
    return data


def _keys_of_papers(path: Path) -> dict[str, str]:
    """Paper id -> key of every readable line of papers.jsonl."""
    if not path.exists():
        return {}
    keys: dict[str, str] = {}
    for line in path.read_bytes().decode("utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
            if isinstance(record["id"], str) and isinstance(record["key"], str):
                keys[record["id"]] = record["key"]
        except (json.JSONDecodeError, KeyError, TypeError):
            continue
    return keys


def save_keymap(out_dir: Path, previous: dict[str, str], current: dict[str, str]) -> None:
    """Keep every key ever given (also of papers no longer in the dumps), sorted by id."""
    merged = {**previous, **current}
    text = json.dumps(dict(sorted(merged.items())), indent=1, ensure_ascii=False) + "\n"
    write_text_atomic(out_dir / KEYMAP_FILE, text)
