"""The SHACL shapes of ``ontology/shapes.ttl`` on a graph: pySHACL on an rdflib graph (the
reference), pyshacl-turbo (Rust) on an Oxigraph store (any size)."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.namespace import OWL, RDF, SH, XSD

from mmkg.namespaces import TERMS
from mmkg.paths import ONTOLOGY_FILE
from mmkg.validate.report import SEVERITIES, Finding, Severity, short_iri

__all__ = ["SHAPES_FILE", "shacl_findings", "shacl_store_findings", "shapes_reach_axioms"]

SHAPES_FILE = ONTOLOGY_FILE.parent / "shapes.ttl"
_SHACL_SEVERITY: dict[Any, Severity] = {SH.Violation: "error", SH.Warning: "warning"}


def shacl_findings(graph: Graph, shapes: Graph, ontology: Graph | None = None) -> list[Finding]:
    """Validate *graph* against the SHACL *shapes* (pySHACL, no inference); one finding each.

    The reference the checks of :func:`check_store` are tested against; it reads an rdflib
    graph in pure Python, which is fine for a graph of the survey's size.
    """
    import pyshacl

    _, results, _ = pyshacl.validate(
        graph, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True
    )
    return _shacl_report_findings(results)


def shacl_store_findings(store: ox.Store, shapes: Graph) -> list[Finding]:
    """Validate the graph in *store* against the SHACL *shapes* with pyshacl-turbo (Rust).

    The same findings as :func:`shacl_findings` (tested on the real graph and on a broken
    copy of it), in time linear in the graph and without an rdflib copy of it. The engine
    takes the graph without its provenance axioms (:func:`shapes_reach_axioms`): two fifths
    of the triples, which no shape reads, and which cost it a kilobyte of memory each.
    """
    import pyshacl_turbo

    data = store if shapes_reach_axioms(shapes, store) else _without_axioms(store)
    _, results, _ = pyshacl_turbo.validate(
        data, shacl_graph=_typed_strings(shapes), inference="none", advanced=True
    )
    return _shacl_report_findings(results)


#: Targets and constraints that could reach any node, not only members of a target class.
_ANY_NODE = {SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target, SH.sparql}


def shapes_reach_axioms(shapes: Graph, store: ox.Store) -> bool:
    """Whether a shape could read an owl:Axiom node of *store*, so the whole graph must be
    validated.

    An axiom node of the build is typed owl:Axiom alone and is the object of no triple, so
    shapes that target only the ontology's own classes, with no SPARQL constraint and no
    inverse path over a property an axiom node has, find the same without the axioms'
    triples.
    """
    if any(p in _ANY_NODE for p in shapes.predicates()):
        return True
    if any(not str(c).startswith(TERMS) for c in shapes.objects(None, SH.targetClass)):
        return True
    walked = set(shapes.objects(None, SH.inversePath))
    if any(not isinstance(p, URIRef) for p in walked):
        return True  # a path inside an inverse path: not worth reading closely
    if not walked:
        return False
    values = " ".join(f"<{p}>" for p in walked)
    return bool(
        store.query(
            f"ASK {{ VALUES ?p {{ {values} }} ?axiom ?p ?o . ?axiom a <{OWL.Axiom}> }}",
            use_default_graph_as_union=False,
        )
    )


def _without_axioms(store: ox.Store) -> ox.Store:
    """A new store with the triples of *store* but those of its owl:Axiom nodes."""
    trimmed = ox.Store()
    trimmed.extend(
        ox.Quad(s, p, o)
        for s, p, o in store.query(
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o "
            f"FILTER NOT EXISTS {{ ?s a <{OWL.Axiom}> }} }}",
            use_default_graph_as_union=False,
        )
    )
    return trimmed


def _typed_strings(shapes: Graph) -> Graph:
    """The shapes with each plain literal written "x"^^xsd:string, the same RDF 1.1 term.

    pyshacl-turbo 0.6 reads a store's strings as "x"^^xsd:string and compares them term for
    term with the shapes' values, where rdflib keeps "x" apart from "x"^^xsd:string: without
    this, ``sh:in ( "SFT" "RLHF" )`` would refuse every "SFT".
    """
    typed = Graph()
    for s, p, o in shapes:
        if isinstance(o, RdfLiteral) and o.language is None and o.datatype is None:
            o = RdfLiteral(str(o), datatype=XSD.string)
        typed.add((s, p, o))
    return typed


def _shacl_report_findings(results: Graph) -> list[Finding]:
    """One finding per sh:ValidationResult of a SHACL report graph, sorted."""
    findings = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        message = results.value(result, SH.resultMessage)
        if message is None:
            component = results.value(result, SH.sourceConstraintComponent)
            shape = results.value(result, SH.sourceShape)
            message = f"fails {short_iri(str(component))} of {short_iri(str(shape))}"
        text = str(message)
        if value is not None and value != focus:
            text += f" (value: {short_iri(str(value))})"
        severity = _SHACL_SEVERITY.get(results.value(result, SH.resultSeverity), "info")
        prop = str(path) if isinstance(path, URIRef) else ""
        findings.append(Finding(severity, "shacl", str(focus), prop, text))
    return sorted(findings, key=lambda f: (SEVERITIES.index(f.severity), f.entity, f.message))
