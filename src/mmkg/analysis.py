"""NetworkX metrics and trends on the graph's projections: reuse, hubs, lineage, communities.

Every analysis takes a pyoxigraph store holding the built graph and returns a result whose
``sections()`` are named tables (``table()`` joins them into one, with a ``section`` column).
``ANALYSES`` maps each analysis's name to its function and a one-line summary.

>>> sorted(ANALYSES)[:3]
['communities', 'comparisons', 'component-reuse']
>>> half_year(2023, 7)
'2023-H2'
"""

from __future__ import annotations

import difflib
import json
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pyoxigraph as ox

from mmkg.errors import MmkgError
from mmkg.graphview import (
    component_cousage_graph,
    family_tree,
    lineage_graph,
    model_component_graph,
    model_facts,
)
from mmkg.namespaces import DATA
from mmkg.queries import Table, run_sparql
from mmkg.tables import render

__all__ = [
    "ANALYSES",
    "AnalysisError",
    "AnalysisResult",
    "Chain",
    "Communities",
    "Community",
    "Comparisons",
    "ComponentReuse",
    "Hubs",
    "Lineage",
    "Pair",
    "ReuseRow",
    "TrendCheck",
    "Trends",
    "communities",
    "comparisons",
    "component_reuse",
    "find_analysis",
    "half_year",
    "hubs",
    "lineage",
    "pagerank",
    "render_result",
    "run_analysis",
    "trends",
]

PREFIXES = """PREFIX mmkg: <https://w3id.org/mmkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
VISION = "Modality encoder (vision)"  # encoders used for images or video
GENERATION = "Multimodal generation"  # the functional division of generation models
TOOL_USING = "Tool-using"
QFORMER = f"{DATA}family/q-former"
LINEAR_MLP = (f"{DATA}family/linear-projection", f"{DATA}family/mlp")
MIN_MODELS = 5  # half-years with fewer dated models are shown but not used to judge a trend


class AnalysisError(MmkgError):
    """An analysis that cannot run: unknown name, or a graph that breaks its assumptions."""


def _rows(store: ox.Store, text: str) -> list[list]:
    return run_sparql(store, PREFIXES + text).rows


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def half_year(year: int, month: int) -> str:
    """The half-year of a release month: H1 is January to June.

    >>> half_year(2024, 6), half_year(2024, 12)
    ('2024-H1', '2024-H2')
    """
    return f"{year}-H{1 if month <= 6 else 2}"


def _rank(items: list[tuple[Any, float]]) -> list[tuple[int, Any, float]]:
    """Competition ranks (1, 2, 2, 4) of (item, value) pairs already sorted by value, high first."""
    ranked: list[tuple[int, Any, float]] = []
    for i, (item, value) in enumerate(items):
        rank = ranked[-1][0] if ranked and ranked[-1][2] == value else i + 1
        ranked.append((rank, item, value))
    return ranked


@dataclass
class AnalysisResult:
    """A result made of named tables."""

    def sections(self) -> dict[str, Table]:
        """The result's tables, by section name."""
        raise NotImplementedError

    def table(self) -> Table:
        """All sections in one table, with a leading ``section`` column."""
        sections = self.sections()
        columns: list[str] = []
        for part in sections.values():
            columns += [c for c in part.columns if c not in columns]
        rows = []
        for name, part in sections.items():
            for row in part.rows:
                cells = dict(zip(part.columns, row, strict=True))
                rows.append([name, *(cells.get(c) for c in columns)])
        return Table(["section", *columns], rows)


# ---- 1. component reuse ------------------------------------------------------------------


@dataclass
class ReuseRow:
    """How many models use one component (or family) in one role."""

    role: str
    level: str  # "component" or "family"
    name: str
    iri: str
    models: list[str]  # model labels, sorted
    with_derived: int | None = None  # families: models using this family or one derived from it


@dataclass
class ComponentReuse(AnalysisResult):
    """Components and families ranked by the number of models using them, per role."""

    rows: list[ReuseRow]
    role_models: dict[str, int]  # role -> number of models with a component in that role
    top: int = 10

    def ranking(self, role: str, level: str = "family") -> list[ReuseRow]:
        """The rows of one role and level, most used first."""
        return [r for r in self.rows if r.role == role and r.level == level]

    def sections(self) -> dict[str, Table]:
        """One table per level, top N per role."""
        out: dict[str, Table] = {}
        for level in ("family", "component"):
            rows = []
            for role in self.role_models:
                ranked = _rank([(r, len(r.models)) for r in self.ranking(role, level)])
                for rank, row, count in ranked[: self.top]:
                    rows.append(
                        [
                            role,
                            rank,
                            row.name,
                            count,
                            _round(count / self.role_models[role], 3),
                            *([row.with_derived] if level == "family" else []),
                            ", ".join(row.models[:6]) + (", ..." if len(row.models) > 6 else ""),
                        ]
                    )
            columns = ["role", "rank", level, "models", "share"]
            columns += ["with_derived_families"] if level == "family" else []
            out[f"per {level}"] = Table([*columns, "examples"], rows)
        return out


