"""Taxonomy change proposals by the local model, from the classified corpus.

- split: a leaf much larger than the median whose papers are less alike than a typical leaf's
  (a catch-all) is cut into the parts its papers form (ward on text vectors, silhouette);
- move: papers of leaf X whose text sits nearer leaf Y's papers and whose cues nearly chose Y,
  grouped by (X, Y) and by a phrase they share; the edit adds that phrase to Y's title cues;
- add: a cluster of papers (text vectors alone) that no leaf holds well - scattered over several
  leaves, or filed on weak cues or with low confidence - and that shares a defining phrase
  becomes a new leaf, with those of its papers that fit nowhere as members;
- merge / retire: a leaf with no paper, or too few to stand alone.

Every cue edit and new leaf is simulated: the local classifier re-reads the papers the phrase
occurs in under the edited taxonomy. A change is marked ``apply`` only when its own papers
move as proposed and the change disturbs few others (conservative: strong evidence only).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from pipeline.local_model import LocalModel
from pipeline.local_model.induce import (
    PhraseNamer,
    absorb_small,
    cluster,
    combine,
    cue_vectors,
    one_hot,
    overlaps,
    text_vectors,
    title_case,
)
from pipeline.local_model.lexicon import NEGATIVE, compile_taxonomy, tokenize
from pipeline.local_model.text import Document
from schemas.taxonomy import Taxonomy

OVERLOADED_SIZE = 1.5  # x the median leaf size
INCOHERENT = 0.75  # x the median coherence (mean cosine between two papers of a leaf)
WEAK_SCORE = 3.0  # a primary below this rests on weak cues only (no title cue in the title)
NEAR_SHARE = 0.5  # a move's target scored at least this share of the primary's score
MIN_GROUP = 2
MIN_NEW_LEAF = 4
MAX_COLLATERAL_SHARE = 0.5  # other papers an applied change may move, per paper it moves
LOW_CONFIDENCE = 0.6  # a screening below this is listed as low confidence (build's run report)
HOMED_SHARE = 0.5  # a cluster whose main leaf holds this share of it has a home
MAX_ADDS = 6


@dataclass
class _Paper:
    id: str
    doc: Document
    primary: str
    leaves: list[str]
    scores: dict[str, float]
    base: str  # the local classifier's primary under the current taxonomy
    confidence: float | None = None  # calibrated, when learned weights cover the taxonomy

    @property
    def weak(self) -> bool:
        """Fits no leaf well: its primary rests on weak cues only, or is uncertain."""
        low = self.confidence is not None and self.confidence < LOW_CONFIDENCE
        return self.scores.get(self.primary, 0.0) < WEAK_SCORE or low


def propose(papers: list[dict[str, Any]], taxonomy: Taxonomy) -> dict[str, Any]:
    """TaxonomyChanges (as JSON data) for the classified papers of the request."""
    model = LocalModel(taxonomy)
    items: list[_Paper] = []
    for p in sorted(papers, key=lambda p: p["paper_id"]):
        analysis = model.analyse(p["title"], p["abstract"])
        scores = {leaf: s.score for leaf, s in analysis.scores.items()}
        items.append(
            _Paper(
                p["paper_id"],
                analysis.doc,
                p["primary"],
                list(p["leaves"]),
                scores,
                analysis.choice.primary,
                analysis.confidence,
            )  # fmt: skip
        )
    if len(items) < 4:
        return {"changes": []}
    vectors = text_vectors([p.doc for p in items])
    namer = PhraseNamer([p.doc for p in items])
    simulator = _Simulator(taxonomy, items)
    changes: list[dict[str, Any]] = []
    changes += _retire_and_merge(taxonomy, items)
    changes += _splits(taxonomy, items, vectors, namer)
    levels = [level.id for level in taxonomy.levels]
    cue, level_of = cue_vectors([p.doc for p in items], taxonomy, levels, True)
    combined = combine(vectors, cue, one_hot(level_of, len(levels)))
    clusters = absorb_small(combined, cluster(combined, 80))
    changes += _moves(items, clusters, namer, simulator)
    changes += _adds(taxonomy, items, vectors, namer)
    return {"changes": changes}


def _sizes(items: list[_Paper]) -> Counter[str]:
    return Counter(p.primary for p in items)


def _quote(doc: Document, pid: str) -> dict[str, str]:
    best = next((s for s in doc.sentences if s.contribution and not s.in_title), None)
    text = best.text.strip() if best is not None and len(best.text) <= 400 else doc.title.strip()
    return {"paper_id": pid, "quote": text[:400]}


# ------------------------------------------------------------------------ retire / merge
def _retire_and_merge(taxonomy: Taxonomy, items: list[_Paper]) -> list[dict[str, Any]]:
    sizes = _sizes(items)
    anywhere = Counter(leaf for p in items for leaf in p.leaves)
    changes: list[dict[str, Any]] = []
    for leaf in taxonomy.leaf_ids:
        if anywhere[leaf] == 0:
            changes.append({
                "kind": "retire", "leaf": leaf, "apply": False,
                "why": f"no paper of the corpus is classified under {leaf}, not even as a "
                "secondary leaf; retire it unless later dumps are expected to fill it",
            })  # fmt: skip
        elif sizes[leaf] < MIN_GROUP:
            members = [p for p in items if leaf in p.leaves]
            partner = Counter(
                other for p in members for other in p.leaves if other != leaf
            ).most_common(1)
            if not partner:
                continue
            target = partner[0][0]
            changes.append({
                "kind": "merge", "leaf": leaf, "target": target, "apply": False,
                "members": sorted(p.id for p in members),
                "why": f"{leaf} is the primary leaf of {sizes[leaf]} paper(s); its papers are "
                f"most often also under {target}: merge it there or keep it for coverage",
                "sizes": {target: sizes[target] + sizes[leaf], leaf: 0},
            })  # fmt: skip
    return changes


# ---------------------------------------------------------------------------------- split
def _coherence(vectors: np.ndarray, members: list[int]) -> float:
    # The mean of n unit vectors has squared length |mu|^2 + (1 - |mu|^2) / n on average: this
    # removes the small-leaf bias, giving the mean cosine between two different members.
    n = len(members)
    total = vectors[members].sum(axis=0)
    return float((total @ total - n) / (n * (n - 1)))


def _splits(
    taxonomy: Taxonomy, items: list[_Paper], vectors: np.ndarray, namer: PhraseNamer
) -> list[dict[str, Any]]:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import silhouette_score

    by_leaf: dict[str, list[int]] = {}
    for i, p in enumerate(items):
        by_leaf.setdefault(p.primary, []).append(i)
    populated = {leaf: m for leaf, m in by_leaf.items() if len(m) >= MIN_GROUP}
    if len(populated) < 3:
        return []
    median_size = float(np.median([len(m) for m in populated.values()]))
    coherence = {leaf: _coherence(vectors, m) for leaf, m in populated.items()}
    median_coherence = float(np.median(list(coherence.values())))
    changes: list[tuple[float, dict[str, Any]]] = []
    for leaf in taxonomy.leaf_ids:
        members = populated.get(leaf)
        if not members or len(members) < OVERLOADED_SIZE * median_size:
            continue
        if coherence[leaf] >= INCOHERENT * median_coherence:
            continue  # large but alike: a big topic, not a catch-all
        weak = sum(items[i].scores.get(leaf, 0.0) < WEAK_SCORE for i in members) / len(members)
        tree = AgglomerativeClustering(linkage="ward", compute_full_tree=True)
        best: tuple[float, np.ndarray] | None = None
        for k in range(2, min(6, len(members) // 4) + 1):
            labels = tree.set_params(n_clusters=k).fit_predict(vectors[members])
            score = float(silhouette_score(vectors[members], labels, metric="cosine"))
            if best is None or score > best[0] + 1e-9:
                best = (score, labels)
        if best is None:
            continue
        # The catch-all is flagged even when its groups cannot all be named (they stay put).
        parts = _parts(leaf, members, best[1], items, namer)
        changes.append((coherence[leaf], {
            "kind": "split", "leaf": leaf, "apply": False,
            "members": sorted(items[i].id for i in members),
            "why": f"{leaf} holds {len(members)} papers ({len(members) / median_size:.1f}x the "
            f"median leaf) that are less alike than a typical leaf's (coherence "
            f"{coherence[leaf]:.2f} vs median {median_coherence:.2f}); {weak:.0%} of them are "
            f"there on weak cues only. {len(parts)} groups of 4 or more papers among them share "
            "a defining phrase (proposed below as leaves)",
            "new_leaves": parts,
            "sizes": {part["id"]: len(part["members"]) for part in parts},
        }))  # fmt: skip
    # The least coherent leaf first: the likeliest catch-all.
    return [change for _, change in sorted(changes, key=lambda item: (item[0], item[1]["leaf"]))]


def _parts(
    leaf: str, members: list[int], labels: np.ndarray, items: list[_Paper], namer: PhraseNamer
) -> list[dict[str, Any]]:
    level = leaf.split(".", 1)[0]
    groups = sorted(
        ([members[j] for j in np.flatnonzero(labels == lab)] for lab in sorted(set(labels))),
        key=lambda g: (-len(g), items[g[0]].id),
    )
    parts: list[dict[str, Any]] = []
    used: set[str] = set()
    for group in groups:
        # Defining phrases are multiword: a single word ("knowledge") pulls in unrelated papers.
        phrases = [p for p in namer.distinctive(group) if p not in used and " " in p][:3]
        if len(group) < MIN_NEW_LEAF or not phrases:
            continue  # too small or nothing to name it by: those papers stay where they are
        title_cues = list(dict.fromkeys(namer.cue(p) for p in phrases))
        used.update(phrases)
        base = "_".join(phrases[0].replace("-", " ").split()[:3])
        ident = f"{level}.{''.join(c for c in base.lower() if c.isalnum() or c == '_')}"
        if ident == f"{level}." or not ident.split(".", 1)[1][:1].isalpha():
            ident = f"{level}.part_{len(parts) + 1}"
        while ident in {p["id"] for p in parts} or ident == leaf:
            ident += "_b"
        parts.append({
            "id": ident, "name": title_case(namer.surface(phrases[0])),
            "scope": f"Papers of {leaf} on {', '.join(phrases)}.",
            "title_cues": title_cues, "cues": [], "families": [],
            "members": sorted(items[i].id for i in group),
            "evidence": [_quote(items[i].doc, items[i].id) for i in group[:2]],
        })  # fmt: skip
    return parts


# ----------------------------------------------------------------------------------- moves
def _cue_move(
    source: str, target: str, group: set[str], phrases: list[str], simulator: _Simulator
) -> dict[str, Any] | None:
    """The first phrase that, as a defining phrase of target, moves the group there."""
    sizes = _sizes(simulator.items)
    for phrase in phrases:
        moved = simulator.moves(target, phrase)
        hits = {pid for pid, (_, new) in moved.items() if new == target} & group
        if len(hits) < MIN_GROUP:
            continue
        collateral = {pid for pid in moved if pid not in hits}
        strong = len(collateral) <= MAX_COLLATERAL_SHARE * len(hits)
        after = Counter(sizes)
        for old, new in moved.values():
            after[old] -= 1
            after[new] += 1
        return {
            "kind": "move", "leaf": source, "target": target, "apply": strong,
            "members": sorted(hits | collateral),
            "why": f"{len(group)} papers under {source} cluster with papers filed under "
            f"{target} and their own cues nearly chose {target}; making {phrase!r} a defining "
            f"phrase of {target} moves {len(hits)} of them"
            + (f" and {len(collateral)} other paper(s)" if collateral else "")
            + ("" if strong else "; too many others move: review, not applied"),
            "edits": [{"leaf": target, "title_cues": [phrase]}],
            "sizes": {leaf: after[leaf] for leaf in sorted({source, target})},
        }  # fmt: skip
    return None


class _Simulator:
    """Re-classifies the papers a phrase occurs in under an edited taxonomy."""

    def __init__(self, taxonomy: Taxonomy, items: list[_Paper]) -> None:
        self.taxonomy = taxonomy
        self.items = items
        self.lower = [f"{p.doc.title} {p.doc.abstract}".lower() for p in items]

    def moves(self, leaf: str, phrase: str) -> dict[str, tuple[str, str]]:
        """paper id -> (old primary, new primary) when ``phrase`` becomes a title cue of leaf."""
        data = self.taxonomy.model_dump(mode="json")
        for level in data["levels"]:
            for item in level["leaves"]:
                if item["id"] == leaf:
                    item["title_cues"] = [*item["title_cues"], phrase]
        model = LocalModel(Taxonomy.model_validate(data))
        words = phrase.lower().split()
        changed: dict[str, tuple[str, str]] = {}
        for p, text in zip(self.items, self.lower, strict=True):
            if not all(w.rstrip("*") in text for w in words):
                continue
            new = model.analyse(p.doc.title, p.doc.abstract).choice.primary
            if new != p.base:
                changed[p.id] = (p.base, new)
        return changed


def _moves(
    items: list[_Paper], clusters: np.ndarray, namer: PhraseNamer, simulator: _Simulator
) -> list[dict[str, Any]]:
    """Papers filed apart from the leaf most of their cluster (text and cues) is filed under,
    when their own cues nearly chose that leaf too."""
    candidates: dict[tuple[str, str], list[int]] = {}
    for label in sorted(set(int(x) for x in clusters)):
        members = [int(i) for i in np.flatnonzero(clusters == label)]
        votes = Counter(items[i].primary for i in members)
        majority, count = min(votes.items(), key=lambda kv: (-kv[1], kv[0]))
        if count < max(MIN_GROUP + 1, len(members) / 2):
            continue  # no clear leaf for this cluster
        for i in members:
            p = items[i]
            own, near = p.scores.get(p.primary, 0.0), p.scores.get(majority, 0.0)
            if (
                p.primary != majority
                and near > 0
                and (near >= NEAR_SHARE * own or own < WEAK_SCORE)
            ):
                candidates.setdefault((p.primary, majority), []).append(i)
    changes: list[dict[str, Any]] = []
    sizes = _sizes(items)
    by_id = {p.id: p for p in items}
    for (source, target), group in sorted(candidates.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(group) < MIN_GROUP:
            continue
        group_ids = {items[i].id for i in group}
        # Only phrases: a single word as a defining phrase would pull in unrelated papers.
        phrases = [p for p in namer.distinctive(group) if " " in p][:4]
        change = _cue_move(source, target, group_ids, phrases, simulator)
        if change is None:  # no phrase moves them cleanly: the reviewer decides
            change = {
                "kind": "move", "leaf": source, "target": target, "apply": False,
                "members": sorted(group_ids),
                "why": f"{len(group)} papers under {source} cluster with papers filed under "
                f"{target} and their own cues nearly chose {target}; no shared phrase moves "
                "them without moving other papers: review them and move by hand (cues)",
                "sizes": {source: sizes[source] - len(group), target: sizes[target] + len(group)},
            }  # fmt: skip
        change["evidence"] = [
            _quote(by_id[pid].doc, pid) for pid in sorted(set(change["members"]) & group_ids)[:3]
        ]
        changes.append(change)
    return changes


# ------------------------------------------------------------------------------------ add
def _adds(
    taxonomy: Taxonomy, items: list[_Paper], vectors: np.ndarray, namer: PhraseNamer
) -> list[dict[str, Any]]:
    """New leaves for topics the taxonomy has no home for.

    Candidates come two ways: clusters of the papers' text alone (cue scores would pull them
    towards the existing leaves), and the papers that share a multiword phrase of their titles
    or contribution sentences that no leaf's cues claim. A candidate has no home when no leaf
    holds half of it, or when most of it is weakly placed (weak cues, low confidence); a phrase
    group must also be as alike as a typical leaf's papers. Its members are the papers that are
    weakly placed or outside its main leaf and use one of its defining phrases (multiword
    c-TF-IDF phrases); four or more make a leaf, named by the first phrase. Candidates are taken
    largest first, skipping one that shares half its members with a leaf already proposed.
    The new leaf is simulated: the expected sizes are the local classifier's primaries with it."""
    texts = [f"{p.doc.title} {p.doc.abstract}".lower() for p in items]
    labels = absorb_small(vectors, cluster(vectors, 80))
    groups = [([int(i) for i in np.flatnonzero(labels == lab)], "") for lab in sorted(set(labels))]
    candidates: list[tuple[list[int], list[str]]] = []
    for group, seed in groups + _phrase_groups(taxonomy, items, vectors, namer):
        homeless = _homeless(items, group)
        if len(homeless) < MIN_NEW_LEAF:
            continue
        # Named by multiword phrases (a phrase group by its own first): a single word
        # ("energy", "serving") pulls in papers of other topics.
        phrases = [seed] if seed else []
        for phrase in namer.distinctive(homeless):
            if " " in phrase and not any(overlaps(phrase, kept) for kept in phrases):
                phrases.append(phrase)
        phrases = phrases[:3]
        members = [i for i in homeless if any(_uses(texts[i], p) for p in phrases)]
        if len(members) >= MIN_NEW_LEAF:
            candidates.append((members, phrases))
    candidates.sort(key=lambda c: (-len(c[0]), items[c[0][0]].id, c[1]))
    chosen: list[tuple[list[int], list[str]]] = []
    for members, phrases in candidates:
        taken = {i for other, _ in chosen for i in other}
        if len(taken & set(members)) * 2 >= len(members):
            continue
        chosen.append((members, phrases))
        if len(chosen) == MAX_ADDS:
            break
    return [_add(taxonomy, items, members, phrases, namer) for members, phrases in chosen]


