"""The graph pages of components: the architecture (models and the components they use, in
columns by role) and the component families with the derivations between them (the families
of one component and no derivation hidden until asked, the rest a grid of family clusters
that opens readable and whole at 1366x900).

Like :mod:`mmkg.render.graphs` (whose model tooltips, shapes and legends they share), each
builder takes a NetworkX projection of :mod:`mmkg.graphview`, lays it out with
:mod:`mmkg.render.layout` and returns a :class:`~mmkg.render.graphpage.GraphPage`.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx

from mmkg.render.graphpage import MIN_LABEL_PX, OPTIONS, GraphPage, UrlFor, network
from mmkg.render.graphs import SHAPES, legend_items, model_tooltip, shape_legend
from mmkg.render.graphstyle import MODEL_COLOUR, ROLE_COLOURS
from mmkg.render.layout import OTHER, PALETTE, cluster_grid_layout, column_layout

__all__ = [
    "ARCHITECTURE_COLUMNS",
    "architecture_page",
    "component_families_page",
    "lone_families",
]


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


WRAP = 9.0  # on the component-families graph a component's label wraps at this many em
# what graph.js fits the nodes into in a 1366x900 window (pixels; the canvas less margins)
DESKTOP_VIEW = (920.0, 520.0)


def _readable_layout(
    clusters: list[tuple[str, list[str]]],
    hidden: list[tuple[str, list[str]]],
    labels: dict[str, str],
) -> tuple[dict[str, tuple[float, float]], float]:
    """The cluster grid laid out for the label size the first view will draw at.

    graph.js fits the shown nodes in view and enlarges labels to MIN_LABEL_PX at that zoom;
    so the layout leaves room for labels of the size it then takes: the smallest size
    whose layout, fitted in DESKTOP_VIEW, needs no larger labels. Returns it and the size.
    """
    shown = {n for head, members in clusters for n in [head, *members]}
    font = float(OPTIONS["nodes"]["font"]["size"])
    while True:
        pos = cluster_grid_layout(
            clusters, labels, font, WRAP * font, DESKTOP_VIEW[0] / DESKTOP_VIEW[1], hidden
        )
        xs = [pos[n][0] for n in shown] or [0.0]
        ys = [pos[n][1] for n in shown] or [0.0]
        scale = min(
            DESKTOP_VIEW[0] / max(max(xs) - min(xs), 1.0),
            DESKTOP_VIEW[1] / max(max(ys) - min(ys), 1.0),
            1.6,
        )
        if MIN_LABEL_PX / scale <= font or font >= 3 * OPTIONS["nodes"]["font"]["size"]:
            return pos, font
        font += 0.5


def lone_families(tree: nx.DiGraph) -> set[str]:
    """Families with a single component and no derivation link to or from either of them."""
    members: dict[str, list[str]] = {}
    for family, component, data in tree.edges(data=True):
        if data.get("kind") == "member":
            members.setdefault(family, []).append(component)

    def linked(node: str) -> bool:
        edges = [*tree.in_edges(node, data=True), *tree.out_edges(node, data=True)]
        return any(data.get("kind") != "member" for *_, data in edges)

    return {
        family
        for family, parts in members.items()
        if len(parts) == 1 and not linked(family) and not linked(parts[0])
    }


def _family_clusters(
    tree: nx.DiGraph, family_of: dict[str, str], shown: list[str], sizes: Counter
) -> list[tuple[str, list[str]]]:
    """A cluster per family (or family-less node) of *shown*: the family and its components,
    families joined by derivations next to each other, the largest groups first."""
    label = {n: str(tree.nodes[n].get("label", n)) for n in tree}
    heads = [n for n in shown if n not in family_of]
    joined = nx.Graph()
    joined.add_nodes_from(heads)
    for a, b, data in tree.edges(data=True):
        if data.get("kind") != "member" and a in shown and b in shown:
            joined.add_edge(family_of.get(a, a), family_of.get(b, b))
    members: dict[str, list[str]] = {h: [] for h in heads}
    for node in shown:
        if node in family_of:
            members[family_of[node]].append(node)

    def order(head: str) -> tuple:
        return (-sizes[head], label[head].casefold(), head)

    groups = sorted(
        (sorted(g, key=order) for g in nx.connected_components(joined)),
        key=lambda g: (-len(g), order(g[0])),
    )
    return [
        (head, sorted(members[head], key=lambda m: (label[m].casefold(), m)))
        for group in groups
        for head in group
    ]


def component_families_page(tree: nx.DiGraph, url_for: UrlFor) -> GraphPage:
    """Component families, their member components and the derivations between them; the
    families with one component and no derivation hidden until asked."""
    family_of = {}
    for family, component, data in tree.edges(data=True):
        if data.get("kind") == "member":
            family_of[component] = family
    sizes = Counter(family_of.values())
    lone = lone_families(tree)
    hidden = lone | {c for c, f in family_of.items() if f in lone}
    ranked = sorted(
        (n for n, d in tree.nodes(data=True) if d.get("kind") == "family" and n not in lone),
        key=lambda f: (-sizes[f], tree.nodes[f]["label"].casefold()),
    )
    colours = {f: PALETTE[i] if i < len(PALETTE) - 1 else OTHER for i, f in enumerate(ranked)}
    labels = {n: str(tree.nodes[n].get("label", n)) for n in tree}
    shown = sorted(set(tree) - hidden)
    pos, font = _readable_layout(
        _family_clusters(tree, family_of, shown, sizes),
        _family_clusters(tree, family_of, sorted(hidden), sizes),
        labels,
    )
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
            widthConstraint={"maximum": WRAP * font} if kind != "family" else False,
            x=x,
            y=y,
            hidden=node in hidden,
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
            hidden=earlier in hidden or later in hidden,
        )
    legend_colours = {tree.nodes[f]["label"]: colours[f] for f in ranked}
    counts = Counter({tree.nodes[f]["label"]: sizes[f] for f in ranked})
    legend = [
        {
            "title": "Families (components)",
            "items": legend_items(legend_colours, counts, "ellipse"),
        },
    ]
    if lone:
        legend.append(
            {
                "title": "Hidden until shown",
                "items": [
                    {
                        "colour": OTHER,
                        "shape": "ellipse",
                        "label": f"single-component families without a derivation link "
                        f"({len(lone)})",
                    }
                ],
            }
        )
    legend += [
        shape_legend([("ellipse", "family"), ("box", "component")]),
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
            + (
                f" The {len(lone)} families with a single component and no derivation are "
                "hidden until you show them."
                if lone
                else ""
            )
        ),
        net=net,
        legend=legend,
        url_for=url_for,
        hidden_label=f"show the {len(lone)} single-component families without a derivation link",
    )
