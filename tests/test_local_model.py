"""The embedded local model: valid answers on real dumps, determinism, custom taxonomies, speed."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from pipeline.evaluate import score
from pipeline.ingest import ingest
from pipeline.local_model import LocalModel
from pipeline.local_model.lexicon import NEGATIVE, compile_taxonomy, parse_cue, tokenize
from pipeline.local_model.text import make_document, quote_around
from pipeline.taxonomy import load_taxonomy
from schemas.stages import KINDS, Classification, Extraction, Screening, numbers_in
from schemas.taxonomy import Taxonomy

ROOT = Path(__file__).resolve().parent.parent

GPTQ_TITLE = "GPTQ: Accurate Post-Training Quantization for Generative Pre-trained Transformers"
GPTQ_ABSTRACT = (
    "Generative Pre-trained Transformer models set themselves apart through breakthrough "
    "performance, but also by their extremely high computational and storage costs. In this "
    "paper, we propose GPTQ, a new one-shot weight quantization method based on approximate "
    "second-order information, that is both highly-accurate and highly-efficient. GPTQ can "
    "quantize GPT models with 175 billion parameters in approximately four GPU hours, reducing "
    "the bitwidth down to 3 or 4 bits per weight. We show end-to-end inference speedups over "
    "FP16 of around 3.25x when using NVIDIA A100 GPUs and 4.5x on NVIDIA A6000."
)


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


@pytest.fixture(scope="module")
def model(taxonomy: Taxonomy) -> LocalModel:
    return LocalModel(taxonomy)


@pytest.fixture(scope="module")
def papers() -> list[tuple[str, str, str]]:
    corpus = ingest([ROOT / "dumps"]).corpus
    return [(p.id, p.title, p.abstract) for p in corpus.papers]


def _answers(model: LocalModel, title: str, abstract: str) -> dict[str, dict[str, Any]]:
    return {
        "screen": model.screen(title, abstract),
        "classify": model.classify(title, abstract),
        "extract": model.extract(title, abstract),
    }


def _validate(
    pid: str, title: str, abstract: str, answers: dict[str, dict[str, Any]], taxonomy: Taxonomy
) -> None:
    context = {"papers": {pid: {"title": title, "abstract": abstract}}, "taxonomy": taxonomy}
    Screening.model_validate({"paper_id": pid, **answers["screen"]}, context=context)
    Classification.model_validate({"paper_id": pid, **answers["classify"]}, context=context)
    Extraction.model_validate({"paper_id": pid, **answers["extract"]}, context=context)


def test_answers_on_every_shipped_paper_pass_the_stage_validators(
    model: LocalModel, taxonomy: Taxonomy, papers: list[tuple[str, str, str]]
) -> None:
    assert len(papers) > 400
    for pid, title, abstract in papers:
        answers = _answers(model, title, abstract)
        _validate(pid, title, abstract, answers, taxonomy)
        assert answers["screen"]["kind"] in KINDS
        for result in answers["extract"]["results"]:
            assert set(numbers_in(result["value"])) <= set(numbers_in(result["quote"]))


def test_answers_are_deterministic_across_instances(
    taxonomy: Taxonomy, papers: list[tuple[str, str, str]]
) -> None:
    first, second = LocalModel(taxonomy), LocalModel(taxonomy)
    for _, title, abstract in papers[:120]:
        a = json.dumps(_answers(first, title, abstract), sort_keys=True)
        b = json.dumps(_answers(second, title, abstract), sort_keys=True)
        assert a == b
    # Asking again (memoised analysis) gives the same answer too.
    _, title, abstract = papers[0]
    assert _answers(first, title, abstract) == _answers(second, title, abstract)


def test_whole_corpus_is_fast(taxonomy: Taxonomy, papers: list[tuple[str, str, str]]) -> None:
    start = time.process_time()
    model = LocalModel(taxonomy)
    for _, title, abstract in papers:
        _answers(model, title, abstract)
    elapsed = time.process_time() - start
    # About 2-3 s of CPU on a laptop for ~511 papers; the bound leaves room for slow CI.
    assert elapsed < 15, f"{len(papers)} papers took {elapsed:.1f} s of CPU"


def test_a_quantization_paper(model: LocalModel) -> None:
    screen = model.screen(GPTQ_TITLE, GPTQ_ABSTRACT)
    classify = model.classify(GPTQ_TITLE, GPTQ_ABSTRACT)
    extract = model.extract(GPTQ_TITLE, GPTQ_ABSTRACT)
    assert screen["relevant"] is True
    assert screen["kind"] == "method"
    assert classify["primary"] == "model.quantization"
    quote = next(e["quote"] for e in classify["evidence"] if e["leaf"] == "model.quantization")
    assert quote in GPTQ_TITLE or quote in GPTQ_ABSTRACT
    assert extract["techniques"][0] == "GPTQ"
    assert "A100" in " ".join(extract["hardware"])
    values = {r["value"] for r in extract["results"]}
    assert any("3.25x" in v for v in values)
    speedup = next(r for r in extract["results"] if "3.25x" in r["value"])
    assert speedup["metric"] == "speedup"
    assert speedup["baseline"] == "FP16"


@pytest.mark.parametrize(
    ("title", "abstract", "primary", "kind"),
    [
        (
            "Eyeriss: An Energy-Efficient Reconfigurable Accelerator for Deep Convolutional "
            "Neural Networks",
            "Eyeriss is an accelerator for deep convolutional neural networks. It optimizes the "
            "energy efficiency of the accelerator chip and off-chip DRAM by using a row "
            "stationary dataflow on a spatial architecture with 168 processing elements.",
            "hardware.accelerator",
            "hardware",
        ),
        (
            "Efficient Memory Management for Large Language Model Serving with PagedAttention",
            "High throughput serving of large language models requires batching many requests. "
            "The KV cache memory for each request is huge and is wasted by fragmentation. We "
            "propose PagedAttention, inspired by virtual memory and paging, and build vLLM, an "
            "LLM serving system that improves throughput by 2-4x.",
            "system.memory",
            "system",
        ),
        (
            "Parameter-Efficient Fine-Tuning for Large Models: A Comprehensive Survey",
            "Large models are costly to fine-tune. Parameter Efficient Fine-Tuning (PEFT) adapts "
            "them with few trainable parameters. In this survey, we review PEFT algorithms, their "
            "performance and computational overhead.",
            "model.training",
            "survey",
        ),
    ],
)
def test_well_known_kinds_of_papers(
    model: LocalModel, title: str, abstract: str, primary: str, kind: str
) -> None:
    assert model.screen(title, abstract)["relevant"] is True
    assert model.screen(title, abstract)["kind"] == kind
    assert primary in model.classify(title, abstract)["leaves"]


@pytest.mark.parametrize(
    ("title", "abstract"),
    [
        (
            "EffiBench: Benchmarking the Efficiency of Automatically Generated Code",
            "Code generation models are integral to software development. We present a benchmark "
            "of coding problems for assessing the efficiency of code generated by code "
            "generation models, and evaluate 21 LLMs.",
        ),
        (
            "Towards Efficient Robotic Manipulation with a Dual-System Policy",
            "Generalist robot policies struggle with inefficient inference. We introduce a "
            "dual-system policy for robotic manipulation that improves success rates and "
            "enables a 3.8 times higher control frequency.",
        ),
    ],
)
def test_incidental_efficiency_is_out_of_scope(
    model: LocalModel, title: str, abstract: str
) -> None:
    screen = model.screen(title, abstract)
    assert screen["relevant"] is False
    assert screen["kind"] in KINDS
    assert screen["reason"].startswith("Out of scope")


def test_title_only_paper_still_gets_valid_answers(model: LocalModel, taxonomy: Taxonomy) -> None:
    title = "Speculative Decoding for Fast LLM Inference"
    answers = _answers(model, title, "")
    _validate("p1", title, "", answers, taxonomy)
    assert answers["classify"]["primary"] == "model.decoding"


def test_custom_taxonomy_without_cues_uses_names_and_descriptions() -> None:
    taxonomy = Taxonomy.model_validate(
        {
            "levels": [
                {
                    "id": "bio",
                    "name": "Biology",
                    "description": "Models of living systems.",
                    "leaves": [
                        {
                            "id": "bio.protein",
                            "name": "Protein folding",
                            "description": "Predicting protein structure from amino acid "
                            "sequences.",
                        },
                        {
                            "id": "bio.genomics",
                            "name": "Genomics",
                            "description": "Variant calling and genome assembly from "
                            "sequencing reads.",
                        },
                    ],
                }
            ]
        }
    )
    model = LocalModel(taxonomy)
    title = "Fast genome assembly from long sequencing reads"
    abstract = (
        "We present an assembler that builds a genome from long sequencing reads in hours. "
        "Variant calling on the assembled genome matches short-read pipelines."
    )
    answers = _answers(model, title, abstract)
    _validate("p1", title, abstract, answers, taxonomy)
    assert answers["classify"]["primary"] == "bio.genomics"


def test_cue_syntax() -> None:
    (lowrank, joined) = parse_cue("low rank", 0, 0)
    assert [w.value for w in lowrank.words] == ["low", "rank"]
    assert [w.value for w in joined.words] == ["lowrank"]
    (quant,) = [c for c in parse_cue("quantiz*", 0, 0)]
    assert quant.words[0].prefix

    taxonomy = Taxonomy.model_validate(
        {
            "levels": [
                {
                    "id": "m",
                    "name": "M",
                    "description": "d",
                    "leaves": [
                        {
                            "id": "m.a",
                            "name": "A",
                            "description": "d",
                            "title_cues": ["ZeRO", "low rank", "quantiz*"],
                            "negative_cues": ["zero shot"],
                        },  # fmt: skip
                    ],
                }
            ]
        }
    )
    matcher = compile_taxonomy(taxonomy).matcher

    def found(text: str) -> list[str]:
        matches = matcher.find(tokenize(text))
        return [text[m.start : m.end] for m in matches if m.cue.category != NEGATIVE]

    assert found("ZeRO-3 and low-rank and LowRank and quantization") == [
        "ZeRO", "low-rank", "LowRank", "quantization",
    ]  # fmt: skip
    assert found("zero-shot transfer") == []  # a cased cue matches its case only


def test_quotes_are_verbatim_sentences_or_clauses() -> None:
    doc = make_document("A title", "First sentence, e.g. with an abbreviation. Second one here.")
    assert [s.text for s in doc.body] == [
        "First sentence, e.g. with an abbreviation.",
        "Second one here.",
    ]
    long = "word " * 100 + "the cue is here, " + "tail " * 100
    start = long.index("cue")
    quote = quote_around(long, start, start + 3, limit=120)
    assert "cue" in quote and quote in long and len(quote) <= 120


CLASSICS = ROOT / "tests" / "fixtures" / "classics" / "classics.jsonl"
# Scores reached on the classics set, less a margin: a change that loses more fails here.
CLASSICS_FLOORS = {
    "relevance_f1": 0.95,
    "primary_strict": 0.80,
    "primary_lenient": 0.88,
    "levels_f1": 0.88,
    "leaves_f1": 0.78,
    "kind_accuracy": 0.87,
}


def _scored_records(model: LocalModel, gold: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The local model's screen and classify answers for labelled papers, as scored records."""
    records = []
    for paper in gold:
        screen = model.screen(paper["title"], paper["abstract"])
        classify = model.classify(paper["title"], paper["abstract"])
        relevant = screen["relevant"]
        records.append(
            {
                "title": paper["title"],
                "relevant": relevant,
                "kind": screen["kind"],
                "primary": classify["primary"] if relevant else None,
                "leaves": classify["leaves"] if relevant else [],
            }
        )
    return records


