"""Trends: models counted per half-year (divisions, modalities, input projectors).

The survey's five named trends are checked in ``mmkg.analysis.trend_checks``; ``trends()``
gathers the counts and those checks in one result.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
import pyoxigraph as ox

from mmkg.analysis.base import AnalysisResult
from mmkg.analysis.trend_checks import (
    GENERATION,
    TrendCheck,
    _any_to_any,
    _non_text,
    _trend_1,
    _trend_2,
    _trend_3,
    _trend_4,
    _trend_5,
)
from mmkg.graphview import family_tree, lineage_graph, model_component_graph
from mmkg.namespaces import DATA
from mmkg.queries import Table

__all__ = ["Trends", "half_year", "trends"]

TOOL_USING = "Tool-using"
QFORMER = f"{DATA}family/q-former"
LINEAR_MLP = (f"{DATA}family/linear-projection", f"{DATA}family/mlp")


def half_year(year: int, month: int) -> str:
    """The half-year of a release month: H1 is January to June.

    >>> half_year(2024, 6), half_year(2024, 12)
    ('2024-H1', '2024-H2')
    """
    return f"{year}-H{1 if month <= 6 else 2}"


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


def trends(store: ox.Store, top: int = 10) -> Trends:
    """Counts per half-year (projectors, modalities, divisions) and the survey's five trends."""
    del top  # every half-year is shown
    graph = lineage_graph(store)
    facts: dict[str, dict] = dict(graph.nodes(data=True))  # every model is a node: its facts
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
