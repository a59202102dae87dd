"""Lineage: roots, depths, longest chains and most prolific ancestors of the lineage DAG.

Everything is exact and linear in the links, save the descendant counts: a model merged from
two parents is a descendant of both lines, so counting needs set unions, not sums. They are
unions of bitsets (Python integers, a bit per model), taken child before parent in one pass,
each dropped once its last parent has used it; a union takes n/30 word operations (CPython's
30-bit digits): under a second for a lineage of 76,000 linked models.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pyoxigraph as ox

from mmkg.analysis.base import AnalysisError, AnalysisResult, _rank
from mmkg.graphview import lineage_graph
from mmkg.queries import Table

__all__ = ["Chain", "Lineage", "descendant_counts", "lineage"]


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


def descendant_counts(dag: nx.DiGraph) -> dict[str, int]:
    """The number of descendants of every node of a DAG (a DiGraph), each counted once.

    Nodes are numbered in depth-first post-order (every node after its descendants); a node's
    descendants are the union of its children's, as a bitset, and a child's bitset is freed
    once its last parent has taken it in, so only the frontier of the search is held.

    >>> diamond = nx.DiGraph([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")])
    >>> descendant_counts(diamond)
    {'d': 0, 'b': 1, 'c': 1, 'a': 3}
    """
    order = list(nx.dfs_postorder_nodes(dag))
    index = {n: i for i, n in enumerate(order)}
    waiting = dict(dag.in_degree())  # parents yet to take in a node's bits
    below: dict[str, int] = {}
    counts: dict[str, int] = {}
    for node in order:
        bits = 0
        for child in dag.successors(node):
            bits |= 1 << index[child] | below[child]
            waiting[child] -= 1
            if not waiting[child]:
                del below[child]
        counts[node] = bits.bit_count()
        if waiting[node]:
            below[node] = bits
    return counts


def lineage(store: ox.Store, top: int = 10) -> Lineage:
    """Roots, depth of every linked model, the longest chains and the most prolific ancestors.

    Only derivation links count: an influence link says nothing was reused, and a link the
    names alone suggest is no link at all.

    Raises:
        AnalysisError: if the evolution links form a cycle.
    """
    graph = lineage_graph(store, influence=False)  # ancestry follows derivations only
    labels = {n: d["label"] for n, d in graph.nodes(data=True)}
    if not nx.is_directed_acyclic_graph(graph):
        cycle = nx.find_cycle(graph)
        path = " -> ".join([labels[cycle[0][0]], *(labels[e[1]] for e in cycle)])
        raise AnalysisError(
            f"the evolution links between models form a cycle: {path}; "
            "fix the links in the model files of data/models/"
        )
    linked = nx.DiGraph()  # parallel links of different kinds merged into one edge
    linked.add_nodes_from(n for n in graph if graph.degree(n))
    linked.add_edges_from(graph.edges())
    kinds = {(u, v): "+".join(sorted(graph[u][v])) for u, v in linked.edges()}
    depth: dict[str, int] = {}
    best_parent: dict[str, str | None] = {}
    order = nx.lexicographical_topological_sort(linked, key=lambda n: labels[n].lower())
    for node in order:
        parents = sorted(linked.predecessors(node), key=lambda n: labels[n].lower())
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
    descendants = descendant_counts(linked)
    children = dict(linked.out_degree())
    roots = [n for n in linked if not linked.in_degree(n)]
    dates = {n: d.get("date") for n, d in graph.nodes(data=True)}
    against_time = sorted(
        [labels[u], dates[u], labels[v], dates[v], k]
        for (u, v), k in kinds.items()
        if dates[u] and dates[v] and dates[v] < dates[u]
    )
    return Lineage(roots, depth, chains, descendants, children, labels, against_time, top)
