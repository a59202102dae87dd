"""The site's page templates (Jinja2, autoescaped; each extends the base layout of html.py)."""

# ruff: noqa: E501 - HTML lines

from __future__ import annotations

__all__ = ["TEMPLATES"]

INDEX = """{% extends "base.html" %}
{% import "modeltable.html" as modeltable %}
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
  {% if more_families %}and {{ more_families }} smaller families (each model's page links to its own){% endif %}
  </li>
  <li><a href="graphs/architecture.html">Architecture</a>: models and the components they use;
      <a href="graphs/component-families.html">component families</a> and their derivations</li>
  <li><a href="benchmarks/index.html">Benchmarks</a>: leaderboards of the survey's Table 2</li>
  <li><a href="charts/index.html">Charts</a>: trends per half-year and benchmark comparisons</li>
  {% if has_analyses %}<li><a href="analyses.html">Analyses</a>: reuse, hubs, communities, trends</li>{% endif %}
  <li><a href="queries.html">Competency questions</a>: the SPARQL queries and their answers</li>
</ul>
<h2 id="models">Models</h2>
<div id="model-tools" hidden>
<div class="tools">
  <label for="model-filter">Text:</label>
  <input id="model-filter" class="filter" type="search" autocomplete="off"
         placeholder="e.g. Q-Former, Video, 2023-1, Tool-using">
</div>
<div class="tools">
  <label>Input <select id="filter-in"><option value="">any</option></select></label>
  <label>Output <select id="filter-out"><option value="">any</option></select></label>
  <label>Functional <select id="filter-functional"><option value="">any</option></select></label>
  <label>Design <select id="filter-design"><option value="">any</option></select></label>
  <label>Year <select id="filter-year"><option value="">any</option></select></label>
  <label>Size <select id="filter-size" title="parameter counts the model was released in"><option value="">any</option></select></label>
  <label>Organisation <input id="filter-org" class="short" type="search" list="org-list" autocomplete="off"></label>
  <label>Component <input id="filter-uses" class="short" type="search" list="component-list" autocomplete="off"></label>
  <label>Lineage family <input id="filter-family" class="short" type="search" list="family-list" autocomplete="off"></label>
  <button id="filter-clear" type="button">Clear</button>
</div>
<datalist id="org-list"></datalist><datalist id="component-list"></datalist><datalist id="family-list"></datalist>
<p class="muted"><span id="model-count">{{ total }}</span> of {{ total }} models match;
click a column heading to sort.</p>
<div class="pager" id="model-pager">
  <button id="page-first" type="button">« first</button>
  <button id="page-prev" type="button">‹ previous</button>
  <span id="page-status" aria-live="polite"></span>
  <button id="page-next" type="button">next ›</button>
  <button id="page-last" type="button">last »</button>
</div>
</div>
{{ modeltable.rows_table(rows, "models-table", "") }}
{{ modeltable.pager(pager, "static-pager") }}
{% endblock %}
{% block scripts %}
<script src="data/models.js"></script>
<script src="assets/model-table.js"></script>
{% endblock %}
"""

MODEL_LIST = """{% extends "base.html" %}
{% import "modeltable.html" as modeltable %}
{% block content %}
<h1>Models, page {{ pager.page }} of {{ pager.pages }}</h1>
<p class="muted">Models {{ pager.first }}–{{ pager.last }} of {{ pager.total }}, by name: the
pages for reading without JavaScript. The <a href="../index.html#models">table on the front
page</a> filters and sorts them all.</p>
{{ modeltable.pager(pager, "static-pager") }}
{{ modeltable.rows_table(rows, "models-table", "../") }}
{{ modeltable.pager(pager, "static-pager-bottom") }}
{% endblock %}
"""

MODEL_TABLE_MACROS = """{% macro rows_table(rows, id, root) %}
<div class="tablewrap" role="region" aria-label="models" tabindex="0">
<table id="{{ id }}" class="models">
<thead><tr><th>name</th><th>date</th><th>organisations</th><th>I→O</th><th>functional</th>
<th>design</th><th>input projector</th><th>LLM backbone</th></tr></thead>
<tbody>
{% for row in rows %}
<tr><td><a href="{{ root }}{{ row.url }}">{{ row.name }}</a></td><td class="nowrap">{{ row.date }}</td>
<td>{{ row.organisations }}</td><td>{{ row.io }}</td><td>{{ row.functional }}</td>
<td>{{ row.design }}</td><td>{{ row.projector }}</td><td>{{ row.backbone }}</td></tr>
{% endfor %}
</tbody>
</table>
</div>
{% endmacro %}
{% macro pager(p, id) %}
{% if p.pages > 1 %}
<nav class="pager" id="{{ id }}" aria-label="pages of the model list">
  {% if p.prev %}<a href="{{ p.prev }}">‹ previous</a>{% endif %}
  {% for number, url in p.links %}{% if url %}<a href="{{ url }}">{{ number }}</a>{% elif number %}<b>{{ number }}</b>{% else %}…{% endif %}
  {% endfor %}
  {% if p.next %}<a href="{{ p.next }}">next ›</a>{% endif %}
</nav>
{% endif %}
{% endmacro %}
"""

