"""The extract stage's learned head fitted on every development result set and scored once on
the judges (result sets that no rule was written from: results-extern27 to 30).

    .venv/bin/python bench/results_head_judges.py [--judges results-extern27.jsonl ...]

`bench/results_cv.py` holds out each of the sixteen sets named in
bench/results_training.py:SET_FILES in turn. Since then every other committed set has become a
development set (rules were written from its errors), and the judges are the newest ones. This
fits the head as `make train-results` would (each head's C and the veto / add / relabel
thresholds chosen by leave-one-set-out cross-validation over the training sets only, the same
precision-first rule) on every committed set but the judges, then prints, for each judge and
pooled, precision with the right metric / share of non-results / headline recall for the rules
alone and for rules + learned head. Nothing is written; no weights ship unless the judges gain.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results_training import (  # noqa: E402
    SET_FILES,
    LabelledPaper,
    Scores,
    _read,
    fit_selected,
    load_set,
    load_sets,
    score,
)

SETS = ROOT / "tests" / "fixtures" / "results"
JUDGES = tuple(f"results-extern{n}.jsonl" for n in (27, 28, 29, 30))


def _load(file: str) -> list[LabelledPaper]:
    return load_set(ROOT, _read(SETS / file))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--judges", nargs="+", default=list(JUDGES))
    parser.add_argument("--no-words", action="store_true", help="no words around the figure")
    args = parser.parse_args()
    named = {file for _, file, _ in SET_FILES}
    judged = {name for name, file, _ in SET_FILES if file in args.judges}
    train = {name: papers for name, papers in load_sets(ROOT).items() if name not in judged}
    for path in sorted(SETS.glob("results-*.jsonl")):
        if path.name in named or path.name in args.judges:
            continue
        train[path.stem.removeprefix("results-")] = _load(path.name)
    head, chosen = fit_selected(train, words=not args.no_words)
    print(
        f"trained on {len(train)} sets, {sum(len(p) for p in train.values())} papers; C result "
        f"{chosen.c_result:g}, metric {chosen.c_metric:g}; veto {chosen.veto:g}, add "
        f"{chosen.add:g}, relabel {chosen.relabel:g}; inner leave-one-set-out pooled: rules "
        f"{chosen.rules.text()}, rules + learned {chosen.chosen.text()}"
    )
    print("\n| judge | rules alone | rules + learned head |\n|---|---|---|")
    rules_all, learned_all = Scores(), Scores()
    for file in args.judges:
        papers = _load(file)
        rules, learned = score(papers, None, None), score(papers, head, None)
        rules_all.add(rules)
        learned_all.add(learned)
        print(f"| {file} ({len(papers)}) | {rules.text()} | {learned.text()} |")
    print(f"| pooled | {rules_all.text()} | {learned_all.text()} |")


if __name__ == "__main__":
    main()
