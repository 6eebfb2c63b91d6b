"""Charts of the survey (matplotlib, Agg), written as PNG and PDF with deterministic bytes.

No pyplot (no global figure state); fonts are matplotlib's bundled DejaVu Sans; PDF and PNG
metadata that would carry versions or dates are removed; the SVG hash salt is fixed.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

from pipeline.atomic import write_bytes_atomic, write_text_atomic
from pipeline.render.data import SurveyData

_PALETTE = ("#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#8C8C8C")
_RC: Any = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "svg.hashsalt": "taxonomist",
    "pdf.fonttype": 3,
    "path.simplify": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
_PDF_METADATA = {"Creator": None, "Producer": None, "CreationDate": None}
_PNG_METADATA = {"Software": None}
DPI = 150


def _label(text: str) -> str:
    # "$" would switch matplotlib to mathtext
    return text.replace("$", r"\$")


def _colors(level_ids: Sequence[str]) -> dict[str, str]:
    return {level_id: _PALETTE[i % len(_PALETTE)] for i, level_id in enumerate(level_ids)}


def _leaf_chart(data: SurveyData) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    rows = list(reversed(data.leaf_counts))  # first leaf at the top
    names = dict(data.level_names)
    colors = _colors([level_id for level_id, _ in data.level_names])
    figure = Figure(figsize=(6.4, 0.8 + 0.24 * max(len(rows), 1)))
    axes = figure.add_subplot()
    positions = list(range(len(rows)))
    axes.barh(
        positions,
        [count for _, _, count in rows],
        color=[colors[level] for level, _, _ in rows],
        height=0.7,
    )
    axes.set_yticks(positions, [_label(name) for _, name, _ in rows])
    axes.set_xlabel("papers")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    for position, (_, _, count) in zip(positions, rows, strict=True):
        axes.annotate(
            str(count),
            (count, position),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=7,
        )
    seen = list(dict.fromkeys(level for level, _, _ in data.leaf_counts))
    handles = [Patch(color=colors[level], label=_label(names[level])) for level in seen]
    if handles:
        axes.legend(handles=handles, loc="lower right", frameon=False, fontsize=7)
    figure.tight_layout()
    return figure


def _year_chart(data: SurveyData) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    years = [year for year, _ in data.year_level_counts]
    level_ids = [level for level, _ in data.year_level_counts[0][1]] if years else []
    names = dict(data.level_names)
    colors = _colors([level_id for level_id, _ in data.level_names])
    figure = Figure(figsize=(6.4, 3.2))
    axes = figure.add_subplot()
    positions = list(range(len(years)))
    bottoms = [0] * len(years)
    for level_id in level_ids:
        heights = [dict(counts)[level_id] for _, counts in data.year_level_counts]
        axes.bar(
            positions,
            heights,
            bottom=bottoms,
            color=colors[level_id],
            label=_label(names[level_id]),
            width=0.7,
        )
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    axes.set_xticks(positions, years)
    axes.set_ylabel("papers")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    if level_ids:
        axes.legend(loc="upper left", frameon=False, fontsize=7)
    figure.tight_layout()
    return figure


CHART_DATA_FILE = "charts.json"


def _chart_data(data: SurveyData) -> str:
    """Everything the charts are drawn from (and the code's style), as canonical JSON."""
    from importlib.metadata import version  # not `import matplotlib`: ~0.3 s a warm run skips

    return (
        json.dumps(
            {
                "charts": [chart.name for chart in data.charts],
                "leaf_counts": data.leaf_counts,
                "level_names": data.level_names,
                "year_level_counts": data.year_level_counts,
                "style": {k: str(v) for k, v in _RC.items()},
                "dpi": DPI,
                "matplotlib": version("matplotlib"),
            },
            indent=1,
            sort_keys=True,
        )
        + "\n"
    )


def write_charts(data: SurveyData, figures_dir: Path) -> list[Path]:
    """Draw every chart of ``data`` into ``figures_dir`` as .png and .pdf; return the paths.

    figures/charts.json records the data drawn; when it is unchanged and the files exist the
    charts are not drawn again (the bytes would be identical; drawing costs ~1-2 s).
    """
    figures_dir.mkdir(parents=True, exist_ok=True)
    record = figures_dir / CHART_DATA_FILE
    planned = [figures_dir / f"{c.name}.{ext}" for c in data.charts for ext in ("png", "pdf")]
    chart_data = _chart_data(data)
    if (
        record.exists()
        and record.read_text(encoding="utf-8") == chart_data
        and all(path.exists() for path in planned)
    ):
        return [*planned, record]
    written = _draw(data, figures_dir)
    write_text_atomic(record, chart_data)
    return [*written, record]


def _draw(data: SurveyData, figures_dir: Path) -> list[Path]:
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    builders = {"papers_per_leaf": _leaf_chart, "papers_per_year": _year_chart}
    written: list[Path] = []
    with matplotlib.rc_context(_RC):
        for chart in data.charts:
            figure = builders[chart.name](data)
            FigureCanvasAgg(figure)
            png = figures_dir / f"{chart.name}.png"
            pdf = figures_dir / f"{chart.name}.pdf"
            for path, options in (
                (png, {"format": "png", "dpi": DPI, "metadata": _PNG_METADATA}),
                (pdf, {"format": "pdf", "metadata": _PDF_METADATA}),
            ):
                buffer = io.BytesIO()
                figure.savefig(buffer, **options)
                write_bytes_atomic(path, buffer.getvalue())
            written += [png, pdf]
    return written
