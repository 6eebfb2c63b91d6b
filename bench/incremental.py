"""Benchmark of the living-survey loop: build the shipped dumps, add a dump, build again.

Run 1 builds dumps/ in a fresh git repository (its outputs are committed), run 2 adds
bench/fixtures/new_papers.txt (45 new papers across many leaves, 7 of them out of scope by the
local model's judgement, plus 3 duplicates of shipped papers) and builds on the same outputs and
cache, run 3 regenerates run 2's input from scratch (fresh out dir, fresh cache). Each build is
its own process (`python -m pipeline -q build`) with its own TAXONOMIST_CACHE_DIR.

Reported: model calls of run 2 per stage against the calls that exactly the new papers need
(the seam's batching rule, ModelConfig.batch_size, plus one synthesize call per section whose
paper set changed), where any difference comes from, changed lines of survey.md/survey.tex
(incremental vs regenerated), the time ratio of run 2 to run 1, and `taxonomist diff --format md`.
Last line: ``new_calls=<int> expected_calls=<int> changed_lines_md=<int>
regenerated_lines_md=<int> time_ratio=<float>`` (on one line).
"""

from __future__ import annotations

import difflib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipeline.diff import markdown_sections  # noqa: E402
from pipeline.seam.settings import ModelConfig  # noqa: E402 - needs the sys.path entry above
from pipeline.stages.synthesize import SPECIAL_SECTIONS, section_papers  # noqa: E402
from pipeline.taxonomy import load_taxonomy  # noqa: E402
from schemas.record import PaperRecord  # noqa: E402

NEW_DUMP = ROOT / "bench" / "fixtures" / "new_papers.txt"
PAPER_STAGES = ("screen", "classify", "extract")
STAGES = (*PAPER_STAGES, "synthesize")
GIT = [
    "git",
    "-c",
    "user.name=bench",
    "-c",
    "user.email=bench@localhost",
    "-c",
    "commit.gpgsign=false",
]


@dataclass
class Run:
    """One build process: where it wrote, how long it took, how it ended."""

    out: Path
    log: Path  # the run's statistics (<cache>/../runs/last.json)
    seconds: float
    returncode: int
    stderr: str

    def report(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.log.read_text("utf-8"))
        return data

    def records(self) -> dict[str, PaperRecord]:
        lines = (self.out / "papers.jsonl").read_text("utf-8").splitlines()
        records = [PaperRecord.model_validate_json(line) for line in lines if line.strip()]
        return {r.id: r for r in records}

    def sections(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.out / "sections.json").read_text("utf-8"))
        return data

    def text(self, name: str) -> str:
        return (self.out / name).read_text("utf-8")