def test_classics_set_scores_stay_above_their_floors(model: LocalModel) -> None:
    """Well-known efficiency papers (own abstracts and labels, none in the dumps) stay scored."""
    gold = [json.loads(line) for line in CLASSICS.read_text().splitlines() if line.strip()]
    assert len(gold) >= 80
    assert {g["primary"] for g in gold if g["relevant"]} == set(load_taxonomy().leaf_ids)
    scores = score(gold, _scored_records(model, gold)).as_dict()
    low = {k: round(scores[k], 3) for k, floor in CLASSICS_FLOORS.items() if scores[k] < floor}
    assert not low, f"classics scores fell below their floors {CLASSICS_FLOORS}: {low}"


def _extern_gold(*numbers: int) -> list[Path]:
    """The gold files of the extern sets ``numbers`` (tests/fixtures/extern)."""
    return [ROOT / "tests" / "fixtures" / "extern" / f"extern{n}-gold.jsonl" for n in numbers]


# The judges of stops 32-34 (extern31..42: 470 arXiv efficiency papers of the listings of
# 2026-04-03..05-11, tests/fixtures/extern/README.md, two labellers each). Never trained on until
# stop 35, when they joined the training sets (bench/cross_validate.py:EXTERN_LATER); their floors
# are those set when they were never trained on (from scores of 0.880 / 0.683 / 0.899, 0.806 /
# 0.783 / 0.894 and 0.857 / 0.708 / 0.855), a regression check now, not a measure of
# generalisation.
EXTERN_JUDGES = _extern_gold(31, 32, 33, 34)
EXTERN_JUDGE_FLOORS = {"relevance_f1": 0.84, "primary_lenient": 0.64, "levels_f1": 0.86}
LATER_JUDGES = _extern_gold(35, 36, 37, 38)
LATER_JUDGE_FLOORS = {"relevance_f1": 0.77, "primary_lenient": 0.74, "levels_f1": 0.86}
STOP34_JUDGES = _extern_gold(39, 40, 41, 42)
STOP34_JUDGE_FLOORS = {"relevance_f1": 0.82, "primary_lenient": 0.67, "levels_f1": 0.82}

