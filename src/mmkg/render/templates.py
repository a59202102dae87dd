"""The site's page templates (Jinja2, autoescaped; each extends the base layout of html.py)."""

# ruff: noqa: E501 - HTML lines

from __future__ import annotations

__all__ = ["TEMPLATES"]

INDEX = """{% extends "base.html" %}
{% block content %}
<h1>Multimodal large language models: a knowledge graph</h1>
<p>The models of the survey <em>MM-LLMs: Recent Advances in MultiModal Large Language
Models</em> (arXiv 2401.13601) and its tracking website: their architectures, lineage,
components and benchmark results, as pages you can browse offline.</p>
<div class="counts">
{% for label, number in counts %}
  <div><b>{{ number }}</b>{{ label }}</div>
{% endfor %}
</div>
<h2>Explore</h2>
<ul class="plain">
  <li><a href="graphs/lineage.html">Lineage of all models</a> along time, and per family:
  {% for family in families %}
    <a href="{{ family.url }}">{{ family.name }}</a> ({{ family.size }}){{ "," if not loop.last }}
  {% endfor %}
  </li>
  <li><a href="graphs/architecture.html">Architecture</a>: models and the components they use;
      <a href="graphs/component-families.html">component families</a> and their derivations</li>
  <li><a href="benchmarks/index.html">Benchmarks</a>: leaderboards of the survey's Table 2</li>
  <li><a href="charts/index.html">Charts</a>: trends per half-year and benchmark comparisons</li>
  {% if has_analyses %}<li><a href="analyses.html">Analyses</a>: reuse, hubs, communities, trends</li>{% endif %}
  <li><a href="queries.html">Competency questions</a>: the SPARQL queries and their answers</li>
</ul>
<h2 id="models">Models</h2>
<p><label for="model-filter">Filter:</label>
<input id="model-filter" class="filter" type="search" data-filter="models-table"
       data-count="model-count" placeholder="e.g. Q-Former, Video, 2023-1, Tool-using">
<span class="muted"><span id="model-count">{{ rows|length }}</span> of {{ rows|length }} shown;
click a column heading to sort.</span></p>
<table id="models-table" class="sortable">
<thead><tr><th>name</th><th>date</th><th>organisations</th><th>I→O</th><th>functional</th>
<th>design</th><th>input projector</th><th>LLM backbone</th></tr></thead>
<tbody>
{% for row in rows %}
<tr><td><a href="{{ row.url }}">{{ row.name }}</a></td><td class="nowrap">{{ row.date }}</td>
<td>{{ row.organisations }}</td><td>{{ row.io }}</td><td>{{ row.functional }}</td>
<td>{{ row.design }}</td><td>{{ row.projector }}</td><td>{{ row.backbone }}</td></tr>
{% endfor %}
</tbody>
</table>
{% endblock %}
{% block scripts %}<script>{{ table_js|safe }}</script>{% endblock %}
"""

MODEL = """{% extends "base.html" %}
{% from "macros.html" import link %}
{% block content %}
<h1>{{ name }}</h1>
<table class="facts">
{% for key, value, url in facts %}
<tr><th>{{ key }}</th><td>{% if url %}<a href="{{ url }}">{{ value }}</a>{% else %}{{ value }}{% endif %}</td></tr>
{% endfor %}
</table>
<h2>Architecture</h2>
{% if detailed %}
<div class="pipeline">
{% for stage in pipeline %}
  <div class="stage{% if stage.none %} none{% endif %}">
    <span class="role">{{ stage.role }}</span>
    {% if stage.none %}none{% elif not stage["items"] %}<span class="muted">not given</span>{% endif %}
    {% for item in stage["items"] %}
      <div>{{ link(item) }}{% if item.detail %} <span class="muted">({{ item.detail }})</span>{% endif %}</div>
    {% endfor %}
  </div>
  {% if not loop.last %}<span class="arrow">→</span>{% endif %}
{% endfor %}
</div>
{% else %}
<div class="pipeline"><div class="stage none"><span class="role">architecture</span>not detailed:
the sources give no architecture for this model</div></div>
{% endif %}
<h2>Lineage</h2>
<p>Up (earlier models it descends from):
{% for item in ancestors %}{{ link(item) }} <span class="muted">({{ item.how }})</span>{{ ";" if not loop.last }}
{% else %}<span class="muted">none recorded</span>{% endfor %}</p>
<p>Down (later models that descend from it):
{% for item in descendants %}{{ link(item) }} <span class="muted">({{ item.how }})</span>{{ ";" if not loop.last }}
{% else %}<span class="muted">none recorded</span>{% endfor %}</p>
<p>Graphs: <a href="../graphs/lineage.html">whole lineage</a>
{% if family_url %} · <a href="{{ family_url }}">lineage family</a>{% endif %}
{% if ego_url %} · <a href="{{ ego_url }}">neighbourhood graph</a>{% endif %}</p>
<h2>Results</h2>
{% if results %}
<table class="sortable">
<thead><tr><th>variant</th><th>benchmark</th><th>score</th><th>training images seen</th>
<th>re-implemented</th></tr></thead>
<tbody>
{% for row in results %}
<tr><td>{{ row.variant }}</td><td>{{ link(row.benchmark) }}</td><td class="num">{{ row.score }}</td>
<td>{{ row.seen }}</td><td>{{ row.reimplemented }}</td></tr>
{% endfor %}
</tbody></table>
{% else %}<p class="muted">No results recorded.</p>{% endif %}
<h2>Sources</h2>
<ul class="plain">
{% for source in sources %}<li>{{ link(source) }}</li>{% endfor %}
</ul>
{% if notes %}<h2>Notes</h2>
<ul class="plain">{% for note in notes %}<li>{{ note }}</li>{% endfor %}</ul>{% endif %}
{% endblock %}
{% block scripts %}<script>{{ table_js|safe }}</script>{% endblock %}
"""

