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
- ``pca16``: its first 16 principal components over the training papers, standardised, one
  copy per level;
- ``proto``: the paper's cosine to the mean embedding of the training papers of that level
  minus its cosine to the mean of the other in-scope training papers, standardised over the
  training papers (one feature per level, a training paper's own vector left out of the means);
- ``knn``: the similarity-weighted share of the paper's ``K`` nearest in-scope training papers
  (by cosine, itself excluded) that belong to the level; ``knn25`` the same with 25.

Everything made from training papers (means, neighbours) is made from the training part of
each fit only, inner folds included (``LevelExtra``). Relevance and the primary are the rules'
whatever the levels head reads (``decide`` keeps them), so their held-out figures are the same
for every variant; they are printed once. Prints, per variant, each seed's held-out levels F1
and fitted − held-out gap and their mean over the seeds, in one run so they are comparable.

``--relevance`` also decides relevance by a logistic model over the rules' relevance signals
(``relevance_features`` without words; its threshold chosen by inner-CV F1 on the training
folds) alone and plus an embedding's ``proto`` or ``knn`` vote for "relevant", on the same
folds, against the rules' own decision, with the primary lenient that follows (the rules'
primary of the papers screened in). ``--ways`` with no name skips the levels variants.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.cross_validate import labelled_sets  # noqa: E402
from bench.levels_errors import cross_validate, gold_levels, pooled_f1  # noqa: E402
from pipeline.local_model.learned import Head, relevance_features  # noqa: E402
from pipeline.local_model.training import (  # noqa: E402
    INNER_FOLDS,
    Analysed,
    Example,
    LevelExtra,
    LevelFeatures,
    analyse,
    folds,
)
from pipeline.taxonomy import load_taxonomy  # noqa: E402

K = 10
PCA = 16
WAYS = ["proj", "proj/4", "pca16", "proto", "knn", "knn25"]


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

    if way == "pca16":

        def make_pca(train: list[Analysed]) -> LevelFeatures:
            matrix = np.stack([vector(t) for t in train])
            mean = matrix.mean(axis=0)
            _, _, axes = np.linalg.svd(matrix - mean, full_matrices=False)
            axes = axes[:PCA]
            spread = ((matrix - mean) @ axes.T).std(axis=0) + 1e-9

            def more(item: Analysed, level: str) -> dict[str, float]:
                z = ((vector(item) - mean) @ axes.T) / spread
                return {f"pca|{level}|{i}": float(x) for i, x in enumerate(z)}

            return more

        return make_pca

    def make_votes(train: list[Analysed]) -> LevelFeatures:
        pool = [t for t in train if t.example.relevant]
        member = np.array([[level in gold_levels(t) for level in levels] for t in pool], float)
        votes = label_votes(way, vector, pool, member)

        def more(item: Analysed, level: str) -> dict[str, float]:
            value = float(votes(item)[levels.index(level)])
            return {f"{way}|{level}": value, way: value}

        return more

    return make_votes


def label_votes(
    way: str, vector: Callable[[Analysed], Any], pool: list[Analysed], member: Any
) -> Callable[[Analysed], Any]:
    """Per label (the columns of ``member``, one row per ``pool`` paper), what ``way`` makes of a
    paper's embedding and the pool's (a pool paper's own row left out):

    - ``proto``: cosine to the mean of the label's papers minus cosine to the mean of the
      others, standardised over the pool (static embeddings of papers are all alike, so the
      raw differences are small);
    - ``knn``/``knn25``: the similarity-weighted share of the 10/25 nearest pool papers that
      have the label.
    """
    import numpy as np

    if way not in ("proto", "knn", "knn25"):
        raise SystemExit(f"unknown way {way!r}: one of {WAYS}")
    matrix = np.stack([vector(t) for t in pool])
    position = {id(t): i for i, t in enumerate(pool)}
    sums, counts = member.T @ matrix, member.sum(axis=0)  # per label: sum of vectors, papers
    total = matrix.sum(axis=0)
    k = K if way == "knn" else 25

    def raw(item: Analysed) -> Any:
        v = vector(item)
        if way != "proto":
            sims = matrix @ v
            if id(item) in position:
                sims[position[id(item)]] = -np.inf
            nearest = np.argsort(-sims, kind="stable")[:k]
            weights = np.clip(sims[nearest], 0.0, None)
            mass = weights.sum()
            return (weights @ member[nearest]) / mass if mass > 0 else np.zeros(len(counts))
        inside, n_in = sums, counts
        outside, n_out = total - sums, len(pool) - counts
        if id(item) in position:
            own = member[position[id(item)]][:, None]
            inside, n_in = inside - own * v, n_in - own[:, 0]
            outside, n_out = outside - (1 - own) * v, n_out - (1 - own[:, 0])
        return np.array([
            _cosine(v, a) - _cosine(v, b) if m and n else 0.0
            for a, b, m, n in zip(inside, outside, n_in, n_out, strict=True)
        ])  # fmt: skip

    if way != "proto":
        return raw
    values = np.stack([raw(t) for t in pool])
    mean, spread = values.mean(axis=0), values.std(axis=0) + 1e-9
    return lambda item: (raw(item) - mean) / spread


