"""The graph pages of one node per model: lineage (whole and per family), architecture, families.

Each builder takes a NetworkX projection of :mod:`mmkg.graphview`, lays it out with
:mod:`mmkg.render.layout`, colours nodes by family, organisation or role, shapes them by kind,
writes plain-text tooltips and returns a :class:`~mmkg.render.graphpage.GraphPage` with its
legend. Above a few hundred nodes the overviews are drawn by :mod:`mmkg.render.overview`
instead; each model's neighbourhood is :mod:`mmkg.render.ego`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import networkx as nx

from mmkg.render.graphpage import GraphPage, UrlFor, network
from mmkg.render.layout import (
    OTHER,
    PALETTE,
    lineage_families,
    packed_layout,
    palette,
    time_layout,
)

__all__ = [
    "ROLE_COLOURS",
    "model_tooltip",
    "lineage_page",
    "family_lineage_page",
    "architecture_page",
    "component_families_page",
]

MODEL_COLOUR = "#a0cbe8"
CENTRE_COLOUR = "#ffd84d"
ROLE_COLOURS = {
    "Modality encoder": "#59a14f",
    "Input projector": "#f28e2b",
    "LLM backbone": "#4e79a7",
    "Output projector": "#b07aa1",
    "Modality generator": "#e15759",
}
LINK_COLOURS = {
    "isNewVersionOf": "#4e79a7",
    "isTrendSuccessorOf": "#e15759",
    "buildsOn": "#59a14f",
    "extendsModalitiesOf": "#b07aa1",
    "fineTunedFrom": "#f28e2b",
    "initialisedFrom": "#9c755f",
    "inspiredBy": "#79706e",
}
SHAPES = {"model": "dot", "generation": "diamond", "component": "box", "family": "ellipse"}


def _legend_items(colours: dict[str, str], counts: Counter, shape: str = "dot") -> list[dict]:
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


def _add_lineage_edges(net: Any, lineage: nx.MultiDiGraph, nodes: set[str]) -> Counter:
    kinds: Counter = Counter()
    merged: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for earlier, later, data in lineage.edges(data=True):
        if earlier in nodes and later in nodes:
            merged[(earlier, later)].append(data)
    for (earlier, later), links in sorted(merged.items()):
        first = links[0]
        kinds.update(link["kind"] for link in links)
        # influence links (nothing reused) and name-only suggestions are drawn dashed
        weak = all(link.get("influence") or link.get("suggested") for link in links)
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
            color=LINK_COLOURS.get(first["kind"], "#555555"),
            dashes=weak,
            arrows="to",
        )
    return kinds


def _link_legend(lineage: nx.MultiDiGraph, kinds: Counter) -> dict:
    labels = {d["kind"]: d["label"] for *_, d in lineage.edges(data=True)}
    items = [
        {"colour": LINK_COLOURS.get(k, "#555555"), "shape": "line", "label": f"{labels[k]} ({n})"}
        for k, n in kinds.most_common()
    ]
    items.append({"colour": "#555555", "shape": "dashed", "label": "suggested only by names"})
    return {"title": "Links (earlier → later)", "items": items}


def _shape_legend(shapes: list[tuple[str, str]]) -> dict:
    return {
        "title": "Shapes",
        "items": [{"colour": "#ffffff", "shape": s, "label": text} for s, text in shapes],
    }


def lineage_page(lineage: nx.MultiDiGraph, parts: dict[str, str], url_for: UrlFor) -> GraphPage:
    """Every model along time, one lane per lineage family, colour by family."""
    families = lineage_families(lineage)
    linked = set().union(*(nodes for _, nodes in families)) if families else set()
    names = [lineage.nodes[root]["label"] for root, _ in families]
    colours = palette(names)
    lanes = [(name, sorted(nodes)) for name, (_, nodes) in zip(names, families, strict=True)]
    lanes.append(("not linked", sorted(set(lineage) - linked)))
    pos, axis = time_layout(lineage, lanes)
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
        )
    kinds = _add_lineage_edges(net, lineage, set(lineage))
    counts = Counter(group_of.get(n, "not linked") for n in lineage)
    legend = [
        {"title": "Lineage families (by root)", "items": _legend_items(colours, counts)},
        {
            "title": "Not linked",
            "items": [
                {
                    "colour": OTHER,
                    "shape": "dot",
                    "label": f"no recorded link ({counts['not linked']})",
                }
            ],
        },
        _shape_legend([("dot", "understanding model"), ("diamond", "generation model")]),
        _link_legend(lineage, kinds),
    ]
    return GraphPage(
        path="graphs/lineage.html",
        title="Lineage of all models",
        intro=(
            f"{lineage.number_of_nodes()} models by release month (x) with their "
            f"{lineage.number_of_edges()} evolution links; each lineage family has its own lane. "
            "Hover for details, click a model to open its page."
        ),
        net=net,
        legend=legend,
        axis=axis,
        url_for=url_for,
        anchor="top-left",
    )


def family_lineage_page(
    lineage: nx.MultiDiGraph,
    root: str,
    nodes: set[str],
    slug: str,
    parts: dict[str, str],
    url_for: UrlFor,
) -> GraphPage:
    """One lineage family along time, models coloured by organisation."""
    sub = lineage.subgraph(nodes)
    name = lineage.nodes[root]["label"]
    pos, axis = time_layout(sub, [(name, sorted(nodes))])
    axis["lanes"] = []
    organisation = {
        n: (sub.nodes[n].get("organisations") or ["organisation not given"])[0] for n in nodes
    }
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
    kinds = _add_lineage_edges(net, sub, set(nodes))
    legend = [
        {"title": "First organisation", "items": _legend_items(colours, counts)},
        _shape_legend([("dot", "understanding model"), ("diamond", "generation model")]),
        _link_legend(sub, kinds),
    ]
    return GraphPage(
        path=f"graphs/family/{slug}.html",
        title=f"Lineage family of {name}",
        intro=f"{len(nodes)} models descending from {name}, by release month.",
        net=net,
        legend=legend,
        axis=axis,
        url_for=url_for,
        anchor="top-left",
    )


def _component_role(graph: nx.Graph, node: str) -> str:
    roles = Counter(r for _, _, d in graph.edges(node, data=True) for r in d.get("roles", []))
    return roles.most_common(1)[0][0] if roles else ""


def architecture_page(components: nx.Graph, parts: dict[str, str], url_for: UrlFor) -> GraphPage:
    """Models with a detailed architecture and the components they use, coloured by family."""
    pos = packed_layout(components, seed=7, spread=190)
    net = network(directed=False)
    families: Counter = Counter()
    for node, data in components.nodes(data=True):
        if data.get("kind") != "model":
            families[data.get("family") or "no family"] += components.degree(node)
    colours = palette([f for f, _ in families.most_common()])
    counts: Counter = Counter()
    models = 0
    for node in sorted(components):
        data = components.nodes[node]
        x, y = pos[node]
        if data.get("kind") == "model":
            models += 1
            net.add_node(
                node,
                label=data.get("label", node),
                title=model_tooltip(data, parts.get(node, "")),
                color=MODEL_COLOUR,
                shape=_model_shape(data),
                x=x,
                y=y,
            )
        else:
            role = _component_role(components, node)
            family = data.get("family") or "no family"
            counts[family] += 1
            users = components.degree(node)
            net.add_node(
                node,
                label=data.get("label", node),
                title="\n".join(
                    [data.get("label", node), f"family: {family}"]
                    + [f"role: {role}", f"used by {users} model(s)"]
                ),
                color=colours.get(family, OTHER),
                shape=SHAPES["component"],
                x=x,
                y=y,
            )
    for model, component, data in sorted(components.edges(data=True)):
        net.add_edge(
            model,
            component,
            title=", ".join(data.get("roles", []))
            + (f" ({', '.join(data['modalities'])})" if data.get("modalities") else ""),
            color="#b0b0b0",
            smooth=False,
        )
    legend = [
        {
            "title": "Components by family (most used first)",
            "items": _legend_items(colours, counts, "box"),
        },
        _shape_legend(
            [("dot", "understanding model"), ("diamond", "generation model"), ("box", "component")]
        ),
    ]
    return GraphPage(
        path="graphs/architecture.html",
        title="Architecture: models and their components",
        intro=(
            f"{models} models with a detailed architecture and the {len(components) - models} "
            "components they use; a component used by many models sits in the middle."
        ),
        net=net,
        legend=legend,
        url_for=url_for,
    )


def component_families_page(tree: nx.DiGraph, url_for: UrlFor) -> GraphPage:
    """Component families, their member components and the derivations between them."""
    family_of = {}
    for family, component, data in tree.edges(data=True):
        if data.get("kind") == "member":
            family_of[component] = family
    sizes = Counter(family_of.values())
    ranked = sorted(
        (n for n, d in tree.nodes(data=True) if d.get("kind") == "family"),
        key=lambda f: (-sizes[f], tree.nodes[f]["label"].casefold()),
    )
    colours = {f: PALETTE[i] if i < len(PALETTE) - 1 else OTHER for i, f in enumerate(ranked)}
    pos = packed_layout(tree.to_undirected(), seed=11, spread=110)
    net = network(directed=True)
    for node in sorted(tree):
        data = tree.nodes[node]
        x, y = pos[node]
        kind = data.get("kind", "component")
        family = node if kind == "family" else family_of.get(node)
        lines = [data.get("label", node), kind]
        if kind == "component" and family:
            lines.append(f"family: {tree.nodes[family]['label']}")
        if kind == "family":
            lines.append(f"{sizes[node]} component(s)")
        net.add_node(
            node,
            label=data.get("label", node),
            title="\n".join(lines),
            color=colours.get(family, OTHER),
            shape=SHAPES["family"] if kind == "family" else SHAPES["component"],
            x=x,
            y=y,
        )
    for earlier, later, data in sorted(tree.edges(data=True)):
        member = data.get("kind") == "member"
        net.add_edge(
            earlier,
            later,
            title=f"{tree.nodes[earlier]['label']} → {tree.nodes[later]['label']}\n"
            f"{data.get('kind')}",
            color="#c0c0c0" if member else "#333333",
            arrows="" if member else "to",
            width=1 if member else 2,
            smooth=False if member else {"enabled": True, "type": "curvedCW", "roundness": 0.15},
        )
    legend_colours = {tree.nodes[f]["label"]: colours[f] for f in ranked}
    counts = Counter({tree.nodes[f]["label"]: sizes[f] for f in ranked})
    legend = [
        {
            "title": "Families (components)",
            "items": _legend_items(legend_colours, counts, "ellipse"),
        },
        _shape_legend([("ellipse", "family"), ("box", "component")]),
        {
            "title": "Edges",
            "items": [
                {"colour": "#c0c0c0", "shape": "line", "label": "member of family"},
                {"colour": "#333333", "shape": "line", "label": "derived (earlier → later)"},
            ],
        },
    ]
    families = sum(1 for _, d in tree.nodes(data=True) if d.get("kind") == "family")
    return GraphPage(
        path="graphs/component-families.html",
        title="Component families",
        intro=(
            f"{families} families and {len(tree) - families} components, with the derivations "
            "the sources state (Vicuna from LLaMA, EVA-CLIP from CLIP, ...)."
        ),
        net=net,
        legend=legend,
        url_for=url_for,
        anchor="top-left",
    )
