"""The pipeline's stages: what each sends to the model seam and how its answers become fields
of a paper's record. One module per stage; `pipeline.build` runs them in order."""

from __future__ import annotations

from types import ModuleType

from pipeline.seam import Answer
from pipeline.stages import classify, extract, screen
from schemas.paper import Paper
from schemas.record import PaperRecord

# The paper stages in the order their answers are applied to a record.
PAPER_STAGES: tuple[ModuleType, ...] = (screen, classify, extract)


def paper_input(paper: Paper) -> dict[str, str]:
    """What a model sees of a paper: id, title, abstract (nothing else)."""
    return {"paper_id": paper.id, "title": paper.title, "abstract": paper.abstract}


def merge_record(paper: Paper, answers: dict[str, dict[str, Answer]]) -> PaperRecord:
    """One papers.jsonl line: the paper plus what each stage answered (or its error)."""
    record = PaperRecord(**dict(paper))  # shares the Source objects: no deep copy of sources
    failed: dict[str, str] = {}
    for stage, by_id in answers.items():
        answer = by_id.get(paper.id)
        if answer is not None and answer.value is None:
            failed[stage] = answer.error or "no answer"
    for module in PAPER_STAGES:
        answer = answers.get(module.STAGE, {}).get(paper.id)
        if answer is not None and answer.value is not None:
            module.apply(record, answer.value)
    record.failed = dict(sorted(failed.items()))
    return record
