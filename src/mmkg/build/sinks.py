"""Where a build's triples go: an Oxigraph store (any size) or an rdflib graph (small graphs,
the library API). The builder makes Oxigraph terms; each sink takes them as it needs them.

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> sink = StoreSink(store)
>>> triple = (ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("x", language="en"))
>>> sink(triple)
>>> sink(triple)
>>> sink.flush()
>>> [str(q) for q in store]
['<urn:a> <urn:p> "x"@en']
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from mmkg.build.terms import Triple

__all__ = ["GraphSink", "StoreSink", "from_oxigraph", "store_of", "to_oxigraph"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@lru_cache(maxsize=1 << 16)
def _named(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def to_oxigraph(term: Any) -> ox.NamedNode | ox.BlankNode | ox.Literal:  # noqa: ANN401
    """The Oxigraph term of an rdflib IRI, blank node or literal, with the same lexical form."""
    if isinstance(term, URIRef):
        return _named(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=_named(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def from_oxigraph(term: Any) -> URIRef | BNode | Literal:  # noqa: ANN401
    """The rdflib term of an Oxigraph IRI, blank node or literal, with the same lexical form.

    >>> from_oxigraph(ox.Literal("9000.0", datatype=ox.NamedNode(
    ...     "http://www.w3.org/2001/XMLSchema#decimal"))).n3()
    '"9000.0"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))
    raise TypeError(f"not an Oxigraph term: {term!r}")


def store_of(graph: Graph) -> ox.Store:
    """A new in-memory Oxigraph store holding the triples of an rdflib *graph*."""
    store = ox.Store()
    store.extend(ox.Quad(*map(to_oxigraph, triple)) for triple in graph)
    return store


class StoreSink:
    """Takes Oxigraph triples one at a time and adds them to a pyoxigraph store in batches."""

    def __init__(self, store: ox.Store, batch: int = 50_000) -> None:
        self.store = store
        self.size = batch
        self.pending: list[Triple] = []

    def __call__(self, triple: Triple) -> None:
        self.pending.append(triple)
        if len(self.pending) >= self.size:
            self.flush()

    def flush(self) -> None:
        """Add the pending triples to the store (a triple already there is not added twice)."""
        self.store.extend(ox.Quad(s, p, o) for s, p, o in self.pending)
        self.pending.clear()


class GraphSink:
    """Takes Oxigraph triples one at a time and adds them to an rdflib graph."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.terms: dict[Any, URIRef | BNode | Literal] = {}

    def __call__(self, triple: Triple) -> None:
        terms = self.terms
        converted = []
        for term in triple:
            value = terms.get(term)
            if value is None:
                value = terms[term] = from_oxigraph(term)
            converted.append(value)
        self.graph.add(tuple(converted))  # type: ignore[arg-type]
