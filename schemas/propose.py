"""The answer of `taxonomy propose`: changes to the current taxonomy, each with its evidence.

Validators read the context ``{"papers": {id: {...}}, "taxonomy": Taxonomy}``: leaves named
must exist (new leaves must not), members must be papers of the request, quotes verbatim.
``apply_changes`` turns the changes marked ``apply`` into a new taxonomy (pure, no I/O).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from schemas.induce import MemberQuote, ProposedLeaf
from schemas.stages import normalize_ws
from schemas.taxonomy import Leaf, Level, Taxonomy, families_from_names

ChangeKind = Literal["split", "add", "merge", "retire", "move"]


class CueEdit(BaseModel):
    """Phrases added to a leaf's cues: how a move or a merge reaches the local classifier."""

    model_config = ConfigDict(extra="forbid")

    leaf: str
    title_cues: list[str] = Field(default_factory=list)
    cues: list[str] = Field(default_factory=list)
    negative_cues: list[str] = Field(default_factory=list)


class Change(BaseModel):
    """One proposed change with the papers it concerns and why."""

    model_config = ConfigDict(extra="forbid")

    kind: ChangeKind
    leaf: str = Field(description="the existing leaf the change is about (source of a move)")
    target: str | None = Field(default=None, description="destination of a move or merge")
    why: str = Field(min_length=10, max_length=600)
    members: list[str] = Field(default_factory=list, description="the papers concerned")
    evidence: list[MemberQuote] = Field(default_factory=list, max_length=5)
    new_leaves: list[ProposedLeaf] = Field(default_factory=list, description="split/add parts")
    edits: list[CueEdit] = Field(default_factory=list)
    sizes: dict[str, int] = Field(
        default_factory=dict, description="expected primary counts after the change, by leaf"
    )
    apply: bool = Field(
        default=False, description="strong evidence: `--apply` writes it; otherwise review only"
    )


class TaxonomyChanges(BaseModel):
    """Proposed changes, most important first."""

    model_config = ConfigDict(extra="forbid")

    changes: list[Change] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> TaxonomyChanges:
        context = info.context or {}
        taxonomy: Taxonomy | None = context.get("taxonomy")
        papers: dict[str, dict[str, str]] | None = context.get("papers")
        for number, change in enumerate(self.changes, start=1):
            where = f"change {number} ({change.kind} {change.leaf})"
            if taxonomy is not None:
                known = set(taxonomy.leaf_ids)
                named = [change.leaf, *([change.target] if change.target else [])]
                named += [edit.leaf for edit in change.edits]
                unknown = [leaf for leaf in named if leaf not in known]
                if unknown:
                    raise ValueError(
                        f"{where} names leaves {unknown} that are not in the taxonomy; use: "
                        + ", ".join(sorted(known))
                    )
                clash = [new.id for new in change.new_leaves if new.id in known]
                if clash:
                    raise ValueError(f"{where}: new leaf ids {clash} exist already; rename them")
            if change.kind in ("move", "merge") and not change.target:
                raise ValueError(f"{where}: a {change.kind} needs a `target` leaf")
            if papers is not None:
                unknown_papers = [m for m in change.members if m not in papers]
                if unknown_papers:
                    raise ValueError(
                        f"{where} lists unknown paper ids {unknown_papers[:5]}: use the "
                        "paper_id values of the request"
                    )
                for item in change.evidence:
                    paper = papers.get(item.paper_id)
                    text = f"{paper.get('title', '')} {paper.get('abstract', '')}" if paper else ""
                    if normalize_ws(item.quote) not in normalize_ws(text):
                        raise ValueError(
                            f"{where}: quote {item.quote!r} is not verbatim in paper "
                            f"{item.paper_id!r}: copy a span exactly as written"
                        )
        return self


def apply_changes(taxonomy: Taxonomy, changes: list[Change]) -> Taxonomy:
    """The taxonomy with the given changes made (cue edits, new leaves, retired leaves)."""
    data = taxonomy.model_dump(mode="json")
    leaves = {leaf["id"]: leaf for level in data["levels"] for leaf in level["leaves"]}
    retired: set[str] = set()
    for change in changes:
        for edit in change.edits:
            leaf = leaves[edit.leaf]
            for field in ("title_cues", "cues", "negative_cues"):
                # New phrases go first: the YAML edit inserts them after the list's "[".
                added = [p for p in getattr(edit, field) if p not in leaf[field]]
                leaf[field] = [*added, *leaf[field]]
        for new in change.new_leaves:
            level_id = new.id.split(".", 1)[0]
            for level in data["levels"]:
                if level["id"] == level_id:
                    level["leaves"].append(
                        Leaf(
                            id=new.id, name=new.name, description=new.scope,
                            title_cues=list(new.title_cues), cues=list(new.cues),
                            families=families_from_names(list(new.families)),
                        ).model_dump(mode="json")
                    )  # fmt: skip
        if change.kind in ("retire", "merge"):
            retired.add(change.leaf)
    levels = []
    for level in data["levels"]:
        kept = [leaf for leaf in level["leaves"] if leaf["id"] not in retired]
        if kept:
            levels.append(Level.model_validate({**level, "leaves": kept}))
    return Taxonomy.model_validate({**data, "levels": [lv.model_dump() for lv in levels]})
