"""Projections read from an endpoint in pages: whole, past the server's row limit.

`mmkg serve --result-limit 50`, and a Virtuoso of its own with ResultSetMaxRows 50 and
MaxSortedTopRows 100 (so that a page sorted beside its LIMIT and OFFSET is refused past row
100), each cut every answer at 50 rows; read through `endpoint.paged`, the projections of the
real graph equal the local ones. Each server listens on 127.0.0.1 and is stopped by its
process id.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from engines import VirtuosoServer
from mmkg.cli import app
from mmkg.endpoint import EndpointError, RemoteStore, page_query, paged
from mmkg.graphview import (
    family_tree,
    lineage_graph,
    model_component_graph,
    model_facts,
)
from mmkg.queries import PREFIXES, load_store, select
from serving import start_serve

LIMIT = 50
PROJECTIONS: dict[str, Callable] = {
    "lineage": lineage_graph,
    "lineage with suggested links": partial(lineage_graph, suggested=True),
    "model-component": model_component_graph,
    "family tree": family_tree,
    "model facts": model_facts,
}
runner = CliRunner()


class CountingStore(RemoteStore):
    """A remote store that counts its requests."""

    requests = 0

    def send(self, text: str, prefixes: dict[str, str] | None = None) -> tuple[bytes, str, int]:
        """Send one request, counted."""
        self.requests += 1
        return super().send(text, prefixes)


@pytest.fixture(scope="module")
def local(graph_file: Path):  # noqa: ANN201 - pyoxigraph.Store
    """The real graph in a local store."""
    return load_store(graph_file)


@pytest.fixture(scope="module")
def serve_url(graph_file: Path) -> Iterator[str]:
    """`mmkg serve` cutting every answer at 50 rows."""
    process, url = start_serve(graph_file, 30, "--result-limit", str(LIMIT))
    yield url
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def virtuoso_url(graph_file: Path) -> Iterator[str]:
    """A Virtuoso holding the real graph in a named graph, cutting answers at 50 rows."""
    import engines

    unlimited = "ResultSetMaxRows           = 100000000"
    assert unlimited in engines.VIRTUOSO_INI and "MaxSortedTopRows" not in engines.VIRTUOSO_INI
    ini = engines.VIRTUOSO_INI.replace(unlimited, f"ResultSetMaxRows = {LIMIT}")
    ini = ini.replace("[HTTPServer]", "MaxSortedTopRows = 100\n\n[HTTPServer]")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engines, "VIRTUOSO_INI", ini)
        with VirtuosoServer() as server:
            server.load(graph_file, "urn:mmkg:pages")
            yield f"{server.endpoint}?default-graph-uri=urn%3Ammkg%3Apages"


def _edges(graph: nx.Graph) -> dict:
    if graph.is_multigraph():
        return {(u, v, k): d for u, v, k, d in graph.edges(keys=True, data=True)}
    if graph.is_directed():
        return {(u, v): d for u, v, d in graph.edges(data=True)}
    return {tuple(sorted((u, v))): d for u, v, d in graph.edges(data=True)}


def _assert_same(remote: object, local: object) -> None:
    if isinstance(local, dict):
        assert remote == local
        return
    assert dict(remote.nodes(data=True)) == dict(local.nodes(data=True))
    assert _edges(remote) == _edges(local)


@pytest.mark.parametrize("name", PROJECTIONS)
def test_a_projection_read_in_pages_from_mmkg_serve_equals_the_local_one(
    serve_url: str, local, name: str
) -> None:  # noqa: ANN001
    remote = CountingStore(serve_url)
    _assert_same(PROJECTIONS[name](remote), PROJECTIONS[name](local))


def test_the_projection_is_longer_than_the_limit_and_takes_many_pages(
    serve_url: str, local
) -> None:  # noqa: ANN001
    """The lineage's model facts alone are 240 rows: cut at 50, read in 5 pages or more."""
    assert lineage_graph(local).number_of_nodes() > 4 * LIMIT
    remote = CountingStore(serve_url)
    lineage_graph(remote)
    assert remote.requests >= 4 + 4  # four queries, the longest of them in five pages
    # read in one request, the cut answer is an error, not a short projection
    with pytest.raises(EndpointError, match="cut at the server's row limit"):
        lineage_graph(RemoteStore(serve_url, page_size=0))


def test_pages_smaller_than_the_server_limit_read_it_whole_too(serve_url: str, local) -> None:  # noqa: ANN001
    remote = CountingStore(serve_url, page_size=40, always_page=True)
    _assert_same(model_facts(remote), model_facts(local))
    assert remote.requests >= len(model_facts(local)) // 40


def test_an_answer_the_server_does_not_cut_takes_one_request(serve_url: str) -> None:
    remote = CountingStore(serve_url)
    assert select(paged(remote), "SELECT ?x WHERE { VALUES ?x { 1 2 3 } }") == [[1], [2], [3]]
    assert remote.requests == 1


@pytest.mark.parametrize("name", ["lineage", "model-component", "family tree", "model facts"])
def test_a_projection_read_in_pages_from_virtuoso_equals_the_local_one(
    virtuoso_url: str, local, name: str
) -> None:  # noqa: ANN001
    """Past its MaxSortedTopRows too: the sort is in a sub-query, the slice outside it."""
    _assert_same(PROJECTIONS[name](RemoteStore(virtuoso_url)), PROJECTIONS[name](local))


@pytest.mark.parametrize("analysis", ["comparisons", "trends"])
def test_an_analysis_over_a_limited_endpoint_prints_what_the_local_one_prints(
    serve_url: str, graph_file: Path, analysis: str
) -> None:
    """Beside graphview's projections, these two read tables of their own, in pages too."""
    local = runner.invoke(app, ["analyze", analysis, "-F", "csv", "--graph", str(graph_file)])
    remote = runner.invoke(app, ["analyze", analysis, "-F", "csv", "--endpoint", serve_url])
    assert local.exit_code == 0 and remote.exit_code == 0, remote.output
    assert remote.output == local.output


def test_a_page_sorts_fully_in_a_sub_query_and_slices_outside_it() -> None:
    text = (
        PREFIXES + "SELECT DISTINCT ?m ?n ?l WHERE { ?m <urn:p> ?n ; <urn:l> ?l }\n"
        "GROUP BY ?m ?n ?l ORDER BY DESC(?n) ?l"
    )
    page = page_query(text, 10, 20)
    assert page.startswith(PREFIXES + "SELECT ?m ?n ?l WHERE { { SELECT DISTINCT ?m ?n ?l")
    assert "GROUP BY ?m ?n ?l ORDER BY DESC(?n) ?l ?m } }" in page
    assert page.endswith("LIMIT 10 OFFSET 20")
    for unpaged in (
        "SELECT * WHERE { ?s ?p ?o }",
        "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 3",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    ):
        assert page_query(unpaged, 10, 0) is None


def test_paged_reads_a_local_store_as_it_is(local) -> None:  # noqa: ANN001
    assert paged(local) is local
    text = "SELECT ?m WHERE { ?m a mmkg:MultimodalLLM } ORDER BY ?m"
    assert select(paged(local), text) == select(local, text)
