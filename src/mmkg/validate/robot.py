"""An ontology report after ROBOT's ``report`` (its default profile): the ontology's terms and
header, and the labels and annotations of the graph's individuals."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from mmkg.build.sinks import from_oxigraph, store_of
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


def _label_checks(
    labels: Mapping[URIRef, list[Any]], subjects: Iterable[URIRef], file: str | None
) -> Iterator[Finding]:
    """missing_label, label_whitespace, label_formatting and multiple_labels."""
    for entity in sorted(subjects):
        entity_labels = sorted(labels.get(entity, ()), key=str)
        if not entity_labels:
            yield Finding("error", "robot:missing_label", entity, _LABEL, "has no rdfs:label", file)
        per_language: dict[str | None, int] = defaultdict(int)
        for label in entity_labels:
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
                shown = "; ".join(repr(str(label)) for label in entity_labels)
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
    rows: Iterable[tuple[URIRef, URIRef, Any]], annotations: set[URIRef], file: str | None
) -> Iterator[Finding]:
    """annotation_whitespace, and literal_where_iri_expected for license, source and the like.

    *rows* are the triples with a literal object of the entities checked, in the order of
    the findings: by subject, property and value.
    """
    for s, p, o in rows:
        if p in _IRI_VALUED:
            message = f"{short_iri(p)} takes an IRI, but its value is the literal {str(o)!r}"
            yield Finding("error", "robot:literal_where_iri_expected", s, p, message, file)
        elif p in annotations and p != RDFS.label and str(o) != str(o).strip():
            message = f"the value {str(o)[:60]!r} has leading or trailing white space"
            yield Finding("warning", "robot:annotation_whitespace", s, p, message, file)


def _deprecated_checks(ontology: Graph, data: _DataView, terms: set[URIRef]) -> Iterator[Finding]:
    """deprecated_class_reference and deprecated_property_reference; none if none deprecated."""
    for term in sorted(terms & set(ontology.subjects(OWL.deprecated, RdfLiteral(True)))):
        kind = "class" if (term, RDF.type, OWL.Class) in ontology else "property"
        for user in sorted(u for u in data.users_of(term) if u != term):
            message = f"refers to the deprecated {kind} {short_iri(term)}"
            yield Finding("error", f"robot:deprecated_{kind}_reference", user, term, message)


def _individual_checks(
    labels: Mapping[URIRef, list[Any]], individuals: set[URIRef], terms: set[URIRef]
) -> Iterator[Finding]:
    """The label checks on individuals, and labels an individual shares with any entity.

    ROBOT's duplicate_label is an ERROR for two entities of one file with the same label,
    whatever their types (a model and a publication both called "Yi-VL" count).
    """
    yield from _label_checks(labels, individuals, None)
    holders: dict[str, set[URIRef]] = defaultdict(set)
    for entity in individuals | terms:
        for value in labels.get(entity, ()):
            holders[str(value)].add(entity)
    for text, entities in sorted(holders.items()):
        for entity in sorted(entities & individuals):
            others = ", ".join(short_iri(e) for e in sorted(entities) if e != entity)
            if others:
                message = f"the label {text!r} is also the label of {others}"
                yield Finding("error", "robot:duplicate_label", entity, _LABEL, message)


class _DataView:
    """What the report reads of the data graph, asked of an Oxigraph store in a few queries.

    A whole graph read triple by triple through rdflib took 22 s at 10,000 models; these
    queries take seconds, and the findings are the same (tested on the real graph and on
    broken copies of it, through both entry points).
    """

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def _rows(self, query: str) -> Iterator[tuple[Any, ...]]:
        for solution in self.store.query(query, use_default_graph_as_union=False):
            yield tuple(from_oxigraph(term) for term in solution)

    def labels(self) -> dict[URIRef, list[Any]]:
        """Every IRI's labels."""
        labels: dict[URIRef, list[Any]] = defaultdict(list)
        query = f"SELECT ?s ?label WHERE {{ ?s <{RDFS.label}> ?label FILTER(isIRI(?s)) }}"
        for entity, label in self._rows(query):
            labels[entity].append(label)
        return labels

    def individuals(self, in_ontology: set[URIRef]) -> set[URIRef]:
        """The IRIs described beyond their type that the ontology does not name, and every
        owl:NamedIndividual."""
        described = self._rows(
            f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && ?p != <{RDF.type}>) }}"
        )
        named = self._rows(
            f"SELECT ?s WHERE {{ ?s <{RDF.type}> <{OWL.NamedIndividual}> FILTER(isIRI(?s)) }}"
        )
        return {s for (s,) in described if s not in in_ontology} | {s for (s,) in named}

    def literal_rows(
        self, properties: set[URIRef], subjects: set[URIRef]
    ) -> list[tuple[URIRef, URIRef, Any]]:
        """The triples of *subjects* with one of *properties* and a literal object, sorted."""
        values = " ".join(f"<{p}>" for p in sorted(properties))
        query = (
            f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o "
            "FILTER(isIRI(?s) && isLiteral(?o)) }"
        )
        rows = [row for row in self._rows(query) if row[0] in subjects]
        return sorted(rows, key=lambda row: (row[0], row[1], str(row[2])))

    def users_of(self, term: URIRef) -> set[URIRef]:
        """The IRIs typed, sub-classed or sub-propertied by *term*, or using it as a property."""
        query = (
            "SELECT DISTINCT ?s WHERE { { VALUES ?p { "
            f"<{RDF.type}> <{RDFS.subClassOf}> <{RDFS.subPropertyOf}> }} ?s ?p <{term}> }}"
            f" UNION {{ ?s <{term}> ?o }} FILTER(isIRI(?s)) }}"
        )
        return {s for (s,) in self._rows(query)}


def ontology_findings(
    ontology: Graph, data: Graph | ox.Store, ontology_file: Path
) -> list[Finding]:
    """ROBOT-style report checks on the ontology's terms and header and the data's individuals.

    *data* is the whole graph (the ontology's triples and the data's), in an Oxigraph store
    or an rdflib graph (copied into one).
    """
    file = relative(ontology_file)
    view = _DataView(data if isinstance(data, ox.Store) else store_of(data))
    terms = {
        s for t in _TERM_TYPES for s in ontology.subjects(RDF.type, t) if isinstance(s, URIRef)
    }
    header = set(ontology.subjects(RDF.type, OWL.Ontology))
    in_ontology = {s for s in ontology.subjects() if isinstance(s, URIRef)} | terms
    described = {s for s, p, _ in ontology if isinstance(s, URIRef) and p != RDF.type} | terms
    annotations = set(ontology.subjects(RDF.type, OWL.AnnotationProperty))
    ontology_labels: dict[URIRef, list[Any]] = defaultdict(list)
    for entity, label in ontology.subject_objects(RDFS.label):
        ontology_labels[entity].append(label)  # type: ignore[index]
    ontology_rows = sorted(
        ((s, p, o) for s, p, o in ontology if s in in_ontology and isinstance(o, RdfLiteral)),
        key=lambda row: (row[0], row[1], str(row[2])),
    )
    individuals = view.individuals(in_ontology)
    return [
        *_header_checks(ontology, file),
        *_label_checks(ontology_labels, described - header, file),
        *_term_checks(ontology, terms, file),
        *_annotation_checks(ontology_rows, annotations, file),
        *_individual_checks(view.labels(), individuals, terms),
        *_annotation_checks(
            view.literal_rows(annotations | _IRI_VALUED, individuals), annotations, None
        ),
        *_deprecated_checks(ontology, view, terms),
    ]
