"""The `mmkg` command line: parse arguments, call one function, report errors without tracebacks."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from mmkg import __version__
from mmkg.errors import MmkgError
from mmkg.paths import (
    BUILD_DIR,
    DATA_DIR,
    ONTOLOGY_FILE,
    QUERIES_DIR,
    RAW_SITE_DIR,
    RAW_TRANSFORMERS_DIR,
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


def _fail(error: BaseException) -> None:
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


@app.command("build")
def build_command(
    data: DataOption = DATA_DIR,
    ontology: Annotated[Path, typer.Option(help="The ontology (TBox) in Turtle.")] = ONTOLOGY_FILE,
    out_dir: Annotated[Path, typer.Option("--out", help="Where to write the graph.")] = BUILD_DIR,
) -> None:
    """Validate the data and build the graph: Turtle, RDF/XML, N-Triples and JSON-LD."""
    from mmkg.build import build

    try:
        report = build(data, ontology, out_dir)
    except (MmkgError, OSError, ValueError) as error:
        _fail(error)
        return
    table = Table(title="mmkg: graph built", show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    for name, count in report.counts.items():
        table.add_row(name, str(count))
    table.add_row("triples", str(report.triples))
    out.print(table)
    for path in report.files:
        out.print(f"wrote {path} ({path.stat().st_size:,} bytes)", highlight=False)
    out.print(f"built in {report.seconds:.2f} s", highlight=False)


@app.command("import-transformers")
def import_transformers_command(
    raw: Annotated[
        Path, typer.Option(help="Where the raw layer is written.")
    ] = RAW_TRANSFORMERS_DIR,
    data: DataOption = DATA_DIR,
) -> None:
    """Read the installed transformers library into the raw layer; list uncurated types."""
    from mmkg.sources.transformers_library import curated_types, import_library

    try:
        report = import_library(raw, curated_types(data))
    except (MmkgError, OSError) as error:
        _fail(error)
        return
    total = len(report.created) + len(report.changed) + len(report.unchanged)
    out.print(
        f"read transformers {report.version}: {total} files in {raw}: "
        f"{len(report.created)} new, {len(report.changed)} changed, "
        f"{len(report.unchanged)} unchanged, {len(report.removed)} removed",
        highlight=False,
    )
    for label, names in (
        ("new", report.created),
        ("changed", report.changed),
        ("removed", report.removed),
    ):
        for name in names:
            out.print(f"  {label:8} {escape(name)}", highlight=False)
    if report.uncovered:
        out.print(
            f"{len(report.uncovered)} multimodal architecture(s) not yet curated (no entry in "
            "data/curation/transformers-types.yaml):",
            highlight=False,
        )
        for name in report.uncovered:
            out.print(f"  {escape(name)}", highlight=False)
    else:
        out.print("every multimodal architecture of the library is curated", highlight=False)


@app.command("import-site")
def import_site_command(
    posts: Annotated[Path, typer.Argument(help="The website's posts folder (Markdown files).")],
    raw: Annotated[Path, typer.Option(help="Where the raw layer is written.")] = RAW_SITE_DIR,
    data: DataOption = DATA_DIR,
) -> None:
    """Read the tracking website's posts into the raw layer and list posts not yet curated."""
    from mmkg.load import curated_posts
    from mmkg.site_posts import import_posts

    try:
        report = import_posts(posts, raw, curated_posts(data))
    except (MmkgError, OSError) as error:
        _fail(error)
        return
    out.print(
        f"imported {len(report.created) + len(report.changed) + len(report.unchanged)} posts "
        f"into {raw}: {len(report.created)} new, {len(report.changed)} changed, "
        f"{len(report.unchanged)} unchanged",
        highlight=False,
    )
    for name in report.created:
        out.print(f"  new      {name}", highlight=False)
    for name in report.changed:
        out.print(f"  changed  {name}", highlight=False)
    if report.uncurated:
        out.print(
            f"{len(report.uncurated)} post(s) not yet curated (no file in data/models or "
            "data/datasets names them):",
            highlight=False,
        )
        for name in report.uncurated:
            out.print(f"  {name}", highlight=False)
    else:
        out.print("every post is curated", highlight=False)


def _print_table(table, fmt: str, title: str = "") -> None:  # noqa: ANN001
    from mmkg.tables import FORMATS, cell_text, render

    if fmt not in FORMATS:
        _fail(ValueError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}"))
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


def _print_answer(table, fmt: str, title: str = "", limit: int = 0) -> None:  # noqa: ANN001
    from mmkg.tables import ANSWER_FORMATS, limit_table, render_answer

    if fmt not in ANSWER_FORMATS:
        _fail(ValueError(f"unknown format '{fmt}'; choose one of {', '.join(ANSWER_FORMATS)}"))
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
        _fail(error)
        return
    if data is None:
        _print_table(table, fmt, title)
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


