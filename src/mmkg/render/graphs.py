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
from urllib.parse import quote

import networkx as nx

from mmkg.render.graphpage import GraphPage, UrlFor, network
from mmkg.render.graphstyle import (
    CENTRE_COLOUR,
    MODEL_COLOUR,
    ROLE_COLOURS,
    link_style,
)
from mmkg.render.layout import (
    OTHER,
    PALETTE,
    column_layout,
    lineage_families,
    packed_layout,
    palette,
    time_layout,
)

__all__ = [
    "ROLE_COLOURS",
    "MODEL_COLOUR",
    "CENTRE_COLOUR",
    "SHAPES",
    "model_tooltip",
    "add_lineage_edges",
    "link_legend",
    "lineage_page",
    "family_lineage_page",
    "architecture_page",
    "component_families_page",
]

SHAPES = {"model": "dot", "generation": "diamond", "component": "box", "family": "ellipse"}
NOT_LINKED = "not linked"


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


def _shape_legend(shapes: list[tuple[str, str]]) -> dict:
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
        {"title": "Lineage families (lanes, by root)", "items": _legend_items(colours, counts)},
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
        _shape_legend([("dot", "understanding model"), ("diamond", "generation model")]),
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
        {"title": "Organisations (all those named)", "items": _legend_items(colours, counts)},
        _shape_legend([("dot", "understanding model"), ("diamond", "generation model")]),
        *link_legend(sub, kinds),
    ]
    return GraphPage(
        path=f"graphs/family/{slug}.html",
        title=f"Lineage family of {name}",
        intro=f"{len(nodes)} models descending from {name}, by release month.",
        net=net,
        legend=legend,
        axis=axis,
        url_for=url_for,
    )


def _component_role(graph: nx.Graph, node: str) -> str:
    roles = Counter(r for _, _, d in graph.edges(node, data=True) for r in d.get("roles", []))
    return roles.most_common(1)[0][0] if roles else ""


ARCHITECTURE_COLUMNS = (
    "Modality encoder",
    "Input projector",
    "models",
    "LLM backbone",
    "Output projector",
    "Modality generator",
)
BOX_WIDTH = 140  # a longer label wraps
COLUMN_NAMES = {
    "Modality encoder": "encoders",
    "Input projector": "input projectors",
    "models": "models",
    "LLM backbone": "LLM backbones",
    "Output projector": "output projectors",
    "Modality generator": "generators",
    "": "role not given",
}


def architecture_page(components: nx.Graph, parts: dict[str, str], url_for: UrlFor) -> GraphPage:
    """Models and the components they use in columns by role, components coloured by role."""
    role = {
        n: _component_role(components, n)
        for n, d in components.nodes(data=True)
        if d.get("kind") != "model"
    }
    names = list(ARCHITECTURE_COLUMNS) + sorted(
        {r for r in role.values() if r not in ARCHITECTURE_COLUMNS}
    )
    members: dict[str, list[str]] = {name: [] for name in names}
    for node in sorted(components):
        members["models" if node not in role else role[node]].append(node)
    columns = [(name, nodes) for name, nodes in members.items() if nodes]
    labels = {n: str(components.nodes[n].get("label", n)) for n in components}
    pos, centres = column_layout(
        components, [nodes for _, nodes in columns], labels, max_width=BOX_WIDTH
    )
    net = network(directed=False)
    counts: Counter = Counter()
    models = 0
    for node in sorted(components):
        data = components.nodes[node]
        x, y = pos[node]
        if node not in role:  # label inside, so that rows of models stay close together
            models += 1
            net.add_node(
                node,
                label=labels[node],
                title=model_tooltip(data, parts.get(node, "")),
                color=MODEL_COLOUR,
                shape=SHAPES["family"],
                widthConstraint={"maximum": BOX_WIDTH},
                x=x,
                y=y,
            )
            continue
        counts[role[node]] += 1
        net.add_node(
            node,
            label=labels[node],
            title="\n".join(
                [labels[node], f"family: {data.get('family') or 'none'}"]
                + [
                    f"role: {role[node] or 'not given'}",
                    f"used by {components.degree(node)} model(s)",
                ]
            ),
            color=ROLE_COLOURS.get(role[node], OTHER),
            shape=SHAPES["component"],
            widthConstraint={"maximum": BOX_WIDTH},
            x=x,
            y=y,
        )
    for model, component, data in sorted(components.edges(data=True)):
        if model in role:
            model, component = component, model
        net.add_edge(
            model,
            component,
            title=f"{labels[model]} uses {labels[component]}: "
            + ", ".join(data.get("roles", []))
            + (f" ({', '.join(data['modalities'])})" if data.get("modalities") else ""),
            what="uses " + (", ".join(data.get("roles", [])) or "component"),
            color={"color": "#9a9a9a", "highlight": "#000000", "hover": "#000000"},
            width=0.8,
            smooth=False,
        )
    axis = {
        "ticks": [
            {"x": x, "text": COLUMN_NAMES.get(name, name), "major": True}
            for (name, _), x in zip(columns, centres, strict=True)
        ],
        "lanes": [],
        "gap": None,
    }
    legend = [
        {
            "title": "Components by role",
            "items": [
                {"colour": colour, "shape": "box", "label": f"{r} ({counts[r]})"}
                for r, colour in ROLE_COLOURS.items()
                if counts[r]
            ]
            + (
                [{"colour": OTHER, "shape": "box", "label": f"role not given ({counts['']})"}]
                if counts[""]
                else []
            ),
        },
        {
            "title": "Shapes",
            "items": [
                {"colour": MODEL_COLOUR, "shape": "ellipse", "label": "model"},
                {"colour": "#ffffff", "shape": "box", "label": "component"},
            ],
        },
    ]
    return GraphPage(
        path="graphs/architecture.html",
        title="Architecture: models and their components",
        intro=(
            f"{models} models with a detailed architecture (middle column) and the "
            f"{len(components) - models} components they use, in columns by role: encoders and "
            "input projectors on the left, LLM backbones, output projectors and generators on "
            "the right."
        ),
        net=net,
        legend=legend,
        axis=axis,
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

    def page_of(node: str) -> str | None:
        if tree.nodes[node].get("kind") == "family":  # no page of its own: its models
            return "index.html#uses=" + quote(str(tree.nodes[node].get("label", node)), safe="")
        return url_for(node)

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
        url_for=page_of,
        anchor="top-left",
    )
