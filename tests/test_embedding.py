"""The local model's static paper embedding and how the relevance head uses it."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from pipeline.local_model import LocalModel
from pipeline.local_model.embedding import (
    DIMS,
    TOKENIZER_PATH,
    VECTORS_PATH,
    StaticEmbedding,
    embed,
    load,
    shipped,
)
from pipeline.local_model.learned import (
    EMBEDDING_SCALE,
    Prediction,
    check_embedding,
    decide,
    relevance_features,
    shipped_model,
)
from pipeline.local_model.registry import model_digest
from pipeline.local_model.screen import RelevanceSignal
from pipeline.taxonomy import load_taxonomy

QUANT = "Low-bit weight quantization of large language models for faster inference"
QUANT_TOO = "We quantize LLM weights to 4 bits to cut memory and speed up decoding"
ROBOT = "A humanoid robot learns to walk on rough terrain from simulated experience"


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b)


def test_shipped_embedding_is_a_unit_vector_of_its_dimensions() -> None:
    model = shipped()
    assert model is not None, "pipeline/local_model/embedding.npy ships with the package"
    vector = model.encode(QUANT)
    assert vector.shape == (DIMS,)
    assert vector.dtype == np.float32
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-5)
    assert np.array_equal(vector, model.encode(QUANT))  # deterministic


def test_embedding_places_related_texts_closer_than_unrelated_ones() -> None:
    model = shipped()
    assert model is not None
    a, b, c = model.encode(QUANT), model.encode(QUANT_TOO), model.encode(ROBOT)
    assert _cosine(a, b) > _cosine(a, c) + 0.2


def test_text_with_no_known_piece_embeds_to_zeros() -> None:
    model = shipped()
    assert model is not None
    assert not model.encode("").any()
    assert set(model.tokenizer.encode("😀 ∑", add_special_tokens=False).ids) == {model.unk}
    assert not model.encode("😀 ∑").any()  # unknown pieces are dropped, as model2vec does


def test_embedding_is_the_mean_of_word_piece_vectors() -> None:
    """The definition (model2vec's StaticModel.encode), checked on a tiny hand-made model."""

    class Tokens:
        def token_to_id(self, token: str) -> int | None:
            return 0 if token == "[UNK]" else None

        def encode(self, text: str, add_special_tokens: bool = False) -> object:
            ids = [{"a": 1, "b": 2}.get(word, 0) for word in text.split()]
            return type("Encoding", (), {"ids": ids})()

    vectors = np.array([[9.0, 9.0], [1.0, 0.0], [0.0, 3.0]], dtype=np.float16)
    model = StaticEmbedding(vectors, Tokens())
    # "zzz" is unknown (id 0) and dropped; the mean of [1, 0] and [0, 3] is [0.5, 1.5].
    expected = np.array([0.5, 1.5]) / np.linalg.norm([0.5, 1.5])
    assert model.encode("a zzz b") == pytest.approx(expected)


def test_embed_reads_title_then_abstract() -> None:
    model = load(VECTORS_PATH, TOKENIZER_PATH)
    got = embed("Pruning", "We prune weights.")
    assert got is not None
    assert np.array_equal(got, model.encode("Pruning. We prune weights."))


def test_relevance_features_carry_the_scaled_embedding() -> None:
    signal = RelevanceSignal(
        leaf=1.0, efficiency=1.0, ml_sentences=1, loose_ml_sentences=0, off_topic=0.0,
        domain=0.0, out_of_scope=0.0, title_only=False,
    )  # fmt: skip
    features = relevance_features({}, signal, {}, np.array([0.5, -0.25], dtype=np.float32))
    assert features["e:0"] == pytest.approx(0.5 * EMBEDDING_SCALE)
    assert features["e:1"] == pytest.approx(-0.25 * EMBEDDING_SCALE)
    assert not any(k.startswith("e:") for k in relevance_features({}, signal, {}))


def test_shipped_relevance_head_uses_the_embedding() -> None:
    model = shipped_model()
    assert model is not None
    assert model.uses_embedding


def test_the_head_vetoes_what_the_rules_let_in_and_adds_only_when_sure() -> None:
    model = shipped_model()
    assert model is not None
    leaf = load_taxonomy().leaf_ids[0]

    def answer(rules_say: bool, probability: float, title_only: bool = False) -> bool:
        signal = RelevanceSignal(
            leaf=5.0 if rules_say else 0.0, efficiency=5.0 if rules_say else 0.0,
            ml_sentences=2, loose_ml_sentences=0, off_topic=0.0, domain=0.0,
            out_of_scope=0.0, title_only=title_only,
        )  # fmt: skip
        assert signal.relevant is (rules_say and not title_only)
        prediction = Prediction(probability, {leaf: 0.9}, {leaf: 1.0})
        return decide(model, prediction, [leaf], signal, leaf).relevant

    t, sure = model.relevance_threshold, model.relevance_override
    assert t < sure < 1.0  # the shipped weights let a sure head override the rules
    assert answer(True, min(1.0, t + 0.05))
    assert not answer(True, max(0.0, t - 0.05))
    assert answer(False, sure)
    assert not answer(False, sure - 0.05)
    assert not answer(False, 0.99, title_only=True)  # never on the title alone


def test_embedding_files_are_part_of_the_model_version(tmp_path: Path) -> None:
    copy = tmp_path / "local_model"
    shutil.copytree(VECTORS_PATH.parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = model_digest(copy)
    vectors = np.load(copy / "embedding.npy")
    vectors[0, 0] += 1
    np.save(copy / "embedding.npy", vectors)
    assert model_digest(copy) != before


def test_the_head_doubts_an_off_topic_paper_the_rules_let_in() -> None:
    """Image dehazing that calls itself lightweight and efficient: the rules count those words,
    the learned head (words, rule signals, embedding) gives the image-restoration paper less than
    even odds and a quantization paper more. Whether that doubt is a veto is the refitted veto
    threshold's call: the weights of stop 34 (threshold 0.2) vetoed this paper, those of stop 35
    (0.15, fitted on 470 more papers) keep it."""
    taxonomy = load_taxonomy()
    model = LocalModel(taxonomy)
    assert model.learned is not None
    title = "Frequency-Guided Fusion Network for Efficient Image Dehazing"
    abstract = (
        "Haze degrades outdoor images. We propose a lightweight fusion network that combines a "
        "state space model with convolutions and a frequency prior to restore clear images. "
        "Experiments on four benchmarks show higher PSNR than prior dehazing methods with an "
        "efficient design."
    )

    def head(title: str, abstract: str) -> float:
        a = model.analyse(title, abstract)
        assert model.learned is not None
        return model.learned.predict(a.doc, a.scores, a.signal, list(a.rule_leaves)).relevance

    assert LocalModel(taxonomy, rules_only=True).screen(title, abstract)["relevant"] is True
    assert head(title, abstract) < 0.5 < head(QUANT, f"{QUANT_TOO}. {QUANT}.")
    kept = model.screen(QUANT, f"{QUANT_TOO}. {QUANT}.")
    assert kept["relevant"] is True


def test_weights_that_read_the_embedding_need_it(tmp_path: Path) -> None:
    model = shipped_model()
    embedding = shipped()
    assert model is not None and embedding is not None
    check_embedding(model, embedding)  # the shipped pair fits
    with pytest.raises(FileNotFoundError, match="make embedding"):
        check_embedding(model, None)
    smaller = StaticEmbedding(embedding.vectors[:, : DIMS // 2], embedding.tokenizer)
    with pytest.raises(ValueError, match="make train-local"):
        check_embedding(model, smaller)
    assert model.embedding == embedding.digest  # the weights record what they were fitted on
    rebuilt = StaticEmbedding(embedding.vectors, embedding.tokenizer, digest="0" * 16)
    with pytest.raises(ValueError, match="fitted on the paper embedding"):
        check_embedding(model, rebuilt)


def test_vectors_that_do_not_fit_the_tokenizer_are_refused(tmp_path: Path) -> None:
    vectors = np.load(VECTORS_PATH)
    np.save(tmp_path / "short.npy", vectors[:100])
    with pytest.raises(ValueError, match="make embedding"):
        load(tmp_path / "short.npy", TOKENIZER_PATH)
