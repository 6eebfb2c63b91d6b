"""Stable ids and citation keys, and the known-keys contract of the living survey."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.ingest import ingest
from pipeline.ingest.keys import assign_keys, base_key, paper_id
from pipeline.ingest.normalize import normalize_title

ABSTRACT = "We make models cheaper to run. It works on every GPU we tried, within one point."


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def write_listing(name: str, *titles: str) -> Path:
    path = Path(name)
    path.write_text("".join(f"{t}\n\n{ABSTRACT}\n\n" for t in titles), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("title", "authors", "year", "key"),
    [
        ("GPTQ: Accurate Post-Training Quantization", ["Frantar, Elias"], 2022, "frantar2022gptq"),
        ("GPTQ: Accurate Post-Training Quantization", ["Elias Frantar"], 2022, "frantar2022gptq"),
        ("GPTQ: Accurate Post-Training Quantization", [], 2022, "gptq2022"),
        ("SmoothQuant: Accurate and Efficient", [], 2023, "smoothquant2023"),
        ("SmoothQuant+: Accurate and Efficient", [], 2023, "smoothquantplus2023"),
        ("The Efficiency Misnomer", [], None, "efficiencymisnomer"),
        ("Open-Sora 2.0: Training a Commercial-Level Video Model", [], None, "opensora"),
        ('Über {\\"O}ffentliche Netze', ['M{\\"u}ller, J{\\"o}rg'], 2019, "muller2019uber"),
        ("70% Size, 100% Accuracy", [], None, "sizeaccuracy"),
        ("?!", [], None, "paper"),
    ],
)
def test_base_key(title: str, authors: list[str], year: int | None, key: str) -> None:
    assert base_key(title, authors, year) == key


def test_id_depends_on_the_normalized_title_only() -> None:
    assert paper_id(normalize_title("Mesa: A Memory-saving Training Framework")) == paper_id(
        normalize_title("MESA: a Memory–Saving training framework!")
    )
    assert paper_id(normalize_title("GPTQ")) == "p" + hashlib.sha1(b"gptq").hexdigest()[:12]
    one = ingest([write_listing("a.txt", "Paper Alpha", "Paper Beta")]).corpus
    two = ingest([write_listing("b.txt", "Paper Zeta", "Paper Beta")]).corpus
    beta = [p.id for p in [*one.papers, *two.papers] if p.title == "Paper Beta"]
    assert len(beta) == 2 and beta[0] == beta[1]


def test_colliding_keys_get_suffixes_in_id_order() -> None:
    keys = assign_keys({"p2": "gptq", "p1": "gptq", "p3": "gptq"}, {})
    assert keys == {"p1": "gptq", "p2": "gptqb", "p3": "gptqc"}


def test_known_keys_never_change_and_new_keys_avoid_them() -> None:
    # p0 sorts first and would take the bare key without the known map.
    keys = assign_keys({"p0": "gptq", "p9": "gptq"}, {"p9": "gptq", "pold": "gptqb"})
    assert keys == {"p0": "gptqc", "p9": "gptq"}


def test_duplicate_known_keys_are_an_input_error() -> None:
    with pytest.raises(
        InputError, match="keys give key 'k' to both a and b — each key belongs to one paper"
    ):
        assign_keys({}, {"a": "k", "b": "k"})


def test_key_of_an_existing_paper_is_stable_when_a_new_dump_adds_a_colliding_paper() -> None:
    first = ingest([write_listing("old.txt", "Mesa: Memory Saving Transformers")])
    (mesa,) = first.corpus.papers
    assert mesa.key == "mesa"
    # A new paper whose base key is also 'mesa'; find a title whose id sorts before Mesa's, so
    # that without the known map the newcomer would take 'mesa' and Mesa would become 'mesab'.
    newcomer = next(
        title
        for i in range(1000)
        if paper_id(normalize_title(title := f"MESA: Study Number {i}")) < mesa.id
    )
    write_listing("new.txt", newcomer)
    fresh = {p.title: p.key for p in ingest([Path("old.txt"), Path("new.txt")]).corpus.papers}
    assert fresh[newcomer] == "mesa" and fresh[mesa.title] == "mesab"  # why known keys matter
    kept = ingest([Path("old.txt"), Path("new.txt")], known_keys=first.keys)
    by_title = {p.title: (p.id, p.key) for p in kept.corpus.papers}
    assert by_title[mesa.title] == (mesa.id, "mesa")
    assert by_title[newcomer][1] == "mesab"


def test_fuzzy_group_with_a_known_id_keeps_that_id_and_key() -> None:
    write_listing("old.txt", "Taming Throughput-Latency Trade Off in LLM Inference with Sarathi")
    first = ingest([Path("old.txt")])
    (old,) = first.corpus.papers
    richer = Path("new.jsonl")
    richer.write_text(
        '{"title": "Taming Throughput–Latency Tradeoff in LLM Inference with Sarathi!", '
        '"abstract": "A much longer abstract than the one of the listing, so this entry wins '
        'the fields of the merged paper; the id and key must still stay.", "year": 2024}\n',
        encoding="utf-8",
    )
    merged = ingest([Path("old.txt"), richer], known_keys=first.keys)
    (paper,) = merged.corpus.papers
    assert (paper.id, paper.key) == (old.id, old.key)
    assert paper.title.endswith("Sarathi!") and paper.year == 2024
    assert merged.keys == {old.id: old.key}


def test_result_keys_keep_retired_known_keys_reserved() -> None:
    result = ingest([write_listing("a.txt", "Paper Alpha")], known_keys={"pgone": "alpha"})
    (paper,) = result.corpus.papers
    assert paper.key == "paperalpha"
    assert result.keys == {"pgone": "alpha", paper.id: "paperalpha"}
