"""Commands that ask the graph: query, sparql, show, compare."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from mmkg.cli.common import (
    DEFAULT_GRAPH,
    ROW_LIMIT,
    AnswerFormatOption,
    EndpointOption,
    FormatOption,
    GraphOption,
    LimitOption,
    ServiceOption,
    TimeoutOption,
    answer_of,
    app,
    fail,
    out,
    parse_params,
    print_answer,
    print_table,
    store_of,
)
from mmkg.errors import MmkgError
from mmkg.paths import (
    QUERIES_DIR,
)


@app.command("query")
def query_command(
    name: Annotated[str, typer.Argument(help="The query's name, e.g. cq-01-... or a prefix.")] = "",
    param: Annotated[
        list[str], typer.Option("--param", "-p", help="A parameter as name=value.")
    ] = [],  # noqa: B006 - typer needs a literal default
    fmt: AnswerFormatOption = "table",
    graph: GraphOption = DEFAULT_GRAPH,
    endpoint: EndpointOption = "",
    timeout: TimeoutOption = 60.0,
    limit: LimitOption = ROW_LIMIT,
    allow_service: ServiceOption = False,
    list_: Annotated[bool, typer.Option("--list", help="List the named queries.")] = False,
    print_: Annotated[
        bool, typer.Option("--print", help="Print the exact SPARQL text it runs, and stop.")
    ] = False,
    queries_dir: Annotated[Path, typer.Option("--queries", help="The queries folder.")] = (
        QUERIES_DIR
    ),
) -> None:
    """Run a named query from queries/ (the competency questions and checks)."""
    from mmkg.queries import QueryError, bound_text, find_queries
    from mmkg.queries import Table as Rows

    try:
        queries = find_queries(queries_dir)
        if list_ or not name:
            rows = [
                [q.name, q.cq or "", ", ".join(q.parameters), q.summary] for q in queries.values()
            ]
            print_table(Rows(["name", "cq", "parameters", "summary"], rows), fmt, "named queries")
            return
        query = queries.get(name)
        if query is None:
            matches = [
                q
                for q in queries
                if q.startswith(name)
                or q == f"cq-{name}"
                or (name.isdigit() and q.startswith(f"cq-{int(name):02d}-"))
            ]
            if len(matches) == 1:
                query = queries[matches[0]]
            else:
                from mmkg.load import closest

                near = matches or [closest(name, queries)]
                raise QueryError(
                    f"no query named '{name}'"
                    + (
                        f"; did you mean {', '.join(repr(m) for m in near if m)}?"
                        if any(near)
                        else "; see `mmkg query --list`"
                    )
                )
        if print_:
            text = bound_text(query, parse_params(param))
            out.print(text, end="" if text.endswith("\n") else "\n", markup=False, highlight=False)
            return
        table = answer_of(graph, endpoint, query, parse_params(param), timeout, allow_service)
    except MmkgError as error:
        fail(error)
        return
    print_answer(table, fmt, query.summary, limit)


@app.command("sparql")
def sparql_command(
    text: Annotated[str, typer.Argument(help="A SPARQL query (or use --file).")] = "",
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Read the query from a file.")
    ] = None,
    fmt: AnswerFormatOption = "table",
    graph: GraphOption = DEFAULT_GRAPH,
    endpoint: EndpointOption = "",
    timeout: TimeoutOption = 60.0,
    limit: LimitOption = ROW_LIMIT,
    allow_service: ServiceOption = False,
) -> None:
    """Run any SPARQL 1.1 query on the built graph."""
    from mmkg.queries import QueryError

    try:
        if file is not None:
            try:
                text = file.read_text(encoding="utf-8")
            except OSError as exc:
                raise QueryError(f"{file}: cannot read the query ({exc.strerror})") from exc
        if not text.strip():
            raise QueryError("give a query, or a file with --file")
        table = answer_of(graph, endpoint, text, {}, timeout, allow_service)
    except MmkgError as error:
        fail(error)
        return
    print_answer(table, fmt, limit=limit)


@app.command("show")
def show_command(
    model: Annotated[str, typer.Argument(help="A model's name or slug, e.g. LLaVA-1.5.")],
    graph: GraphOption = DEFAULT_GRAPH,
    endpoint: EndpointOption = "",
) -> None:
    """Everything about one model: architecture, lineage, results, sources."""
    from mmkg.profiles import model_profile

    try:
        profile = model_profile(store_of(graph, endpoint), model)
    except MmkgError as error:
        fail(error)
        return
    out.print(f"[bold]{escape(profile.name)}[/]  {escape(profile.iri)}", highlight=False)
    facts = Table(show_header=False, box=None)
    for key, value in profile.facts:
        if value:
            facts.add_row(key, escape(value))
            if profile.cited.get(key):
                facts.add_row("", "[dim]from " + escape("; ".join(profile.cited[key])) + "[/]")
    out.print(facts)
    sections = (
        ("architecture", profile.architecture),
        ("lineage up", profile.ancestors),
        ("lineage down", profile.descendants),
        ("influenced by", profile.influences),
        ("names suggest (not a stated link)", profile.suggested),
    )
    for title, pairs in sections:
        out.print(f"\n[bold]{title}[/]")
        if not pairs:
            out.print(
                "  (none recorded)"
                if title != "architecture"
                else "  (not detailed by the sources)",
                highlight=False,
            )
        for key, value in pairs:
            out.print(f"  {escape(key)}: {escape(value)}", highlight=False)
            if title == "architecture" and profile.cited.get(key):
                out.print(
                    "    [dim]from " + escape("; ".join(profile.cited[key])) + "[/]",
                    highlight=False,
                )
    out.print("\n[bold]results[/]")
    if profile.results and profile.results.rows:
        print_table(profile.results, "table")
    else:
        out.print("  (none recorded)")
    out.print("\n[bold]sources[/]")
    for source in profile.sources:
        out.print(f"  {escape(source)}", highlight=False)
    for note in profile.notes:
        out.print(f"  note: {escape(note)}", highlight=False)


@app.command("compare")
def compare_command(
    models: Annotated[list[str], typer.Argument(help="Two or more model names or slugs.")],
    fmt: FormatOption = "table",
    graph: GraphOption = DEFAULT_GRAPH,
    endpoint: EndpointOption = "",
) -> None:
    """Models side by side: components, modalities, data scale, scores on shared benchmarks."""
    from mmkg.profiles import compare_models

    try:
        table = compare_models(store_of(graph, endpoint), models)
    except MmkgError as error:
        fail(error)
        return
    print_table(table, fmt, "comparison")