# The judges of stop 35: 151 papers of the listings of 2026-03-24..04-02 (extern43..46), labelled
# the same way before the model ran on them.
# Scored once with the model shipped at the start of stop 35 (relevance F1 0.833, primary lenient
# 0.750, levels F1 0.913) and once with the weights refitted with extern31-42 and the relevance
# head's override (0.832, 0.783, 0.922), which shipped; the floors are the latter less a margin.
# Stop 37's feature-caching correction of the primary: 0.832, 0.800, 0.922 (the primary's floor
# raised with it).
# Trained on since stop 38 (bench/cross_validate.py:EXTERN_LATER); the floors set while they were
# never trained on stay, a regression check now.
STOP35_JUDGES = _extern_gold(43, 44, 45, 46)
STOP35_JUDGE_FLOORS = {"relevance_f1": 0.80, "primary_lenient": 0.76, "levels_f1": 0.89}

# The judges of stop 38's first round: 151 papers of the listings of 2026-03-12..03-23
# (extern47..50), labelled the same way before the model ran on them. Scored once with the model
# shipped at the start of stop 38 (relevance F1 0.848, primary lenient 0.771, levels F1 0.897),
# once with stop 38's primary corrections (the same, leaves F1 0.776 instead of 0.781) and once
# with the weights refitted with extern43-46 (0.871, 0.771, 0.890), which shipped; the floors are
# the latter less a margin. Trained on since stop 38's second round; the floors stay.
ROUND1_JUDGES = _extern_gold(47, 48, 49, 50)
ROUND1_JUDGE_FLOORS = {"relevance_f1": 0.84, "primary_lenient": 0.74, "levels_f1": 0.86}

