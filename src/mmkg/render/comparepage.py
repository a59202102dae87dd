"""The comparison page: models picked in the browser, side by side as `mmkg compare` puts them.

What each model contributes to a comparison is read once through :mod:`mmkg.profiles` (the
same profile, facts and best scores `compare_models` uses) and shipped as ``data/compare.js``;
the page's script joins the picked models' columns exactly as `compare_models` does (the
benchmarks every picked model has, in sorted order) and writes the CSV and LaTeX downloads
the way :func:`mmkg.tables.render` does. The picked models are kept in the URL
(``compare.html#models=llava-1.5,vila``), so a link shares them.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from mmkg.profiles import COMPARED_FACTS, COMPARED_SCALES, best_scores, model_profile
from mmkg.render.html import js_literal
from mmkg.tables import _LATEX_SPECIAL

__all__ = [
    "compare_data",
    "write_compare_data",
    "COMPARE_TEMPLATES",
    "COMPARE_SCRIPT",
    "COMPARE_STYLE",
]


def compare_data(store: ox.Store, models: list[str]) -> dict:
    """Per model (by IRI): its slug, name, compared facts, architecture and best scores."""
    entries = []
    for iri in models:
        slug = iri.rsplit("/", 1)[-1]
        profile = model_profile(store, slug, citations=False)
        facts = dict(profile.facts)
        entries.append(
            {
                "slug": slug,
                "name": profile.name,
                "facts": {a: facts.get(a, "") for a in (*COMPARED_FACTS, *COMPARED_SCALES)},
                "architecture": [list(pair) for pair in profile.architecture],
                "best": best_scores(profile),
            }
        )
    entries.sort(key=lambda e: e["name"].casefold())
    return {
        "factAspects": list(COMPARED_FACTS),
        "scaleAspects": list(COMPARED_SCALES),
        "latex": dict(_LATEX_SPECIAL),
        "models": entries,
    }


def write_compare_data(store: ox.Store, models: list[str], out: Path) -> None:
    """``data/compare.js``: the comparison data as the global ``COMPARE`` (no fetch on file://)."""
    target = out / "data" / "compare.js"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"var COMPARE = {js_literal(compare_data(store, models))};\n", "utf-8")
    script = out / "assets" / "compare.js"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(COMPARE_SCRIPT, "utf-8")
    (out / "assets" / "compare.css").write_text(COMPARE_STYLE, "utf-8")


COMPARE_STYLE = """
.compare-choices { display: flex; flex-wrap: wrap; gap: 2px 14px; max-height: 14em;
                   overflow-y: auto; border: 1px solid var(--line); padding: 6px; margin: 6px 0; }
.compare-choices label { white-space: nowrap; }
.scroll-x { overflow-x: auto; max-width: 100%; }
table.compare th[scope=row] { white-space: nowrap; }
"""


COMPARE = """{% extends "base.html" %}
{% block head %}<link rel="stylesheet" href="assets/compare.css">{% endblock %}
{% block content %}
<h1>Compare models</h1>
<p class="muted">Pick two or more models: the table shows what <code>mmkg compare</code> prints
for them (components, modalities, data scale, best scores on the benchmarks they all have).
The address keeps the picked models, so it can be shared.</p>
<noscript><p>This page needs JavaScript; <code>mmkg compare NAME NAME …</code> gives the same
table.</p></noscript>
<div class="compare-tools">
  <label for="compare-filter">Find a model:</label>
  <input id="compare-filter" class="filter" type="search" autocomplete="off"
         placeholder="e.g. LLaVA, Qwen">
  <button id="compare-clear" type="button">Clear the picks</button>
  <p class="muted" id="compare-picked" aria-live="polite"></p>
  <div id="compare-choices" class="compare-choices" role="group" aria-label="models"></div>
</div>
<h2 id="comparison">Side by side</h2>
<p id="compare-status" class="muted" aria-live="polite"></p>
<p id="compare-downloads" hidden><a id="download-csv" download="comparison.csv">CSV</a> ·
<a id="download-latex" download="comparison.tex">LaTeX</a></p>
<div class="scroll-x"><table id="compare-table" class="compare"></table></div>
{% endblock %}
{% block scripts %}
<script src="data/compare.js"></script>
<script src="assets/compare.js"></script>
{% endblock %}
"""

COMPARE_TEMPLATES = {"compare.html": COMPARE}