def _homeless(items: list[_Paper], group: list[int]) -> list[int]:
    """The papers of a group without a home, when the group has none: [] when one leaf holds
    half of it and most of it is placed on strong cues."""
    if len(group) < MIN_NEW_LEAF:
        return []
    votes = Counter(items[i].primary for i in group)
    main, count = min(votes.items(), key=lambda kv: (-kv[1], kv[0]))
    weak = sum(items[i].weak for i in group)
    if count >= HOMED_SHARE * len(group) and weak < HOMED_SHARE * len(group):
        return []  # its main leaf holds it: moves, not a new leaf
    return [i for i in group if items[i].weak or items[i].primary != main]


def _phrase_groups(
    taxonomy: Taxonomy, items: list[_Paper], vectors: np.ndarray, namer: PhraseNamer
) -> list[tuple[list[int], str]]:
    """(papers, phrase): papers whose titles or contribution sentences share a multiword phrase
    no leaf claims (no leaf cue covers its head, the last word), as alike as a typical leaf's."""
    lexicon = compile_taxonomy(taxonomy)
    by_leaf: dict[str, list[int]] = {}
    for i, p in enumerate(items):
        by_leaf.setdefault(p.primary, []).append(i)
    alike = [_coherence(vectors, m) for m in by_leaf.values() if len(m) >= MIN_GROUP]
    if not alike:
        return []
    typical = float(np.median(alike))
    present = (namer.counts > 0).tocsc()
    groups: list[tuple[list[int], str]] = []
    for t, term in enumerate(namer.terms):
        group = [int(i) for i in present[:, t].nonzero()[0]]
        if " " not in term or len(group) < MIN_NEW_LEAF:
            continue  # a single word ("GPU", "generative") names no topic of its own
        tokens = tokenize(namer.surface(term))
        claims = lexicon.matcher.find(tokens)
        if any(m.cue.category != NEGATIVE and m.last == len(tokens) for m in claims):
            continue  # a leaf's cue: its papers have a home, or a move fixes them
        if _coherence(vectors, group) >= typical:
            groups.append((group, term))
    return groups


