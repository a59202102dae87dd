"""The static site: index, a page per model, component and benchmark, graphs, charts, queries.

:func:`build_site` reads a store holding the graph and writes the site into a temporary folder
beside *out*, then swaps it in, so a failure leaves the previous site as it was. Every page
works from ``file://`` with no network: relative links, inline styles and scripts.
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
from mmkg.render.charts import Chart, write_trend_charts
from mmkg.render.graphs import (
    architecture_page,
    component_families_page,
    ego_page,
    family_lineage_page,
    lineage_page,
)
from mmkg.render.pages import Pages

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


def build_site(store: ox.Store, out: Path, queries_dir: Path = QUERIES_DIR) -> SiteReport:
    """Write the whole site into *out* (replaced only once every page is written)."""
    started = time.perf_counter()
    out = Path(out)
    try:
        check_output_folder(out, "site")  # before the work, not only before the swap
    except OutputError as error:
        raise SiteError(str(error)) from None
    with staged_folder(out, "site") as staging:
        report = _write(store, staging, queries_dir)
    report.index = out / "index.html"
    report.seconds = time.perf_counter() - started
    return report


def _write(store: ox.Store, out: Path, queries_dir: Path) -> SiteReport:
    site = Pages(store, queries_dir)
    report = SiteReport(index=out / "index.html")
    (out / "charts").mkdir(parents=True)
    parts = {m: site.parts_text(m) for m in site.facts}
    pages = [lineage_page(site.lineage, parts, site.url)]
    report.pages["graph: whole lineage"] += 1
    for root, nodes in site.families:
        pages.append(
            family_lineage_page(site.lineage, root, nodes, site.family_slug(root), parts, site.url)
        )
        report.pages["graph: lineage family"] += 1
    pages.append(architecture_page(site.components, parts, site.url))
    pages.append(component_families_page(site.tree, site.url))
    report.pages["graph: architecture"] += 1
    report.pages["graph: component families"] += 1
    for model in sorted(site.facts):
        page = ego_page(
            site.lineage, site.components, model, site.model_slug(model), parts, site.url
        )
        if page is not None:
            site.ego.add(model)
            pages.append(page)
            report.pages["graph: model neighbourhood"] += 1
    for page in pages:
        site.graph(out, page)
    site.index(out)
    report.pages["index"] += 1
    for model in sorted(site.facts):
        site.model(out, model)
        report.pages["model"] += 1
    for component in sorted(site.component_info):
        site.component(out, component)
        report.pages["component"] += 1
    bench_charts: list[Chart] = []
    for bench in sorted(site.benchmarks):
        bench_charts += site.benchmark(out, bench)
        report.pages["benchmark"] += 1
    site.benchmarks_index(out)
    report.pages["benchmark index"] += 1
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
    site.queries(out)
    report.pages["queries"] += 1
    if site.has_analyses:
        site.analyses(out)
        report.pages["analyses"] += 1
    report.warnings = site.warnings
    files = [p for p in out.rglob("*") if p.is_file()]
    report.files = len(files)
    report.bytes = sum(p.stat().st_size for p in files)
    return report
