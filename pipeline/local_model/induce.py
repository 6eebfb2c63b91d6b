"""Taxonomy induction by the local model: cluster the corpus, name clusters from their terms.

The papers are represented three ways, concatenated: their text (TF-IDF over title and
abstract, reduced by truncated SVD), the seed taxonomy's cue scores (how strongly each existing
leaf's phrases occur, when the request allows the existing leaves as a starting point) and the
level those cues point to. Ward agglomeration over that representation gives the leaves; the
number of leaves is the one with the best silhouette (no labels involved). Each leaf's cues
are its class-based TF-IDF phrases (c-TF-IDF, as BERTopic represents topics) of titles and
contribution sentences; its name is the noun phrase that covers its members and is
distinctive (naming.SectionNamer), its families the names of its sub-clusters, its evidence
the contribution sentences of its most central members. Deterministic: fixed seeds, sorted
inputs, ties broken by id.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from pipeline.local_model.lexicon import compile_taxonomy
from pipeline.local_model.naming import SectionNamer, phrase_key, stop_words, title_case
from pipeline.local_model.scoring import score_leaves
from pipeline.local_model.text import Document, make_document
from schemas.induce import restatement_key
from schemas.taxonomy import Taxonomy

# Weights of the three parts of a paper's vector (each part is unit length first).
TEXT_WEIGHT = 1.0
CUE_WEIGHT = 1.0
LEVEL_WEIGHT = 0.7
SVD_COMPONENTS = 80
MIN_LEAF = 3  # smaller clusters join their nearest neighbour
# Leaf counts tried: a survey section of about 8 to 20 papers.
PAPERS_PER_LEAF_MIN = 8
PAPERS_PER_LEAF_MAX = 20
FAMILY_MIN_MEMBERS = 8
MAX_FAMILIES = 3

# Words that say nothing about a technique (on top of scikit-learn's English stop words).
_TEXT_STOP = {
    "paper", "propose", "proposed", "proposes", "approach", "approaches", "method", "methods",
    "results", "result", "show", "shows", "based", "novel", "new", "existing", "work", "study",
    "performance", "efficient", "efficiency", "model", "models", "large", "using", "use",
    "used", "achieve", "achieves", "achieving", "significant", "significantly", "improve",
    "improves", "improved", "improving", "compared", "state", "art", "framework", "task",
    "tasks", "demonstrate", "experiments", "experimental", "learning", "deep", "neural",
    "network", "networks", "data", "time", "high", "low", "different", "various", "introduce",
    "present", "code", "available", "github", "https", "com", "while", "maintaining",
    "reduce", "reduces", "reducing", "reduction", "however", "also", "key",
    "within", "across", "up", "times", "x", "language", "llm", "llms", "ai", "machine",
    "training", "inference", "computational", "cost", "costs", "memory", "speedup",
    "accuracy", "techniques", "technique", "design", "systems", "system", "end", "lead",
    "leading", "enable", "enables", "enabling", "like", "extensive", "challenges",
    "challenge", "problem", "problems", "additionally", "furthermore", "finally", "general",
    "overall", "comprehensive", "effectively", "effective", "substantially", "substantial",
    "respectively", "outperforms", "outperform", "baseline", "baselines",
    "including", "particularly", "specifically", "notably", "remains", "critical", "crucial",
}  # fmt: skip
# Words that make poor section titles (names are drawn from phrases without them).
_NAME_STOP = _TEXT_STOP | {
    "report", "technical", "investigate", "investigates", "investigated", "potential",
    "address", "addresses", "addressing", "gap", "issue", "issues", "aspects", "explore",
    "explores", "study", "studies", "analysis", "evaluation", "evaluate", "evaluates", "review",
    "survey", "paper", "aim", "aims", "focus", "focuses", "provide", "provides", "develop",
    "develops", "developed", "called", "named", "dubbed", "simple", "scalable",
    "fast", "faster", "lightweight", "optimized", "optimization", "optimizing", "towards",
    "toward", "via", "solution", "solutions", "strategy", "strategies", "mechanism",
    "mechanisms", "dataset", "datasets", "benchmark", "benchmarks", "c4", "wide", "range",
    "impact", "understanding", "practical", "real", "world", "level", "ensuring",
    "effectiveness", "leverages", "leverage", "leveraging", "novel", "resources", "resource",
    "limited", "constrained", "diverse", "workloads", "workload", "applications", "application",
    "make", "makes", "making", "allows", "allowing", "multiple", "single", "given",
    "considerations", "consideration", "complementary", "depth", "in-depth", "shared", "tackles",
    "tackle", "presents", "selects", "select", "outperforming", "larger", "smaller", "small",
    "compress", "running", "run", "runs", "independently", "possible", "configurations",
    "specialize", "sets", "english", "web", "future", "research", "rate", "local", "think",
    "thinking", "engines", "engine", "altering", "family", "enhanced", "designs", "designed",
    "sampling", "test", "runtime", "important", "importance", "good", "better", "best",
    "remarkable", "strong", "great", "able", "capable", "recent", "modern", "traditional",
    "conventional", "current", "typical", "typically", "often", "first", "second", "third",
    "achieved", "achieve", "settings", "setting", "competitive", "integrates", "integrate",
    "resulting", "generate", "generates", "update", "updates", "secondly", "directions",
    "direction", "conduct", "conducts", "evaluating", "images", "stable", "parameter",
}  # fmt: skip


@dataclass(frozen=True)
class InduceRequest:
    """What the induce prompt carries: the papers, the levels, and whether seed leaves help."""

    papers: list[dict[str, str]]
    levels: list[str]
    use_existing_leaves: bool
    max_leaves: int


def induce(request: InduceRequest, seed: Taxonomy) -> dict[str, Any]:
    """A TaxonomyProposal (as JSON data) for the request's papers."""
    papers = sorted(request.papers, key=lambda p: p["paper_id"])
    docs = [make_document(p.get("title", ""), p.get("abstract", "")) for p in papers]
    levels = [lv for lv in request.levels if lv in {level.id for level in seed.levels}]
    if not levels:
        levels = [level.id for level in seed.levels]
    text = text_vectors(docs)
    cue, level_of = cue_vectors(docs, seed, levels, request.use_existing_leaves)
    vectors = combine(text, cue, one_hot(level_of, len(levels)))
    labels = cluster(vectors, request.max_leaves)
    labels = absorb_small(vectors, labels)
    clusters = _clusters_by_level(labels, level_of, levels)
    naming = PhraseNamer(docs)
    titles = SectionNamer(docs)
    leaves: list[dict[str, Any]] = []
    used_ids: set[str] = set()
    used_title_cues: set[str] = set()
    used_names: set[str] = set()
    section_titles = titles.titles([members for _, members in clusters])
    for (level, members), title in zip(clusters, section_titles, strict=True):
        centroid = vectors[members].mean(axis=0)
        order = sorted(
            members, key=lambda i: (-float(vectors[i] @ centroid), papers[i]["paper_id"])
        )
        phrases = naming.distinctive(members)
        name, title_cues = _name_and_title_cues(naming, phrases, title, used_names, used_title_cues)
        leaf_id = _unique_id(level, name, used_ids)
        cues = [naming.cue(p) for p in phrases if naming.cue(p) not in title_cues][:12]
        leaves.append(
            {
                "id": leaf_id,
                "name": name,
                "scope": _scope(phrases, title_cues),
                "title_cues": title_cues,
                "cues": cues,
                "families": _families(titles, vectors, members, name),
                "members": sorted(papers[i]["paper_id"] for i in members),
                "evidence": [_evidence(docs[i], papers[i]["paper_id"], phrases) for i in order[:3]],
            }
        )
    return {"leaves": leaves}