RelevanceExtra = Callable[[list[Analysed]], Callable[[Analysed], dict[str, float]]]


def relevance_extra(way: str, vectors: Any, items: list[Analysed]) -> RelevanceExtra:
    """Embedding features of the relevance decision, made from the scored training papers."""
    import numpy as np

    row = {id(item): i for i, item in enumerate(items)}

    def make(train: list[Analysed]) -> Callable[[Analysed], dict[str, float]]:
        pool = [t for t in train if t.example.relevant is not None]
        member = np.array([[bool(t.example.relevant)] for t in pool], float)
        votes = label_votes(way, lambda item: vectors[row[id(item)]], pool, member)
        return lambda item: {f"{way}|relevant": float(votes(item)[0])}

    return make


def relevance_cv(
    items: list[Analysed], seed: int, extra: RelevanceExtra | None
) -> tuple[float, float]:
    """Held-out relevance F1 of a logistic decision over the rules' relevance signals (no
    words) plus ``extra``, its threshold chosen by inner-CV F1 on the training folds, and the
    primary lenient that gives (the rules' primary of the papers it screens in)."""
    from pipeline.local_model.training import C_RELEVANCE, _logistic, best_threshold

    def fit(train: list[Analysed]) -> Callable[[Analysed], float]:
        scored = [t for t in train if t.example.relevant is not None]
        more = extra(train) if extra else None

        def features(item: Analysed) -> dict[str, float]:
            base = relevance_features({}, item.signal, item.scores)
            return {**base, **more(item)} if more else base

        data = _logistic([features(t) for t in scored],
                         [int(bool(t.example.relevant)) for t in scored], C_RELEVANCE)  # fmt: skip
        head = Head(data["weights"], data["bias"])
        return lambda item: head.probability(features(item))

    def f1(chosen: list[Analysed], p: list[float], threshold: float) -> float:
        pairs = [(q >= threshold, bool(t.example.relevant)) for t, q in zip(chosen, p, strict=True)
                 if t.example.relevant is not None]  # fmt: skip
        tp = sum(got and want for got, want in pairs)
        return 2 * tp / (sum(g for g, _ in pairs) + sum(w for _, w in pairs))

    held = [0.0] * len(items)
    for test in folds(items, seed=seed):
        inside = set(test)
        train = [item for i, item in enumerate(items) if i not in inside]
        oof = [0.0] * len(train)
        for inner in folds(train, INNER_FOLDS):
            inner_set = set(inner)
            model = fit([t for i, t in enumerate(train) if i not in inner_set])
            for i in inner:
                oof[i] = model(train[i])
        threshold, _ = best_threshold(lambda t, train=train, oof=oof: f1(train, oof, t))
        model = fit(train)
        for i in test:
            held[i] = float(model(items[i]) >= threshold)
    relevant = [(t, h) for t, h in zip(items, held, strict=True) if t.example.relevant]
    lenient = sum(bool(h and t.rule_leaves and t.rule_leaves[0] in t.example.leaves)
                  for t, h in relevant)  # fmt: skip
    return f1(items, held, 0.5), lenient / len(relevant)


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
    parser.add_argument("--relevance", action="store_true",
                        help="also: relevance decided from the rules' signals plus embeddings")
    args = parser.parse_args()
    taxonomy = load_taxonomy()
    # the 601 papers of the dumps and classics its README figures were measured on
    sets = labelled_sets(ROOT / "dumps", extern=False)
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
    if args.relevance:
        relevance_table(args.dir, names, items, seeds)


def relevance_table(directory: Path, names: list[str], items: list[Analysed], seeds: range) -> None:
    """Held-out relevance F1 per seed and mean: the rules' signals alone, then plus embeddings."""
    rules, lenient = rules_scores(items)
    print(f"relevance F1 / primary lenient held out (the rules: {rules:.3f} / {lenient:.3f})"
          + "".join(f"       seed {s}" for s in seeds) + "          mean", flush=True)  # fmt: skip
    variants: list[tuple[str, RelevanceExtra | None]] = [("learned over rule signals", None)]
    for name in names:
        vectors = load_vectors(directory, name, items)
        variants += [(f"  + {name} {way}", relevance_extra(way, vectors, items))
                     for way in ("proto", "knn")]  # fmt: skip
    for label, extra in variants:
        runs = [relevance_cv(items, seed, extra) for seed in seeds]
        cells = "".join(f"   {f:.3f} / {p:.3f}" for f, p in runs)
        mean_f, mean_p = (sum(r[i] for r in runs) / len(runs) for i in (0, 1))
        print(f"{label:62}{cells}   {mean_f:.4f} / {mean_p:.4f}", flush=True)


if __name__ == "__main__":
    main()
