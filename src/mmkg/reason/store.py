"""The graph to reason on, a store of it beside what the rules infer, and the written file.

Both engines read the same triples, and the inferred file is written from them and the
inferred class assertions alone, the same way whichever engine ran.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from mmkg.namespaces import DATA, TERMS
from mmkg.outputs import staged_file
from mmkg.reason.errors import ReasoningError

__all__ = [
    "ASSERTED",
    "INFERRED",
    "Asserted",
    "asserted_triples",
    "memberships",
    "ontology_triples",
    "write_triples",
]

#: The named graph that holds the input graph as given.
ASSERTED = ox.NamedNode("urn:mmkg:reason:asserted")
#: The named graph that holds every triple the rules derive (class and property assertions).
INFERRED = ox.NamedNode("urn:mmkg:reason:inferred")

_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".owl": ox.RdfFormat.RDF_XML,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
}
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_OWL = "http://www.w3.org/2002/07/owl#"
_CARDINALITIES = {
    _OWL + f"{bound}{kind}Cardinality" for bound in ("min", "max", "") for kind in ("Qualified", "")
}
_NON_NEGATIVE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")
#: What the subjects of the ontology's own axioms are declared as.
_ONTOLOGY_KINDS = [
    *(
        _OWL + k
        for k in (
            "Ontology",
            "Class",
            "Restriction",
            "ObjectProperty",
            "DatatypeProperty",
            "AnnotationProperty",
            "AllDisjointClasses",
            "TransitiveProperty",
            "FunctionalProperty",
            "SymmetricProperty",
        )
    ),
    "http://www.w3.org/2000/01/rdf-schema#Class",
    "http://www.w3.org/2000/01/rdf-schema#Datatype",
]
#: Prefixes for the inferred file when the graph came from a file.
PREFIXES = {
    "mmkg": TERMS,
    "id": DATA,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": _OWL,
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
}


class Asserted:
    """The graph to reason on: its triples as given, and a store of them for the rules.

    An Oxigraph store keeps typed literals as values and gives some back in another form (it
    gives ``"0"^^xsd:nonNegativeInteger`` back as an xsd:integer, which OWL 2 refuses in a
    cardinality), so HermiT and the written file read the triples as given, not the store.
    """

    def __init__(self, source: Graph | Path) -> None:
        self.ntriples = _read(source)
        self._store: ox.Store | None = None

    @property
    def store(self) -> ox.Store:
        """An in-memory store with the triples in its asserted graph (made on first use)."""
        if self._store is None:
            self._store = ox.Store()
            self._store.bulk_load(self.ntriples, ox.RdfFormat.N_TRIPLES, to_graph=ASSERTED)
        return self._store


def _read(source: Graph | Path) -> bytes:
    """The triples of an rdflib graph or of a graph file, as N-Triples."""
    if isinstance(source, Graph):
        return source.serialize(format="nt", encoding="utf-8")
    path = Path(source)
    if not path.is_file():
        raise ReasoningError(f"{path}: no such graph file")
    rdf_format = _FORMATS.get(path.suffix.lower(), ox.RdfFormat.TURTLE)
    try:
        return ox.serialize(ox.parse(path=path, format=rdf_format), format=ox.RdfFormat.N_TRIPLES)
    except (SyntaxError, ValueError) as exc:
        raise ReasoningError(f"{path}: cannot be read as RDF: {exc}") from exc


def asserted_triples(store: ox.Store) -> int:
    """The number of triples in the asserted graph."""
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ASSERTED} {{ ?s ?p ?o }} }}"
    solution = next(iter(store.query(query)))
    return int(solution["n"].value)


def memberships(store: ox.Store, graphs: list[ox.NamedNode]) -> set[tuple[str, str]]:
    """(individual, class) for each class of mmkg that *graphs* put a named individual in."""
    query = f'SELECT ?s ?c WHERE {{ ?s a ?c . FILTER(isIRI(?s) && STRSTARTS(STR(?c), "{TERMS}")) }}'
    solutions = store.query(query, default_graph=graphs)  # type: ignore[arg-type]
    return {(s["s"].value, s["c"].value) for s in solutions}  # type: ignore[index]


def ontology_triples(store: ox.Store) -> bytes:
    """The ontology alone as N-Triples: the triples about its declared classes and properties,
    axioms and header, and the blank nodes they reach, without the data."""
    rdf_type = _RDF_TYPE
    todo: list[ox.Term] = []
    for kind in _ONTOLOGY_KINDS:
        quads = store.quads_for_pattern(None, rdf_type, ox.NamedNode(kind), ASSERTED)
        todo.extend(q.subject for q in quads)
    seen: set[ox.Term] = set()
    triples: list[ox.Triple] = []
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for quad in store.quads_for_pattern(node, None, None, ASSERTED):
            triples.append(quad.triple)
            if isinstance(quad.object, ox.BlankNode):
                todo.append(quad.object)
    return ox.serialize(map(_as_given, triples), format=ox.RdfFormat.N_TRIPLES)


def _as_given(triple: ox.Triple) -> ox.Triple:
    """A triple of the ontology with a cardinality typed as OWL 2 requires (the store's
    xsd:integer back to xsd:nonNegativeInteger)."""
    if triple.predicate.value in _CARDINALITIES and isinstance(triple.object, ox.Literal):
        number = ox.Literal(triple.object.value, datatype=_NON_NEGATIVE)
        return ox.Triple(triple.subject, triple.predicate, number)
    return triple


def write_triples(ntriples: bytes, added: list[tuple[str, str]], path: Path) -> int:
    """Write the triples plus the class assertions *added* as Turtle; return how many."""
    count = 0

    def triples() -> Iterator[ox.Triple]:
        nonlocal count
        for triple in ox.parse(ntriples, ox.RdfFormat.N_TRIPLES):
            count += 1
            yield triple  # type: ignore[misc]
        for subject, cls in added:
            count += 1
            yield ox.Triple(ox.NamedNode(subject), _RDF_TYPE, ox.NamedNode(cls))

    with staged_file(path) as staging:
        ox.serialize(triples(), staging, ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return count
