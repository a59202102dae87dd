"""HTML building blocks: escaping for HTML and inline scripts, safe links and file names, layout.

Every page is a Jinja2 template rendered with autoescape on, so a label is escaped wherever it
lands in the HTML; data for inline scripts goes through :func:`js_literal`.

>>> str(js_literal({"label": "</script><b>"}))
'{"label": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
>>> safe_href("javascript:alert(1)") is None, safe_href("https://arxiv.org/abs/1")
(True, 'https://arxiv.org/abs/1')
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

__all__ = ["js_literal", "safe_href", "file_slug", "SlugMap", "environment", "STYLE"]

_JS_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_SLUG_BAD = re.compile(r"[^A-Za-z0-9._-]+")


def js_literal(value: Any) -> Markup:
    """*value* as a JSON literal safe inside an inline ``<script>`` (no ``</``, ``<!--``)."""
    text = json.dumps(value, ensure_ascii=False)
    return Markup(re.sub("[<>&\u2028\u2029]", lambda m: _JS_ESCAPES[m.group(0)], text))


def safe_href(url: Any) -> str | None:
    """*url* if it is a plain http(s) address, else None (never a ``javascript:`` link)."""
    if not isinstance(url, str) or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def file_slug(iri: str) -> str:
    """A file name stem for an IRI: its last path segment, cut down to ``[A-Za-z0-9._-]``.

    >>> file_slug("https://w3id.org/mmkg/id/model/llava-1.5"), file_slug("x/../<b>")
    ('llava-1.5', 'b')
    """
    last = iri.rstrip("/").rsplit("/", 1)[-1]
    slug = _SLUG_BAD.sub("-", last).strip(".-_")[:80]
    return slug or "x" + hashlib.sha1(iri.encode()).hexdigest()[:10]


class SlugMap:
    """Unique file-name slugs for IRIs, stable for a given order of first use."""

    def __init__(self) -> None:
        self._by_iri: dict[str, str] = {}
        self._taken: set[str] = set()

    def __call__(self, iri: str) -> str:
        """The slug of *iri*, made unique with a short hash when two IRIs would collide."""
        if iri not in self._by_iri:
            slug = file_slug(iri)
            if slug.lower() in self._taken:
                slug = f"{slug}-{hashlib.sha1(iri.encode()).hexdigest()[:8]}"
            self._taken.add(slug.lower())
            self._by_iri[iri] = slug
        return self._by_iri[iri]


STYLE = """
:root { --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --accent: #0a58ca; --soft: #f6f8fa;
        --bg: #fff; --top: #24292f; --focus: #0a58ca; --note: #fff8e1; --note-line: #e0c060;
        --stage: #dae8fc; --stage-line: #6c8ebf; --none: #f3f3f3; color-scheme: light dark; }
@media (prefers-color-scheme: dark) {
  :root { --ink: #e6edf3; --muted: #a6b0bb; --line: #3d444d; --accent: #6cb6ff; --soft: #161b22;
          --bg: #0d1117; --top: #010409; --focus: #ffd33d; --note: #2b2611; --note-line: #9e7c1a;
          --stage: #13263f; --stage-line: #5b8bd0; --none: #1c2128; }
  html .site-search ul { background: var(--bg); }
  html .site-search li[aria-selected=true] { background: #1f3a5f; }
  figure img { background: #fff; }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); background: var(--bg); overflow-wrap: break-word; }
a.skip { position: absolute; left: 8px; top: -60px; z-index: 2000; background: var(--bg);
         color: var(--accent); padding: 6px 12px; border: 2px solid var(--focus);
         border-radius: 6px; }
a.skip:focus { top: 8px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
header.top :focus-visible { outline-color: #ffd33d; }
main:focus { outline: none; }
header.top { background: var(--top); color: #fff; padding: 8px 20px; display: flex;
             gap: 6px 18px; flex-wrap: wrap; align-items: baseline; }
header.top a { color: #fff; text-decoration: none; }
header.top a.brand { font-weight: 700; margin-right: 10px; }
header.top a:hover { text-decoration: underline; }
nav.site { display: flex; flex-wrap: wrap; gap: 4px 18px; }
main { display: block; padding: 12px 20px 40px; max-width: 1400px; }
main.wide { max-width: none; }
h1 { font-size: 1.6em; margin: 0.3em 0 0.2em; overflow-wrap: anywhere; }
h2 { font-size: 1.2em; margin: 1.4em 0 0.4em; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05em; margin: 1.1em 0 0.3em; }
a { color: var(--accent); }
.muted { color: var(--muted); }
code { overflow-wrap: anywhere; }
.tablewrap { max-width: 100%; overflow-x: auto; margin: 6px 0; }
table { border-collapse: collapse; margin: 6px 0; }
.tablewrap > table { margin: 0; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
table.facts td { overflow-wrap: anywhere; }
.tablewrap td { min-width: 3.5em; }
th { background: var(--soft); }
table.sortable th { cursor: pointer; user-select: none; white-space: nowrap; }
table.sortable th[aria-sort=ascending]::after { content: " \\25B2"; font-size: 0.75em; }
table.sortable th[aria-sort=descending]::after { content: " \\25BC"; font-size: 0.75em; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.nowrap { white-space: nowrap; }
td[title] { text-decoration: underline dotted var(--muted); text-underline-offset: 3px; }
th span[title] { text-decoration: underline dotted var(--muted); text-underline-offset: 3px; }
table.facts { max-width: 100%; }
table.facts th { width: 13em; font-weight: 600; }
p.explanation { max-width: 52em; }
.counts { display: flex; gap: 12px; flex-wrap: wrap; margin: 10px 0; }
.counts div { background: var(--soft); border: 1px solid var(--line); border-radius: 6px;
              padding: 6px 14px; }
.counts b { display: block; font-size: 1.4em; }
input.filter { font: inherit; padding: 4px 8px; width: 26em; max-width: 100%; }
.pipeline { display: flex; align-items: stretch; flex-wrap: wrap; gap: 0; margin: 10px 0; }
.pipeline .stage { border: 2px solid var(--stage-line); background: var(--stage);
                   border-radius: 8px; padding: 6px 10px; min-width: 9em; max-width: 16em; }
.pipeline .stage.none { border-style: dashed; border-color: #999; background: var(--none);
                        color: var(--muted); }
.pipeline .stage .role { font-size: 0.8em; text-transform: uppercase; letter-spacing: 0.04em;
                         color: var(--muted); display: block; }
.pipeline .arrow { align-self: center; padding: 0 6px; font-size: 1.4em; color: var(--stage-line); }
.badge { display: inline-block; font-size: 0.8em; padding: 0 6px; border-radius: 8px;
         background: var(--note); border: 1px solid var(--note-line); }
ul.plain { padding-left: 1.2em; }
pre.sparql { background: var(--soft); border: 1px solid var(--line); padding: 8px;
             overflow-x: auto; font-size: 0.85em; }
.graphwrap { display: flex; gap: 14px; align-items: flex-start; }
#mynetwork { flex: 1; min-width: 0; height: 78vh; min-height: 480px; border: 1px solid var(--line);
             background: #fff; position: relative; }
aside.legend { width: 250px; flex: none; font-size: 0.9em; max-height: 78vh; overflow-y: auto; }
aside.legend h2, aside.legend h3 { font-size: 1em; margin: 0.6em 0 0.2em; border: 0; }
aside.legend ul { list-style: none; padding: 0; margin: 0 0 10px; }
aside.legend li { margin: 2px 0; }
.swatch { display: inline-block; width: 12px; height: 12px; border: 1px solid #555;
          background: var(--c); vertical-align: -1px; margin: 0 6px 0 3px; }
.swatch.dot { border-radius: 50%; }
.swatch.diamond { transform: rotate(45deg) scale(0.85); }
.swatch.box { border-radius: 2px; }
.swatch.ellipse { width: 18px; height: 10px; border-radius: 50%; margin-left: 0; }
.swatch.line { height: 0; width: 18px; border: 0; border-top: 3px solid var(--c); margin-left: 0; }
.swatch.dashed { height: 0; width: 24px; border: 0; border-top: 2px dashed var(--c);
                 margin-left: 0; }
.graph-list { max-width: 100%; overflow-x: auto; }
.graphtools { margin: 6px 0; display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
div.vis-tooltip { background: #fffbe6; border: 1px solid #808074; border-radius: 3px;
                  box-shadow: 3px 3px 10px rgba(0,0,0,.2); color: #000; font-size: 13px;
                  padding: 5px; pointer-events: none; position: absolute; visibility: hidden;
                  white-space: pre; z-index: 5; font-family: system-ui, sans-serif; }
.note { background: var(--note); border: 1px solid var(--note-line); border-radius: 6px;
        padding: 6px 10px; }
.tools { display: flex; gap: 6px 14px; flex-wrap: wrap; align-items: center; margin: 8px 0; }
.tools label { white-space: nowrap; }
.tools select, .tools input { font: inherit; padding: 2px 4px; max-width: 100%; }
.tools input.short { width: 12em; }
.pager { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 6px 0; }
.pager button { font: inherit; }
figure { margin: 14px 0; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: 0.9em; }
@media (max-width: 800px) {
  header.top { padding: 6px 10px; }
  nav.site { gap: 2px 12px; }
  main, main.wide { padding: 8px 8px 32px; }
  h1 { font-size: 1.35em; }
  table.facts th { width: auto; }
  .graphwrap { flex-direction: column; align-items: stretch; }
  #mynetwork { flex: none; width: 100%; height: 68vh; min-height: 320px; }
  aside.legend { width: auto; max-height: none; overflow: visible; columns: 2 12em; }
  aside.legend ul { break-inside: avoid; }
  .tools label { white-space: normal; }
  div.vis-tooltip { white-space: pre-wrap; max-width: 90vw; }
}
/* graph pages: the pinned axis and lanes, the node card, legend swatches, the list */
#mynetwork .graph-axis { position: absolute; left: 0; right: 0; top: 0; height: 26px; z-index: 2;
  background: rgba(255, 255, 255, 0.92); border-bottom: 1px solid #d0d7de; pointer-events: none;
  overflow: hidden; font: 12px system-ui, sans-serif; color: #24292f; }
#mynetwork .graph-axis span { position: absolute; top: 5px; transform: translateX(-50%);
  white-space: nowrap; }
#mynetwork .graph-axis span.major { font-weight: 700; }
#mynetwork .graph-lanes { position: absolute; left: 0; top: 0; bottom: 0; width: 0; z-index: 2;
  pointer-events: none; font: 600 12px system-ui, sans-serif; color: #24292f; }
#mynetwork .graph-lanes span { position: absolute; left: 0; white-space: nowrap; padding: 1px 6px;
  background: rgba(255, 255, 255, 0.9); border-right: 3px solid #8c959f; }
#mynetwork .node-card { position: absolute; z-index: 3; max-width: min(320px, 80%);
  background: #fff; color: #24292f; border: 1px solid #57606a; border-radius: 6px;
  padding: 8px 28px 8px 10px;
  box-shadow: 0 2px 8px rgba(0, 0, 0, 0.2); font-size: 0.9em; }
#mynetwork .node-card .lines { white-space: pre-line; }
#mynetwork .node-card .open { display: inline-block; margin-top: 6px; font-weight: 600; }
#mynetwork .node-card .close { position: absolute; top: 2px; right: 4px; border: 0;
  background: none; font-size: 1.3em; cursor: pointer; }
.legend svg { vertical-align: middle; }
.graph-list ul { columns: 16em; padding-left: 1.2em; }
"""

BASE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} · mmkg</title>
<link rel="stylesheet" href="{{ root }}assets/site.css">
<script src="{{ root }}assets/search.js" data-root="{{ root }}" defer></script>
{% block head %}{% endblock %}
</head>
<body>
<a class="skip" href="#content">Skip to content</a>
<header class="top">
  <a class="brand" href="{{ root }}index.html">mmkg</a>
  <nav class="site" aria-label="Main">
  <a href="{{ root }}index.html#models">Models</a>
  <a href="{{ root }}graphs/lineage.html">Lineage</a>
  <a href="{{ root }}graphs/architecture.html">Architecture</a>
  <a href="{{ root }}graphs/component-families.html">Component families</a>
  <a href="{{ root }}benchmarks/index.html">Benchmarks</a>
  <a href="{{ root }}compare.html">Compare</a>
  <a href="{{ root }}charts/index.html">Charts</a>
  {% if has_analyses %}<a href="{{ root }}analyses.html">Analyses</a>{% endif %}
  <a href="{{ root }}queries.html">Queries</a>
  </nav>
</header>
<main id="content" tabindex="-1"{% if wide %} class="wide"{% endif %}>
{% block content %}{% endblock %}
</main>
{% block scripts %}{% endblock %}
</body>
</html>
"""


def environment(templates: dict[str, str]) -> jinja2.Environment:
    """A Jinja2 environment with autoescape on, the base layout and the site's filters."""
    env = jinja2.Environment(
        loader=jinja2.DictLoader({"base.html": BASE, **templates}),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["js"] = js_literal
    env.filters["href"] = safe_href
    return env
