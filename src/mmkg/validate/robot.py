"""An ontology report after ROBOT's ``report`` (its default profile): the ontology's terms and
header, and the labels and annotations of the graph's individuals."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from mmkg.errors import relative
from mmkg.namespaces import SKOS, TERMS
from mmkg.validate.report import Finding, short_iri

__all__ = ["IAO_DEFINITION", "ontology_findings"]

_TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
IAO_DEFINITION = URIRef("http://purl.obolibrary.org/obo/IAO_0000115")
# Annotation properties whose values must be IRIs, never literals.
_IRI_VALUED = {DCTERMS.license, DCTERMS.source, RDFS.isDefinedBy, RDFS.seeAlso, OWL.versionIRI}
_LABEL = str(RDFS.label)
_DEFINITION = str(IAO_DEFINITION)  # what ROBOT's report reads as a definition


def _label_checks(graph: Graph, subjects: Iterable[URIRef], file: str | None) -> Iterator[Finding]:
    """missing_label, label_whitespace, label_formatting and multiple_labels."""
    for entity in sorted(subjects):
        labels = sorted(graph.objects(entity, RDFS.label), key=str)
        if not labels:
            yield Finding("error", "robot:missing_label", entity, _LABEL, "has no rdfs:label", file)
        per_language: dict[str | None, int] = defaultdict(int)
        for label in labels:
            text = str(label)
            per_language[getattr(label, "language", None)] += 1
            if text != text.strip() or re.search(r"\s\s", text):
                message = f"the label {text!r} has leading, trailing or doubled white space"
                yield Finding("error", "robot:label_whitespace", entity, _LABEL, message, file)
            if "\n" in text or "\t" in text:
                message = f"the label {text!r} contains a line break or a tab"
                yield Finding("error", "robot:label_formatting", entity, _LABEL, message, file)
        for language, count in per_language.items():
            if count > 1:
                shown = "; ".join(repr(str(label)) for label in labels)
                message = f"has {count} labels in language '{language or 'none'}': {shown}"
                yield Finding("error", "robot:multiple_labels", entity, _LABEL, message, file)


def _duplicates(
    graph: Graph, subjects: Iterable[URIRef], prop: URIRef
) -> Iterator[tuple[URIRef, str, str]]:
    """(entity, value, others) for each value of *prop* that two of *subjects* share."""
    holders: dict[Any, set[URIRef]] = defaultdict(set)
    for entity in subjects:
        for value in graph.objects(entity, prop):
            holders[value].add(entity)
    for value, entities in sorted(holders.items(), key=lambda item: str(item[0])):
        for entity in sorted(entities):
            others = ", ".join(short_iri(e) for e in sorted(entities) if e != entity)
            if others:
                yield entity, str(value), others


def _term_checks(ontology: Graph, terms: set[URIRef], file: str) -> Iterator[Finding]:
    """The checks on the ontology's classes and properties."""
    deprecated = set(ontology.subjects(OWL.deprecated, RdfLiteral(True)))
    for term in sorted(terms - deprecated):
        definitions = list(ontology.objects(term, IAO_DEFINITION))
        if not definitions:
            message = "this class or property has no definition (IAO:0000115, as ROBOT reads it)"
            yield Finding("error", "robot:missing_definition", term, _DEFINITION, message, file)
        if set(definitions) != set(ontology.objects(term, SKOS.definition)):
            message = "its skos:definition and IAO:0000115 differ; give both, word for word"
            yield Finding("error", "definition_mismatch", term, _DEFINITION, message, file)
        languages = [getattr(d, "language", None) for d in definitions]
        if len(set(languages)) < len(languages):
            message = f"has {len(definitions)} definitions in one language"
            yield Finding("error", "robot:multiple_definitions", term, _DEFINITION, message, file)
        if any(str(d)[:1].islower() for d in definitions):
            message = "the definition starts with a lower-case letter"
            yield Finding("info", "robot:lowercase_definition", term, _DEFINITION, message, file)
        is_class = (term, RDF.type, OWL.Class) in ontology
        if is_class and term.startswith(TERMS) and not set(ontology.objects(term, RDFS.subClassOf)):
            if not set(ontology.objects(term, OWL.equivalentClass)):
                message = "this class has no asserted superclass"
                prop = str(RDFS.subClassOf)
                yield Finding("info", "robot:missing_superclass", term, prop, message, file)
    for entity, text, others in _duplicates(ontology, terms, RDFS.label):
        message = f"the label {text!r} is also the label of {others}"
        yield Finding("error", "robot:duplicate_label", entity, _LABEL, message, file)
    for entity, _, others in _duplicates(ontology, terms, SKOS.definition):
        message = f"the definition is also the definition of {others}"
        yield Finding("error", "robot:duplicate_definition", entity, _DEFINITION, message, file)


