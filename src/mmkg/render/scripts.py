"""The site's own scripts, written once into ``assets/`` and loaded by every page that needs them.

- ``TABLE_JS`` (``assets/site.js``): click-to-sort headings and a text filter for the small
  tables of the model, benchmark, query and analysis pages;
- ``GRAPH_JS`` (``assets/graph.js``, written in :mod:`mmkg.render.graphscript`): draws a
  graph page with vis-network: pinned axis, permalinks, search, a card for touch readers;
- ``MODEL_TABLE_JS`` (``assets/model-table.js``): the index's table of every model, read from
  ``data/models.js``: filters (text, modality in and out, divisions, organisation, year,
  component, lineage family), sorting and pages of :data:`PAGE_SIZE` rows, the state kept in
  the URL's ``#`` part (so Back and a link such as ``index.html#uses=Q-Former`` reapply it).

The scripts build the page with ``textContent`` and ``createElement`` only, never from HTML
text, so a label cannot become markup.
"""

from __future__ import annotations

__all__ = ["TABLE_JS", "GRAPH_JS", "MODEL_TABLE_JS", "PAGE_SIZE"]

#: Rows per page of the model table, in the browser and in the static pages for no-JS readers.
PAGE_SIZE = 100

TABLE_JS = """
(function () {
  function key(cell) {
    var v = cell.getAttribute("data-sort");
    return v === null ? cell.textContent.trim() : v;
  }
  function numeric(text) {
    return text !== "" && isFinite(text) ? parseFloat(text) : null;
  }
  function sortBy(table, col, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    Array.prototype.forEach.call(th.parentNode.cells, function (c) {
      c.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    rows.sort(function (a, b) {
      var x = key(a.cells[col]), y = key(b.cells[col]);
      if (x === "" || y === "") { return (x === "") - (y === ""); }
      var nx = numeric(x), ny = numeric(y);
      if (nx !== null && ny !== null) { return (nx - ny) * dir; }
      return x.localeCompare(y) * dir;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      th.tabIndex = 0;
      th.title = "Sort by this column";
      th.addEventListener("click", function () { sortBy(table, col, th); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter") { sortBy(table, col, th); }
      });
    });
  });
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    var table = document.getElementById(input.getAttribute("data-filter"));
    var count = document.getElementById(input.getAttribute("data-count"));
    function apply() {
      var words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var text = row.textContent.toLowerCase();
        var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      if (count) { count.textContent = String(shown); }
    }
    input.addEventListener("input", apply);
    apply();
  });
})();
"""

# graph.js is a module of its own (OPTIONS is prepended when assets.py writes it)
from mmkg.render.graphscript import GRAPH_JS  # noqa: E402

