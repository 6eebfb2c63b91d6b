"""Benchmark of a taxonomy edit: what a rebuild re-asks after one cue is added to one leaf.

Run 1 builds dumps/ cold with taxonomy.yaml (fresh outputs and cache); run 2 adds one cue to one
leaf (``--leaf``, ``--cue``; default: "parameter sharing" to model.architecture) and builds
again on the same outputs and cache; run 3 builds the edited taxonomy cold (fresh outputs and
cache). Each build is its own process (`python -m pipeline -q build dumps --taxonomy FILE`).

Reported per stage: items asked (cache misses) and requests in run 1 and run 2, run 2's "why",
how many papers the new cue is found in, and whether run 2's outputs are byte-identical to
run 3's (the files that differ are named). Last line:
``asked_before=<screen>/<classify>/<extract>/<synthesize> asked_after=... identical=yes|no``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipeline.ingest import ingest  # noqa: E402 - needs the sys.path entry above
from pipeline.local_model.keys import matched_cues  # noqa: E402
from schemas.taxonomy import Taxonomy  # noqa: E402

STAGES = ("screen", "classify", "extract", "synthesize")


def build(workdir: Path, out: str, cache: str, taxonomy: Path) -> dict[str, Any]:
    """`python -m pipeline -q build dumps --out OUT --taxonomy FILE`; its run report."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TAXONOMIST_CACHE_DIR": str(workdir / cache)}
    command = [sys.executable, "-m", "pipeline", "-q", "build", "dumps", "--out", out]
    result = subprocess.run(
        [*command, "--taxonomy", str(taxonomy)],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
    )
    log = (workdir / cache).parent / "runs" / "last.json"
    if result.returncode != 0 or not log.exists():
        sys.exit(f"build --out {out} failed ({result.returncode}):\n{result.stderr}")
    report: dict[str, Any] = json.loads(log.read_text("utf-8"))
    return report


def snapshot(out: Path) -> dict[str, bytes]:
    files = sorted(p for p in out.rglob("*") if p.is_file())
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in files}


def edited(data: dict[str, Any], leaf_id: str, cue: str) -> dict[str, Any]:
    """The taxonomy with ``cue`` appended to the cues of ``leaf_id``."""
    for level in data["levels"]:
        for leaf in level["leaves"]:
            if leaf["id"] == leaf_id:
                if cue in leaf.get("cues", []):
                    sys.exit(f"{cue!r} is already a cue of {leaf_id}")
                leaf["cues"] = [*leaf.get("cues", []), cue]
                return data
    sys.exit(f"no leaf {leaf_id!r} in taxonomy.yaml")


def asked(report: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """(items asked, requests) per stage."""
    stages = report["stages"]
    return {
        s: (
            int(stages[s]["papers"]) - int(stages[s]["cache_hits"]),
            int(stages[s]["calls"]),
        )
        for s in STAGES
        if s in stages
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leaf", default="model.architecture")
    parser.add_argument("--cue", default="parameter sharing")
    args = parser.parse_args()
    data = yaml.safe_load((ROOT / "taxonomy.yaml").read_text("utf-8"))
    after = edited(yaml.safe_load((ROOT / "taxonomy.yaml").read_text("utf-8")), args.leaf, args.cue)
    old_taxonomy, new_taxonomy = Taxonomy.model_validate(data), Taxonomy.model_validate(after)
    corpus = ingest([ROOT / "dumps"]).corpus.papers
    found = sum(
        matched_cues(old_taxonomy, p.title, p.abstract)
        != matched_cues(new_taxonomy, p.title, p.abstract)
        for p in corpus
    )
    with tempfile.TemporaryDirectory(prefix="taxonomist-taxonomy-edit-") as tmp:
        workdir = Path(tmp)
        shutil.copytree(ROOT / "dumps", workdir / "dumps")
        shutil.copy(ROOT / "taxonomy.yaml", workdir / "taxonomy.yaml")
        (workdir / "edited.yaml").write_text(yaml.safe_dump(after, sort_keys=False), "utf-8")
        first = build(workdir, "outputs", "cache", workdir / "taxonomy.yaml")
        second = build(workdir, "outputs", "cache", workdir / "edited.yaml")
        cold = build(workdir, "cold", "cache-cold", workdir / "edited.yaml")
        warm_files, cold_files = snapshot(workdir / "outputs"), snapshot(workdir / "cold")
    differ = sorted(
        name
        for name in set(warm_files) | set(cold_files)
        if warm_files.get(name) != cold_files.get(name)
    )
    before, now = asked(first), asked(second)
    print(f"edit: cue {args.cue!r} added to {args.leaf}; found in {found} of {len(corpus)} papers")
    print(
        f"{'stage':<11} {'asked cold':>10} {'requests':>8} {'asked after':>11} {'requests':>8}  why"
    )
    for stage in STAGES:
        b, a = before.get(stage, (0, 0)), now.get(stage, (0, 0))
        why = second["stages"].get(stage, {}).get("why", {})
        print(f"{stage:<11} {b[0]:>10} {b[1]:>8} {a[0]:>11} {a[1]:>8}  {json.dumps(why)}")
    print(f"cold build of the edited taxonomy asked: {asked(cold)}")
    print("rebuilt outputs vs a cold build of the edited taxonomy: " +
          ("byte-identical" if not differ else f"differ in {', '.join(differ)}"))  # fmt: skip
    fmt = "/".join
    print(
        f"asked_before={fmt(str(before.get(s, (0, 0))[0]) for s in STAGES)} "
        f"asked_after={fmt(str(now.get(s, (0, 0))[0]) for s in STAGES)} "
        f"identical={'no' if differ else 'yes'}"
    )


if __name__ == "__main__":
    main()
