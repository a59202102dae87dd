"""Component reuse: per role, components and families ranked by the models using them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import networkx as nx
import pyoxigraph as ox

from mmkg.analysis.base import AnalysisResult, _rank, _round
from mmkg.graphview import family_tree, model_component_graph
from mmkg.queries import Table

__all__ = ["VISION", "ComponentReuse", "ReuseRow", "component_reuse"]

VISION = "Modality encoder (vision)"  # encoders used for images or video


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
