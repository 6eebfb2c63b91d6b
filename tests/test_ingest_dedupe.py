"""De-duplication: normalized titles, the guarded fuzzy match, and order-independent merging."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.ingest import dedupe, ingest
from pipeline.ingest.dedupe import ComparedTitles, fuzzy_pairs, group_entries, same_paper
from pipeline.ingest.entries import Layout, RawEntry
from pipeline.ingest.normalize import normalize_title

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
# words for generated titles: variants of each other, markers, stop words, a non-Latin word
_WORDS = (  # noqa: SIM905 (as a list literal: 30 lines)
    "quantization quantisation quantizations pruning prune sparse sparsity llm llms 2 v2 ii "
    "plus efficient efficent training kv cache caches colour color the of a for gpt gpt2 "
    "模型 lora qlora"
).split()


def entry(
    title: str, abstract: str = "An abstract.", file: str = "a.txt", line: int = 1
) -> RawEntry:
    return RawEntry(title=title, abstract=abstract, file=file, line=line, layout=Layout.HF_BLOCKS)


def titles_merge(a: str, b: str) -> bool:
    return len(group_entries([entry(a, line=1), entry(b, line=2)])) == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "Taming Throughput–Latency TradeOff in LLM Inference with Sarathi-Serve",
            "Taming Throughput-Latency Trade-Off in LLM Inference with Sarathi Serve",
        ),
        (
            "Mesa: A Memory-saving Training Framework for Transformers",
            "MESA:  a memory—saving training framework for transformers.",
        ),
        ('Sch{\\"o}lkopf Kernels for Na\\"ive Models', "Schölkopf Kernels for Naïve Models"),
        (
            "Towards Efficient Generative LLM Serving: A Survey",
            "Toward Efficient Generative LLM Serving: A Survey",
        ),
        (
            "Colour Quantisation Transformer for Colour Naming",
            "Colour Quantization Transformer for Colour Naming",
        ),
        (
            "A Survey of Efficient Large Language Model Inference",
            "Survey of Efficient Large Language Model Inference",
        ),
    ],
)
def test_variants_of_one_title_merge(a: str, b: str) -> None:
    assert titles_merge(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "SmoothQuant: Accurate and Efficient Post-Training Quantization for LLMs",
            "SmoothQuant+: Accurate and Efficient Post-Training Quantization for LLMs",
        ),
        (
            "Dissecting the NVIDIA Volta GPU Architecture via Microbenchmarking",
            "Dissecting the Ampere GPU Architecture via Microbenchmarking",
        ),
        (
            "ViTPose: Simple Vision Transformer Baselines for Human Pose Estimation",
            "ViTPose++: Vision Transformer for Generic Body Pose Estimation",
        ),
        (
            "Llama 2: Open Foundation and Fine-Tuned Chat Models",
            "Llama 3: Open Foundation and Fine-Tuned Chat Models",
        ),
        (
            "QLoRA: Efficient Finetuning of Quantized LLMs",
            "LoRA: Efficient Finetuning of Quantized LLMs",
        ),
        (
            "BERT: Pre-training of Deep Bidirectional Transformers",
            "BART: Pre-training of Deep Bidirectional Transformers",
        ),
        (
            "Scaling Laws for Neural Language Models",
            "Unified Scaling Laws for Routed Language Models",
        ),
        (
            "Efficient Streaming Language Models with Attention Sinks II",
            "Efficient Streaming Language Models with Attention Sinks",
        ),
    ],
)
def test_different_papers_with_similar_titles_stay_apart(a: str, b: str) -> None:
    assert not titles_merge(a, b)
    assert not same_paper(normalize_title(a), normalize_title(b))


def test_normalized_title_folds_case_accents_dashes_latex_and_keeps_plus() -> None:
    assert normalize_title("Trade–Off  in {\\'E}T{\\\"o}") == "tradeoff in eto"
    assert normalize_title("SmoothQuant+") == "smoothquantplus"
    assert normalize_title("ViTPose++:") == "vitposeplusplus"


def test_merged_paper_keeps_every_source_and_the_richest_fields() -> None:
    result = ingest([FIXTURES])
    by_title = {p.title: p for p in result.corpus.papers}
    once = by_title["Once-for-All: Train One Network and Specialize it for Efficient Deployment"]
    assert [(s.file, s.line, s.layout) for s in once.sources] == [
        ("tests/fixtures/ingest/hf_blocks.txt", 17, "hf-blocks"),
        ("tests/fixtures/ingest/papers.bib", 2, "bibtex"),
    ]
    assert once.abstract.startswith("We address the challenging problem")  # the listing's
    assert (once.year, once.eprint, once.authors[0]) == (2020, "1908.09791", "Cai, Han")  # bib
    assert once.flags == []  # the bib entry lacked the abstract, the merged paper does not
    taming = by_title["Taming Throughput–Latency Tradeoff in LLM Inference with Sarathi-Serve"]
    assert len(taming.sources) == 2 and taming.date == "2024-03-04"
    merge = next(m for m in result.report.merges if m.kept_id == taming.id)
    assert merge.method == "fuzzy" and merge.scores and merge.scores[0] >= 90
    assert sorted(t.title for t in merge.merged) == [
        "Taming Throughput-Latency Trade-Off in LLM Inference with Sarathi Serve",
        "Taming Throughput–Latency Tradeoff in LLM Inference with Sarathi-Serve",
    ]
    assert not any(Path(s.file).is_absolute() for p in result.corpus.papers for s in p.sources)
    assert (result.report.entries, result.report.papers, result.report.duplicates_merged) == (
        18,
        15,
        3,
    )


def test_merge_prefers_richer_entry_whatever_the_input_order() -> None:
    short = entry("Same Paper", "Short.", file="b.txt")
    long = entry("Same Paper", "A much longer abstract.", file="a.txt", line=5)
    long.year = 2021
    for order in ([short, long], [long, short]):
        (group,) = group_entries(order)
        assert [e.file for e in group.entries] == ["a.txt", "b.txt"]


@pytest.fixture()
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_input_order_does_not_change_the_corpus_or_report() -> None:
    files = sorted(FIXTURES.iterdir())
    forward = ingest(files)
    backward = ingest(list(reversed(files)))
    assert forward.corpus.model_dump_json() == backward.corpus.model_dump_json()
    assert forward.report.model_dump_json() == backward.report.model_dump_json()
    assert [p.id for p in forward.corpus.papers] == sorted(p.id for p in forward.corpus.papers)


def test_entries_in_shuffled_files_give_the_same_corpus(_in_tmp: Path) -> None:
    lines = (FIXTURES / "papers.jsonl").read_text(encoding="utf-8").split("\n")
    records = [line for line in lines if line.strip()]
    Path("x.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    one = ingest([Path("x.jsonl")]).corpus
    Path("x.jsonl").write_text("\n".join(reversed(records)) + "\n", encoding="utf-8")
    two = ingest([Path("x.jsonl")]).corpus
    strip = [
        {k: v for k, v in json.loads(p.model_dump_json()).items() if k != "sources"}
        for p in one.papers
    ]
    assert strip == [
        {k: v for k, v in json.loads(p.model_dump_json()).items() if k != "sources"}
        for p in two.papers
    ]


def test_fuzzy_matching_keeps_hundreds_of_similar_titles_apart() -> None:
    """800 titles that differ only in numbers stay 800 papers; a repeat of each merges.

    Speed is measured by bench/fuzzy_dedupe.py (a ratio), not here: a wall-clock limit fails
    on a loaded machine.
    """
    titles = [f"Paper Number {i} About Topic {i * 7}" for i in range(800)]
    entries = [entry(title, line=i + 1) for i, title in enumerate(titles)]
    assert len(group_entries(entries)) == 800
    repeated = entries + [entry(t.upper(), line=900 + i) for i, t in enumerate(titles[:50])]
    assert len(group_entries(repeated)) == 800


def test_percent_sign_does_not_cut_a_latex_title() -> None:
    """pylatexenc reads % as a comment: two different papers must not merge as '50'."""
    from pipeline.ingest.normalize import normalize_title

    first = normalize_title("50% Sparsity for {LLaMA} Inference on GPUs")
    second = normalize_title("50% Fewer Tokens: {KV} Cache Compression")
    assert first != second
    assert "sparsity" in first and "inference" in first


def _similar_titles() -> list[str]:
    """Titles with many near-duplicates of different lengths (plurals, spacing, spellings)."""
    import random

    rng = random.Random(7)
    words = [
        "quantization",
        "pruning",
        "sparse",
        "llm",
        "inference",
        "efficient",
        "training",
        "memory",
        "kv",
        "cache",
    ]
    base = {" ".join(rng.choice(words) for _ in range(rng.randint(3, 8))) for _ in range(900)}
    variants = {t + "s" for t in list(base)[:200]} | {
        t.replace(" ", "", 1) for t in list(base)[:80]
    }
    return sorted(base | variants)


def _full_matrix_pairs(titles: list[str]) -> list[tuple[int, int, float]]:
    """The pairs of the plain N x N comparison the blocked one replaces."""
    from rapidfuzz import fuzz, process

    matrix = process.cdist(titles, titles, scorer=fuzz.ratio, score_cutoff=90, workers=-1)
    return sorted(
        (int(i), int(j), round(float(matrix[i, j]), 1))
        for i, j in zip(*matrix.nonzero(), strict=True)
        if i < j and same_paper(titles[i], titles[j])
    )


def test_blocked_fuzzy_pairs_equal_the_full_matrix(monkeypatch: pytest.MonkeyPatch) -> None:
    titles = _similar_titles()
    expected = _full_matrix_pairs(titles)
    assert len(expected) > 100  # the corpus does exercise the fuzzy step
    monkeypatch.setattr(dedupe, "BLOCK_CELLS", 5_000)  # many blocks of a few rows
    assert fuzzy_pairs(titles) == expected


def test_rerun_compares_only_new_titles_and_finds_the_same_pairs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    titles = _similar_titles()
    known, new = titles[::2], titles[1::2][:40]
    compared = ComparedTitles()
    fuzzy_pairs(known, compared)
    compared.save(tmp_path / "compared.json")
    loaded = ComparedTitles.load(tmp_path / "compared.json")
    assert loaded == compared
    rows: set[str] = set()
    cells: list[int] = []
    real = dedupe._candidates

    def spy(rows_: list[str], columns: list[str]):  # type: ignore[no-untyped-def]
        rows.update(rows_)
        cells.append(len(rows_) * len(columns))
        return real(rows_, columns)

    monkeypatch.setattr(dedupe, "_candidates", spy)
    everything = sorted(known + new)
    assert fuzzy_pairs(everything, loaded) == _full_matrix_pairs(everything)
    assert rows == set(new)  # known titles are not compared with each other again
    assert sum(cells) < len(new) * len(everything)  # and a new one only with its blocks
    assert loaded.titles == set(everything)


def _real_titles() -> list[str]:
    """Normalized titles of the shipped dumps, bench/fixtures and the test fixtures."""
    from pipeline.ingest.detect import parse_text

    root = Path(__file__).parent.parent
    titles: set[str] = set()
    for folder in (root / "dumps", root / "bench" / "fixtures", FIXTURES):
        for path in sorted(folder.iterdir()):
            _, outcome = parse_text(path.read_text(encoding="utf-8"), str(path))
            titles.update(normalize_title(e.title) for e in outcome.entries)
    return sorted(title for title in titles if title)


_EDITS = ("plural", "join", "stop", "spelling", "marker", "drop", "swap")


def _edited(title: str, rng: random.Random) -> str:
    """``title`` with one edit of the kinds that do or do not make a variant of one title."""
    words = title.split()
    at = rng.randrange(len(words))
    edit = rng.choice(_EDITS)
    if edit == "plural":
        words[at] += "s"
    elif edit == "join" and at + 1 < len(words):
        words[at] += words.pop(at + 1)
    elif edit == "stop":
        words.insert(at, rng.choice(sorted(dedupe.STOP_WORDS)))
    elif edit == "spelling":
        words[at] = words[at].replace("iz", "is").replace("or", "our").replace("s", "z", 1)
    elif edit == "marker":
        words.insert(at, rng.choice(["2", "v2", "ii", "plus", "3b"]))
    elif edit == "drop" and len(words) > 1:
        words.pop(at)
    else:
        words[at] = words[at][::-1]
    return " ".join(words)


def _with_variants(titles: list[str], seed: int) -> list[str]:
    rng = random.Random(seed)
    once = [_edited(title, rng) for title in titles]
    twice = [_edited(title, rng) for title in once[::3]]
    return sorted(set(titles) | set(once) | set(twice))


def test_every_pair_the_guard_accepts_shares_a_block_key() -> None:
    """The claim ``block_keys`` proves, checked on real titles and their edited variants."""
    from rapidfuzz import fuzz, process

    titles = _with_variants(_real_titles(), seed=3)
    # the claim holds whatever the score; pairs below 60 are never variants of one title
    similar = process.cdist(titles, titles, scorer=fuzz.ratio, score_cutoff=60, workers=-1)
    accepted = [
        (titles[i], titles[j])
        for i, j in zip(*similar.nonzero(), strict=True)
        if i < j and same_paper(titles[i], titles[j])
    ]
    assert len(accepted) > 300  # the edits do make variants
    for a, b in accepted:
        assert set(dedupe.block_keys(a)) & set(dedupe.block_keys(b)), (a, b)


@given(
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=7),
    st.lists(st.integers(0, 10**6), max_size=3),
)
@settings(max_examples=300, deadline=None)
def test_generated_variants_the_guard_accepts_share_a_block_key(
    words: list[str], edits: list[int]
) -> None:
    title = " ".join(words)
    variant = title
    for seed in edits:
        variant = _edited(variant, random.Random(seed))
    if same_paper(title, variant):
        assert set(dedupe.block_keys(title)) & set(dedupe.block_keys(variant))


def test_blocked_pairs_equal_all_pairs_on_real_titles() -> None:
    titles = _with_variants(_real_titles(), seed=1)
    expected = _full_matrix_pairs(titles)
    assert len(expected) > 300
    assert fuzzy_pairs(titles) == expected


@given(st.lists(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=6), max_size=60))
@settings(max_examples=100, deadline=None)
def test_blocked_pairs_equal_all_pairs_on_random_titles(word_lists: list[list[str]]) -> None:
    rng = random.Random(len(word_lists))
    base = sorted({" ".join(words) for words in word_lists})
    titles = _with_variants(base, seed=rng.randrange(100)) if base else []
    assert fuzzy_pairs(titles) == _full_matrix_pairs(titles)


def test_reruns_on_other_title_sets_find_the_pairs_of_one_run() -> None:
    """Two runs on overlapping sets, then one on all: titles only one earlier run had are still
    compared with each other (a new title is compared with every known one, present or not)."""
    titles = _with_variants(_real_titles(), seed=2)
    compared = ComparedTitles()
    fuzzy_pairs(titles[::3], compared)
    fuzzy_pairs(titles[::2], compared)  # some known, some new
    assert fuzzy_pairs(titles, compared) == _full_matrix_pairs(titles)


def test_saved_pairs_of_other_rules_are_not_used(tmp_path: Path) -> None:
    path = tmp_path / "compared.json"
    ComparedTitles({"a b c"}, {("a b c", "a b cs"): 95.0}).save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["rules"] = "older"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert ComparedTitles.load(path) == ComparedTitles()