def component_reuse(store: ox.Store, top: int = 10) -> ComponentReuse:
    """Per role, components and component families ranked by the number of models using them.

    A family gathers its sized variants (Vicuna-7B, Vicuna-v1.5-13B ... are family Vicuna);
    ``with_derived`` also counts families derived from it (Vicuna and LLaMA-2 under LLaMA).
    The extra role "Modality encoder (vision)" keeps encoders used for images or video.
    """
    bipartite = model_component_graph(store)
    tree = family_tree(store)
    family_of = {c: f for f, c, d in tree.edges(data=True) if d["kind"] == "member"}
    family_links = nx.DiGraph()
    for earlier, later, data in tree.edges(data=True):
        if data["kind"] != "member" and tree.nodes[earlier].get("kind") == "family":
            if tree.nodes[later].get("kind") == "family":
                family_links.add_edge(earlier, later)
    uses: dict[tuple[str, str, str], set[str]] = defaultdict(set)  # (role, level, iri) -> models
    names: dict[str, str] = {}
    role_models: dict[str, set[str]] = defaultdict(set)
    for a, b, data in bipartite.edges(data=True):
        model, component = (a, b) if bipartite.nodes[a].get("kind") == "model" else (b, a)
        label = bipartite.nodes[model]["label"]
        family = family_of.get(component, component)
        names[component] = bipartite.nodes[component]["label"]
        names[family] = tree.nodes[family]["label"] if family in tree else names[component]
        roles = list(data["roles"])
        if "Modality encoder" in roles and {"Image", "Video"} & set(data["modalities"]):
            roles.append(VISION)
        for role in roles:
            role_models[role].add(label)
            uses[(role, "component", component)].add(label)
            uses[(role, "family", family)].add(label)
    rows = []
    for (role, level, iri), models in uses.items():
        row = ReuseRow(role, level, names[iri], iri, sorted(models))
        if level == "family":
            related = {iri} | (nx.descendants(family_links, iri) if iri in family_links else set())
            row.with_derived = len(
                set().union(*(uses.get((role, "family", f), set()) for f in related))
            )
        rows.append(row)
    rows.sort(key=lambda r: (r.role, r.level, -len(r.models), r.name.lower()))
    order = ["LLM backbone", "Modality encoder", VISION, "Input projector"]
    order += ["Output projector", "Modality generator"]
    roles = [r for r in order if r in role_models] + sorted(set(role_models) - set(order))
    return ComponentReuse(rows, {r: len(role_models[r]) for r in roles}, top)


# ---- 2. hubs -------------------------------------------------------------------------------


def pagerank(graph: nx.Graph, weight: str | None = "weight") -> dict[Any, float]:
    """PageRank (networkx) with the usual damping of 0.85; empty for an empty graph.

    >>> ranks = pagerank(nx.DiGraph([(1, 2), (3, 2)]))
    >>> round(sum(ranks.values()), 6), max(ranks, key=ranks.get)
    (1.0, 2)
    """
    if graph.number_of_nodes() == 0:
        return {}
    return nx.pagerank(graph, alpha=0.85, weight=weight)


@dataclass
class Hubs(AnalysisResult):
    """Degree, betweenness and PageRank per node, in the lineage and co-usage graphs."""

    scores: dict[str, dict[str, dict[str, float]]]  # graph -> measure -> node -> value
    labels: dict[str, str]
    notes: dict[str, str]
    top: int = 10

    @property
    def pagerank(self) -> dict[str, dict[str, float]]:
        """PageRank per graph (each sums to 1)."""
        return {g: m["pagerank"] for g, m in self.scores.items()}

    def ranking(self, graph: str, measure: str) -> list[tuple[str, float]]:
        """(label, value) pairs of one measure, highest first."""
        values = self.scores[graph][measure]
        pairs = sorted(values.items(), key=lambda kv: (-kv[1], self.labels[kv[0]].lower()))
        return [(self.labels[n], v) for n, v in pairs]

    def sections(self) -> dict[str, Table]:
        """One table per graph: top N per measure."""
        out = {}
        for graph, measures in self.scores.items():
            rows = []
            for measure in measures:
                for rank, name, value in _rank(self.ranking(graph, measure))[: self.top]:
                    rows.append([measure, rank, name, _round(value)])
            out[graph] = Table(["measure", "rank", "name", "value"], rows)
        out["notes"] = Table(["graph", "how"], [[g, n] for g, n in self.notes.items()])
        return out


def hubs(store: ox.Store, top: int = 10) -> Hubs:
    """Top N nodes by degree, betweenness and PageRank, in the lineage and co-usage graphs."""
    lineage = lineage_graph(store)
    simple = nx.DiGraph()
    simple.add_edges_from((u, v) for u, v in lineage.edges())
    undirected = simple.to_undirected()
    labels = {n: d["label"] for n, d in lineage.nodes(data=True)}
    scores: dict[str, dict[str, dict[str, float]]] = {
        "lineage": {
            "degree": dict(undirected.degree()),
            "descendants (direct)": dict(simple.out_degree()),
            "betweenness": nx.betweenness_centrality(undirected),
            "pagerank": pagerank(simple.reverse(copy=True), weight=None),
        }
    }
    cousage = component_cousage_graph(store)
    labels.update({n: d["label"] for n, d in cousage.nodes(data=True)})
    scores["co-usage"] = {
        "degree": dict(cousage.degree()),
        "strength": dict(cousage.degree(weight="weight")),
        "models": {n: d["models"] for n, d in cousage.nodes(data=True)},
        "betweenness": nx.betweenness_centrality(cousage),
        "pagerank": pagerank(cousage),
    }
    notes = {
        "lineage": (
            f"{simple.number_of_nodes()} linked models, {simple.number_of_edges()} links "
            "(parallel links of different kinds merged); degree and betweenness (normalised) "
            "on the undirected view; PageRank with links reversed (later -> earlier), so "
            "rank flows to the models others build on"
        ),
        "co-usage": (
            f"{cousage.number_of_nodes()} components, {cousage.number_of_edges()} pairs used "
            "by one model; strength and PageRank weighted by the number of models using both; "
            "betweenness unweighted (normalised)"
        ),
    }
    return Hubs(scores, labels, notes, top)


# ---- 3. lineage ----------------------------------------------------------------------------


@dataclass
class Chain:
    """A path of evolution links, earliest model first."""

    nodes: list[str]
    labels: list[str]
    kinds: list[str]  # kinds[i]: the link kind(s) between nodes[i] and nodes[i + 1]

    @property
    def length(self) -> int:
        """Number of links."""
        return len(self.nodes) - 1

    def text(self) -> str:
        """The chain as ``A -[kind]-> B ...``."""
        parts = [self.labels[0]]
        for kind, label in zip(self.kinds, self.labels[1:], strict=True):
            parts.append(f"-[{kind}]-> {label}")
        return " ".join(parts)