def build(workdir: Path, out: str, cache: str) -> Run:
    """`python -m pipeline -q build dumps --out OUT` in workdir; a failed paper is not fatal."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TAXONOMIST_CACHE_DIR": str(workdir / cache)}
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "-q", "build", "dumps", "--out", out],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    log = (workdir / cache).parent / "runs" / "last.json"
    run = Run(workdir / out, log, elapsed, result.returncode, result.stderr)
    # Exit 1 with a run report is a run with failed papers: measured and explained below.
    if result.returncode not in (0, 1) or not run.log.exists():
        sys.exit(f"build --out {out} failed ({result.returncode}):\n{result.stderr}")
    return run


def git(workdir: Path, *args: str) -> str:
    result = subprocess.run([*GIT, *args], cwd=workdir, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"git {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def changed_lines(before: str, after: str) -> int:
    """Lines added plus lines removed (difflib, no context)."""
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    return sum(
        (i2 - i1) + (j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )


def section_sets(records: dict[str, PaperRecord], sections: list[str]) -> dict[str, set[str]]:
    chosen = list(records.values())
    return {s: {p.key for p in section_papers(s, chosen)} for s in sections}


def model_input(record: PaperRecord) -> tuple[str, str]:
    """What the paper stages see of a paper besides its id."""
    return record.title, record.abstract


markdown_blocks = markdown_sections  # survey.md split at headings (shared with `diff`)


def main() -> None:
    taxonomy = load_taxonomy(None)
    batch = ModelConfig().batch_size
    with tempfile.TemporaryDirectory(prefix="taxonomist-incremental-") as tmp:
        workdir = Path(tmp)
        shutil.copytree(ROOT / "dumps", workdir / "dumps")
        git(workdir, "init", "-q")
        first = build(workdir, "outputs", "cache")
        old = {name: first.text(name) for name in ("survey.md", "survey.tex")}
        old_records, old_sections = first.records(), first.sections()
        git(workdir, "add", "outputs")
        git(workdir, "commit", "-q", "-m", "run 1: shipped dumps")

        shutil.copy(NEW_DUMP, workdir / "dumps" / "005_new_papers.txt")
        second = build(workdir, "outputs", "cache")
        regenerated = build(workdir, "regenerated", "cache-regenerated")
        diff_md = subprocess.run(
            [sys.executable, "-m", "pipeline", "diff", "--format", "md"],
            cwd=workdir,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
        )

        report, records, sections = second.report(), second.records(), second.sections()
        new_md, new_tex = second.text("survey.md"), second.text("survey.tex")
        regen_md, regen_tex = regenerated.text("survey.md"), regenerated.text("survey.tex")
        regen_keys = {r.id: r.key for r in regenerated.records().values()}

    # ---------------------------------------------------------------- what the new dump is
    new_ids = sorted(set(records) - set(old_records))
    new_relevant = [i for i in new_ids if records[i].relevant is True]
    merged = sorted(
        records[i].key
        for i in old_records
        if i in records and len(records[i].sources) > len(old_records[i].sources)
    )
    changed_input = sorted(
        i
        for i in old_records
        if i in records and model_input(records[i]) != model_input(old_records[i])
    )
    key_changes = sorted(
        (old_records[i].key, records[i].key)
        for i in old_records
        if i in records and records[i].key != old_records[i].key
    )

    # -------------------------------------------------------------------- expected calls
    expected = {
        "screen": math.ceil(len(new_ids) / batch),
        "classify": math.ceil(len(new_relevant) / batch),
        "extract": math.ceil(len(new_relevant) / batch),
    }
    leaf_ids = [leaf.id for leaf in taxonomy.leaves]
    all_sections = [*SPECIAL_SECTIONS, *leaf_ids]
    before_sets = section_sets(old_records, all_sections)
    after_sets = section_sets(records, all_sections)
    affected = [s for s in all_sections if after_sets[s] and after_sets[s] != before_sets[s]]
    expected["synthesize"] = len(affected)
    stages = report["stages"]
    calls = {stage: int(stages.get(stage, {}).get("calls", 0)) for stage in STAGES}
    new_calls, expected_calls = sum(calls.values()), sum(expected.values())

    # A section was asked when the digest of its inputs changed (or it failed and is missing).
    asked = sorted(
        s
        for s in set(old_sections) | set(sections)
        if s not in sections
        or s not in old_sections
        or sections[s]["inputs"] != old_sections[s]["inputs"]
    )
    unchanged_leaves = [s for s in leaf_ids if before_sets[s] and before_sets[s] == after_sets[s]]
    old_blocks, new_blocks = markdown_blocks(old["survey.md"]), markdown_blocks(new_md)
    same_blocks = [
        s
        for s in unchanged_leaves
        if sections.get(s) == old_sections.get(s)
        and all(
            old_blocks.get(h) == new_blocks.get(h)
            for h in old_blocks
            if h.endswith(f". {taxonomy.leaf(s).name}")
        )
    ]

    # ------------------------------------------------------------------------------ print
    print(f"run 1 (shipped dumps, cold cache): {first.seconds:.2f} s, exit {first.returncode}")
    print(
        f"run 2 (+ {NEW_DUMP.name}, same outputs and cache): {second.seconds:.2f} s, "
        f"exit {second.returncode}"
    )
    print(
        f"run 3 (regenerated from scratch): {regenerated.seconds:.2f} s, "
        f"exit {regenerated.returncode}"
    )
    print(
        f"new papers: {len(new_ids)} ({len(new_relevant)} relevant, "
        f"{len(new_ids) - len(new_relevant)} out of scope); duplicates merged into known papers: "
        f"{len(merged)} ({', '.join(merged) or 'none'}); batch size {batch}"
    )
    print(f"{'stage':<11} {'new_calls':>9} {'expected':>8} {'reasks':>6} {'failed':>6}  why")
    for stage in STAGES:
        info = stages.get(stage, {})
        why = json.dumps(info.get("why", {}), sort_keys=True)
        print(
            f"{stage:<11} {calls[stage]:>9} {expected[stage]:>8} {info.get('reasks', 0):>6} "
            f"{info.get('failed', 0):>6}  {why}"
        )
    print(f"{'total':<11} {new_calls:>9} {expected_calls:>8}")
    print(f"sections expected to change ({len(affected)}): {', '.join(affected)}")
    extra = [s for s in asked if s not in affected]
    missing = [s for s in affected if s not in asked]
    print(f"sections asked ({len(asked)}): extra {extra or 'none'}, not asked {missing or 'none'}")
    for ident in changed_input:
        print(
            f"known paper whose model input changed (re-asked by every paper stage): "
            f"{records[ident].key}: title {old_records[ident].title!r} -> "
            f"{records[ident].title!r}"
        )
    for failure in report.get("failed", []):
        print(f"failed: {failure['stage']} {failure['paper_id']}: {failure['error'][:300]}")
    differ = sorted(
        f"{records[i].key} (from scratch: {k})"
        for i, k in regen_keys.items()
        if i in records and records[i].key != k
    )
    print(
        f"citation keys changed: {key_changes or 'none'}; keys a from-scratch build would give "
        f"differently: {', '.join(differ) or 'none'}"
    )
    print(
        f"leaf sections with an unchanged paper set: {len(unchanged_leaves)}, byte-identical "
        f"(sections.json and survey.md block): {len(same_blocks)}"
    )
    print(
        f"changed_lines_tex={changed_lines(old['survey.tex'], new_tex)} "
        f"regenerated_lines_tex={changed_lines(old['survey.tex'], regen_tex)}"
    )
    print("--- taxonomist diff --format md (after run 2, against run 1's commit) ---")
    print(diff_md.stdout.rstrip() if diff_md.returncode == 0 else f"diff failed: {diff_md.stderr}")
    print("---")
    print(
        f"new_calls={new_calls} expected_calls={expected_calls} "
        f"changed_lines_md={changed_lines(old['survey.md'], new_md)} "
        f"regenerated_lines_md={changed_lines(old['survey.md'], regen_md)} "
        f"time_ratio={second.seconds / first.seconds:.3f}"
    )


if __name__ == "__main__":
    main()