def _uses(text: str, phrase: str) -> bool:
    return all(word in text for word in phrase.split())


def _add(
    taxonomy: Taxonomy, items: list[_Paper], members: list[int], phrases: list[str],
    namer: PhraseNamer,
) -> dict[str, Any]:  # fmt: skip
    known = set(taxonomy.leaf_ids)
    sources = Counter(items[i].primary for i in members)
    source = min(sources, key=lambda leaf: (-sources[leaf], leaf))
    levels = Counter(items[i].primary.split(".", 1)[0] for i in members)
    level = min(levels, key=lambda lv: (-levels[lv], lv))
    base = "_".join(phrases[0].replace("-", " ").split()[:3])
    ident = f"{level}.{''.join(c for c in base.lower() if c.isalnum() or c == '_')}"
    if ident == f"{level}." or not ident.split(".", 1)[1][:1].isalpha():
        ident = f"{level}.new_topic"
    while ident in known:
        ident += "_b"
    weak = sum(items[i].weak for i in members)
    spread = ", ".join(
        f"{leaf} ({n})" for leaf, n in sorted(sources.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    new_leaf = {
        "id": ident, "name": title_case(namer.surface(phrases[0])),
        "scope": f"Papers on {', '.join(namer.surface(p) for p in phrases)}.",
        "title_cues": list(dict.fromkeys(namer.cue(p) for p in phrases)), "cues": [],
        "families": [], "members": sorted(items[i].id for i in members),
        "evidence": [_quote(items[i].doc, items[i].id) for i in members[:2]],
    }  # fmt: skip
    sizes, drawn = _sizes_with(taxonomy, items, level, new_leaf)
    # Papers the new leaf's defining phrases take from other leaves belong to it too.
    homeless = {items[i].id for i in members}
    extra = sorted(drawn - homeless)
    new_leaf["members"] = sorted(homeless | drawn)
    return {
        "kind": "add", "leaf": source, "apply": False,
        "members": new_leaf["members"],
        "why": f"{len(members)} papers share {phrases[0]!r} and cluster together, but no leaf "
        f"holds them well: they are filed under {spread}"
        + (f", {weak} of them on weak cues or with low confidence" if weak else "")
        + (f"; with the new leaf, {len(extra)} more paper(s) move to it" if extra else "")
        + ". A new leaf gives them a section (a new leaf set re-decides every paper by the cue "
        "rules until the learned heads are refitted: review, not applied)",
        "new_leaves": [new_leaf],
        "sizes": sizes,
        "evidence": new_leaf["evidence"],
    }  # fmt: skip


def _sizes_with(
    taxonomy: Taxonomy, items: list[_Paper], level: str, new_leaf: dict[str, Any]
) -> tuple[dict[str, int], set[str]]:
    """Primary counts of the leaves that change when the local classifier has the new leaf,
    and the papers whose primary becomes the new leaf."""
    data = taxonomy.model_dump(mode="json")
    leaf = {"id": new_leaf["id"], "name": new_leaf["name"], "description": new_leaf["scope"],
            "title_cues": new_leaf["title_cues"]}  # fmt: skip
    for item in data["levels"]:
        if item["id"] == level:
            item["leaves"].append(leaf)
    model = LocalModel(Taxonomy.model_validate(data))
    before = _sizes(items)
    primaries = {p.id: model.analyse(p.doc.title, p.doc.abstract).choice.primary for p in items}
    after = Counter(primaries.values())
    changed = sorted(leaf for leaf in set(before) | set(after) if before[leaf] != after[leaf])
    drawn = {pid for pid, primary in primaries.items() if primary == new_leaf["id"]}
    return {leaf: after[leaf] for leaf in changed}, drawn
