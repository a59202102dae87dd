"""Records + ontology -> one graph with stable IRIs; serialisations written atomically.

The :class:`~mmkg.build.builder.Builder` turns loaded facts into triples and hands them to a
sink. ``mmkg build`` streams them into an Oxigraph store (:func:`build_store`) and writes
every serialisation with Oxigraph (:func:`write_store`), so no rdflib graph of the whole data
is ever made; :func:`build_graph` gives the same triples as an rdflib graph, for the release,
the reasoner and small graphs. The two are the same graph (tested: isomorphic).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from mmkg.build.builder import Builder
from mmkg.build.sinks import GraphSink, StoreSink, to_oxigraph
from mmkg.build.terms import (
    LINK_PROPERTY,
    PREFIXES,
    SERIALISATIONS,
    iri,
    parse_turtle,
)
from mmkg.errors import MmkgError
from mmkg.layers import set_full_header
from mmkg.load import Facts
from mmkg.namespaces import MMKG
from mmkg.outputs import canonical_graph, check_output_folder, staged_folder, write_graph

__all__ = [
    "BuildReport",
    "SERIALISATIONS",
    "build",
    "build_graph",
    "build_store",
    "iri",
    "parse_turtle",
    "write_build",
    "write_store",
]

_DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
#: Oxigraph's format for each file of build/
STORE_FORMATS = {
    "mmkg.ttl": ox.RdfFormat.TURTLE,
    "mmkg.owl": ox.RdfFormat.RDF_XML,
    "mmkg.nt": ox.RdfFormat.N_TRIPLES,
    "mmkg.jsonld": ox.RdfFormat.JSON_LD,
}
#: The classes whose members a build counts, by the name it prints.
COUNTED = {
    "models": MMKG.MultimodalLLM,
    "variants": MMKG.ModelVariant,
    "components": MMKG.Component,
    "component families": MMKG.ComponentFamily,
    "component usages": MMKG.ComponentUsage,
    "datasets": MMKG.Dataset,
    "organisations": MMKG.Organisation,
    "publications": MMKG.Publication,
    "evaluation results": MMKG.EvaluationResult,
}


@dataclass
class BuildReport:
    """What a build produced: counts per kind, triples, files, time taken, checks' warnings."""

    counts: dict[str, int]
    triples: int
    files: list[Path]
    seconds: float
    warnings: int = 0


def _check_link_kinds(facts: Facts) -> None:
    unmapped = sorted(set(facts.link_kinds) - set(LINK_PROPERTY))
    if unmapped:
        raise MmkgError(
            f"data/vocab/link-kinds.yaml: record '{unmapped[0]}', field 'slug': the link kind "
            "has no property of the ontology to state it with (hint: add the property to "
            "ontology/mmkg.ttl and the kind to LINK_PROPERTY in mmkg.build, or remove it)"
        )


def _counts(facts: Facts, builder: Builder, members: dict[URIRef, int]) -> dict[str, int]:
    counts = {name: members.get(cls, 0) for name, cls in COUNTED.items()}
    counts["detailed models"] = sum(1 for m in facts.models.values() if m.architecture is not None)
    links = builder.links
    counts["evolution links (model to model)"] = links["model"]
    counts["links suggested only by the names"] = links["suggested"]
    counts["derivation links (components, families, datasets)"] = (
        links["component"] + links["family"] + links["dataset"]
    )
    order = ["models", "detailed models", *list(COUNTED)[1:]]
    return {name: counts[name] for name in order} | counts


def _full_ontology(ontology: Path) -> Graph:
    """The ontology with the full graph's header, its blank nodes named from their content."""
    graph = canonical_graph(parse_turtle(ontology, "ontology"))
    set_full_header(graph)
    return graph


def build_graph(facts: Facts, ontology: Path) -> tuple[Graph, dict[str, int]]:
    """Turn loaded facts and the ontology into one rdflib graph; return it with counts per kind."""
    _check_link_kinds(facts)
    graph = _full_ontology(ontology)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    builder = Builder(facts, GraphSink(graph))
    builder.build()
    types = Counter(graph.objects(None, RDF.type))
    return graph, _counts(facts, builder, {cls: types[cls] for cls in COUNTED.values()})


