"""The architecture and component-family overviews: organisations and families, counted."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable

import networkx as nx

from mmkg.render.graphpage import GraphPage, network
from mmkg.render.graphs import ROLE_COLOURS, SHAPES
from mmkg.render.layout import OTHER, PALETTE, packed_layout
from mmkg.render.overview.common import MODEL_BLUE, OVERVIEW_MAX_NODES, node_size, table_link

__all__ = [
    "ORGANISATIONS",
    "COMPONENT_GROUPS",
    "aggregated_architecture_page",
    "aggregated_component_families_page",
]

ORGANISATIONS = 30
COMPONENT_GROUPS = 60


def aggregated_architecture_page(
    components: nx.Graph,
    organisations: dict[str, list[str]],
    component_url: Callable[[str], str | None],
    role_of: dict[str, str],
    limit: int = OVERVIEW_MAX_NODES,
) -> GraphPage:
    """Organisations and the component families their models use, with counts.

    *organisations* gives each model's organisations; *role_of* each component's role.
    """
    models = [n for n, d in components.nodes(data=True) if d.get("kind") == "model"]
    orgs_of = {m: organisations.get(m) or ["organisation not given"] for m in models}
    org_counts = Counter(o for m in models for o in orgs_of[m])
    top_orgs = [o for o, _ in org_counts.most_common(ORGANISATIONS)]
    org_group = {o: o for o in top_orgs}

    def group_of(component: str) -> str:
        data = components.nodes[component]
        return data.get("family") or data.get("label", component)

    members: dict[str, set[str]] = defaultdict(set)
    users: dict[str, set[str]] = defaultdict(set)
    for node, data in components.nodes(data=True):
        if data.get("kind") == "component":
            members[group_of(node)].add(node)
            users[group_of(node)].update(components[node])
    ranked = sorted(members, key=lambda g: (-len(users[g]), g.casefold()))
    role_order = list(ROLE_COLOURS)
    group_role = {}
    for group in ranked:
        roles = Counter(role_of.get(c, "") for c in members[group])
        group_role[group] = roles.most_common(1)[0][0]
    kept = set(ranked[:COMPONENT_GROUPS])
    shown_group = {
        c: g if g in kept else f"other {group_role[g] or 'component'}s"
        for g in ranked
        for c in members[g]
    }
    weights: Counter = Counter()
    group_models: dict[str, set[str]] = defaultdict(set)
    for model in models:
        orgs = {org_group.get(o, "other organisations") for o in orgs_of[model]}
        groups = {shown_group[c] for c in components[model]}
        for group in groups:
            group_models[group].add(model)
        for org in orgs:
            for group in groups:
                weights[(org, group)] += 1
    net = network(directed=False)
    urls: dict[str, str] = {}
    org_nodes = top_orgs + (["other organisations"] if len(org_counts) > len(top_orgs) else [])
    others = sum(1 for m in models if not any(o in org_group for o in orgs_of[m]))
    for i, org in enumerate(org_nodes):
        count = org_counts[org] if org in org_group else others
        node = f"org/{org}"
        net.add_node(
            node,
            label=f"{org} ({count})",
            name=org,
            title=f"{org}\n{count} model(s) with a detailed architecture",
            color=MODEL_BLUE if org in org_group else OTHER,
            shape=SHAPES["family"],
            x=0,
            y=i * 46,
        )
        if org in org_group and org != "organisation not given":
            urls[node] = table_link(org=org)
    rows: Counter = Counter()
    for group in sorted(group_models, key=lambda g: (-len(group_models[g]), g.casefold())):
        kept_group = group in kept
        role = group_role.get(group, "") if kept_group else group[len("other ") : -1]
        column = role_order.index(role) + 1 if role in role_order else len(role_order) + 1
        count = len(group_models[group])
        node = f"group/{group}"
        lines = [group, f"role: {role or 'not given'}", f"used by {count} model(s)"]
        if kept_group and len(members[group]) > 1:
            lines.append(f"{len(members[group])} components of this family")
        net.add_node(
            node,
            label=f"{group} ({count})",
            name=group,
            title="\n".join(lines),
            color=ROLE_COLOURS.get(role, OTHER),
            shape=SHAPES["component"],
            x=column * 360,
            y=rows[column] * 46,
        )
        rows[column] += 1
        if kept_group and len(members[group]) == 1:
            url = component_url(next(iter(members[group])))
            if url:
                urls[node] = url
        elif kept_group:
            urls[node] = table_link(uses=group)
    for (org, group), weight in sorted(weights.items()):
        net.add_edge(
            f"org/{org}",
            f"group/{group}",
            title=f"{org} → {group}: {weight} model(s)",
            color="#b0b0b0",
            width=round(1 + math.log2(weight), 1),
            smooth=False,
        )
    legend = [
        {
            "title": "Components by role",
            "items": [{"colour": c, "shape": "box", "label": r} for r, c in ROLE_COLOURS.items()],
        },
        {
            "title": "Reading it",
            "items": [
                {
                    "colour": MODEL_BLUE,
                    "shape": "ellipse",
                    "label": "an organisation (its models)",
                },
                {
                    "colour": "#b0b0b0",
                    "shape": "line",
                    "label": "its models using the family (the wider, the more)",
                },
            ],
        },
    ]
    return GraphPage(
        path="graphs/architecture.html",
        title="Architecture: organisations and the components their models use",
        intro=(
            f"{len(models)} models with a detailed architecture and the "
            f"{len(components) - len(models)} components they use."
        ),
        note=(
            f"With more than {limit} models and components, this overview draws the "
            f"{len(top_orgs)} organisations with the most models (left; a model of several "
            "organisations counts in each) and the component families they use, in a column "
            f"per role ({COMPONENT_GROUPS} families or components at most, the rest as "
            "'other'), each with its number of models; each component has its own page."
        ),
        net=net,
        legend=legend,
        url_for=urls.get,
        anchor="top-left",
    )


def aggregated_component_families_page(
    tree: nx.DiGraph, url_for: Callable[[str], str | None], limit: int = OVERVIEW_MAX_NODES
) -> GraphPage:
    """Component families as nodes (their number of components), derivations counted."""
    family_of = {c: f for f, c, d in tree.edges(data=True) if d.get("kind") == "member"}
    families = [n for n, d in tree.nodes(data=True) if d.get("kind") == "family"]
    sizes = Counter(family_of.values())
    links: Counter = Counter()
    for earlier, later, data in tree.edges(data=True):
        if data.get("kind") == "member":
            continue
        a, b = family_of.get(earlier, earlier), family_of.get(later, later)
        if a != b:
            links[(a, b)] += 1
    groups = set(families) | {n for pair in links for n in pair}
    graph = nx.Graph()
    graph.add_nodes_from(groups)
    graph.add_edges_from(links)
    pos = packed_layout(graph, seed=11, spread=110)
    ranked = sorted(families, key=lambda f: (-sizes[f], tree.nodes[f]["label"].casefold()))
    colours = {f: PALETTE[i] if i < len(PALETTE) - 1 else OTHER for i, f in enumerate(ranked)}
    net = network(directed=True)
    urls = {}
    for node in sorted(groups):
        data = tree.nodes[node]
        x, y = pos[node]
        family = data.get("kind") == "family"
        net.add_node(
            node,
            label=f"{data.get('label', node)} ({sizes[node]})" if family else data.get("label"),
            name=data.get("label", node),
            title=f"{data.get('label', node)}\n"
            + (f"family of {sizes[node]} component(s)" if family else "component"),
            color=colours.get(node, OTHER),
            shape=SHAPES["family"] if family else SHAPES["component"],
            size=node_size(sizes[node]) if family else 11,
            x=x,
            y=y,
        )
        # a family without a page of its own opens the models using it
        url = url_for(node) or (table_link(uses=data.get("label", node)) if family else None)
        if url:
            urls[node] = url
    for (a, b), count in sorted(links.items()):
        net.add_edge(
            a,
            b,
            title=f"{count} derivation(s)",
            color="#333333",
            arrows="to",
            width=round(1 + math.log2(count), 1),
        )
    return GraphPage(
        path="graphs/component-families.html",
        title="Component families",
        intro=f"{len(families)} families and {len(tree) - len(families)} components.",
        note=(
            f"With more than {limit} families and components, this overview draws each "
            "family as one node holding its number of components, and counts the "
            "derivations between families; a click on a family opens its page."
        ),
        net=net,
        legend=[
            {
                "title": "Families (components)",
                "items": [
                    {
                        "colour": colours[f],
                        "shape": "ellipse",
                        "label": f"{tree.nodes[f]['label']} ({sizes[f]})",
                    }
                    for f in ranked[: len(PALETTE) - 1]
                ],
            }
        ],
        url_for=urls.get,
        anchor="top-left",
    )