COMPONENT = """{% extends "base.html" %}
{% from "macros.html" import link %}
{% block content %}
<h1>{{ name }}</h1>
<table class="facts">
{% for key, value in facts %}<tr><th>{{ key }}</th><td>{{ value }}</td></tr>{% endfor %}
{% if siblings %}<tr><th>same family</th><td>
{% for item in siblings %}{{ link(item) }}{{ ", " if not loop.last }}{% endfor %}</td></tr>{% endif %}
{% if derived_from %}<tr><th>derived from</th><td>
{% for item in derived_from %}{{ link(item) }} <span class="muted">({{ item.how }})</span>{{ ", " if not loop.last }}{% endfor %}</td></tr>{% endif %}
{% if derived_into %}<tr><th>derived into</th><td>
{% for item in derived_into %}{{ link(item) }} <span class="muted">({{ item.how }})</span>{{ ", " if not loop.last }}{% endfor %}</td></tr>{% endif %}
</table>
<h2>Models using it</h2>
{% for role, models in by_role %}
<h3>as {{ role }} ({{ models|length }})</h3>
<ul class="plain">{% for item in models %}<li>{{ link(item) }}{% if item.detail %} <span class="muted">({{ item.detail }})</span>{% endif %}</li>{% endfor %}</ul>
{% else %}<p class="muted">No model in the graph uses it.</p>
{% endfor %}
<p>Graphs: <a href="../graphs/component-families.html">component families</a> ·
<a href="../graphs/architecture.html">architecture</a></p>
{% if sources %}<h2>Sources</h2>
<ul class="plain">{% for source in sources %}<li>{{ link(source) }}</li>{% endfor %}</ul>{% endif %}
{% endblock %}
"""

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
<figure><img src="{{ board.chart }}" alt="bar chart of the scores on {{ board.column }}"></figure>
{% else %}
<p class="muted">No results on this benchmark in the survey's Table 2.</p>
{% endfor %}
{% if sources %}<h2>Sources</h2>
<ul class="plain">{% for source in sources %}<li>{{ link(source) }}</li>{% endfor %}</ul>{% endif %}
{% endblock %}
{% block scripts %}<script>{{ table_js|safe }}</script>{% endblock %}
"""

BENCHMARKS = """{% extends "base.html" %}
{% block content %}
<h1>Benchmarks</h1>
<p class="muted">Scores from the survey's Table 2, one leaderboard per column.</p>
<table class="sortable">
<thead><tr><th>benchmark</th><th>columns</th><th>results</th><th>best</th></tr></thead>
<tbody>
{% for row in rows %}
<tr><td><a href="{{ row.url }}">{{ row.name }}</a></td><td>{{ row.columns }}</td>
<td class="num">{{ row.results }}</td><td>{{ row.best }}</td></tr>
{% endfor %}
</tbody></table>
{% endblock %}
{% block scripts %}<script>{{ table_js|safe }}</script>{% endblock %}
"""

CHARTS = """{% extends "base.html" %}
{% block content %}
<h1>Charts</h1>
<h2>Trends per half-year</h2>
{% for chart in trends %}
<figure><img src="{{ chart.file }}" alt="{{ chart.title }}">
<figcaption>{{ chart.title }}: {{ chart.caption }}</figcaption></figure>
{% endfor %}
<h2>Benchmark comparisons</h2>
<p class="muted">Hatched bars: the model saw the benchmark's training images; an asterisk:
re-implemented by others.</p>
{% for chart in benchmarks %}
<figure><img src="{{ chart.file }}" alt="{{ chart.title }}">
<figcaption>{{ chart.title }} · <a href="{{ chart.page }}">leaderboard</a></figcaption></figure>
{% endfor %}
{% endblock %}
"""

TABLE_MACRO = """{% macro answer(table) %}
<table class="sortable">
<thead><tr>{% for column in table.columns %}<th>{{ column }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in table.rows %}<tr>{% for cell in row %}<td{% if cell.num %} class="num"{% endif %}>{% if cell.url %}<a href="{{ cell.url }}">{{ cell.text }}</a>{% else %}{{ cell.text }}{% endif %}</td>{% endfor %}</tr>
{% endfor %}
</tbody></table>
{% endmacro %}"""

QUERIES = """{% extends "base.html" %}
{% import "table.html" as tables %}
{% block content %}
<h1>Competency questions</h1>
<p>Each question of the design notes is a SPARQL query in <code>queries/cq/</code>; the answer
below is the query run on this graph with its default parameters
(<code>mmkg query NAME --param name=value</code> runs it with others).</p>
<ul class="plain">
{% for q in queries %}<li><a href="#{{ q.anchor }}">CQ {{ q.cq }}</a>: {{ q.summary }}</li>{% endfor %}
</ul>
{% for q in queries %}
<h2 id="{{ q.anchor }}">CQ {{ q.cq }}. {{ q.summary }}</h2>
<p>{{ q.description }}</p>
<p class="muted"><code>{{ q.name }}</code>{% if q.defaults %}; defaults: {{ q.defaults }}{% endif %}</p>
<details><summary>SPARQL</summary><pre class="sparql">{{ q.text }}</pre></details>
{% if q.error %}<p><span class="badge">error</span> {{ q.error }}</p>
{% else %}
<p class="muted">{{ q.table.rows|length }} row(s)</p>
{{ tables.answer(q.table) }}
{% endif %}
{% endfor %}
{% endblock %}
{% block scripts %}<script>{{ table_js|safe }}</script>{% endblock %}
"""

ANALYSES = """{% extends "base.html" %}
{% import "table.html" as tables %}
{% block content %}
<h1>Analyses</h1>
<ul class="plain">
{% for a in analyses %}<li><a href="#{{ a.anchor }}">{{ a.name }}</a></li>{% endfor %}
</ul>
{% for a in analyses %}
<h2 id="{{ a.anchor }}">{{ a.name }}</h2>
<p>{{ a.summary }}</p>
{% if a.error %}<p><span class="badge">error</span> {{ a.error }}</p>
{% else %}{{ tables.answer(a.table) }}{% endif %}
{% endfor %}
{% endblock %}
{% block scripts %}<script>{{ table_js|safe }}</script>{% endblock %}
"""

MACROS = """{% macro link(item) -%}
{% if item.url %}<a href="{{ item.url }}">{{ item.label }}</a>{% else %}{{ item.label }}{% endif %}
{%- endmacro %}
"""

GRAPH = """{% extends "base.html" %}
{% block content %}
<h1>{{ title }}</h1>
<p class="muted">{{ intro }} Scroll to zoom, drag to pan.</p>
<div class="graphtools">
  <label for="search">Find a node:</label>
  <input id="search" class="filter" list="node-labels" autocomplete="off"
         placeholder="type a name and press Enter">
  <button id="fit" type="button">Show all</button>
  <span id="search-status" class="muted" aria-live="polite"></span>
