"""The cross-engine harness (tests/engines.py): Jena ARQ and Virtuoso answer as expected.

Needs Debian's libapache-jena-java and virtuoso-opensource (scripts/install-system-deps.sh).
One Virtuoso server, on a scratch database and free ports, serves the whole module.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from engines import XSD, EngineError, VirtuosoServer, run_arq, run_arq_many
from mmkg.paths import PROJECT_ROOT

EX = "http://example.org/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
TINY = f"""\
@prefix ex: <{EX}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:llava rdfs:label "LLaVA"@en ;
    ex:parameters 7 ;
    ex:usesComponent ex:clip .
ex:clip rdfs:label "CLIP" .
"""
TINY_GRAPH = "urn:mmkg:test:tiny"
REAL_GRAPH = "urn:mmkg:test:real"
SELECT = f"""\
PREFIX ex: <{EX}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?model ?label ?size ?componentLabel WHERE {{
  ?model rdfs:label ?label ; ex:parameters ?size ; ex:usesComponent ?c .
  ?c rdfs:label ?componentLabel .
}}
"""
EXPECTED_VARS = ["model", "label", "size", "componentLabel"]
EXPECTED_ROWS = [
    {
        "model": {"type": "uri", "value": EX + "llava"},
        "label": {"type": "literal", "value": "LLaVA", "xml:lang": "en"},
        "size": {"type": "literal", "value": "7", "datatype": XSD + "integer"},
        "componentLabel": {"type": "literal", "value": "CLIP"},
    }
]
ASK_TRUE = f"ASK {{ <{EX}llava> <{EX}parameters> 7 }}"
ASK_FALSE = f"ASK {{ <{EX}llava> <{EX}parameters> 8 }}"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
REAL_QUERY = PROJECT_ROOT / "queries" / "cq" / "cq-01-models-by-component-family-and-role.rq"


def boolean(value: bool) -> tuple[list[str], list[dict]]:
    """The harness's shape of an ASK answer."""
    term = {"type": "literal", "value": str(value).lower(), "datatype": XSD + "boolean"}
    return ["result"], [{"result": term}]


def count(server: VirtuosoServer, graph_iri: str) -> int:
    """How many triples the graph holds in Virtuoso."""
    _, rows = server.select(COUNT, graph_iri)
    return int(rows[0]["n"]["value"])


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny Turtle graph: four triples, with a language tag and a typed integer."""
    path = tmp_path_factory.mktemp("engines") / "tiny.ttl"
    path.write_text(TINY, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def virtuoso(tiny: Path) -> Iterator[VirtuosoServer]:
    """One Virtuoso server for the module, with the tiny graph loaded as TINY_GRAPH."""
    with VirtuosoServer() as server:
        server.load(tiny, TINY_GRAPH)
        yield server
    assert server.process is None and server.dir is None


# --- ARQ ---------------------------------------------------------------------------------


def test_arq_select(tiny: Path) -> None:
    assert run_arq(tiny, SELECT) == (EXPECTED_VARS, EXPECTED_ROWS)


def test_arq_ask(tiny: Path) -> None:
    answers = run_arq_many(tiny, {"yes": ASK_TRUE, "no": ASK_FALSE})
    assert answers == {"yes": boolean(True), "no": boolean(False)}


def test_arq_reports_errors(tiny: Path) -> None:
    with pytest.raises(EngineError, match="ARQ failed"):
        run_arq(tiny, "SELEC * WHERE { ?s ?p ?o }")


# --- Virtuoso ----------------------------------------------------------------------------


def test_virtuoso_listens_on_localhost(virtuoso: VirtuosoServer) -> None:
    assert virtuoso.pid and virtuoso.process.poll() is None
    assert virtuoso.endpoint.startswith("http://127.0.0.1:")
    assert virtuoso.gsp_endpoint == virtuoso.endpoint + "-graph-crud"


def test_virtuoso_select_matches_arq(virtuoso: VirtuosoServer, tiny: Path) -> None:
    assert virtuoso.select(SELECT, TINY_GRAPH) == (EXPECTED_VARS, EXPECTED_ROWS)
    assert virtuoso.select(SELECT, TINY_GRAPH) == run_arq(tiny, SELECT)


def test_virtuoso_ask(virtuoso: VirtuosoServer) -> None:
    assert virtuoso.select(ASK_TRUE, TINY_GRAPH) == boolean(True)
    assert virtuoso.select(ASK_FALSE, TINY_GRAPH) == boolean(False)


def test_virtuoso_default_graph_is_every_graph(virtuoso: VirtuosoServer) -> None:
    # Without default-graph-uri the default graph is the union of all graphs, Virtuoso's own
    # system graphs included: a comparison must always name its graph.
    assert count(virtuoso, TINY_GRAPH) == 4
    _, rows = virtuoso.select(COUNT)
    assert int(rows[0]["n"]["value"]) > 4


def test_virtuoso_reports_errors(virtuoso: VirtuosoServer, tmp_path: Path) -> None:
    with pytest.raises(EngineError, match="37000"):
        virtuoso.select("SELEC * WHERE { ?s ?p ?o }", TINY_GRAPH)
    broken = tmp_path / "broken.ttl"
    broken.write_text(f"<{EX}a> <{EX}b> .\n", encoding="utf-8")
    with pytest.raises(EngineError, match="TURTLE RDF loader"):
        virtuoso.load(broken, "urn:mmkg:test:broken")


def test_graph_store_put_needs_rights_then_replaces(virtuoso: VirtuosoServer, tiny: Path) -> None:
    graph = "urn:mmkg:test:gsp"
    with pytest.raises(EngineError, match="403"):
        virtuoso.put_graph(tiny.read_bytes(), graph)
    virtuoso.enable_graph_store_writes()
    assert virtuoso.put_graph(tiny.read_bytes(), graph) == 201
    assert count(virtuoso, graph) == 4
    assert virtuoso.put_graph(tiny.read_bytes(), graph) == 200
    assert count(virtuoso, graph) == 4
    assert virtuoso.select(SELECT, graph) == (EXPECTED_VARS, EXPECTED_ROWS)
    assert virtuoso.put_graph(f"<{EX}x> <{EX}y> <{EX}z> .\n".encode(), graph) == 200
    assert count(virtuoso, graph) == 1


def test_graph_store_put_with_digest_auth(virtuoso: VirtuosoServer, tiny: Path) -> None:
    graph = "urn:mmkg:test:gsp-auth"
    for _ in range(2):
        assert virtuoso.put_graph(tiny.read_bytes(), graph, digest_auth=True) in (200, 201)
        assert count(virtuoso, graph) == 4


# --- the real graph ----------------------------------------------------------------------


def test_real_query_same_on_both(virtuoso: VirtuosoServer, built: tuple) -> None:
    turtle = built[2] / "mmkg.ttl"
    query = REAL_QUERY.read_text(encoding="utf-8")
    virtuoso.load(turtle, REAL_GRAPH)
    arq = run_arq(turtle, query)
    assert arq[1], "the competency question has answers on the real graph"
    assert virtuoso.select(query, REAL_GRAPH) == arq
    assert count(virtuoso, REAL_GRAPH) == int(run_arq(turtle, COUNT)[1][0]["n"]["value"])
