"""The answer of taxonomy induction: proposed leaves, each backed by member papers and quotes.

Validators read instructor's validation context ``{"papers": {id: {"title", "abstract"}},
"levels": [level ids]}``; without a context (re-reading cached JSON) the cross-checks against
the papers are skipped. Their messages are prompts for the re-ask: what is wrong, how to fix it.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from schemas.stages import normalize_ws
from schemas.taxonomy import Leaf, Level, Taxonomy, families_from_names

_NAME_PART = re.compile(r"^[a-z][a-z0-9_]*$")
MIN_MEMBERS = 2


class MemberQuote(BaseModel):
    """A verbatim span of a member paper's title or abstract that shows it belongs to a leaf."""

    model_config = ConfigDict(extra="forbid")

    paper_id: str
    quote: str = Field(min_length=3, max_length=400)


class ProposedLeaf(BaseModel):
    """One induced leaf: what it covers, how the local model recognises it, who is in it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="'<level>.<snake_case_name>', e.g. 'model.speculative_decoding'")
    name: str = Field(min_length=2, max_length=80, description="a survey section title")
    scope: str = Field(min_length=10, max_length=400, description="one sentence: what it covers")
    title_cues: list[str] = Field(min_length=1, max_length=12, description="defining phrases")
    cues: list[str] = Field(default_factory=list, max_length=30, description="supporting phrases")
    families: list[str] = Field(default_factory=list, max_length=6, description="sub-approaches")
    members: list[str] = Field(description="ids of the papers whose main contribution is this")
    evidence: list[MemberQuote] = Field(min_length=1, max_length=5)

    @field_validator("name", "scope")
    @classmethod
    def _one_line(cls, value: str) -> str:
        return " ".join(value.split())

    @model_validator(mode="after")
    def _backed(self) -> ProposedLeaf:
        if len(self.members) < MIN_MEMBERS:
            raise ValueError(
                f"leaf {self.id!r} has {len(self.members)} member paper(s): a leaf needs at least "
                f"{MIN_MEMBERS}; merge it into the closest leaf"
            )
        if len(set(self.members)) != len(self.members):
            raise ValueError(f"leaf {self.id!r} lists a member twice: list each paper id once")
        outside = [q.paper_id for q in self.evidence if q.paper_id not in self.members]
        if outside:
            raise ValueError(
                f"leaf {self.id!r} quotes papers {outside} that are not its members: quote "
                "member papers only"
            )
        return self


class TaxonomyProposal(BaseModel):
    """An induced taxonomy: leaves grouped by level, every paper of the corpus in one leaf."""

    model_config = ConfigDict(extra="forbid")

    leaves: list[ProposedLeaf] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> TaxonomyProposal:
        context = info.context or {}
        levels: list[str] | None = context.get("levels")
        papers: dict[str, dict[str, str]] | None = context.get("papers")
        seen_ids: set[str] = set()
        names: dict[str, str] = {}
        title_cues: dict[str, str] = {}
        member_of: dict[str, str] = {}
        for leaf in self.leaves:
            level, _, rest = leaf.id.partition(".")
            if not _NAME_PART.match(level) or not _NAME_PART.match(rest):
                raise ValueError(
                    f"leaf id {leaf.id!r} must be '<level>.<name>' in lowercase letters, digits "
                    "and _ (e.g. 'model.speculative_decoding')"
                )
            if levels is not None and level not in levels:
                raise ValueError(
                    f"leaf {leaf.id!r} is under level {level!r}; use one of: {', '.join(levels)}"
                )
            if leaf.id in seen_ids:
                raise ValueError(f"leaf id {leaf.id!r} appears twice: every leaf id is unique")
            seen_ids.add(leaf.id)
            # A leaf that only restates another: same name, or a defining phrase of another.
            name = restatement_key(leaf.name)
            if name in names:
                raise ValueError(
                    f"leaves {names[name]!r} and {leaf.id!r} have the same name "
                    f"{leaf.name!r}: merge them or name what distinguishes them"
                )
            names[name] = leaf.id
            for cue in leaf.title_cues:
                cue_key = restatement_key(cue)
                other = title_cues.get(cue_key)
                if other is not None and other != leaf.id:
                    raise ValueError(
                        f"leaves {other!r} and {leaf.id!r} share the defining phrase {cue!r}: "
                        "a title cue names one leaf; drop it from one of them or merge the leaves"
                    )
                title_cues[cue_key] = leaf.id
            for member in leaf.members:
                if member in member_of:
                    raise ValueError(
                        f"paper {member!r} is a member of {member_of[member]!r} and {leaf.id!r}: "
                        "put each paper in the one leaf of its main contribution"
                    )
                member_of[member] = leaf.id
            if papers is not None:
                unknown = [m for m in leaf.members if m not in papers]
                if unknown:
                    raise ValueError(
                        f"leaf {leaf.id!r} lists unknown paper ids {unknown[:5]}: use only the "
                        "paper_id values given in the request"
                    )
                for item in leaf.evidence:
                    paper = papers[item.paper_id]
                    haystack = normalize_ws(f"{paper.get('title', '')} {paper.get('abstract', '')}")
                    if normalize_ws(item.quote) not in haystack:
                        raise ValueError(
                            f"evidence quote {item.quote!r} of leaf {leaf.id!r} does not occur "
                            f"verbatim in paper {item.paper_id!r}: copy a span exactly as written"
                        )
        return self

    def members(self) -> dict[str, str]:
        """Paper id -> leaf id."""
        return {member: leaf.id for leaf in self.leaves for member in leaf.members}

    def to_taxonomy(self, seed: Taxonomy) -> Taxonomy:
        """A taxonomy file's content: the seed's title, relevance and levels, induced leaves."""
        levels: list[Level] = []
        for level in seed.levels:
            leaves = [
                Leaf(
                    id=leaf.id,
                    name=leaf.name,
                    description=leaf.scope,
                    title_cues=list(leaf.title_cues),
                    cues=list(leaf.cues),
                    families=families_from_names(list(leaf.families)),
                )
                for leaf in self.leaves
                if leaf.id.split(".", 1)[0] == level.id
            ]
            if leaves:
                levels.append(
                    Level(
                        id=level.id, name=level.name, description=level.description, leaves=leaves
                    )
                )
        return Taxonomy(
            name=f"{seed.name}-induced",
            version="1",
            title=seed.title,
            relevance=seed.relevance,
            levels=levels,
        )


def restatement_key(text: str) -> str:
    """What two names or defining phrases share when one only restates the other (case,
    punctuation and plural "s" ignored)."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return " ".join(w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words)
