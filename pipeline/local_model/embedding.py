"""A static sentence embedding of a paper's title and abstract (numpy and tokenizers only).

The vectors are a model2vec static model distilled from all-MiniLM-L6-v2 (Apache-2.0) with PCA
to ``DIMS`` dimensions: one float16 vector per word piece of MiniLM's tokenizer. A text's
embedding is the mean of its word pieces' vectors (the first ``MAX_TOKENS``, unknown pieces
dropped), L2-normalised: what ``model2vec.StaticModel.encode`` computes, without torch at
answer time. The files ship with the package (``embedding.npy``, ``embedding-tokenizer.json``)
and are rebuilt by ``make embedding`` (bench/build_embedding.py, in a virtualenv of its own with
torch, sentence-transformers and model2vec, at development time only). Their bytes are part of the
local model's version (registry.model_digest), so a rebuilt file re-keys cached answers.

Used by the relevance head (learned.relevance_features): word counts say which topic words a
paper uses; the embedding says what the paper is about when its words are new, which is where a
head fitted to efficiency-search results failed on papers from general arXiv listings
(tests/fixtures/extern, bench/relevance_cv.py).
"""

from __future__ import annotations

import hashlib
import io
import threading
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
VECTORS_PATH = HERE / "embedding.npy"
TOKENIZER_PATH = HERE / "embedding-tokenizer.json"
DIMS = 128
MAX_TOKENS = 512
_LOCK = threading.Lock()


class StaticEmbedding:
    """Mean of word-piece vectors, L2-normalised."""

    def __init__(self, vectors: np.ndarray, tokenizer: Any, digest: str = "") -> None:
        self.vectors = vectors
        self.tokenizer = tokenizer
        self.digest = digest  # of the files it was loaded from (weights record what they read)
        unk = tokenizer.token_to_id("[UNK]")
        self.unk = -1 if unk is None else int(unk)

    def encode(self, text: str) -> np.ndarray:
        """The text's embedding (float32, unit length; zeros when no piece is known)."""
        with _LOCK:  # a tokenizers.Tokenizer with truncation set is shared between threads
            ids = self.tokenizer.encode(text, add_special_tokens=False).ids
        kept = [i for i in ids if i != self.unk]
        if not kept:
            return np.zeros(self.vectors.shape[1], dtype=np.float32)
        mean = self.vectors[np.asarray(kept, dtype=np.int64)].astype(np.float32).mean(axis=0)
        norm = float(np.linalg.norm(mean))
        return mean / norm if norm > 0 else mean


def load(
    vectors_path: Path = VECTORS_PATH, tokenizer_path: Path = TOKENIZER_PATH
) -> StaticEmbedding:
    """The embedding in the two files (each read once; their digest is of the bytes read)."""
    from tokenizers import Tokenizer

    vector_bytes, tokenizer_bytes = vectors_path.read_bytes(), tokenizer_path.read_bytes()
    tokenizer = Tokenizer.from_str(tokenizer_bytes.decode("utf-8"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)
    vectors = np.load(io.BytesIO(vector_bytes), allow_pickle=False)
    pieces = tokenizer.get_vocab_size()
    if vectors.ndim != 2 or vectors.shape != (pieces, DIMS):
        raise ValueError(
            f"{vectors_path}: vectors of shape {vectors.shape} do not fit {tokenizer_path.name}'s "
            f"{pieces} word pieces x {DIMS} dimensions: rebuild both with `make embedding`, then "
            "refit the weights with `make train-local`"
        )
    digest = hashlib.sha256(vector_bytes + tokenizer_bytes).hexdigest()[:16]
    return StaticEmbedding(vectors, tokenizer, digest)


@cache
def shipped() -> StaticEmbedding | None:
    """The embedding shipped with the package, or None when its files are absent."""
    if not (VECTORS_PATH.exists() and TOKENIZER_PATH.exists()):
        return None
    return load()


def embed(title: str, abstract: str) -> np.ndarray | None:
    """The paper's embedding ("title. abstract"), or None without a shipped embedding."""
    model = shipped()
    return None if model is None else model.encode(f"{title}. {abstract}")
