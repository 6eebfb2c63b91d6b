"""Prompt templates (prompts/*.j2): one per stage, a ``system`` block (static: instructions and
taxonomy, first so providers' prefix caching applies) and a ``user`` block (the papers)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from pipeline.paths import PROMPTS_DIR
from schemas.taxonomy import Taxonomy, taxonomy_hash

# A paper's line starts with what identifies it; other keys follow in sorted order.
_FIRST_KEYS = ("paper_id", "title", "abstract")
_COMPACT = (",", ":")  # no space after separators: 5 characters less per paper shown


# A sentence ends at . ! ? before a space and an upper-case letter, digit, quote or bracket.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\[])")
_LINK = re.compile(r"(?:https?://|www\.)\S+|\b(?:github\.com|huggingface\.co)/\S*", re.I)


def without_links(abstract: str) -> str:
    """``abstract`` without its sentences that only point to a link ("Code is available at
    https://github.com/…"): they tell no stage anything, and a URL costs many tokens. A
    sentence whose words carry a number besides the link stays; the rest is kept verbatim, so
    quotes copied from it are still spans of the abstract."""
    if not _LINK.search(abstract):
        return abstract
    sentences = _SENTENCE_END.split(abstract)
    kept = [s for s in sentences if not _LINK.search(s) or re.search(r"\d", _LINK.sub("", s))]
    return " ".join(kept) if kept else abstract


def paper_json(item: dict[str, Any], abstract_chars: int | None = None) -> str:
    """One paper as a JSON line; <, > and & are escaped so paper text cannot close the framing.

    The abstract is shown without link-only sentences (``without_links``). ``abstract_chars``
    bounds it (screening reads title and a prefix: bench/llm_path.py counts the tokens): a
    longer one is cut at the last word boundary before it and ends in "…"."""
    if "paper_id" in item:  # a paper: id, title, abstract in reading order
        if item.get("abstract"):
            item = {**item, "abstract": without_links(item["abstract"])}
        if abstract_chars is not None and len(item.get("abstract") or "") > abstract_chars:
            head = item["abstract"][:abstract_chars]
            item = {**item, "abstract": (head.rsplit(" ", 1)[0] or head).rstrip(" ,;:") + " …"}
        first = [key for key in _FIRST_KEYS if key in item]
        item = {key: item[key] for key in [*first, *sorted(set(item) - set(first))]}
        text = json.dumps(item, ensure_ascii=False, separators=_COMPACT)
    else:
        text = json.dumps(item, ensure_ascii=False, sort_keys=True, separators=_COMPACT)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def oneline(text: str) -> str:
    return " ".join(text.split())


def brief(text: str, limit: int = 100) -> str:
    """``text`` on one line, cut at the last clause boundary before ``limit`` characters.

    A leaf's scope in a prompt: its first clauses say what it covers; the full description
    would be sent with every request (bench/llm_path.py counts the tokens)."""
    text = oneline(text).rstrip(".")
    if len(text) <= limit:
        return text
    head = text[:limit]
    cut = max(head.rfind(mark) for mark in (", ", "; ", ": "))
    return (head[:cut] if cut > limit // 3 else head.rsplit(" ", 1)[0]).rstrip(",;: ")


@dataclass(frozen=True)
class Prompt:
    """A stage's prompt template and its content hash."""

    stage: str
    source: str
    template: jinja2.Template
    _systems: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def hash(self) -> str:
        return hashlib.sha256(self.source.encode()).hexdigest()[:16]

    def render(
        self, taxonomy: Taxonomy, papers: list[dict[str, Any]], hashed: bool = True
    ) -> list[dict[str, str]]:
        """Chat messages for these papers: [system, user].

        ``hashed``: the system text names the taxonomy's content hash, by which the embedded
        model finds the taxonomy it answers from. A remote model is not shown it: it reads
        only the prompt, so a taxonomy edit that the prompt does not show (a cue) leaves its
        requests, and their cache keys, unchanged."""
        return [
            {"role": "system", "content": self.system(taxonomy, hashed)},
            {"role": "user", "content": self._block("user", taxonomy, papers, hashed)},
        ]

    def system(self, taxonomy: Taxonomy, hashed: bool = True) -> str:
        """The static part (same for every paper of a run): rendered once per taxonomy."""
        key = f"{taxonomy_hash(taxonomy)}:{hashed}"
        cached = self._systems.get(key)
        if cached is None:
            cached = self._systems[key] = self._block("system", taxonomy, [], hashed)
        return cached

    def _block(
        self, name: str, taxonomy: Taxonomy, papers: list[dict[str, Any]], hashed: bool
    ) -> str:
        variables = {
            "taxonomy": taxonomy,
            "taxonomy_hash": taxonomy_hash(taxonomy) if hashed else "",
            "papers": papers,
        }
        context = self.template.new_context(variables)
        return "".join(self.template.blocks[name](context)).strip()


def _environment(directory: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(directory)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )
    env.filters["paper_json"] = paper_json
    env.filters["oneline"] = oneline
    env.filters["brief"] = brief
    return env


@cache
def load_prompt(stage: str, directory: Path = PROMPTS_DIR) -> Prompt:
    """The prompt of a stage from ``directory`` (default: the project's prompts/)."""
    path = directory / f"{stage}.j2"
    source = path.read_text(encoding="utf-8")
    template = _environment(directory).from_string(source)
    for block in ("system", "user"):
        if block not in template.blocks:
            raise ValueError(f"{path}: prompt templates need a '{{% block {block} %}}'")
    return Prompt(stage=stage, source=source, template=template)