@dataclass
class Lineage(AnalysisResult):
    """Roots, depths, longest chains and most prolific ancestors of the lineage DAG."""

    roots: list[str]
    depth: dict[str, int]
    chains: list[Chain]
    descendants: dict[str, int]
    children: dict[str, int]
    labels: dict[str, str]
    against_time: list[list[str]]  # links whose later model was released before the earlier one
    top: int = 10

    def sections(self) -> dict[str, Table]:
        """Roots, depths, chains and ancestors as tables."""
        by_label = lambda n: self.labels[n].lower()  # noqa: E731
        roots = sorted(self.roots, key=lambda n: (-self.descendants[n], by_label(n)))
        prolific = sorted(
            (n for n in self.descendants if self.descendants[n]),
            key=lambda n: (-self.descendants[n], by_label(n)),
        )
        ranked = _rank([(n, self.descendants[n]) for n in prolific])
        depth = sorted(self.depth, key=lambda n: (-self.depth[n], by_label(n)))
        return {
            "roots": Table(
                ["root", "descendants", "direct"],
                [[self.labels[n], self.descendants[n], self.children[n]] for n in roots],
            ),
            "longest chains": Table(
                ["length", "chain"], [[c.length, c.text()] for c in self.chains[: self.top]]
            ),
            "prolific ancestors": Table(
                ["rank", "model", "descendants", "direct"],
                [[r, self.labels[n], v, self.children[n]] for r, n, v in ranked[: self.top]],
            ),
            "depth": Table(["model", "depth"], [[self.labels[n], self.depth[n]] for n in depth]),
            "links against time": Table(
                ["earlier", "earlier_date", "later", "later_date", "kinds"], self.against_time
            ),
        }


def lineage(store: ox.Store, top: int = 10) -> Lineage:
    """Roots, depth of every linked model, the longest chains and the most prolific ancestors.

    Raises:
        AnalysisError: if the evolution links form a cycle.
    """
    graph = lineage_graph(store)
    labels = {n: d["label"] for n, d in graph.nodes(data=True)}
    if not nx.is_directed_acyclic_graph(graph):
        cycle = nx.find_cycle(graph)
        path = " -> ".join([labels[cycle[0][0]], *(labels[e[1]] for e in cycle)])
        raise AnalysisError(
            f"the evolution links between models form a cycle: {path}; "
            "fix the links in the model files of data/models/"
        )
    linked = graph.subgraph(n for n in graph if graph.degree(n)).copy()
    kinds = {
        (u, v): "+".join(sorted(k for k in graph[u][v]))
        for u, v in {(u, v) for u, v in linked.edges()}
    }
    depth: dict[str, int] = {}
    best_parent: dict[str, str | None] = {}
    order = nx.lexicographical_topological_sort(linked, key=lambda n: labels[n].lower())
    for node in order:
        parents = sorted(set(linked.predecessors(node)), key=lambda n: labels[n].lower())
        if parents:
            parent = max(parents, key=lambda p: depth[p])  # first of the deepest, by label
            depth[node], best_parent[node] = depth[parent] + 1, parent
        else:
            depth[node], best_parent[node] = 0, None
    chains = []
    for leaf in linked:
        if linked.out_degree(leaf) or not linked.in_degree(leaf):
            continue
        nodes = [leaf]
        while best_parent[nodes[-1]] is not None:
            nodes.append(best_parent[nodes[-1]])  # type: ignore[arg-type]
        nodes.reverse()
        chains.append(
            Chain(
                nodes,
                [labels[n] for n in nodes],
                [kinds[(a, b)] for a, b in zip(nodes, nodes[1:], strict=False)],
            )
        )
    chains.sort(key=lambda c: (-c.length, c.text().lower()))
    descendants = {n: len(nx.descendants(linked, n)) for n in linked}
    children = {n: len(set(linked.successors(n))) for n in linked}
    roots = [n for n in linked if not linked.in_degree(n)]
    dates = {n: d.get("date") for n, d in graph.nodes(data=True)}
    against_time = sorted(
        [labels[u], dates[u], labels[v], dates[v], k]
        for (u, v), k in kinds.items()
        if dates[u] and dates[v] and dates[v] < dates[u]
    )
    return Lineage(roots, depth, chains, descendants, children, labels, against_time, top)


# ---- 4. communities ------------------------------------------------------------------------


@dataclass
class Community:
    """Models that share components, and the components most shared among them."""

    members: list[str]  # model labels, sorted
    shared: list[tuple[str, int]]  # (component label, members using it), most used first


@dataclass
class Communities(AnalysisResult):
    """Communities of models in the model-model graph weighted by shared components."""

    communities: list[Community]
    modularity: float
    models: int
    top: int = 5

    def sections(self) -> dict[str, Table]:
        """One row per community."""
        rows = [
            [
                i,
                len(c.members),
                ", ".join(c.members),
                ", ".join(f"{name} ({n})" for name, n in c.shared[: self.top]),
            ]
            for i, c in enumerate(self.communities, 1)
        ]
        summary = [[self.models, len(self.communities), _round(self.modularity, 3)]]
        return {
            "communities": Table(["community", "size", "members", "most shared"], rows),
            "summary": Table(["models", "communities", "modularity"], summary),
        }


