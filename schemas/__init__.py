"""Pydantic models: the contracts between stages and of every output file."""

from schemas.paper import Corpus, Paper, Source
from schemas.record import PaperRecord, SectionText
from schemas.stages import (
    KINDS,
    Classification,
    Evidence,
    Extraction,
    Kind,
    Result,
    Screening,
)
from schemas.taxonomy import Leaf, Level, Taxonomy

__all__ = [
    "KINDS",
    "Classification",
    "Corpus",
    "Evidence",
    "Extraction",
    "Kind",
    "Leaf",
    "Level",
    "Paper",
    "PaperRecord",
    "Result",
    "Screening",
    "SectionText",
    "Source",
    "Taxonomy",
]
