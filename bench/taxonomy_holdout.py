"""Hold-out recovery of `taxonomy propose`'s add-leaf proposals on the shipped dumps.

    .venv/bin/python bench/taxonomy_holdout.py [--leaves model.distillation,model.nas,...]

For each held-out leaf L: L is removed from taxonomy.yaml, the dumps are screened and
classified under the reduced taxonomy (local model, through the seam, one temporary cache),
and `propose` is asked for changes. Counted: L's labelled papers (gold primary L in
../shared/eval/dev-gold.jsonl and tests/fixtures/labels/seed-gold.jsonl) that are in the
corpus, how many stay relevant under the reduced taxonomy, and how many land in a proposed
add-leaf (and, separately, in a split part); the same for the papers the local model files
under L with the full taxonomy ("model-L", more of them, unlabelled). Each add is listed with
its size and how many of its members are L's. Last line: ``<leaf>=<gold in adds>/<gold> ...``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipeline.evaluate import normalize_title  # noqa: E402 - needs the sys.path entry above
from pipeline.evaluate_taxonomy import gold_primaries  # noqa: E402
from pipeline.local_model import LocalModel  # noqa: E402
from pipeline.seam import ModelConfig  # noqa: E402
from pipeline.taxonomy import load_taxonomy  # noqa: E402
from pipeline.taxonomy_jobs import TaxonomyJob, propose_job  # noqa: E402
from schemas.taxonomy import Taxonomy  # noqa: E402

GOLDS = [
    ROOT.parent / "shared" / "eval" / "dev-gold.jsonl",
    ROOT / "tests" / "fixtures" / "labels" / "seed-gold.jsonl",
]
DEFAULT_LEAVES = "model.distillation,model.nas,system.energy,system.compiler,model.kv_cache"


def without(taxonomy: Taxonomy, leaf_id: str) -> Taxonomy:
    data = taxonomy.model_dump(mode="json")
    for level in data["levels"]:
        level["leaves"] = [leaf for leaf in level["leaves"] if leaf["id"] != leaf_id]
    data["levels"] = [level for level in data["levels"] if level["leaves"]]
    return Taxonomy.model_validate(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leaves", default=DEFAULT_LEAVES)
    parser.add_argument(
        "--homed-share", type=float, default=None,
        help="override propose.HOMED_SHARE (to choose it on some held-out leaves, check on others)",
    )  # fmt: skip
    args = parser.parse_args()
    if args.homed_share is not None:
        import pipeline.local_model.propose as propose_module

        propose_module.HOMED_SHARE = args.homed_share
    taxonomy = load_taxonomy(None)
    gold: dict[str, str] = {}
    for path in GOLDS:
        gold.update(gold_primaries([json.loads(line) for line in path.read_text().splitlines()]))
    full = LocalModel(taxonomy)
    summary: list[str] = []
    sizes: list[int] = []
    with tempfile.TemporaryDirectory(prefix="taxonomist-holdout-") as tmp:
        for held in [leaf.strip() for leaf in args.leaves.split(",") if leaf.strip()]:
            job = TaxonomyJob(
                paths=[ROOT / "dumps"], cache_dir=Path(tmp) / "cache",
                taxonomy=without(taxonomy, held), models={"default": ModelConfig()},
                outputs=ROOT / "outputs",
            )  # fmt: skip
            proposed = propose_job(job)
            records = proposed.corpus.records
            labelled = {r.id for r in records if gold.get(normalize_title(r.title)) == held}
            model_l = set()
            for r in records:
                answer = full.analyse(r.title, r.abstract)
                if answer.relevant and answer.choice.primary == held:
                    model_l.add(r.id)
            relevant = {r.id for r in records if r.relevant is True}
            adds = [c for c in proposed.changes if c.kind == "add"]
            in_adds = {m for c in adds for leaf in c.new_leaves for m in leaf.members}
            in_parts = {
                m for c in proposed.changes if c.kind == "split" for leaf in c.new_leaves
                for m in leaf.members
            }  # fmt: skip
            print(f"\nheld out {held}: {len(proposed.changes)} changes, {len(adds)} add-leaf")
            for name, ids in (("gold", labelled), ("model-L", model_l)):
                print(
                    f"  {name}: {len(ids)} in the corpus, {len(ids & relevant)} relevant without "
                    f"the leaf, {len(ids & in_adds)} in an add-leaf, {len(ids & in_parts)} in a "
                    "split part"
                )
            for change in adds:
                for leaf in change.new_leaves:
                    members = set(leaf.members)
                    print(
                        f"  add {leaf.id} {leaf.name!r}: {len(members)} papers, "
                        f"{len(members & labelled)} gold-{held.split('.')[1]}, "
                        f"{len(members & model_l)} model-{held.split('.')[1]}"
                    )
            summary.append(f"{held}={len(labelled & in_adds)}/{len(labelled)}")
            sizes.append(len(in_adds))
    print(" ".join(summary), f"(papers in add-leaves per run: {sizes})")


if __name__ == "__main__":
    main()
