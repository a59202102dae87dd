"""Hubs: degree, betweenness and PageRank in the lineage and component co-usage graphs.

Betweenness is exact up to ``BETWEENNESS_EXACT_MAX`` nodes; a larger graph gets networkx's
estimate from ``BETWEENNESS_SAMPLE`` source nodes drawn with a fixed seed (Brandes and
Pich's sampling: the same graph always gives the same figures), and the notes say so. Degree
and PageRank (scipy's sparse power iteration) are exact at any size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx
import pyoxigraph as ox

from mmkg.analysis.base import AnalysisResult, _rank, _round
from mmkg.graphview import component_cousage_graph, lineage_graph
from mmkg.queries import Table

__all__ = [
    "BETWEENNESS_EXACT_MAX",
    "BETWEENNESS_SAMPLE",
    "Hubs",
    "betweenness",
    "hubs",
    "pagerank",
]

BETWEENNESS_EXACT_MAX = 1000  # nodes: exact betweenness (one search per node) up to this size
BETWEENNESS_SAMPLE = 64  # source nodes of the estimate above it (8-9 of the top 10 at 10k)
SEED = 0


def pagerank(graph: nx.Graph, weight: str | None = "weight") -> dict[Any, float]:
    """PageRank (networkx) with the usual damping of 0.85; empty for an empty graph.

    >>> ranks = pagerank(nx.DiGraph([(1, 2), (3, 2)]))
    >>> round(sum(ranks.values()), 6), max(ranks, key=ranks.get)
    (1.0, 2)
    """
    if graph.number_of_nodes() == 0:
        return {}
    return nx.pagerank(graph, alpha=0.85, weight=weight)


def betweenness(
    graph: nx.Graph, exact_max: int = BETWEENNESS_EXACT_MAX, sample: int = BETWEENNESS_SAMPLE
) -> tuple[dict[Any, float], str]:
    """Normalised betweenness, exact up to *exact_max* nodes, else estimated; and how.

    The estimate runs one shortest-path search from each of *sample* nodes drawn with a fixed
    seed and scales the sums up (networkx's ``k``), so it costs *sample* searches, not one per
    node.

    >>> exact, how = betweenness(nx.path_graph(5))
    >>> exact[2], how
    (0.6666666666666666, '')
    >>> estimate, how = betweenness(nx.path_graph(5), exact_max=3, sample=2)
    >>> how
    'estimated from 2 of 5 source nodes (seed 0)'
    """
    nodes = graph.number_of_nodes()
    if nodes <= exact_max or sample >= nodes:
        return nx.betweenness_centrality(graph), ""
    values = nx.betweenness_centrality(graph, k=sample, seed=SEED)
    return values, f"estimated from {sample} of {nodes} source nodes (seed {SEED})"


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


def hubs(
    store: ox.Store,
    top: int = 10,
    exact_max: int = BETWEENNESS_EXACT_MAX,
    sample: int = BETWEENNESS_SAMPLE,
) -> Hubs:
    """Top N nodes by degree, betweenness and PageRank, in the lineage and co-usage graphs.

    Betweenness is exact on graphs of up to *exact_max* nodes and estimated from *sample*
    source nodes on larger ones (see ``betweenness``); the notes say which.
    """
    lineage = lineage_graph(store)
    simple = nx.DiGraph()
    simple.add_edges_from((u, v) for u, v in lineage.edges())
    undirected = simple.to_undirected()
    labels = {n: d["label"] for n, d in lineage.nodes(data=True)}
    lineage_betweenness, lineage_how = betweenness(undirected, exact_max, sample)
    scores: dict[str, dict[str, dict[str, float]]] = {
        "lineage": {
            "degree": dict(undirected.degree()),
            "descendants (direct)": dict(simple.out_degree()),
            "betweenness": lineage_betweenness,
            "pagerank": pagerank(simple.reverse(copy=True), weight=None),
        }
    }
    cousage = component_cousage_graph(store)
    labels.update({n: d["label"] for n, d in cousage.nodes(data=True)})
    cousage_betweenness, cousage_how = betweenness(cousage, exact_max, sample)
    scores["co-usage"] = {
        "degree": dict(cousage.degree()),
        "strength": dict(cousage.degree(weight="weight")),
        "models": {n: d["models"] for n, d in cousage.nodes(data=True)},
        "betweenness": cousage_betweenness,
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
    for graph, how in (("lineage", lineage_how), ("co-usage", cousage_how)):
        if how:
            notes[graph] += (
                f"; betweenness {how}, not exact (exact up to {exact_max} nodes): the top "
                "ranks are reliable, small values and close ranks are not"
            )
    return Hubs(scores, labels, notes, top)
