"""Positions for the graph pages, computed with NetworkX so that no page runs physics.

Lineage pages put time along x (a column per month that has a model) and give each lineage
family its own lane; the other pages use a seeded spring layout per connected part, the parts
packed in rows. The same graph always gets the same drawing.

>>> import networkx as nx
>>> sorted(packed_layout(nx.path_graph(3), seed=1, spread=100)) == [0, 1, 2]
True
"""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx

__all__ = [
    "PALETTE",
    "OTHER",
    "palette",
    "lineage_families",
    "time_layout",
    "packed_layout",
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
X_GAP = 120  # pixels per month column on the lineage pages
Y_GAP = 54
LANE_GAP = 30


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


def time_layout(
    lineage: nx.MultiDiGraph, lanes: list[tuple[str, list[str]]]
) -> tuple[dict[str, tuple[float, float]], dict]:
    """Positions with time along x and one horizontal lane per family.

    Each month that has a model gets a column, in time order (empty months take no room).
    Models of one lane and month stack downwards; odd columns shift half a row, so that the
    labels of neighbouring columns sit at different heights. Returns positions and the axis.
    """
    months = {}
    for node, data in lineage.nodes(data=True):
        if data.get("year") and data.get("month"):
            months[node] = data["year"] * 12 + data["month"] - 1
    members = {n for _, nodes in lanes for n in nodes}
    used = sorted({months[n] for n in members if n in months})
    column_of = {m: i for i, m in enumerate(used)}
    undated = len(used) + 1
    pos: dict[str, tuple[float, float]] = {}
    lane_marks, y = [], 0.0
    for name, nodes_ in lanes:
        columns: dict[int, list[str]] = defaultdict(list)
        for node in nodes_:
            columns[column_of.get(months.get(node, -1), undated)].append(node)
        depth = max((len(v) for v in columns.values()), default=1)
        for column, nodes in columns.items():
            nodes.sort(key=lambda n: (lineage.nodes[n].get("date") or "", n))
            shift = Y_GAP / 2 if column % 2 else 0.0
            for i, node in enumerate(nodes):
                pos[node] = (column * X_GAP, y + shift + i * Y_GAP)
        first = min(columns, default=0)
        lane_marks.append({"text": name, "x": first * X_GAP - 18, "y": y + 5})
        y += depth * Y_GAP + LANE_GAP
    ticks = [{"x": i * X_GAP, "text": f"{m // 12}-{m % 12 + 1:02d}"} for i, m in enumerate(used)]
    if any(n not in months for n in members):
        ticks.append({"x": undated * X_GAP, "text": "date unknown"})
    years = [
        {"x": (i - 0.5) * X_GAP, "text": str(m // 12)}
        for i, m in enumerate(used)
        if i == 0 or m // 12 != used[i - 1] // 12
    ]
    axis = {"top": -40, "bottom": y, "ticks": ticks, "lanes": lane_marks, "years": years}
    return pos, axis


def scaled(layout: dict, count: int, spread: float) -> dict[str, tuple[float, float]]:
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
