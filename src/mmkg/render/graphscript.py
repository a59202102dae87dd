"""``assets/graph.js``: draws a graph page with vis-network from the data the page declares.

The page declares ``NODES``, ``EDGES``, ``PAGES`` (node id -> page), ``KEYS`` (the names in
a ``#node=`` permalink that its page's path does not give), ``AXIS`` (pinned time axis or
column names, lane names) and ``VIEW``; ``OPTIONS`` is prepended when the file is written
(:mod:`mmkg.render.assets`).

- The first view fits every drawn node inside the canvas, leaving room for the pinned axis
  and lane names, and enlarges the labels to at least ``VIEW.min_label`` pixels at that zoom
  (at most three times, none on a phone, where they would overlap). A graph that cannot be
  read whole that way on a phone, or on a page anchored ``top-left``, starts readable at its
  top left; "Show all" fits it whole.
- The axis and lane names are HTML laid over the canvas, moved after every drawing, so they
  stay in view whatever the pan and zoom.
- Nodes and edges flagged ``hidden`` are drawn only once the "show" box is ticked, or when
  a ``#node=`` permalink names one of those nodes.
- ``#node=<key>`` selects and focuses a node; selecting one (search, list, tap) rewrites the
  hash with ``history.replaceState``, so the address is a permalink.
- A mouse click opens a node's page; a tap (touch) or a keyboard selection shows a card with
  the node's details and an "Open" link.
- The search ranks the exact name (case, spaces and hyphens ignored) first, then names that
  start with the text, then names that hold it; "Next match" cycles, Enter again opens.

Everything is built with ``textContent`` and ``createElement``; no label becomes markup.
"""

from __future__ import annotations

__all__ = ["GRAPH_JS"]