MODEL_TABLE_JS = """
var modelTable = (function () {
  "use strict";
  var DATA = window.MMKG_MODELS;
  var table = document.getElementById("models-table");
  if (!DATA || !table) { return null; }
  var L = DATA.lists;
  var PAGE = DATA.pageSize;
  var FIELDS = ["q", "in", "out", "functional", "design", "year", "size", "org", "uses",
                "family"];
  var CONTROL = {q: "model-filter", "in": "filter-in", out: "filter-out",
                 functional: "filter-functional", design: "filter-design", year: "filter-year",
                 size: "filter-size",
                 org: "filter-org", uses: "filter-uses", family: "filter-family"};
  function pick(list, indices) { return indices.map(function (i) { return list[i]; }); }
  // a row: [slug, name, date, year, orgs, inputs, outputs, functional, design, projectors,
  //         backbones, every component used, lineage family, size classes]; lists hold the
  //         labels
  var models = DATA.rows.map(function (r) {
    var ins = pick(L.modalities, r[5]), outs = pick(L.modalities, r[6]);
    var m = {
      slug: r[0], year: r[3] ? String(r[3]) : "unknown", orgs: r[4], ins: r[5], outs: r[6],
      functional: r[7], design: r[8], uses: r[11], family: r[12], sizes: r[13],
      cells: [r[1], r[2], pick(L.organisations, r[4]).join(", "),
              ins.length || outs.length ? ins.join("+") + " \\u2192 " + outs.join("+") : "",
              r[7] < 0 ? "" : L.functional[r[7]], r[8] < 0 ? "" : L.design[r[8]],
              pick(L.components, r[9]).join(", "), pick(L.components, r[10]).join(", ")]
    };
    m.text = m.cells.join(" ").toLowerCase();
    return m;
  });
  var compare = new Intl.Collator().compare;
  var state = {page: 1, sort: -1, dir: 1};
  var shown = models;

  function control(field) { return document.getElementById(CONTROL[field]); }
  function fill(select, labels, values) {
    labels.forEach(function (label, i) {
      select.appendChild(new Option(label, values ? values[i] : label));
    });
  }
  function fillList(id, labels) {
    var list = document.getElementById(id);
    labels.forEach(function (label) {
      var option = document.createElement("option");
      option.value = label;
      list.appendChild(option);
    });
  }
  fill(control("in"), L.modalities);
  fill(control("out"), L.modalities);
  fill(control("functional"), L.functional);
  fill(control("design"), L.design);
  fill(control("year"), L.years.map(String).concat(["unknown"]));
  fill(control("size"), L.sizes.concat(["not stated"]));
  fillList("org-list", L.organisations);
  fillList("component-list", L.components.concat(L.componentFamilies));
  fillList("family-list", L.families.concat(["not linked"]));

  // names matching what was typed: the exact name (any case) if one is, else every name
  // holding the text
  function matching(labels, text) {
    var wanted = text.trim().toLowerCase(), exact = [], partial = [];
    labels.forEach(function (label, i) {
      var name = String(label).toLowerCase();
      if (name === wanted) { exact.push(i); }
      if (name.indexOf(wanted) >= 0) { partial.push(i); }
    });
    var found = {};
    (exact.length ? exact : partial).forEach(function (i) { found[i] = true; });
    return found;
  }
  function usesMatching(text) {
    var byComponent = matching(L.components, text);
    var byFamily = matching(L.componentFamilies, text);
    var exactComponent = L.components.some(function (label) {
      return label.toLowerCase() === text.trim().toLowerCase();
    });
    if (!exactComponent) {
      L.componentFamily.forEach(function (family, i) {
        if (family >= 0 && byFamily[family]) { byComponent[i] = true; }
      });
    }
    return byComponent;
  }
  function any(indices, set) {
    for (var i = 0; i < indices.length; i += 1) { if (set[indices[i]]) { return true; } }
    return false;
  }
  function value(field) { return control(field).value; }
  function filtered() {
    var words = value("q").toLowerCase().split(/\\s+/).filter(Boolean);
    var modIn = L.modalities.indexOf(value("in")), modOut = L.modalities.indexOf(value("out"));
    var fun = L.functional.indexOf(value("functional"));
    var des = L.design.indexOf(value("design"));
    var year = value("year");
    var size = value("size"), sizeClass = L.sizes.indexOf(size);
    var orgs = value("org").trim() ? matching(L.organisations, value("org")) : null;
    var uses = value("uses").trim() ? usesMatching(value("uses")) : null;
    var family = value("family").trim().toLowerCase();
    var families = null, unlinked = false;
    if (family) {
      unlinked = family === "not linked";
      families = unlinked ? {} : matching(L.families, family);
    }
    return models.filter(function (m) {
      if (modIn >= 0 && m.ins.indexOf(modIn) < 0) { return false; }
      if (modOut >= 0 && m.outs.indexOf(modOut) < 0) { return false; }
      if (fun >= 0 && m.functional !== fun) { return false; }
      if (des >= 0 && m.design !== des) { return false; }
      if (year && m.year !== year) { return false; }
      if (size && (sizeClass < 0 ? m.sizes.length > 0 : m.sizes.indexOf(sizeClass) < 0)) {
        return false;
      }
      if (orgs && !any(m.orgs, orgs)) { return false; }
      if (uses && !any(m.uses, uses)) { return false; }
      if (families && !(unlinked ? m.family < 0 : families[m.family])) { return false; }
      return words.every(function (w) { return m.text.indexOf(w) >= 0; });
    });
  }
  function sorted(rows) {
    if (state.sort < 0) { return rows; }
    var col = state.sort, dir = state.dir;
    return rows.slice().sort(function (a, b) {
      var x = a.cells[col], y = b.cells[col];
      if (x === "" || y === "") { return (x === "") - (y === ""); }
      return compare(x, y) * dir;
    });
  }
  function cell(row, text, className) {
    var td = document.createElement("td");
    td.textContent = text;
    if (className) { td.className = className; }
    row.appendChild(td);
    return td;
  }
  function draw() {
    var pages = Math.max(1, Math.ceil(shown.length / PAGE));
    state.page = Math.min(Math.max(1, state.page), pages);
    var start = (state.page - 1) * PAGE;
    var body = document.createElement("tbody");
    shown.slice(start, start + PAGE).forEach(function (m) {
      var tr = document.createElement("tr");
      var td = document.createElement("td");
      var a = document.createElement("a");
      a.href = "models/" + m.slug + ".html";
      a.textContent = m.cells[0];
      td.appendChild(a);
      tr.appendChild(td);
      cell(tr, m.cells[1], "nowrap");
      for (var i = 2; i < m.cells.length; i += 1) { cell(tr, m.cells[i]); }
      body.appendChild(tr);
    });
    table.replaceChild(body, table.tBodies[0]);
    document.getElementById("model-count").textContent = String(shown.length);
    var end = Math.min(start + PAGE, shown.length);
    document.getElementById("page-status").textContent = shown.length
      ? "rows " + (start + 1) + "\\u2013" + end + " of " + shown.length +
        ", page " + state.page + " of " + pages
      : "no model matches";
    document.getElementById("page-first").disabled = state.page <= 1;
    document.getElementById("page-prev").disabled = state.page <= 1;
    document.getElementById("page-next").disabled = state.page >= pages;
    document.getElementById("page-last").disabled = state.page >= pages;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      if (col === state.sort) {
        th.setAttribute("aria-sort", state.dir === 1 ? "ascending" : "descending");
      } else {
        th.removeAttribute("aria-sort");
      }
    });
  }
  function saveState() {
    var params = new URLSearchParams();
    FIELDS.forEach(function (field) {
      if (value(field).trim()) { params.set(field, value(field)); }
    });
    if (state.sort >= 0) {
      params.set("sort", String(state.sort));
      params.set("dir", state.dir === 1 ? "asc" : "desc");
    }
    if (state.page > 1) { params.set("page", String(state.page)); }
    var text = params.toString();
    if (text) {
      history.replaceState(null, "", "#" + text);
    } else if (location.hash.indexOf("=") >= 0) {
      history.replaceState(null, "", location.pathname + location.search);
    }
  }
  function update(keepPage) {
    if (!keepPage) { state.page = 1; }
    shown = sorted(filtered());
    draw();
    saveState();
  }
  function loadState() {
    // a hash without "=" is an anchor (#models), not a state
    var hash = location.hash.slice(1);
    var params = new URLSearchParams(hash.indexOf("=") >= 0 ? hash : "");
    FIELDS.forEach(function (field) { control(field).value = params.get(field) || ""; });
    var sort = parseInt(params.get("sort") || "-1", 10);
    state.sort = sort >= 0 && sort < 8 ? sort : -1;
    state.dir = params.get("dir") === "desc" ? -1 : 1;
    state.page = parseInt(params.get("page") || "1", 10) || 1;
    shown = sorted(filtered());
    draw();
  }
  FIELDS.forEach(function (field) {
    var input = control(field);
    input.addEventListener(input.tagName === "SELECT" ? "change" : "input", function () {
      update(false);
    });
  });
  function turn(page) { state.page = page; draw(); saveState(); }
  document.getElementById("page-first").addEventListener("click", function () { turn(1); });
  document.getElementById("page-prev").addEventListener("click", function () {
    turn(state.page - 1);
  });
  document.getElementById("page-next").addEventListener("click", function () {
    turn(state.page + 1);
  });
  document.getElementById("page-last").addEventListener("click", function () {
    turn(Math.ceil(shown.length / PAGE));
  });
  document.getElementById("filter-clear").addEventListener("click", function () {
    FIELDS.forEach(function (field) { control(field).value = ""; });
    state.sort = -1;
    update(false);
  });
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    th.tabIndex = 0;
    th.title = "Sort by this column";
    function sortHere() {
      state.dir = state.sort === col ? -state.dir : 1;
      state.sort = col;
      update(false);
    }
    th.addEventListener("click", sortHere);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sortHere(); } });
  });
  window.addEventListener("hashchange", loadState);
  window.addEventListener("pageshow", function (e) { if (e.persisted) { loadState(); } });
  var staticPager = document.getElementById("static-pager");
  if (staticPager) { staticPager.hidden = true; }
  document.getElementById("model-tools").hidden = false;
  loadState();
  return {state: state, shown: function () { return shown; }, update: update};
})();
"""
