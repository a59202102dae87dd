"""The benchmark pages: a page per benchmark with results (a leaderboard of at most
:data:`BOARD_MAX` rows and a chart of at most :data:`CHART_MAX` bars per survey column) and
their index, with the best result per column and metric.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from mmkg.render.charts import Chart, write_benchmark_chart
from mmkg.render.html import file_slug, safe_href
from mmkg.render.sitedata import SiteData, select
from mmkg.tables import cell_text

# ruff: noqa: E501 - HTML lines of the templates

__all__ = ["BENCHMARK_TEMPLATES", "BOARD_MAX", "CHART_MAX", "BenchmarkPages"]

BOARD_MAX = 100  # rows of a leaderboard
CHART_MAX = 40  # bars of a benchmark chart

BENCHMARK = """{% extends "base.html" %}
{% from "macros.html" import link %}
{% block content %}
<h1>{{ name }}</h1>
<table class="facts">
{% for key, value, url in facts %}
<tr><th>{{ key }}</th><td>{% if url %}<a href="{{ url }}">{{ value }}</a>{% else %}{{ value }}{% endif %}</td></tr>
{% endfor %}
</table>
{% for board in boards %}
<h2 id="{{ board.anchor }}">Leaderboard: {{ board.column }}{% if board.metric %} <span class="muted">({{ board.metric }})</span>{% endif %}</h2>
<div class="tablewrap" role="region" aria-label="leaderboard {{ board.column }}" tabindex="0">
<table class="sortable">
<thead><tr><th>rank</th><th>variant</th><th>model</th><th>LLM backbone</th><th>score</th>
<th>training images seen</th><th>re-implemented</th></tr></thead>
<tbody>
{% for row in board.rows %}
<tr><td class="num">{{ row.rank }}</td><td>{{ row.variant }}</td><td>{{ link(row.model) }}</td>
<td>{{ row.backbone }}</td><td class="num">{{ row.score }}</td>
<td>{{ "yes" if row.seen else "no" }}</td><td>{{ "yes" if row.reimplemented else "no" }}</td></tr>
{% endfor %}
</tbody></table>
</div>
{% if board.total > board.rows|length %}<p class="muted">The best {{ board.rows|length }} of {{ board.total }} results.</p>{% endif %}
<figure><img src="{{ board.chart }}" alt="bar chart of the scores on {{ board.column }}">
{% if board.total > board.charted %}<figcaption>The best {{ board.charted }} of {{ board.total }} results.</figcaption>{% endif %}</figure>
{% else %}
<p class="muted">No results on this benchmark in the survey's Table 2.</p>
{% endfor %}
{% if sources %}<h2>Sources</h2>
<ul class="plain">{% for source in sources %}<li>{{ link(source) }}</li>{% endfor %}</ul>{% endif %}
{% endblock %}
{% block scripts %}<script src="{{ root }}assets/site.js"></script>{% endblock %}
"""

BENCHMARKS = """{% extends "base.html" %}
{% block content %}
<h1>Benchmarks</h1>
<p class="muted">Scores from the survey's Table 2, one leaderboard per column.</p>
<div class="tablewrap" role="region" aria-label="benchmarks" tabindex="0">
<table class="sortable">
<thead><tr><th>benchmark</th><th>columns</th><th>results</th><th>best per column and metric</th></tr></thead>
<tbody>
{% for row in rows %}
<tr><td><a href="{{ row.url }}">{{ row.name }}</a></td><td>{{ row.columns }}</td>
<td class="num">{{ row.results }}</td><td class="best">{% for b in row.best %}{{ b }}{% if not loop.last %}<br>{% endif %}{% endfor %}</td></tr>
{% endfor %}
</tbody></table>
</div>
{% endblock %}
{% block scripts %}<script src="{{ root }}assets/site.js"></script>{% endblock %}
"""

BENCHMARK_TEMPLATES = {"benchmark.html": BENCHMARK, "benchmarks.html": BENCHMARKS}


class BenchmarkPages:
    """Writers of the benchmark pages, from the site's data (a :class:`SiteData`)."""

    def __init__(self, site: SiteData, render: Callable[..., None]) -> None:
        self.site = site
        self.render = render
        self._results_of: dict[str, list[dict]] = defaultdict(list)
        for row in site.results:
            self._results_of[row["benchmark"]].append(row)

    def benchmark(self, out: Path, iri: str) -> list[Chart]:
        """A benchmark's page: a leaderboard and a chart per survey column; returns the charts."""
        slug = self.site.bench_slug(iri)
        data = self.site.benchmarks[iri]
        facts = []
        for key, value in select(
            self.site.store,
            f"""SELECT ?key ?value WHERE {{
                {{ <{iri}> skos:definition ?value BIND("definition" AS ?key) }}
                UNION {{ <{iri}> mmkg:projectUrl ?value BIND("project" AS ?key) }}
                UNION {{ <{iri}> mmkg:hasPublication/mmkg:paperUrl ?value BIND("paper" AS ?key) }}
                UNION {{ <{iri}> mmkg:developedBy/rdfs:label ?value BIND("organisations" AS ?key) }}
                UNION {{ <{iri}> skos:editorialNote ?value BIND("note" AS ?key) }}
              }} ORDER BY ?key ?value""",
        ):
            text = cell_text(value)
            facts.append((key, text, safe_href(text) if key in ("project", "paper") else None))
        columns: dict[str, list[dict]] = defaultdict(list)
        for row in self._results_of.get(iri, []):
            columns[row["column"]].append(row)
        boards, charts = [], []
        for column, rows in sorted(columns.items()):
            chart = f"benchmark-{file_slug('x/' + column)}-{slug}.svg"
            best = sorted(rows, key=lambda r: (-r["score"], r["variant"]))[:CHART_MAX]
            write_benchmark_chart(
                column,
                [
                    {
                        "variant": r["variant"],
                        "score": float(r["score"]),
                        "seen": bool(r["seen"]),
                        "reimplemented": bool(r["reimplemented"]),
                    }
                    for r in best
                ],
                out / "charts" / chart,
            )
            charts.append(
                Chart(chart, f"{column} ({data['label']})", "", page=f"benchmarks/{slug}.html")
            )
            ranked, previous, rank = [], None, 0
            ordered = sorted(rows, key=lambda r: (-r["score"], r["variant"]))
            for i, r in enumerate(ordered[:BOARD_MAX]):
                if r["score"] != previous:
                    rank, previous = i + 1, r["score"]
                model_label = (
                    self.site.facts.get(r["model"], {}).get("label", "") if r["model"] else ""
                )
                ranked.append(
                    {
                        "rank": rank,
                        "variant": r["variant"],
                        "model": self.site.link(r["model"], model_label, "../"),
                        "backbone": r["backbone"] or "",
                        "score": cell_text(r["score"]),
                        "seen": r["seen"],
                        "reimplemented": r["reimplemented"],
                    }
                )
            boards.append(
                {
                    "column": column,
                    "anchor": "col-" + file_slug("x/" + column),
                    "metric": rows[0]["metric"] or "",
                    "rows": ranked,
                    "total": len(rows),
                    "charted": len(best),
                    "chart": f"../charts/{chart}",
                }
            )
        self.render(
            out,
            f"benchmarks/{slug}.html",
            "benchmark.html",
            title=data["label"],
            name=data["label"],
            facts=facts,
            boards=boards,
            sources=self.site.sources(iri),
        )
        return charts

    def index(self, out: Path) -> None:
        """The list of benchmarks with their result counts and best scores."""
        rows = []
        for iri, data in sorted(
            self.site.benchmarks.items(), key=lambda kv: kv[1]["label"].casefold()
        ):
            mine = self._results_of.get(iri, [])
            by_column: dict[tuple[str, str], list[dict]] = defaultdict(list)
            for r in mine:
                by_column[(r["column"], r["metric"] or "")].append(r)
            # one best per column and metric: scores of different metrics never compete
            best = [
                min(rows, key=lambda r: (-r["score"], r["variant"]))
                for _, rows in sorted(by_column.items())
            ]
            rows.append(
                {
                    "url": self.site.url(iri).removeprefix("benchmarks/"),
                    "name": data["label"],
                    "columns": ", ".join(sorted({r["column"] for r in mine})),
                    "results": len(mine),
                    "best": [
                        f"{b['column']}: {cell_text(b['score'])} ({b['variant']})"
                        + (f" [{b['metric']}]" if b["metric"] else "")
                        for b in best
                    ],
                }
            )
        self.render(out, "benchmarks/index.html", "benchmarks.html", title="Benchmarks", rows=rows)
