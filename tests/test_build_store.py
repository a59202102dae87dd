"""The streamed build (mmkg.build.build_store, write_store): the same graph as the rdflib build.

`mmkg build` streams the triples into an Oxigraph store, checks them there (SHACL in
pyshacl-turbo) and writes every file with Oxigraph; these tests hold it to the rdflib path
on the real graph and on a 1,000-model synthetic graph, and pyshacl-turbo to pySHACL.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS, XSD

from mmkg.build import SERIALISATIONS, build_graph, build_store, write_store
from mmkg.build.sinks import GraphSink, StoreSink, store_of
from mmkg.load import Facts, load_facts
from mmkg.namespaces import ID, MMKG
from mmkg.outputs import canonical_graph
from mmkg.paths import ONTOLOGY_FILE, PROJECT_ROOT
from mmkg.validate import SHAPES_FILE, parse_turtle, shacl_findings, shacl_store_findings

sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))
from synthetic import generate  # noqa: E402

FORMATS = {"mmkg.nt": "nt", "mmkg.ttl": "turtle", "mmkg.owl": "xml", "mmkg.jsonld": "json-ld"}


def _triples(graph: Graph) -> set:
    """The graph's triples, blank nodes named from their content (comparable across builds)."""
    return set(canonical_graph(graph))


def _written(store: ox.Store, folder: Path) -> Graph:
    """The graph of the N-Triples file write_store makes of *store*."""
    write_store(store, ONTOLOGY_FILE, folder / "build")
    return Graph().parse(folder / "build" / "mmkg.nt", format="nt")


@pytest.fixture(scope="module")
def synthetic_facts(tmp_path_factory: pytest.TempPathFactory) -> Facts:
    """The real data and 1,000 synthetic models."""
    return load_facts(generate(1000, tmp_path_factory.mktemp("synthetic")))


@pytest.fixture(scope="module")
def streamed(facts: Facts, tmp_path_factory: pytest.TempPathFactory) -> tuple[ox.Store, Path]:
    """The real graph built in a store, and the folder write_store made of it."""
    store, _ = build_store(facts, ONTOLOGY_FILE)
    out = tmp_path_factory.mktemp("streamed") / "build"
    write_store(store, ONTOLOGY_FILE, out)
    return store, out


def test_the_streamed_build_is_the_rdflib_build_on_the_real_graph(
    facts: Facts, graph: Graph, streamed: tuple[ox.Store, Path]
) -> None:
    store, _ = streamed
    _, counts = build_graph(facts, ONTOLOGY_FILE)
    assert build_store(facts, ONTOLOGY_FILE)[1] == counts
    assert len(store) == len(graph)
    written = Graph().parse(streamed[1] / "mmkg.nt", format="nt")
    assert _triples(written) == _triples(graph)


def test_the_streamed_build_is_the_rdflib_build_on_1k_synthetic_models(
    synthetic_facts: Facts, tmp_path: Path
) -> None:
    graph, counts = build_graph(synthetic_facts, ONTOLOGY_FILE)
    store, store_counts = build_store(synthetic_facts, ONTOLOGY_FILE)
    assert store_counts == counts and counts["models"] >= 1000
    assert _triples(_written(store, tmp_path)) == _triples(graph)


def test_every_competency_question_orders_its_rows_fully_on_1k_synthetic_models(
    synthetic_facts: Facts, tmp_path: Path
) -> None:
    """The same rows in the same order from the in-memory store and from an on-disk one (as
    mmkg index makes): each ORDER BY breaks every tie, so no row order is the engine's choice."""
    from mmkg.paths import QUERIES_DIR
    from mmkg.queries import find_queries, run_query

    in_memory, _ = build_store(synthetic_facts, ONTOLOGY_FILE)
    on_disk = ox.Store(str(tmp_path / "store"))
    on_disk.bulk_extend(in_memory)
    for name, query in find_queries(QUERIES_DIR).items():
        if query.cq is not None:
            assert run_query(on_disk, query).rows == run_query(in_memory, query).rows, name


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_file_oxigraph_writes_holds_the_rdflib_graph(
    name: str, graph: Graph, streamed: tuple[ox.Store, Path]
) -> None:
    assert set(FORMATS) == set(SERIALISATIONS)
    written = Graph().parse(streamed[1] / name, format=FORMATS[name])
    assert _triples(written) == _triples(graph)


