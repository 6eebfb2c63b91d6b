"""The taxonomy tree as ``forest`` figures, in the style of surveys of efficient LLM inference.

One overview tree (levels -> leaves with paper counts) and one tree per level (leaves -> papers
as ``ShortName~\\citep{key}``). A leaf lists at most ``max_papers`` papers (most upvoted first)
and then "and k more (Section n)", so the trees stay one page each for hundreds of papers.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.render.data import LeafSection, LevelSection, PaperRow, SurveyData
from pipeline.render.latex import latex_escape, latex_label
from pipeline.render.safe import Safe
from schemas.names import truncate

MAX_PAPERS_PER_LEAF = 10
_NAME_CHARS = 32
_LEVEL_COLORS = ("blue!8", "orange!10", "green!8", "red!8", "violet!8", "brown!10")

_TREE_STYLE = r"""  for tree={
    grow'=0, draw, rounded corners=2pt, anchor=west, font=\scriptsize,
    node options={align=left}, inner xsep=3pt, inner ysep=2pt, l sep=5mm, s sep=1.2mm,
    edge={draw=black!50},
  },
  forked edges,"""


@dataclass(frozen=True)
class TreeFigure:
    """A forest figure: its body (Safe LaTeX), caption and label."""

    body: Safe
    caption: str
    label: str


def _node(content: str, options: str = "") -> str:
    # content is braced so commas and brackets inside it cannot end the node
    return "[{" + content + "}" + (", " + options if options else "")


def _paper_item(row: PaperRow) -> str:
    name = latex_escape(truncate(row.ref.short_name, _NAME_CHARS))
    return f"{name}~\\citep{{{row.ref.key}}}"


def _representatives(leaf: LeafSection, limit: int) -> list[PaperRow]:
    def rank(row: PaperRow) -> tuple[int, int, str]:
        record = row.ref.record
        return (-(record.upvotes or 0), -(record.year or 0), record.key)

    return sorted(leaf.complete, key=rank)[:limit]


def _leaf_papers(leaf: LeafSection, limit: int) -> str:
    shown = _representatives(leaf, limit)
    items = ", ".join(_paper_item(row) for row in shown)
    hidden = leaf.total - len(shown)
    if hidden > 0:
        items += f", and {hidden} more (Section~\\ref{{{leaf.label}}})"
    return items


def level_tree(level: LevelSection, color: str, limit: int = MAX_PAPERS_PER_LEAF) -> TreeFigure:
    """Leaves of one level with their papers."""
    lines = [
        r"\begin{forest}",
        _TREE_STYLE,
        f"  where level=0{{text width=2.6cm, fill={color}, font=\\scriptsize\\bfseries}}{{}},",
        f"  where level=1{{text width=3.1cm, fill={color}}}{{}},",
        "  where level=2{text width=8.4cm}{},",
        "  " + _node(latex_escape(level.name)),
    ]
    for leaf in level.leaves:
        title = f"{latex_escape(leaf.name)} (\\S\\ref{{{leaf.label}}})"
        if leaf.rows:
            lines.append("    " + _node(title) + " " + _node(_leaf_papers(leaf, limit)) + "] ]")
        else:
            lines.append("    " + _node(title) + "]")
    lines += ["  ]", r"\end{forest}"]
    caption = f"Taxonomy of {level.name.lower()} with representative papers."
    return TreeFigure(Safe("\n".join(lines)), caption, "fig:tree-" + latex_label(level.id))


def overview_tree(data: SurveyData) -> TreeFigure:
    """Root -> levels -> leaves, with paper counts."""
    lines = [
        r"\begin{forest}",
        _TREE_STYLE,
        "  where level=0{text width=2.2cm, font=\\scriptsize\\bfseries}{},",
        "  where level=1{text width=3.4cm}{},",
        "  where level=2{text width=5.6cm}{},",
        "  " + _node(f"Efficient ML ({data.paper_count})"),
    ]
    for index, level in enumerate(data.levels):
        color = _LEVEL_COLORS[index % len(_LEVEL_COLORS)]
        lines.append(
            "    " + _node(f"{latex_escape(level.name)} ({level.paper_count})", f"fill={color}")
        )
        for leaf in level.leaves:
            lines.append(
                "      "
                + _node(
                    f"{latex_escape(leaf.name)} ({leaf.total}, \\S\\ref{{{leaf.label}}})",
                    f"fill={color}",
                )
                + "]"
            )
        lines.append("    ]")
    lines += ["  ]", r"\end{forest}"]
    return TreeFigure(
        Safe("\n".join(lines)),
        "Overview of the taxonomy; numbers count papers.",
        "fig:tree-overview",
    )


def taxonomy_trees(data: SurveyData, limit: int = MAX_PAPERS_PER_LEAF) -> list[TreeFigure]:
    """The overview tree and one tree per level."""
    trees = [overview_tree(data)]
    for index, level in enumerate(data.levels):
        trees.append(level_tree(level, _LEVEL_COLORS[index % len(_LEVEL_COLORS)], limit))
    return trees
