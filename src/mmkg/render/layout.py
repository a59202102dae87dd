"""Positions for the graph pages, computed with NetworkX so that no page runs physics.

Lineage pages put time along x (proportional to the release month) and give each lineage
family its own lane; the other pages use a seeded spring layout per connected part, the parts
packed in rows. The same graph always gets the same drawing.

>>> import networkx as nx
>>> sorted(packed_layout(nx.path_graph(3), seed=1, spread=100)) == [0, 1, 2]
True
"""

from __future__ import annotations

import math

import networkx as nx

__all__ = [
    "PALETTE",
    "OTHER",
    "palette",
    "lineage_families",
    "time_layout",
    "month_index",
    "label_width",
    "packed_layout",
    "column_layout",
    "scaled",
]

PALETTE = [
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#86bcb6",
    "#d37295",
    "#a0cbe8",
    "#ffbe7d",
    "#8cd17d",
    "#b6992d",
    "#f1ce63",
    "#499894",
    "#fabfd2",
    "#d4a6c8",
    "#79706e",
]
OTHER = "#c9c9c9"
FONT = 14  # the label size the lineage layout leaves room for (canvas units)
TIME_WIDTH = 1000.0  # the lineage's time axis spans about this many canvas units
MIN_MONTH = 14.0  # ... with at least this much per month
ROW = 46.0  # between the rows of a lane (a dot and the label below it)
LANE_GAP = 22.0


def palette(groups: list[str], limit: int = len(PALETTE)) -> dict[str, str]:
    """A colour per group, in order; groups past the palette share the 'other' grey."""
    return {g: PALETTE[i] if i < limit else OTHER for i, g in enumerate(groups)}


def lineage_families(lineage: nx.MultiDiGraph) -> list[tuple[str, set[str]]]:
    """Connected parts of the lineage with two or more models, each named by its root.

    The root is the earliest model with no incoming link; families come earliest first.
    """

    def when(node: str) -> tuple:
        data = lineage.nodes[node]
        return (data.get("year") or 9999, data.get("month") or 99, data.get("label", ""))

    families = []
    for nodes in nx.weakly_connected_components(lineage):
        if len(nodes) < 2:
            continue
        roots = [n for n in nodes if lineage.in_degree(n) == 0] or list(nodes)
        families.append((min(roots, key=when), nodes))
    return sorted(families, key=lambda item: (when(item[0]), item[0]))


def month_index(data: dict) -> int | None:
    """A node's release month as a count of months (year * 12 + month - 1), if it has one.

    >>> month_index({"year": 2023, "month": 4}), month_index({"year": 2023})
    (24279, None)
    """
    if data.get("year") and data.get("month"):
        return int(data["year"]) * 12 + int(data["month"]) - 1
    return None


def label_width(label: str, font: float = FONT) -> float:
    """A generous estimate of a label's drawn width at *font* (canvas units)."""
    return 0.62 * font * len(label) + 12


def time_layout(
    lineage: nx.MultiDiGraph,
    lanes: list[tuple[str, list[str]]],
    width: float = TIME_WIDTH,
    hidden: frozenset[str] = frozenset(),
) -> tuple[dict[str, tuple[float, float]], dict]:
    """Positions with time along x, proportional to the date, and one lane per family.

    x is the release month (every month the same width, empty months too, so that
    distances are durations); models without a date sit after a marked gap. In each lane a
    model takes the first row where its label does not run into the one before it. Lanes
    named in *hidden* are marked so (the page hides them until asked). Returns the positions
    and the axis: month ticks, year starts, the gap and each lane's name and extent.
    """
    months = {n: month_index(d) for n, d in lineage.nodes(data=True)}
    members = [n for _, nodes in lanes for n in nodes]
    shown = [n for name, nodes in lanes if name not in hidden for n in nodes] or members
    known = [months[n] for n in members if months.get(n) is not None]
    first, last = (min(known), max(known)) if known else (0, 0)
    # the scale is set by the models drawn at first; hidden ones may lie beyond it
    seen = [months[n] for n in shown if months.get(n) is not None] or known or [0]
    start = min(seen)
    per_month = max(MIN_MONTH, width / (max(seen) - start + 1))
    undated_x = (last - start + 3) * per_month

    def x_of(node: str) -> float:
        month = months.get(node)
        return undated_x if month is None else (month - start) * per_month

    pos: dict[str, tuple[float, float]] = {}
    lane_marks, y = [], 0.0
    for name, nodes_ in lanes:
        ends: list[float] = []  # per row: where the last label in it ends
        order = sorted(nodes_, key=lambda n: (x_of(n), lineage.nodes[n].get("date") or "", n))
        for node in order:
            half = label_width(str(lineage.nodes[node].get("label", node))) / 2
            x = x_of(node)
            row = next((i for i, end in enumerate(ends) if end + 8 <= x - half), len(ends))
            if row == len(ends):
                ends.append(0.0)
            ends[row] = x + half
            pos[node] = (x, y + row * ROW)
        rows = max(len(ends), 1)
        lane_marks.append(
            {
                "text": name,
                "top": y - ROW / 2,
                "bottom": y + (rows - 0.5) * ROW,
                "hidden": name in hidden,
            }
        )
        y += rows * ROW + LANE_GAP
    ticks = []
    for month in range(first, last + 1) if known else []:
        year, index = divmod(month, 12)
        ticks.append(
            {
                "x": (month - start) * per_month,
                "text": str(year) if index == 0 or month == first else f"{index + 1:02d}",
                "major": index == 0 or month == first,
            }
        )
    axis = {"ticks": ticks, "lanes": lane_marks, "gap": None}
    if any(months.get(n) is None for n in members):
        axis["gap"] = {
            "x": undated_x,
            "text": "date unknown",
            "hidden": all(months.get(n) is not None for n in shown),
        }
    return pos, axis


