"""The `mmkg` command line: parse arguments, call one function, report errors without tracebacks."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from mmkg import __version__
from mmkg.errors import MmkgError
from mmkg.paths import BUILD_DIR, DATA_DIR, ONTOLOGY_FILE, RAW_SITE_DIR

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


def _fail(error: BaseException) -> None:
    err.print(f"[bold red]error:[/] {error}", markup=True, highlight=False, soft_wrap=True)
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


def run() -> None:
    """Entry point that turns any unexpected error into a one-line message."""
    try:
        app()
    except Exception as error:  # noqa: BLE001 - the last line of defence against tracebacks
        err.print(f"error: unexpected {type(error).__name__}: {error}", highlight=False)
        sys.exit(2)
