"""Run the local model on the shipped dumps and on the classics set, and score both.

    .venv/bin/python bench/eval_local.py [--out /tmp/local_pred.jsonl] [--gold FILE]
    .venv/bin/python bench/eval_local.py --cv      # what `make eval-local` runs

``--cv``: 5-fold cross-validation (stratified by relevance and primary level, fixed seed) over
every labelled set (dev-gold, tests/fixtures/labels/seed-gold, the classics): the learned heads,
their thresholds and the confidence calibration are fitted on four folds and scored on the
fifth. Prints fitted (training folds) and held-out scores and their gap, held-out scores per
set, the cue rules alone for comparison, and how well the confidence is calibrated.

Without ``--cv``: prints timing, the scores on the whole gold file and on its even and odd
lines, then the scores on the classics set
(tests/fixtures/classics: well-known efficiency papers with their own abstracts and labels,
none of them in the dumps), and writes the dump predictions as JSON Lines.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.evaluate import score  # noqa: E402
from pipeline.local_model import LocalModel  # noqa: E402
from pipeline.taxonomy import load_taxonomy  # noqa: E402

DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "dev-gold.jsonl"
CLASSICS = ROOT / "tests" / "fixtures" / "classics" / "classics.jsonl"
KEYS = ["relevance_f1", "relevance_accuracy", "primary_strict", "primary_lenient",
        "levels_f1", "leaves_f1", "kind_accuracy"]  # fmt: skip


def load_papers(dumps: Path) -> list[dict[str, str]]:
    """Title and abstract of every paper in the dumps (via pipeline.ingest)."""
    from pipeline.ingest import ingest

    corpus = ingest([dumps]).corpus
    return [{"id": p.id, "title": p.title, "abstract": p.abstract} for p in corpus.papers]


def predict(papers: list[dict[str, str]]) -> tuple[list[dict[str, object]], dict[str, float]]:
    """Screen, classify and extract every paper; returns records and timings (seconds)."""
    start, cpu_start = time.perf_counter(), time.process_time()
    model = LocalModel(load_taxonomy())
    built, cpu_built = time.perf_counter(), time.process_time()
    records: list[dict[str, object]] = []
    for paper in papers:
        title, abstract = paper["title"], paper["abstract"]
        screening = model.screen(title, abstract)
        classification = model.classify(title, abstract)
        extraction = model.extract(title, abstract)
        leaves = classification["leaves"] if screening["relevant"] else []
        records.append(
            {
                **paper,
                **screening,
                "primary": classification["primary"] if screening["relevant"] else None,
                "leaves": leaves,
                "levels": sorted({leaf.split(".", 1)[0] for leaf in leaves}),
                "evidence": {e["leaf"]: e["quote"] for e in classification["evidence"]},
                **extraction,
            }
        )
    done, cpu_done = time.perf_counter(), time.process_time()
    return records, {
        "compile": built - start,
        "papers": done - built,
        "compile_cpu": cpu_built - cpu_start,
        "papers_cpu": cpu_done - cpu_built,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--cv", action="store_true", help="cross-validate the learned model (--out: answers)"
    )
    parser.add_argument("--dumps", type=Path, default=ROOT / "dumps")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--classics", type=Path, default=CLASSICS)
    parser.add_argument("--out", type=Path, default=Path("/tmp/local_pred.jsonl"))
    parser.add_argument("--confusions", type=int, default=8)
    args = parser.parse_args()
    if args.cv:
        from bench.cross_validate import cross_validate

        cross_validate(args.dumps, args.gold, args.out)
        return

    papers = load_papers(args.dumps)
    records, timing = predict(papers)
    with args.out.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(
        f"{len(papers)} papers: load taxonomy + compile cues {timing['compile']:.2f}s "
        f"(cpu {timing['compile_cpu']:.2f}s), screen+classify+extract {timing['papers']:.2f}s "
        f"(cpu {timing['papers_cpu']:.2f}s); predictions in {args.out}"
    )
    gold = [json.loads(line) for line in args.gold.read_text().splitlines() if line.strip()]
    print(f"dev-gold ({args.gold.name})")
    _table({"all": gold, "even": gold[0::2], "odd": gold[1::2]}, records)
    _confusions(gold, records, args.confusions)

    classics = [json.loads(line) for line in args.classics.read_text().splitlines() if line]
    classic_records, _ = predict(classics)
    print(f"classics ({len(classics)} papers, {args.classics.name})")
    _table({"all": classics}, classic_records)
    _confusions(classics, classic_records, args.confusions)


def _table(sets: dict[str, list[dict[str, object]]], records: list[dict[str, object]]) -> None:
    print(f"{'set':6}" + "".join(f"{k[:14]:>16}" for k in KEYS) + f"{'matched':>9}")
    for name, rows in sets.items():
        half = score(rows, records).as_dict()
        print(f"{name:6}" + "".join(f"{half[k]:16.3f}" for k in KEYS) + f"{half['matched']:>9}")


def _confusions(
    gold: list[dict[str, object]], records: list[dict[str, object]], limit: int
) -> None:
    print("top confusions (gold -> predicted):")
    for g, p, n in score(gold, records).confusions[:limit]:
        print(f"  {n}  {g} -> {p}")


if __name__ == "__main__":
    main()