# The judges of stop 38's second round: 154 papers of the listings of 2026-02-27..03-11
# (extern51..54), labelled the same way before the model ran on them. Scored once with the model
# of stop 38's first round (0.861, 0.730, 0.874) and once with the weights refitted with
# extern47-50 (0.873, 0.770, 0.886), which shipped; the floors are the latter less a margin.
# Trained on since stop 38's third round; the floors stay.
ROUND2_JUDGES = _extern_gold(51, 52, 53, 54)
ROUND2_JUDGE_FLOORS = {"relevance_f1": 0.84, "primary_lenient": 0.74, "levels_f1": 0.86}

# The judges of stop 38's third round: 139 papers of the listings of 2026-02-17..02-26
# (extern55..58), labelled the same way before the model ran on them. Scored once with the model
# of stop 38's second round (0.827, 0.797, 0.894) and once with the weights refitted with
# extern51-54 (0.840, 0.797, 0.896), which shipped; the floors are the latter less a margin.
# Trained on since stop 39; the floors stay.
FRESH_JUDGES = _extern_gold(55, 56, 57, 58)
FRESH_JUDGE_FLOORS = {"relevance_f1": 0.81, "primary_lenient": 0.76, "levels_f1": 0.86}

# 117 papers of the listings of 2026-02-05..02-16 (extern59..62), labelled the same way at the
# end of stop 38 and scored once with the model of its third round (relevance F1 0.891, primary
# lenient 0.800, levels F1 0.845); the floors are those less a margin. Trained on since stop 39;
# the floors stay.
LAST_JUDGES = _extern_gold(59, 60, 61, 62)
LAST_JUDGE_FLOORS = {"relevance_f1": 0.86, "primary_lenient": 0.77, "levels_f1": 0.81}

