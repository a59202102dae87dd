"""The lineage graph pages (whole and per family), and what every graph page of models shares.

Each builder takes a NetworkX projection of :mod:`mmkg.graphview`, lays it out with
:mod:`mmkg.render.layout`, colours nodes by family or organisation, shapes them by kind,
writes plain-text tooltips and returns a :class:`~mmkg.render.graphpage.GraphPage` with its
legend. The architecture and component-family pages are :mod:`mmkg.render.componentgraphs`
(still importable from here); above a few hundred nodes the overviews are drawn by
:mod:`mmkg.render.overview` instead; each model's neighbourhood is :mod:`mmkg.render.ego`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import networkx as nx

from mmkg.render.graphpage import GraphPage, UrlFor, network
from mmkg.render.graphstyle import (
    CENTRE_COLOUR,
    MODEL_COLOUR,
    ROLE_COLOURS,
    link_style,
)
from mmkg.render.layout import OTHER, lineage_families, palette, time_layout

__all__ = [
    "ROLE_COLOURS",
    "MODEL_COLOUR",
    "CENTRE_COLOUR",
    "SHAPES",
    "model_tooltip",
    "legend_items",
    "shape_legend",
    "add_lineage_edges",
    "link_legend",
    "lineage_page",
    "family_lineage_page",
]

SHAPES = {"model": "dot", "generation": "diamond", "component": "box", "family": "ellipse"}
NOT_LINKED = "not linked"


def legend_items(colours: dict[str, str], counts: Counter, shape: str = "dot") -> list[dict]:
    """A legend entry per coloured group with its count; groups in the 'other' grey as one."""
    items, other = [], 0
    for group, colour in colours.items():
        if colour == OTHER:
            other += counts[group]
            continue
        items.append({"colour": colour, "shape": shape, "label": f"{group} ({counts[group]})"})
    if other:
        items.append({"colour": OTHER, "shape": shape, "label": f"other ({other})"})
    return items


def model_tooltip(data: dict, parts: str) -> str:
    """A model's plain-text tooltip: name, date, organisations, modalities, components."""
    lines = [
        data.get("label", ""),
        f"date: {data.get('date') or 'unknown'}",
        f"organisations: {', '.join(data.get('organisations') or []) or 'not given'}",
        f"{'+'.join(data.get('inputs') or [])} → {'+'.join(data.get('outputs') or [])}",
    ]
    if parts:
        lines.append(parts)
    return "\n".join(lines)


def _model_shape(data: dict) -> str:
    functional = (data.get("functional") or "").casefold()
    return SHAPES["generation"] if "generation" in functional else SHAPES["model"]


