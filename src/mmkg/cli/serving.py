"""Commands that share the graph with other tools: serve (a SPARQL endpoint) and publish."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from mmkg.cli.common import (
    DEFAULT_GRAPH,
    GraphOption,
    app,
    err,
    fail,
    out,
)
from mmkg.errors import MmkgError


@app.command("serve")
def serve_command(
    graph: GraphOption = DEFAULT_GRAPH,
    host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="The port to listen on.")] = 7878,
    timeout: Annotated[
        float, typer.Option(min=1, help="Seconds a query may run before it is stopped.")
    ] = 30.0,
    result_limit: Annotated[
        int,
        typer.Option(
            min=0, help="Rows (or triples) an answer may have; the rest is cut. 0: no limit."
        ),
    ] = 10_000,
) -> None:
    """A read-only SPARQL 1.1 Protocol endpoint (Oxigraph's server) over the built graph."""
    from mmkg.server import serve

    def ready(url: str) -> None:
        base = url.removesuffix("/query")
        limit = f"{result_limit:,} rows per answer" if result_limit else "no result limit"
        out.print(url, highlight=False)
        err.print(
            f"mmkg: serving {graph} read-only at {url} (YASGUI at {base}/, the competency "
            f"questions at {base}/queries; {timeout:g} s query timeout, {limit}); "
            "Ctrl-C stops it",
            highlight=False,
        )
        sys.stdout.flush()

    try:
        serve(
            graph, host=host, port=port, timeout=timeout, result_limit=result_limit, on_ready=ready
        )
    except MmkgError as error:
        fail(error)


@app.command("publish")
def publish_command(
    endpoint: Annotated[
        str,
        typer.Option(
            "--endpoint",
            help="The store's SPARQL 1.1 Graph Store Protocol URL, e.g. "
            "http://127.0.0.1:7878/store (Oxigraph) or .../sparql-graph-crud (Virtuoso).",
        ),
    ],
    graph: GraphOption = DEFAULT_GRAPH,
    named_graph: Annotated[
        str, typer.Option("--named-graph", help="Replace this named graph, not the default one.")
    ] = "",
) -> None:
    """Load the build into a triple store, replacing the graph (publishing twice is the same)."""
    from mmkg.endpoint import publish

    try:
        publish(graph, endpoint, named_graph or None)
    except MmkgError as error:
        fail(error)
        return
    where = f"named graph <{named_graph}>" if named_graph else "default graph"
    err.print(f"mmkg: {graph} is now the {where} of {endpoint}", highlight=False)