# ------------------------------------------------------------------------------ vectors
def text_vectors(docs: list[Document]) -> np.ndarray:
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    texts = [_paper_text(doc) for doc in docs]
    small = len(texts) < 10  # a handful of papers: keep every term
    vectorizer = TfidfVectorizer(
        sublinear_tf=True,
        ngram_range=(1, 2),
        min_df=1 if small else 2,
        max_df=1.0 if small else 0.5,
        stop_words=sorted(stop_words(_TEXT_STOP)),
        token_pattern=r"(?u)\b[A-Za-z][A-Za-z0-9\-]+\b",
    )
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # no term left (e.g. abstracts of stop words only): cues decide alone
        return np.zeros((len(texts), 1))
    components = min(SVD_COMPONENTS, matrix.shape[0] - 1, matrix.shape[1] - 1)
    if components < 2:
        return np.asarray(normalize(matrix).toarray())
    reduced = TruncatedSVD(n_components=components, random_state=0).fit_transform(matrix)
    return np.asarray(normalize(reduced))


def _paper_text(doc: Document) -> str:
    """The title twice (it names the contribution), contribution sentences twice, the rest once."""
    body = " ".join(s.text for s in doc.sentences if not s.in_title)
    contribution = " ".join(s.text for s in doc.sentences if s.contribution and not s.in_title)
    return f"{doc.title} {doc.title} {contribution} {body}"


