"""RDF -> NetworkX projections, taken through SPARQL: lineage, architecture, co-usage, families.

Every projection reads a pyoxigraph store (the built graph, or any store holding it), so the
views work the same on the local build and on another store; from a SPARQL endpoint
(`endpoint.RemoteStore`) each query is read in pages, so a projection longer than the
server's row limit is read whole. Node keys are IRIs; nodes carry a ``label`` and a ``kind``
(model, component, family), plus what each view needs.

>>> import pyoxigraph as ox
>>> lineage_graph(ox.Store()).number_of_nodes()
0
"""

from __future__ import annotations

import networkx as nx
import pyoxigraph as ox

from mmkg.endpoint import paged
from mmkg.namespaces import (
    MODEL_DERIVATION_TERMS,
    MODEL_INFLUENCE_TERMS,
    MODEL_LINK_TERMS,
    TERMS,
)
from mmkg.queries import select

__all__ = [
    "MODEL_LINKS",
    "lineage_graph",
    "model_component_graph",
    "component_cousage_graph",
    "family_tree",
    "model_facts",
]

MODEL_LINKS = MODEL_LINK_TERMS
FAMILY_LINKS = (
    "isNewVersionOf",
    "fineTunedFrom",
    "initialisedFrom",
    "buildsOn",
    "usesBackbone",
    "replicates",
    "isVariantOf",
)


def _rows(store: ox.Store, text: str) -> list[list]:
    """Every row of a projection query, read in pages from an endpoint."""
    return select(paged(store), text)


def _values(names: tuple[str, ...]) -> str:
    return " ".join(f"mmkg:{n}" for n in names)


def model_facts(store: ox.Store) -> dict[str, dict]:
    """Per model IRI: label, year, month, date, organisations, divisions, modalities."""
    facts: dict[str, dict] = {}
    for iri, label, year, month, date, functional, design in _rows(
        store,
        """
        SELECT ?m ?label ?year ?month ?date ?fun ?des WHERE {
          ?m a mmkg:MultimodalLLM ; rdfs:label ?label .
          OPTIONAL { ?m mmkg:releaseYear ?year ; mmkg:releaseMonth ?month ;
                        mmkg:releaseDate ?date }
          OPTIONAL { ?m mmkg:hasFunctionalDivision/rdfs:label ?fun }
          OPTIONAL { ?m mmkg:hasDesignDivision/rdfs:label ?des } }""",
    ):
        facts[iri] = {
            "label": label,
            "kind": "model",
            "year": year,
            "month": month,
            "date": str(date)[:10] if date else None,
            "functional": functional,
            "design": design,
            "organisations": [],
            "inputs": [],
            "outputs": [],
        }
    for iri, org in _rows(
        store,
        """SELECT ?m ?org WHERE {
            ?m a mmkg:MultimodalLLM ; mmkg:developedBy/rdfs:label ?org } ORDER BY ?org""",
    ):
        facts[iri]["organisations"].append(org)
    for iri, side, modality in _rows(
        store,
        """SELECT ?m ?side ?mod WHERE {
            ?m a mmkg:MultimodalLLM .
            { ?m mmkg:hasInputModality/rdfs:label ?mod BIND("inputs" AS ?side) }
            UNION { ?m mmkg:hasOutputModality/rdfs:label ?mod BIND("outputs" AS ?side) } }
            ORDER BY ?mod""",
    ):
        facts[iri][side].append(modality)
    return facts


def lineage_graph(
    store: ox.Store, suggested: bool = False, influence: bool = True
) -> nx.MultiDiGraph:
    """Models and their evolution links, drawn from the earlier model to the later one.

    Each edge has ``kind`` (the link property's local name), ``label``, ``confidence`` (the
    label of its mmkg:LinkConfidence term) and ``influence`` (true for links that say nothing
    was reused); with *influence* false only derivations are kept. Links that only the names
    suggest are left out unless *suggested* is true; then they are edges too, with
    ``suggested`` true. Every model is a node, linked or not.
    """
    graph = nx.MultiDiGraph()
    for iri, data in model_facts(store).items():
        graph.add_node(iri, **data)
    influences = {f"{TERMS}{term}" for term in MODEL_INFLUENCE_TERMS}
    rows = _rows(
        store,
        f"""
        SELECT ?later ?p ?earlier ?plabel ?confidence WHERE {{
          VALUES ?p {{ {_values(MODEL_LINKS if influence else MODEL_DERIVATION_TERMS)} }}
          ?later ?p ?earlier . ?later a mmkg:MultimodalLLM . ?earlier a mmkg:MultimodalLLM .
          ?p rdfs:label ?plabel .
          OPTIONAL {{ ?a owl:annotatedSource ?later ; owl:annotatedProperty ?p ;
                         owl:annotatedTarget ?earlier ;
                         mmkg:linkConfidence/rdfs:label ?confidence }}
        }} ORDER BY ?later ?p ?earlier""",
    )
    if suggested:
        rows += [
            (*row, True)
            for row in _rows(
                store,
                """
                SELECT ?later ?p ?earlier ?plabel ?confidence WHERE {
                  ?later mmkg:hasSuggestedLink ?s .
                  ?s mmkg:suggestedTarget ?earlier ; mmkg:suggestedProperty ?p .
                  ?p rdfs:label ?plabel .
                  OPTIONAL { ?s mmkg:linkConfidence/rdfs:label ?confidence }
                } ORDER BY ?later ?p ?earlier""",
            )
        ]
    for later, prop, earlier, label, confidence, *flag in rows:
        kind = prop.rsplit("#", 1)[-1]
        graph.add_edge(
            earlier,
            later,
            key=kind,
            kind=kind,
            label=label,
            confidence=confidence,
            influence=prop in influences,
            suggested=bool(flag),
        )
    return graph


