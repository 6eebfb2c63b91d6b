"""The taxonomy file (taxonomy.yaml): levels, leaves, descriptions and cues."""

from __future__ import annotations

import hashlib
import json
import re

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class Family(BaseModel):
    """A family of work (sub-approach) inside a leaf, e.g. KV-cache quantization."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str = Field(min_length=1)
    definition: str = Field(min_length=1, description="one sentence: what the family does and why")
    cues: list[str] = Field(default_factory=list, description="phrases that signal the family")

    @field_validator("id")
    @classmethod
    def _id_format(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError(f"family id {value!r} must be lowercase letters, digits and _")
        return value


def families_from_names(names: list[str]) -> list[Family]:
    """Families named by an induced or proposed leaf (a name only): id, name, a plain definition
    and the name as its cue; a reviewer refines them in the taxonomy file."""
    families: list[Family] = []
    for name in names:
        slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
        if not slug or slug in {f.id for f in families}:
            continue
        if not slug[0].isalpha():
            slug = "f_" + slug
        families.append(
            Family(id=slug, name=name, definition=f"Work on {name.lower()}.", cues=[name.lower()])
        )
    return families


class Leaf(BaseModel):
    """A taxonomy leaf, e.g. ``model.quantization``."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str = Field(min_length=1)
    description: str = Field(min_length=1)
    cues: list[str] = Field(default_factory=list, description="phrases that signal this leaf")
    title_cues: list[str] = Field(default_factory=list, description="phrases weighted in titles")
    negative_cues: list[str] = Field(default_factory=list)
    families: list[Family] = Field(
        default_factory=list, description="sub-approaches; a leaf's papers are grouped by them"
    )

    @field_validator("description", "name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty: write one sentence a survey reader understands")
        return value.strip()

    @model_validator(mode="after")
    def _unique_families(self) -> Leaf:
        ids = [family.id for family in self.families]
        if len(ids) != len(set(ids)):
            raise ValueError(f"leaf {self.id!r} lists a family id twice: family ids are unique")
        return self


class OutOfScope(BaseModel):
    """A topic that looks like efficient ML but is not (its cues count against relevance)."""

    model_config = ConfigDict(extra="forbid")

    topic: str = Field(min_length=1)
    cues: list[str] = Field(min_length=1, description="phrases that signal this topic")


class Level(BaseModel):
    """A top-level group of leaves: model, system or hardware."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str = Field(min_length=1)
    description: str = Field(min_length=1)
    leaves: list[Leaf] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _id_format(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError(f"level id {value!r} must be lowercase letters, digits and _")
        return value

    @model_validator(mode="after")
    def _leaves_under_level(self) -> Level:
        for leaf in self.leaves:
            prefix, _, rest = leaf.id.partition(".")
            if prefix != self.id or not _ID.match(rest):
                raise ValueError(
                    f"leaf id {leaf.id!r} must be '{self.id}.<name>' (lowercase, digits, _) "
                    f"because it is listed under level {self.id!r}"
                )
        return self


class Taxonomy(BaseModel):
    """The whole taxonomy; leaf order in the file is the order in the survey."""

    model_config = ConfigDict(extra="forbid")

    name: str = "taxonomy"
    version: str = "1"
    title: str = "A Survey of Efficient Machine Learning"
    relevance: str = Field(default="", description="the in-scope rule, shown to models")
    levels: list[Level] = Field(min_length=1)
    out_of_scope: list[OutOfScope] = Field(
        default_factory=list,
        description="topics whose cues weigh against relevance as much as leaf cues weigh for it",
    )

    @model_validator(mode="after")
    def _unique_ids(self) -> Taxonomy:
        seen: set[str] = set()
        for level in self.levels:
            for ident in [level.id, *(leaf.id for leaf in level.leaves)]:
                if ident in seen:
                    raise ValueError(
                        f"id {ident!r} appears twice: every level and leaf id is unique"
                    )
                seen.add(ident)
        return self

    @property
    def leaves(self) -> list[Leaf]:
        return [leaf for level in self.levels for leaf in level.leaves]

    @property
    def leaf_ids(self) -> list[str]:
        return [leaf.id for leaf in self.leaves]

    def leaf(self, leaf_id: str) -> Leaf:
        for leaf in self.leaves:
            if leaf.id == leaf_id:
                return leaf
        raise KeyError(leaf_id)

    def level_of(self, leaf_id: str) -> str:
        return leaf_id.split(".", 1)[0]


def taxonomy_hash(taxonomy: Taxonomy) -> str:
    """Content hash of the whole taxonomy (cues included), so editing it is a cache miss."""
    cached = _TAXONOMY_HASHES.get(id(taxonomy))
    if cached is not None and cached[0] is taxonomy:
        return cached[1]
    digest = _taxonomy_digest(taxonomy)
    _TAXONOMY_HASHES[id(taxonomy)] = (taxonomy, digest)
    return digest


_TAXONOMY_HASHES: dict[int, tuple[Taxonomy, str]] = {}


def _taxonomy_digest(taxonomy: Taxonomy) -> str:
    canonical = json.dumps(taxonomy.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()[:16]