def cue_vectors(
    docs: list[Document], seed: Taxonomy, levels: list[str], use_leaves: bool
) -> tuple[np.ndarray, list[int]]:
    """Cue scores of the seed's leaves (square-rooted, unit length) and each paper's level."""
    lexicon = compile_taxonomy(seed)
    rows: list[list[float]] = []
    level_of: list[int] = []
    for doc in docs:
        scores = score_leaves(doc, lexicon)
        values = [scores[leaf].score for leaf in lexicon.leaf_ids]
        rows.append([float(np.sqrt(v)) for v in values])
        by_level = dict.fromkeys(levels, 0.0)
        for leaf, value in zip(lexicon.leaf_ids, values, strict=True):
            level = leaf.split(".", 1)[0]
            if level in by_level:
                by_level[level] += value
        best = max(levels, key=lambda lv: (by_level[lv], -levels.index(lv)))
        level_of.append(levels.index(best))
    matrix = np.asarray(rows, dtype=float)
    if not use_leaves:
        matrix = np.zeros((len(docs), 0))
    norms = np.linalg.norm(matrix, axis=1, keepdims=True) if matrix.size else None
    if norms is not None:
        matrix = matrix / np.where(norms > 0, norms, 1.0)
    return matrix, level_of


def one_hot(indices: list[int], size: int) -> np.ndarray:
    matrix = np.zeros((len(indices), size))
    for row, index in enumerate(indices):
        matrix[row, index] = 1.0
    return matrix


def combine(text: np.ndarray, cue: np.ndarray, level: np.ndarray) -> np.ndarray:
    parts = [TEXT_WEIGHT * text, LEVEL_WEIGHT * level]
    if cue.shape[1]:
        parts.insert(1, CUE_WEIGHT * cue)
    combined = np.hstack(parts)
    norms = np.linalg.norm(combined, axis=1, keepdims=True)
    return np.asarray(combined / np.where(norms > 0, norms, 1.0))


# ---------------------------------------------------------------------------- clustering
def leaf_count_range(papers: int, max_leaves: int) -> range:
    low = max(2, round(papers / PAPERS_PER_LEAF_MAX))
    high = max(low, min(max_leaves, round(papers / PAPERS_PER_LEAF_MIN)))
    return range(low, high + 1)


def cluster(vectors: np.ndarray, max_leaves: int) -> np.ndarray:
    """Ward agglomeration; the leaf count with the best silhouette (no labels involved)."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import silhouette_score

    n = len(vectors)
    if n < 2 * MIN_LEAF:
        return np.zeros(n, dtype=int)
    model = AgglomerativeClustering(linkage="ward", compute_full_tree=True).fit(vectors)
    best: tuple[float, int, np.ndarray] | None = None
    for k in leaf_count_range(n, max_leaves):
        if k >= n:
            break
        labels = _cut(model.children_, n, k)
        score = float(silhouette_score(vectors, labels, metric="cosine"))
        if best is None or score > best[0] + 1e-9:
            best = (score, k, labels)
    return best[2] if best is not None else np.zeros(n, dtype=int)


def _cut(children: np.ndarray, n: int, k: int) -> np.ndarray:
    """Labels of the ward tree cut into k clusters (replaying the merges, no refit)."""
    parent = list(range(2 * n))
    for step, (a, b) in enumerate(children[: n - k]):
        parent[int(a)] = parent[int(b)] = n + step

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    roots = [root(i) for i in range(n)]
    index = {r: j for j, r in enumerate(sorted(set(roots), key=roots.index))}
    return np.asarray([index[r] for r in roots])


def absorb_small(vectors: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Clusters under MIN_LEAF members join the cluster whose centroid is nearest."""
    labels = labels.copy()
    while True:
        counts = Counter(int(x) for x in labels)
        small = sorted((c, lab) for lab, c in counts.items() if c < MIN_LEAF)
        if not small or len(counts) == 1:
            return labels
        _, label = small[0]
        others = sorted(lab for lab in counts if lab != label)
        centroids = np.stack([vectors[labels == lab].mean(axis=0) for lab in others])
        for i in np.flatnonzero(labels == label):
            labels[i] = others[int(np.argmax(centroids @ vectors[i]))]


