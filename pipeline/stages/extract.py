"""Extract: techniques, models, hardware and reported results, each number checked verbatim."""

from __future__ import annotations

from pydantic import BaseModel

from schemas.record import PaperRecord
from schemas.stages import Extraction

STAGE = "extract"


def apply(record: PaperRecord, value: BaseModel) -> None:
    """Copy an extraction into the paper's record."""
    if isinstance(value, Extraction):
        record.techniques = list(value.techniques)
        record.models = list(value.models)
        record.hardware = list(value.hardware)
        record.results = list(value.results)
