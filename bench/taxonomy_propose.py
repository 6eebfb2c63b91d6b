"""`taxonomy propose` on the shipped dumps, checked against the labelled primaries.

    .venv/bin/python bench/taxonomy_propose.py [--accept 2,5] [--cache-dir DIR]

Runs the proposal (local model, through the seam and its cache), then for each gold file
counts primary-leaf errors of the gold-relevant papers in the corpus (a paper screened out
counts as an error) under the current taxonomy and under the taxonomy with the changes that
`--apply` writes (those marked apply, plus --accept numbers). For each flagged move it prints
how many of its papers the gold labels file elsewhere than where they are now, and what moving
them all by hand would fix and break; last, the errors with each change applied alone (a
split's parts count as the leaf they refine).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.evaluate import normalize_title  # noqa: E402
from pipeline.evaluate_taxonomy import gold_primaries  # noqa: E402
from pipeline.local_model import LocalModel  # noqa: E402
from pipeline.seam import ModelConfig, resolve_cache_dir  # noqa: E402
from pipeline.taxonomy import load_taxonomy  # noqa: E402
from pipeline.taxonomy_jobs import TaxonomyJob, chosen_changes, propose_job  # noqa: E402
from schemas.propose import apply_changes  # noqa: E402

GOLDS = [
    ROOT.parent / "shared" / "eval" / "dev-gold.jsonl",
    ROOT / "tests" / "fixtures" / "labels" / "seed-gold.jsonl",
    ROOT / "tests" / "fixtures" / "labels" / "extra-gold.jsonl",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dumps", type=Path, default=ROOT / "dumps")
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--accept", default="")
    args = parser.parse_args()
    taxonomy = load_taxonomy(None)
    job = TaxonomyJob(
        paths=[args.dumps], cache_dir=resolve_cache_dir(args.cache_dir), taxonomy=taxonomy,
        models={"default": ModelConfig()}, outputs=ROOT / "outputs",
    )  # fmt: skip
    proposed = propose_job(job)
    accept = [int(n) for n in args.accept.split(",") if n.strip()]
    chosen = chosen_changes(proposed.changes, accept)
    after_taxonomy = apply_changes(taxonomy, chosen)
    print(f"{len(proposed.changes)} changes proposed, {len(chosen)} applied:")
    for number, change in enumerate(proposed.changes, start=1):
        mark = "apply " if change in chosen else "review"
        named = ", ".join(f"{leaf.id} {leaf.name!r}" for leaf in change.new_leaves)
        print(f"  {number}. [{mark}] {change.kind} {change.leaf} -> {change.target or named} "
              f"({len(change.members)} papers)")  # fmt: skip
    records = {normalize_title(r.title): r for r in proposed.corpus.records}
    golds = {
        path.name: gold_primaries([json.loads(line) for line in path.read_text().splitlines()])
        for path in GOLDS
    }
    # A paper in a split part counts as under the leaf the part refines.
    parent = {leaf.id: c.leaf for c in proposed.changes if c.kind == "split" for leaf in
              c.new_leaves}  # fmt: skip

    def errors(model: LocalModel) -> dict[str, int]:
        out: dict[str, int] = {}
        for name, gold in golds.items():
            wrong = 0
            for title in sorted(t for t in gold if t in records):
                record = records[title]
                primary = model.classify(record.title, record.abstract)["primary"]
                wrong += record.relevant is not True or parent.get(primary, primary) != gold[title]
            out[name] = wrong
        return out

    before = errors(LocalModel(taxonomy))
    after = errors(LocalModel(after_taxonomy))
    for name, gold in golds.items():
        scored = sum(t in records for t in gold)
        print(f"\n{name}: {scored} relevant gold papers in the corpus; primary errors before "
              f"{before[name]}, after {after[name]}")  # fmt: skip
        fixes = breaks = 0
        for number, change in enumerate(proposed.changes, start=1):
            if change.kind != "move":
                continue
            by_id = {r.id: r for r in proposed.corpus.records}
            members = [by_id[m] for m in change.members]
            labelled = [r for r in members if normalize_title(r.title) in gold]
            wrong = [r for r in labelled if gold[normalize_title(r.title)] != r.primary]
            to_target = [r for r in labelled if gold[normalize_title(r.title)] == change.target]
            print(f"  move {number} ({change.leaf} -> {change.target}): "
                  f"{len(labelled)} labelled, {len(wrong)} misfiled now, "
                  f"{len(to_target)} labelled {change.target}")  # fmt: skip
            fixes += len(to_target)
            breaks += len(labelled) - len(wrong)
        print(f"  moving every flagged group's papers by hand: {fixes} errors fixed, {breaks} "
              "correct papers misfiled")  # fmt: skip
    # Each change applied alone (a split's parts count as their leaf; an add's new leaf is
    # an error for every labelled paper it takes, the gold has no such leaf).
    print("\neach change applied alone: primary errors (" + " / ".join(golds) + ")")
    print(f"  none: {' / '.join(str(before[n]) for n in golds)}")
    for number, change in enumerate(proposed.changes, start=1):
        alone = errors(LocalModel(apply_changes(taxonomy, [change])))
        delta = sum(alone.values()) - sum(before.values())
        print(f"  {number}. {change.kind} {change.leaf} -> {change.target or ''}: "
              f"{' / '.join(str(alone[n]) for n in golds)} ({delta:+d})")


if __name__ == "__main__":
    main()
