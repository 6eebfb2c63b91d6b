"""Sentence-frame and repeated-clause shares of a survey's prose (pipeline/prose_style.py).

Usage: ``python bench/prose_style.py [outputs/survey.md]``. Prints the counts and, last, one
line ``largest_frame=<share> top10=<share> repeated_clause=<count>`` (limits: 0.03 and 3).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.prose_style import measure  # noqa: E402


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "outputs" / "survey.md"
    report = measure(path.read_text(encoding="utf-8"))
    for line in report.lines():
        print(line)
    print(
        f"largest_frame={report.largest_frame_share:.4f} top10={report.top10_share:.4f} "
        f"repeated_clause={report.most_repeated_clause_count}"
    )


if __name__ == "__main__":
    main()
