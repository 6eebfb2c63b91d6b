"""The living-survey loop: re-runs are byte-identical, a new dump costs only its new papers,
citation keys never change, unchanged sections keep their text, and every call says why.

A module-scoped base build of one shipped dump (92 entries) is copied into each test; builds run
in-process through the CLI (one litellm import per worker), one byte-identity check in a fresh
process with another hash seed.
"""

from __future__ import annotations

import functools
import json
import math
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from pipeline.cli import _register, app
from pipeline.diff import markdown_sections
from pipeline.ingest import ingest
from pipeline.ingest.keys import base_key, paper_id
from pipeline.ingest.normalize import normalize_title
from pipeline.seam.settings import ModelConfig
from pipeline.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parent.parent
BASE_DUMP = ROOT / "dumps" / "000_e1975b30c3037422.txt"
HEADER = "Daily Papers\n\nbyAK and the research community\n\nAug 14\n\n"
BATCH = ModelConfig().batch_size

WEIGHTSQUEEZE = (
    "WeightSqueeze: 3-bit Post-Training Quantization of Large Language Models",
    "Post-training quantization compresses the weights of large language models without "
    "retraining. WeightSqueeze rounds weights to 3 bits with a learned per-group scale computed "
    "from 128 calibration samples and a fused dequantization kernel. On LLaMA-2 13B, 3-bit "
    "WeightSqueeze weights reduce model memory by 4.9x and give a 2.8x speedup in decoding "
    "compared with FP16 weights.",
)
XFORMER = (
    "XFormer-HLS: An FPGA Accelerator for Transformer Inference",
    "We design an FPGA accelerator for transformer inference with high-level synthesis. "
    "XFormer-HLS streams weights from HBM through a systolic array of DSP slices and keeps "
    "attention scores on chip. On an Alveo U280 FPGA, XFormer-HLS runs BERT-Base inference "
    "with 3.6x lower latency and 7.2x higher energy efficiency than a V100 GPU.",
)
# Its derived key equals that of 'Efficient Deployment of Large Language Models on
# Resource-constrained Devices' (dump 000), and its id sorts first: only the key map keeps the
# known paper's key.
COLLIDING = (
    "Efficient Deployment of Speculative Decoding on Shared Serving Clusters",
    "Speculative decoding speeds up LLM serving when a draft model proposes tokens that the "
    "target model verifies. We deploy draft models on a shared serving cluster and schedule "
    "draft and target requests together with continuous batching. On a cluster of 16 GPUs, our "
    "scheduler improves serving throughput by 1.9x and reduces time to first token by 35% "
    "compared with vLLM.",
)
OUT_OF_SCOPE = (
    "Graph Neural Networks for Protein-Ligand Binding Affinity Prediction",
    "Predicting protein-ligand binding affinity is central to drug discovery. We encode "
    "protein pockets and ligands as heterogeneous graphs and attend across the interface. On "
    "the PDBbind core set, our graph neural network reaches a Pearson correlation of 0.84.",
)
DUPLICATE_TITLE = "LGViT: Dynamic Early Exiting for Accelerating Vision Transformer"


def dump_text(*papers: tuple[str, str]) -> str:
    """A Daily Papers listing in the blank-line layout (dumps/000_*.txt)."""
    return HEADER + "\n\n".join(f"{title}\n\n{abstract}" for title, abstract in papers) + "\n"


def shipped_paper(title: str) -> tuple[str, str]:
    """A paper of the base dump exactly as listed there (title, abstract)."""
    blocks = [b.strip() for b in BASE_DUMP.read_text(encoding="utf-8").split("\n\n")]
    return title, blocks[blocks.index(title) + 1]


def build(
    workdir: Path, *extra: str, out: str = "outputs", ok: bool = True, cache: str = "cache"
) -> dict[str, Any]:
    """`taxonomist build dumps --out OUT --cache-dir CACHE` run in workdir; the run report."""
    _register()
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(workdir)
        result = CliRunner().invoke(
            app, ["-q", "build", "dumps", "--out", out, "--cache-dir", cache, *extra]
        )
    if ok:
        assert result.exit_code == 0, (result.output, result.exception)
    report: dict[str, Any] = json.loads((workdir / "runs" / "last.json").read_text("utf-8"))
    return report