def _clusters_by_level(
    labels: np.ndarray, level_of: list[int], levels: list[str]
) -> list[tuple[str, list[int]]]:
    """(level, member indices) per cluster: level by majority, level order, then size."""
    out: list[tuple[int, int, int, str, list[int]]] = []
    for label in sorted(set(int(x) for x in labels)):
        members = [int(i) for i in np.flatnonzero(labels == label)]
        votes = Counter(level_of[i] for i in members)
        level = min(votes, key=lambda lv: (-votes[lv], lv))
        out.append((level, -len(members), members[0], levels[level], members))
    out.sort(key=lambda item: item[:3])
    return [(level_id, members) for _, _, _, level_id, members in out]


# ------------------------------------------------------------------------------- naming
class PhraseNamer:
    """c-TF-IDF over phrases of titles and contribution sentences (the naming vocabulary)."""

    def __init__(self, docs: list[Document]) -> None:
        from sklearn.feature_extraction.text import CountVectorizer

        self.docs = docs
        texts = [
            " . ".join(s.text for s in doc.sentences if s.in_title or s.contribution) or doc.title
            for doc in docs
        ]
        self.vectorizer = CountVectorizer(
            ngram_range=(1, 3),
            min_df=2 if len(docs) >= 10 else 1,
            stop_words=sorted(stop_words(_NAME_STOP)),
            token_pattern=r"(?u)\b[A-Za-z][A-Za-z0-9\-]+\b",
        )
        try:
            self.counts = self.vectorizer.fit_transform(texts).tocsr()
        except ValueError:  # nothing nameable: every leaf falls back to "topic N"
            self.vectorizer = CountVectorizer(token_pattern=r"(?u)\b\w+\b")
            self.counts = self.vectorizer.fit_transform(["topic"] * len(docs)).tocsr()
        self.terms = list(self.vectorizer.get_feature_names_out())
        # Phrases of titles name a contribution; count each paper's title use separately.
        titles = CountVectorizer(
            ngram_range=(1, 3),
            vocabulary=self.vectorizer.vocabulary_,
            stop_words=sorted(stop_words(_NAME_STOP)),
            token_pattern=r"(?u)\b[A-Za-z][A-Za-z0-9\-]+\b",
        )
        self.in_titles = titles.fit_transform([doc.title for doc in docs]).tocsr()
        self.texts = [f"{doc.title} {doc.abstract}" for doc in docs]

    def distinctive(self, members: list[int], exclude: set[str] | None = None) -> list[str]:
        """Phrases ranked by c-TF-IDF of the members against the corpus, multiword first.

        The term frequency is the share of member papers using a phrase (so a name covers
        many members, not one paper repeating itself), times BERTopic's class idf
        log(1 + papers per class / papers using it), times a bonus per extra word."""
        present = self.counts[members] > 0
        in_class = np.asarray(present.sum(axis=0)).ravel().astype(float)
        total = np.asarray((self.counts > 0).sum(axis=0)).ravel().astype(float)
        tf = in_class / max(1, len(members))
        idf = np.log(1.0 + len(members) / np.maximum(total, 1.0))
        needed = max(2.0, 0.1 * len(members))
        score = tf * idf * np.where(in_class >= needed, 1.0, 0.0)
        score *= np.asarray([1.0 + 0.3 * term.count(" ") for term in self.terms])
        title_share = np.asarray((self.in_titles[members] > 0).sum(axis=0)).ravel() / len(members)
        score *= 1.0 + title_share
        ranked = sorted(
            (i for i in np.flatnonzero(score > 0)), key=lambda i: (-score[i], self.terms[i])
        )
        phrases: list[str] = []
        for i in ranked:
            term = self.terms[i]
            if exclude and term in exclude:
                continue
            if any(overlaps(term, kept) for kept in phrases):
                continue  # "speculative decoding" covers "speculative"
            phrases.append(term)
            if len(phrases) == 20:
                break
        return phrases

    def surface(self, phrase: str) -> str:
        """The phrase as the papers write it most often ("kv cache" -> "KV cache")."""
        # Words may be split by hyphens or brackets: "mixture-of-experts moe" is written
        # "Mixture-of-Experts (MoE)"; the brackets are dropped from the name.
        # Stop words dropped from the phrase may stand between its words ("MoE on Ascend NPUs").
        gap = r"[\s\-()]+(?:[A-Za-z]+[\s\-()]+){0,2}?"
        pattern = re.compile(r"\b" + gap.join(map(re.escape, phrase.split())) + r"\b", re.I)
        forms = Counter(
            " ".join(m.group(0).replace("(", " ").replace(")", " ").split())
            for text in self.texts
            for m in pattern.finditer(text)
        )
        if not forms:
            return phrase
        form = min(forms, key=lambda f: (-forms[f], f))
        return " ".join(w if any(c.isupper() for c in w[1:]) or w.isupper() else w.lower()
                        for w in form.split())  # fmt: skip

    def cue(self, phrase: str) -> str:
        """The phrase as a cue the local classifier finds in the papers (lower case)."""
        return self.surface(phrase).lower()