def test_the_files_keep_the_ontologys_literals_as_written(streamed: tuple[ox.Store, Path]) -> None:
    """A store writes "0"^^xsd:nonNegativeInteger back as an xsd:integer; OWL 2 refuses that."""
    written = Graph().parse(streamed[1] / "mmkg.nt", format="nt")
    cardinalities = set(written.objects(None, OWL.maxQualifiedCardinality))
    assert cardinalities == {Literal("0", datatype=XSD.nonNegativeInteger)}
    decimals = {o for o in written.objects(None, MMKG.parameterCount)}
    assert decimals and all(o.datatype == XSD.decimal for o in decimals)
    assert Literal("7000000000.0", datatype=XSD.decimal) in decimals


def test_decimals_keep_the_point_the_builder_gives_them(streamed: tuple[ox.Store, Path]) -> None:
    """The store keeps 7000000000.0 as 7000000000; the files write it as the builder did."""
    store, out = streamed
    kept = {
        q.object.value
        for q in store.quads_for_pattern(None, ox.NamedNode(str(MMKG.parameterCount)), None)
    }
    assert "7000000000" in kept
    text = (out / "mmkg.nt").read_text(encoding="utf-8")
    assert '"7000000000.0"^^<http://www.w3.org/2001/XMLSchema#decimal>' in text
    assert '"7000000000"^^<http://www.w3.org/2001/XMLSchema#decimal>' not in text


def test_two_streamed_builds_write_the_same_bytes(tmp_path: Path) -> None:
    script = (
        "import sys; from pathlib import Path; from mmkg.paths import DATA_DIR, ONTOLOGY_FILE;"
        "from mmkg.load import load_facts; from mmkg.build import build_store, write_store;"
        "write_store(build_store(load_facts(DATA_DIR), ONTOLOGY_FILE)[0], ONTOLOGY_FILE,"
        " Path(sys.argv[1]))"
    )
    digests = []
    for run, seed in (("a", "1"), ("b", "2")):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(tmp_path / run)], check=True, env=env)
        digests.append(
            {n: hashlib.sha256((tmp_path / run / n).read_bytes()).hexdigest() for n in FORMATS}
        )
    assert digests[0] == digests[1]


def test_the_sink_adds_a_repeated_triple_once() -> None:
    store = ox.Store()
    sink = StoreSink(store, batch=2)
    model = ox.NamedNode(ID["model/a"])
    year = ox.Literal("2023", datatype=ox.NamedNode(XSD.integer))
    for _ in range(5):
        sink((model, ox.NamedNode(MMKG.releaseYear), year))
    sink((model, ox.NamedNode(MMKG.ioText), ox.Literal("I+T→T")))
    sink.flush()
    assert sorted(str(q.object) for q in store) == [
        '"2023"^^<http://www.w3.org/2001/XMLSchema#integer>',
        '"I+T→T"',
    ]


def test_the_graph_sink_gives_rdflib_the_same_terms() -> None:
    graph = Graph()
    sink = GraphSink(graph)
    sink((ox.NamedNode(ID["model/a"]), ox.NamedNode(MMKG.ioText), ox.Literal("I+T→T")))
    sink((ox.BlankNode("ax1"), ox.NamedNode(RDFS.label), ox.Literal("a", language="en")))
    assert set(graph) == {
        (ID["model/a"], MMKG.ioText, Literal("I+T→T")),
        (BNode("ax1"), RDFS.label, Literal("a", lang="en")),
    }


def test_every_literal_the_builder_makes_is_in_rdflibs_normal_form(
    facts: Facts, synthetic_facts: Facts
) -> None:
    """The builder makes Oxigraph literals itself; each must be the one rdflib would make from
    its value (the graph built through rdflib before the builder made its own terms), or the
    graph would differ from earlier builds and between the .owl and .ttl files."""
    for loaded in (facts, synthetic_facts):
        graph, _ = build_graph(loaded, ONTOLOGY_FILE)
        literals = {o for o in graph.objects() if isinstance(o, Literal)}
        assert len(literals) > 1000
        renormalised = {
            lit: Literal(str(lit), lang=lit.language, datatype=lit.datatype) for lit in literals
        }
        assert [lit for lit, again in renormalised.items() if str(again) != str(lit)] == []


# --- SHACL: pyshacl-turbo on the store gives pySHACL's findings ---------------------------


def _both_engines(graph: Graph) -> tuple[list, list]:
    shapes, ontology = parse_turtle(SHAPES_FILE), parse_turtle(ONTOLOGY_FILE)
    store = store_of(graph)
    published = Graph().parse(data=graph.serialize(format="nt"), format="nt")
    return shacl_findings(published, shapes, ontology), shacl_store_findings(store, shapes)


def test_pyshacl_turbo_finds_what_pyshacl_finds_on_the_real_graph(graph: Graph) -> None:
    reference, turbo = _both_engines(graph)
    assert reference, "the real graph has SHACL warnings: the comparison is not empty"
    assert turbo == reference


