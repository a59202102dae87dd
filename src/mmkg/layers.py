"""The three ontologies the project publishes, each under its own IRI, and how they are cut.

- the **ontology** (TBox), ``https://w3id.org/mmkg/ontology``: the terms, ``ontology/mmkg.ttl``;
- the **data** (ABox), ``https://w3id.org/mmkg/data``: the individuals and their facts, which
  ``owl:imports`` the ontology;
- the **full** graph, ``https://w3id.org/mmkg/mmkg.owl``: both merged into one ontology that
  imports nothing, what ``build/mmkg.owl`` and ``release/mmkg.owl`` hold (ODK's main release
  file, the "full" variant).

No two of them share an ontology IRI or a version IRI, so any two can be loaded together, and an
ontology that imports the ontology's IRI gets the terms alone.

>>> version_iri("mmkg-ontology.owl", "1.2.0", "2026-01-31")
rdflib.term.URIRef('https://w3id.org/mmkg/releases/1.2.0/2026-01-31/mmkg-ontology.owl')
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from mmkg.namespaces import ONTOLOGY_IRI

__all__ = [
    "DATA_IRI",
    "FULL_IRI",
    "RELEASES",
    "OntologyHeader",
    "ontology_header",
    "version_iri",
    "set_full_header",
    "data_layer",
]

DATA_IRI = "https://w3id.org/mmkg/data"
FULL_IRI = "https://w3id.org/mmkg/mmkg.owl"
RELEASES = "https://w3id.org/mmkg/releases/"

FULL_TITLE = "mmkg: a knowledge graph of multimodal large language models"
FULL_DESCRIPTION = (
    "The multimodal large language models of the MM-LLMs survey (Zhang et al., arXiv "
    "2401.13601), its tracking website, the models' own papers and the transformers library: "
    "their components and the role each plays, the modalities they read and write, their "
    "lineage, the datasets they were trained and tested on, their benchmark scores, and the "
    "papers, venues and organisations behind them. Every fact names its source."
)


@dataclass
class OntologyHeader:
    """What the ontology's hand-edited header says that the other two ontologies repeat."""

    license: URIRef | None = None
    creators: list[URIRef | Literal] = field(default_factory=list)
    sources: list[URIRef] = field(default_factory=list)


def ontology_header(tbox: Graph) -> OntologyHeader:
    """The licence, creators and sources that the ontology's header states."""
    node = URIRef(ONTOLOGY_IRI)
    license_ = tbox.value(node, DCTERMS.license)
    return OntologyHeader(
        license=license_ if isinstance(license_, URIRef) else None,
        creators=sorted(tbox.objects(node, DCTERMS.creator)),  # type: ignore[arg-type]
        sources=sorted(o for o in tbox.objects(node, DCTERMS.source) if isinstance(o, URIRef)),
    )


def version_iri(file_name: str, version: str, date: str) -> URIRef:
    """The version IRI of one release file: the package version and the release date in it."""
    return URIRef(f"{RELEASES}{version}/{date}/{file_name}")


def set_full_header(graph: Graph) -> None:
    """Give a graph that holds the ontology and the data the full graph's own header.

    The ontology's header (its IRI, version and annotations) is removed, so the full graph never
    claims the ontology's identity; licence, creators and sources carry over.
    """
    old = URIRef(ONTOLOGY_IRI)
    header = ontology_header(graph)
    graph.remove((old, None, None))
    node = URIRef(FULL_IRI)
    graph.add((node, RDF.type, OWL.Ontology))
    graph.add((node, RDFS.label, Literal("mmkg knowledge graph (full)", lang="en")))
    graph.add((node, DCTERMS.title, Literal(FULL_TITLE, lang="en")))
    graph.add((node, DCTERMS.description, Literal(FULL_DESCRIPTION, lang="en")))
    graph.add(
        (
            node,
            RDFS.comment,
            Literal(
                f"The full graph: every axiom of the mmkg ontology <{ONTOLOGY_IRI}> merged with "
                f"the data <{DATA_IRI}>. It imports nothing, so it loads on its own and offline.",
                lang="en",
            ),
        )
    )
    if header.license is not None:
        graph.add((node, DCTERMS.license, header.license))
    for creator in header.creators:
        graph.add((node, DCTERMS.creator, creator))
    for source in header.sources:
        graph.add((node, DCTERMS.source, source))


def data_layer(full: Graph, tbox: Graph) -> Graph:
    """The data alone: the triples of *full* that are neither the ontology's nor a header's.

    Both graphs must come from :func:`mmkg.outputs.canonical_graph`, which names a blank node
    by its content and place, so the ontology's class expressions carry the same names in both.
    The result keeps *full*'s order and has no header; the caller gives it one.
    """
    data = Graph(store="SimpleMemory")
    for prefix, namespace in full.namespaces():
        data.bind(prefix, namespace, override=True, replace=True)
    full_node = URIRef(FULL_IRI)
    for triple in full:
        if triple[0] != full_node and triple not in tbox:
            data.add(triple)
    return data