def communities(store: ox.Store, top: int = 5) -> Communities:
    """Communities of models sharing components (greedy modularity, deterministic).

    The bipartite model-component graph is projected onto models, each pair weighted by
    the number of components both use; every model with an architecture lands in exactly one
    community (a model sharing nothing is a community of its own).
    """
    bipartite = model_component_graph(store)
    models = [n for n, d in bipartite.nodes(data=True) if d.get("kind") == "model"]
    projected = nx.bipartite.weighted_projected_graph(bipartite, models)
    if projected.number_of_edges():
        found = nx.community.greedy_modularity_communities(projected, weight="weight")
        modularity = nx.community.modularity(projected, found, weight="weight")
    else:
        found, modularity = [{m} for m in models], 0.0
    label = lambda n: bipartite.nodes[n]["label"]  # noqa: E731
    result = []
    for group in found:
        counts = Counter(c for m in group for c in bipartite.neighbors(m))
        shared = sorted(
            ((label(c), n) for c, n in counts.items() if n > 1 or len(group) == 1),
            key=lambda x: (-x[1], x[0].lower()),
        )
        result.append(Community(sorted((label(m) for m in group), key=str.lower), shared))
    result.sort(key=lambda c: (-len(c.members), c.members[0].lower()))
    return Communities(result, modularity, len(models), top)


# ---- 5. trends -----------------------------------------------------------------------------


@dataclass
class TrendCheck:
    """One of the survey's named trends, checked against the data."""

    number: int
    trend: str
    holds: str  # "yes", "no", "partly" or "undecided"
    evidence: str
    details: dict[str, Any] = field(default_factory=dict)  # the numbers behind the verdict


@dataclass
class Trends(AnalysisResult):
    """Counts per half-year and the survey's five named trends checked against the data."""

    halves: list[str]
    divisions: dict[str, dict[str, int]]  # half -> measure -> models
    modalities: dict[str, Counter]  # half -> "in: Video" / "out: Image" -> models
    projectors: dict[str, Counter]  # half -> projector family label -> models
    checks: list[TrendCheck]
    undated: list[str]

    def projector_share(self, half: str, families: Iterable[str]) -> float:
        """Share of the half-year's models with an input projector in *families* (labels)."""
        total = self.divisions[half]["with input projector"]
        return sum(self.projectors[half][f] for f in families) / total if total else 0.0

    def sections(self) -> dict[str, Table]:
        """Divisions, modalities and projectors per half-year, and the trend checks."""
        measures = list(next(iter(self.divisions.values()), {}))
        divisions = Table(
            ["half_year", *measures], [[h, *self.divisions[h].values()] for h in self.halves]
        )
        keys = sorted({k for c in self.modalities.values() for k in c})
        modalities = Table(
            ["half_year", *keys], [[h, *(self.modalities[h][k] for k in keys)] for h in self.halves]
        )
        families = sorted(
            {k for c in self.projectors.values() for k in c},
            key=lambda f: (-sum(c[f] for c in self.projectors.values()), f),
        )
        projectors = Table(
            ["half_year", "with input projector", *families],
            [
                [
                    h,
                    self.divisions[h]["with input projector"],
                    *(self.projectors[h][f] for f in families),
                ]
                for h in self.halves
            ],
        )
        checks = Table(
            ["trend", "claim", "holds", "evidence"],
            [[c.number, c.trend, c.holds, c.evidence] for c in self.checks],
        )
        return {
            "survey trends": checks,
            "divisions": divisions,
            "modalities": modalities,
            "input projectors": projectors,
        }


def _non_text(modalities: list[str]) -> list[str]:
    return [m for m in modalities if m != "Text"]


def _any_to_any(model: dict) -> bool:
    """Two or more non-text modalities in and out (the ontology's AnyToAnyModel)."""
    return len(_non_text(model["inputs"])) >= 2 and len(_non_text(model["outputs"])) >= 2


def _share_series(
    trends_halves: list[str], counts: dict[str, dict[str, int]], measure: str
) -> list[tuple[str, float]]:
    return [
        (h, counts[h][measure] / counts[h]["models"])
        for h in trends_halves
        if counts[h]["models"] >= MIN_MODELS
    ]


def _series_text(series: list[tuple[str, float]]) -> str:
    return ", ".join(f"{h} {v:.0%}" for h, v in series)


def _slope(series: list[tuple[str, float]]) -> float:
    """Least-squares slope of a series against its position."""
    if len(series) < 2:
        return 0.0
    xs = list(range(len(series)))
    ys = [v for _, v in series]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def _edge(graph: nx.MultiDiGraph, by_label: dict[str, str], a: str, b: str) -> str | None:
    """The link kinds from model *a* to model *b* (labels), or None when there is no link."""
    u, v = by_label.get(a), by_label.get(b)
    if u is None or v is None or not graph.has_edge(u, v):
        return None
    return "+".join(sorted(graph[u][v]))


def _path_evidence(graph: nx.MultiDiGraph, by_label: dict[str, str], path: list[str]) -> tuple:
    """(every link exists, text naming each link with the models' release dates)."""

    def date(label: str) -> str | None:
        return graph.nodes[by_label[label]].get("date") if label in by_label else None

    parts = []
    linked = True
    for a, b in zip(path, path[1:], strict=False):
        kind = _edge(graph, by_label, a, b)
        linked = linked and bool(kind)
        text = f"{a} ({date(a) or 'undated'}) -> {b} ({date(b) or 'undated'}): "
        text += f"linked ({kind})" if kind else "NO LINK"
        if date(a) and date(b) and date(b) < date(a):
            text += ", the later model was released first"
        parts.append(text)
    return linked, "; ".join(parts)