# The judges of stop 39, 189 papers of the listings of 2026-01-14..02-04 (extern63..70), labelled
# the same way before the model ran on them. Scored once with the model of stop 38's third round
# (extern63-66: 0.893, 0.826, 0.929; extern67-70: 0.754, 0.840, 0.915) and once with the weights
# refitted with extern55-62 (0.885, 0.826, 0.940; 0.754, 0.840, 0.933), which shipped (the sum
# over all 189 rose: 2.596 -> 2.605); the floors are the latter less a margin. extern67-70 hold
# only 25 papers in scope, so their relevance F1 moves by about 0.03 a paper. Trained on since the
# end of stop 39 (with extern71-78); the floors stay.
STOP39_JUDGES = _extern_gold(63, 64, 65, 66)
STOP39_JUDGE_FLOORS = {"relevance_f1": 0.85, "primary_lenient": 0.79, "levels_f1": 0.90}
STOP39_LATER_JUDGES = _extern_gold(67, 68, 69, 70)
STOP39_LATER_JUDGE_FLOORS = {"relevance_f1": 0.72, "primary_lenient": 0.80, "levels_f1": 0.89}

# The judges of stop 39's later rounds, 196 papers of the listings of
# 2025-12-18..2026-01-13 (extern71..78), labelled the same way before the model ran on them and
# scored once with the weights that ship (extern71-74: 0.735, 0.633, 0.831; extern75-78: 0.800,
# 0.766, 0.854). A refit trained with extern63-70 as well scored lower on them (the sum over the
# 196 fell by 0.039) and did not ship. The floors are the first scores less a margin. Trained on
# since the end of stop 39; the floors stay.
STOP39_LAST_JUDGES = _extern_gold(71, 72, 73, 74)
STOP39_LAST_JUDGE_FLOORS = {"relevance_f1": 0.70, "primary_lenient": 0.60, "levels_f1": 0.79}
STOP39_FINAL_JUDGES = _extern_gold(75, 76, 77, 78)
STOP39_FINAL_JUDGE_FLOORS = {"relevance_f1": 0.77, "primary_lenient": 0.73, "levels_f1": 0.82}