def scaled(layout: dict, count: int, spread: float) -> dict[str, tuple[float, float]]:
    """A unit-sized layout of *count* nodes scaled to *spread* times the square root of *count*."""
    size = spread * math.sqrt(max(count, 1))
    return {n: (float(x) * size, float(y) * size) for n, (x, y) in layout.items()}


def packed_layout(graph: nx.Graph, seed: int, spread: float) -> dict[str, tuple[float, float]]:
    """A seeded spring layout per connected part, the parts packed in rows, largest first.

    One spring layout of a graph with many small parts scatters them over a wide empty
    plane; packing keeps the drawing compact.
    """
    parts = sorted(
        (sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0])
    )
    boxes = []
    for nodes in parts:
        # a graph of its own in sorted order: the seeded layout then depends on the nodes
        # and edges alone, not on the order the store gave them in
        sub = nx.Graph()
        sub.add_nodes_from(nodes)
        sub.add_edges_from(sorted(tuple(sorted(e)) for e in graph.subgraph(nodes).edges()))
        if len(nodes) == 1:
            local = {nodes[0]: (0.0, 0.0)}
        else:
            layout = nx.spring_layout(sub, seed=seed, k=1.5 / math.sqrt(len(nodes)))
            local = scaled(layout, len(nodes), spread)
        xs = [x for x, _ in local.values()]
        ys = [y for _, y in local.values()]
        boxes.append((local, min(xs), min(ys), max(xs) - min(xs) + 190, max(ys) - min(ys) + 80))
    row_width = max(
        max((b[3] for b in boxes), default=0), math.sqrt(sum(b[3] * b[4] for b in boxes)) * 1.6
    )
    pos: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for local, left, top, width, height in boxes:
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (nx_, ny_) in local.items():
            pos[node] = (x + nx_ - left, y + ny_ - top)
        x += width
        row_height = max(row_height, height)
    return pos


def column_layout(
    graph: nx.Graph,
    columns: list[list[str]],
    labels: dict[str, str],
    max_rows: int = 22,
    row: float = 30.0,
    max_width: float = 140.0,
) -> tuple[dict[str, tuple[float, float]], list[float]]:
    """Nodes in columns, left to right, each column ordered to keep edges short.

    Each node's place in its column follows the mean place of its neighbours (a few sweeps
    of the barycentre heuristic); a column of more than *max_rows* nodes zig-zags over two
    or more sub-columns. Every column spans the same height; a label is taken to be at most
    *max_width* wide (the page wraps longer ones). Returns the positions and the x of each
    column's centre.
    """
    place = {n: i / max(len(c), 1) for c in columns for i, n in enumerate(c)}
    order = [list(c) for c in columns]
    for _ in range(6):
        for column in order:
            mean = {}
            for node in column:
                near = [place[m] for m in graph[node] if m in place] if node in graph else []
                mean[node] = sum(near) / len(near) if near else place[node]
            column.sort(key=lambda n: (mean[n], labels.get(n, n), n))
            for i, node in enumerate(column):
                place[node] = i / max(len(column), 1)
    tallest = max((math.ceil(len(c) / math.ceil(len(c) / max_rows)) for c in order if c), default=1)
    height = tallest * row
    pos: dict[str, tuple[float, float]] = {}
    centres, x = [], 0.0
    for column in order:
        subs = max(1, math.ceil(len(column) / max_rows))
        rows = math.ceil(len(column) / subs) if column else 1
        width = max((min(label_width(labels.get(n, n)), max_width) for n in column), default=60)
        step = width + 12
        left = x + width / 2
        centres.append(left + (subs - 1) * step / 2)
        for i, node in enumerate(column):
            pos[node] = (left + (i % subs) * step, (i // subs + 0.5) * height / rows)
        x = left + (subs - 1) * step + width / 2 + 36
    return pos, centres
