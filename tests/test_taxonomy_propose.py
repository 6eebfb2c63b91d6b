"""Taxonomy proposals: the schema's checks, edits that keep the YAML layout, the local model's
catch-all and misfiling signals, and the command (diff, report, --apply, replay)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError
from typer.testing import CliRunner

from pipeline.local_model import LocalModel
from pipeline.local_model.propose import propose
from pipeline.paths import DEFAULT_TAXONOMY
from pipeline.taxonomy import load_taxonomy
from pipeline.taxonomy_edit import edited_text, unified_diff
from schemas.induce import ProposedLeaf
from schemas.propose import Change, TaxonomyChanges, apply_changes

CLASSICS = Path(__file__).parent / "fixtures" / "classics" / "classics.jsonl"


def classics() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CLASSICS.read_text(encoding="utf-8").splitlines()]


def papers() -> dict[str, dict[str, str]]:
    return {
        f"p{i:03d}": {"title": r["title"], "abstract": r["abstract"]}
        for i, r in enumerate(classics())
    }


def check(changes: list[dict[str, Any]]) -> TaxonomyChanges:
    context = {"papers": papers(), "taxonomy": load_taxonomy(None)}
    return TaxonomyChanges.model_validate({"changes": changes}, context=context)


MOVE = {
    "kind": "move", "leaf": "model.quantization", "target": "model.pruning",
    "why": "these papers remove weights rather than quantize them", "members": ["p000", "p001"],
    "evidence": [{"paper_id": "p000", "quote": "GPTQ"}],
    "edits": [{"leaf": "model.pruning", "title_cues": ["weight removal"]}], "apply": True,
}  # fmt: skip


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({**MOVE, "target": "model.nothing"}, "not in the taxonomy"),
        ({**MOVE, "target": None}, "needs a `target`"),
        ({**MOVE, "members": ["p000", "nope"]}, "unknown paper ids"),
        ({**MOVE, "evidence": [{"paper_id": "p001", "quote": "GPTQ is great"}]}, "not verbatim"),
    ],
)
def test_the_schema_rejects(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        check([change])


def test_edits_keep_the_file_layout_and_match_the_applied_taxonomy() -> None:
    text = DEFAULT_TAXONOMY.read_text(encoding="utf-8")
    taxonomy = load_taxonomy(None)
    new_leaf = {
        "id": "model.weight_removal", "name": "Weight Removal", "scope": "Removing weights.",
        "title_cues": ["weight removal"], "members": ["p000", "p001"],
        "evidence": [{"paper_id": "p000", "quote": "GPTQ"}],
    }  # fmt: skip
    changes = check([
        MOVE,
        {"kind": "retire", "leaf": "hardware.memory", "why": "no paper is filed under it at all"},
        {"kind": "add", "leaf": "model.pruning", "why": "papers fit no leaf well", "members":
         ["p000", "p001"], "new_leaves": [new_leaf]},
    ]).changes  # fmt: skip
    edited = edited_text(text, taxonomy, changes)
    assert load_taxonomy_text(edited) == apply_changes(taxonomy, changes)
    diff = unified_diff(text, edited, "taxonomy.yaml")
    # The comments at the top survive; only the edited lines change.
    assert edited.splitlines()[:5] == text.splitlines()[:5]
    removed = [line for line in diff.splitlines() if line.startswith("-") and line[1:2] != "-"]
    assert any("hardware.memory" in line for line in removed)
    assert all("hardware.memory" in text for _ in removed)
    added = "\n".join(line for line in diff.splitlines() if line.startswith("+"))
    assert "weight removal, " in added and "model.weight_removal" in added


def load_taxonomy_text(text: str) -> Any:
    from schemas.taxonomy import Taxonomy

    return Taxonomy.model_validate(yaml.safe_load(text))


def classified() -> list[dict[str, Any]]:
    model = LocalModel(load_taxonomy(None))
    items = []
    for pid, paper in papers().items():
        choice = model.classify(paper["title"], paper["abstract"])
        items.append({"paper_id": pid, **paper, "primary": choice["primary"],
                      "leaves": choice["leaves"]})  # fmt: skip
    return items


def test_a_catch_all_leaf_is_flagged_for_a_split() -> None:
    items = classified()
    # Dump every third paper into one leaf, whatever it is about: a catch-all.
    for item in items[::3]:
        item["primary"] = "model.architecture"
        item["leaves"] = ["model.architecture"]
    answer = propose(items, load_taxonomy(None))
    changes = check(answer["changes"]).changes
    splits = [c for c in changes if c.kind == "split"]
    assert splits[0].leaf == "model.architecture"  # the least coherent leaf comes first
    assert all(not c.apply for c in splits)  # a split is for review
    assert len(splits[0].members) == len(items[::3]) + sum(
        1 for item in items[1::3] + items[2::3] if item["primary"] == "model.architecture"
    )
    for part in splits[0].new_leaves:
        assert set(part.members) <= set(splits[0].members) and " " in part.title_cues[0]
    assert propose(items, load_taxonomy(None)) == answer  # deterministic


def test_clean_classifications_give_no_applied_change() -> None:
    answer = propose(classified(), load_taxonomy(None))
    applied = [c for c in check(answer["changes"]).changes if c.apply]
    assert applied == [] or all(c.edits for c in applied)


def test_propose_command_diff_report_apply_and_replay(tmp_path: Path) -> None:
    from pipeline.cli import _register, app

    _register()
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(json.dumps({"title": r["title"], "abstract": r["abstract"]}) + "\n"
                for r in classics()[:48]),
        encoding="utf-8",
    )  # fmt: skip
    tax = tmp_path / "taxonomy.yaml"
    shutil.copy(DEFAULT_TAXONOMY, tax)
    args = ["taxonomy", "propose", str(corpus), "--taxonomy", str(tax), "--cache-dir",
            str(tmp_path / "cache"), "--outputs", str(tmp_path / "none")]  # fmt: skip
    first = tmp_path / "first.md"
    result = CliRunner().invoke(app, [*args, "--report", str(first)])
    assert result.exit_code == 0, result.output
    report = first.read_text(encoding="utf-8")
    assert report.startswith("# Proposed taxonomy changes")
    assert "## Diff of the taxonomy file" in report
    second = tmp_path / "second.md"
    result = CliRunner().invoke(app, [*args, "--report", str(second), "--replay"])
    assert result.exit_code == 0, result.output
    assert first.read_bytes() == second.read_bytes()
    result = CliRunner().invoke(app, [*args, "--report", str(second), "--accept", "99"])
    assert result.exit_code == 1 and "--accept" in str(result.exception)
    before = tax.read_bytes()
    result = CliRunner().invoke(app, [*args, "--report", str(second), "--apply"])
    assert result.exit_code == 0, result.output
    load_taxonomy(tax)  # whatever was applied, `build --taxonomy` can read it
    if "(no change to the taxonomy file)" in result.output:
        assert tax.read_bytes() == before
    else:
        assert tax.read_bytes() != before


def test_a_split_accepted_by_number_adds_its_parts() -> None:
    taxonomy = load_taxonomy(None)
    items = classified()
    for item in items[::3]:
        item["primary"], item["leaves"] = "model.architecture", ["model.architecture"]
    split = next(c for c in check(propose(items, taxonomy)["changes"]).changes
                 if c.kind == "split")  # fmt: skip
    first = split.members[0]
    split.new_leaves.append(
        ProposedLeaf.model_validate({
            "id": "model.scripted_part", "name": "Scripted Part", "scope": "A part for the test.",
            "title_cues": ["scripted part"], "members": split.members[:2],
            "evidence": [{"paper_id": first, "quote": papers()[first]["title"]}],
        })
    )  # fmt: skip
    after = apply_changes(taxonomy, [Change.model_validate(split.model_dump())])
    assert set(after.leaf_ids) - set(taxonomy.leaf_ids) == {p.id for p in split.new_leaves}


# A topic no leaf of taxonomy.yaml covers: inference on encrypted data.
ENCRYPTED = [
    ("HEBERT: Homomorphic Encryption for Private Transformer Inference",
     "We present HEBERT, which runs transformer inference under homomorphic encryption so that "
     "a cloud server never sees the client's input. HEBERT approximates softmax and GELU with "
     "low-degree polynomials and packs ciphertexts to reduce rotations by 3.1x."),
    ("CipherConv: Fast Homomorphic Encryption Convolutions for Private Inference",
     "Private inference with homomorphic encryption is slow because convolutions need many "
     "ciphertext rotations. We propose CipherConv, a packing scheme for homomorphic encryption "
     "that reuses rotations across channels and speeds up private ResNet inference by 2.4x."),
    ("Polynomial Activations for Homomorphic Encryption Inference",
     "Homomorphic encryption supports only additions and multiplications, so non-linear "
     "activations must be replaced. We introduce trainable polynomial activations that keep "
     "accuracy within 1% and cut the multiplicative depth of private inference in half."),
    ("PrivLM: Private Language Model Inference with Homomorphic Encryption",
     "We present PrivLM, a system for private language model inference that evaluates "
     "attention under homomorphic encryption and offloads layer normalization to the client, "
     "reducing latency by 5x over prior private inference protocols."),
    ("Bootstrapping-Free Homomorphic Encryption Inference for Vision Transformers",
     "Bootstrapping dominates the cost of deep networks under homomorphic encryption. We "
     "schedule ciphertext levels across vision transformer layers so that private inference "
     "needs no bootstrapping, cutting latency by 4.2x on ImageNet."),
]  # fmt: skip


def test_papers_no_leaf_holds_are_proposed_as_a_new_leaf() -> None:
    taxonomy = load_taxonomy(None)
    items = classified()
    model = LocalModel(taxonomy)
    new = {}
    for n, (title, abstract) in enumerate(ENCRYPTED):
        choice = model.classify(title, abstract)
        new[f"q{n}"] = {"title": title, "abstract": abstract}
        items.append({"paper_id": f"q{n}", "title": title, "abstract": abstract,
                      "primary": choice["primary"], "leaves": choice["leaves"]})  # fmt: skip
    answer = propose(items, taxonomy)
    context = {"papers": {**papers(), **new}, "taxonomy": taxonomy}
    changes = TaxonomyChanges.model_validate(answer, context=context).changes
    adds = [c for c in changes if c.kind == "add"]
    assert adds and all(not c.apply for c in adds)  # a new leaf is for review
    best = max(adds, key=lambda c: len(set(c.members) & set(new)))
    (leaf,) = best.new_leaves
    assert leaf.members == best.members and set(best.members) == set(new)
    assert leaf.name == "Homomorphic Encryption" and "homomorphic encryption" in leaf.title_cues
    assert leaf.evidence and best.why
    assert best.sizes.get(leaf.id, 0) >= 3  # simulated: the classifier files them under it
    assert propose(items, taxonomy) == answer  # deterministic


def test_a_new_leaf_takes_the_papers_its_defining_phrases_draw() -> None:
    """The papers the simulated classifier files under a new leaf are its members, with those
    that fit nowhere."""
    taxonomy = load_taxonomy(None)
    items = classified()
    model = LocalModel(taxonomy)
    extra = (
        "Quantized Homomorphic Encryption Inference with 4-bit Weights",
        "We quantize transformer weights to 4 bits with post-training quantization so that "
        "private inference under homomorphic encryption needs smaller ciphertexts; GPTQ-style "
        "quantization keeps accuracy within 1%.",
    )
    for n, (title, abstract) in enumerate([*ENCRYPTED, extra]):
        choice = model.classify(title, abstract)
        items.append({"paper_id": f"q{n}", "title": title, "abstract": abstract,
                      "primary": choice["primary"], "leaves": choice["leaves"]})  # fmt: skip
    answer = propose(items, taxonomy)
    adds = [c for c in answer["changes"] if c["kind"] == "add"]
    (encrypted,) = [c for c in adds if "homomorphic encryption" in c["new_leaves"][0]["title_cues"]]
    new_leaf = encrypted["new_leaves"][0]
    # Every paper the classifier files under the new leaf when it has it is a member.
    from pipeline.local_model.propose import _Paper, _sizes_with

    papers_ = []
    for item in items:
        a = model.analyse(item["title"], item["abstract"])
        scores = {leaf: s.score for leaf, s in a.scores.items()}
        papers_.append(_Paper(item["paper_id"], a.doc, item["primary"], item["leaves"], scores,
                              a.choice.primary, a.confidence))  # fmt: skip
    sizes, drawn = _sizes_with(taxonomy, papers_, new_leaf["id"].split(".")[0], new_leaf)
    assert {f"q{n}" for n in range(len(ENCRYPTED))} <= drawn <= set(encrypted["members"])
    assert sizes[new_leaf["id"]] == len(drawn) >= len(ENCRYPTED)