def add_lineage_edges(net: Any, lineage: nx.MultiDiGraph, nodes: set[str]) -> Counter:
    """Draw the lineage links among *nodes*: one edge per link kind (two kinds between the
    same models are two curves), in the kind's colour and dash pattern; influence links and
    name-only suggestions thinner. Returns the number of links drawn per kind (and ``weak``).
    """
    kinds: Counter = Counter()
    merged: dict[tuple[str, str], dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for earlier, later, data in lineage.edges(data=True):
        if earlier in nodes and later in nodes:
            merged[(earlier, later)][data["kind"]].append(data)
    for (earlier, later), by_kind in sorted(merged.items()):
        for i, (kind, links) in enumerate(sorted(by_kind.items())):
            kinds[kind] += len(links)
            weak = all(link.get("influence") or link.get("suggested") for link in links)
            kinds["weak"] += weak
            colour, dashes = link_style(kind)
            title = "\n".join(
                [f"{lineage.nodes[earlier]['label']} → {lineage.nodes[later]['label']}"]
                + [
                    f"{link['label']} ({link.get('confidence') or 'confidence not given'})"
                    for link in links
                ]
            )
            net.add_edge(
                earlier,
                later,
                title=title,
                what=links[0]["label"],
                kind=kind,
                color=colour,
                dashes=dashes or False,
                width=1.2 if weak else 2.4,
                arrows="to",
                smooth={"enabled": True, "type": "curvedCW", "roundness": 0.1 + 0.25 * i},
            )
    return kinds


def link_legend(lineage: nx.Graph, kinds: Counter) -> list[dict]:
    """The legend of the link kinds drawn (colour and dash pattern), and of thin lines."""
    labels = {d["kind"]: d["label"] for *_, d in lineage.edges(data=True)}
    drawn = [(k, n) for k, n in kinds.most_common() if k != "weak" and n]
    items = [
        {
            "colour": link_style(k)[0],
            "shape": "line",
            "dashes": link_style(k)[1],
            "label": f"{labels.get(k, k)} ({n})",
            "kind": k,
        }
        for k, n in drawn
    ]
    legend = [{"title": "Links (earlier → later)", "items": items}] if items else []
    if kinds["weak"]:
        legend.append(
            {
                "title": "Line width",
                "items": [
                    {
                        "colour": "#555555",
                        "shape": "line",
                        "dashes": [],
                        "thin": True,
                        "label": "thin: influence only, or suggested by names only",
                    }
                ],
            }
        )
    return legend


def shape_legend(shapes: list[tuple[str, str]]) -> dict:
    """The legend of the node shapes drawn, given as (shape, what it stands for) pairs."""
    return {
        "title": "Shapes",
        "items": [{"colour": "#ffffff", "shape": s, "label": text} for s, text in shapes],
    }


def lineage_page(lineage: nx.MultiDiGraph, parts: dict[str, str], url_for: UrlFor) -> GraphPage:
    """Every linked model along time, one lane per lineage family; unlinked models hidden."""
    families = lineage_families(lineage)
    linked = set().union(*(nodes for _, nodes in families)) if families else set()
    names = [lineage.nodes[root]["label"] for root, _ in families]
    colours = palette(names)
    lanes = [(name, sorted(nodes)) for name, (_, nodes) in zip(names, families, strict=True)]
    unlinked = sorted(set(lineage) - linked)
    hidden_lane = f"{NOT_LINKED} ({len(unlinked)})"
    if unlinked:
        lanes.append((hidden_lane, unlinked))
    pos, axis = time_layout(lineage, lanes, hidden=frozenset([hidden_lane]))
    net = network(directed=True)
    group_of = {n: name for name, (_, nodes) in zip(names, families, strict=True) for n in nodes}
    for node, data in lineage.nodes(data=True):
        x, y = pos[node]
        net.add_node(
            node,
            label=data["label"],
            title=model_tooltip(data, parts.get(node, "")),
            color=colours.get(group_of.get(node, ""), OTHER),
            shape=_model_shape(data),
            x=x,
            y=y,
            hidden=node not in linked,
        )
    kinds = add_lineage_edges(net, lineage, set(lineage))
    counts = Counter(group_of.get(n, NOT_LINKED) for n in lineage)
    legend = [
        {"title": "Lineage families (lanes, by root)", "items": legend_items(colours, counts)},
        {
            "title": "Not linked (hidden until shown)",
            "items": [
                {
                    "colour": OTHER,
                    "shape": "dot",
                    "label": f"no recorded link ({counts[NOT_LINKED]})",
                }
            ],
        },
        shape_legend([("dot", "understanding model"), ("diamond", "generation model")]),
        *link_legend(lineage, kinds),
    ]
    return GraphPage(
        path="graphs/lineage.html",
        title="Lineage of all models",
        intro=(
            f"The {len(linked)} models with an evolution link ({lineage.number_of_edges()} "
            "links), along time (x, proportional to the release month), one lane per lineage "
            f"family; the {len(unlinked)} models without a link are hidden until you show them. "
            "Hover or tap for details, click a model to open its page."
        ),
        net=net,
        legend=legend,
        axis=axis,
        url_for=url_for,
    )


def _organisations(data: dict) -> str:
    """All the organisations the graph names for a model (it states no order: sorted)."""
    return " + ".join(sorted(data.get("organisations") or [])) or "organisation not given"


def family_lineage_page(
    lineage: nx.MultiDiGraph,
    root: str,
    nodes: set[str],
    slug: str,
    parts: dict[str, str],
    url_for: UrlFor,
) -> GraphPage:
    """One lineage family along time, models coloured by their organisations (all of them)."""
    sub = lineage.subgraph(nodes)
    name = lineage.nodes[root]["label"]
    pos, axis = time_layout(sub, [(name, sorted(nodes))])
    axis["lanes"] = []
    organisation = {n: _organisations(sub.nodes[n]) for n in nodes}
    counts = Counter(organisation.values())
    colours = palette(sorted(counts, key=lambda o: (-counts[o], o)))
    net = network(directed=True)
    for node in sorted(nodes):
        data = sub.nodes[node]
        x, y = pos[node]
        net.add_node(
            node,
            label=data["label"],
            title=model_tooltip(data, parts.get(node, "")),
            color=colours[organisation[node]],
            shape=_model_shape(data),
            x=x,
            y=y,
        )
    kinds = add_lineage_edges(net, sub, set(nodes))
    legend = [
        {"title": "Organisations (all those named)", "items": legend_items(colours, counts)},
        shape_legend([("dot", "understanding model"), ("diamond", "generation model")]),
        *link_legend(sub, kinds),
    ]
    return GraphPage(
        path=f"graphs/family/{slug}.html",
        title=f"Lineage family of {name}",
        intro=(
            f"{len(nodes)} models in the {name} family (models joined by lineage links), "
            "by release month."
        ),
        net=net,
        legend=legend,
        axis=axis,
        url_for=url_for,
    )
