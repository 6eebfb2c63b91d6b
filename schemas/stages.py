"""Stage answers (screen, classify, extract), validated against the paper and the taxonomy.

Validators read instructor's validation context: ``{"papers": {id: {"title", "abstract"}},
"taxonomy": Taxonomy}``. Their messages are prompts for the re-ask: what is wrong, how to fix it.
Without a context (e.g. re-reading cached JSON) the cross-checks are skipped.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from schemas.result import Result

Kind = Literal["method", "system", "hardware", "analysis", "survey", "position", "resource"]
KINDS: tuple[str, ...] = get_args(Kind)

_WS = re.compile(r"\s+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@lru_cache(maxsize=4096)
def normalize_ws(text: str) -> str:
    """Collapse whitespace and case so quotes match the abstract regardless of line wrapping.

    Cached: every quote of a paper is checked against the same normalised title + abstract."""
    return _WS.sub(" ", text).strip().casefold()


def numbers_in(text: str) -> list[str]:
    return _NUMBER.findall(text)


def _context_paper(info: ValidationInfo, paper_id: str) -> dict[str, str] | None:
    context = info.context or {}
    papers: dict[str, dict[str, str]] = context.get("papers") or {}
    return papers.get(paper_id)


def _check_paper_id(value: str, info: ValidationInfo) -> str:
    context = info.context or {}
    papers = context.get("papers")
    if papers is not None and value not in papers:
        valid = ", ".join(sorted(papers))
        raise ValueError(
            f"paper_id {value!r} is not one of the papers in this request; "
            f"answer once for each of: {valid}"
        )
    return value


def _check_quote(quote: str, paper: dict[str, str] | None, what: str) -> None:
    if paper is None:
        return
    haystack = normalize_ws(f"{paper.get('title', '')} {paper.get('abstract', '')}")
    if normalize_ws(quote) not in haystack:
        raise ValueError(
            f"{what} {quote!r} does not occur verbatim in the paper's title or abstract. "
            "Copy a short span exactly as written (e.g. 'we quantize weights to 4 bits'), "
            "do not paraphrase"
        )


class Screening(BaseModel):
    """Is the paper in scope, and what kind of contribution is it?"""

    model_config = ConfigDict(extra="forbid")

    paper_id: str
    relevant: bool = Field(
        description="true when the main contribution makes ML training or inference cheaper "
        "(time, memory, energy, money, hardware) or measures, models or surveys that cost"
    )
    kind: Kind
    reason: str = Field(max_length=400, description="one sentence: why (not) in scope")
    confidence: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="optional: probability that this screening (and the primary leaf) is right",
    )

    _paper_id = field_validator("paper_id")(_check_paper_id)


class Evidence(BaseModel):
    """A verbatim span of the title or abstract that supports a leaf."""

    model_config = ConfigDict(extra="forbid")

    leaf: str
    quote: str = Field(min_length=3, max_length=400)


class Classification(BaseModel):
    """Taxonomy leaves of a relevant paper, each backed by a verbatim quote."""

    model_config = ConfigDict(extra="forbid")

    paper_id: str
    primary: str = Field(description="the leaf id that best describes the main contribution")
    leaves: list[str] = Field(min_length=1, max_length=4, description="1-4 leaf ids incl. primary")
    evidence: list[Evidence] = Field(description="one quote per leaf in `leaves`")

    _paper_id = field_validator("paper_id")(_check_paper_id)

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> Classification:
        context = info.context or {}
        taxonomy = context.get("taxonomy")
        if len(set(self.leaves)) != len(self.leaves):
            raise ValueError("`leaves` lists a leaf twice: list each leaf id once")
        if self.primary not in self.leaves:
            raise ValueError(
                f"primary {self.primary!r} must also be listed in `leaves` "
                f"(e.g. leaves: [{self.primary!r}, ...])"
            )
        if taxonomy is not None:
            valid = taxonomy.leaf_ids
            unknown = [leaf for leaf in self.leaves if leaf not in valid]
            if unknown:
                raise ValueError(
                    f"unknown leaf id(s) {unknown}: use only these ids exactly as written: "
                    + ", ".join(valid)
                )
        covered = {e.leaf for e in self.evidence}
        missing = [leaf for leaf in self.leaves if leaf not in covered]
        if missing:
            raise ValueError(f"add an evidence quote for each of {missing}")
        extra = [e.leaf for e in self.evidence if e.leaf not in self.leaves]
        if extra:
            raise ValueError(f"evidence names leaves {extra} that are not in `leaves`: drop them")
        paper = _context_paper(info, self.paper_id)
        for item in self.evidence:
            _check_quote(item.quote, paper, f"evidence quote for {item.leaf}")
        return self


class Extraction(BaseModel):
    """Structured facts of a paper; every result number is quoted verbatim from the abstract."""

    model_config = ConfigDict(extra="forbid")

    paper_id: str
    techniques: list[str] = Field(default_factory=list, max_length=6)
    models: list[str] = Field(default_factory=list, max_length=8)
    hardware: list[str] = Field(default_factory=list, max_length=8)
    results: list[Result] = Field(
        default_factory=list,
        max_length=8,
        description="measured outcomes of this paper's own method; never numbers of names, "
        "settings or prior work",
    )

    _paper_id = field_validator("paper_id")(_check_paper_id)

    @model_validator(mode="after")
    def _quotes_in_abstract(self, info: ValidationInfo) -> Extraction:
        paper = _context_paper(info, self.paper_id)
        for result in self.results:
            _check_quote(result.quote, paper, f"result quote for {result.metric}")
        return self


STAGE_MODELS: dict[str, type[BaseModel]] = {
    "screen": Screening,
    "classify": Classification,
    "extract": Extraction,
}
