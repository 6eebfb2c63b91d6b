"""Screen: is the paper in scope, and what kind of contribution is it?"""

from __future__ import annotations

from pydantic import BaseModel

from pipeline.seam import Answer
from schemas.record import PaperRecord
from schemas.stages import Screening

STAGE = "screen"


def is_relevant(answer: Answer | None) -> bool:
    """True when the screening answer says the paper is in scope."""
    return answer is not None and isinstance(answer.value, Screening) and answer.value.relevant


def apply(record: PaperRecord, value: BaseModel) -> None:
    """Copy a screening answer into the paper's record."""
    if isinstance(value, Screening):
        record.relevant = value.relevant
        record.kind = value.kind
        record.reason = value.reason
        record.confidence = value.confidence


LOW_CONFIDENCE = 0.6


def low_confidence(
    records: list[PaperRecord], below: float = LOW_CONFIDENCE
) -> list[dict[str, object]]:
    """Papers whose screening confidence is below ``below``, least confident first.

    The run report lists them; `taxonomy propose` reads this list to look at them first.
    """
    doubtful = [r for r in records if r.confidence is not None and r.confidence < below]
    doubtful.sort(key=lambda r: (r.confidence or 0.0, r.id))
    return [
        {"id": r.id, "title": r.title, "confidence": r.confidence, "relevant": r.relevant,
         "primary": r.primary}
        for r in doubtful
    ]  # fmt: skip
