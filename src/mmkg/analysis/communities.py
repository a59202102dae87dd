"""Communities: groups of models that share components (greedy modularity)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import networkx as nx
import pyoxigraph as ox

from mmkg.analysis.base import AnalysisResult, _round
from mmkg.graphview import model_component_graph
from mmkg.queries import Table

__all__ = ["Communities", "Community", "communities"]


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
