"""The hand-edited ontology: every term declared, labelled and defined; OWL 2 DL datatypes."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, XSD

from mmkg.namespaces import MMKG, ONTOLOGY_IRI, SKOS
from mmkg.paths import ONTOLOGY_FILE

DECLARATIONS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}


@pytest.fixture(scope="module")
def tbox() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def _terms() -> list[URIRef]:
    return [MMKG[name] for name in MMKG.__annotations__]


@pytest.mark.parametrize("term", _terms(), ids=lambda t: str(t).rsplit("#", 1)[-1])
def test_every_term_is_declared_labelled_and_defined(tbox: Graph, term: URIRef) -> None:
    kinds = set(tbox.objects(term, RDF.type)) & DECLARATIONS
    assert len(kinds) == 1, f"{term}: declared as {kinds}"
    assert len(list(tbox.objects(term, RDFS.label))) == 1
    assert len(list(tbox.objects(term, SKOS.definition))) == 1


def test_no_undeclared_mmkg_terms(tbox: Graph) -> None:
    declared = {s for s in tbox.subjects() if str(s).startswith(str(MMKG._NS))}
    assert declared == set(_terms())


def test_reused_properties_are_declared(tbox: Graph) -> None:
    used = {p for _, p, _ in tbox} | {
        p for p in (DCTERMS.source, SKOS.altLabel, SKOS.editorialNote, SKOS.note)
    }
    for prop in used:
        if str(prop).startswith((str(DCTERMS), str(SKOS))):
            assert (prop, RDF.type, None) in tbox, prop


def test_only_owl2_datatypes(tbox: Graph) -> None:
    ranges = {o for o in tbox.objects(None, RDFS.range) if str(o).startswith(str(XSD))}
    assert not ranges & {XSD.date, XSD.gYear, XSD.gYearMonth}
    assert ranges <= {
        XSD.string,
        XSD.integer,
        XSD.decimal,
        XSD.boolean,
        XSD.dateTime,
        XSD.anyURI,
        XSD.nonNegativeInteger,
    }


def test_ontology_header(tbox: Graph) -> None:
    onto = URIRef(ONTOLOGY_IRI)
    assert (onto, RDF.type, OWL.Ontology) in tbox
    for prop in (
        OWL.versionIRI,
        DCTERMS.title,
        DCTERMS.description,
        DCTERMS.license,
        DCTERMS.creator,
        DCTERMS.bibliographicCitation,
    ):
        assert (onto, prop, None) in tbox, prop


def test_labels_are_unique(tbox: Graph) -> None:
    labels = [str(o) for s, o in tbox.subject_objects(RDFS.label)]
    assert len(labels) == len(set(labels))
