"""Classify: the paper's taxonomy leaves, its primary leaf and a verbatim quote for each."""

from __future__ import annotations

from pydantic import BaseModel

from schemas.record import PaperRecord
from schemas.stages import Classification

STAGE = "classify"


def apply(record: PaperRecord, value: BaseModel) -> None:
    """Copy a classification into the paper's record (levels derived from the leaves)."""
    if isinstance(value, Classification):
        record.primary = value.primary
        record.leaves = list(value.leaves)
        record.levels = sorted({leaf.split(".", 1)[0] for leaf in value.leaves})
        record.evidence = {e.leaf: e.quote for e in value.evidence}
