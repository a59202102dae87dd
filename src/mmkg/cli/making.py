"""Commands that make files from the data: build, index, the imports, reason, release,
validate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from mmkg.cli.common import (
    DEFAULT_GRAPH,
    DataOption,
    GraphOption,
    app,
    err,
    fail,
    out,
)
from mmkg.errors import MmkgError
from mmkg.paths import (
    BUILD_DIR,
    DATA_DIR,
    ONTOLOGY_FILE,
    QUERIES_DIR,
    RAW_SITE_DIR,
    RAW_TRANSFORMERS_DIR,
)
from mmkg.reason import HERMIT_LIMIT, Inference


@app.command("build")
def build_command(
    data: DataOption = DATA_DIR,
    ontology: Annotated[Path, typer.Option(help="The ontology (TBox) in Turtle.")] = ONTOLOGY_FILE,
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Where to write the graph: a new or empty folder, or one `mmkg build` wrote "
            "(it holds a .mmkg-output marker); replaced whole, keeping release/ and "
            "mmkg-inferred.ttl.",
        ),
    ] = BUILD_DIR,
) -> None:
    """Validate the data and build the graph: Turtle, RDF/XML, N-Triples and JSON-LD."""
    from mmkg.build import build

    try:
        report = build(data, ontology, out_dir)
    except (MmkgError, OSError, ValueError) as error:
        fail(error)
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
    _refresh_index(out_dir / "mmkg.nt")


def _refresh_index(graph: Path) -> None:
    """Make the index of a build that had one again (`mmkg index`), so it stays in use."""
    from mmkg.index import index_state, write_index

    if index_state(graph) != "stale":
        return
    try:
        report = write_index(graph)
    except (MmkgError, OSError) as error:
        err.print(f"note: the graph's index was not made again: {error}", highlight=False)
        return
    out.print(f"indexed again in {report.seconds:.1f} s: {report.folder}", highlight=False)


@app.command("index")
def index_command(graph: GraphOption = DEFAULT_GRAPH) -> None:
    """Load the graph once into an on-disk store the reading commands open instead."""
    from mmkg.index import write_index

    try:
        report = write_index(graph)
    except (MmkgError, OSError, ValueError) as error:
        fail(error)
        return
    out.print(
        f"wrote {report.folder} ({report.triples:,} triples, {report.megabytes:,.0f} MB) "
        f"in {report.seconds:.1f} s; query, sparql, show, compare, analyze and site open "
        f"it until {graph.name} changes",
        highlight=False,
    )


def _print_pending(names: list[str], title: str, none_left: str) -> None:
    """List what an import found but the data does not curate yet, names printed as text."""
    if not names:
        out.print(none_left, highlight=False)
        return
    out.print(f"{len(names)} {title}", highlight=False)
    for name in names:
        out.print(f"  {escape(name)}", highlight=False)


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
        fail(error)
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
    _print_pending(
        report.uncovered,
        "multimodal architecture(s) not yet curated (no entry in "
        "data/curation/transformers-types.yaml):",
        "every multimodal architecture of the library is curated",
    )


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
        fail(error)
        return
    out.print(
        f"imported {len(report.created) + len(report.changed) + len(report.unchanged)} posts "
        f"into {raw}: {len(report.created)} new, {len(report.changed)} changed, "
        f"{len(report.unchanged)} unchanged",
        highlight=False,
    )
    for label, names in (("new", report.created), ("changed", report.changed)):
        for name in names:
            out.print(f"  {label:8} {escape(name)}", highlight=False)
    _print_pending(
        report.uncurated,
        "post(s) not yet curated (no file in data/models or data/datasets names them):",
        "every post is curated",
    )


@app.command("reason")
def reason_command(
    data: DataOption = DATA_DIR,
    ontology: Annotated[Path, typer.Option(help="The ontology (TBox) in Turtle.")] = ONTOLOGY_FILE,
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out",
            help="The folder to write mmkg-inferred.ttl into (the file is replaced at once; "
            "never inside data/, ontology/, queries/ or src/).",
        ),
    ] = BUILD_DIR,
    graph_file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            help="Reason on this graph file as shipped (e.g. build/release/mmkg.owl) instead "
            "of building the graph from --data and --ontology.",
        ),
    ] = None,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            help=f"auto, hermit or rules. auto: HermiT on graphs of up to {HERMIT_LIMIT:,} "
            "triples, above that the rules (HermiT checks the ontology alone, rules derived "
            "from it fill the classes in Oxigraph; fewer checks, see README).",
        ),
    ] = "auto",
) -> None:
    """Check consistency and write the inferred graph (mmkg-inferred.ttl): HermiT or rules."""
    from mmkg.build import build_graph
    from mmkg.load import load_facts
    from mmkg.reason import check_engine, load_graph, reason, write_inferred

    try:
        check_engine(engine)
        if graph_file is not None:
            graph = load_graph(graph_file)
        else:
            graph = load_graph(build_graph(load_facts(data), ontology)[0])
        inference = reason(graph, engine)
        path = out_dir / "mmkg-inferred.ttl"
        write_inferred(graph, inference, path)
    except (MmkgError, OSError, ValueError) as error:
        fail(error)
        return
    _print_inference(inference, engine)
    out.print(
        f"{len(inference.added)} class assertions inferred in {inference.seconds:.1f} s; "
        f"wrote {path}",
        highlight=False,
    )


def _print_inference(inference: Inference, engine: str) -> None:
    """The members of each class that gained some, the engine and what it checked."""
    name = {"hermit": "HermiT", "rules": "Rules"}[inference.engine]
    table = Table(title=f"{name}: consistent; members of each class after reasoning")
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
    side = "at most" if inference.triples <= HERMIT_LIMIT else "more than"
    why = "chosen with --engine" if engine != "auto" else "auto"
    out.print(
        f"engine: {inference.engine} ({why}; the graph has {inference.triples:,} triples, "
        f"{side} the {HERMIT_LIMIT:,} up to which auto runs HermiT)",
        highlight=False,
    )
    for line in inference.checked:
        out.print(f"checked: {line}", highlight=False)
    for line in inference.unchecked:
        out.print(f"not checked by the rules: {line}", highlight=False)


@app.command("release")
def release_command(
    data: DataOption = DATA_DIR,
    ontology: Annotated[Path, typer.Option(help="The ontology (TBox) in Turtle.")] = ONTOLOGY_FILE,
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Where to write the release: a new or empty folder, or one `mmkg release` "
            "wrote (it holds a .mmkg-output marker); replaced whole.",
        ),
    ] = BUILD_DIR / "release",
) -> None:
    """Write the Protégé-ready release: OWL files, catalog, docs, VoID, VERSION, CHANGELOG."""
    from mmkg.release import release

    try:
        report = release(data, ontology, out_dir)
    except (MmkgError, OSError, ValueError) as error:
        fail(error)
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
        Path | None,
        typer.Option(
            "--out",
            help="Also write the report to this file (replaced at once; not a folder, never "
            "inside data/, ontology/, queries/ or src/).",
        ),
    ] = None,
) -> None:
    """Check data, graph and ontology: records, SHACL, check queries, ontology report."""
    import json

    from mmkg.validate import validate

    if fmt not in ("text", "json"):
        fail(ValueError(f"unknown format '{fmt}'; choose text or json"))
    try:
        report = validate(data, ontology, shapes, queries_dir)
        text = (
            json.dumps(report.as_json(), indent=2, ensure_ascii=False) + "\n"
            if fmt == "json"
            else report.as_text()
        )
        if out_file is not None:
            from mmkg.outputs import staged_file

            with staged_file(out_file) as staging:
                staging.write_text(text, encoding="utf-8")
    except (MmkgError, OSError, ValueError) as error:
        fail(error)
        return
    out.print(text, end="", markup=False, highlight=False, emoji=False)
    if report.errors:
        raise typer.Exit(1)
