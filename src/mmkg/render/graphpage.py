"""One interactive graph page: a pyvis network drawn by vis-network, offline.

pyvis builds the node and edge lists; the page is this package's own template, because pyvis's
``template.html`` links Bootstrap from a CDN even with ``cdn_resources="in_line"`` and puts its
heading in unescaped. The page loads the one shared copy of the vis-network script that pyvis
ships and the site's ``assets/graph.js`` (see :mod:`mmkg.render.assets`); only its data is
inline, through :func:`~mmkg.render.html.js_literal`. Tooltips are plain text, a click on a
node opens its page and a search box focuses a node by name (pyvis's own filter and select
menus blank the graph).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mmkg.render.graphstyle import label_colour

__all__ = ["GraphPage", "UrlFor", "OPTIONS", "MIN_SCALE", "SWATCHES", "network", "node_key"]

# legend swatch shapes (CSS classes): node shapes and edge styles
SWATCHES = ("dot", "diamond", "box", "ellipse", "line", "dashed")
MIN_SCALE = 0.7  # below this zoom the labels cannot be read: start there instead of fitting
MIN_LABEL_PX = 10.5  # after the first fit, labels are enlarged to at least this many pixels

# Called with a node id, gives the page's URL relative to the site root, or None.
UrlFor = Callable[[str], str | None]


@dataclass
class GraphPage:
    """One interactive graph page: the pyvis network plus what the template needs."""

    path: str  # relative to the site root, e.g. graphs/lineage.html
    title: str
    intro: str
    net: Any  # pyvis.network.Network
    legend: list[dict] = field(default_factory=list)
    axis: dict | None = None
    url_for: UrlFor | None = None
    anchor: str = "centre"  # where the first view sits when the whole graph is too small to read
    #: said above the graph when it is not one node per model (aggregated, or cut short)
    note: str = ""
    #: the text of the box that shows the nodes flagged ``hidden`` (say what they are);
    #: by default "show the N models without a lineage link"
    hidden_label: str = ""

    @property
    def root(self) -> str:
        """The relative prefix from this page back to the site root."""
        return "../" * self.path.count("/")

    def context(self) -> dict:
        """Template variables: nodes, edges, node pages, labels, legend, axis, note."""
        for section in self.legend:
            for item in section["items"]:
                if not re.fullmatch(r"#[0-9a-fA-F]{6}", item["colour"]) or (
                    item["shape"] not in SWATCHES
                ):
                    raise ValueError(f"legend item {item!r}: colour or shape not allowed")
                if not all(isinstance(d, int) for d in item.get("dashes", [])):
                    raise ValueError(f"legend item {item!r}: dashes must be integers")
        nodes = [dict(n) for n in self.net.nodes]
        for node in nodes:  # a label inside a coloured shape: black or white, for contrast
            colour = node.get("color")
            if node.get("shape") in ("box", "ellipse") and isinstance(colour, str):
                if re.fullmatch(r"#[0-9a-fA-F]{6}", colour) and "font" not in node:
                    node["font"] = {"color": label_colour(colour)}
        edges = [dict(e) for e in self.net.edges]
        pages, keys, taken = {}, {}, set()
        for node in nodes:
            url = self.url_for(node["id"]) if self.url_for else None
            if url:
                pages[node["id"]] = self.root + url
            key = node_key(node["id"], url)
            keys[node["id"]] = key if key not in taken else node["id"]
            taken.add(keys[node["id"]])
        names = {n["id"]: str(n.get("name", n["label"])) for n in nodes}
        listed = sorted(nodes, key=lambda n: (names[n["id"]].casefold(), n["id"]))
        return {
            "title": self.title,
            "intro": self.intro,
            "root": self.root,
            "nodes": nodes,
            "edges": edges,
            "pages": pages,
            "labels": sorted({n.get("name", n["label"]) for n in nodes}, key=str.casefold),
            "legend": self.legend,
            "axis": self.axis,
            "view": {"anchor": self.anchor, "min_scale": MIN_SCALE, "min_label": MIN_LABEL_PX},
            "note": self.note,
            "hidden_label": self.hidden_label
            or f"show the {sum(bool(n.get('hidden')) for n in nodes)} models without a "
            "lineage link",
            # only the names graph.js cannot derive from the node's page (page.js keyOf)
            "keys": {
                i: k for i, k in keys.items() if k != node_key(i, self.url_for and self.url_for(i))
            },
            "node_keys": keys,
            "node_list": [
                {
                    "name": names[n["id"]],
                    "key": keys[n["id"]],
                    "url": pages.get(n["id"]),
                    "hidden": bool(n.get("hidden")),
                }
                for n in listed
            ],
            "edge_list": sorted(
                (
                    {
                        "source": names.get(e["from"], e["from"]),
                        "target": names.get(e["to"], e["to"]),
                        "what": str(e.get("what") or e.get("title", "")).split("\n")[-1],
                    }
                    for e in edges
                ),
                key=lambda e: (e["source"].casefold(), e["target"].casefold(), e["what"]),
            ),
        }


def node_key(node: str, url: str | None) -> str:
    """The name of a node in a ``#node=`` permalink: its page's slug (``models/x.html`` ->
    ``x``; ``components/y.html`` -> ``components/y``), else the node's id.

    >>> node_key("iri", "models/llava-1.5.html"), node_key("iri", "components/clip.html")
    ('llava-1.5', 'components/clip')
    """
    if url and url.endswith(".html") and "#" not in url:
        path = url[: -len(".html")]
        return path[len("models/") :] if path.startswith("models/") else path
    return node


OPTIONS = {
    "physics": {"enabled": False},
    "interaction": {
        "hover": True,
        "tooltipDelay": 120,
        "navigationButtons": False,
        "keyboard": {"enabled": True, "bindToWindow": False},
        "multiselect": False,
    },
    "nodes": {
        "font": {"size": 15, "face": "system-ui, -apple-system, Segoe UI, sans-serif"},
        "borderWidth": 1,
        "size": 11,
    },
    "edges": {
        "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.12},
        "color": {"inherit": False},
        "width": 1.3,
    },
}


def network(directed: bool) -> Any:
    """An empty pyvis network set to inline its resources."""
    from pyvis.network import Network

    return Network(height="100%", width="100%", directed=directed, cdn_resources="in_line")
