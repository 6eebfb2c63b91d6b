"""Induced taxonomy vs TF-IDF + k-means vs a BERTopic-style topic model, on the same papers.

    .venv/bin/python bench/taxonomy_induction.py [--dumps dumps] [--cache-dir DIR]

Induces a taxonomy of the relevant papers of the dumps (local model, through the seam and its
cache; once with the seed taxonomy's leaves as a start, once from the levels only), then
clusters the same papers with the baselines (pipeline.evaluate_taxonomy: TF-IDF + k-means, and
BERTopic's pipeline over LSA vectors with k-means or with HDBSCAN as cluster model; k = the induced
leaf count, and k = 20, the number of leaves of the hand-written taxonomy), and prints NMI, ARI
and purity against the gold primaries of each gold file (relevant gold papers in the corpus).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.evaluate import normalize_title  # noqa: E402
from pipeline.evaluate_taxonomy import (  # noqa: E402
    cluster_scores,
    gold_primaries,
    tfidf_kmeans,
    topic_model,
    topic_model_kmeans,
)
from pipeline.seam import ModelConfig, resolve_cache_dir  # noqa: E402
from pipeline.taxonomy import load_taxonomy  # noqa: E402
from pipeline.taxonomy_jobs import TaxonomyJob, induce_job  # noqa: E402

GOLDS = [
    ROOT.parent / "shared" / "eval" / "dev-gold.jsonl",
    ROOT / "tests" / "fixtures" / "labels" / "seed-gold.jsonl",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dumps", type=Path, default=ROOT / "dumps")
    parser.add_argument("--cache-dir", type=Path, default=None)
    args = parser.parse_args()
    job = TaxonomyJob(
        paths=[args.dumps],
        cache_dir=resolve_cache_dir(args.cache_dir),
        taxonomy=load_taxonomy(None),
        models={"default": ModelConfig()},
        outputs=ROOT / "outputs",
    )
    runs: dict[str, dict[str, str]] = {}
    start = time.perf_counter()
    seeded = induce_job(job, use_existing_leaves=True, max_leaves=30)
    print(
        f"induce (seeded): {time.perf_counter() - start:.1f}s, {len(seeded.proposal.leaves)} leaves"
    )
    start = time.perf_counter()
    scratch = induce_job(job, use_existing_leaves=False, max_leaves=30)
    print(f"induce (levels only): {time.perf_counter() - start:.1f}s, "
          f"{len(scratch.proposal.leaves)} leaves")  # fmt: skip
    records = {r.id: r for r in seeded.corpus.relevant}
    ids = sorted(records)
    titles = [normalize_title(records[i].title) for i in ids]
    texts = [f"{records[i].title}. {records[i].abstract}" for i in ids]
    for name, induced in (("induced (seeded)", seeded), ("induced (levels only)", scratch)):
        members = induced.proposal.members()
        runs[name] = {normalize_title(records[i].title): members[i] for i in ids if i in members}
    for k in sorted({len(seeded.proposal.leaves), 20}):
        runs[f"TF-IDF + k-means, k={k}"] = dict(
            zip(titles, map(str, tfidf_kmeans(texts, k)), strict=True)
        )
        runs[f"BERTopic-style k-means, k={k}"] = dict(
            zip(titles, map(str, topic_model_kmeans(texts, k)), strict=True)
        )
        runs[f"BERTopic-style HDBSCAN, k<={k}"] = dict(
            zip(titles, map(str, topic_model(texts, k)), strict=True)
        )
    for gold_path in GOLDS:
        gold = gold_primaries([json.loads(line) for line in gold_path.read_text().splitlines()])
        print(f"\n{gold_path.name}: {sum(t in runs['induced (seeded)'] for t in gold)} relevant "
              "gold papers in the corpus")  # fmt: skip
        print(f"{'method':32s} {'NMI':>6s} {'ARI':>6s} {'purity':>7s} {'clusters':>8s}")
        for name, clusters in runs.items():
            s = cluster_scores(gold, clusters)
            print(f"{name:32s} {s.nmi:6.3f} {s.ari:6.3f} {s.purity:7.3f} {s.clusters:8d}")
    print("\nseeded leaves:")
    for leaf in seeded.proposal.leaves:
        print(f"  {leaf.id:40s} {len(leaf.members):4d}  {leaf.name}")
    print("levels-only leaves:")
    for leaf in scratch.proposal.leaves:
        print(f"  {leaf.id:40s} {len(leaf.members):4d}  {leaf.name}")


if __name__ == "__main__":
    main()