# Never trained on (not in bench/cross_validate.py:EXTERN_TRAIN): 101 papers of the listings of
# 2025-12-05..12-17 (extern79..82), labelled the same way at the end of stop 39. Scored once with
# the weights trained with extern55-62 (relevance F1 0.800, primary lenient 0.809, levels F1
# 0.909) and once with the weights refitted with extern63-78 as well (0.824, 0.809, 0.909), which
# shipped; the floors are the latter less a margin.
STOP39_FRESH_JUDGES = _extern_gold(79, 80, 81, 82)
STOP39_FRESH_JUDGE_FLOORS = {"relevance_f1": 0.79, "primary_lenient": 0.77, "levels_f1": 0.87}

# Never trained on: 198 papers of the listings of 2025-11-10..12-04 (extern83..90), labelled the
# same way in stop 40 and scored once with the weights that ship (extern83-86: relevance F1
# 0.867, primary lenient 0.780, levels F1 0.872; extern87-90: 0.853, 0.606, 0.923). Three refit
# candidates scored lower on them and did not ship. The floors are the scores less a margin.
STOP40_JUDGES = _extern_gold(83, 84, 85, 86)
STOP40_JUDGE_FLOORS = {"relevance_f1": 0.83, "primary_lenient": 0.75, "levels_f1": 0.84}
STOP40_LATER_JUDGES = _extern_gold(87, 88, 89, 90)
STOP40_LATER_JUDGE_FLOORS = {"relevance_f1": 0.82, "primary_lenient": 0.57, "levels_f1": 0.89}

# Never trained on: 149 papers of the listings of 2025-10-20..11-07 (extern91..96), labelled the
# same way in stop 41 and scored once with the weights of stop 40 (relevance F1 0.873, primary
# lenient 0.784, levels F1 0.922). The floors are the scores less a margin.
STOP41_JUDGES = _extern_gold(91, 92, 93, 94, 95, 96)
STOP41_JUDGE_FLOORS = {"relevance_f1": 0.84, "primary_lenient": 0.75, "levels_f1": 0.89}
# The same for 122 papers of the listings of 2025-10-08..10-17 (extern97..100), labelled at the
# end of stop 41 and scored once with the same weights (0.844, 0.797, 0.896).
STOP41_LATER_JUDGES = _extern_gold(97, 98, 99, 100)
STOP41_LATER_JUDGE_FLOORS = {"relevance_f1": 0.81, "primary_lenient": 0.76, "levels_f1": 0.86}
# Never trained on: 129 papers of the listings of 2025-09-25..10-07 (extern101..104), labelled the
# same way in stop 43 and scored once with the weights of stop 42 and once with stop 43's model
# (the same answers: relevance F1 0.864, primary lenient 0.845, levels F1 0.963). The floors are
# the scores less a margin.
STOP43_JUDGES = _extern_gold(101, 102, 103, 104)
STOP43_JUDGE_FLOORS = {"relevance_f1": 0.83, "primary_lenient": 0.81, "levels_f1": 0.93}
# Never trained on: 98 papers of the listings of 2025-09-12..09-24 (extern105..108), labelled in
# stop 43 before any model ran on them and scored first in stop 44 with stop 43's model
# (relevance F1 0.848, primary lenient 0.783, levels F1 0.928), then with stop 44's (the MiniLM
# paper encoder: 0.851 / 0.848 / 0.939). The floors are the first scores less a margin.
STOP44_JUDGES = _extern_gold(105, 106, 107, 108)
STOP44_JUDGE_FLOORS = {"relevance_f1": 0.81, "primary_lenient": 0.75, "levels_f1": 0.89}
# Never trained on: 122 papers of the listings of 2025-08-28..09-11 (extern109..113), labelled in
# stop 45 before any model ran on them and scored first with stop 44's model (relevance F1 0.911,
# primary lenient 0.904, levels F1 0.908). The floors are those scores less a margin.
STOP45_JUDGES = _extern_gold(109, 110, 111, 112, 113)
STOP45_JUDGE_FLOORS = {"relevance_f1": 0.87, "primary_lenient": 0.86, "levels_f1": 0.87}


