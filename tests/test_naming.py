"""Section titles of induced leaves (pipeline.local_model.naming): noun phrases that cover the
cluster, never a bare adjective, setting word or tool name; unique and deterministic."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

from pipeline.local_model.induce import InduceRequest, induce
from pipeline.local_model.naming import SectionNamer, near_duplicate, phrase_key, title_parts
from pipeline.local_model.text import make_document
from pipeline.taxonomy import load_taxonomy
from schemas.induce import restatement_key

CLASSICS = Path(__file__).parent / "fixtures" / "classics" / "classics.jsonl"
# Words that are not a section title's head: adjectives, setting words, tools and vendors.
NOT_A_HEAD = {
    "efficient", "cost-effective", "resource-constrained", "low-rank", "mixed-precision",
    "edge", "on-device", "lightweight", "scalable", "fast", "large", "pytorch", "nvidia",
    "intel", "cuda", "ascend", "huawei", "environments", "settings",
}  # fmt: skip
ADJECTIVE_FORM = re.compile(r"(ive|able|ible|ous|ful|less|effective|constrained|aware|free)$")


def _fusion_corpus() -> list:
    """Six papers on operator fusion for edge devices, all cost-effective and all in PyTorch,
    and six on something else (so what is shared is also distinctive)."""
    tools = ["FuseX", "KernLite", "OpFuse", "GraphMelt", "TorchWeld", "Blend"]
    fusion = [
        make_document(
            f"{tool}: Cost-effective Operator Fusion for Edge Devices",
            f"We present {tool}, a cost-effective compiler that applies operator fusion to "
            f"PyTorch programs on edge devices. {tool} fuses kernels of PyTorch graphs on edge "
            "devices, and its operator fusion keeps accuracy.",
        )
        for tool in tools
    ]
    other = [
        make_document(
            f"Sparse Attention {n} for Long Documents",
            f"We propose a sparse attention pattern for long documents. The sparse attention of "
            f"variant {n} halves memory on edge devices.",
        )
        for n in range(6)
    ]
    return fusion + other


def test_a_cluster_is_named_by_its_shared_noun_phrase_and_setting() -> None:
    namer = SectionNamer(_fusion_corpus())
    members = list(range(6))
    # "edge" is always followed by the noun it modifies; "devices" ends the phrase.
    assert namer.head_share("edge") < 0.35 <= namer.head_share(phrase_key("devices"))
    assert not namer.nameable("edge") and namer.nameable(phrase_key("edge devices"))
    assert not namer.nameable("cost-effective")  # an adjective, followed by its noun
    assert namer.is_vendor("pytorch") and not namer.nameable("pytorch")
    assert namer.nameable("operator fusion")
    assert namer.title(members, set()) == "Operator Fusion for Edge Devices"
    # A name already taken (up to plural and case) gives way to the next candidate.
    taken = {restatement_key("Operator Fusion for Edge Devices")}
    assert namer.title(members, taken) not in {"", "Operator Fusion for Edge Devices"}
    # The other cluster: "sparse attention" is theirs; edge devices are shared, not theirs.
    assert namer.title(list(range(6, 12)), set()).startswith("Sparse Attention")


def test_phrase_keys_and_restatements() -> None:
    from pipeline.local_model.naming import _restates

    assert phrase_key("Hardware Accelerators") == "hardware accelerator"
    assert phrase_key("Strategies") == "strategy" and phrase_key("process") == "process"
    assert _restates("ptq", "post-training quantization")  # an acronym of the other
    assert _restates("text-speech alignment", "text-to-speech")
    assert not _restates("kv cache", "rotary position embedding")


def test_induced_names_read_like_section_titles() -> None:
    rows = [json.loads(line) for line in CLASSICS.read_text(encoding="utf-8").splitlines()]
    items = [
        {"paper_id": f"p{i:03d}", "title": r["title"], "abstract": r["abstract"]}
        for i, r in enumerate(rows)
    ]
    request = InduceRequest(items, ["model", "system", "hardware"], True, 30)
    leaves = induce(request, load_taxonomy(None))["leaves"]
    names = [leaf["name"] for leaf in leaves]
    assert len({restatement_key(n) for n in names}) == len(names)  # unique
    namer = SectionNamer(
        [
            make_document(i["title"], i["abstract"])
            for i in sorted(items, key=lambda i: i["paper_id"])
        ]
    )
    for name in names:
        assert "(continued)" not in name
        for part in re.split(r" and | for ", name):
            last = part.split()[-1].lower()
            assert last not in NOT_A_HEAD and not ADJECTIVE_FORM.search(last), name
            assert namer.nameable(phrase_key(part)), name  # ends on a noun the corpus uses
        assert name.lower() not in NOT_A_HEAD
    # Deterministic: the same papers in another order give the same names.
    again = induce(InduceRequest(items[::-1], ["model", "system", "hardware"], True, 30),
                   load_taxonomy(None))["leaves"]  # fmt: skip
    assert [leaf["name"] for leaf in again] == names


def _docs(rows: list[tuple[str, str]]) -> list:
    return [make_document(title, abstract) for title, abstract in rows]


def _attention_papers(n: int, extra: str = "") -> list[tuple[str, str]]:
    return [
        (f"Sparse Attention {k} for Long Documents",
         f"We propose a sparse attention {extra}pattern for long documents, variant {k}.")
        for k in range(n)
    ]  # fmt: skip


def _llm_serving_papers() -> list[tuple[str, str]]:
    return [
        (f"Pager{k}: LLM Serving with Paged Memory",
         f"We present Pager{k}, an LLM serving system. Its LLM serving throughput doubles.")
        for k in range(6)
    ]  # fmt: skip


def test_titles_of_a_partition_are_never_near_duplicates() -> None:
    """Two serving clusters: the one "serving" describes best keeps it, the other is titled by
    what sets it apart, not by a restatement ("Language Model Serving" next to "LLM Serving")."""
    paged = _llm_serving_papers()
    routed = [
        (f"Router{k}: Efficient Language Model Serving",
         f"We propose request routing across replicas. Request routing of Router{k} cuts cost.")
        for k in range(6)
    ]  # fmt: skip
    namer = SectionNamer(_docs(paged + routed + _attention_papers(6)))
    clusters = [list(range(6)), list(range(6, 12)), list(range(12, 18))]
    # Cluster by cluster, each takes its best phrase: near-duplicates.
    alone = [title_parts(namer.title(members, set())) for members in clusters]
    assert any(near_duplicate(a, b) for a in alone[0] for b in alone[1])
    names = namer.titles(clusters)
    assert names[0] == "LLM Serving" and names[1].startswith("Request Routing"), names
    parts = [title_parts(name) for name in names]
    for i, j in itertools.combinations(range(len(names)), 2):
        assert not any(near_duplicate(a, b) for a in parts[i] for b in parts[j]), names


def test_near_duplicates() -> None:
    assert near_duplicate("llm serving", "language model serving")
    assert near_duplicate("expert", "mixture-of-expert")  # a term's last part
    assert near_duplicate("moe", "mixture-of-expert")  # its initials
    assert near_duplicate("pruning", "structured pruning")  # a single word, the other's head
    assert not near_duplicate("carbon footprint", "memory footprint")
    assert not near_duplicate("pre-training", "distributed training")


def test_a_hyphenated_term_written_whole_is_kept_whole() -> None:
    """ "Mixture-of-Experts" is written capitalised, like a product name, yet joined by "of"
    it is a term: the title keeps it whole rather than its last part ("Experts")."""
    moe = [
        (f"Tool{k}: Efficient Mixture-of-Experts",
         f"We present Tool{k}, which routes tokens to experts of Mixture-of-Experts models. "
         f"The experts of Tool{k} balance load, and a Mixture-of-Expert model trains faster.")
        for k in range(6)
    ]  # fmt: skip
    namer = SectionNamer(_docs(moe + _attention_papers(6)))
    assert not namer.is_vendor(phrase_key("Mixture-of-Experts"))
    assert namer.fragment("expert") and not namer.fragment("attention")
    assert namer.titles([list(range(6)), list(range(6, 12))])[0] == "Mixture-of-Experts"


def test_a_mixed_cluster_is_titled_by_its_two_lines_of_work() -> None:
    """A cluster of MoE papers, vision-transformer papers and one-offs, all about
    "architecture" like every other cluster: no phrase covers a fifth of it, so its title
    joins its two main terms instead of the word the whole corpus shares."""
    moe = [
        (f"Moe{k}: Mixture-of-Experts",
         f"We scale Mixture-of-Experts layers in a new architecture, variant {k}.")
        for k in range(3)
    ]  # fmt: skip
    vit = [
        (f"Vit{k}: A Vision Transformer",
         f"We design a vision transformer for images, in a new architecture, variant {k}.")
        for k in range(3)
    ]  # fmt: skip
    topics = "graph speech tabular recommendation robotics weather protein music chemistry"
    topics += " retrieval translation forecasting audio video"
    rest = [
        (f"An Architecture for {t.title()}", f"We propose an architecture for {t}.")
        for t in topics.split()
    ]
    others = _attention_papers(20, extra="architecture ")
    namer = SectionNamer(_docs(moe + vit + rest + others))
    names = namer.titles([list(range(20)), list(range(20, 40))])
    assert set(names[0].split(" and ")) == {"Mixture-of-Experts", "Vision Transformer"}, names
    assert names[1].startswith("Sparse Attention"), names


def test_a_boilerplate_word_ends_a_term_its_modifier_makes_distinctive() -> None:
    """ "learning" alone names nothing (every paper of the field learns), yet "federated
    learning" is a term: it titles the cluster rather than the server it mentions, while
    "learning" and "deep learning" (the field's own words) are never candidates."""
    federated = [
        (f"Fed{k}: Federated Learning",
         f"We present Fed{k}, which trains deep learning models by federated learning. "
         f"The server of Fed{k} aggregates client updates, and federated learning converges.")
        for k in range(6)
    ]  # fmt: skip
    namer = SectionNamer(_docs(federated + _attention_papers(6)))
    assert namer.nameable("federated learning")
    assert "learning" not in namer.papers and "deep learning" not in namer.papers
    assert namer.titles([list(range(6)), list(range(6, 12))])[0] == "Federated Learning"


def test_a_cluster_whose_head_is_another_s_takes_it_with_a_modifier_of_its_own() -> None:
    """The serving papers of a second cluster lose "serving" to the "LLM Serving" cluster;
    what they own besides is "metrics", a word most of whose papers are elsewhere and that
    names no topic. The title is the shared head with the modifier only its papers write with
    it ("Multi-tenant Serving"), not the spread word."""
    paged = _llm_serving_papers()
    tenants = [
        (f"Tenant{k}: Multi-tenant Language Model Serving",
         f"We present Tenant{k}, a multi-tenant design sharing one GPU. We report metrics.")
        for k in range(2)
    ] + [
        (f"On Language Model Serving {k}", "We study language model serving. We report metrics.")
        for k in range(4)
    ]  # fmt: skip
    others = [
        (title, f"{abstract} We report metrics.") for title, abstract in _attention_papers(12)
    ]
    namer = SectionNamer(_docs(paged + tenants + others))
    clusters = [list(range(6)), list(range(6, 12)), list(range(12, 18)), list(range(18, 24))]
    assert namer.precision("metric", clusters[1]) < 0.4  # spread: most of its papers elsewhere
    names = namer.titles(clusters)
    assert names[:2] == ["LLM Serving", "Multi-tenant Serving"], names