def overlaps(a: str, b: str) -> bool:
    """Phrases that share a word stem say the same thing for naming purposes."""
    stems_a = {w[:6] for w in a.split()}
    return any(w[:6] in stems_a for w in b.split())


def _name_and_title_cues(
    naming: PhraseNamer, phrases: list[str], title: str, used_names: set[str], used_cues: set[str]
) -> tuple[str, list[str]]:
    # Defining phrases and names are unique up to restatement (plural, case), as the
    # proposal's validator checks.
    title_cues: list[str] = []
    for phrase in phrases:
        cue = naming.cue(phrase)
        if restatement_key(cue) not in used_cues and len(title_cues) < 3:
            used_cues.add(restatement_key(cue))
            title_cues.append(cue)
    title_cues = title_cues or [f"topic {len(used_names) + 1}"]
    # A corpus too small for noun-phrase statistics: the first defining phrase.
    name = title or title_case(title_cues[0])
    while restatement_key(name) in used_names:
        name = f"{name} (continued)"
    used_names.add(restatement_key(name))
    return name[:80], title_cues


# Words a leaf id leaves out of its name ("MoE and Vision Transformer" -> moe_vision_transformer).
_ID_STOP = frozenset({"a", "an", "and", "for", "in", "of", "on", "the", "to", "with"})


def _unique_id(level: str, name: str, used: set[str]) -> str:
    """The leaf's id, from its section title, so that a reviewer reads the same thing in both."""
    words = [w for w in re.findall(r"[a-z0-9]+", name.lower()) if w not in _ID_STOP]
    base = "_".join(words[:3]) or "topic"
    if not base[0].isalpha():
        base = f"t_{base}"
    ident, n = f"{level}.{base}", 2
    while ident in used:
        ident, n = f"{level}.{base}_{n}", n + 1
    used.add(ident)
    return ident


def _scope(phrases: list[str], title_cues: list[str]) -> str:
    rest = [p for p in phrases if p not in title_cues][:3]
    lead = ", ".join(title_cues[:3])
    tail = f", with work on {', '.join(rest)}" if rest else ""
    return f"Papers whose main contribution concerns {lead}{tail}."[:400]


def _families(
    titles: SectionNamer, vectors: np.ndarray, members: list[int], leaf_name: str
) -> list[str]:
    """Names of the leaf's sub-clusters (its sub-approaches), largest first."""
    if len(members) < FAMILY_MIN_MEMBERS:
        return []
    from sklearn.cluster import AgglomerativeClustering

    k = min(MAX_FAMILIES, len(members) // 4)
    labels = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(vectors[members])
    groups = sorted(
        ([members[i] for i in np.flatnonzero(labels == lab)] for lab in set(labels.tolist())),
        key=lambda g: (-len(g), g[0]),
    )
    names: list[str] = []
    for group in groups:
        if len(group) < 2:
            continue
        name = titles.family(group, leaf_name, {phrase_key(n) for n in names})
        if name:
            names.append(name)
    return names


def _evidence(doc: Document, paper_id: str, phrases: list[str]) -> dict[str, str]:
    """The paper's sentence that best states its contribution in the leaf's terms."""
    candidates = [s for s in doc.sentences if s.in_title or s.contribution] or doc.sentences

    def weight(text: str) -> int:
        low = text.lower()
        return sum(1 for p in phrases[:8] if p in low)

    best = max(candidates, key=lambda s: (weight(s.text), s.contribution, -s.index))
    quote = best.text.strip()
    if len(quote) > 400 or len(quote) < 3:
        quote = doc.title.strip()[:400]
    return {"paper_id": paper_id, "quote": quote}