def records(out: Path) -> dict[str, dict[str, Any]]:
    lines = (out / "papers.jsonl").read_text(encoding="utf-8").splitlines()
    return {r["id"]: r for r in map(json.loads, lines)}


def sections(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "sections.json").read_text(encoding="utf-8"))
    return data


def snapshot(out: Path) -> dict[str, bytes]:
    files = sorted(p for p in out.rglob("*") if p.is_file())
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in files}


markdown_blocks = markdown_sections  # survey.md split at headings (shared with `diff`)


def leaf_keys(recs: dict[str, dict[str, Any]], leaf: str) -> set[str]:
    return {r["key"] for r in recs.values() if r["relevant"] and leaf in r["leaves"]}


def cited(sentences: list[str]) -> set[str]:
    from schemas.survey import cited_keys

    return {key for sentence in sentences for key in cited_keys(sentence)}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dumps/000 built once (outputs/ and cache/); tests work on copies."""
    root = tmp_path_factory.mktemp("base")
    (root / "dumps").mkdir()
    shutil.copy(BASE_DUMP, root / "dumps" / BASE_DUMP.name)
    build(root)
    return root


@pytest.fixture
def workdir(base: Path, tmp_path: Path) -> Path:
    target = tmp_path / "work"
    shutil.copytree(base, target)
    return target


@dataclass
class Grown:
    """The base outputs committed to git, then a build with one more dump."""

    root: Path
    before: dict[str, dict[str, Any]]
    after: dict[str, dict[str, Any]]
    sections_before: dict[str, Any]
    sections_after: dict[str, Any]
    survey_before: str
    survey_after: str
    keys_before: dict[str, str]
    keys_after: dict[str, str]
    report: dict[str, Any]

    def by_title(self, title: str) -> dict[str, Any]:
        return next(r for r in self.after.values() if r["title"] == title)


@pytest.fixture(scope="module")
def grown(base: Path, tmp_path_factory: pytest.TempPathFactory) -> Grown:
    root = tmp_path_factory.mktemp("grown")
    shutil.copytree(base, root, dirs_exist_ok=True)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@localhost", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "outputs"], ["commit", "-q", "-m", "run 1"]):
        subprocess.run([*git, *args], cwd=root, check=True, capture_output=True)
    out = root / "outputs"
    before, sections_before = records(out), sections(out)
    survey_before = (out / "survey.md").read_text(encoding="utf-8")
    keys_before = json.loads((out / "citation-keys.json").read_text(encoding="utf-8"))
    added = dump_text(
        WEIGHTSQUEEZE, XFORMER, COLLIDING, OUT_OF_SCOPE, shipped_paper(DUPLICATE_TITLE)
    )
    (root / "dumps" / "001_added.txt").write_text(added, encoding="utf-8")
    report = build(root)
    return Grown(
        root,
        before,
        records(out),
        sections_before,
        sections(out),
        survey_before,
        (out / "survey.md").read_text(encoding="utf-8"),
        keys_before,
        json.loads((out / "citation-keys.json").read_text(encoding="utf-8")),
        report,
    )


# ------------------------------------------------------------------------------ replays
def test_same_inputs_and_cache_give_byte_identical_outputs(workdir: Path) -> None:
    out = workdir / "outputs"
    first = snapshot(out)
    assert {"figures/papers_per_leaf.png", "figures/papers_per_leaf.pdf"} <= set(first)

    report = build(workdir)
    assert {stage: s["calls"] for stage, s in report["stages"].items()} == dict.fromkeys(
        ("classify", "extract", "screen", "synthesize"), 0
    )
    second = snapshot(out)
    # Every byte as after the cold run: the run's statistics live in runs/, not in outputs/.
    assert second == first
    assert "run-report.json" not in second
    # A warm rebuild in another process, with another hash seed: every byte, figures included.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "4242"}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "-q",
            "build",
            "dumps",
            "--out",
            "outputs",
            "--cache-dir",
            "cache",
        ],
        cwd=workdir,
        env=env,
        check=True,
        capture_output=True,
    )
    assert snapshot(out) == second


# ------------------------------------------------------------------------- a new dump
def test_a_new_dump_sends_only_its_new_papers_to_the_model(grown: Grown) -> None:
    new = sorted(set(grown.after) - set(grown.before))
    assert sorted(grown.after[i]["title"] for i in new) == sorted(
        t for t, _ in (WEIGHTSQUEEZE, XFORMER, COLLIDING, OUT_OF_SCOPE)
    )
    relevant = [i for i in new if grown.after[i]["relevant"]]
    assert grown.by_title(OUT_OF_SCOPE[0])["relevant"] is False
    assert len(relevant) == 3
    stages = grown.report["stages"]
    assert stages["screen"]["why"] == {"new paper": len(new)}
    assert stages["screen"]["cache_hits"] == len(grown.before)
    assert stages["screen"]["calls"] == math.ceil(len(new) / BATCH)
    known_relevant = sum(1 for r in grown.before.values() if r["relevant"])
    for stage in ("classify", "extract"):
        assert stages[stage]["why"] == {"new paper": len(relevant)}, stage
        assert stages[stage]["cache_hits"] == known_relevant, stage
        assert stages[stage]["calls"] == math.ceil(len(relevant) / BATCH), stage
    # Known papers come out exactly as before (the duplicate only gains a source).
    for ident, record in grown.before.items():
        after = dict(grown.after[ident], sources=record["sources"])
        assert after == record, record["title"]


def test_a_duplicate_gains_a_source_but_no_new_id_or_key(grown: Grown) -> None:
    before = next(r for r in grown.before.values() if r["title"] == DUPLICATE_TITLE)
    after = grown.after[before["id"]]
    same_title = [r["id"] for r in grown.after.values() if r["title"] == DUPLICATE_TITLE]
    assert same_title == [before["id"]]
    assert after["key"] == before["key"]
    assert after["sources"][: len(before["sources"])] == before["sources"]
    assert [s["file"] for s in after["sources"][len(before["sources"]) :]] == [
        "dumps/001_added.txt"
    ]
    assert grown.report["ingest"]["duplicates_merged"] == 1
    assert set(grown.keys_after) - set(grown.keys_before) == {
        paper_id(normalize_title(t)) for t, _ in (WEIGHTSQUEEZE, XFORMER, COLLIDING, OUT_OF_SCOPE)
    }


def test_a_colliding_new_paper_never_takes_a_known_key(grown: Grown) -> None:
    known = next(r for r in grown.before.values() if r["key"] == base_key(COLLIDING[0], [], None))
    newcomer = paper_id(normalize_title(COLLIDING[0]))
    assert newcomer < known["id"]  # without the key map, key order would favour the newcomer
    fresh = ingest([grown.root / "dumps"])
    assert {p.id: p.key for p in fresh.corpus.papers}[known["id"]] != known["key"]

    assert grown.after[known["id"]]["key"] == known["key"]
    assert grown.after[newcomer]["key"] == known["key"] + "b"
    kept = {i: k for i, k in grown.keys_after.items() if i in grown.keys_before}
    assert kept == grown.keys_before


def test_a_persisted_key_of_a_retired_paper_is_never_reused(tmp_path: Path) -> None:
    retired = "p0123456789ab"  # a paper of an earlier run whose dump is gone
    title = "RotaQuant: Rotation-Calibrated 3-bit Weight Quantization for Large Language Models"
    key = base_key(title, [], None)
    (tmp_path / "outputs").mkdir()
    (tmp_path / "outputs" / "citation-keys.json").write_text(json.dumps({retired: key}), "utf-8")
    (tmp_path / "dumps").mkdir()
    (tmp_path / "dumps" / "new.txt").write_text(dump_text((title, WEIGHTSQUEEZE[1])), "utf-8")
    build(tmp_path)
    keys = json.loads((tmp_path / "outputs" / "citation-keys.json").read_text("utf-8"))
    assert keys == {retired: key, paper_id(normalize_title(title)): key + "b"}
    assert [r["key"] for r in records(tmp_path / "outputs").values()] == [key + "b"]


# --------------------------------------------------------------------------- sections
def test_sections_whose_papers_did_not_change_keep_their_bytes(grown: Grown) -> None:
    from pipeline.taxonomy import load_taxonomy

    taxonomy = load_taxonomy(None)
    unchanged = [
        leaf
        for leaf in taxonomy.leaves
        if leaf_keys(grown.before, leaf.id) == leaf_keys(grown.after, leaf.id)
    ]
    assert len(unchanged) >= 12
    old_blocks = markdown_blocks(grown.survey_before)
    new_blocks = markdown_blocks(grown.survey_after)
    for leaf in unchanged:
        assert grown.sections_after.get(leaf.id) == grown.sections_before.get(leaf.id), leaf.id
        heading = next(h for h in old_blocks if h.endswith(f". {leaf.name}"))
        assert new_blocks[heading] == old_blocks[heading], leaf.id
    # Only the sections whose papers changed were written: one call each, each with its reason.
    relevant = [
        {r["key"] for r in recs.values() if r["relevant"]} for recs in (grown.before, grown.after)
    ]
    changed = {leaf.id for leaf in taxonomy.leaves if leaf not in unchanged}
    changed |= {"introduction", "challenges", "conclusion"} if relevant[0] != relevant[1] else set()
    fresh = changed - set(grown.sections_before)
    asked = grown.report["stages"]["synthesize"]
    assert asked["calls"] == len(changed)
    assert asked["why"] == {
        k: v for k, v in (("changed data", len(changed - fresh)), ("new section", len(fresh))) if v
    }
    after, before = grown.sections_after, grown.sections_before
    assert {s for s in after if after[s] != before.get(s)} == changed


def test_a_section_that_gains_a_paper_keeps_its_old_sentences(grown: Grown) -> None:
    newcomer = grown.by_title(WEIGHTSQUEEZE[0])
    assert newcomer["primary"] == "model.quantization"
    old = grown.sections_before["model.quantization"]["sentences"]
    new = grown.sections_after["model.quantization"]["sentences"]
    assert len(new) > len(old)
    for before, after in zip(old, new, strict=False):
        # A comparison on one metric is updated where it stood, keeping its papers.
        assert after == before or (
            after.split(",", 1)[0] == before.split(",", 1)[0] and cited([before]) <= cited([after])
        )
    assert sum(a == b for a, b in zip(old, new, strict=False)) >= len(old) - 1
    assert cited(old) | {newcomer["key"]} == cited(new)


# ---------------------------------------------------------------------- what changed
def test_a_taxonomy_edit_reruns_what_depends_on_it_and_says_why(workdir: Path) -> None:
    from pipeline.local_model.keys import matched_cues
    from schemas.taxonomy import Taxonomy

    data = yaml.safe_load((ROOT / "taxonomy.yaml").read_text(encoding="utf-8"))
    leaf = data["levels"][0]["leaves"][1]
    assert leaf["id"] == "model.pruning"
    leaf["description"] += " Also dropping whole experts of mixture-of-experts models."
    leaf["cues"] = [*leaf["cues"], "mixture-of-experts"]
    (workdir / "edited.yaml").write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    before, after = load_taxonomy(None), Taxonomy.model_validate(data)
    papers = list(records(workdir / "outputs").values())
    # screening reads a cut abstract, so count the papers whose whole text shows the new cue
    touched = [
        p
        for p in papers
        if matched_cues(before, p["title"], p["abstract"])
        != matched_cues(after, p["title"], p["abstract"])
    ]
    assert 0 < len(touched) < len(papers) // 4

    report = build(workdir, "--taxonomy", "edited.yaml")
    for stage in ("screen", "classify", "extract"):
        stats = report["stages"][stage]
        misses = stats["papers"] - stats["cache_hits"]
        assert sum(stats["why"].values()) == misses, stage
        assert 0 < misses <= len(touched), (stage, misses)
        assert set(stats["why"]) == {"changed taxonomy"}, (stage, stats["why"])
    # Only the edited leaf's section (its description changed) and sections whose papers
    # changed are written again.
    assert report["stages"]["synthesize"]["calls"] < len(sections(workdir / "outputs")) // 2
    # Byte for byte what a cold build of the edited taxonomy writes.
    build(workdir, "--taxonomy", "edited.yaml", out="cold", cache="cold-cache")
    assert snapshot(workdir / "outputs") == snapshot(workdir / "cold")
    # Back to the shipped taxonomy: the first answers are still cached.
    report = build(workdir)
    assert all(report["stages"][s]["calls"] == 0 for s in ("screen", "classify", "extract"))


def test_a_prompt_edit_reruns_only_its_stage(
    workdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.build
    from pipeline.paths import PROMPTS_DIR
    from pipeline.seam.ask import Seam
    from pipeline.seam.prompts import load_prompt

    prompts = tmp_path / "prompts"
    shutil.copytree(PROMPTS_DIR, prompts)
    with (prompts / "classify.j2").open("a", encoding="utf-8") as handle:
        handle.write("{# reworded: the template changed, the rendered text did not #}\n")
    loader = functools.partial(load_prompt, directory=prompts)
    monkeypatch.setattr(pipeline.build, "Seam", functools.partial(Seam, prompt_loader=loader))

    report = build(workdir)
    stages = report["stages"]
    relevant = sum(1 for r in records(workdir / "outputs").values() if r["relevant"])
    assert stages["classify"]["why"] == {"changed prompt": relevant}
    assert [stages[s]["calls"] for s in ("screen", "extract", "synthesize")] == [0, 0, 0]


def test_diff_lists_the_new_papers_by_leaf(grown: Grown) -> None:
    _register()
    out = str(grown.root / "outputs")
    result = CliRunner().invoke(app, ["diff", "--format", "md", "--out", out])
    assert result.exit_code == 0, result.output
    text = result.output
    assert (
        "- 3 new relevant papers, 1 new out-of-scope papers, 0 reclassified, 0 removed, "
        "1 new sources of known papers" in text
    )
    assert "### New papers by leaf" in text
    for title, _ in (WEIGHTSQUEEZE, XFORMER, COLLIDING):
        record = grown.by_title(title)
        leaf = f"| `{record['primary']}` "
        row = next(line for line in text.splitlines() if line.startswith(leaf))
        assert f"`{record['key']}` {title}" in row


# ------------------------------------------------------- aggregates and title variants
def test_aggregate_sections_are_rewritten_when_a_leaf_gains_a_paper(workdir: Path) -> None:
    """Challenges/introduction are summaries (counts, top lists): rewritten, never rejected."""
    distillation = (
        "Tiny Teachers: Curriculum Knowledge Distillation from Large Reasoning Models into 1B "
        "Students",
        "Distilling the reasoning ability of large models into small students often fails "
        "because long teacher traces exceed the capacity of the student. We propose a curriculum "
        "knowledge distillation scheme in which the teacher model first provides short "
        "rationales. Students of 1B parameters distilled from a 32B teacher reach 61.2% on "
        "GSM8K and answer 14x faster than the teacher on the same GPU.",
    )
    old = sections(workdir / "outputs")["challenges"]["sentences"]
    (workdir / "dumps" / "001_added.txt").write_text(dump_text(distillation), "utf-8")
    report = build(workdir)
    assert report["failed"] == []
    new = sections(workdir / "outputs")["challenges"]["sentences"]
    assert new != old and "[@taid]" not in " ".join(new)  # 'covered by a single paper' is gone


def test_a_case_variant_duplicate_sends_nothing_to_the_model(workdir: Path) -> None:
    title, abstract = shipped_paper(
        "Efficient Deployment of Large Language Models on Resource-constrained Devices"
    )
    variant = title.replace("Resource-constrained", "Resource-Constrained")
    (workdir / "dumps" / "001_added.txt").write_text(dump_text((variant, abstract)), "utf-8")
    report = build(workdir)
    assert [report["stages"][s]["calls"] for s in ("screen", "classify", "extract")] == [0, 0, 0]
    assert any(r["title"] == title for r in records(workdir / "outputs").values())
