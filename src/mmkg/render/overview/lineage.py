"""The lineage overviews: lanes of families (or generations) and columns of periods.

A node holds the models of one lane and period, with their number; edges count the links
between nodes. The period is the finest of month, quarter, half-year and year that spans the
dates in at most :data:`MAX_COLUMNS` columns, so that time along x is proportional.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict, deque
from collections.abc import Callable

import networkx as nx

from mmkg.render.graphpage import GraphPage, network
from mmkg.render.layout import OTHER, PALETTE, month_index
from mmkg.render.overview.common import LINK_GREY, OVERVIEW_MAX_NODES, node_size, table_link

__all__ = [
    "FAMILY_LANES",
    "GENERATION_LANES",
    "MAX_COLUMNS",
    "aggregated_lineage_page",
    "aggregated_family_page",
]

FAMILY_LANES = 24
GENERATION_LANES = 12
MAX_COLUMNS = 24
COLUMN_GAP, LANE_GAP = 140, 80
UNITS = ((1, "month"), (3, "quarter"), (6, "half-year"), (12, "year"))


def _period_label(bucket: int, unit: int) -> str:
    year, index = divmod(bucket * unit, 12)
    if unit == 1:
        return f"{year}-{index + 1:02d}"
    if unit == 3:
        return f"{year}-Q{index // 3 + 1}"
    if unit == 6:
        return f"{year}-H{index // 6 + 1}"
    return str(year)


def _unit(months: list[int]) -> tuple[int, str]:
    """The finest period that spans *months* in at most MAX_COLUMNS columns."""
    if not months:
        return 12, "year"
    low, high = min(months), max(months)
    for unit, name in UNITS:
        if high // unit - low // unit + 1 <= MAX_COLUMNS:
            return unit, name
    return 12, "year"


def _lanes_page(
    lineage: nx.MultiDiGraph,
    lane_of: dict[str, int],
    lanes: list[dict],
    **page: object,
) -> tuple[GraphPage, dict]:
    """A node per lane and period with its number of models, links between them counted.

    *lanes* hold ``name``, ``colour`` and ``url`` (the page a node of the lane opens, or None).
    """
    months = {n: month_index(lineage.nodes[n]) for n in lane_of}
    unit, unit_name = _unit([m for m in months.values() if m is not None])
    known = [m // unit for m in months.values() if m is not None]
    first = min(known, default=0)
    columns = (max(known) - first + 1) if known else 0
    undated = columns + 1  # a column of its own, after a gap

    def column(node: str) -> int:
        month = months[node]
        return undated if month is None else month // unit - first

    cells: dict[tuple[int, int], list[str]] = defaultdict(list)
    for node, lane in lane_of.items():
        cells[(lane, column(node))].append(node)
    links: dict[tuple, Counter] = defaultdict(Counter)  # per pair of nodes: links per kind
    labels: dict[str, str] = {}
    weak: Counter = Counter()
    within: Counter = Counter()
    for earlier, later, data in lineage.edges(data=True):
        if earlier not in lane_of or later not in lane_of:
            continue
        a = (lane_of[earlier], column(earlier))
        b = (lane_of[later], column(later))
        if a == b:
            within[a] += 1
            continue
        links[(a, b)][data["kind"]] += 1
        labels[data["kind"]] = data["label"]
        if data.get("influence") or data.get("suggested"):
            weak[(a, b)] += 1

    def period(col: int) -> str:
        return "date unknown" if col == undated else _period_label(first + col, unit)

    net = network(directed=True)
    urls: dict[str, str] = {}
    for (lane, col), members in sorted(cells.items()):
        info = lanes[lane]
        members.sort(key=lambda n: (lineage.nodes[n].get("date") or "9999", n))
        sample = ", ".join(lineage.nodes[n]["label"] for n in members[:5])
        more = f" and {len(members) - 5} more" if len(members) > 5 else ""
        node = f"cell/{lane}/{col}"
        net.add_node(
            node,
            label=str(len(members)),
            name=f"{info['name']}, {period(col)}",
            title="\n".join(
                [
                    info["name"],
                    f"{period(col)}: {len(members)} model(s)",
                    f"e.g. {sample}{more}",
                    f"{within[(lane, col)]} link(s) between them",
                ]
            ),
            color=info["colour"],
            shape="dot",
            size=node_size(len(members)),
            x=col * COLUMN_GAP,
            y=lane * LANE_GAP,
        )
        if info.get("url"):
            urls[node] = info["url"]
    for (a, b), kinds in sorted(links.items()):
        count = sum(kinds.values())
        net.add_edge(
            f"cell/{a[0]}/{a[1]}",
            f"cell/{b[0]}/{b[1]}",
            title="\n".join(
                [f"{lanes[a[0]]['name']}, {period(a[1])} → {lanes[b[0]]['name']}, {period(b[1])}"]
                + [f"{n} × {labels[kind]}" for kind, n in kinds.most_common()]
            ),
            color=LINK_GREY,
            width=round(1 + 1.5 * math.log2(count), 1),
            dashes=weak[(a, b)] == count,
            arrows="to",
        )
    ticks = [
        {
            "x": col * COLUMN_GAP,
            "text": _period_label(first + col, unit),
            "major": col == 0 or _period_label(first + col - 1, unit)[:4] != period(col)[:4],
        }
        for col in range(columns)
    ]
    axis = {
        "ticks": ticks,
        "gap": {"x": undated * COLUMN_GAP, "text": "date unknown"}
        if any(col == undated for _, col in cells)
        else None,
        "lanes": [
            {"text": lane["name"], "top": (i - 0.5) * LANE_GAP, "bottom": (i + 0.5) * LANE_GAP}
            for i, lane in enumerate(lanes)
        ],
    }
    graph_page = GraphPage(net=net, axis=axis, url_for=urls.get, anchor="top-left", **page)
    return graph_page, {"unit": unit_name, "cells": len(cells)}


def aggregated_lineage_page(
    lineage: nx.MultiDiGraph,
    families: list[tuple[str, set[str]]],
    family_url: Callable[[str], str],
    limit: int = OVERVIEW_MAX_NODES,
) -> GraphPage:
    """The whole lineage as lanes of families and columns of periods, with counts."""
    ranked = sorted(families, key=lambda f: (-len(f[1]), f[0]))
    lanes, lane_of = [], {}
    for i, (root, nodes) in enumerate(ranked[:FAMILY_LANES]):
        lanes.append(
            {
                "name": f"{lineage.nodes[root]['label']} ({len(nodes)})",
                "colour": PALETTE[i % len(PALETTE)],
                "url": family_url(root),
            }
        )
        lane_of.update(dict.fromkeys(nodes, i))
    rest = ranked[FAMILY_LANES:]
    if rest:
        members = sum(len(n) for _, n in rest)
        lanes.append({"name": f"{len(rest)} other families ({members})", "colour": OTHER})
        for _, nodes in rest:
            lane_of.update(dict.fromkeys(nodes, len(lanes) - 1))
    unlinked = [n for n in lineage if n not in lane_of]
    if unlinked:
        lanes.append(
            {
                "name": f"not linked ({len(unlinked)})",
                "colour": "#e8e8e8",
                "url": table_link(family="not linked"),
            }
        )
        lane_of.update(dict.fromkeys(unlinked, len(lanes) - 1))
    n = lineage.number_of_nodes()
    page, shape = _lanes_page(
        lineage,
        lane_of,
        lanes,
        path="graphs/lineage.html",
        title="Lineage of all models",
        intro=(
            f"{n} models and their {lineage.number_of_edges()} evolution links, by "
            f"lineage family (lanes) and release date (x). Click a node to open its family."
        ),
        note=(
            f"With more than {limit} models, this overview draws one node per lineage family "
            f"and {{unit}} holding its number of models (the bigger the dot, the more models), "
            f"not one node per model; edges count the links between them. The {FAMILY_LANES} "
            "biggest families have a lane each; each family has a page of its own, and the "
            "model table on the front page lists every model."
        ),
    )
    page.note = page.note.format(unit=shape["unit"])
    page.legend = [
        {
            "title": "Lanes (models)",
            "items": [
                {"colour": lane["colour"], "shape": "dot", "label": lane["name"]} for lane in lanes
            ],
        },
        _count_legend(),
    ]
    return page


def _count_legend() -> dict:
    return {
        "title": "Reading it",
        "items": [
            {
                "colour": "#ffffff",
                "shape": "dot",
                "label": "a node: the models of one lane and period (label: how many)",
            },
            {
                "colour": LINK_GREY,
                "shape": "line",
                "label": "links between them (the wider, the more)",
            },
            {"colour": LINK_GREY, "shape": "dashed", "label": "influence links only"},
        ],
    }


def aggregated_family_page(
    lineage: nx.MultiDiGraph,
    root: str,
    nodes: set[str],
    slug: str,
    family_name: str,
    limit: int = OVERVIEW_MAX_NODES,
) -> GraphPage:
    """A big lineage family as lanes of generations and columns of periods, with counts."""
    sub = lineage.subgraph(nodes)
    depth: dict[str, int] = {}
    queue = deque(sorted(n for n in nodes if sub.in_degree(n) == 0) or [root])
    for node in queue:
        depth[node] = 0
    while queue:
        node = queue.popleft()
        for later in sub.successors(node):
            if later not in depth:
                depth[later] = depth[node] + 1
                queue.append(later)
    deepest = GENERATION_LANES - 1
    lane_of = {n: min(depth.get(n, deepest), deepest) for n in nodes}
    counts = Counter(lane_of.values())
    lanes = []
    for i in range(max(lane_of.values()) + 1):
        name = "roots" if i == 0 else f"generation {i}"
        if i == deepest:
            name = f"generation {i} or later"
        lanes.append(
            {
                "name": f"{name} ({counts[i]})",
                "colour": PALETTE[i % len(PALETTE)],
                "url": table_link(family=family_name),
            }
        )
    name = lineage.nodes[root]["label"]
    page, shape = _lanes_page(
        lineage.subgraph(nodes),
        lane_of,
        lanes,
        path=f"graphs/family/{slug}.html",
        title=f"Lineage family of {name}",
        intro=(
            f"{len(nodes)} models in the {name} family (models joined by lineage links), "
            "by generation and release date."
        ),
        note=(
            f"With more than {limit} models, this family is drawn as one node per generation "
            "(the number of links below a root) and {unit}, holding its number of models, not "
            "one node per model. A click opens the family's models in the model table."
        ),
    )
    page.note = page.note.format(unit=shape["unit"])
    page.legend = [
        {
            "title": "Generations (models)",
            "items": [
                {"colour": lane["colour"], "shape": "dot", "label": lane["name"]} for lane in lanes
            ],
        },
        _count_legend(),
    ]
    return page
