"""`mmkg serve` (Oxigraph's server), `--endpoint` on the reading commands, `mmkg publish`.

The endpoint is started by the command itself, bound to 127.0.0.1 on a free port, and
stopped by its own process id; clients are SPARQLWrapper and the reading commands.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from typer.testing import CliRunner

from mmkg.cli import app
from mmkg.endpoint import EndpointError, RemoteStore, oxigraph_command, query_form
from mmkg.paths import QUERIES_DIR
from mmkg.queries import find_queries
from serving import free_port as _free_port
from serving import start_serve as _start_serve

runner = CliRunner()
QUERIES = find_queries(QUERIES_DIR)
CQS = sorted(name for name in QUERIES if name.startswith("cq-"))


@pytest.fixture(scope="module")
def served(graph_file: Path) -> Iterator[tuple[subprocess.Popen, str]]:
    process, url = _start_serve(graph_file, timeout=3)
    yield process, url
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def _wrapper(url: str, text: str) -> dict:
    client = SPARQLWrapper(url)
    client.setQuery(text)
    client.setReturnFormat(JSON)
    client.setMethod(POST)
    return client.queryAndConvert()


def test_serve_prints_a_local_url_that_answers(served) -> None:  # noqa: ANN001
    _, url = served
    assert url.startswith("http://127.0.0.1:") and url.endswith("/query")
    assert _wrapper(url, "ASK { ?s a <https://w3id.org/mmkg/ontology#MultimodalLLM> }")["boolean"]


@pytest.mark.parametrize("name", CQS)
def test_every_competency_question_through_sparqlwrapper(served, graph_file, name) -> None:  # noqa: ANN001
    """The published file sent as is gives what `mmkg query NAME --format json` gives."""
    _, url = served
    answer = _wrapper(url, QUERIES[name].path.read_text(encoding="utf-8"))
    local = runner.invoke(app, ["query", name, "-F", "json", "--graph", str(graph_file)])
    assert local.exit_code == 0, local.output
    want = json.loads(local.stdout_bytes)
    assert answer["head"]["vars"] == want["head"]["vars"]
    assert answer["results"]["bindings"] == want["results"]["bindings"]


def test_an_update_is_refused(served) -> None:  # noqa: ANN001
    _, url = served
    client = SPARQLWrapper(url.removesuffix("/query") + "/update")
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(Exception) as caught:
        client.query()
    assert "403" in str(caught.value)  # Oxigraph's read-only server: Forbidden
    assert not _wrapper(url, "ASK { <urn:a> ?p ?o }")["boolean"]
    with pytest.raises(EndpointError, match="updates are refused"):
        RemoteStore(url).query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")


def test_a_runaway_query_ends_by_the_timeout(served) -> None:  # noqa: ANN001
    """A cartesian product (about 1.5e9 rows) is cancelled by the 3 s timeout: an error."""
    _, url = served
    started = time.monotonic()
    with pytest.raises(Exception):  # noqa: B017 - SPARQLWrapper raises its own kinds
        _wrapper(url, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }")
    assert time.monotonic() - started < 30
    with pytest.raises(EndpointError, match="503 .*longer than the endpoint's 3 s timeout"):
        RemoteStore(url).query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }")
    assert _wrapper(url, "ASK { ?s ?p ?o }")["boolean"]  # and the server still answers


def test_sixteen_concurrent_clients_get_correct_answers(served, graph_file) -> None:  # noqa: ANN001
    _, url = served
    names = [CQS[i % len(CQS)] for i in range(16)]
    want = {}
    for name in set(names):
        local = runner.invoke(app, ["query", name, "-F", "json", "--graph", str(graph_file)])
        want[name] = json.loads(local.stdout_bytes)["results"]["bindings"]

    def ask(name: str) -> bool:
        answer = _wrapper(url, QUERIES[name].path.read_text(encoding="utf-8"))
        return answer["results"]["bindings"] == want[name]

    with ThreadPoolExecutor(max_workers=16) as pool:
        assert all(pool.map(ask, names))


def test_the_endpoint_describes_itself_with_void(served) -> None:  # noqa: ANN001
    _, url = served
    answer = _wrapper(
        url,
        "SELECT ?e WHERE { GRAPH ?g { ?d <http://rdfs.org/ns/void#sparqlEndpoint> ?e } }",
    )
    assert [b["e"]["value"] for b in answer["results"]["bindings"]] == [url]


def test_show_and_query_against_the_endpoint_print_what_the_local_command_prints(
    served,
    graph_file,  # noqa: ANN001
) -> None:
    _, url = served
    for args in (
        ["show", "LLaVA-1.5"],
        ["query", "cq-04", "-p", "model_iri=llava-1.5", "-F", "csv"],
        ["compare", "LLaVA-1.5", "VILA", "-F", "csv"],
    ):
        local = runner.invoke(app, [*args, "--graph", str(graph_file)])
        remote = runner.invoke(app, [*args, "--endpoint", url])
        assert local.exit_code == 0 and remote.exit_code == 0, remote.output
        assert remote.output == local.output


def test_serve_stops_on_sigterm_and_takes_its_server_down(graph_file: Path) -> None:
    process, url = _start_serve(graph_file, timeout=5)
    children = subprocess.run(
        ["pgrep", "-P", str(process.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    assert children, "mmkg serve runs Oxigraph's server as its child"
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    for pid in children:
        with pytest.raises(ProcessLookupError):
            os.kill(int(pid), 0)
    with pytest.raises(EndpointError):
        RemoteStore(url, timeout=3).query("ASK {}")


def test_publish_replaces_the_graph_and_is_idempotent(graph_file: Path, tmp_path: Path) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [
            oxigraph_command(),
            "serve",
            "--location",
            str(tmp_path / "db"),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                RemoteStore(f"{base}/query", timeout=2).query("ASK {}")
                break
            except EndpointError:
                time.sleep(0.1)
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        named = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:mmkg> { ?s ?p ?o } }"
        counts = []
        for _ in range(2):
            result = runner.invoke(
                app, ["publish", "--endpoint", f"{base}/store", "--graph", str(graph_file)]
            )
            assert result.exit_code == 0, result.output
            counts.append(_wrapper(f"{base}/query", count)["results"]["bindings"][0]["n"]["value"])
        triples = sum(1 for line in graph_file.open(encoding="utf-8") if line.strip())
        assert counts == [str(triples)] * 2
        for _ in range(2):
            result = runner.invoke(
                app,
                [
                    "publish",
                    "--endpoint",
                    f"{base}/store",
                    "--named-graph",
                    "urn:mmkg",
                    "--graph",
                    str(graph_file),
                ],
            )
            assert result.exit_code == 0, result.output
        n = _wrapper(f"{base}/query", named)["results"]["bindings"][0]["n"]["value"]
        assert n == str(triples)
        # a separately started Oxigraph server holding the build: show prints what it prints
        local = runner.invoke(app, ["show", "LLaVA-1.5", "--graph", str(graph_file)])
        remote = runner.invoke(app, ["show", "LLaVA-1.5", "--endpoint", f"{base}/query"])
        assert remote.exit_code == 0 and remote.output == local.output
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_query_form_reads_past_comments_iris_and_strings() -> None:
    assert query_form(QUERIES["cq-10-controlled-comparisons"].text) == "SELECT"
    assert query_form('PREFIX a: <urn:delete>\n# load this\nASK { ?s ?p "insert" }') == "ASK"
    assert query_form("  delete where { ?s ?p ?o }") == "UPDATE"


def test_a_bad_endpoint_is_a_clear_error() -> None:
    result = runner.invoke(app, ["show", "LLaVA-1.5", "--endpoint", "ftp://x"])
    assert result.exit_code == 1 and "not an http(s) URL" in result.output
    port = _free_port()
    result = runner.invoke(app, ["show", "LLaVA-1.5", "--endpoint", f"http://127.0.0.1:{port}/q"])
    assert result.exit_code == 1 and f"127.0.0.1:{port}" in result.output
