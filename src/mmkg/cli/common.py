"""The command line's shared parts: the app, its consoles and options, and output helpers."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from mmkg import __version__
from mmkg.paths import (
    BUILD_DIR,
)

app = typer.Typer(
    name="mmkg",
    help="A knowledge graph of multimodal large language models (MM-LLMs).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DataOption = Annotated[Path, typer.Option("--data", help="The data folder.")]
GraphOption = Annotated[
    Path, typer.Option("--graph", help="The built graph to query (Turtle, N-Triples, RDF/XML).")
]
FormatOption = Annotated[
    str, typer.Option("--format", "-F", help="table, csv, json, markdown or latex.")
]
DEFAULT_GRAPH = BUILD_DIR / "mmkg.nt"


def fail(error: BaseException) -> None:
    """Print *error* as one line and exit 1."""
    err.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False)
    raise typer.Exit(1)


def _version(value: bool) -> None:
    if value:
        out.print(f"mmkg {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """A knowledge graph of multimodal large language models (MM-LLMs)."""


def print_table(table, fmt: str, title: str = "") -> None:  # noqa: ANN001
    """Print rows for people (a rich table) or in one of the text formats."""
    from mmkg.tables import FORMATS, cell_text, render

    if fmt not in FORMATS:
        fail(ValueError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}"))
    if fmt != "table":
        out.print(render(table, fmt), end="", markup=False, highlight=False)
        return
    view = Table(title=title or None, show_lines=False)
    for column in table.columns:
        view.add_column(column, overflow="fold")
    for row in table.rows:
        view.add_row(*(escape(cell_text(v)) for v in row))
    out.print(view)
    out.print(f"{len(table.rows)} row(s)", highlight=False)


AnswerFormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        "-F",
        help="table, markdown or latex for people; json, csv, tsv or xml (the SPARQL 1.1 "
        "results formats); turtle, ntriples, jsonld (or json, xml) for CONSTRUCT/DESCRIBE.",
    ),
]


def print_answer(table, fmt: str, title: str = "", limit: int = 0) -> None:  # noqa: ANN001
    """Print a query's answer, cut at *limit* rows, in a W3C format or for people."""
    from mmkg.tables import ANSWER_FORMATS, limit_table, render_answer

    if fmt not in ANSWER_FORMATS:
        fail(ValueError(f"unknown format '{fmt}'; choose one of {', '.join(ANSWER_FORMATS)}"))
    table, total = limit_table(table, limit)
    if total > len(table.rows):
        what = "triples" if table.triples is not None else "rows"
        err.print(
            f"mmkg: the answer has {total:,} {what}; only the first {limit:,} are printed "
            "(--limit 0 prints them all)",
            highlight=False,
        )
    try:
        data = render_answer(table, fmt)
    except ValueError as error:
        fail(error)
        return
    if data is None:
        print_table(table, fmt, title)
        return
    sys.stdout.flush()
    sys.stdout.buffer.write(data if data.endswith(b"\n") else data + b"\n")
    sys.stdout.flush()


EndpointOption = Annotated[
    str,
    typer.Option(
        "--endpoint",
        help="Query this SPARQL 1.1 endpoint (e.g. http://127.0.0.1:7878/query) "
        "instead of the local graph file.",
    ),
]


TimeoutOption = Annotated[
    float,
    typer.Option("--timeout", min=0.1, help="Seconds the query may run before it is stopped."),
]
LimitOption = Annotated[
    int,
    typer.Option(
        "--limit",
        min=0,
        help="Rows (or triples) to print at most; a longer answer is cut, and says so. 0: all.",
    ),
]
ROW_LIMIT = 10_000
ServiceOption = Annotated[
    bool, typer.Option("--allow-service", help="Let a query call remote SERVICE endpoints.")
]


def answer_of(graph: Path, endpoint: str, request, params, timeout, allow_service):  # noqa: ANN001, ANN202
    """A named query's or a SPARQL text's answer: from the endpoint, else guarded locally."""
    if endpoint:
        from mmkg.endpoint import RemoteStore
        from mmkg.queries import Query, run_query, run_sparql

        store = RemoteStore(endpoint, timeout)
        if isinstance(request, Query):
            return run_query(store, request, params)
        return run_sparql(store, request)
    from mmkg.guard import run_guarded

    note_stale_index(graph)
    return run_guarded(graph, request, params, timeout, allow_service=allow_service)


def store_of(graph: Path, endpoint: str = ""):  # noqa: ANN202
    """The store the reading commands ask: the endpoint if given, else the local graph."""
    if endpoint:
        from mmkg.endpoint import RemoteStore

        return RemoteStore(endpoint)
    from mmkg.queries import load_store

    note_stale_index(graph)
    return load_store(graph)


def note_stale_index(graph: Path) -> None:
    """Say on stderr that the graph's index is older than the graph, and so not used."""
    from mmkg.index import index_folder, index_state

    if index_state(graph) == "stale":
        err.print(
            f"note: {index_folder(graph)} was made from an older {graph.name} and is not "
            "used; `mmkg index` makes it again",
            highlight=False,
        )


def parse_params(pairs: list[str]) -> dict[str, str]:
    """The --param name=value pairs as a dict (a leading ? or _ of a name dropped)."""
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            fail(ValueError(f"--param '{pair}' is not name=value"))
        params[name.strip().removeprefix("?").removeprefix("_")] = value.strip()
    return params
