"""The pages of answers: the competency questions (queries.html) and the analyses
(analyses.html), each answer in people's words (:mod:`mmkg.render.answertable`) and cut at
:data:`ANSWER_MAX` rows, the rest counted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mmkg.queries import QueryError, Table, find_queries
from mmkg.render.answers import COUNT_MAX, guarded_answer_head
from mmkg.render.answertable import AnswerWords
from mmkg.render.explanations import EXPLANATIONS
from mmkg.render.html import file_slug
from mmkg.render.sitedata import SiteData
from mmkg.render.words import property_labels

# ruff: noqa: E501 - HTML lines of the templates

__all__ = ["ANSWER_MAX", "ANSWER_TEMPLATES", "AnswerPages", "analyses_available"]

ANSWER_MAX = 300  # rows of a query's or an analysis's answer

TABLE_MACRO = """{% macro answer(table, label) %}
<div class="tablewrap" role="region" aria-label="{{ label }}" tabindex="0">
<table class="sortable">
<thead><tr>{% for column in table.columns %}<th>{% if column.variable %}<span title="variable ?{{ column.variable }}">{{ column.text }}</span>{% else %}{{ column.text }}{% endif %}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in table.rows %}<tr>{% for cell in row %}<td{% if cell.num %} class="num"{% endif %}{% if cell.title %} title="{{ cell.title }}"{% endif %}{% if cell.sort is not none %} data-sort="{{ cell.sort }}"{% endif %}>{% for piece in cell.pieces %}{% if piece.url %}<a href="{{ piece.url }}">{{ piece.text }}</a>{% else %}{{ piece.text }}{% endif %}{% endfor %}</td>{% endfor %}</tr>
{% endfor %}
</tbody></table>
</div>
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
<p class="muted">{{ q.table.total_text }} row(s){% if q.table.total > q.table.rows|length %}; the first {{ q.table.rows|length }} shown (<code>mmkg query {{ q.name }}</code> gives them all){% endif %}</p>
{{ tables.answer(q.table, "answer to CQ " ~ q.cq) }}
{% endif %}
{% endfor %}
{% endblock %}
{% block scripts %}<script src="{{ root }}assets/site.js"></script>{% endblock %}
"""

ANALYSES = """{% extends "base.html" %}
{% import "table.html" as tables %}
{% block content %}
<h1>Analyses</h1>
<p>Measures computed on the graph with NetworkX when the site was made: what is reused,
which nodes are hubs, how the lineage branches, which models form groups and how the field
moved per half-year. Each says what it computes and whether it approximates; names link to
their pages.</p>
<ul class="plain">
{% for a in analyses %}<li><a href="#{{ a.anchor }}">{{ a.title }}</a>: {{ a.summary }}</li>{% endfor %}
</ul>
{% for a in analyses %}
<h2 id="{{ a.anchor }}">{{ a.title }}</h2>
<p class="explanation">{{ a.explanation or a.summary }}</p>
{% if a.error %}<p><span class="badge">error</span> {{ a.error }}</p>{% endif %}
{% for section in a.sections %}
{% if section.name %}<h3 id="{{ section.anchor }}">{{ section.name }}</h3>{% endif %}
{% if section.table.total > section.table.rows|length %}<p class="muted">The first {{ section.table.rows|length }} of {{ section.table.total }} rows.</p>{% endif %}
{{ tables.answer(section.table, a.title ~ (": " ~ section.name if section.name else "")) }}
{% endfor %}
{% endfor %}
{% endblock %}
{% block scripts %}<script src="{{ root }}assets/site.js"></script>{% endblock %}
"""

ANSWER_TEMPLATES = {"table.html": TABLE_MACRO, "queries.html": QUERIES, "analyses.html": ANALYSES}


class AnswerPages:
    """Writers of the queries and analyses pages, from the site's data (a :class:`SiteData`
    with a ``warnings`` list)."""

    def __init__(self, site: SiteData, render: Callable[..., None], queries_dir: Path) -> None:
        self.site = site
        self.render = render
        self.queries_dir = queries_dir
        self._words: AnswerWords | None = None

    def _answer(
        self, table: Table, root: str, total: int | None = None, prefer: str | None = None
    ) -> dict:
        """A query or analysis answer for the table macro, in people's words (see
        :mod:`mmkg.render.answertable`): names link to their pages, at most ANSWER_MAX rows;
        ``total`` says how many the answer has (given, or counted)."""
        if self._words is None:  # read once, when the first answer is shown
            self._words = AnswerWords(self.site, property_labels(self.site.store))
        return self._words.table(table, root, total, ANSWER_MAX, COUNT_MAX, prefer)

    def queries(self, out: Path) -> None:
        """The competency questions: summary, description, SPARQL and current answer (its
        first ANSWER_MAX rows, the others counted)."""
        entries = []
        for name, query in find_queries(self.queries_dir).items():
            if query.cq is None:
                continue
            entry: dict[str, Any] = {
                "name": name,
                "cq": query.cq,
                "anchor": f"cq-{query.cq:02d}",
                "summary": query.summary,
                "description": query.description,
                "defaults": ", ".join(f"{k}={v}" for k, v in query.defaults.items()),
                "text": query.text,
                "error": None,
                "table": {"columns": [], "rows": [], "total": 0, "total_text": "0"},
            }
            try:
                table, total = guarded_answer_head(self.site.store, query, ANSWER_MAX)
                entry["table"] = self._answer(table, "", total)
            except QueryError as error:
                entry["error"] = str(error)
            entries.append(entry)
        entries.sort(key=lambda e: (e["cq"], e["name"]))
        self.render(out, "queries.html", "queries.html", title="Queries", queries=entries)

    def analyses(self, out: Path) -> None:
        """The tables of every analysis in mmkg.analysis.ANALYSES, each with a paragraph
        saying what it computes (mmkg.render.explanations)."""
        from mmkg import analysis

        entries = []
        for name, (function, summary) in analysis.ANALYSES.items():
            entry: dict[str, Any] = {
                "name": name,
                "title": name.replace("-", " ").capitalize(),
                "anchor": file_slug("x/" + name),
                "summary": summary,
                "explanation": EXPLANATIONS.get(name, ""),
                "error": None,
                "sections": [],
            }
            entries.append(entry)
            try:
                result = function(self.site.store)
                sections = result.sections() if hasattr(result, "sections") else {"": result}
            except Exception as error:  # noqa: BLE001 - one failing analysis must not sink the site
                entry["error"] = f"analysis '{name}' failed: {type(error).__name__}: {error}"
                self.site.warnings.append(entry["error"])
                continue
            for section, table in sections.items():
                prefer = "component" if re.search("co-usage|component", section) else None
                entry["sections"].append(
                    {
                        "name": section.capitalize() if section else "",
                        "anchor": file_slug(f"x/{name}-{section}"),
                        "table": self._answer(table, "", prefer=prefer),
                    }
                )
        self.render(out, "analyses.html", "analyses.html", title="Analyses", analyses=entries)


def analyses_available() -> bool:
    """Whether mmkg.analysis is there with its ANALYSES registry."""
    try:
        from mmkg import analysis
    except ImportError:
        return False
    return isinstance(getattr(analysis, "ANALYSES", None), dict)
