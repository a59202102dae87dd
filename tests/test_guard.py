"""The guarded query runner of `mmkg query` and `mmkg sparql`: limits and refusals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mmkg.guard import MAX_NESTING, check_request, run_guarded
from mmkg.queries import QueryError, parse_query_text

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_a_runaway_query_is_stopped_by_the_timeout(graph_file: Path) -> None:
    started = time.monotonic()
    with pytest.raises(QueryError, match="longer than 2 s and was stopped"):
        run_guarded(graph_file, RUNAWAY, timeout=2)
    assert time.monotonic() - started < 15


def test_a_query_that_wants_all_the_memory_is_stopped(graph_file: Path) -> None:
    text = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d"
    with pytest.raises(QueryError, match="more than 512 MB|longer than"):
        run_guarded(graph_file, text, timeout=60, memory_mb=512)


def test_ctrl_c_stops_the_command(graph_file: Path) -> None:
    command = [sys.executable, "-m", "mmkg", "sparql", "--graph", str(graph_file), RUNAWAY]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2.5)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=15)
    assert process.returncode == 130 and err.strip() == "mmkg: interrupted"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "updates are refused"),
        ("PREFIX x: <urn:x>\nDROP ALL", "updates are refused"),
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000, "5000 deep"),
        ('SELECT * WHERE { ?s ?p "' + "x" * 1_100_000 + '" }', "larger than"),
    ],
)
def test_refused_requests(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        check_request(text)


def test_words_inside_strings_and_iris_are_not_keywords() -> None:
    check_request('SELECT * WHERE { ?s ?p "SERVICE insert" . ?s <urn:service> ?o } # DELETE')
    check_request("SELECT * WHERE " + "{" * MAX_NESTING + "?s ?p ?o" + "}" * MAX_NESTING)


def test_service_runs_only_when_allowed(graph_file: Path) -> None:
    text = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    with pytest.raises(QueryError, match="--allow-service"):
        run_guarded(graph_file, text)
    with pytest.raises(QueryError) as caught:  # allowed: the engine tries, and fails here
        run_guarded(graph_file, text, allow_service=True, timeout=30)
    assert "--allow-service" not in str(caught.value)


def test_named_query_and_errors_cross_the_process_boundary(graph_file: Path) -> None:
    query = parse_query_text(
        "q",
        "SELECT ?l WHERE {\n  VALUES ?_model_iri { <https://w3id.org/mmkg/id/model/llava-1.5> }\n"
        "  ?_model_iri <http://www.w3.org/2000/01/rdf-schema#label> ?l\n}",
    )
    assert run_guarded(graph_file, query).rows == [["LLaVA-1.5"]]
    with pytest.raises(QueryError, match="closest known: llava-1.5"):
        run_guarded(graph_file, query, {"model_iri": "llava-1.55"})
    with pytest.raises(QueryError, match="'foo:' is not declared"):
        run_guarded(graph_file, "SELECT * WHERE { ?s a foo:Bar }")


def test_common_prefixes_are_predeclared_and_errors_are_short(graph_file: Path) -> None:
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?m rdf:type mmkg:MultimodalLLM ; mmkg:releaseYear ?y "
    text += "FILTER(DATATYPE(?y) = xsd:integer) }"
    assert run_guarded(graph_file, text).rows[0][0] > 100
    with pytest.raises(QueryError) as caught:
        run_guarded(graph_file, "SELECT ?x WHERE { ?x a rdf:Foo")
    assert "line 1, column 31" in str(caught.value) and len(str(caught.value)) < 200


MEMORY_HUNGRY = """
import sys
from pathlib import Path
from mmkg.guard import run_guarded
from mmkg.queries import QueryError
try:
    run_guarded(Path(sys.argv[1]), sys.argv[2], timeout=120, memory_mb=int(sys.argv[3]))
except QueryError as error:
    print(error)
"""


def test_a_stopped_query_leaves_one_message_and_a_hint(graph_file: Path) -> None:
    """The engine's own abort text (and a Rust backtrace) never reach the terminal."""
    text = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d"
    process = subprocess.run(
        [sys.executable, "-c", MEMORY_HUNGRY, str(graph_file), text, "300"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "RUST_BACKTRACE": "1"},
    )
    assert process.stderr == ""
    assert "needed more than 300 MB" in process.stdout
    assert "`mmkg index`" in process.stdout  # the graph has no index: it was loaded in memory


UNDER_A_LIMIT = """
import resource, sys
from pathlib import Path
from mmkg.guard import run_guarded
limit = 3 << 30  # less than the 4 GB the guard gives a query by default
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
print(run_guarded(Path(sys.argv[1]), "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0])
"""


def test_a_command_under_a_memory_limit_of_its_own_still_answers(graph_file: Path) -> None:
    """`ulimit -v` below the guard's cap: the child keeps within that limit (raising a hard
    limit is refused, and every query failed)."""
    process = subprocess.run(
        [sys.executable, "-c", UNDER_A_LIMIT, str(graph_file)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert process.returncode == 0, process.stderr
    assert int(process.stdout) > 100