def trends(store: ox.Store, top: int = 10) -> Trends:
    """Counts per half-year (projectors, modalities, divisions) and the survey's five trends."""
    del top  # every half-year is shown
    facts = model_facts(store)
    graph = lineage_graph(store)
    bipartite = model_component_graph(store)
    tree = family_tree(store)
    by_label = {d["label"]: n for n, d in facts.items()}
    half_of = {
        n: half_year(d["year"], d["month"]) for n, d in facts.items() if d["year"] and d["month"]
    }
    halves = sorted(set(half_of.values()))
    divisions: dict[str, dict[str, int]] = {
        h: dict.fromkeys(
            [
                "models",
                "understanding",
                "generation",
                "any-to-any",
                "end-to-end",
                "tool-using",
                "with input projector",
            ],
            0,
        )
        for h in halves
    }
    modalities: dict[str, Counter] = {h: Counter() for h in halves}
    for model, h in half_of.items():
        d = facts[model]
        row = divisions[h]
        row["models"] += 1
        row["generation" if d["functional"] == GENERATION else "understanding"] += 1
        row["tool-using" if d["design"] == TOOL_USING else "end-to-end"] += 1
        row["any-to-any"] += _any_to_any(d)
        modalities[h].update(f"in: {m}" for m in _non_text(d["inputs"]))
        modalities[h].update(f"out: {m}" for m in _non_text(d["outputs"]))
    # input projector families per half-year
    family_of = {c: f for f, c, d in tree.edges(data=True) if d["kind"] == "member"}
    qformer_like = {QFORMER} | {
        n
        for n in (nx.descendants(tree, QFORMER) if QFORMER in tree else set())
        if tree.nodes[n].get("kind") == "family"
    }
    label_of = {n: d["label"] for n, d in tree.nodes(data=True)}
    projectors: dict[str, Counter] = {h: Counter() for h in halves}
    projector_models: dict[str, set[str]] = defaultdict(set)  # family label -> models
    for a, b, data in bipartite.edges(data=True):
        model, component = (a, b) if bipartite.nodes[a].get("kind") == "model" else (b, a)
        if "Input projector" not in data["roles"]:
            continue
        family = family_of.get(component)
        projector_models[label_of.get(family, bipartite.nodes[component]["label"])].add(model)
    projector_halves: dict[str, set[str]] = defaultdict(set)
    for family, models in projector_models.items():
        for model in models:
            if model in half_of:
                projectors[half_of[model]][family] += 1
                projector_halves[half_of[model]].add(model)
    for h in halves:
        divisions[h]["with input projector"] = len(projector_halves[h])
    result = Trends(halves, divisions, modalities, projectors, [], [])
    result.undated = sorted(d["label"] for n, d in facts.items() if n not in half_of)
    result.checks = [
        _trend_1(result, graph, by_label, facts),
        _trend_2(store, graph, by_label),
        _trend_3(graph, by_label, facts),
        _trend_4(store, graph, by_label),
        _trend_5(
            result,
            {label_of.get(f, f) for f in qformer_like},
            {label_of.get(f, f) for f in LINEAR_MLP},
            projector_models,
            facts,
        ),
    ]
    return result


def _first(facts: dict[str, dict], models: Iterable[str]) -> tuple[str, str] | None:
    dated = sorted((facts[m]["date"], facts[m]["label"]) for m in models if facts[m]["date"])
    return dated[0] if dated else None


def _trend_1(
    result: Trends,
    graph: nx.MultiDiGraph,
    by_label: dict[str, str],
    facts: dict[str, dict],
) -> TrendCheck:
    linked, path_text = _path_evidence(graph, by_label, ["MiniGPT-4", "MiniGPT-5", "NExT-GPT"])
    generation = _share_series(result.halves, result.divisions, "generation")
    any_to_any = _share_series(result.halves, result.divisions, "any-to-any")
    stages = {
        "understanding": [m for m, d in facts.items() if d["functional"] != GENERATION],
        "specific-modality generation": [
            m for m, d in facts.items() if d["functional"] == GENERATION and not _any_to_any(d)
        ],
        "any-to-any": [m for m, d in facts.items() if _any_to_any(d)],
    }
    firsts = {s: _first(facts, ms) for s, ms in stages.items()}
    ordered = all(firsts.values()) and [firsts[s] for s in stages] == sorted(firsts.values())
    rises = _slope(generation) > 0 and _slope(any_to_any) > 0
    holds = "yes" if linked and rises and ordered else "partly" if linked or rises else "no"
    first_text = "; ".join(f"First {s}: {v[1]} ({v[0]})" for s, v in firsts.items() if v)
    return TrendCheck(
        1,
        "MM understanding -> specific-modality generation -> any-to-any "
        "(MiniGPT-4 -> MiniGPT-5 -> NExT-GPT)",
        holds,
        f"{path_text}. Generation share per half-year (>= {MIN_MODELS} models): "
        f"{_series_text(generation)}; any-to-any share: {_series_text(any_to_any)} "
        f"(rising: {'yes' if rises else 'no'}, by least-squares slope). {first_text}"
        + ("" if ordered else " (the first appearances are not in the trend's order)"),
    )


