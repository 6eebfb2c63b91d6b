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
