"""A VoID and DCAT description of the release: the dataset, its partitions and every file."""

from __future__ import annotations

import hashlib
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID, XSD

from mmkg.layers import DATA_IRI, FULL_DESCRIPTION, FULL_TITLE, OntologyHeader
from mmkg.namespaces import DATA, ONTOLOGY_IRI, PROV, SKOS, VANN
from mmkg.release.changelog import ReleaseDates

__all__ = ["void_description", "DESCRIPTIONS", "MEDIA_TYPES"]

ADMS = Namespace("http://www.w3.org/ns/adms#")
DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3; not in rdflib's DCAT namespace
SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA = "https://www.iana.org/assignments/media-types/"
MEDIA_TYPES = {
    ".owl": "application/rdf+xml",
    ".ttl": "text/turtle",
    ".jsonld": "application/ld+json",
    ".xml": "application/xml",
    ".html": "text/html",
    ".md": "text/markdown",
    ".tsv": "text/tab-separated-values",
    "": "text/plain",
}
DESCRIPTIONS = {
    "mmkg-ontology.owl": "The ontology (TBox) alone, in RDF/XML: the terms, no data.",
    "mmkg-ontology.ttl": "The ontology (TBox) alone, in Turtle.",
    "mmkg-data.owl": "The data (ABox) alone, in RDF/XML; it imports the ontology.",
    "mmkg-data.ttl": "The data (ABox) alone, in Turtle; it imports the ontology.",
    "mmkg.owl": "The full graph, ontology and data merged, in RDF/XML: open this one in Protégé.",
    "mmkg.ttl": "The full graph, ontology and data merged, in Turtle.",
    "mmkg.jsonld": "The full graph, ontology and data merged, in JSON-LD.",
    "shapes.ttl": "SHACL shapes that the data is validated against.",
    "mmkg.sssom.tsv": "SSSOM mappings of the terms to ML Schema, FAIR4ML, schema.org, PROV.",
    "catalog-v001.xml": "XML catalog mapping every ontology and version IRI to these files.",
    "docs/index.html": "HTML documentation of the ontology, made with pyLODE.",
    "VERSION": "The release's version number.",
    "CHANGELOG.md": "What changed in each release.",
}
DATA_DUMPS = {"mmkg.owl", "mmkg.ttl", "mmkg.jsonld"}


def void_description(
    graph: Graph, folder: Path, header: OntologyHeader, release: ReleaseDates, entry: str
) -> Graph:
    """A VoID and DCAT description of the dataset and of every file of the release."""
    void = Graph()
    for prefix, ns in (
        ("void", VOID),
        ("dcat", DCAT),
        ("dcterms", DCTERMS),
        ("adms", ADMS),
        ("spdx", SPDX),
        ("owl", OWL),
        ("xsd", XSD),
    ):
        void.bind(prefix, ns)
    node = URIRef(DATA_IRI)
    for kind in (DCAT.Dataset, VOID.Dataset):
        void.add((node, RDF.type, kind))
    void.add((node, DCTERMS.title, Literal(FULL_TITLE, lang="en")))
    void.add((node, DCTERMS.description, Literal(FULL_DESCRIPTION, lang="en")))
    if header.license is not None:
        void.add((node, DCTERMS.license, header.license))
    for creator in header.creators:
        void.add((node, DCTERMS.creator, creator))
    for source in header.sources:
        void.add((node, DCTERMS.source, source))
    void.add((node, DCAT_VERSION, Literal(release.version)))
    void.add((node, OWL.versionInfo, Literal(release.version)))
    void.add((node, ADMS.versionNotes, Literal(entry, lang="en")))
    void.add((node, DCTERMS.issued, release.literal(release.issued)))
    void.add((node, DCTERMS.modified, release.literal(release.modified)))
    void.add((node, DCTERMS.conformsTo, URIRef(ONTOLOGY_IRI)))
    void.add((node, VOID.uriSpace, Literal(DATA)))
    for vocabulary in (ONTOLOGY_IRI + "#", str(PROV), str(SKOS), str(DCTERMS), str(VANN)):
        void.add((node, VOID.vocabulary, URIRef(vocabulary)))

    individuals = {s for s in graph.subjects(RDF.type, OWL.NamedIndividual)}
    classes: dict[URIRef, set] = {}
    for s, o in graph.subject_objects(RDF.type):
        if s in individuals and isinstance(o, URIRef) and o != OWL.NamedIndividual:
            classes.setdefault(o, set()).add(s)
    properties: dict[URIRef, int] = {}
    for p in graph.predicates():
        properties[p] = properties.get(p, 0) + 1  # type: ignore[index]
    _count(void, node, VOID.triples, len(graph))
    _count(void, node, VOID.entities, len(individuals))
    _count(void, node, VOID.classes, len(classes))
    _count(void, node, VOID.properties, len(properties))
    _count(void, node, VOID.distinctSubjects, len(set(graph.subjects())))
    _count(void, node, VOID.distinctObjects, len(set(graph.objects())))
    for cls in sorted(classes):
        part = BNode()
        void.add((node, VOID.classPartition, part))
        void.add((part, VOID["class"], cls))
        _count(void, part, VOID.entities, len(classes[cls]))
    for prop in sorted(properties):
        part = BNode()
        void.add((node, VOID.propertyPartition, part))
        void.add((part, VOID.property, prop))
        _count(void, part, VOID.triples, properties[prop])

    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        dist = BNode()
        void.add((node, DCAT.distribution, dist))
        void.add((dist, RDF.type, DCAT.Distribution))
        void.add((dist, DCTERMS.title, Literal(name)))
        if name in DESCRIPTIONS:
            void.add((dist, DCTERMS.description, Literal(DESCRIPTIONS[name], lang="en")))
        void.add((dist, DCAT.downloadURL, URIRef(name)))
        void.add((dist, DCAT.mediaType, URIRef(IANA + MEDIA_TYPES[path.suffix])))
        void.add(
            (dist, DCAT.byteSize, Literal(path.stat().st_size, datatype=XSD.nonNegativeInteger))
        )
        checksum = BNode()
        void.add((dist, SPDX.checksum, checksum))
        void.add((checksum, RDF.type, SPDX.Checksum))
        void.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        void.add((checksum, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary)))
        if name in DATA_DUMPS:
            void.add((node, VOID.dataDump, URIRef(name)))
    return void


def _count(graph: Graph, node: URIRef | BNode, prop: URIRef, number: int) -> None:
    graph.add((node, prop, Literal(number, datatype=XSD.integer)))