def _answer(graph: Path, endpoint: str, request, params, timeout, allow_service):  # noqa: ANN001, ANN202
    """A named query's or a SPARQL text's answer: from the endpoint, else guarded locally."""
    if endpoint:
        from mmkg.endpoint import RemoteStore
        from mmkg.queries import Query, run_query, run_sparql

        store = RemoteStore(endpoint, timeout)
        if isinstance(request, Query):
            return run_query(store, request, params)
        return run_sparql(store, request)
    from mmkg.guard import run_guarded

    return run_guarded(graph, request, params, timeout, allow_service=allow_service)


def _store(graph: Path, endpoint: str = ""):  # noqa: ANN202
    if endpoint:
        from mmkg.endpoint import RemoteStore

        return RemoteStore(endpoint)
    from mmkg.queries import load_store

    return load_store(graph)


def _params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            _fail(ValueError(f"--param '{pair}' is not name=value"))
        params[name.strip().removeprefix("?").removeprefix("_")] = value.strip()
    return params


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
            _print_table(Rows(["name", "cq", "parameters", "summary"], rows), fmt, "named queries")
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
            text = bound_text(query, _params(param))
            out.print(text, end="" if text.endswith("\n") else "\n", markup=False, highlight=False)
            return
        table = _answer(graph, endpoint, query, _params(param), timeout, allow_service)
    except MmkgError as error:
        _fail(error)
        return
    _print_answer(table, fmt, query.summary, limit)


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
        table = _answer(graph, endpoint, text, {}, timeout, allow_service)
    except MmkgError as error:
        _fail(error)
        return
    _print_answer(table, fmt, limit=limit)


@app.command("show")
def show_command(
    model: Annotated[str, typer.Argument(help="A model's name or slug, e.g. LLaVA-1.5.")],
    graph: GraphOption = DEFAULT_GRAPH,
    endpoint: EndpointOption = "",
) -> None:
    """Everything about one model: architecture, lineage, results, sources."""
    from mmkg.profiles import model_profile

    try:
        profile = model_profile(_store(graph, endpoint), model)
    except MmkgError as error:
        _fail(error)
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
        _print_table(profile.results, "table")
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
        table = compare_models(_store(graph, endpoint), models)
    except MmkgError as error:
        _fail(error)
        return
    _print_table(table, fmt, "comparison")


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
        _fail(error)


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
        _fail(error)
        return
    where = f"named graph <{named_graph}>" if named_graph else "default graph"
    err.print(f"mmkg: {graph} is now the {where} of {endpoint}", highlight=False)


@app.command("reason")
def reason_command(
    data: DataOption = DATA_DIR,
    ontology: Annotated[Path, typer.Option(help="The ontology (TBox) in Turtle.")] = ONTOLOGY_FILE,
    out_dir: Annotated[Path, typer.Option("--out", help="Where to write the inferred graph.")] = (
        BUILD_DIR
    ),
    graph_file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            help="Reason on this graph file as shipped (e.g. build/release/mmkg.owl) instead "
            "of building the graph from --data and --ontology.",
        ),
    ] = None,
) -> None:
    """Check consistency with HermiT and write the inferred graph (mmkg-inferred.ttl)."""
    from rdflib import Graph

    from mmkg.build import build_graph
    from mmkg.load import load_facts
    from mmkg.reason import reason, write_inferred

    try:
        if graph_file is not None:
            try:
                graph = Graph().parse(graph_file)
            except Exception as exc:  # noqa: BLE001 - rdflib's parsers raise many kinds
                raise MmkgError(f"{graph_file}: cannot be read as RDF: {exc}") from exc
        else:
            graph, _ = build_graph(load_facts(data), ontology)
        inference = reason(graph)
        path = out_dir / "mmkg-inferred.ttl"
        write_inferred(graph, inference, path)
    except (MmkgError, OSError, ValueError) as error:
        _fail(error)
        return
    table = Table(title="HermiT: consistent; members of each class after reasoning")
    table.add_column("class")
    table.add_column("members", justify="right")
    table.add_column("newly inferred", justify="right")
    table.add_column("examples", overflow="fold")
    added: dict[str, int] = {}
    for _, cls in inference.added:
        added[cls] = added.get(cls, 0) + 1
    for cls, members in sorted(inference.per_class.items()):
        if cls not in added:
            continue
        names = sorted(inference.labels.get(m, m.rsplit("/", 1)[-1]) for m in members)
        table.add_row(
            cls.rsplit("#", 1)[-1],
            str(len(members)),
            str(added[cls]),
            escape(", ".join(names[:6]) + (", ..." if len(names) > 6 else "")),
        )
    out.print(table)
    out.print(
        f"{len(inference.added)} class assertions inferred in {inference.seconds:.1f} s; "
        f"wrote {path}",
        highlight=False,
    )


