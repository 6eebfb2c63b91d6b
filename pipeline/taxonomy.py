"""Load and validate a taxonomy file."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from pipeline.errors import InputError
from pipeline.paths import DEFAULT_TAXONOMY
from schemas.taxonomy import Taxonomy


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Read a taxonomy YAML file (the default one when ``path`` is None)."""
    path = path or DEFAULT_TAXONOMY
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(
            "taxonomy file not found: pass an existing YAML file", file=str(path)
        ) from None
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text ({exc.reason}): save it as UTF-8", file=str(path)
        ) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise InputError(f"invalid YAML: {exc}", file=str(path), line=line) from None
    if not isinstance(data, dict):
        raise InputError(
            "a taxonomy is a mapping with `levels:` (see taxonomy.yaml in the project)",
            file=str(path),
        )
    try:
        return Taxonomy.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise InputError(f"invalid taxonomy: {problems}", file=str(path)) from None