def build_store(facts: Facts, ontology: Path) -> tuple[ox.Store, dict[str, int]]:
    """The same graph as :func:`build_graph`, streamed into an in-memory Oxigraph store."""
    _check_link_kinds(facts)
    store = ox.Store()
    sink = StoreSink(store)
    store.extend(ox.Quad(*map(to_oxigraph, triple)) for triple in _full_ontology(ontology))
    builder = Builder(facts, sink)
    builder.build()
    sink.flush()
    type_of = to_oxigraph(RDF.type)
    members = {
        cls: sum(1 for _ in store.quads_for_pattern(None, type_of, to_oxigraph(cls)))
        for cls in COUNTED.values()
    }
    return store, _counts(facts, builder, members)


def write_build(graph: Graph, out_dir: Path) -> list[Path]:
    """Serialise an rdflib *graph* into *out_dir*, replacing it once every file is written."""
    canonical = canonical_graph(graph)
    with staged_folder(out_dir, "build", carry_over=True) as staging:
        for name, fmt in SERIALISATIONS.items():
            write_graph(canonical, staging / name, fmt)
    return [out_dir.resolve() / name for name in SERIALISATIONS]


def write_store(store: ox.Store, ontology: Path, out_dir: Path) -> list[Path]:
    """Serialise the graph in *store* with Oxigraph into *out_dir*, once every file is written.

    A store keeps typed literals as values and writes some in another form (it writes the
    ontology's ``"0"^^xsd:nonNegativeInteger`` as an xsd:integer, which OWL 2 refuses in a
    cardinality, and ``9000.0`` as ``9000``), so the ontology's triples are written as the
    ontology file states them, the store gives only the data's, and a decimal gets back the
    point the builder gave it: the files hold the very literals of the rdflib build. Every
    blank node is named from its content and Oxigraph
    reads a store in an order fixed by its terms: the same data gives the same bytes.
    """
    tbox = [
        ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))
        for s, p, o in sorted(_full_ontology(ontology), key=lambda t: tuple(map(str, t)))
    ]
    scratch = ox.Store()
    scratch.extend(ox.Quad(t.subject, t.predicate, t.object) for t in tbox)
    stored_tbox = {quad.triple for quad in scratch}

    def triples() -> Iterator[ox.Triple]:
        yield from tbox
        for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            if quad.triple in stored_tbox:
                continue
            value = quad.object
            if (
                isinstance(value, ox.Literal)
                and value.datatype == _DECIMAL
                and "." not in value.value
            ):
                # the store writes 9000.0 as 9000; the builder's form keeps its point
                yield ox.Triple(
                    quad.subject, quad.predicate, ox.Literal(value.value + ".0", datatype=_DECIMAL)
                )
                continue
            yield quad.triple

    with staged_folder(out_dir, "build", carry_over=True) as staging:
        for name, fmt in STORE_FORMATS.items():
            prefixes = PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
            ox.serialize(triples(), staging / name, fmt, prefixes=prefixes)
    return [out_dir.resolve() / name for name in STORE_FORMATS]


def build(
    data_dir: Path,
    ontology: Path,
    out_dir: Path,
    shapes: Path | None = None,
    queries_dir: Path | None = None,
) -> BuildReport:
    """Load the data, build the graph, run every check of `mmkg validate`, write the files.

    The checks are those of :func:`mmkg.validate.validate`, run on the graph before it is
    written: a build never writes a graph that validation rejects, and on any error the
    previous output stays as it was.
    """
    from mmkg.validate import checked_store  # mmkg.validate imports this module

    start = time.perf_counter()
    check_output_folder(out_dir, "build")  # before the work, not only before the swap
    store, counts, report = checked_store(data_dir, ontology, shapes, queries_dir)
    files = write_store(store, ontology, out_dir)
    return BuildReport(counts, len(store), files, time.perf_counter() - start, len(report.warnings))
