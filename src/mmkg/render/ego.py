"""The neighbourhood graph of each model: its links and components, and theirs, bounded.

The lineage and the model-component graph are joined once for the whole site
(:class:`Neighbourhoods`); each model's page then costs what its neighbourhood holds, never
the size of the graph: radius 2 only when the second ring is small (read from the degrees
before it is walked, so a component that thousands of models use is never walked), else
radius 1 cut to :data:`EGO_LIMIT` nodes with the number left out said on the page. Nodes sit
on rings around the model (no force layout), so a page takes well under a millisecond to lay
out.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import networkx as nx

from mmkg.render.graphpage import GraphPage, UrlFor, network
from mmkg.render.graphs import (
    CENTRE_COLOUR,
    MODEL_COLOUR,
    ROLE_COLOURS,
    SHAPES,
    add_lineage_edges,
    link_legend,
)
from mmkg.render.layout import OTHER

__all__ = ["EGO_LIMIT", "Neighbourhoods", "ego_page"]

#: At most this many nodes in a neighbourhood graph, the model included.
EGO_LIMIT = 45
USE_COLOUR = "#9a9a9a"
RING_GAP = 220  # pixels between rings
SPACING = 95  # pixels along a ring per node


@dataclass
class Neighbourhoods:
    """The lineage and the model-component graph joined once, for every model's neighbourhood."""

    lineage: nx.MultiDiGraph
    components: nx.Graph
    joined: nx.Graph = field(init=False)
    role: dict[str, str] = field(init=False)  # each component's most common role

    def __post_init__(self) -> None:
        self.joined = nx.Graph()
        self.joined.add_nodes_from(self.lineage.nodes(data=True))
        self.joined.add_edges_from((a, b) for a, b, _ in self.lineage.edges(keys=True))
        self.joined.add_nodes_from(self.components.nodes(data=True))
        self.joined.add_edges_from(self.components.edges())
        self.role = {}
        for node, data in self.components.nodes(data=True):
            if data.get("kind") == "component":
                roles = Counter(
                    r for _, _, d in self.components.edges(node, data=True) for r in d["roles"]
                )
                self.role[node] = roles.most_common(1)[0][0] if roles else ""

    def around(self, centre: str, limit: int = EGO_LIMIT) -> tuple[list[list[str]], int, int]:
        """The rings around *centre*: ``[[centre], ring 1, ring 2?]``, the radius, and the
        number of neighbours left out (ring 1 cut to the limit: components first, then by name).
        """
        graph = self.joined
        first = sorted(graph[centre], key=self._order)
        if 1 + len(first) > limit:
            return [[centre], first[: limit - 1]], 1, len(first) - (limit - 1)
        bound = sum(graph.degree(n) for n in first)  # an upper bound of the second ring
        if 1 + len(first) + bound <= 4 * limit:
            near = {centre, *first}
            second = sorted({m for n in first for m in graph[n]} - near, key=self._order)
            if len(near) + len(second) <= limit:
                return [[centre], first, second], 2, 0
        return [[centre], first], 1, 0

    def _order(self, node: str) -> tuple:
        data = self.joined.nodes[node]
        return (data.get("kind") != "component", str(data.get("label", node)).casefold(), node)


def _rings(rings: list[list[str]], graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """The centre at 0,0, each ring around it; a node of ring 2 near its first parent."""
    pos = {rings[0][0]: (0.0, 0.0)}
    angle: dict[str, float] = {}
    radius = 0.0
    for depth, ring in enumerate(rings[1:], start=1):
        radius = max(radius + RING_GAP, len(ring) * SPACING / (2 * math.pi))
        if depth == 1:
            order = ring
        else:  # beside the parent that comes first on the ring before
            parent_of = {n: min((angle[p], p) for p in graph[n] if p in angle) for n in ring}
            order = sorted(ring, key=lambda n: (parent_of[n], n))
        for i, node in enumerate(order):
            theta = 2 * math.pi * i / len(order) - math.pi / 2
            angle[node] = theta
            pos[node] = (round(radius * math.cos(theta), 1), round(radius * math.sin(theta), 1))
    return pos


def _model_shape(data: dict) -> str:
    functional = (data.get("functional") or "").casefold()
    return SHAPES["generation"] if "generation" in functional else SHAPES["model"]


def ego_page(
    hoods: Neighbourhoods,
    centre: str,
    slug: str,
    tooltip: dict[str, str],
    url_for: UrlFor,
    limit: int = EGO_LIMIT,
) -> GraphPage | None:
    """The neighbourhood of one model over lineage and components; None when it has neither.

    *tooltip* gives the plain-text tooltip of each model.
    """
    joined, lineage, components = hoods.joined, hoods.lineage, hoods.components
    if centre not in joined or joined.degree(centre) == 0:
        return None
    rings, radius, left_out = hoods.around(centre, limit)
    members = [n for ring in rings for n in ring]
    inside = set(members)
    pos = _rings(rings, joined)
    net = network(directed=True)
    roles: Counter = Counter()
    for node in sorted(members):
        data = joined.nodes[node]
        x, y = pos[node]
        if data.get("kind") == "component":
            role = hoods.role.get(node, "")
            roles[role] += 1
            net.add_node(
                node,
                label=data.get("label", node),
                title=f"{data.get('label', node)}\nfamily: {data.get('family') or 'none'}\n"
                f"role: {role}\nused by {components.degree(node)} model(s)",
                color=ROLE_COLOURS.get(role, OTHER),
                shape=SHAPES["component"],
                x=x,
                y=y,
            )
        else:
            net.add_node(
                node,
                label=data.get("label", node),
                title=tooltip.get(node, data.get("label", node)),
                color=CENTRE_COLOUR if node == centre else MODEL_COLOUR,
                shape=_model_shape(data),
                size=18 if node == centre else 11,
                x=x,
                y=y,
            )
    # edges among the members only, found from the members (never from the whole graph)
    near = lineage.subgraph(n for n in members if n in lineage)
    kinds = add_lineage_edges(net, near, inside)
    for model in sorted(n for n in members if components.nodes.get(n, {}).get("kind") == "model"):
        for component in sorted(set(components[model]) & inside):
            data = components.edges[model, component]
            net.add_edge(
                model,
                component,
                title=", ".join(data.get("roles", [])),
                what="uses " + (", ".join(data.get("roles", [])) or "component"),
                color=USE_COLOUR,
                arrows="",
                smooth=False,
            )
    name = joined.nodes[centre].get("label", centre)
    legend = [
        {
            "title": "Models",
            "items": [
                {"colour": CENTRE_COLOUR, "shape": "dot", "label": name},
                {"colour": MODEL_COLOUR, "shape": "dot", "label": "other models"},
            ],
        },
        {
            "title": "Components by role",
            "items": [
                {"colour": colour, "shape": "box", "label": f"{role} ({roles[role]})"}
                for role, colour in ROLE_COLOURS.items()
                if roles[role]
            ],
        },
        *link_legend(near, kinds),
        {
            "title": "Other edges",
            "items": [{"colour": USE_COLOUR, "shape": "line", "label": "uses component"}],
        },
    ]
    note = ""
    if left_out:
        note = (
            f"{name} has {len(rings[1]) + left_out} direct neighbours: the {len(rings[1])} "
            f"shown are its components and the first models by name; {left_out} more are "
            "not drawn (its page lists its links)."
        )
    return GraphPage(
        path=f"graphs/ego/{slug}.html",
        title=f"Around {name}",
        intro=f"Models and components within {radius} step(s) of {name}, in rings around it.",
        net=net,
        legend=legend,
        url_for=url_for,
        note=note,
    )
