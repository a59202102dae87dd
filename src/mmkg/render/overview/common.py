"""What the overview pages share: the threshold, node sizes, links into the model table."""

from __future__ import annotations

import math
from urllib.parse import quote

__all__ = ["OVERVIEW_MAX_NODES", "MODEL_BLUE", "LINK_GREY", "table_link", "node_size"]

#: Above this many nodes an overview graph draws groups of models instead of models.
OVERVIEW_MAX_NODES = 500
MODEL_BLUE, LINK_GREY = "#a0cbe8", "#6e7781"


def table_link(**filters: str) -> str:
    """The front page's model table with these filters set (relative to the site root).

    >>> table_link(org="A&B", year="2024")
    'index.html#org=A%26B&year=2024'
    """
    return "index.html#" + "&".join(f"{k}={quote(v, safe='')}" for k, v in filters.items())


def node_size(count: int) -> float:
    """The radius of a node holding *count* models (grows with the square root, capped)."""
    return round(min(8 + 2.5 * math.sqrt(count), 30), 1)
