"""The search box's style and script (``assets/search.js``), apart from the index it reads.

The script (:func:`search_script`) adds the search box to every page's header, loads the shard list
(:data:`mmkg.render.search.SHARDS_FILE`) when the box gets focus and, for a query, the one shard
its first word leads to (:func:`mmkg.render.search.query_shard` says which), then ranks that
shard's rows as :mod:`mmkg.render.search` describes. A one-character query waits for a second.
"""

from __future__ import annotations

import json

__all__ = ["SEARCH_CSS", "search_script"]

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

# Builds every element with createElement/textContent. KIND_ORDER, SHARDS_FILE, SHARD_FOLDER and
# EXACT are filled in by mmkg.render.search.
_SEARCH_JS = r"""
(function () {
  var script = document.currentScript;
  var header = document.querySelector("header.top");
  if (!script || !header) { return; }
  var root = script.getAttribute("data-root") || "";
  var KIND_ORDER = @KIND_ORDER@, SHARDS_FILE = @SHARDS_FILE@, SHARD_FOLDER = @SHARD_FOLDER@,
      EXACT = @EXACT@;
  var SHOWN = 12;
  var split = null, keys = null, shortNames = [], shards = {}, requested = {};
  var pendingEnter = false, matches = [], active = -1;

  function norm(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^\p{L}\p{N}]+/gu, "");
  }
  function chars(text) { return Array.from(text); }  // code points, as Python counts them
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

  // each shard file calls this with its key and rows
  function prepare(rows) {
    return rows.map(function (row) {
      var names = [row[0]].concat(row[3] || []);
      return {label: row[0], kind: row[1], url: row[2], names: names,
              keys: names.map(norm), order: KIND_ORDER.indexOf(row[1])};
    });
  }
  window.MMKG_SEARCH_SHARD = function (key, rows) { shards[key] = prepare(rows); };
  function addScript(path, name) {
    if (requested[name]) { return; }
    requested[name] = true;
    var tag = el("script", {src: root + path});
    tag.onload = function () {
      update();
      if (pendingEnter && ready()) { pendingEnter = false; open(-1); }
    };
    tag.onerror = function () { status.textContent = "Search unavailable"; };
    document.head.appendChild(tag);
  }
  function loadShardList() {
    var info = window.MMKG_SEARCH_SHARDS;
    if (info && !keys) {
      split = {}; keys = {};
      info.split.forEach(function (k) { split[k] = true; });
      info.keys.forEach(function (k) { keys[k] = true; });
      shortNames = prepare(info.short || []);
    }
    if (!keys) { addScript(SHARDS_FILE, ""); }
  }
  // the shard of a normalised text: its first two characters, one more while that is split
  function shardKey(text) {
    var cs = chars(text), n = Math.min(2, cs.length), key = cs.slice(0, n).join("");
    while (split[key]) {
      if (cs.length > n) { n += 1; key = cs.slice(0, n).join(""); }
      else { return key + EXACT; }
    }
    return key;
  }
  // the one shard a query needs: its first word's (a word under two characters: the query's)
  function queryShard(text) {
    var query = norm(text), word = norm(text.trim().split(/\s+/)[0] || "");
    if (chars(word).length < 2) { word = query; }
    var key = shardKey(word);
    return key.slice(-EXACT.length) === EXACT && word !== query ? shardKey(query) : key;
  }
  function fileName(key) {
    return chars(key).map(function (c) {
      return /^[a-z0-9]$/.test(c) ? c : "_" + c.codePointAt(0).toString(16) + "_";
    }).join("");
  }
  function ready() {
    var query = norm(input.value);
    if (!keys) { return false; }
    if (!query) { return true; }
    var key = queryShard(input.value);
    return chars(query).length < 2 || !keys[key] || !!shards[key];
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
  function search(text, entries) {
    var query = norm(text);
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
  function say(shown, spoken) {  // nothing to list: the reason, shown and spoken
    close();
    matches = [];
    none.textContent = shown;
    none.hidden = false;
    status.textContent = spoken || shown;
  }
  function update() {
    var text = input.value, query = norm(text);
    while (list.firstChild) { list.removeChild(list.firstChild); }
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (!query) { close(); matches = []; status.textContent = ""; return; }
    if (!keys) { loadShardList(); if (!keys) { return; } }
    var key = queryShard(text), short = chars(query).length < 2;
    var found = short ? search(text, shortNames) : null;
    if (short && !found.length) { say("Type a second character to search"); return; }
    if (!short && keys[key] && !shards[key]) {
      addScript(SHARD_FOLDER + fileName(key) + ".js", key);
      return;
    }
    found = found || search(text, shards[key] || []);
    // one character finds the names of one character (in the shard list); a query that starts
    // so many names that their shard is split finds the names equal to it: more typing, more
    var more = short ? "; type a second character to search" :
      key.slice(-EXACT.length) === EXACT ?
      "; type more to find more" : "";
    if (!found.length) { say("No matches" + more, "0 matches" + more); return; }
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
    list.hidden = false;
    none.hidden = true;
    input.setAttribute("aria-expanded", "true");
    status.textContent = (found.length > SHOWN ?
      found.length + " matches, the first " + SHOWN + " shown" :
      found.length + (found.length === 1 ? " match" : " matches")) + more;
  }

  input.addEventListener("focus", loadShardList);
  input.addEventListener("input", update);
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (list.hidden) { update(); }
      select(active < 0 && e.key === "ArrowDown" ? 0 : active + (e.key === "ArrowDown" ? 1 : -1));
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (!ready()) { pendingEnter = true; update(); return; }
      if (list.hidden) { update(); }
      open(active);
    } else if (e.key === "Escape") {
      e.preventDefault();
      if (list.hidden && none.hidden) { input.value = ""; } else { close(); }
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


def search_script(values: dict[str, object]) -> str:
    """The search script with each ``@NAME@`` replaced by *values*' NAME as a JS literal."""
    text = _SEARCH_JS
    for name, value in values.items():
        text = text.replace(f"@{name}@", json.dumps(value))
    if "@" in text:
        raise ValueError(f"the search script needs a value for {text.split('@')[1]}")
    return text
