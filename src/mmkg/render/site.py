"""The static site: index, a page per model, component and benchmark, graphs, charts, queries.

:func:`build_site` reads a store holding the graph and writes the site into a temporary folder
beside *out*, then swaps it in, so a failure leaves the previous site as it was. Every page
works from ``file://`` with no network: relative links, and one shared copy of each script and
style in ``assets/`` (:mod:`mmkg.render.assets`). Its size and time grow linearly with the
number of models: one page per model and per neighbourhood, each of bounded size, the model
table as a data file, and overview graphs that draw groups of models above *max_nodes* nodes
(:mod:`mmkg.render.overview`).
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from mmkg.errors import MmkgError, OutputError
from mmkg.outputs import MARKER, check_output_folder, staged_folder
from mmkg.paths import QUERIES_DIR
from mmkg.render.assets import write_assets
from mmkg.render.charts import Chart, write_trend_charts
from mmkg.render.componentgraphs import architecture_page, component_families_page
from mmkg.render.ego import ego_page
from mmkg.render.graphpage import GraphPage
from mmkg.render.graphs import family_lineage_page, lineage_page, model_tooltip
from mmkg.render.overview import (
    OVERVIEW_MAX_NODES,
    aggregated_architecture_page,
    aggregated_component_families_page,
    aggregated_family_page,
    aggregated_lineage_page,
)
from mmkg.render.pages import Pages
from mmkg.render.search import write_search_index

__all__ = ["SiteError", "SiteReport", "build_site", "MARKER"]


class SiteError(MmkgError):
    """The site cannot be written where asked."""


@dataclass
class SiteReport:
    """What `build_site` wrote: the index page, pages per kind, files, bytes, seconds."""

    index: Path
    pages: Counter = field(default_factory=Counter)
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


def build_site(
    store: ox.Store,
    out: Path,
    queries_dir: Path = QUERIES_DIR,
    max_nodes: int = OVERVIEW_MAX_NODES,
) -> SiteReport:
    """Write the whole site into *out* (replaced only once every page is written).

    An overview graph of more than *max_nodes* nodes draws groups of models with their counts.
    """
    started = time.perf_counter()
    out = Path(out)
    try:
        check_output_folder(out, "site")  # before the work, not only before the swap
    except OutputError as error:
        raise SiteError(str(error)) from None
    with staged_folder(out, "site") as staging:
        report = _write(store, staging, queries_dir, max_nodes)
    report.index = out / "index.html"
    report.seconds = time.perf_counter() - started
    return report


def _overviews(site: Pages, parts: dict[str, str], max_nodes: int) -> list[GraphPage]:
    """The lineage (whole and per family), architecture and component-family graphs."""

    if site.lineage.number_of_nodes() > max_nodes:
        pages = [aggregated_lineage_page(site.lineage, site.families, site.family_graph, max_nodes)]
        site.aggregated.add("graphs/lineage.html")
    else:
        pages = [lineage_page(site.lineage, parts, site.url)]
    for root, nodes in site.families:
        slug = site.family_slug(root)
        if len(nodes) > max_nodes:
            name = site.lineage.nodes[root]["label"]
            pages.append(aggregated_family_page(site.lineage, root, nodes, slug, name, max_nodes))
            site.aggregated.add(site.family_graph(root))
        else:
            pages.append(family_lineage_page(site.lineage, root, nodes, slug, parts, site.url))
    if site.components.number_of_nodes() > max_nodes:
        organisations = {m: d.get("organisations") or [] for m, d in site.facts.items()}
        pages.append(
            aggregated_architecture_page(
                site.components, organisations, site.url, site.hoods.role, max_nodes
            )
        )
    else:
        pages.append(architecture_page(site.components, parts, site.url))
    if site.tree.number_of_nodes() > max_nodes:
        pages.append(aggregated_component_families_page(site.tree, site.url, max_nodes))
    else:
        pages.append(component_families_page(site.tree, site.url))
    return pages


def _write(store: ox.Store, out: Path, queries_dir: Path, max_nodes: int) -> SiteReport:
    site = Pages(store, queries_dir)
    report = SiteReport(index=out / "index.html")
    (out / "charts").mkdir(parents=True)
    write_assets(out)
    write_search_index(out, site)
    parts = {m: site.parts_text(m) for m in site.facts}
    tooltips = {m: model_tooltip(d, parts[m]) for m, d in site.facts.items()}
    for page in _overviews(site, parts, max_nodes):
        site.graph(out, page)
        report.pages[_KINDS[page.path.split("/")[1]]] += 1
    for model in sorted(site.facts):
        page = ego_page(site.hoods, model, site.model_slug(model), tooltips, site.url)
        if page is not None:
            site.ego.add(model)
            site.graph(out, page)
            report.pages["graph: model neighbourhood"] += 1
    site.index(out)
    report.pages["index"] += 1
    if site.table.pages > 1:
        report.pages["model list (no-JS pages)"] += site.table.pages - 1
    for model in sorted(site.facts):
        site.model(out, model)
        report.pages["model"] += 1
    for component in sorted(site.component_info):
        site.component(out, component)
        report.pages["component"] += 1
    bench_charts: list[Chart] = []
    for bench in sorted(site.benchmarks):
        bench_charts += site.benchmark_writer.benchmark(out, bench)
        report.pages["benchmark"] += 1
    site.benchmark_writer.index(out)
    report.pages["benchmark index"] += 1
    for folder, count in site.entity_writer.entity_pages(out).items():
        report.pages[folder.replace("-", " ")] += count
    site.compare(out)
    report.pages["comparison"] += 1
    trends = write_trend_charts(site.facts, site.components, out / "charts")
    site.render(
        out,
        "charts/index.html",
        "charts.html",
        title="Charts",
        trends=trends,
        benchmarks=[
            {"file": c.file, "title": c.title, "page": "../" + c.page} for c in bench_charts
        ],
    )
    report.pages["charts index"] += 1
    report.pages["chart (SVG)"] += len(trends) + len(bench_charts)
    site.answer_writer.queries(out)
    report.pages["queries"] += 1
    if site.has_analyses:
        site.answer_writer.analyses(out)
        report.pages["analyses"] += 1
    report.warnings = site.warnings
    files = [p for p in out.rglob("*") if p.is_file()]
    report.files = len(files)
    report.bytes = sum(p.stat().st_size for p in files)
    return report


_KINDS = {
    "lineage.html": "graph: whole lineage",
    "family": "graph: lineage family",
    "architecture.html": "graph: architecture",
    "component-families.html": "graph: component families",
}