@pytest.mark.parametrize(
    ("paths", "papers", "floors"),
    [
        (EXTERN_JUDGES, 155, EXTERN_JUDGE_FLOORS),
        (LATER_JUDGES, 155, LATER_JUDGE_FLOORS),
        (STOP34_JUDGES, 160, STOP34_JUDGE_FLOORS),
        (STOP35_JUDGES, 151, STOP35_JUDGE_FLOORS),
        (ROUND1_JUDGES, 151, ROUND1_JUDGE_FLOORS),
        (ROUND2_JUDGES, 154, ROUND2_JUDGE_FLOORS),
        (FRESH_JUDGES, 139, FRESH_JUDGE_FLOORS),
        (LAST_JUDGES, 117, LAST_JUDGE_FLOORS),
        (STOP39_JUDGES, 98, STOP39_JUDGE_FLOORS),
        (STOP39_LATER_JUDGES, 91, STOP39_LATER_JUDGE_FLOORS),
        (STOP39_LAST_JUDGES, 88, STOP39_LAST_JUDGE_FLOORS),
        (STOP39_FINAL_JUDGES, 108, STOP39_FINAL_JUDGE_FLOORS),
        (STOP39_FRESH_JUDGES, 101, STOP39_FRESH_JUDGE_FLOORS),
        (STOP40_JUDGES, 110, STOP40_JUDGE_FLOORS),
        (STOP40_LATER_JUDGES, 88, STOP40_LATER_JUDGE_FLOORS),
        (STOP41_JUDGES, 149, STOP41_JUDGE_FLOORS),
        (STOP41_LATER_JUDGES, 122, STOP41_LATER_JUDGE_FLOORS),
        (STOP43_JUDGES, 129, STOP43_JUDGE_FLOORS),
        (STOP44_JUDGES, 98, STOP44_JUDGE_FLOORS),
        (STOP45_JUDGES, 122, STOP45_JUDGE_FLOORS),
    ],
    ids=[
        "stop 32 judges", "stop 33 judges", "stop 34 judges", "stop 35 judges", "stop 38 judges",
        "stop 38 second judges", "stop 38 third judges", "stop 38 last judges",
        "stop 39 judges", "stop 39 later judges", "stop 39 last judges", "stop 39 final judges",
        "stop 39 fresh judges", "stop 40 judges", "stop 40 later judges", "stop 41 judges",
        "stop 41 later judges", "stop 43 judges", "stop 44 judges",
        "stop 45 judges",
    ],
)
def test_arxiv_judges_stay_above_their_floors(
    model: LocalModel, paths: list[Path], papers: int, floors: dict[str, float]
) -> None:
    gold = [
        json.loads(line)
        for path in paths
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert len(gold) == papers
    scores = score(gold, _scored_records(model, gold)).as_dict()
    low = {k: round(scores[k], 3) for k, f in floors.items() if scores[k] < f}
    assert not low, f"arXiv judges fell below their floors {floors}: {low}"


def test_training_is_the_workload_of_a_distributed_system_not_a_second_leaf(
    model: LocalModel,
) -> None:
    title = (
        "Scaling Efficient Training of Large Language Models to 10,000 GPUs with Hybrid Parallelism"
    )
    abstract = (
        "Training large language models is expensive and its cost grows with model size. "
        "We present a distributed training system that combines tensor, pipeline and data "
        "parallelism with communication overlap to make training efficient at scale. "
        "It reduces training time and training cost, reaching 55% model FLOPs utilization and "
        "1.3x the training throughput of Megatron-LM on 10,000 GPUs."
    )
    answer = model.classify(title, abstract)
    assert answer["leaves"] == ["system.distributed"]
