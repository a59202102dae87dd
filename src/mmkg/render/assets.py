"""The shared files of the site: one copy of each script and style, in ``assets/``.

Pages load them by relative path (``<script src="../assets/graph.js">``), so the site works
from ``file://`` with no network, and the vis-network library (469 KB) is written once
instead of once per graph page.

>>> ASSETS["vis-network"]
'assets/vis-network.min.js'
"""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path

from mmkg.render.comparepage import COMPARE_STYLE
from mmkg.render.graphpage import OPTIONS
from mmkg.render.html import STYLE, js_literal
from mmkg.render.scripts import GRAPH_JS, MODEL_TABLE_JS, TABLE_JS
from mmkg.render.search import SEARCH_CSS, SEARCH_JS

__all__ = ["ASSETS", "VIS_NETWORK", "vis_network_file", "vis_script", "write_assets"]

#: Each shared file by name: its path relative to the site root.
ASSETS = {
    "site.css": "assets/site.css",
    "site.js": "assets/site.js",
    "graph": "assets/graph.js",
    "model-table": "assets/model-table.js",
    "search": "assets/search.js",
    "vis-network": "assets/vis-network.min.js",
}
VIS_NETWORK = ASSETS["vis-network"]


def vis_network_file() -> Path:
    """The vis-network script that pyvis ships."""
    import pyvis

    return Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / "vis-network.min.js"


@lru_cache(maxsize=1)
def vis_script() -> str:
    """The text of pyvis's vis-network script."""
    return vis_network_file().read_text(encoding="utf-8")


def write_assets(out: Path) -> list[Path]:
    """Write every shared file under *out* (the site's root); returns their paths."""
    folder = out / "assets"
    folder.mkdir(parents=True, exist_ok=True)
    texts = {
        "site.css": STYLE + SEARCH_CSS + COMPARE_STYLE,
        "site.js": TABLE_JS,
        "graph": f"var OPTIONS = {js_literal(OPTIONS)};\n{GRAPH_JS}",
        "model-table": MODEL_TABLE_JS,
        "search": SEARCH_JS,
    }
    written = []
    for name, text in texts.items():
        path = out / ASSETS[name]
        path.write_text(text.lstrip("\n"), encoding="utf-8")
        written.append(path)
    shutil.copyfile(vis_network_file(), out / VIS_NETWORK)
    written.append(out / VIS_NETWORK)
    return written
