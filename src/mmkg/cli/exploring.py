"""Commands that explore the graph: analyze and site."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from mmkg.cli.common import (
    DEFAULT_GRAPH,
    EndpointOption,
    FormatOption,
    GraphOption,
    app,
    err,
    fail,
    out,
    print_table,
    store_of,
)
from mmkg.errors import MmkgError


@app.command("analyze")
def analyze_command(
    name: Annotated[str, typer.Argument(help="The analysis, e.g. trends; none lists them.")] = "",
    fmt: FormatOption = "table",
    graph: GraphOption = DEFAULT_GRAPH,
    endpoint: EndpointOption = "",
    top: Annotated[int, typer.Option("--top", min=1, help="Entries kept per ranking.")] = 10,
) -> None:
    """Network metrics and trends: reuse, hubs, lineage, communities, trends, comparisons."""
    from mmkg.analysis import ANALYSES, find_analysis, render_result
    from mmkg.queries import Table as Rows
    from mmkg.tables import FORMATS

    if not name:
        rows = [[key, summary] for key, (_, summary) in ANALYSES.items()]
        print_table(Rows(["name", "summary"], rows), fmt, "analyses")
        return
    if fmt not in FORMATS:
        fail(ValueError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}"))
    try:
        result = find_analysis(name)(store_of(graph, endpoint), top=top)
    except MmkgError as error:
        fail(error)
        return
    if fmt == "table":
        for section, table in result.sections().items():
            print_table(table, "table", f"{name}: {section}")
        return
    out.print(render_result(result, fmt), markup=False, highlight=False, emoji=False)


@app.command("site")
def site_command(
    graph: GraphOption = DEFAULT_GRAPH,
    endpoint: EndpointOption = "",
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out",
            help="The site folder: a new or empty one, or one `mmkg site` wrote (it holds a "
            ".mmkg-output marker); replaced once all is written.",
        ),
    ] = Path("site"),
) -> None:
    """Write the static site: model, component and benchmark pages, graphs, charts, queries."""
    from mmkg.render import build_site

    try:
        report = build_site(store_of(graph, endpoint), out_dir)
    except (MmkgError, OSError, ValueError) as error:
        fail(error)
        return
    err.print(
        f"mmkg: wrote {sum(report.pages.values())} pages and charts ({report.files} files, "
        f"{report.bytes / 1e6:.1f} MB) in {report.seconds:.1f} s",
        highlight=False,
    )
    for warning in report.warnings:
        err.print(f"warning: {escape(warning)}", highlight=False)
    out.print(str(report.index), highlight=False)