COMPARE_SCRIPT = r"""(function () {
  "use strict";
  var data = window.COMPARE;
  if (!data) { return; }
  var bySlug = {};
  data.models.forEach(function (m) { bySlug[m.slug] = m; });
  var picked = [];

  function readHash() {
    var match = /(?:^|[#&])models=([^&]*)/.exec(location.hash);
    picked = [];
    if (match) {
      decodeURIComponent(match[1]).split(",").forEach(function (slug) {
        if (bySlug[slug] && picked.indexOf(slug) < 0) { picked.push(slug); }
      });
    }
  }

  // The rows of compare_models (mmkg.profiles): facts, roles, scales, shared best scores.
  function table(models) {
    var columns = ["aspect"].concat(models.map(function (m) { return m.name; }));
    var rows = [];
    data.factAspects.forEach(function (a) {
      rows.push([a].concat(models.map(function (m) { return m.facts[a] || ""; })));
    });
    var first = models.filter(function (m) { return m.architecture.length; })[0];
    (first ? first.architecture : []).forEach(function (pair) {
      var role = pair[0];
      rows.push([role].concat(models.map(function (m) {
        var hit = m.architecture.filter(function (p) { return p[0] === role; })[0];
        return hit ? hit[1] : "not detailed";
      })));
    });
    data.scaleAspects.forEach(function (a) {
      rows.push([a].concat(models.map(function (m) { return m.facts[a] || ""; })));
    });
    var shared = Object.keys(models[0].best).filter(function (c) {
      return models.every(function (m) { return Object.prototype.hasOwnProperty.call(m.best, c); });
    });
    shared.sort(function (a, b) { return a < b ? -1 : a > b ? 1 : 0; });
    shared.forEach(function (c) {
      rows.push(["best " + c].concat(models.map(function (m) { return m.best[c]; })));
    });
    return { columns: columns, rows: rows };
  }

  // As Python's csv.writer (minimal quoting, "\n" line ends) in mmkg.tables.render.
  function csvCell(text) {
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function toCsv(t) {
    return [t.columns].concat(t.rows).map(function (row) {
      return row.map(csvCell).join(",");
    }).join("\n") + "\n";
  }
  function latexCell(text) {
    return Array.from(text).map(function (ch) {
      return Object.prototype.hasOwnProperty.call(data.latex, ch) ? data.latex[ch] : ch;
    }).join("");
  }
  function toLatex(t) {
    var lines = ["\\begin{tabular}{" + "l".repeat(t.columns.length) + "}", "\\hline",
      t.columns.map(latexCell).join(" & ") + " \\\\", "\\hline"];
    t.rows.forEach(function (row) { lines.push(row.map(latexCell).join(" & ") + " \\\\"); });
    lines.push("\\hline", "\\end{tabular}");
    return lines.join("\n") + "\n";
  }

  // the formats, for tests and the console
  window.COMPARE_FORMATS = { table: table, csv: toCsv, latex: toLatex };

  var choices = document.getElementById("compare-choices");
  var filter = document.getElementById("compare-filter");
  var boxes = {};
  data.models.forEach(function (m) {
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.value = m.slug;
    box.addEventListener("change", function () {
      if (box.checked) { if (picked.indexOf(m.slug) < 0) { picked.push(m.slug); } }
      else { picked = picked.filter(function (s) { return s !== m.slug; }); }
      writeHash();
    });
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + m.name));
    label.dataset.search = (m.name + " " + m.slug).toLowerCase();
    boxes[m.slug] = box;
    choices.appendChild(label);
  });
  filter.addEventListener("input", function () {
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    Array.prototype.forEach.call(choices.children, function (label) {
      label.hidden = !words.every(function (w) { return label.dataset.search.indexOf(w) >= 0; });
    });
  });
  document.getElementById("compare-clear").addEventListener("click", function () {
    picked = [];
    writeHash();
  });

  function writeHash() {
    history.replaceState(null, "", "#models=" + picked.map(encodeURIComponent).join(","));
    show();
  }

  function show() {
    Object.keys(boxes).forEach(function (s) { boxes[s].checked = picked.indexOf(s) >= 0; });
    var models = picked.map(function (s) { return bySlug[s]; });
    document.getElementById("compare-picked").textContent = models.length
      ? "Picked: " + models.map(function (m) { return m.name; }).join(", ") : "No model picked.";
    var tableEl = document.getElementById("compare-table");
    while (tableEl.firstChild) { tableEl.removeChild(tableEl.firstChild); }
    var downloads = document.getElementById("compare-downloads");
    var status = document.getElementById("compare-status");
    if (models.length < 2) {
      status.textContent = "Pick at least two models to compare them.";
      downloads.hidden = true;
      return;
    }
    var t = table(models);
    status.textContent = t.rows.length + " rows for " + models.length + " models.";
    var head = tableEl.createTHead().insertRow();
    t.columns.forEach(function (c) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = c;
      head.appendChild(th);
    });
    var body = tableEl.createTBody();
    t.rows.forEach(function (row) {
      var tr = body.insertRow();
      row.forEach(function (cell, i) {
        var td = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) { td.scope = "row"; }
        td.textContent = cell;
        tr.appendChild(td);
      });
    });
    document.getElementById("download-csv").href =
      "data:text/csv;charset=utf-8," + encodeURIComponent(toCsv(t));
    document.getElementById("download-latex").href =
      "data:application/x-tex;charset=utf-8," + encodeURIComponent(toLatex(t));
    downloads.hidden = false;
  }

  window.addEventListener("hashchange", function () { readHash(); show(); });
  readHash();
  show();
})();
"""
