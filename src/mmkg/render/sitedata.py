"""What the site shows, read from the store once: models, lineage, components, results.

Reads through :mod:`mmkg.graphview` and SPARQL only, so the site can be made from any store
holding the graph. Also owns the site's URLs: one slug per model, component, benchmark (with
results), component family, organisation, dataset, modality and lineage family.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx
import pyoxigraph as ox

from mmkg.graphview import family_tree, lineage_graph, model_component_graph, model_facts
from mmkg.queries import PREFIXES, run_sparql
from mmkg.render.html import SlugMap, safe_href
from mmkg.render.layout import lineage_families
from mmkg.tables import cell_text

__all__ = ["SiteData", "item", "select", "LIST_MAX", "ENTITY_FOLDERS"]

#: At most this many links in one list of a page (the models using a component, the models
#: above or below one in the lineage); the rest are counted.
LIST_MAX = 100
#: The folder of each further kind of entity page, and the class its members belong to (a
#: benchmark with results has a benchmark page; the other datasets a dataset page).
ENTITY_FOLDERS = {
    "component-families": "mmkg:ComponentFamily",
    "organisations": "mmkg:Organisation",
    "datasets": "mmkg:Dataset",
    "modalities": "mmkg:Modality",
}


def select(store: ox.Store, text: str) -> list[list]:
    """The rows of a SPARQL query, with the site's prefixes declared."""
    return run_sparql(store, PREFIXES + text).rows


def item(label: str, url: str | None, **extra: Any) -> dict:
    """A labelled link (no URL: plain text) for the templates."""
    return {"label": label, "url": url, **extra}


def source_item(url: str) -> dict:
    """A source as a link when it is an http(s) address, else as text."""
    return item(url, safe_href(url))


