"""NetworkX metrics and trends on the graph's projections: reuse, hubs, lineage, communities.

Every analysis takes a pyoxigraph store holding the built graph and returns a result whose
``sections()`` are named tables (``table()`` joins them into one, with a ``section`` column).
``ANALYSES`` maps each analysis's name to its function and a one-line summary.

One module per analysis: ``reuse``, ``hubs``, ``lineage``, ``communities``, ``trends`` (with
the survey's five trends checked in ``trend_checks``) and ``comparisons``; ``base`` holds the
result type and shared helpers. Import from ``mmkg.analysis``, which re-exports them.

Every analysis is exact on graphs the size of the survey's and near-linear in the graph's
size; the two that approximate on large graphs say so in their result: ``hubs`` estimates
betweenness from sampled sources above ``BETWEENNESS_EXACT_MAX`` nodes, ``communities`` runs
Louvain on the model-component graph above ``EXACT_MAX_MODELS`` models.

>>> sorted(ANALYSES)[:3]
['communities', 'comparisons', 'component-reuse']
>>> half_year(2023, 7)
'2023-H2'
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable

import pyoxigraph as ox

from mmkg.analysis.base import AnalysisError, AnalysisResult
from mmkg.analysis.communities import (
    EXACT_MAX_MODELS,
    Communities,
    Community,
    communities,
    partition,
    projected_modularity,
)
from mmkg.analysis.comparisons import Comparisons, Pair, comparisons
from mmkg.analysis.hubs import (
    BETWEENNESS_EXACT_MAX,
    BETWEENNESS_SAMPLE,
    Hubs,
    betweenness,
    hubs,
    pagerank,
)
from mmkg.analysis.lineage import Chain, Lineage, descendant_counts, lineage
from mmkg.analysis.reuse import VISION as VISION
from mmkg.analysis.reuse import ComponentReuse, ReuseRow, component_reuse
from mmkg.analysis.trend_checks import TrendCheck
from mmkg.analysis.trends import Trends, half_year, trends
from mmkg.tables import render

__all__ = [
    "ANALYSES",
    "BETWEENNESS_EXACT_MAX",
    "BETWEENNESS_SAMPLE",
    "EXACT_MAX_MODELS",
    "AnalysisError",
    "AnalysisResult",
    "Chain",
    "Communities",
    "Community",
    "Comparisons",
    "ComponentReuse",
    "Hubs",
    "Lineage",
    "Pair",
    "ReuseRow",
    "TrendCheck",
    "Trends",
    "betweenness",
    "communities",
    "comparisons",
    "component_reuse",
    "descendant_counts",
    "find_analysis",
    "half_year",
    "hubs",
    "lineage",
    "pagerank",
    "partition",
    "projected_modularity",
    "render_result",
    "run_analysis",
    "trends",
]

ANALYSES: dict[str, tuple[Callable[..., AnalysisResult], str]] = {
    "component-reuse": (
        component_reuse,
        "Components and component families ranked by the number of models using them, per role",
    ),
    "hubs": (hubs, "Degree, betweenness and PageRank in the lineage and component co-usage graphs"),
    "lineage": (lineage, "Roots, depths, longest chains and most prolific ancestors of the DAG"),
    "communities": (communities, "Communities of models that share components"),
    "trends": (trends, "Half-year counts and the survey's five named trends checked on the data"),
    "comparisons": (comparisons, "Variant pairs differing in backbone or training data, scored"),
}


def find_analysis(name: str) -> Callable[..., AnalysisResult]:
    """The analysis function of *name*, or an error naming the closest names."""
    if name in ANALYSES:
        return ANALYSES[name][0]
    near = difflib.get_close_matches(name, list(ANALYSES), n=3, cutoff=0.4)
    near += [n for n in ANALYSES if n.startswith(name[:3]) and n not in near] if name else []
    hint = f"; did you mean {', '.join(repr(n) for n in near)}?" if near else ""
    raise AnalysisError(
        f"no analysis named '{name}'{hint} (known: {', '.join(ANALYSES)}; "
        "`mmkg analyze` lists them)"
    )


def run_analysis(name: str, store: ox.Store, top: int = 10) -> AnalysisResult:
    """Run the analysis *name* on *store*, keeping *top* entries per ranking."""
    return find_analysis(name)(store, top=top)


def render_result(result: AnalysisResult, fmt: str) -> str:
    """The result as text: JSON maps section -> rows; CSV is one table with a section column."""
    if fmt == "json":
        return json.dumps(
            {name: json.loads(render(t, "json")) for name, t in result.sections().items()},
            ensure_ascii=False,
            indent=2,
        )
    if fmt == "csv":
        return render(result.table(), "csv")
    heading = "## {}\n\n" if fmt == "markdown" else "% {}\n"
    return "\n".join(heading.format(name) + render(t, fmt) for name, t in result.sections().items())
