"""The taxonomy as a Mermaid flowchart for the Markdown survey (levels and leaves only)."""

from __future__ import annotations

from pipeline.render.data import SurveyData
from pipeline.render.markdown import mermaid_label
from pipeline.render.safe import Safe


def mermaid_taxonomy(data: SurveyData) -> Safe:
    """``graph LR`` with one node per level and leaf; labels sanitized, ids generated."""
    lines = ["graph LR", f'  root["{mermaid_label(data.title)} ({data.paper_count})"]']
    for level_index, level in enumerate(data.levels):
        level_id = f"L{level_index}"
        lines.append(f'  root --> {level_id}["{mermaid_label(level.name)} ({level.paper_count})"]')
        for leaf_index, leaf in enumerate(level.leaves):
            leaf_id = f"{level_id}_{leaf_index}"
            lines.append(f'  {level_id} --> {leaf_id}["{mermaid_label(leaf.name)} ({leaf.total})"]')
    return Safe("\n".join(lines))
