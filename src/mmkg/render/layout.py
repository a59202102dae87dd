"""Positions for the graph pages, computed with NetworkX so that no page runs physics.

Lineage pages put time along x (proportional to the release month) and give each lineage
family its own lane; the component families are a grid of family clusters (the family over
its components); other pages use a seeded spring layout per connected part, packed in rows.
The same graph always gets the same drawing.

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
    "cluster_grid_layout",
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


CLUSTER_GAP = (1.2, 1.0)  # between clusters, across and down (in label heights)


def _lines(label: str, font: float, max_width: float) -> int:
    """How many lines a label wraps to when drawn at most *max_width* wide (words wrap
    whole, so a line is taken to hold a little less than the width)."""
    if " " not in label.strip():
        return 1
    return max(1, math.ceil((label_width(label, font) - 12) / (0.85 * max_width - 12)))


def _drawn_width(label: str, font: float, max_width: float) -> float:
    """A label's width when wrapped at *max_width*: only at spaces, so a word may be wider."""
    words = label.split() or [label]
    return min(label_width(label, font), max(max_width, *(label_width(w, font) for w in words)))


def _cluster(
    head: str, members: list[str], labels: dict[str, str], font: float, max_width: float
) -> tuple[dict, float, float]:
    """One cluster: *head* (an ellipse, not wrapped) on top, *members* (boxes; a label wider
    than *max_width* wraps) in rows of up to three below it, centred.

    Returns positions relative to the cluster's top left, its width and its height.
    """
    columns = 1 if len(members) <= 3 else 2 if len(members) <= 6 else 3
    cell = max((_drawn_width(labels[m], font, max_width) for m in members), default=0)
    cell += font / 2 if members else 0
    width = max(1.2 * label_width(labels[head], font), columns * cell)
    row, line = font * 1.25 + 12, font * 1.25
    local = {head: (width / 2, 0.0)}
    y = 0.0
    for start in range(0, len(members), columns):
        part = members[start : start + columns]
        tall = (max(_lines(labels[m], font, max_width) for m in part) - 1) * line
        left = (width - len(part) * cell) / 2
        for column, member in enumerate(part):
            local[member] = (left + (column + 0.5) * cell, y + row + tall / 2)
        y += row + tall
    return local, width, y + row / 2


def _shelves(
    boxes: list[tuple[dict, float, float]], row_width: float, top: float, font: float
) -> tuple:
    """Boxes left to right in rows of at most *row_width*; the positions and the extent."""
    across, down = CLUSTER_GAP[0] * font, CLUSTER_GAP[1] * font
    pos: dict[str, tuple[float, float]] = {}
    x, y, tallest, widest = 0.0, top, 0.0, 0.0
    for local, width, height in boxes:
        if x > 0 and x + width > row_width:
            x, y, tallest = 0.0, y + tallest + down, 0.0
        for node, (lx, ly) in local.items():
            pos[node] = (x + lx, y + ly)
        widest = max(widest, x + width)
        x += width + across
        tallest = max(tallest, height)
    return pos, widest, y + tallest - top


def cluster_grid_layout(
    clusters: list[tuple[str, list[str]]],
    labels: dict[str, str],
    font: float,
    max_width: float,
    aspect: float = 1.45,
    below: list[tuple[str, list[str]]] | None = None,
) -> dict[str, tuple[float, float]]:
    """Clusters (a head and its members) in rows, tallest first (else in the order given),
    the rows as wide as makes the whole closest to *aspect* (width / height); the clusters
    of *below* (drawn later, e.g. hidden at first) in rows of their own under them. Labels
    are taken to be drawn at *font* (canvas units), members' wrapped at *max_width*.
    """
    boxes = [_cluster(head, members, labels, font, max_width) for head, members in clusters]
    boxes.sort(key=lambda box: -box[2])  # tallest first: rows of like heights waste less
    widths = sorted({w for _, w, _ in boxes})
    total = sum(w + CLUSTER_GAP[0] * font for _, w, _ in boxes)
    best: tuple[float, dict, float, float] | None = None
    for step in range(1, 61):
        row_width = max(widths[-1] if widths else 0.0, total * step / 60)
        pos, width, height = _shelves(boxes, row_width, 0.0, font)
        # the zoom at which the whole fits a box of the given aspect: the larger the better
        fit = min(aspect / max(width, 1.0), 1 / max(height, 1.0))
        if best is None or fit > best[0] + 1e-12:
            best = (fit, pos, width, height)
    pos, width, height = ({}, 0.0, 0.0) if best is None else best[1:]
    if below:
        extra = [_cluster(head, members, labels, font, max_width) for head, members in below]
        area = sum((w + CLUSTER_GAP[0] * font) * (h + CLUSTER_GAP[1] * font) for _, w, h in extra)
        row_width = max([width, math.sqrt(aspect * area)] + [w for _, w, _ in extra])
        pos.update(_shelves(extra, row_width, height + 3 * CLUSTER_GAP[1] * font, font)[0])
    return pos
