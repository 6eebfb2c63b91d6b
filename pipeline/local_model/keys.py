"""What an answer of the embedded model depends on, item by item: the key of its cache entry.

A remote model reads its prompt, so its answers are keyed on the rendered messages. The embedded
model reads the taxonomy behind the hash in its prompt, but only part of it matters to one item,
so a taxonomy edit re-asks only the items it can change (``key_view``):

- **screen, classify, extract** answer from a paper's title and abstract as shown in the request
  (screening sees a cut abstract), the leaf ids in taxonomy order (levels are their prefixes;
  the learned heads apply when they cover exactly these leaves) and the cue scores. A cue
  enters a score only where the matcher finds it in the paper's text; one that matches nowhere
  in it changes nothing (lexicon.Matcher finds every cue independently of the others; scoring
  resolves overlaps and negative cues among the found ones). So the view is the leaf ids plus
  every cue found in the paper, with its leaf and kind (title, body, negative; derived cues of
  a leaf without cues included), plus every out-of-scope cue found, with its topic's position.
  The model's code, learned weights and thresholds are in ``local_model_version``, which the
  seam puts into every key of the embedded model.
- **synthesize** writes a leaf's section from the request and that leaf alone (name,
  description, families with their cues, never the leaf's own cues); the surveys section, the
  aggregates and the challenge notes read the whole taxonomy apart from the leaves' cues and
  the out-of-scope topics.
- **induce** and **propose** read all of it: the view is the taxonomy's hash.

``tests/test_local_keys.py`` edits each of these inputs and checks that every answer that
changes is asked again, and that an edit that cannot change an answer keeps it cached.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from pipeline.local_model.lexicon import Lexicon, compile_out_of_scope, compile_taxonomy, tokenize
from pipeline.local_model.text import make_document
from schemas.taxonomy import Leaf, Taxonomy, taxonomy_hash

TASK = re.compile(r'<task name="([a-z_]+)"\s*/>')
TAXONOMY = re.compile(r"\((sha256:[0-9a-f]+)\)")
PAPERS = re.compile(r"<papers>\n(.*?)</papers>", re.S)
SECTION = re.compile(r"<section>\n(.*?)\n</section>", re.S)
CORPUS = re.compile(r"<corpus>\n(.*?)\n</corpus>", re.S)

PAPER_TASKS = ("screen", "classify", "extract")
# Section kinds whose local writer reads the whole taxonomy (the others read their leaf only).
WHOLE_TAXONOMY_KINDS = ("introduction", "surveys", "challenges", "conclusion", "challenge-notes")
_LEAF_CUE_FIELDS = {"cues", "title_cues", "negative_cues"}


def message_text(messages: list[dict[str, Any]]) -> str:
    """The text of chat messages as the embedded model reads it (contents joined)."""
    parts: list[str] = []
    for message in messages:
        content = message.get("content")
        if isinstance(content, str):
            parts.append(content)
        elif isinstance(content, list):
            parts.extend(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return "\n".join(parts)


class _ByHash:
    """A taxonomy that hashes by its content digest (pydantic models are not hashable)."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self.digest = taxonomy_hash(taxonomy)

    def __hash__(self) -> int:
        return hash(self.digest)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ByHash) and other.digest == self.digest


@lru_cache(maxsize=8)
def _compiled(taxonomy: _ByHash) -> tuple[Lexicon, Lexicon]:
    return compile_taxonomy(taxonomy.taxonomy), compile_out_of_scope(taxonomy.taxonomy)


def matched_cues(taxonomy: Taxonomy, title: str, abstract: str) -> dict[str, list[list[Any]]]:
    """Every cue of the taxonomy found in this text: [leaf id, kind, cue] and, for out-of-scope
    topics, [topic position, cue]; sorted, each once."""
    lexicon, out_of_scope = _compiled(_ByHash(taxonomy))
    leaf_cues: set[tuple[str, int, str]] = set()
    topic_cues: set[tuple[int, str]] = set()
    for sentence in make_document(title, abstract).sentences:
        tokens = tokenize(sentence.text)
        for match in lexicon.matcher.find(tokens):
            cue = match.cue
            leaf_cues.add((lexicon.leaf_ids[cue.leaf], cue.category, cue.text))
        for match in out_of_scope.matcher.find(tokens):
            topic_cues.add((match.cue.leaf, match.cue.text))
    return {
        "cues": [list(item) for item in sorted(leaf_cues)],
        "out_of_scope": [list(item) for item in sorted(topic_cues)],
    }


def _leaf_without_cues(leaf: Leaf) -> dict[str, Any]:
    return {k: v for k, v in leaf.model_dump(mode="json").items() if k not in _LEAF_CUE_FIELDS}


def _taxonomy_without_cues(taxonomy: Taxonomy) -> dict[str, Any]:
    data = taxonomy.model_dump(mode="json")
    data.pop("out_of_scope", None)
    for level in data["levels"]:
        level["leaves"] = [
            {k: v for k, v in leaf.items() if k not in _LEAF_CUE_FIELDS} for leaf in level["leaves"]
        ]
    return data


def key_view(taxonomy: Taxonomy, messages: list[dict[str, Any]]) -> dict[str, Any]:
    """The part of ``taxonomy`` the embedded model reads to answer the one item of ``messages``
    (a request rendered for one paper or one section); see the module docstring."""
    text = message_text(messages)
    task_match = TASK.search(text)
    task = task_match.group(1) if task_match else ""
    if task in PAPER_TASKS:
        found = PAPERS.findall(text)
        papers = []
        for line in (found[-1] if found else "").splitlines():
            if line.strip():
                paper = json.loads(line)
                papers.append(
                    matched_cues(
                        taxonomy, str(paper.get("title", "")), str(paper.get("abstract", ""))
                    )
                )
        return {"task": task, "leaves": taxonomy.leaf_ids, "papers": papers}
    if task == "synthesize":
        sections = SECTION.findall(text)
        request = json.loads(sections[-1]) if sections else {}
        section, kind = request.get("section"), request.get("kind")
        if kind not in WHOLE_TAXONOMY_KINDS and section in taxonomy.leaf_ids:
            return {"task": task, "leaf": _leaf_without_cues(taxonomy.leaf(section))}
        return {"task": task, "taxonomy": _taxonomy_without_cues(taxonomy)}
    return {"task": task, "taxonomy": taxonomy_hash(taxonomy)}