GRAPH_JS = """
var nodes = new vis.DataSet(NODES);
var edges = new vis.DataSet(EDGES);
var container = document.getElementById("mynetwork");
var network = new vis.Network(container, {nodes: nodes, edges: edges}, OPTIONS);
var BASE_FONT = OPTIONS.nodes.font.size;
var fontSize = BASE_FONT;
var HIDDEN = NODES.filter(function (n) { return n.hidden; }).map(function (n) { return n.id; });
var HIDDEN_EDGES = edges.getIds({filter: function (e) { return e.hidden; }});
var showHidden = false;
function keyOf(id) {  // as graphpage.node_key: models/x.html -> x, else the page's path
  if (has(KEYS, id)) { return KEYS[id]; }
  var url = has(PAGES, id) ? PAGES[id].replace(/^(\\.\\.\\/)+/, "") : "";
  if (!/\\.html$/.test(url) || url.indexOf("#") >= 0) { return id; }
  url = url.slice(0, -5);
  return url.indexOf("models/") === 0 ? url.slice(7) : url;
}
var idOfKey = {};
NODES.forEach(function (n) { if (!has(idOfKey, keyOf(n.id))) { idOfKey[keyOf(n.id)] = n.id; } });
container.style.position = "relative";

function has(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }
function pageOf(id) { return has(PAGES, id) ? PAGES[id] : null; }
function nameOf(id) {
  var node = nodes.get(id);
  return node ? String(node.name || node.label) : "";
}
function openNode(id) {
  var url = pageOf(id);
  if (url) { window.location.href = url; }
  return url;
}
function element(tag, className, text) {
  var e = document.createElement(tag);
  if (className) { e.className = className; }
  if (text !== undefined) { e.textContent = text; }
  return e;
}

// ---- the pinned axis and lane names (HTML over the canvas)
var topStrip = null, leftStrip = null;
var extent = {top: 0, bottom: 0};
if (AXIS) {
  topStrip = element("div", "graph-axis");
  leftStrip = element("div", "graph-lanes");
  topStrip.setAttribute("aria-hidden", "true");
  leftStrip.setAttribute("aria-hidden", "true");
  container.appendChild(topStrip);
  container.appendChild(leftStrip);
}
function drawnIds() {
  return nodes.getIds({filter: function (n) { return !n.hidden; }});
}
function lanesShown() {
  return AXIS ? AXIS.lanes.filter(function (l) { return showHidden || !l.hidden; }) : [];
}
function measureExtent() {
  var ids = drawnIds(), positions = network.getPositions(ids);
  var top = Infinity, bottom = -Infinity;
  ids.forEach(function (id) {
    top = Math.min(top, positions[id].y);
    bottom = Math.max(bottom, positions[id].y);
  });
  lanesShown().forEach(function (l) {
    top = Math.min(top, l.top);
    bottom = Math.max(bottom, l.bottom);
  });
  extent = {top: top - 20, bottom: bottom + 30};
}
if (AXIS) {
  network.on("beforeDrawing", function (ctx) {
    ctx.save();
    var lanes = lanesShown();
    var left = -1e6, right = 1e6;
    lanes.forEach(function (lane, i) {  // alternate bands, so that lanes read apart
      if (i % 2 === 0) {
        ctx.fillStyle = "#f3f5f7";
        ctx.fillRect(left, lane.top, right - left, lane.bottom - lane.top);
      }
    });
    ctx.lineWidth = 1 / network.getScale();
    AXIS.ticks.forEach(function (tick) {
      if (!tick.major && !AXIS.lanes.length) { return; }
      ctx.strokeStyle = tick.major ? "#8c959f" : "#e1e4e8";
      ctx.beginPath();
      ctx.moveTo(tick.x, extent.top);
      ctx.lineTo(tick.x, extent.bottom);
      ctx.stroke();
    });
    if (AXIS.gap && (showHidden || !AXIS.gap.hidden)) {  // the gap before undated models
      ctx.setLineDash([6 / network.getScale(), 6 / network.getScale()]);
      ctx.strokeStyle = "#57606a";
      var x = AXIS.gap.x - 60;
      ctx.beginPath();
      ctx.moveTo(x, extent.top);
      ctx.lineTo(x, extent.bottom);
      ctx.stroke();
    }
    ctx.restore();
  });
  network.on("afterDrawing", function () {
    var width = container.clientWidth, height = container.clientHeight;
    topStrip.textContent = "";
    var lastRight = -Infinity;
    var ticks = AXIS.ticks.slice();
    if (AXIS.gap && (showHidden || !AXIS.gap.hidden)) {
      ticks.push({x: AXIS.gap.x, text: AXIS.gap.text, major: true});
    }
    ticks.forEach(function (tick) {
      var x = network.canvasToDOM({x: tick.x, y: 0}).x;
      if (x < 0 || x > width) { return; }
      var half = 4 * String(tick.text).length + 4;
      if (x - half < lastRight) { return; }
      var label = element("span", tick.major ? "major" : "", tick.text);
      label.style.left = Math.round(x) + "px";
      topStrip.appendChild(label);
      lastRight = x + half;
    });
    leftStrip.textContent = "";
    lanesShown().forEach(function (lane) {
      var top = network.canvasToDOM({x: 0, y: lane.top}).y;
      var bottom = network.canvasToDOM({x: 0, y: lane.bottom}).y;
      if (bottom < 30 || top > height) { return; }
      var label = element("span", "", lane.text);
      label.style.top = Math.round(Math.max(top, 30)) + "px";
      leftStrip.appendChild(label);
    });
  });
}

// ---- the first view: every drawn node inside, labels readable
function laneMargin() {
  var widest = 0;
  lanesShown().forEach(function (l) { widest = Math.max(widest, String(l.text).length); });
  return widest ? Math.min(7 * widest + 24, container.clientWidth * 0.35) : 0;
}
function setFont(scale) {
  fontSize = Math.min(Math.max(BASE_FONT, VIEW.min_label / scale), BASE_FONT * 3);
  network.setOptions({nodes: {font: {size: fontSize}}});
}
// *whole*: fit every drawn node even where labels get small ("Show all"); otherwise a graph
// too big to read whole starts readable at its top left (a page anchored there, or a phone)
function fitAll(whole) {
  var ids = drawnIds();
  if (!ids.length) { return; }
  var positions = network.getPositions(ids);
  var minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  ids.forEach(function (id) {
    var p = positions[id];
    minX = Math.min(minX, p.x); maxX = Math.max(maxX, p.x);
    minY = Math.min(minY, p.y); maxY = Math.max(maxY, p.y);
  });
  var W = container.clientWidth, H = container.clientHeight;
  var margin = {left: Math.max(60, laneMargin() + 40), right: 60, top: 30, bottom: 36};
  if (AXIS) { margin.top = 52; }
  if (W < 600) { margin.left = Math.min(margin.left, W * 0.3); margin.right = 30; }
  var w = Math.max(W - margin.left - margin.right, 40);
  var h = Math.max(H - margin.top - margin.bottom, 40);
  var scale = Math.min(w / Math.max(maxX - minX, 1), h / Math.max(maxY - minY, 1), 1.6);
  var cx = (minX + maxX) / 2 - (margin.left + w / 2 - W / 2) / scale;
  var cy = (minY + maxY) / 2 - (margin.top + h / 2 - H / 2) / scale;
  // labels may grow to three times their size where the layout leaves room for them; a
  // phone's canvas is too narrow for that (they would overlap), so it allows none
  var room = W < 600 ? 1 : 3;
  var anchored = VIEW.anchor === "top-left" || W < 600;
  if (!whole && anchored && scale * BASE_FONT * room < VIEW.min_label) {
    // too big to read whole even with enlarged labels: start readable, at the top left
    scale = VIEW.min_scale;
    cx = minX - margin.left / scale + W / (2 * scale);
    cy = minY - margin.top / scale + H / (2 * scale);
  }
  setFont(scale);
  network.moveTo({position: {x: cx, y: cy}, scale: scale, animation: false});
}
measureExtent();
fitAll();

// ---- the card: a node's details and its page, for touch and keyboard readers
var card = element("div", "node-card");
card.hidden = true;
card.setAttribute("role", "dialog");
card.setAttribute("aria-label", "node details");
container.appendChild(card);
function hideCard() { card.hidden = true; }
function showCard(id) {
  card.textContent = "";
  var close = element("button", "close", "\\u00d7");
  close.type = "button";
  close.setAttribute("aria-label", "close");
  close.addEventListener("click", hideCard);
  card.appendChild(close);
  var node = nodes.get(id);
  card.appendChild(element("div", "lines", String(node.title || nameOf(id))));
  var url = pageOf(id);
  if (url) {
    var open = element("a", "open", "Open " + nameOf(id));
    open.href = url;
    card.appendChild(open);
  }
  card.hidden = false;
  var at = network.canvasToDOM(network.getPositions([id])[id]);
  var left = Math.min(Math.max(at.x + 14, 4), container.clientWidth - card.offsetWidth - 4);
  var top = Math.min(Math.max(at.y + 14, 4), container.clientHeight - card.offsetHeight - 4);
  card.style.left = Math.max(left, 0) + "px";
  card.style.top = Math.max(top, 0) + "px";
}

// ---- selecting a node: select, focus, permalink
function setHidden(show) {
  showHidden = show;
  var toggle = document.getElementById("show-hidden");
  if (toggle) { toggle.checked = show; }
  nodes.update(HIDDEN.map(function (id) { return {id: id, hidden: !show}; }));
  edges.update(HIDDEN_EDGES.map(function (id) { return {id: id, hidden: !show}; }));
  measureExtent();
  fitAll();
}
function selectNode(id, withCard) {
  if (!nodes.get(id)) { return null; }
  if (nodes.get(id).hidden) { setHidden(true); }
  network.selectNodes([id]);
  var scale = Math.max(network.getScale(), 12 / fontSize);
  network.focus(id, {scale: scale, animation: false});
  history.replaceState(null, "", "#node=" + encodeURIComponent(keyOf(id)));
  if (withCard) { showCard(id); } else { hideCard(); }
  return id;
}
function applyHash() {
  var match = /(?:^#|&)node=([^&]*)/.exec(window.location.hash);
  if (!match) { return null; }
  var key = decodeURIComponent(match[1]);
  var id = has(idOfKey, key) ? idOfKey[key] : (nodes.get(key) ? key : null);
  var status = document.getElementById("search-status");
  if (id === null) {
    status.textContent = "no node " + key + " in this graph";
    return null;
  }
  status.textContent = "selected: " + nameOf(id);
  return selectNode(id, true);
}
window.addEventListener("hashchange", function () {
  if (applyHash() !== null) { container.scrollIntoView({block: "nearest"}); }
});

network.on("click", function (params) {
  if (!params || !params.nodes || params.nodes.length !== 1) { hideCard(); return; }
  var id = params.nodes[0];
  var touch = params.event && params.event.pointerType && params.event.pointerType !== "mouse";
  if (touch) { selectNode(id, true); } else { openNode(id); }
});
network.on("hoverNode", function (params) {
  container.style.cursor = pageOf(params.node) ? "pointer" : "default";
});
network.on("blurNode", function () { container.style.cursor = "default"; });

// ---- search
function normal(text) { return String(text).toLowerCase().replace(/[\\s\\-_]+/g, ""); }
function matches(text) {
  var query = normal(text), found = [];
  if (!query) { return []; }
  nodes.forEach(function (node) {
    var name = String(node.name || node.label), key = normal(name);
    var at = key.indexOf(query);
    if (at < 0) { return; }
    found.push({id: node.id, name: name, rank: key === query ? 0 : (at === 0 ? 1 : 2)});
  });
  found.sort(function (a, b) {
    return a.rank - b.rank || a.name.length - b.name.length || a.name.localeCompare(b.name);
  });
  return found.map(function (f) { return f.id; });
}
var found = {query: null, ids: [], index: 0};
var search = document.getElementById("search");
var nextButton = document.getElementById("search-next");
function showMatch() {
  var id = found.ids[found.index];
  selectNode(id, true);
  document.getElementById("search-status").textContent = "found: " + nameOf(id);
  document.getElementById("search-count").textContent = found.ids.length > 1
    ? "match " + (found.index + 1) + " of " + found.ids.length + "; Enter again opens its page"
    : "Enter again opens its page";
  if (nextButton) { nextButton.disabled = found.ids.length < 2; }
  return id;
}
function focusNode(text) {
  found = {query: normal(text), ids: matches(text), index: 0};
  if (!found.ids.length) {
    document.getElementById("search-status").textContent =
      String(text).trim() ? "no node matches" : "";
    document.getElementById("search-count").textContent = "";
    if (nextButton) { nextButton.disabled = true; }
    network.unselectAll();
    hideCard();
    return null;
  }
  return showMatch();
}
function nextMatch() {
  if (!found.ids.length) { return null; }
  found.index = (found.index + 1) % found.ids.length;
  return showMatch();
}
search.addEventListener("keydown", function (e) {
  if (e.key !== "Enter") { return; }
  e.preventDefault();
  if (found.ids.length && found.query === normal(search.value)) {
    openNode(found.ids[found.index]);
  } else {
    focusNode(search.value);
  }
});
search.addEventListener("change", function () {
  if (found.query !== normal(search.value)) { focusNode(search.value); }
});
if (nextButton) { nextButton.addEventListener("click", nextMatch); }
document.getElementById("fit").addEventListener("click", function () {
  network.unselectAll();
  hideCard();
  fitAll(true);
});
var toggle = document.getElementById("show-hidden");
if (toggle) {
  toggle.addEventListener("change", function () { setHidden(toggle.checked); });
}
applyHash();
"""
