"""The multinomial primary re-ranker's fit against its C: held-out and fitted primary, and the gap.

    .venv/bin/python bench/primary_classes_cv.py [--cs 0.1,0.25,0.5,1] [--margin 0.5] [--seed 0]

Fits only the multinomial re-ranker (``training._Classes``, kind RERANK_CLASSES: every leaf, on
the paper's words, embedding and cue scores, pruned as it ships) on the training part of each of
the 5 folds of ``make eval-local`` over every labelled set of bench/cross_validate.labelled_sets,
and reads its primary as the model does: the best other leaf with a cue in the paper
(``learned.class_candidates``, since stop 43) when its logit beats the rules' primary's by more
than ``--margin``. Relevance is the rules' (a paper they keep out has no
primary), so the figures compare C values and the rules' primary, not the whole model (that is
``make eval-local``). Prints, per C, primary lenient and strict held out (pooled over the folds)
and fitted (the training parts' own papers), and the fitted - held-out gap of primary lenient.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cross_validate import labelled_sets  # noqa: E402
from pipeline.local_model.training import Analysed, _Classes, _idf, analyse, folds  # noqa: E402
from pipeline.taxonomy import load_taxonomy  # noqa: E402


def tally(items: list[Analysed], chosen: list[int], primary: dict[int, str]) -> tuple[float, float]:
    """Primary lenient and strict of ``chosen``'s in-scope papers (no answer: kept out)."""
    lenient = strict = total = 0
    for i in chosen:
        example = items[i].example
        if not example.relevant:
            continue
        total += 1
        got = primary.get(i)
        lenient += got is not None and got in example.leaves
        strict += got is not None and got == example.primary
    return lenient / max(total, 1), strict / max(total, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dumps", type=Path, default=ROOT / "dumps")
    parser.add_argument("--cs", default="0.1,0.25,0.5,1")
    parser.add_argument("--margin", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    taxonomy = load_taxonomy()
    sets = labelled_sets(args.dumps)
    items = analyse([e for examples in sets.values() for e in examples], taxonomy)
    print(f"{len(items)} labelled papers; 5 folds, fold seed {args.seed}; margin {args.margin}",
          flush=True)  # fmt: skip
    rules = {i: item.rule_leaves[0] for i, item in enumerate(items) if item.signal.relevant}
    everyone = list(range(len(items)))
    lenient, strict = tally(items, everyone, rules)
    print(f"{'rules primary':16} held out lenient {lenient:.3f} strict {strict:.3f}", flush=True)
    cs = [float(x) for x in args.cs.split(",")]
    held: dict[float, dict[int, str]] = {c: {} for c in cs}
    fitted: dict[float, list[tuple[float, float]]] = {c: [] for c in cs}
    for test in folds(items, seed=args.seed):
        exclude = set(test)
        train = [i for i in everyone if i not in exclude]
        # the rows depend on the fold (its IDF), not on C: built once per fold
        classes = _Classes(items, _idf([items[i] for i in train]), taxonomy.leaf_ids)
        for c in cs:
            head = classes.fit(train, c)
            answers: dict[int, str] = {}
            for i, rule in rules.items():
                leaf, gain = classes.best_other(head, i)
                answers[i] = leaf if gain > args.margin else rule
            held[c].update({i: answers[i] for i in test if i in answers})
            fitted[c].append(tally(items, train, answers))
    for c in cs:
        h_lenient, h_strict = tally(items, everyone, held[c])
        f_lenient = sum(f[0] for f in fitted[c]) / len(fitted[c])
        f_strict = sum(f[1] for f in fitted[c]) / len(fitted[c])
        print(f"{'C=' + str(c):16} held out lenient {h_lenient:.3f} strict {h_strict:.3f}; "
              f"fitted lenient {f_lenient:.3f} strict {f_strict:.3f}; "
              f"gap {f_lenient - h_lenient:.3f}", flush=True)  # fmt: skip

if __name__ == "__main__":
    main()
