"""Where a build's triples go: an rdflib graph (small graphs, the library API) or an Oxigraph
store (any size), with rdflib's terms turned into Oxigraph's in batches.

>>> import pyoxigraph as ox
>>> from rdflib import Literal, URIRef
>>> store = ox.Store()
>>> sink = StoreSink(store)
>>> sink((URIRef("urn:a"), URIRef("urn:p"), Literal("x", lang="en")))
>>> sink((URIRef("urn:a"), URIRef("urn:p"), Literal("x", lang="en")))
>>> sink.flush()
>>> [str(q) for q in store]
['<urn:a> <urn:p> "x"@en']
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from mmkg.build.terms import Triple

__all__ = ["StoreSink", "to_oxigraph"]


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


class StoreSink:
    """Takes triples one at a time and adds them to a pyoxigraph store in batches."""

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
        convert = to_oxigraph
        self.store.extend(
            ox.Quad(convert(s), convert(p), convert(o), ox.DefaultGraph())
            for s, p, o in self.pending
        )
        self.pending.clear()
