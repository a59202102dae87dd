"""The comparison page: models picked in the browser, side by side as `mmkg compare` puts them.

What each model contributes to a comparison (its compared facts, architecture and best
scores) is read for every model at once by :func:`mmkg.compared.compared_models`, the same
reading `compare_models` does for its few, in a fixed number of queries. Each model's part
is a small file ``data/compare/<slug>.js`` that hands it to ``MMKG_COMPARE_ADD``; the page
loads it by adding a script element when the model is picked (no fetch, so it works on
file://). The names to pick from are the model table's rows (``data/models.js``, which the
front page loads too); the picker is a text filter showing at most :data:`SHOWN_CHOICES`
names at a time, and the picked ones. The page's script joins the picked models' columns
exactly as `compare_models` does (the benchmarks every picked model has, in sorted order) and
writes the CSV and LaTeX downloads the way :func:`mmkg.tables.render` does. The picked
models are kept in the URL (``compare.html#models=llava-1.5,vila``), so a link shares them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from mmkg.compared import COMPARED_FACTS, COMPARED_SCALES, compared_models
from mmkg.render.html import js_literal
from mmkg.render.modeltable import DATA_FILE
from mmkg.tables import LATEX_SPECIAL

__all__ = [
    "compare_data",
    "write_compare_data",
    "COMPARE_FOLDER",
    "SHOWN_CHOICES",
    "COMPARE_TEMPLATES",
    "COMPARE_SCRIPT",
    "COMPARE_STYLE",
]

#: The folder of the per-model comparison files, under the site root.
COMPARE_FOLDER = "data/compare"
#: The most model names the picker lists at a time (besides the picked ones).
SHOWN_CHOICES = 50


def compare_data(store: ox.Store, models: list[str], slug: Callable[[str], str]) -> list[dict]:
    """An entry per model (by IRI, in name order): its slug (the site's, from *slug*), name,
    compared facts, architecture and best scores, read in a fixed number of queries."""
    compared = compared_models(store, None)
    entries = []
    for iri in models:
        model = compared[iri]
        entries.append(
            {
                "slug": slug(iri),
                "name": model.name,
                "facts": dict(model.facts),
                "architecture": [list(pair) for pair in model.architecture],
                "best": model.best,
            }
        )
    entries.sort(key=lambda e: e["name"].casefold())
    return entries


def write_compare_data(
    store: ox.Store, models: list[str], out: Path, slug: Callable[[str], str]
) -> None:
    """``data/compare/<slug>.js`` per model (its entry, handed to ``MMKG_COMPARE_ADD``) and the
    page's shared script (its style is part of the one ``site.css``)."""
    folder = out / COMPARE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for entry in compare_data(store, models, slug):
        text = f"window.MMKG_COMPARE_ADD({js_literal(entry)});\n"
        (folder / f"{entry['slug']}.js").write_text(text, "utf-8")
    script = out / "assets" / "compare.js"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(COMPARE_SCRIPT, "utf-8")


#: The comparison page's rules, written into the site's one ``assets/site.css``.
COMPARE_STYLE = """
.compare-choices { display: flex; flex-wrap: wrap; gap: 2px 14px; max-height: 14em;
                   overflow-y: auto; border: 1px solid var(--line); padding: 6px; margin: 6px 0; }
.compare-choices label { white-space: nowrap; }
.compare-choices label.picked { font-weight: bold; }
.scroll-x { overflow-x: auto; max-width: 100%; }
table.compare th[scope=row] { white-space: nowrap; }
"""


COMPARE = """{% extends "base.html" %}
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
  <p class="muted" id="compare-more" aria-live="polite"></p>
</div>
<h2 id="comparison">Side by side</h2>
<p id="compare-status" class="muted" aria-live="polite"></p>
<p id="compare-downloads" hidden><a id="download-csv" download="comparison.csv">CSV</a> ·
<a id="download-latex" download="comparison.tex">LaTeX</a></p>
<div class="scroll-x"><table id="compare-table" class="compare"></table></div>
{% endblock %}
{% block scripts %}
<script src="DATA_FILE"></script>
<script src="assets/compare.js"></script>
{% endblock %}
""".replace("DATA_FILE", DATA_FILE)

COMPARE_TEMPLATES = {"compare.html": COMPARE}

_META = {
    "factAspects": list(COMPARED_FACTS),
    "scaleAspects": list(COMPARED_SCALES),
    "latex": dict(LATEX_SPECIAL),
    "folder": COMPARE_FOLDER,
    "shown": SHOWN_CHOICES,
}

_SCRIPT = r"""(function () {
  "use strict";
  var data = /*META*/;
  var list = window.MMKG_MODELS;
  if (!list) { return; }
  var names = {};  // slug -> name, from the model table's rows [slug, name, ...]
  var models = list.rows.map(function (r) {
    names[r[0]] = r[1];
    return { slug: r[0], name: r[1], search: (r[1] + " " + r[0]).toLowerCase() };
  });
  var loaded = {}, pending = {}, failed = {};
  var picked = [];

  // each data/compare/<slug>.js hands its model's entry here
  window.MMKG_COMPARE_ADD = function (entry) {
    loaded[entry.slug] = entry;
    delete pending[entry.slug];
    show();
  };
  function need(slug) {
    if (loaded[slug] || pending[slug] || failed[slug]) { return; }
    pending[slug] = true;
    var script = document.createElement("script");
    script.src = data.folder + "/" + encodeURIComponent(slug) + ".js";
    script.onerror = function () { delete pending[slug]; failed[slug] = true; show(); };
    document.head.appendChild(script);
  }

  function readHash() {
    var match = /(?:^|[#&])models=([^&]*)/.exec(location.hash);
    picked = [];
    if (match) {
      decodeURIComponent(match[1]).split(",").forEach(function (slug) {
        if (Object.prototype.hasOwnProperty.call(names, slug) && picked.indexOf(slug) < 0) {
          picked.push(slug);
        }
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
  var more = document.getElementById("compare-more");

  function choice(m) {
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.value = m.slug;
    box.checked = picked.indexOf(m.slug) >= 0;
    if (box.checked) { label.className = "picked"; }
    box.addEventListener("change", function () {
      if (box.checked) { if (picked.indexOf(m.slug) < 0) { picked.push(m.slug); } }
      else { picked = picked.filter(function (s) { return s !== m.slug; }); }
      writeHash();
    });
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + m.name));
    return label;
  }

  // the picked models, then at most data.shown others whose name or slug has every word
  function listChoices() {
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    while (choices.firstChild) { choices.removeChild(choices.firstChild); }
    picked.forEach(function (slug) {
      choices.appendChild(choice({ slug: slug, name: names[slug] }));
    });
    var matching = 0;
    models.forEach(function (m) {
      if (picked.indexOf(m.slug) >= 0) { return; }
      if (!words.every(function (w) { return m.search.indexOf(w) >= 0; })) { return; }
      matching += 1;
      if (matching <= data.shown) { choices.appendChild(choice(m)); }
    });
    more.textContent = matching > data.shown
      ? "Showing " + data.shown + " of " + matching + " models" +
        (words.length ? " that match" : "") + ": type a name to narrow the list."
      : matching ? "" : "No other model matches.";
  }
  filter.addEventListener("input", listChoices);
  document.getElementById("compare-clear").addEventListener("click", function () {
    picked = [];
    writeHash();
  });

  function writeHash() {
    history.replaceState(null, "", "#models=" + picked.map(encodeURIComponent).join(","));
    listChoices();
    show();
  }

  function show() {
    picked.forEach(need);
    document.getElementById("compare-picked").textContent = picked.length
      ? "Picked: " + picked.map(function (s) { return names[s]; }).join(", ")
      : "No model picked.";
    var tableEl = document.getElementById("compare-table");
    while (tableEl.firstChild) { tableEl.removeChild(tableEl.firstChild); }
    var downloads = document.getElementById("compare-downloads");
    var status = document.getElementById("compare-status");
    downloads.hidden = true;
    if (picked.length < 2) {
      status.textContent = "Pick at least two models to compare them.";
      return;
    }
    var missing = picked.filter(function (s) { return failed[s]; });
    if (missing.length) {
      status.textContent = "The data of " + missing.map(function (s) { return names[s]; })
        .join(", ") + " could not be loaded.";
      return;
    }
    if (picked.some(function (s) { return !loaded[s]; })) {
      status.textContent = "Loading the picked models…";
      return;
    }
    var t = table(picked.map(function (s) { return loaded[s]; }));
    status.textContent = t.rows.length + " rows for " + picked.length + " models.";
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

  window.addEventListener("hashchange", function () { readHash(); listChoices(); show(); });
  readHash();
  listChoices();
  show();
})();
"""

COMPARE_SCRIPT = _SCRIPT.replace("/*META*/", json.dumps(_META, ensure_ascii=False))
