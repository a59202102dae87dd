"""The site-wide search: an index of every entity that has a page, and the search box's script.

The index (``assets/search-index.js``) sets ``window.MMKG_SEARCH`` to one row per entity:
``[label, kind, url, other names]``, the URL relative to the site root. It is a script, not
JSON read by ``fetch``, so the search works from ``file://``. The script
(``assets/search.js``, :data:`SEARCH_JS`) is loaded by every page with its root prefix in
``data-root``; it adds the search box to the page's header, loads the index on first use and
ranks names forgiving case, spaces, hyphens, dots and underscores: an exact name first, then
names starting with the query, then names holding it, shorter names first within each
(so "gpt-4" gives GPT-4 before GPT-4V, and "blip 2", "BLIP2" and "blip-2" all find BLIP-2).
"""

from __future__ import annotations

from pathlib import Path

from mmkg.render.html import js_literal
from mmkg.render.sitedata import SiteData, select

__all__ = [
    "INDEX_FILE",
    "KINDS",
    "SEARCH_CSS",
    "SEARCH_JS",
    "search_entries",
    "write_search_index",
]

#: Where the index is written, relative to the site root.
INDEX_FILE = "assets/search-index.js"

#: The kind of entity each folder of pages holds, in the order results of equal rank are shown
#: (a page in another folder, or no page, leaves the entity out of the index).
KINDS = {
    "models": "model",
    "components": "component",
    "component-families": "family",
    "families": "family",
    "benchmarks": "benchmark",
    "datasets": "dataset",
    "organisations": "organisation",
    "modalities": "modality",
}


def search_entries(site: SiteData) -> list[list]:
    """One ``[label, kind, url, other names]`` row per entity with a page, sorted by kind and
    label: the label the site shows, and the graph's other labels and skos:altLabels."""
    names: dict[str, set[str]] = {}
    shown: dict[str, str] = {}
    for iri, name, alternative in select(
        site.store,
        """SELECT ?s ?name ?alt WHERE {
            { ?s rdfs:label ?name BIND(false AS ?alt) }
            UNION { ?s skos:altLabel ?name BIND(true AS ?alt) } FILTER(isIRI(?s)) }
          ORDER BY ?s ?alt ?name""",
    ):
        names.setdefault(iri, set()).add(str(name))
        if not alternative:
            shown.setdefault(iri, str(name))  # the first label, as the entity pages take it
    shown.update({iri: info["label"] for iri, info in site.benchmarks.items()})
    shown.update({iri: info["label"] for iri, info in site.component_info.items()})
    shown.update({iri: data["label"] for iri, data in site.facts.items()})
    order = list(dict.fromkeys(KINDS.values()))
    rows = []
    for iri, label in shown.items():
        url = site.url(iri)
        kind = KINDS.get(url.split("/", 1)[0]) if url and "/" in url else None
        if kind is not None:
            rows.append([label, kind, url, sorted(names.get(iri, set()) - {label})])
    # a lineage family's page is keyed by its root model, whose own page url() gives
    rows += [
        [site.family_name(root), "family", site.family_page(root), []] for root, _ in site.families
    ]
    rows.sort(key=lambda row: (order.index(row[1]), row[0].casefold(), row[2]))
    return rows


def write_search_index(out: Path, site: SiteData) -> Path:
    """Write the search index under *out* (the site's root); returns its path."""
    path = out / INDEX_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"window.MMKG_SEARCH = {js_literal(search_entries(site))};\n", "utf-8")
    return path


SEARCH_CSS = """
.site-search { position: relative; margin-left: auto; flex: 0 1 20em; min-width: 12em;
               align-self: center; }
.site-search input { font: inherit; width: 100%; padding: 3px 8px; border-radius: 6px;
                     border: 1px solid #8c959f; }
.site-search ul, .site-search .none {
  position: absolute; right: 0; top: calc(100% + 4px); z-index: 1000;
  width: min(30em, calc(100vw - 24px)); max-height: 70vh; overflow-y: auto; margin: 0;
  padding: 4px 0; list-style: none; background: var(--bg, #fff); color: var(--ink);
  border: 1px solid var(--line); border-radius: 6px; box-shadow: 0 6px 18px rgba(0,0,0,.18); }
.site-search li { display: flex; gap: 10px; align-items: baseline; padding: 5px 10px;
                  cursor: pointer; }
.site-search li:hover { background: var(--soft); }
.site-search li[aria-selected=true] { background: #ddf4ff; outline: 2px solid var(--accent);
                                      outline-offset: -2px; }
.site-search .name { flex: 1; min-width: 0; overflow-wrap: anywhere; }
.site-search .also { color: var(--muted); font-size: 0.85em; }
.site-search .kind { flex: none; font-size: 0.78em; color: var(--muted); border: 1px solid
                     var(--line); border-radius: 8px; padding: 0 6px; background: var(--soft); }
.site-search .none { color: var(--muted); padding: 6px 10px; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden;
                   clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 600px) {
  .site-search { flex: 1 1 100%; margin-left: 0; }
  .site-search ul, .site-search .none { left: 0; width: auto; }
}
"""

