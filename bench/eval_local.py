"""Run the local model on every paper of the shipped dumps and score it on dev-gold.

    .venv/bin/python bench/eval_local.py [--out /tmp/local_pred.jsonl] [--gold FILE]

Prints timing, the scores on the whole gold file and on its even and odd lines (a hold-out
check: develop on one half, confirm on the other), and writes the predictions as JSON Lines.
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
    parser.add_argument("--dumps", type=Path, default=ROOT / "dumps")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--out", type=Path, default=Path("/tmp/local_pred.jsonl"))
    parser.add_argument("--confusions", type=int, default=8)
    args = parser.parse_args()

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
    halves = {"all": gold, "even": gold[0::2], "odd": gold[1::2]}
    keys = ["relevance_f1", "relevance_accuracy", "primary_strict", "primary_lenient",
            "levels_f1", "leaves_f1", "kind_accuracy"]  # fmt: skip
    print(f"{'set':6}" + "".join(f"{k[:14]:>16}" for k in keys) + f"{'matched':>9}")
    for name, rows in halves.items():
        half = score(rows, records).as_dict()
        print(f"{name:6}" + "".join(f"{half[k]:16.3f}" for k in keys) + f"{half['matched']:>9}")
    print("top confusions (gold -> predicted):")
    for g, p, n in score(gold, records).confusions[: args.confusions]:
        print(f"  {n}  {g} -> {p}")


if __name__ == "__main__":
    main()