def _header_checks(ontology: Graph, file: str) -> Iterator[Finding]:
    """missing_ontology_title, missing_ontology_description and missing_ontology_license."""
    headers = [s for s in ontology.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef)]
    if not headers:
        message = "the ontology file declares no owl:Ontology header"
        yield Finding("error", "robot:missing_ontology_header", "", str(RDF.type), message, file)
    for header in headers:
        for name, prop in (("title", DCTERMS.title), ("description", DCTERMS.description)):
            if ontology.value(header, prop) is None:
                message = f"the ontology header has no {name} (dcterms:{name})"
                yield Finding(
                    "error", f"robot:missing_ontology_{name}", header, prop, message, file
                )
        if ontology.value(header, DCTERMS.license) is None:
            message = "the ontology header has no license (dcterms:license)"
            check = "robot:missing_ontology_license"
            yield Finding("error", check, header, str(DCTERMS.license), message, file)


def _annotation_checks(
    graph: Graph, annotations: set[URIRef], subjects: set[URIRef], file: str | None
) -> Iterator[Finding]:
    """annotation_whitespace, and literal_where_iri_expected for license, source and the like."""
    for s in sorted(subjects):
        for p, o in sorted(graph.predicate_objects(s), key=lambda po: (po[0], str(po[1]))):
            if not isinstance(o, RdfLiteral):
                continue
            if p in _IRI_VALUED:
                message = f"{short_iri(p)} takes an IRI, but its value is the literal {str(o)!r}"
                yield Finding("error", "robot:literal_where_iri_expected", s, p, message, file)
            elif p in annotations and p != RDFS.label and str(o) != str(o).strip():
                message = f"the value {str(o)[:60]!r} has leading or trailing white space"
                yield Finding("warning", "robot:annotation_whitespace", s, p, message, file)


def _deprecated_checks(ontology: Graph, graph: Graph, terms: set[URIRef]) -> Iterator[Finding]:
    """deprecated_class_reference and deprecated_property_reference; none if none deprecated."""
    for term in sorted(terms & set(ontology.subjects(OWL.deprecated, RdfLiteral(True)))):
        kind = "class" if (term, RDF.type, OWL.Class) in ontology else "property"
        users = {
            s
            for p in (RDF.type, RDFS.subClassOf, RDFS.subPropertyOf)
            for s in graph.subjects(p, term)
        }
        users |= {s for s, _ in graph.subject_objects(term)}
        for user in sorted(u for u in users if isinstance(u, URIRef) and u != term):
            message = f"refers to the deprecated {kind} {short_iri(term)}"
            yield Finding("error", f"robot:deprecated_{kind}_reference", user, term, message)


def _individual_checks(
    graph: Graph, individuals: set[URIRef], terms: set[URIRef]
) -> Iterator[Finding]:
    """The label checks on individuals, and labels an individual shares with any entity.

    ROBOT's duplicate_label is an ERROR for two entities of one file with the same label,
    whatever their types (a model and a publication both called "Yi-VL" count).
    """
    yield from _label_checks(graph, individuals, None)
    holders: dict[str, set[URIRef]] = defaultdict(set)
    for entity in individuals | terms:
        for value in graph.objects(entity, RDFS.label):
            holders[str(value)].add(entity)
    for text, entities in sorted(holders.items()):
        for entity in sorted(entities & individuals):
            others = ", ".join(short_iri(e) for e in sorted(entities) if e != entity)
            if others:
                message = f"the label {text!r} is also the label of {others}"
                yield Finding("error", "robot:duplicate_label", entity, _LABEL, message)


def ontology_findings(ontology: Graph, graph: Graph, ontology_file: Path) -> list[Finding]:
    """ROBOT-style report checks on the ontology's terms and header and the graph's individuals."""
    file = relative(ontology_file)
    terms = {
        s for t in _TERM_TYPES for s in ontology.subjects(RDF.type, t) if isinstance(s, URIRef)
    }
    header = set(ontology.subjects(RDF.type, OWL.Ontology))
    in_ontology = {s for s in ontology.subjects() if isinstance(s, URIRef)} | terms
    described = {s for s, p, _ in ontology if isinstance(s, URIRef) and p != RDF.type} | terms
    individuals = {
        s for s, p, _ in graph if isinstance(s, URIRef) and p != RDF.type and s not in in_ontology
    } | {s for s in graph.subjects(RDF.type, OWL.NamedIndividual) if isinstance(s, URIRef)}
    annotations = set(ontology.subjects(RDF.type, OWL.AnnotationProperty))
    return [
        *_header_checks(ontology, file),
        *_label_checks(ontology, described - header, file),
        *_term_checks(ontology, terms, file),
        *_annotation_checks(ontology, annotations, in_ontology, file),
        *_individual_checks(graph, individuals, terms),
        *_annotation_checks(graph, annotations, individuals, None),
        *_deprecated_checks(ontology, graph, terms),
    ]
