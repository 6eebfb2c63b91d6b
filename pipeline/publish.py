"""Writing a run's files into the output directory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from schemas.record import PaperRecord


def load_titles(out_dir: Path) -> dict[str, str]:
    """Paper id -> title of the last run's papers.jsonl (empty when there is none)."""
    path = out_dir / "papers.jsonl"
    if not path.exists():
        return {}
    titles: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
            titles[str(record["id"])] = str(record["title"])
        except (json.JSONDecodeError, KeyError, TypeError):
            continue  # an edited or damaged line: that paper just loses its title preference
    return titles


def write_jsonl(path: Path, records: list[PaperRecord]) -> None:
    lines = [r.model_dump_json() for r in sorted(records, key=lambda r: r.id)]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def write_report(path: Path, report: dict[str, Any]) -> None:
    path.write_text(
        json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