</div>
<datalist id="node-labels">
{% for label in labels %}<option value="{{ label }}">
{% endfor %}
</datalist>
<div class="graphwrap">
  <div id="mynetwork"></div>
  <aside class="legend">
  {% for section in legend %}
    <h3>{{ section.title }}</h3>
    <ul>
    {% for item in section["items"] %}
      <li><span class="swatch {{ item.shape }}" style="--c: {{ item.colour }}"></span>
        {{ item.label }}</li>
    {% endfor %}
    </ul>
  {% endfor %}
  </aside>
</div>
{% endblock %}
{% block scripts %}
<script>{{ vis_js|safe }}</script>
<script>
var NODES = {{ nodes|js }};
var EDGES = {{ edges|js }};
var PAGES = {{ pages|js }};
var AXIS = {{ axis|js }};
var VIEW = {{ view|js }};
var nodes = new vis.DataSet(NODES);
var edges = new vis.DataSet(EDGES);
var network = new vis.Network(document.getElementById("mynetwork"),
                              {nodes: nodes, edges: edges}, {{ options|js }});
function pageOf(id) {
  return Object.prototype.hasOwnProperty.call(PAGES, id) ? PAGES[id] : null;
}
function openNode(id) {
  var url = pageOf(id);
  if (url) { window.location.href = url; }
  return url;
}
network.on("click", function (params) {
  if (params && params.nodes && params.nodes.length === 1) { openNode(params.nodes[0]); }
});
network.on("hoverNode", function (params) {
  network.canvas.body.container.style.cursor = pageOf(params.node) ? "pointer" : "default";
});
network.on("blurNode", function () {
  network.canvas.body.container.style.cursor = "default";
});
if (AXIS) {
  network.on("beforeDrawing", function (ctx) {
    ctx.save();
    ctx.strokeStyle = "#d0d7de";
    ctx.fillStyle = "#57606a";
    ctx.font = "bold 16px system-ui, sans-serif";
    ctx.textAlign = "left";
    AXIS.years.forEach(function (year) {
      ctx.beginPath();
      ctx.moveTo(year.x, AXIS.top - 36);
      ctx.lineTo(year.x, AXIS.bottom);
      ctx.stroke();
      ctx.fillText(year.text, year.x + 6, AXIS.top - 22);
    });
    ctx.font = "13px system-ui, sans-serif";
    ctx.textAlign = "center";
    AXIS.ticks.forEach(function (tick) { ctx.fillText(tick.text, tick.x, AXIS.top); });
    ctx.textAlign = "right";
    ctx.font = "italic 14px system-ui, sans-serif";
    AXIS.lanes.forEach(function (lane) { ctx.fillText(lane.text, lane.x, lane.y); });
    ctx.restore();
  });
}
function firstView() {
  network.fit({animation: false});
  if (network.getScale() >= VIEW.min_scale) { return; }
  var scale = VIEW.min_scale;
  if (VIEW.anchor !== "top-left") {
    network.moveTo({scale: scale, animation: false});
    return;
  }
  var box = document.getElementById("mynetwork");
  var left = Infinity, top = Infinity;
  NODES.forEach(function (node) {
    left = Math.min(left, node.x);
    top = Math.min(top, node.y);
  });
  network.moveTo({
    position: {x: left - 60 + box.clientWidth / (2 * scale),
               y: top - 70 + box.clientHeight / (2 * scale)},
    scale: scale,
    animation: false
  });
}
firstView();
function findNode(text) {
  var query = text.trim().toLowerCase();
  if (!query) { return null; }
  var exact = null, partial = null;
  nodes.forEach(function (node) {
    var label = String(node.label).toLowerCase();
    if (label === query && exact === null) { exact = node.id; }
    if (label.indexOf(query) >= 0 && partial === null) { partial = node.id; }
  });
  return exact !== null ? exact : partial;
}
function focusNode(text) {
  var status = document.getElementById("search-status");
  var id = findNode(text);
  if (id === null) {
    status.textContent = text.trim() ? "no node matches" : "";
    network.unselectAll();
    return null;
  }
  network.selectNodes([id]);
  network.focus(id, {scale: 1.2, animation: false});
  status.textContent = "found: " + nodes.get(id).label;
  return id;
}
var search = document.getElementById("search");
search.addEventListener("keydown", function (e) {
  if (e.key === "Enter") { focusNode(search.value); }
});
search.addEventListener("change", function () { focusNode(search.value); });
document.getElementById("fit").addEventListener("click", function () {
  network.unselectAll();
  network.fit({animation: false});
});
</script>
{% endblock %}
"""

TEMPLATES = {
    "macros.html": MACROS,
    "graph.html": GRAPH,
    "index.html": INDEX,
    "model.html": MODEL,
    "component.html": COMPONENT,
    "benchmark.html": BENCHMARK,
    "benchmarks.html": BENCHMARKS,
    "charts.html": CHARTS,
    "table.html": TABLE_MACRO,
    "queries.html": QUERIES,
    "analyses.html": ANALYSES,
}