MODEL = """{% extends "base.html" %}
{% from "macros.html" import link %}
{% block content %}
<h1>{{ name }}</h1>
<table class="facts">
{% for key, value, url, title in facts %}
<tr><th>{{ key }}</th><td{% if title %} title="{{ title }}"{% endif %}>{% if value is string %}{% if url %}<a href="{{ url }}">{{ value }}</a>{% else %}{{ value }}{% endif %}{% else %}{% for v in value %}{{ link(v) }}{{ ", " if not loop.last }}{% endfor %}{% endif %}</td></tr>
{% endfor %}
</table>
<p><a href="{{ compare_url }}">Compare with…</a> other models side by side</p>
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
{% else %}<span class="muted">none recorded</span>{% endfor %}
{% if more_up %}<span class="muted">and {{ more_up }} more further up (see the lineage family)</span>{% endif %}</p>
<p>Down (later models that descend from it):
{% for item in descendants %}{{ link(item) }} <span class="muted">({{ item.how }})</span>{{ ";" if not loop.last }}
{% else %}<span class="muted">none recorded</span>{% endfor %}
{% if more_down %}<span class="muted">and {{ more_down }} more further down (see the lineage family)</span>{% endif %}</p>
<p>Graphs: {% if lineage_node %}<a href="../graphs/lineage.html#node={{ lineage_node|urlencode }}">see it in the lineage</a>{% else %}<a href="../graphs/lineage.html">the whole lineage</a>{% endif %}
{% if family_url %} · <a href="{{ family_url }}{% if family_node %}#node={{ family_node|urlencode }}{% endif %}">lineage family</a>{% endif %}
{% if family_page %} · <a href="{{ family_page }}">family page</a>{% endif %}
{% if ego_url %} · <a href="{{ ego_url }}">neighbourhood graph</a>{% endif %}</p>
<h2>Results</h2>
{% if results %}
<div class="tablewrap" role="region" aria-label="results" tabindex="0">
<table class="sortable">
<thead><tr><th>variant</th><th>benchmark</th><th>score</th><th>training images seen</th>
<th>re-implemented</th></tr></thead>
<tbody>
{% for row in results %}
<tr><td>{{ row.variant }}</td><td>{{ link(row.benchmark) }}</td><td class="num">{{ row.score }}</td>
<td>{{ row.seen }}</td><td>{{ row.reimplemented }}</td></tr>
{% endfor %}
</tbody></table>
</div>
{% else %}<p class="muted">No results recorded.</p>{% endif %}
<h2>Sources</h2>
<ul class="plain">
{% for source in sources %}<li>{{ link(source) }}</li>{% endfor %}
</ul>
{% if notes %}<h2>Notes</h2>
<ul class="plain">{% for note in notes %}<li>{{ note }}</li>{% endfor %}</ul>{% endif %}
{% endblock %}
{% block scripts %}<script src="{{ root }}assets/site.js"></script>{% endblock %}
"""