@app.command("release")
def release_command(
    data: DataOption = DATA_DIR,
    ontology: Annotated[Path, typer.Option(help="The ontology (TBox) in Turtle.")] = ONTOLOGY_FILE,
    out_dir: Annotated[Path, typer.Option("--out", help="Where to write the release.")] = (
        BUILD_DIR / "release"
    ),
) -> None:
    """Write the Protégé-ready release: OWL files, catalog, docs, VoID, VERSION, CHANGELOG."""
    from mmkg.release import release

    try:
        report = release(data, ontology, out_dir)
    except (MmkgError, OSError, ValueError) as error:
        _fail(error)
        return
    out.print(f"mmkg {report.version}: release written to {report.out_dir}", highlight=False)
    for path in report.files:
        name = path.relative_to(report.out_dir).as_posix()
        out.print(f"  {name:<20} {path.stat().st_size:>12,} bytes", highlight=False)
    for note in report.notes:
        out.print(f"note: {escape(note)}", highlight=False)
    table = Table(title="declared entities (as the OWL API counts them)")
    table.add_column("entities")
    table.add_column("whole graph", justify="right")
    table.add_column("ontology alone", justify="right")
    for kind, count in report.declared.items():
        table.add_row(kind.replace("_", " "), str(count), str(report.ontology_declared[kind]))
    table.add_row("triples", str(report.triples), "")
    out.print(table)
    out.print(f"released in {report.seconds:.2f} s", highlight=False)


@app.command("validate")
def validate_command(
    data: DataOption = DATA_DIR,
    ontology: Annotated[Path, typer.Option(help="The ontology (TBox) in Turtle.")] = ONTOLOGY_FILE,
    shapes: Annotated[Path, typer.Option(help="The SHACL shapes in Turtle.")] = (
        ONTOLOGY_FILE.parent / "shapes.ttl"
    ),
    queries_dir: Annotated[
        Path, typer.Option("--queries", help="The queries folder; its checks/ are run.")
    ] = QUERIES_DIR,
    fmt: Annotated[str, typer.Option("--format", "-F", help="text or json.")] = "text",
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Also write the report to this file.")
    ] = None,
) -> None:
    """Check data, graph and ontology: records, SHACL, check queries, ontology report."""
    import json

    from mmkg.validate import validate

    if fmt not in ("text", "json"):
        _fail(ValueError(f"unknown format '{fmt}'; choose text or json"))
    try:
        report = validate(data, ontology, shapes, queries_dir)
        text = (
            json.dumps(report.as_json(), indent=2, ensure_ascii=False) + "\n"
            if fmt == "json"
            else report.as_text()
        )
        if out_file is not None:
            out_file.write_text(text, encoding="utf-8")
    except (MmkgError, OSError, ValueError) as error:
        _fail(error)
        return
    out.print(text, end="", markup=False, highlight=False, emoji=False)
    if report.errors:
        raise typer.Exit(1)


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
        _print_table(Rows(["name", "summary"], rows), fmt, "analyses")
        return
    if fmt not in FORMATS:
        _fail(ValueError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}"))
    try:
        result = find_analysis(name)(_store(graph, endpoint), top=top)
    except MmkgError as error:
        _fail(error)
        return
    if fmt == "table":
        for section, table in result.sections().items():
            _print_table(table, "table", f"{name}: {section}")
        return
    out.print(render_result(result, fmt), markup=False, highlight=False, emoji=False)


@app.command("site")
def site_command(
    graph: GraphOption = DEFAULT_GRAPH,
    endpoint: EndpointOption = "",
    out_dir: Annotated[
        Path, typer.Option("--out", help="The site folder (replaced once all is written).")
    ] = Path("site"),
) -> None:
    """Write the static site: model, component and benchmark pages, graphs, charts, queries."""
    from mmkg.render import build_site

    try:
        report = build_site(_store(graph, endpoint), out_dir)
    except (MmkgError, OSError, ValueError) as error:
        _fail(error)
        return
    err.print(
        f"mmkg: wrote {sum(report.pages.values())} pages and charts ({report.files} files, "
        f"{report.bytes / 1e6:.1f} MB) in {report.seconds:.1f} s",
        highlight=False,
    )
    for warning in report.warnings:
        err.print(f"warning: {escape(warning)}", highlight=False)
    out.print(str(report.index), highlight=False)


def run() -> None:
    """Entry point that turns any unexpected error into a one-line message."""
    try:
        app()
    except Exception as error:  # noqa: BLE001 - the last line of defence against tracebacks
        err.print(f"error: unexpected {type(error).__name__}: {error}", highlight=False)
        sys.exit(2)
