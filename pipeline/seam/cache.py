"""The answer cache (diskcache): validated stage answers keyed by everything that shapes them.

Key = "v1:" + sha256 of canonical JSON of {model, stage, prompt hash, what the model reads (the
rendered messages; for the embedded model the item and the parts of the taxonomy it reads,
pipeline/local_model/keys.py), response schema JSON, generation parameters}. Changing any of
them is a miss; nothing else is (in particular not the api_base or the batch a paper was sent
in). API keys are never part of a key
or a value. Writes are SQLite transactions, so an interrupted run keeps every finished answer.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import pickle
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.atomic import write_text_atomic
from pipeline.errors import TaxonomistError

logger = logging.getLogger(__name__)

KEY_VERSION = "v1"
DEFAULT_CACHE_DIR = Path(".taxonomist") / "cache"


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no whitespace variance: the basis of every cache key."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def cache_key(material: dict[str, Any]) -> str:
    digest = hashlib.sha256(canonical_json(material).encode()).hexdigest()
    return f"{KEY_VERSION}:{digest}"


def resolve_cache_dir(option: Path | None) -> Path:
    """--cache-dir, else $TAXONOMIST_CACHE_DIR, else .taxonomist/cache of the working directory."""
    if option is not None:
        return option
    env = os.environ.get("TAXONOMIST_CACHE_DIR")
    return Path(env) if env else DEFAULT_CACHE_DIR


class CacheDamaged(TaxonomistError):
    """The cache's database cannot be read; `taxonomist cache clear` starts it afresh."""

    def __init__(self, directory: Path, exc: BaseException):
        super().__init__(
            f"cache damaged: {directory / 'cache.db'} cannot be read ({type(exc).__name__}: "
            f"{exc}): run `taxonomist cache clear --cache-dir {directory}` to start it afresh "
            "(its answers are lost; `taxonomist cache import` restores an export)"
        )


def clear_damaged(directory: Path) -> int:
    """Delete a cache's files without opening its database; return how many were removed."""
    removed = 0
    for path in sorted(directory.iterdir()) if directory.is_dir() else []:
        if path.is_file() and path.name.startswith("cache.db"):
            path.unlink()
            removed += 1
        elif path.is_dir() and re.fullmatch(r"[0-9a-f]{2}", path.name):
            shutil.rmtree(path)  # diskcache keeps large values in these folders
            removed += 1
    return removed


class AnswerCache:
    """A persistent map from cache key to a JSON-able record {stage, model, answer, usage}."""

    def __init__(self, directory: Path):
        import diskcache

        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        try:
            # eviction_policy none: answers are data, never silently dropped for size.
            self._cache = diskcache.Cache(str(directory), eviction_policy="none", size_limit=2**40)
            len(self._cache)  # reads the database: a damaged file fails here, not mid-run
        except sqlite3.DatabaseError as exc:
            raise CacheDamaged(directory, exc) from None

    def get(self, key: str) -> dict[str, Any] | None:
        """The record of ``key``; an entry that cannot be decoded is dropped (asked again)."""
        try:
            raw = self._cache.get(key)
        except sqlite3.DatabaseError as exc:
            raise CacheDamaged(self.directory, exc) from None
        except (OSError, ValueError, EOFError, pickle.UnpicklingError) as exc:
            self._drop(key, exc)
            return None
        if raw is None:
            return None
        try:
            record = json.loads(raw)
        except (TypeError, ValueError) as exc:
            self._drop(key, exc)
            return None
        if not isinstance(record, dict):
            self._drop(key, TypeError("not a JSON object"))
            return None
        return record

    def _drop(self, key: str, exc: BaseException) -> None:
        logger.warning(
            "cache entry %s is damaged (%s: %s); dropped, it will be asked again",
            key,
            type(exc).__name__,
            exc,
        )
        with contextlib.suppress(Exception):
            self._cache.delete(key)

    def set(self, key: str, record: dict[str, Any]) -> None:
        self._cache.set(key, canonical_json(record))

    def set_many(self, items: list[tuple[str, dict[str, Any]]]) -> None:
        with self._cache.transact():
            for key, record in items:
                self._cache.set(key, canonical_json(record))

    def __contains__(self, key: str) -> bool:
        return key in self._cache

    def __len__(self) -> int:
        return len(self._cache)

    def keys(self) -> list[str]:
        return sorted(str(k) for k in self._cache.iterkeys())

    def items(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for key in self.keys():
            record = self.get(key)
            if record is not None:
                yield key, record

    def clear(self) -> int:
        return int(self._cache.clear())

    def stats(self) -> dict[str, Any]:
        by_stage: dict[str, int] = {}
        by_model: dict[str, int] = {}
        index = 0
        for _, record in self.items():
            if record.get("stage") == "index":  # bookkeeping for the run report's "why"
                index += 1
                continue
            by_stage[record.get("stage", "?")] = by_stage.get(record.get("stage", "?"), 0) + 1
            by_model[record.get("model", "?")] = by_model.get(record.get("model", "?"), 0) + 1
        return {
            "directory": str(self.directory),
            "answers": len(self) - index,
            "index_entries": index,
            "by_stage": dict(sorted(by_stage.items())),
            "by_model": dict(sorted(by_model.items())),
            "bytes": int(self._cache.volume()),
        }

    def export_jsonl(self, path: Path) -> int:
        """Write every entry as a JSON line {key, value}, sorted by key (diff-friendly in git)."""
        lines = [canonical_json({"key": k, "value": record}) + "\n" for k, record in self.items()]
        write_text_atomic(path, "".join(lines))
        return len(lines)

    def import_jsonl(self, path: Path) -> int:
        """Load entries written by export_jsonl; existing keys are overwritten."""
        from pipeline.errors import InputError

        items: list[tuple[str, dict[str, Any]]] = []
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    entry = json.loads(line)
                    key, value = entry["key"], entry["value"]
                except (json.JSONDecodeError, KeyError, TypeError):
                    raise InputError(
                        'not a cache export line: expected {"key": ..., "value": {...}} '
                        "as written by `taxonomist cache export`",
                        file=str(path),
                        line=number,
                    ) from None
                if not (isinstance(key, str) and key.startswith(f"{KEY_VERSION}:")):
                    raise InputError(
                        f"cache key {key!r} is not a {KEY_VERSION} key: export it again with this "
                        "version of taxonomist",
                        file=str(path),
                        line=number,
                    )
                if not (
                    isinstance(value, dict)
                    and isinstance(value.get("stage"), str)
                    and isinstance(value.get("model"), str)
                    and ("answer" in value or value.get("stage") == "index")
                ):
                    raise InputError(
                        "cache value must be an object with stage, model and answer, as "
                        "written by `taxonomist cache export`",
                        file=str(path),
                        line=number,
                    )
                items.append((key, value))
        self.set_many(items)
        return len(items)

    def close(self) -> None:
        self._cache.close()