def _trend_2(store: ox.Store, graph: nx.MultiDiGraph, by_label: dict[str, str]) -> TrendCheck:
    linked, path_text = _path_evidence(graph, by_label, ["BLIP-2", "InstructBLIP", "DRESS"])
    dates: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for _dataset, label, kind, date in _rows(
        store,
        """SELECT ?d (MIN(?l) AS ?label) ?kind (MIN(?date) AS ?first) WHERE {
             ?d a mmkg:InstructionTuningDataset ; mmkg:tuningType ?kind ; rdfs:label ?l ;
                mmkg:releaseDate ?date } GROUP BY ?d ?kind""",
    ):
        dates[str(kind)].append((str(date)[:10], str(label)))
    sft, rlhf = sorted(dates.get("SFT", [])), sorted(dates.get("RLHF", []))
    if not sft or not rlhf:
        return TrendCheck(
            2,
            "MM PT -> SFT -> RLHF (BLIP-2 -> InstructBLIP -> DRESS)",
            "undecided",
            f"{path_text}. The graph lacks dated SFT or RLHF datasets.",
        )
    median = lambda xs: sorted(xs)[len(xs) // 2][0]  # noqa: E731
    later = rlhf[0][0] > sft[0][0] and median(rlhf) > median(sft)
    holds = "yes" if linked and later else "partly" if linked or later else "no"
    return TrendCheck(
        2,
        "MM PT -> SFT -> RLHF (BLIP-2 -> InstructBLIP -> DRESS)",
        holds,
        f"{path_text}. {len(sft)} dated SFT instruction-tuning datasets, first {sft[0][1]} "
        f"({sft[0][0]}), median {median(sft)}; {len(rlhf)} RLHF ones, first {rlhf[0][1]} "
        f"({rlhf[0][0]}), median {median(rlhf)}; no RLHF dataset precedes the first SFT one: "
        f"{'yes' if rlhf[0][0] > sft[0][0] else 'no'}. The graph records no pre-training or "
        "tuning stage per model, so the PT -> SFT order within a model is not checked.",
    )


def _trend_3(
    graph: nx.MultiDiGraph, by_label: dict[str, str], facts: dict[str, dict]
) -> TrendCheck:
    parts, ok = [], True
    for a, b in (("BLIP-2", "X-LLM"), ("InstructBLIP", "X-InstructBLIP")):
        kind = _edge(graph, by_label, a, b)
        ins_a = _non_text(facts[by_label[a]]["inputs"]) if a in by_label else []
        ins_b = _non_text(facts[by_label[b]]["inputs"]) if b in by_label else []
        more = len(ins_b) > len(ins_a)
        ok = ok and bool(kind) and more
        parts.append(
            f"{a} -> {b}: {'linked (' + kind + ')' if kind else 'NO LINK'}, inputs "
            f"{'+'.join(ins_a) or 'none'} -> {'+'.join(ins_b) or 'none'}"
        )
    more = same = fewer = 0
    for u, v in {(u, v) for u, v in graph.edges()}:
        delta = len(_non_text(facts[v]["inputs"])) - len(_non_text(facts[u]["inputs"]))
        more, same, fewer = more + (delta > 0), same + (delta == 0), fewer + (delta < 0)
    return TrendCheck(
        3,
        "Diversified modal extension (BLIP-2 -> X-LLM, InstructBLIP -> X-InstructBLIP)",
        "yes" if ok else "no",
        "; ".join(parts)
        + f". Over all {more + same + fewer} linked model pairs, the later model reads more "
        f"non-text modalities in {more}, as many in {same}, fewer in {fewer}.",
    )


def _trend_4(store: ox.Store, graph: nx.MultiDiGraph, by_label: dict[str, str]) -> TrendCheck:
    claim = "Higher-quality training data (LLaVA -> LLaVA-1.5; +ShareGPT4V variants)"
    kind = _edge(graph, by_label, "LLaVA", "LLaVA-1.5")
    variants = _variants(store)
    pairs = [p for p in comparisons(store).pairs if p.factor == "training data"]
    texts, all_up, mean_up = [], True, True
    for p in pairs:
        all_up = all_up and p.wins > p.losses
        mean_up = mean_up and (p.mean_difference or 0) > 0
        texts.append(
            f"{p.variant_b} vs {p.variant_a}: higher on {p.wins} of {len(p.columns)} shared "
            f"columns, lower on {p.losses}, mean difference {p.mean_difference or 0:+.2f} points "
            "on the 0-100 columns"
        )
    # the version step itself, uncontrolled: the variant pair sharing the most columns
    old = [v for v in variants.values() if v["model_label"] == "LLaVA"]
    new = [v for v in variants.values() if v["model_label"] == "LLaVA-1.5"]
    best = max(
        ((a, b, _shared(a, b)) for a in old for b in new), key=lambda x: len(x[2]), default=None
    )
    if best and best[2]:
        a, b, shared = best
        up = sum(sb > sa for _, sa, sb, _ in shared)
        backbone = (
            f"the backbone changes too ({a['backbone_label']} -> {b['backbone_label']})"
            if a["backbone"] != b["backbone"]
            else "the same backbone, but the whole recipe changes"
        )
        texts.append(
            f"{b['label']} vs {a['label']} (not a controlled comparison: {backbone}): "
            f"higher on {up} of {len(shared)} shared columns ("
            + ", ".join(f"{c} {sa:g} -> {sb:g}" for c, sa, sb, _ in shared)
            + ")"
        )
    if not pairs:
        holds = "undecided"
    else:
        holds = "yes" if kind and all_up else "partly" if kind or mean_up else "no"
    return TrendCheck(
        4,
        claim,
        holds,
        f"LLaVA -> LLaVA-1.5: {'linked (' + kind + ')' if kind else 'NO LINK'}. "
        + ("; ".join(texts) or "no variant pair differs only in added training data")
        + ".",
    )


def _crossing(events: list[tuple[str, str, str]]) -> tuple[str, str, int, int] | None:
    """The first (date, model, simple, q-former) at which the running count of simple
    projectors exceeds that of Q-Formers; *events* are (date, model, "simple" or "q")."""
    simple = qformer = 0
    for date, model, kind in sorted(events):
        simple, qformer = simple + (kind == "simple"), qformer + (kind == "q")
        if simple > qformer:
            return date, model, simple, qformer
    return None


def _trend_5(
    result: Trends,
    qformer: set[str],
    simple: set[str],
    projector_models: dict[str, set[str]],
    facts: dict[str, dict],
) -> TrendCheck:
    def count(half: str, families: set[str]) -> int:
        return sum(result.projectors[half][f] for f in families)

    based = [h for h in result.halves if result.divisions[h]["with input projector"]]
    judged = [h for h in based if result.divisions[h]["with input projector"] >= MIN_MODELS]
    q_series = [(h, result.projector_share(h, qformer)) for h in judged]
    s_series = [(h, result.projector_share(h, simple)) for h in judged]
    q_models = set().union(*(projector_models.get(f, set()) for f in qformer))
    s_models = set().union(*(projector_models.get(f, set()) for f in simple)) - q_models
    events = [(facts[m]["date"], facts[m]["label"], "q") for m in q_models if facts[m]["date"]]
    events += [
        (facts[m]["date"], facts[m]["label"], "simple") for m in s_models if facts[m]["date"]
    ]
    first_q = min((e for e in events if e[2] == "q"), default=None)
    crossing = _crossing(events)
    q_halves = [h for h in based if count(h, qformer)]
    dominant = [h for h in based if count(h, simple) > count(h, qformer)]
    peak = max(q_series, key=lambda x: x[1]) if q_series else None
    falls = peak is not None and q_series[-1][1] < peak[1]
    rises = _slope(s_series) > 0
    before = bool(first_q and crossing) and first_q[0] < crossing[0]  # type: ignore[index]
    holds = "yes" if falls and rises and before else "partly" if falls or rises else "no"
    per_half = ", ".join(
        f"{h} {count(h, qformer)} Q-Former / {count(h, simple)} linear or MLP of "
        f"{result.divisions[h]['with input projector']}"
        for h in based
    )
    same_half = bool(q_halves and dominant) and q_halves[0] == dominant[0]
    return TrendCheck(
        5,
        "Simpler input projectors (Q-Former share falls, linear/MLP share rises)",
        holds,
        f"models with an input projector: {per_half}. Shares in half-years with >= "
        f"{MIN_MODELS} such models: Q-Former {_series_text(q_series)}; linear or MLP "
        f"{_series_text(s_series)}. First Q-Former model: "
        + (f"{first_q[1]} ({first_q[0]})" if first_q else "none")
        + "; linear or MLP models first outnumber Q-Former ones, counting from the start, with "
        + (
            f"{crossing[1]} ({crossing[0]}: {crossing[2]} to {crossing[3]})"
            if crossing
            else "no model"
        )
        + ". Per half-year, Q-Former first appears in "
        + (q_halves[0] if q_halves else "no half-year")
        + " and linear or MLP first outnumber it in "
        + (dominant[0] if dominant else "no half-year")
        + (" (the same half-year: that granularity cannot order them)" if same_half else "")
        + f". Only the {len(set().union(*projector_models.values()))} models with a recorded "
        "architecture count"
        + (
            f"; {', '.join(sorted(set(based) - set(judged)))} (fewer than {MIN_MODELS}) are "
            "shown but not judged."
            if set(based) - set(judged)
            else "."
        ),
        {
            "qformer_share": dict(q_series),
            "linear_mlp_share": dict(s_series),
            "first_qformer": first_q[:2] if first_q else None,
            "crossing": crossing,
            "first_qformer_half": q_halves[0] if q_halves else None,
            "first_dominant_half": dominant[0] if dominant else None,
        },
    )


# ---- 6. comparisons ------------------------------------------------------------------------


@dataclass
class Pair:
    """Two variants of one model that differ in one factor, with their shared scores."""

    model: str
    factor: str  # "backbone size", "backbone version" or "training data"
    variant_a: str
    variant_b: str
    change: str
    columns: list[tuple[str, float, float, bool]] = field(default_factory=list)
    # (survey column, score A, score B, on a 0-100 scale)

    @property
    def wins(self) -> int:
        """Columns where B scores higher than A."""
        return sum(b > a for _, a, b, _ in self.columns)

    @property
    def losses(self) -> int:
        """Columns where B scores lower than A."""
        return sum(b < a for _, a, b, _ in self.columns)

    @property
    def mean_difference(self) -> float | None:
        """Mean of B - A over the shared columns on a 0-100 scale (MME's scores are not)."""
        diffs = [b - a for _, a, b, percent in self.columns if percent]
        return statistics.fmean(diffs) if diffs else None

    @property
    def mean_relative_difference(self) -> float | None:
        """Mean of (B - A) / A in percent over every shared column."""
        diffs = [100 * (b - a) / a for _, a, b, _ in self.columns if a]
        return statistics.fmean(diffs) if diffs else None


@dataclass
class Comparisons(AnalysisResult):
    """Controlled comparisons between variants that differ in one factor."""

    pairs: list[Pair]

    def find(self, variant_a: str, variant_b: str) -> Pair | None:
        """The pair of these two variant labels, or None."""
        return next(
            (p for p in self.pairs if (p.variant_a, p.variant_b) == (variant_a, variant_b)), None
        )

    def sections(self) -> dict[str, Table]:
        """The pairs with their mean differences, and every shared score."""
        pairs = [
            [
                p.model,
                p.factor,
                p.variant_a,
                p.variant_b,
                p.change,
                len(p.columns),
                p.wins,
                p.losses,
                _round(p.mean_difference, 2),
                _round(p.mean_relative_difference, 2),
            ]
            for p in self.pairs
        ]
        scores = [
            [p.variant_a, p.variant_b, column, a, b, _round(b - a, 2)]
            for p in self.pairs
            for column, a, b, _ in p.columns
        ]
        return {
            "pairs": Table(
                [
                    "model",
                    "factor",
                    "variant_a",
                    "variant_b",
                    "change",
                    "shared_columns",
                    "b_higher",
                    "b_lower",
                    "mean_difference",
                    "mean_relative_difference_pct",
                ],
                pairs,
            ),
            "scores": Table(
                ["variant_a", "variant_b", "column", "score_a", "score_b", "difference"], scores
            ),
        }


def _variants(store: ox.Store) -> dict[str, dict[str, Any]]:
    """Per variant IRI: model, labels, backbone and its family and size, base variant,
    training datasets and scores (survey column -> (score, on a 0-100 scale))."""
    variants: dict[str, dict[str, Any]] = {}
    for model, mlabel, variant, vlabel, backbone, blabel, family, size, base in _rows(
        store,
        """SELECT ?m ?ml ?v ?vl ?b ?bl ?f ?size ?base WHERE {
             ?m mmkg:hasVariant ?v ; rdfs:label ?ml . ?v rdfs:label ?vl .
             OPTIONAL { ?v mmkg:hasLLMBackbone ?b . ?b rdfs:label ?bl
                        OPTIONAL { ?b mmkg:inFamily ?f } OPTIONAL { ?b mmkg:parameterCount ?size } }
             OPTIONAL { ?v mmkg:hasBaseVariant ?base } } ORDER BY ?m ?v""",
    ):
        variants.setdefault(
            variant,
            {
                "model": model,
                "model_label": mlabel,
                "label": vlabel,
                "backbone": backbone,
                "backbone_label": blabel,
                "family": family,
                "size": size,
                "base": base,
                "data": {},
                "scores": {},
            },
        )
    for variant, dataset, label in _rows(
        store,
        """SELECT ?v ?d (MIN(?l) AS ?label) WHERE {
             ?m mmkg:hasVariant ?v . ?v mmkg:trainedOn ?d . ?d rdfs:label ?l } GROUP BY ?v ?d""",
    ):
        variants[variant]["data"][dataset] = label
    for variant, column, score, maximum in _rows(
        store,
        """SELECT ?v ?col ?s ?max WHERE {
             ?r mmkg:evaluatesModel ?v ; mmkg:surveyColumn ?col ; mmkg:score ?s .
             OPTIONAL { ?r mmkg:usesMetric/mmkg:maximumValue ?max } }""",
    ):
        if variant in variants:
            variants[variant]["scores"].setdefault(str(column), (float(score), maximum == 100))
    return variants


def comparisons(store: ox.Store, top: int = 10) -> Comparisons:
    """Variant pairs of one model differing in one factor, with score differences.

    Backbone: two variants built on no other variant whose LLM backbones are different
    components of one family (A has the smaller one). Training data: B extends its base
    variant A with a dataset A was not trained on. ``mean_difference`` averages B - A over
    shared columns scored on 0-100 (MME's are not and are left out of it).
    """
    del top  # every pair is shown
    variants = _variants(store)
    pairs: list[Pair] = []
    by_model: dict[str, list[str]] = defaultdict(list)
    for v, d in variants.items():
        by_model[d["model"]].append(v)
    for members in by_model.values():
        for a in members:
            for b in members:
                pair = _pair(variants[a], variants[b], a, b)
                if pair is not None:
                    pair.columns = _shared(variants[a], variants[b])
                    pairs.append(pair)
    pairs.sort(key=lambda p: (p.model.lower(), p.factor, p.variant_a, p.variant_b))
    return Comparisons(pairs)


def _shared(a: dict, b: dict) -> list[tuple[str, float, float, bool]]:
    """(column, score A, score B, both on 0-100) for every survey column both were scored on."""
    return [
        (c, a["scores"][c][0], b["scores"][c][0], a["scores"][c][1] and b["scores"][c][1])
        for c in sorted(set(a["scores"]) & set(b["scores"]))
    ]


def _pair(a: dict, b: dict, iri_a: str, iri_b: str) -> Pair | None:
    """The single-factor pair (A, B), or None when they differ otherwise (or in this order)."""
    if iri_a == iri_b:
        return None
    if b["base"] == iri_a:
        added = {k: v for k, v in b["data"].items() if k not in a["data"]}
        if added and b["backbone"] == a["backbone"]:
            change = "+ " + ", ".join(sorted(added.values()))
            return Pair(a["model_label"], "training data", a["label"], b["label"], change)
        return None
    if a["base"] or b["base"] or not (a["backbone"] and b["backbone"]):
        return None
    if a["backbone"] == b["backbone"] or not a["family"] or a["family"] != b["family"]:
        return None
    key_a, key_b = (a["size"] or 0, a["label"]), (b["size"] or 0, b["label"])
    if key_a >= key_b:
        return None
    factor = (
        "backbone size"
        if a["size"] and b["size"] and a["size"] != b["size"]
        else ("backbone version")
    )
    change = f"{a['backbone_label']} -> {b['backbone_label']}"
    return Pair(a["model_label"], factor, a["label"], b["label"], change)


# ---- registry ------------------------------------------------------------------------------

ANALYSES: dict[str, tuple[Callable[..., AnalysisResult], str]] = {
    "component-reuse": (
        component_reuse,
        "Components and component families ranked by the number of models using them, per role",
    ),
    "hubs": (hubs, "Degree, betweenness and PageRank in the lineage and component co-usage graphs"),
    "lineage": (lineage, "Roots, depths, longest chains and most prolific ancestors of the DAG"),
    "communities": (communities, "Communities of models that share components"),
    "trends": (trends, "Half-year counts and the survey's five named trends checked on the data"),
    "comparisons": (comparisons, "Variant pairs differing in backbone or training data, scored"),
}


def find_analysis(name: str) -> Callable[..., AnalysisResult]:
    """The analysis function of *name*, or an error naming the closest names."""
    if name in ANALYSES:
        return ANALYSES[name][0]
    near = difflib.get_close_matches(name, list(ANALYSES), n=3, cutoff=0.4)
    near += [n for n in ANALYSES if n.startswith(name[:3]) and n not in near] if name else []
    hint = f"; did you mean {', '.join(repr(n) for n in near)}?" if near else ""
    raise AnalysisError(
        f"no analysis named '{name}'{hint} (known: {', '.join(ANALYSES)}; "
        "`mmkg analyze` lists them)"
    )


def run_analysis(name: str, store: ox.Store, top: int = 10) -> AnalysisResult:
    """Run the analysis *name* on *store*, keeping *top* entries per ranking."""
    return find_analysis(name)(store, top=top)


def render_result(result: AnalysisResult, fmt: str) -> str:
    """The result as text: JSON maps section -> rows; CSV is one table with a section column."""
    if fmt == "json":
        return json.dumps(
            {name: json.loads(render(t, "json")) for name, t in result.sections().items()},
            ensure_ascii=False,
            indent=2,
        )
    if fmt == "csv":
        return render(result.table(), "csv")
    heading = "## {}\n\n" if fmt == "markdown" else "% {}\n"
    return "\n".join(heading.format(name) + render(t, fmt) for name, t in result.sections().items())
