"""Taxonomy induction: the proposal schema's checks, the local model's clustering, the command
(files `build --taxonomy` accepts, replayed byte for byte) and the cluster scores."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from pipeline.evaluate_taxonomy import cluster_scores, tfidf_kmeans, topic_model_kmeans
from pipeline.local_model import LocalModel
from pipeline.local_model.induce import InduceRequest, induce
from pipeline.taxonomy import load_taxonomy
from schemas.induce import TaxonomyProposal
from schemas.taxonomy import families_from_names

CLASSICS = Path(__file__).parent / "fixtures" / "classics" / "classics.jsonl"


def classics() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CLASSICS.read_text(encoding="utf-8").splitlines()]


def papers() -> dict[str, dict[str, str]]:
    return {
        f"p{i:03d}": {"title": row["title"], "abstract": row["abstract"]}
        for i, row in enumerate(classics())
    }


def leaf(ident: str, members: list[str], quote: str = "GPTQ", **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": ident,
        "name": ident.split(".", 1)[1].replace("_", " ").title(),
        "scope": "Papers whose main contribution is this.",
        "title_cues": [ident.split(".", 1)[1].replace("_", " ")],
        "members": members,
        "evidence": [{"paper_id": members[0], "quote": quote}],
    }
    data.update(extra)
    return data


def validate(leaves: list[dict[str, Any]]) -> TaxonomyProposal:
    context = {"papers": papers(), "levels": ["model", "system", "hardware"]}
    return TaxonomyProposal.model_validate({"leaves": leaves}, context=context)


def test_a_valid_proposal_passes() -> None:
    proposal = validate(
        [
            leaf("model.quant", ["p000", "p001"]),
            leaf("system.serve", ["p002", "p003"], "SmoothQuant"),
        ]
    )
    assert proposal.members() == {"p000": "model.quant", "p001": "model.quant",
                                  "p002": "system.serve", "p003": "system.serve"}  # fmt: skip


Q01 = ["p000", "p001"]
Q23 = ["p002", "p003"]
SQ = "SmoothQuant"


@pytest.mark.parametrize(
    ("leaves", "message"),
    [
        ([leaf("model.quant", Q01), leaf("model.quant", Q23, SQ)], "appears twice"),
        ([leaf("model.quant", ["p000"])], "at least 2"),
        ([leaf("model.quant", Q01, "we quantize everything")], "verbatim"),
        ([leaf("model.quant", Q01), leaf("model.prune", ["p001", "p002"], "AWQ")], "member of"),
        ([leaf("model.quant", ["p000", "nope"])], "unknown paper ids"),
        ([leaf("compute.quant", Q01)], "use one of"),
        ([leaf("model.quant", Q01), leaf("model.prune", Q23, SQ, title_cues=["quant"])],
         "defining phrase"),
        ([leaf("model.quant", Q01), leaf("model.prune", Q23, SQ, name="Quant")], "same name"),
        ([leaf("model.quant", Q01, evidence=[{"paper_id": "p002", "quote": SQ}])],
         "not its members"),
    ],
)  # fmt: skip
def test_the_schema_rejects(leaves: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        validate(leaves)


@pytest.fixture(scope="module")
def induced() -> dict[str, Any]:
    taxonomy = load_taxonomy(None)
    items = [{"paper_id": pid, **paper} for pid, paper in papers().items()]
    request = InduceRequest(items, ["model", "system", "hardware"], True, 30)
    return induce(request, taxonomy)


def test_local_induction_is_a_valid_taxonomy_that_recovers_the_labels(
    induced: dict[str, Any],
) -> None:
    proposal = TaxonomyProposal.model_validate(
        induced, context={"papers": papers(), "levels": ["model", "system", "hardware"]}
    )
    assert len(proposal.members()) == len(papers())  # every paper placed once
    taxonomy = proposal.to_taxonomy(load_taxonomy(None))
    assert [level.id for level in taxonomy.levels] == ["model", "system", "hardware"][
        : len(taxonomy.levels)
    ]
    # The local model classifies with the induced cues (what `build --taxonomy` does).
    model = LocalModel(taxonomy)
    gptq = classics()[0]
    assert model.classify(gptq["title"], gptq["abstract"])["primary"] in taxonomy.leaf_ids
    # Scored against the classics' own labels, it beats plain TF-IDF + k-means with as many
    # clusters on the same papers.
    rows = classics()
    gold = {row["title"]: row["primary"] for row in rows if row["relevant"]}
    members = proposal.members()
    ours = {row["title"]: members[f"p{i:03d}"] for i, row in enumerate(rows)}
    texts = [f"{row['title']}. {row['abstract']}" for row in rows]
    k = len(proposal.leaves)
    kmeans = {row["title"]: str(c) for row, c in zip(rows, tfidf_kmeans(texts, k), strict=True)}
    assert cluster_scores(gold, ours).nmi > cluster_scores(gold, kmeans).nmi


def test_local_induction_is_deterministic(induced: dict[str, Any]) -> None:
    items = [{"paper_id": pid, **paper} for pid, paper in reversed(list(papers().items()))]
    again = induce(
        InduceRequest(items, ["model", "system", "hardware"], True, 30), load_taxonomy(None)
    )
    assert json.dumps(again, sort_keys=True) == json.dumps(induced, sort_keys=True)


def test_families_and_names_come_from_the_papers(induced: dict[str, Any]) -> None:
    text = " ".join(f"{p['title']} {p['abstract']}" for p in papers().values()).lower()
    for item in induced["leaves"]:
        assert item["title_cues"][0].split()[0] in text
        assert item["name"] and item["name"][0].isupper()
    assert any(item["families"] for item in induced["leaves"])


def test_induced_family_names_become_taxonomy_families() -> None:
    names = ["KV Cache Quantization", "kv cache quantization", "4-bit Formats"]
    families = families_from_names(names)
    assert [f.id for f in families] == ["kv_cache_quantization", "f_4_bit_formats"]
    assert families[0].cues == ["kv cache quantization"] and families[0].definition


def test_cluster_scores() -> None:
    gold = {"a": "x", "b": "x", "c": "y", "d": "y"}
    assert cluster_scores(gold, {"a": "1", "b": "1", "c": "2", "d": "2"}).as_dict() == {
        "nmi": 1.0, "ari": 1.0, "purity": 1.0, "papers": 4, "clusters": 2, "gold_leaves": 2,
    }  # fmt: skip
    merged = cluster_scores(gold, {"a": "1", "b": "1", "c": "1", "d": "1", "e": "1"})
    assert (merged.nmi, merged.purity, merged.papers) == (0.0, 0.5, 4)
    texts = [f"{row['title']}. {row['abstract']}" for row in classics()]
    assert sorted(set(topic_model_kmeans(texts, 3))) == [0, 1, 2]


def test_induction_of_a_tiny_corpus() -> None:
    items = [{"paper_id": pid, **paper} for pid, paper in list(papers().items())[:4]]
    answer = induce(InduceRequest(items, ["model"], True, 30), load_taxonomy(None))
    context = {
        "papers": {i["paper_id"]: i for i in items},
        "levels": ["model", "system", "hardware"],
    }
    proposal = TaxonomyProposal.model_validate(answer, context=context)
    assert sorted(proposal.members()) == [i["paper_id"] for i in items]


def test_induce_command_writes_files_build_accepts_and_replays(tmp_path: Path) -> None:
    from pipeline.cli import _register, app

    _register()
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(
            json.dumps({"title": r["title"], "abstract": r["abstract"]}) + "\n"
            for r in classics()[:48]
        ),
        encoding="utf-8",
    )
    cache = tmp_path / "cache"
    out = tmp_path / "first" / "taxonomy.proposed.yaml"
    args = ["taxonomy", "induce", str(corpus), "--cache-dir", str(cache),
            "--outputs", str(tmp_path / "none")]  # fmt: skip
    result = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    taxonomy = load_taxonomy(out)  # the file `build --taxonomy` reads
    assert len(taxonomy.leaves) >= 2
    report = out.with_suffix(".md").read_text(encoding="utf-8")
    assert "Members:" in report and "## " in report
    again = tmp_path / "second" / "taxonomy.proposed.yaml"
    result = CliRunner().invoke(app, [*args, "--out", str(again), "--replay"])
    assert result.exit_code == 0, result.output
    for suffix in (".yaml", ".md", ".members.jsonl"):
        assert out.with_suffix(suffix).read_bytes() == again.with_suffix(suffix).read_bytes()


async def test_a_remote_model_proposes_on_batches_then_merges(
    tmp_path: Path, openai_server: Any, fake_openai_key: str
) -> None:
    """TnT-LLM over HTTP: one request per batch of papers, one merge; then all cached."""
    from pipeline.seam import AnswerCache, ModelConfig, Seam
    from pipeline.stages.induce import induce_taxonomy
    from tests.openai_server import RecordedRequest, Reply

    def leaves_of(ids: list[str], titles: dict[str, str]) -> list[dict[str, Any]]:
        halves = {"model.alpha": ids[::2], "system.beta": ids[1::2]}
        return [
            {"id": ident, "name": ident.split(".")[1].title(), "scope": "A scripted leaf here.",
             "title_cues": [ident.split(".")[1]], "members": members,
             "evidence": [{"paper_id": members[0], "quote": titles[members[0]]}]}
            for ident, members in halves.items()
        ]  # fmt: skip

    def responder(request: RecordedRequest) -> Reply:
        text = request.messages[-1]["content"]
        corpus = json.loads(text.split("<corpus>\n", 1)[1].rsplit("\n</corpus>", 1)[0])
        if "papers" in corpus:
            titles = {p["paper_id"]: p["title"] for p in corpus["papers"]}
            return Reply({"leaves": leaves_of(sorted(titles), titles)})
        merged: dict[str, dict[str, Any]] = {}
        for proposal in corpus["proposals"]:
            for item in proposal["leaves"]:
                if item["id"] in merged:
                    merged[item["id"]]["members"] += item["members"]
                else:
                    merged[item["id"]] = dict(item)
        return Reply({"leaves": list(merged.values())})

    openai_server.respond_with(responder)
    items = [{"paper_id": pid, **paper} for pid, paper in papers().items()][:50]
    config = ModelConfig(model="openai/test-model", api_base=openai_server.base_url, max_reasks=0)
    cache = AnswerCache(tmp_path / "cache")
    try:
        seam = Seam(cache, load_taxonomy(None), {"default": config})
        proposal = await induce_taxonomy(seam, items, batch_size=20)
        assert openai_server.call_count == 4  # batches of 20, 20, 10, then the merge
        assert sorted(proposal.members()) == sorted(i["paper_id"] for i in items)
        again = await induce_taxonomy(Seam(cache, load_taxonomy(None), {"default": config}),
                                      items, batch_size=20)  # fmt: skip
        assert openai_server.call_count == 4
        assert again.model_dump() == proposal.model_dump()  # replayed from the cache
    finally:
        cache.close()
