"""Taxonomy scores: how well a partition of the papers (induced leaves, or any clustering)
recovers the labelled primary leaves, and the baselines an induced taxonomy must beat.

NMI (arithmetic normalisation) and ARI as scikit-learn computes them; purity maps each cluster
to its most frequent gold primary and counts the papers that match. Scored papers: gold-relevant
papers (``relevant: true`` with a primary) that the partition places in a cluster.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from pipeline.evaluate import normalize_title


@dataclass(frozen=True)
class ClusterScores:
    nmi: float
    ari: float
    purity: float
    papers: int
    clusters: int
    gold_leaves: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "nmi": self.nmi, "ari": self.ari, "purity": self.purity, "papers": self.papers,
            "clusters": self.clusters, "gold_leaves": self.gold_leaves,
        }  # fmt: skip


def gold_primaries(gold: list[dict[str, Any]]) -> dict[str, str]:
    """Normalized title -> gold primary, for the gold-relevant papers."""
    return {
        normalize_title(g["title"]): g["primary"]
        for g in gold
        if g.get("relevant") is True and g.get("primary")
    }


def cluster_scores(gold: dict[str, str], clusters: dict[str, str]) -> ClusterScores:
    """Scores of ``clusters`` (normalized title -> cluster) against ``gold`` (title -> leaf)."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    titles = sorted(t for t in gold if t in clusters)
    truth = [gold[t] for t in titles]
    found = [clusters[t] for t in titles]
    if not titles:
        return ClusterScores(0.0, 0.0, 0.0, 0, 0, 0)
    by_cluster: dict[str, Counter[str]] = {}
    for leaf, cluster in zip(truth, found, strict=True):
        by_cluster.setdefault(cluster, Counter())[leaf] += 1
    purity = sum(max(c.values()) for c in by_cluster.values()) / len(titles)
    return ClusterScores(
        nmi=float(normalized_mutual_info_score(truth, found)),
        ari=float(adjusted_rand_score(truth, found)),
        purity=purity,
        papers=len(titles),
        clusters=len(by_cluster),
        gold_leaves=len(set(truth)),
    )


def prediction_clusters(pred: list[dict[str, Any]]) -> dict[str, str]:
    """Normalized title -> predicted primary, for predictions marked relevant."""
    return {
        normalize_title(p["title"]): str(p["primary"])
        for p in pred
        if p.get("relevant") is True and p.get("primary")
    }


# ------------------------------------------------------------------------------ baselines
def _tfidf(texts: list[str]) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        sublinear_tf=True, stop_words="english", min_df=2, max_df=0.5, ngram_range=(1, 2)
    ).fit_transform(texts)


def tfidf_kmeans(texts: list[str], k: int) -> list[int]:
    """Plain TF-IDF (title + abstract) and k-means (k-means++, 10 restarts, seed 0)."""
    from sklearn.cluster import KMeans

    model = KMeans(n_clusters=k, n_init=10, random_state=0)
    return [int(x) for x in model.fit_predict(_tfidf(texts))]


def topic_model_kmeans(texts: list[str], k: int) -> list[int]:
    """BERTopic configured with k-means as its cluster model (a documented BERTopic setup) and
    no dimension reduction, over LSA document vectors (TF-IDF reduced by SVD to 50 dimensions,
    unit length) instead of sentence embeddings. c-TF-IDF then names the topics; it does not
    move papers, so the assignment is the k-means one."""
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    lsa = normalize(TruncatedSVD(n_components=50, random_state=0).fit_transform(_tfidf(texts)))
    return [int(x) for x in KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(lsa)]


def topic_model(texts: list[str], k: int) -> list[int]:
    """BERTopic's pipeline without neural embeddings: LSA document vectors (TF-IDF reduced by
    SVD to 50 dimensions, unit length) instead of sentence embeddings, reduced to 5 dimensions
    (SVD, standing in for UMAP), clustered by HDBSCAN (min cluster size 5); outliers go to the
    topic whose c-TF-IDF vector is most similar (BERTopic's reduce_outliers, c-tf-idf strategy),
    then the most similar topics are merged until k remain (BERTopic's reduce_topics)."""
    from sklearn.cluster import HDBSCAN
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.preprocessing import normalize

    tfidf = _tfidf(texts)
    lsa = normalize(TruncatedSVD(n_components=50, random_state=0).fit_transform(tfidf))
    low = TruncatedSVD(n_components=5, random_state=0).fit_transform(lsa)
    labels = HDBSCAN(min_cluster_size=5, copy=True).fit_predict(low)
    counts = CountVectorizer(stop_words="english", min_df=2).fit_transform(texts).tocsr()

    def ctfidf(labels: np.ndarray) -> tuple[list[int], np.ndarray]:
        topics = sorted(set(int(x) for x in labels if x >= 0))
        tf = np.vstack([np.asarray(counts[labels == t].sum(axis=0)).ravel() for t in topics])
        average = tf.sum() / max(1, len(topics))
        idf = np.log(1 + average / np.maximum(tf.sum(axis=0), 1))
        return topics, normalize(tf * idf)

    labels = np.asarray(labels)
    if (labels >= 0).sum() == 0:  # no dense region at all: one topic
        return [0] * len(texts)
    topics, vectors = ctfidf(labels)
    if (labels < 0).any():
        docs = normalize(counts[labels < 0].toarray().astype(float))
        labels[labels < 0] = [topics[int(i)] for i in np.argmax(docs @ vectors.T, axis=1)]
    while len(set(labels.tolist())) > k:
        topics, vectors = ctfidf(labels)
        similarity = vectors @ vectors.T
        np.fill_diagonal(similarity, -1.0)
        sizes = [int((labels == t).sum()) for t in topics]
        smallest = int(np.argmin(sizes))  # the smallest topic joins its most similar one
        target = topics[int(np.argmax(similarity[smallest]))]
        labels[labels == topics[smallest]] = target
    return [int(x) for x in labels]