def model_component_graph(store: ox.Store) -> nx.Graph:
    """The bipartite graph of models and the components they use, one edge per use.

    Edges carry ``roles`` (role labels) and ``modalities``, each sorted; component nodes carry
    ``family``.
    """
    graph = nx.Graph()
    models = model_facts(store)
    for model, component, clabel, family, role, modality in _rows(
        store,
        """
        SELECT ?m ?c ?clabel ?flabel ?rlabel ?mod WHERE {
          ?m mmkg:hasComponentUsage ?u . ?u mmkg:usesComponent ?c ; mmkg:inRole ?r .
          ?c rdfs:label ?clabel . ?r rdfs:label ?rlabel .
          OPTIONAL { ?c mmkg:inFamily/rdfs:label ?flabel }
          OPTIONAL { ?u mmkg:forModality/rdfs:label ?mod } }""",
    ):
        if model not in graph:
            graph.add_node(model, **models.get(model, {"label": model, "kind": "model"}))
        graph.add_node(component, label=clabel, kind="component", family=family)
        edge = graph.get_edge_data(model, component) or {"roles": [], "modalities": []}
        if role not in edge["roles"]:
            edge["roles"].append(role)
        if modality and modality not in edge["modalities"]:
            edge["modalities"].append(modality)
        graph.add_edge(model, component, **edge)
    for _, _, edge in graph.edges(data=True):  # in one order, whatever the rows' order
        edge["roles"].sort()
        edge["modalities"].sort()
    return graph


def component_cousage_graph(store: ox.Store) -> nx.Graph:
    """Components linked when one model uses both; ``weight`` counts such models."""
    bipartite = model_component_graph(store)
    graph = nx.Graph()
    for node, data in bipartite.nodes(data=True):
        if data.get("kind") == "component":
            graph.add_node(node, **data, models=bipartite.degree(node))
    for node, data in bipartite.nodes(data=True):
        if data.get("kind") != "model":
            continue
        parts = sorted(bipartite.neighbors(node))
        for i, first in enumerate(parts):
            for second in parts[i + 1 :]:
                weight = graph.get_edge_data(first, second, {"weight": 0})["weight"]
                graph.add_edge(first, second, weight=weight + 1)
    return graph


def family_tree(store: ox.Store) -> nx.DiGraph:
    """Families and components: ``member`` edges family -> component, and derivation edges
    from the earlier family or component to the later one (``kind`` = the property)."""
    graph = nx.DiGraph()
    for family, label in _rows(
        store,
        """SELECT ?f ?l WHERE {
            ?f a mmkg:ComponentFamily ; rdfs:label ?l }""",
    ):
        graph.add_node(family, label=label, kind="family")
    for component, label, family in _rows(
        store,
        """SELECT ?c ?l ?f WHERE {
            ?c a mmkg:Component ; rdfs:label ?l ; mmkg:inFamily ?f }""",
    ):
        graph.add_node(component, label=label, kind="component")
        graph.add_edge(family, component, kind="member")
    for later, prop, earlier in _rows(
        store,
        f"""SELECT ?later ?p ?earlier WHERE {{
            VALUES ?p {{ {_values(FAMILY_LINKS)} }}
            ?later ?p ?earlier .
            {{ ?later a mmkg:ComponentFamily }} UNION {{ ?later a mmkg:Component }} }}""",
    ):
        graph.add_edge(earlier, later, kind=prop.rsplit("#", 1)[-1])
    return graph
