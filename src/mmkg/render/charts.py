"""Charts as SVG with matplotlib: trends per half-year and benchmark leaderboards.

Figures are made with matplotlib's object API (no pyplot, so no global backend state), text is
kept as SVG text and never read as mathtext, and the output carries no date, so the same graph
gives the same files.
"""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import networkx as nx

from mmkg.render.layout import PALETTE

__all__ = [
    "Chart",
    "half_year",
    "trend_series",
    "titled_svg",
    "write_trend_charts",
    "write_benchmark_chart",
]

RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "mmkg",
    "text.parse_math": False,
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@dataclass
class Chart:
    """A chart written to the site: file name under charts/, title and caption."""

    file: str
    title: str
    caption: str
    page: str = ""  # the page the chart belongs to, relative to the site root


def half_year(year: int | None, month: int | None) -> str | None:
    """The half-year of a release, e.g. ``2023-H2``; None when the date is unknown.

    >>> half_year(2023, 7), half_year(None, None)
    ('2023-H2', None)
    """
    if not year or not month:
        return None
    return f"{year}-H{1 if month <= 6 else 2}"


def trend_series(
    facts: dict[str, dict], components: nx.Graph
) -> dict[str, tuple[list[str], dict[str, list[int]]]]:
    """Per trend: the half-years and, per category, the number of models in each.

    Trends: input projector family, input and output modalities (besides text), design
    division (tool-using vs end-to-end) and functional division (understanding vs generation).
    """
    halves = sorted({h for d in facts.values() if (h := half_year(d.get("year"), d.get("month")))})
    counts: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for model, data in facts.items():
        half = half_year(data.get("year"), data.get("month"))
        if half is None:
            continue
        counts["design"][data.get("design") or "not given"][half] += 1
        counts["functional"][data.get("functional") or "not given"][half] += 1
        for modality in data.get("inputs") or []:
            if modality != "Text":
                counts["inputs"][modality][half] += 1
        for modality in data.get("outputs") or []:
            if modality != "Text":
                counts["outputs"][modality][half] += 1
        if model in components:
            families = set()
            for _, component, edge in components.edges(model, data=True):
                if "Input projector" in edge.get("roles", []):
                    node = components.nodes[component]
                    families.add(node.get("family") or node.get("label") or component)
            for family in families:
                counts["projector"][family][half] += 1
    series = {}
    for trend, per_category in counts.items():
        ordered = sorted(per_category, key=lambda c: (-sum(per_category[c].values()), c))
        series[trend] = (halves, {c: [per_category[c][h] for h in halves] for c in ordered})
    return series


def _figure(width: float = 8.0, height: float = 4.2, layout: str | None = "constrained"):  # noqa: ANN202
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout=layout)


