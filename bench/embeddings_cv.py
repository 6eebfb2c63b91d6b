"""Do sentence embeddings help the levels head generalise? (issue 14)

    .venv/bin/python bench/embeddings_cv.py --write-texts /work/emb/texts.jsonl
    /work/emb-venv/bin/python bench/embed_texts.py /work/emb      # see its docstring
    .venv/bin/python bench/embeddings_cv.py /work/emb [--seeds 4] [--only minilm m2v64]

The cross-validation of ``bench/levels_errors.py`` (the same 5 outer folds of every labelled
paper, fold seeds 0..N-1; on each, the levels head's C and threshold chosen by the inner
cross-validation of ``pipeline.local_model.training.choose_levels`` on the training folds), once
with the cue scores alone (what ships) and once per embedding file ``DIR/<name>.npy`` (one
L2-normalised row per line of ``DIR/texts.jsonl``, matched to a paper by title and text) and
per way of reading it, added to the cue-score features of every (paper, level) row:

- ``proj``: the embedding itself, each dimension standardised over the training papers, one
  copy per level (``emb|<level>|<i>``): a learned projection of it for each level; ``proj/4``
  the same at a quarter of the scale (so four times as regularised as the cue scores);
- ``proto``: the paper's cosine to the mean embedding of the training papers of that level
  minus its cosine to the mean of the other in-scope training papers, standardised over the
  training papers (one feature per level, a training paper's own vector left out of the means);
- ``knn``: the similarity-weighted share of the paper's ``K`` nearest in-scope training papers
  (by cosine, itself excluded) that belong to the level.

Everything made from training papers (means, neighbours) is made from the training part of
each fit only, inner folds included (``LevelExtra``). Relevance and the primary are the rules'
whatever the levels head reads (``decide`` keeps them), so their held-out figures are the same
for every variant; they are printed once. Prints, per variant, each seed's held-out levels F1
and fitted − held-out gap and their mean over the seeds, in one run so they are comparable.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.cross_validate import labelled_sets  # noqa: E402
from bench.levels_errors import cross_validate, gold_levels, pooled_f1  # noqa: E402
from pipeline.local_model.training import (  # noqa: E402
    Analysed,
    Example,
    LevelExtra,
    LevelFeatures,
    analyse,
)
from pipeline.taxonomy import load_taxonomy  # noqa: E402

K = 10
WAYS = ["proj", "proj/4", "proto", "knn"]


def text_of(example: Example) -> str:
    return f"{example.title}. {example.abstract}"


def write_texts(path: Path, examples: list[Example]) -> None:
    """One line per distinct (title, text) of the labelled papers, in a stable order."""
    seen = dict.fromkeys((e.title, text_of(e)) for e in examples)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for title, text in seen:
            out.write(json.dumps({"title": title, "text": text}, ensure_ascii=False) + "\n")
    print(f"wrote {len(seen)} texts to {path}")


def load_vectors(directory: Path, name: str, items: list[Analysed]) -> Any:
    """The rows of ``DIR/<name>.npy`` for ``items``, in their order."""
    import numpy as np

    rows = [json.loads(line) for line in (directory / "texts.jsonl").read_text().splitlines()]
    index = {(row["title"], row["text"]): i for i, row in enumerate(rows)}
    matrix = np.load(directory / f"{name}.npy")
    if matrix.shape[0] != len(rows):
        raise SystemExit(f"{name}.npy has {matrix.shape[0]} rows for {len(rows)} texts")
    try:
        return matrix[[index[(it.example.title, text_of(it.example))] for it in items]]
    except KeyError as missing:
        raise SystemExit(f"{missing} has no embedding: rerun --write-texts and embed") from None


def extra_for(way: str, vectors: Any, items: list[Analysed]) -> LevelExtra:
    """The ``LevelExtra`` reading ``vectors`` (one row per item) one ``way``."""
    import numpy as np

    row = {id(item): i for i, item in enumerate(items)}
    levels = sorted({level for item in items for level in gold_levels(item)})

    def vector(item: Analysed) -> Any:
        return vectors[row[id(item)]]

    if way in ("proj", "proj/4"):
        scale = 1.0 if way == "proj" else 0.25

        def make_proj(train: list[Analysed]) -> LevelFeatures:
            matrix = np.stack([vector(t) for t in train])
            mean, spread = matrix.mean(axis=0), matrix.std(axis=0) + 1e-6

            def more(item: Analysed, level: str) -> dict[str, float]:
                z = scale * (vector(item) - mean) / spread
                return {f"emb|{level}|{i}": float(x) for i, x in enumerate(z)}

            return more

        return make_proj

    def in_scope(train: list[Analysed]) -> tuple[list[Analysed], Any, Any]:
        pool = [t for t in train if t.example.relevant]
        member = np.array([[level in gold_levels(t) for level in levels] for t in pool], float)
        return pool, np.stack([vector(t) for t in pool]), member

    if way == "proto":

        def make_proto(train: list[Analysed]) -> LevelFeatures:
            pool, matrix, member = in_scope(train)
            position = {id(t): i for i, t in enumerate(pool)}
            sums = member.T @ matrix  # (levels, dim): sum of the level's papers' vectors
            total = matrix.sum(axis=0)
            counts = member.sum(axis=0)

            def raw(item: Analysed, level: str) -> float:
                j = levels.index(level)
                v = vector(item)
                inside, n_in = sums[j], counts[j]
                outside, n_out = total - sums[j], len(pool) - counts[j]
                if id(item) in position:  # a training paper: leave its own vector out
                    own = member[position[id(item)], j]
                    inside, n_in = inside - own * v, n_in - own
                    outside, n_out = outside - (1 - own) * v, n_out - (1 - own)
                return _cosine(v, inside) - _cosine(v, outside) if n_in and n_out else 0.0

            # The differences are small (static embeddings of papers are all alike): standardise
            # each level's by its spread over the training papers.
            spread = {}
            for level in levels:
                values = np.array([raw(t, level) for t in pool])
                spread[level] = (float(values.mean()), float(values.std()) + 1e-9)

            def more(item: Analysed, level: str) -> dict[str, float]:
                value = (raw(item, level) - spread[level][0]) / spread[level][1]
                return {f"proto|{level}": value, "proto": value}

            return more

        return make_proto

    def make_knn(train: list[Analysed]) -> LevelFeatures:
        pool, matrix, member = in_scope(train)
        position = {id(t): i for i, t in enumerate(pool)}
        cache: dict[int, Any] = {}

        def votes(item: Analysed) -> Any:
            if id(item) not in cache:
                sims = matrix @ vector(item)
                if id(item) in position:
                    sims[position[id(item)]] = -np.inf
                nearest = np.argsort(-sims, kind="stable")[:K]
                weights = np.clip(sims[nearest], 0.0, None)
                total = weights.sum()
                cache[id(item)] = (weights @ member[nearest]) / total if total > 0 else 0 * weights
            return cache[id(item)]

        def more(item: Analysed, level: str) -> dict[str, float]:
            value = float(votes(item)[levels.index(level)])
            return {f"knn|{level}": value, "knn": value}

        return more

    if way != "knn":
        raise SystemExit(f"unknown way {way!r}: one of {WAYS}")
    return make_knn


def _cosine(a: Any, b: Any) -> float:
    import numpy as np

    norm = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b) / norm if norm else 0.0


def rules_scores(items: list[Analysed]) -> tuple[float, float]:
    """Relevance F1 and primary lenient of the rules (what every variant answers)."""
    tp = predicted = actual = lenient = 0
    for item in items:
        gold = item.example.relevant
        if gold is None:
            continue
        got = bool(item.signal.relevant)
        tp, predicted, actual = tp + (got and gold), predicted + got, actual + bool(gold)
        lenient += bool(gold and got and item.rule_leaves[0] in item.example.leaves)
    return 2 * tp / (predicted + actual), lenient / actual


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dir", type=Path, nargs="?", help="texts.jsonl and <name>.npy files")
    parser.add_argument("--seeds", type=int, default=4, help="outer fold seeds 0..N-1")
    parser.add_argument("--only", nargs="*", help="embedding names (default: every .npy)")
    parser.add_argument("--ways", nargs="*", default=WAYS, choices=WAYS)
    parser.add_argument("--write-texts", type=Path, help="write the texts to embed and stop")
    args = parser.parse_args()
    taxonomy = load_taxonomy()
    sets = labelled_sets(ROOT / "dumps")
    examples = [e for rows in sets.values() for e in rows]
    if args.write_texts:
        write_texts(args.write_texts, examples)
        return
    if args.dir is None:
        parser.error("give the embeddings directory (or --write-texts)")
    items = analyse(examples, taxonomy)
    everyone = list(range(len(items)))
    relevance, lenient = rules_scores(items)
    print(f"{len(items)} papers; relevance F1 {relevance:.3f}, primary lenient {lenient:.3f} "
          "(the rules', every variant)", flush=True)  # fmt: skip
    names = args.only or sorted(p.stem for p in args.dir.glob("*.npy"))
    variants: list[tuple[str, LevelExtra | None]] = [("cue scores alone (shipped)", None)]
    for name in names:
        vectors = load_vectors(args.dir, name, items)
        variants += [(f"{name} {way}", extra_for(way, vectors, items)) for way in args.ways]
    seeds = range(args.seeds)
    print(f"{'variant':32}" + "".join(f"  seed {s} held/gap" for s in seeds)
          + "   mean held/gap", flush=True)  # fmt: skip
    for label, extra in variants:
        held_out, gaps = [], []
        for seed in seeds:
            held, fitted = cross_validate(items, seed, verbose=False, extra=extra)
            held_out.append(pooled_f1(items, held, everyone))
            gaps.append(fitted - held_out[-1])
        cells = "".join(f"     {h:.3f} / {g:.3f}" for h, g in zip(held_out, gaps, strict=True))
        mean_h, mean_g = sum(held_out) / len(held_out), sum(gaps) / len(gaps)
        print(f"{label:32}{cells}     {mean_h:.4f} / {mean_g:.4f}", flush=True)


if __name__ == "__main__":
    main()
