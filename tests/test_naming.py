"""Section titles of induced leaves (pipeline.local_model.naming): noun phrases that cover the
cluster, never a bare adjective, setting word or tool name; unique and deterministic."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pipeline.local_model.induce import InduceRequest, induce
from pipeline.local_model.naming import SectionNamer, phrase_key
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