# Builds every element with createElement/textContent.
SEARCH_JS = r"""
(function () {
  var script = document.currentScript;
  var header = document.querySelector("header.top");
  if (!script || !header) { return; }
  var root = script.getAttribute("data-root") || "";
  var KIND_ORDER = ["model", "component", "family", "benchmark", "dataset", "organisation",
                    "modality"];
  var SHOWN = 12;
  var entries = null, loading = false, pendingEnter = false, matches = [], active = -1;

  function norm(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^\p{L}\p{N}]+/gu, "");
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  var box = el("div", {"class": "site-search", role: "search"});
  var label = el("label", {"for": "site-search-input", "class": "visually-hidden"},
                 "Search models, components, families, benchmarks, datasets, organisations");
  var input = el("input", {
    id: "site-search-input", type: "search", role: "combobox", placeholder: "Search\u2026",
    autocomplete: "off", spellcheck: "false", "aria-autocomplete": "list",
    "aria-expanded": "false", "aria-controls": "site-search-results",
    title: "Search the site (press / to focus)"});
  var list = el("ul", {id: "site-search-results", role: "listbox",
                       "aria-label": "Search results"});
  var status = el("div", {"class": "visually-hidden", role: "status", "aria-live": "polite"});
  var none = el("div", {"class": "none"}, "No matches");
  list.hidden = true;
  none.hidden = true;
  box.appendChild(label);
  box.appendChild(input);
  box.appendChild(list);
  box.appendChild(none);
  box.appendChild(status);
  header.appendChild(box);

  function load() {
    if (entries || loading) { return; }
    if (window.MMKG_SEARCH) { prepare(); return; }
    loading = true;
    var tag = el("script", {src: root + "assets/search-index.js"});
    tag.onload = function () {
      loading = false;
      prepare();
      update();
      if (pendingEnter) { pendingEnter = false; open(-1); }
    };
    tag.onerror = function () { loading = false; status.textContent = "Search unavailable"; };
    document.head.appendChild(tag);
  }
  function prepare() {
    entries = (window.MMKG_SEARCH || []).map(function (row) {
      var names = [row[0]].concat(row[3] || []);
      return {label: row[0], kind: row[1], url: row[2], names: names,
              keys: names.map(norm), order: KIND_ORDER.indexOf(row[1])};
    });
  }
  function rank(entry, query, words) {
    var best = null;
    entry.keys.forEach(function (key, i) {
      var r = null;
      if (key === query) { r = 0; }
      else if (key.indexOf(query) === 0) { r = 1; }
      else if (key.indexOf(query) > 0) { r = 2; }
      else if (words.length > 1 && words.every(function (w) { return key.indexOf(w) >= 0; })) {
        r = 3;
      }
      if (r !== null && (!best || r < best.rank || (r === best.rank && key.length < best.len))) {
        best = {rank: r, len: key.length, name: entry.names[i]};
      }
    });
    return best;
  }
  function search(text) {
    var query = norm(text);
    if (!query || !entries) { return []; }
    var words = text.split(/\s+/).map(norm).filter(Boolean);
    var found = [];
    entries.forEach(function (entry) {
      var r = rank(entry, query, words);
      if (r) { found.push({entry: entry, rank: r.rank, len: r.len, name: r.name}); }
    });
    found.sort(function (a, b) {
      return a.rank - b.rank || a.len - b.len || a.entry.order - b.entry.order ||
        a.entry.label.localeCompare(b.entry.label);
    });
    return found;
  }
  function close() {
    list.hidden = true;
    none.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }
  function select(index) {
    var options = list.querySelectorAll("[role=option]");
    if (!options.length) { return; }
    active = (index + options.length) % options.length;
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === active ? "true" : "false");
    });
    input.setAttribute("aria-activedescendant", options[active].id);
    options[active].scrollIntoView({block: "nearest"});
  }
  function open(index) {
    var match = matches[index < 0 ? 0 : index];
    if (match) { window.location.href = root + match.entry.url; }
  }
  function update() {
    var text = input.value;
    while (list.firstChild) { list.removeChild(list.firstChild); }
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (!norm(text)) { close(); status.textContent = ""; return; }
    if (!entries) { load(); return; }
    var found = search(text);
    matches = found.slice(0, SHOWN);
    matches.forEach(function (match, i) {
      var option = el("li", {id: "site-search-option-" + i, role: "option",
                             "aria-selected": "false"});
      var name = el("span", {"class": "name"}, match.entry.label);
      if (match.name !== match.entry.label) {  // the other name that matched, after the label
        name.appendChild(document.createTextNode(" "));
        name.appendChild(el("span", {"class": "also"}, "(" + match.name + ")"));
      }
      option.appendChild(name);
      option.appendChild(el("span", {"class": "kind"}, match.entry.kind));
      option.addEventListener("mousedown", function (e) { e.preventDefault(); });
      option.addEventListener("click", function () { open(i); });
      list.appendChild(option);
    });
    list.hidden = !matches.length;
    none.hidden = !!matches.length;
    input.setAttribute("aria-expanded", matches.length ? "true" : "false");
    status.textContent = found.length > SHOWN ?
      found.length + " matches, the first " + SHOWN + " shown" :
      found.length + (found.length === 1 ? " match" : " matches");
  }

  input.addEventListener("focus", load);
  input.addEventListener("input", update);
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (list.hidden) { update(); }
      select(active < 0 && e.key === "ArrowDown" ? 0 : active + (e.key === "ArrowDown" ? 1 : -1));
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (!entries) { pendingEnter = true; load(); return; }
      if (list.hidden) { update(); }
      open(active);
    } else if (e.key === "Escape") {
      e.preventDefault();
      if (list.hidden) { input.value = ""; } else { close(); }
    }
  });
  box.addEventListener("focusout", function (e) {
    if (!box.contains(e.relatedTarget)) { close(); }
  });
  document.addEventListener("keydown", function (e) {
    var target = e.target, tag = target && target.tagName;
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || target.isContentEditable ||
        tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") { return; }
    e.preventDefault();
    input.focus();
  });
})();
"""