def test_pyshacl_turbo_finds_what_pyshacl_finds_on_a_broken_graph(graph: Graph) -> None:
    bad = Graph()
    bad += graph
    dataset = ID["dataset/llava-it"]
    bad.add((dataset, MMKG.tuningType, Literal("RLHFX")))  # sh:in, the literal case
    bad.remove((ID["model/llava"], MMKG.releaseYear, None))
    bad.add((ID["component/vicuna-7b"], MMKG.inFamily, ID["family/clip"]))
    bad.add((ID["model/llava"], MMKG.releaseDate, Literal("April 2023")))
    reference, turbo = _both_engines(bad)
    errors = [f for f in reference if f.severity == "error"]
    assert any("RLHFX" in f.message for f in errors) and len(errors) >= 3
    assert turbo == reference


AXIOM_SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<urn:test:AxiomShape> a sh:NodeShape ; sh:targetClass owl:Axiom ;
    sh:property [ sh:path skos:example ; sh:minCount 1 ; sh:severity sh:Warning ] .
"""


def test_the_axioms_are_left_out_only_where_no_shape_reads_them(graph: Graph) -> None:
    from mmkg.validate.shacl import shapes_reach_axioms

    store = store_of(graph)
    shapes = parse_turtle(SHAPES_FILE)
    assert not shapes_reach_axioms(shapes, store)
    prefix = (
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix m: <https://w3id.org/mmkg/ontology#> ."
    )
    reaching = [
        "<urn:s> sh:targetNode <urn:x> .",
        "<urn:s> sh:targetSubjectsOf m:statedIn .",
        "<urn:s> sh:targetClass <http://www.w3.org/2002/07/owl#Thing> .",
        "<urn:s> sh:targetClass m:Model ; sh:property [ sh:path [ sh:inversePath "
        "<http://www.w3.org/2002/07/owl#annotatedSource> ] ; sh:maxCount 0 ] .",
    ]
    for text in reaching:
        extra = Graph().parse(data=f"{prefix} {text}", format="turtle")
        assert shapes_reach_axioms(shapes + extra, store), text


def test_a_shape_on_the_axioms_sees_them(graph: Graph) -> None:
    shapes = parse_turtle(SHAPES_FILE) + Graph().parse(data=AXIOM_SHAPE, format="turtle")
    ontology = parse_turtle(ONTOLOGY_FILE)
    published = Graph().parse(data=graph.serialize(format="nt"), format="nt")
    reference = shacl_findings(published, shapes, ontology)
    turbo = shacl_store_findings(store_of(graph), shapes)
    example = "http://www.w3.org/2004/02/skos/core#example"
    axioms = len(set(graph.subjects(RDF.type, OWL.Axiom)))
    # one finding per axiom node (blank nodes: the engines word them differently)
    for findings in (reference, turbo):
        assert sum(f.property == example for f in findings) == axioms > 100
    assert [f for f in turbo if f.property != example] == [
        f for f in reference if f.property != example
    ]


# --- every check on the store gives what the rdflib path gives ----------------------------


def _reference_findings(graph: Graph) -> list:
    """SHACL (pySHACL), the check queries, the division check and the ontology report, each on
    the rdflib graph as its N-Triples hold it: the checks as they ran before the store."""
    from mmkg.paths import QUERIES_DIR
    from mmkg.validate import division_findings, ontology_findings, query_findings

    ontology = parse_turtle(ONTOLOGY_FILE)
    published = Graph().parse(data=graph.serialize(format="nt"), format="nt")
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return [
        *shacl_findings(published, parse_turtle(SHAPES_FILE), ontology),
        *query_findings(store, QUERIES_DIR),
        *division_findings(published, ontology),
        *ontology_findings(ontology, published, ONTOLOGY_FILE),
    ]


def test_the_checks_on_the_store_find_what_the_rdflib_checks_find(graph: Graph) -> None:
    from mmkg.validate import check_graph

    bad = Graph()
    bad += graph
    llava = ID["model/llava"]
    bad.set((llava, RDFS.label, Literal("LLaVA  twice spaced", lang="en")))  # ROBOT
    bad.add((ID["component/vicuna-7b"], MMKG.fineTunedFrom, ID["component/vicuna-7b"]))  # query
    bad.add((llava, MMKG.hasOutputModality, ID["modality/image"]))  # the division check
    for checked in (graph, bad):
        reference = sorted(_reference_findings(checked), key=str)
        assert sorted(check_graph(checked).findings, key=str) == reference
    checks = {f.check for f in check_graph(bad).findings if f.entity == str(llava)}
    assert {"robot:label_whitespace", "division:generation"} <= checks
