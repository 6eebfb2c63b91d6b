"""Refit the local model's learned weights on every labelled paper (`make train-local`).

    .venv/bin/python bench/train_local.py [--out pipeline/local_model/weights.json]

Fits the heads of pipeline/local_model/learned.py on dev-gold, tests/fixtures/labels/seed-gold,
extra-gold and the classics (see bench/cross_validate.py), with thresholds and calibration
chosen by an inner cross-validation, and writes them as sorted JSON. The weights' hash is part
of the local model's version, so new weights are a cache miss for its answers. Check
`make eval-local` before committing new weights: keep them only if the held-out scores say
they help.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cross_validate import DEV_GOLD, config_text, labelled_sets  # noqa: E402
from pipeline.local_model.learned import WEIGHTS_PATH  # noqa: E402
from pipeline.local_model.training import fit  # noqa: E402
from pipeline.taxonomy import load_taxonomy  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dumps", type=Path, default=ROOT / "dumps")
    parser.add_argument("--gold", type=Path, default=DEV_GOLD)
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    args = parser.parse_args()
    sets = labelled_sets(args.dumps, args.gold)
    examples = [e for rows in sets.values() for e in rows]
    model = fit(examples, load_taxonomy())
    text = json.dumps(model.to_json(), sort_keys=True, separators=(",", ":")) + "\n"
    args.out.write_text(text, encoding="utf-8")
    sizes = ", ".join(f"{name} {len(rows)}" for name, rows in sets.items())
    print(
        f"trained on {len(examples)} papers ({sizes}); thresholds relevance "
        f"{model.relevance_threshold}, leaf {model.leaf_threshold}, level "
        f"{model.level_threshold}; membership {config_text(model)}; calibration "
        f"{model.calibration}; wrote {args.out} ({len(text) // 1024} KiB)"
    )


if __name__ == "__main__":
    main()
