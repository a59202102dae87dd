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
    # version IRI, version and dates are the release's to write, from the package version and
    # the changelog (tests/test_release.py); the hand-edited source carries none of them
    for prop in (OWL.versionIRI, OWL.versionInfo, OWL.priorVersion, DCTERMS.issued):
        assert (onto, prop, None) not in tbox, prop
    assert all(isinstance(c, URIRef) for c in tbox.objects(onto, DCTERMS.creator))
    for prop in (
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


def test_the_sssom_mappings_and_the_ontology_say_the_same() -> None:
    """ontology/mappings.sssom.tsv and the SKOS mapping links of the ontology agree row by row."""
    import csv

    path = ONTOLOGY_FILE.parent / "mappings.sssom.tsv"
    text = path.read_text(encoding="utf-8")
    header = [line[2:] for line in text.splitlines() if line.startswith("# ")]
    prefixes = dict(
        line.strip().split(": ", 1) for line in header if line.startswith("  ") and ": " in line
    )
    assert {"mmkg", "mls", "fair4ml", "schema", "prov", "skos", "semapv"} <= set(prefixes)
    assert any(line.startswith("mapping_set_id: https://") for line in header)
    assert any(line.startswith("license: https://") for line in header)
    body = [line for line in text.splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(body, delimiter="\t"))
    assert len(rows) >= 10

    def expand(curie: str) -> URIRef:
        prefix, local = curie.split(":", 1)
        return URIRef(prefixes[prefix] + local)

    tbox = Graph().parse(ONTOLOGY_FILE)
    predicates = {SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch}
    stated = {(s, p, o) for p in predicates for s, o in tbox.subject_objects(p)}
    listed = {
        (expand(r["subject_id"]), expand(r["predicate_id"]), expand(r["object_id"])) for r in rows
    }
    assert listed == stated
    for row in rows:
        subject = expand(row["subject_id"])
        assert (subject, None, None) in tbox, row["subject_id"]
        assert str(tbox.value(subject, RDFS.label)) == row["subject_label"]
        assert row["mapping_justification"] == "semapv:ManualMappingCuration"
        assert row["comment"].strip()
    for prop in predicates & {p for _, p, _ in stated}:
        assert (prop, RDF.type, OWL.AnnotationProperty) in tbox, prop
    assert (
        MMKG.Organisation,
        RDFS.subClassOf,
        URIRef("http://www.w3.org/ns/prov#Organization"),
    ) in tbox


def test_deprecated_terms_follow_the_deprecation_policy(tbox: Graph) -> None:
    """Withdrawn, not deleted: labelled obsolete, no logical axioms, a replacement named."""
    replaced_by = URIRef("http://purl.obolibrary.org/obo/IAO_0100001")
    deprecated = set(tbox.subjects(OWL.deprecated, None))
    assert {MMKG.ModalityEncoder, MMKG.LLMBackbone, MMKG.OutputProjector} <= deprecated
    logical = (RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith, RDFS.domain, RDFS.range)
    for term in deprecated:
        assert str(tbox.value(term, RDFS.label)).startswith("obsolete "), term
        successor = tbox.value(term, replaced_by)
        assert successor is not None and successor not in deprecated, term
        assert (successor, RDF.type, OWL.Class) in tbox, successor
        assert not [p for p in logical if (term, p, None) in tbox], term
        assert not [s for p in logical for s in tbox.subjects(p, term)], term
    header = tbox.value(URIRef(ONTOLOGY_IRI), SKOS.scopeNote)
    assert header is not None and "owl:deprecated" in header and "IAO:0100001" in header