COMPONENT = """{% extends "base.html" %}
{% from "macros.html" import link %}
{% block content %}
<h1>{{ name }}</h1>
<table class="facts">
{% for key, value in facts %}<tr><th>{{ key }}</th><td>{% if value is string %}{{ value }}{% else %}{{ link(value) }}{% endif %}</td></tr>{% endfor %}
{% if siblings %}<tr><th>same family</th><td>
{% for item in siblings %}{{ link(item) }}{{ ", " if not loop.last }}{% endfor %}</td></tr>{% endif %}
{% if derived_from %}<tr><th>derived from</th><td>
{% for item in derived_from %}{{ link(item) }} <span class="muted">({{ item.how }})</span>{{ ", " if not loop.last }}{% endfor %}</td></tr>{% endif %}
{% if derived_into %}<tr><th>derived into</th><td>
{% for item in derived_into %}{{ link(item) }} <span class="muted">({{ item.how }})</span>{{ ", " if not loop.last }}{% endfor %}</td></tr>{% endif %}
</table>
<h2>Models using it</h2>
<div class="counts" id="usage-counts">
  <div><b>{{ users }}</b>models using this exact component</div>
  {% if family %}<div><b>{{ family_users }}</b>models using any member of its family, <a href="{{ family.url }}">{{ family.label }}</a></div>{% endif %}
</div>
{% if users %}<p><a href="{{ table_url }}">All {{ users }} in the model table</a>.</p>{% endif %}
{% for role, models, count in by_role %}
<h3>as {{ role }} ({{ count }})</h3>
<ul class="plain">{% for item in models %}<li>{{ link(item) }}{% if item.detail %} <span class="muted">({{ item.detail }})</span>{% endif %}</li>{% endfor %}</ul>
{% if count > models|length %}<p class="muted">and {{ count - models|length }} more: see <a href="{{ table_url }}">the model table</a>.</p>{% endif %}
{% else %}<p class="muted">No model in the graph uses it.</p>
{% endfor %}
<p>Graphs: <a href="../graphs/component-families.html">component families</a> ·
<a href="../graphs/architecture.html">architecture</a></p>
{% if sources %}<h2>Sources</h2>
<ul class="plain">{% for source in sources %}<li>{{ link(source) }}</li>{% endfor %}</ul>{% endif %}
{% endblock %}
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

MACROS = """{% macro link(item) -%}
{% if item.url %}<a href="{{ item.url }}">{{ item.label }}</a>{% else %}{{ item.label }}{% endif %}
{%- endmacro %}
"""

GRAPH = """{% extends "base.html" %}
{% block content %}
<h1>{{ title }}</h1>
<p class="muted">{{ intro }} Scroll to zoom, drag to pan; the list under the graph gives every
node and link.</p>
{% if note %}<p class="note">{{ note }}</p>{% endif %}
<div class="graphtools">
  <label for="search">Find a node:</label>
  <input id="search" class="filter" list="node-labels" autocomplete="off"
         placeholder="type a name and press Enter">
  <button id="search-next" type="button" disabled>Next match</button>
  <button id="fit" type="button">Show all</button>
  {% set hidden = node_list|selectattr("hidden")|list %}
  {% if hidden %}<label><input id="show-hidden" type="checkbox"> {{ hidden_label }}</label>{% endif %}
  <span id="search-status" class="muted" aria-live="polite"></span>
  <span id="search-count" class="muted"></span>
</div>
<datalist id="node-labels">
{% for label in labels %}<option value="{{ label }}">
{% endfor %}
</datalist>
<div class="graphwrap">
  <div id="mynetwork" role="img" aria-label="{{ title }}: a drawing of {{ node_list|length }} nodes and {{ edge_list|length }} links"
       aria-describedby="graph-list"></div>
  <aside class="legend">
  {% for section in legend %}
    <h2>{{ section.title }}</h2>
    <ul>
    {% for item in section["items"] %}
      <li>{% if item.shape == "line" and "dashes" in item %}<svg width="30" height="10" aria-hidden="true"><line x1="1" y1="5" x2="29" y2="5" stroke="{{ item.colour }}" stroke-width="{{ 1.2 if item.get("thin") else 2.6 }}"{% if item.dashes %} stroke-dasharray="{{ item.dashes|join(' ') }}"{% endif %}/></svg>{% else %}<span class="swatch {{ item.shape }}" style="--c: {{ item.colour }}"></span>{% endif %}
        {{ item.label }}</li>
    {% endfor %}
    </ul>
  {% endfor %}
  </aside>
</div>
<details id="graph-list" class="graph-list">
<summary>The graph as a list: {{ node_list|length }} nodes, {{ edge_list|length }} links</summary>
<h2>Nodes</h2>
<p class="muted">A name selects the node in the graph above; "page" opens its page.</p>
<ul>
{% for n in node_list %}<li><a href="#node={{ n.key|urlencode }}">{{ n.name }}</a>{% if n.url %} · <a href="{{ n.url }}">page</a>{% endif %}{% if n.hidden %} <span class="muted">(hidden until shown)</span>{% endif %}</li>
{% endfor %}
</ul>
{% if edge_list %}<h2>Links</h2>
<table class="graph-edges">
<thead><tr><th>from</th><th>to</th><th>what</th></tr></thead>
<tbody>
{% for e in edge_list %}<tr><td>{{ e.source }}</td><td>{{ e.target }}</td><td>{{ e.what }}</td></tr>
{% endfor %}
</tbody></table>{% endif %}
</details>
{% endblock %}
{% block scripts %}
<script src="{{ root }}assets/vis-network.min.js"></script>
<script>
var NODES = {{ nodes|js }};
var EDGES = {{ edges|js }};
var PAGES = {{ pages|js }};
var KEYS = {{ keys|js }};
var AXIS = {{ axis|js }};
var VIEW = {{ view|js }};
</script>
<script src="{{ root }}assets/graph.js"></script>
{% endblock %}
"""

TEMPLATES = {
    "macros.html": MACROS,
    "graph.html": GRAPH,
    "index.html": INDEX,
    "models-list.html": MODEL_LIST,
    "modeltable.html": MODEL_TABLE_MACROS,
    "model.html": MODEL,
    "component.html": COMPONENT,
    "charts.html": CHARTS,
}