class SiteData:
    """Everything read from the store once, and the URL of every page."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.facts = model_facts(store)
        self.lineage = lineage_graph(store)
        self.components = model_component_graph(store)
        self.tree = family_tree(store)
        self.model_slug, self.component_slug, self.bench_slug = SlugMap(), SlugMap(), SlugMap()
        #: the other entities with a page of their own, per folder: IRI -> label
        self.entities: dict[str, dict[str, str]] = {
            folder: self._labelled(cls) for folder, cls in ENTITY_FOLDERS.items()
        }
        self.entity_slug = {folder: SlugMap() for folder in ENTITY_FOLDERS}
        self.roles = select(
            store,
            """SELECT ?r ?label ?pos WHERE { ?r a mmkg:ArchitecturalRole ; rdfs:label ?label ;
                mmkg:rolePosition ?pos } ORDER BY ?pos ?label""",
        )
        self.pipelines = self._pipelines()
        self.component_info = self._component_info()
        self.results = self._results()
        self.benchmarks = self._benchmarks()
        self._column_benchmark = {r["column"]: r["benchmark"] for r in self.results}
        for iri in sorted(self.facts):
            self.model_slug(iri)
        for iri in sorted(self.component_info):
            self.component_slug(iri)
        for iri in sorted(self.benchmarks):
            self.bench_slug(iri)
        for folder, members in self.entities.items():
            for iri in sorted(members):
                self.entity_slug[folder](iri)
        self.families = lineage_families(self.lineage)
        #: per model in a lineage family: the family's root model
        self.family_root_of: dict[str, str] = {}
        self.family_slug = SlugMap()
        for root, nodes in self.families:
            self.family_slug(root)  # numbered in family order, whatever asks first
            for node in nodes:
                self.family_root_of[node] = root
        #: per model: the IRIs of its organisations and of its input and output modalities
        self.model_links: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for model, prop, target in select(
            store,
            """SELECT ?m ?p ?x WHERE { VALUES ?p { mmkg:developedBy mmkg:hasInputModality
                mmkg:hasOutputModality } ?m a mmkg:MultimodalLLM ; ?p ?x } ORDER BY ?m ?p ?x""",
        ):
            self.model_links[model][prop.rsplit("#", 1)[-1]].append(target)

    def _labelled(self, cls: str) -> dict[str, str]:
        """The IRIs and labels of the members of *cls* (a CURIE)."""
        labels: dict[str, str] = {}
        for iri, label in select(
            self.store, f"SELECT ?x ?l WHERE {{ ?x a {cls} ; rdfs:label ?l }} ORDER BY ?x ?l"
        ):
            labels.setdefault(iri, label)
        return labels

    def family_graph(self, root: str) -> str:
        """The lineage graph page of the family whose root model is *root*."""
        return f"graphs/family/{self.family_slug(root)}.html"

    def sources(self, iri: str) -> list[dict]:
        """The sources of *iri*, each a link when it is an http(s) address."""
        rows = select(
            self.store, f"SELECT DISTINCT ?s WHERE {{ <{iri}> dcterms:source ?s }} ORDER BY ?s"
        )
        return [source_item(r[0]) for r in rows]

    def family_page(self, root: str) -> str:
        """The page of the lineage family whose root model is *root*."""
        return f"families/{self.family_slug(root)}.html"

    def family_name(self, root: str) -> str:
        """The name of the lineage family whose root model is *root* ("LLaVA family")."""
        return f"{self.lineage.nodes[root]['label']} family"

    def _pipelines(self) -> dict[str, dict[str, Any]]:
        """Per model: per role IRI, the components used (label, modalities, resolution)."""
        pipelines: dict[str, dict[str, Any]] = defaultdict(lambda: {"uses": {}, "lacks": set()})
        for model, role, component, label, modalities, resolution in select(
            self.store,
            """SELECT ?m ?r ?c ?label (GROUP_CONCAT(DISTINCT ?mod; separator="/") AS ?mods)
                      (SAMPLE(?res) AS ?resolution) WHERE {
                ?m mmkg:hasComponentUsage ?u . ?u mmkg:inRole ?r ; mmkg:usesComponent ?c .
                ?c rdfs:label ?label .
                OPTIONAL { ?u mmkg:forModality/rdfs:label ?mod }
                OPTIONAL { ?u mmkg:inputResolution ?res } }
              GROUP BY ?m ?r ?c ?label ORDER BY ?m ?r ?label""",
        ):
            detail = ", ".join(
                x
                for x in (
                    modalities.lower() if modalities else "",
                    f"{cell_text(resolution)} px" if resolution is not None else "",
                )
                if x
            )
            uses = pipelines[model]["uses"].setdefault(role, [])
            uses.append({"iri": component, "label": label, "detail": detail})
        for model, role in select(self.store, "SELECT ?m ?r WHERE { ?m mmkg:lacksRole ?r }"):
            pipelines[model]["lacks"].add(role)
        return dict(pipelines)

    def _component_info(self) -> dict[str, dict]:
        info: dict[str, dict] = {}
        for iri, label, family, family_label, definition, params, patch in select(
            self.store,
            """SELECT ?c ?label ?f ?flabel ?def ?params ?patch WHERE {
                ?c a mmkg:Component ; rdfs:label ?label .
                OPTIONAL { ?c mmkg:inFamily ?f . ?f rdfs:label ?flabel }
                OPTIONAL { ?c skos:definition ?def }
                OPTIONAL { ?c mmkg:parameterCount ?params }
                OPTIONAL { ?c mmkg:patchSize ?patch } } ORDER BY ?c""",
        ):
            info.setdefault(
                iri,
                {
                    "label": label,
                    "family": family,
                    "family_label": family_label,
                    "definition": definition,
                    "params": params,
                    "patch": patch,
                },
            )
        for node, data in self.components.nodes(data=True):
            if data.get("kind") == "component" and node not in info:
                info[node] = {"label": data.get("label", node), "family": None}
        return info

    def _results(self) -> list[dict]:
        rows = select(
            self.store,
            """SELECT ?r ?vlabel ?m ?b ?col ?score ?seen ?re ?metric
                      (GROUP_CONCAT(DISTINCT ?bl; separator=", ") AS ?backbone) WHERE {
                ?r mmkg:evaluatesModel ?v ; mmkg:surveyColumn ?col ; mmkg:score ?score ;
                   mmkg:onBenchmark ?b .
                ?v rdfs:label ?vlabel .
                OPTIONAL { ?m mmkg:hasVariant ?v }
                OPTIONAL { ?r mmkg:trainImagesSeen ?seen }
                OPTIONAL { ?r mmkg:reimplemented ?re }
                OPTIONAL { ?r mmkg:usesMetric/rdfs:label ?metric }
                OPTIONAL { ?v mmkg:hasLLMBackbone/rdfs:label ?bl } }
              GROUP BY ?r ?vlabel ?m ?b ?col ?score ?seen ?re ?metric
              ORDER BY ?col DESC(?score) ?vlabel""",
        )
        keys = ("iri", "variant", "model", "benchmark", "column", "score", "seen")
        keys += ("reimplemented", "metric", "backbone")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def _benchmarks(self) -> dict[str, dict]:
        """The benchmarks with results (a benchmark with none has a dataset page only)."""
        benchmarks: dict[str, dict] = {}
        for iri, label in select(
            self.store,
            """SELECT DISTINCT ?b ?label WHERE {
                ?r mmkg:onBenchmark ?b ; mmkg:score ?score . ?b rdfs:label ?label }
              ORDER BY ?label""",
        ):
            benchmarks.setdefault(iri, {"label": label})
        return benchmarks

    def url(self, iri: str) -> str | None:
        """The page of *iri* relative to the site root, if it has one."""
        if iri in self.facts:
            return f"models/{self.model_slug(iri)}.html"
        if iri in self.component_info:
            return f"components/{self.component_slug(iri)}.html"
        if iri in self.benchmarks:
            return f"benchmarks/{self.bench_slug(iri)}.html"
        for folder, members in self.entities.items():
            if iri in members:
                return f"{folder}/{self.entity_slug[folder](iri)}.html"
        return None

    def link(self, iri: str | None, label: str, root: str, **extra: Any) -> dict:
        """A link item for a template; no URL when *iri* has no page."""
        url = self.url(iri) if iri else None
        return item(label, root + url if url else None, **extra)

    def parts_text(self, model: str) -> str:
        """The model's components per role as plain text lines, for tooltips."""
        uses = self.pipelines.get(model, {}).get("uses", {})
        lines = []
        for role, label, _ in self.roles:
            if role in uses:
                lines.append(f"{label}: {', '.join(u['label'] for u in uses[role])}")
        return "\n".join(lines)

    def role_labels(self, model: str, role_slug: str) -> str:
        """The labels of the components a model uses in one role (by the role's slug)."""
        uses = self.pipelines.get(model, {}).get("uses", {})
        for role, _, _ in self.roles:
            if role.rsplit("/", 1)[-1] == role_slug:
                return ", ".join(u["label"] for u in uses.get(role, []))
        return ""

    def detailed(self, model: str) -> bool:
        """Whether the sources give the model's architecture (a component or a "none")."""
        pipeline = self.pipelines.get(model)
        return bool(pipeline and (pipeline["uses"] or pipeline["lacks"]))

    def lineage_items(self, model: str, up: bool) -> tuple[list[dict], int]:
        """Links to the models above (*up*) or below one model, with how they are linked:
        direct links first, then the nearest; at most LIST_MAX, and the number left out.

        One walk from the model (its cost is the number of models above or below it).
        """
        graph = self.lineage.reverse(copy=False) if up else self.lineage
        steps = nx.single_source_shortest_path_length(graph, model)
        items = []
        for other, hops in steps.items():
            if hops == 0:
                continue
            how = f"indirect, {hops} steps"
            if hops == 1:
                direct = graph.get_edge_data(model, other) or {}
                how = ", ".join(sorted({d["label"] for d in direct.values()}))
            label = self.lineage.nodes[other]["label"]
            items.append((hops > 1, hops, label.casefold(), other, label, how))
        items.sort()
        return [
            self.link(other, label, "../", how=how) for *_, other, label, how in items[:LIST_MAX]
        ], max(0, len(items) - LIST_MAX)