def _save(fig, path: Path, title: str, description: str = "") -> None:  # noqa: ANN001 - Figure
    """Write *fig* as SVG named by a ``<title>`` (and a ``<desc>``) its root points to with
    ``aria-labelledby``, so a screen reader or a browser opening the file says what it is."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    path.write_text(titled_svg(buffer.getvalue(), title, description), encoding="utf-8")


def titled_svg(svg: str, title: str, description: str = "") -> str:
    """*svg* with a ``<title>`` (and a ``<desc>``) first in its root, named by
    ``role="img"`` and ``aria-labelledby``.

    >>> for part in titled_svg('<svg width="1"><g/></svg>', "A & B").split("><")[:2]:
    ...     print(part)
    <svg role="img" aria-labelledby="chart-title" width="1"
    title id="chart-title">A &amp; B</title
    """
    match = re.search(r"<svg\b([^>]*)>", svg)
    if match is None:
        return svg
    ids = "chart-title" + (" chart-desc" if description else "")
    opening = f'<svg role="img" aria-labelledby="{ids}"{match.group(1)}>'
    inner = f'<title id="chart-title">{escape(title)}</title>'
    if description:
        inner += f'<desc id="chart-desc">{escape(description)}</desc>'
    return svg[: match.start()] + opening + inner + svg[match.end() :]


def _stacked(ax, halves: list[str], series: dict[str, list[int]], limit: int = 9) -> None:  # noqa: ANN001
    names = list(series)
    if len(names) > limit:
        other = [sum(series[n][i] for n in names[limit - 1 :]) for i in range(len(halves))]
        series = {n: series[n] for n in names[: limit - 1]} | {"other": other}
    bottom = [0] * len(halves)
    for i, (name, values) in enumerate(series.items()):
        ax.bar(halves, values, bottom=bottom, label=name, color=PALETTE[i % len(PALETTE)])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylabel("models")
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.tick_params(axis="x", labelrotation=30)


def write_trend_charts(facts: dict[str, dict], components: nx.Graph, folder: Path) -> list[Chart]:
    """The four trend charts (projector families, modalities, design, function) as SVG files."""
    from matplotlib import rc_context

    series = trend_series(facts, components)
    empty: tuple[list[str], dict[str, list[int]]] = ([], {})
    specs = [
        (
            "trend-input-projectors.svg",
            "Input projector families per half-year",
            "Models with a detailed architecture, by the family of their input projector.",
            ["projector"],
        ),
        (
            "trend-modalities.svg",
            "Modalities besides text per half-year",
            "Models taking (left) or giving (right) each modality besides text.",
            ["inputs", "outputs"],
        ),
        (
            "trend-tool-using-vs-end-to-end.svg",
            "Tool-using vs end-to-end per half-year",
            "The survey's design division of every dated model.",
            ["design"],
        ),
        (
            "trend-understanding-vs-generation.svg",
            "Understanding vs generation per half-year",
            "The survey's functional division of every dated model.",
            ["functional"],
        ),
    ]
    charts = []
    with rc_context(RC):
        for file, title, caption, trends in specs:
            fig = _figure(width=12.0 if len(trends) == 2 else 8.0)
            axes = fig.subplots(1, len(trends), squeeze=False)[0]
            for ax, trend in zip(axes, trends, strict=True):
                halves, values = series.get(trend, empty)
                if values:
                    _stacked(ax, halves, values)
                else:
                    ax.text(0.5, 0.5, "no data", ha="center", transform=ax.transAxes)
                if len(trends) == 2:
                    ax.set_title(trend)
            fig.suptitle(title)
            _save(fig, folder / file, title, caption)
            charts.append(Chart(file, title, caption))
    return charts


def write_benchmark_chart(column: str, rows: list[dict], path: Path) -> None:
    """Bars of the variants' scores on one benchmark column, best first.

    *rows* hold ``variant``, ``score``, ``seen`` (training images seen) and ``reimplemented``.
    Hatched bars: training images seen; an asterisk: re-implemented by others.
    """
    from matplotlib import rc_context
    from matplotlib.patches import Patch

    ordered = sorted(rows, key=lambda r: (-r["score"], r["variant"]))
    with rc_context(RC):
        height = 1.5 + 0.32 * max(len(ordered), 1)
        # a fixed layout (margins from the longest name) is much faster than a constrained one
        fig = _figure(width=8.0, height=height, layout=None)
        names = [r["variant"] + (" *" if r["reimplemented"] else "") for r in ordered]
        longest = max((len(n) for n in names), default=10)
        fig.subplots_adjust(
            left=min(0.6, 0.04 + 0.0125 * longest),
            right=0.93,
            top=1 - 0.8 / height,
            bottom=0.55 / height,
        )
        ax = fig.subplots()
        positions = list(range(len(ordered)))
        bars = ax.barh(
            positions,
            [r["score"] for r in ordered],
            color=[PALETTE[0] if not r["seen"] else PALETTE[11] for r in ordered],
            hatch=None,
        )
        for bar, row in zip(bars, ordered, strict=True):
            if row["seen"]:
                bar.set_hatch("//")
            ax.annotate(
                f"{row['score']:g}",
                (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
        top = max((r["score"] for r in ordered), default=1.0)
        ax.set_xlim(0, top * 1.1 if top > 0 else 1.0)
        ax.set_yticks(positions, names)
        ax.invert_yaxis()
        ax.set_xlabel("score")
        fig.suptitle(column, y=1 - 0.12 / height)
        ax.legend(
            handles=[
                Patch(facecolor=PALETTE[0], label="held-out"),
                Patch(facecolor=PALETTE[11], hatch="//", label="training images seen"),
                Patch(facecolor="none", edgecolor="none", label="* re-implemented"),
            ],
            fontsize=8,
            frameon=False,
            loc="lower left",
            bbox_to_anchor=(0.0, 1.0),
            ncols=3,
            borderaxespad=0.3,
        )
        _save(
            fig,
            path,
            f"Scores on {column}",
            f"Bars of the {len(ordered)} best scores on {column}, best first; hatched bars: the "
            "model saw the benchmark's training images; an asterisk: re-implemented by others.",
        )
