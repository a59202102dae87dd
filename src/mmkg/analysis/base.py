"""What every analysis shares: the result type, its error, and small helpers.

An analysis returns an ``AnalysisResult`` whose ``sections()`` are named tables; ``table()``
joins them into one, with a ``section`` column. The helpers run SPARQL with the project's
prefixes, round values and rank sorted pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from mmkg.endpoint import paged
from mmkg.errors import MmkgError
from mmkg.queries import Table, select

__all__ = ["AnalysisError", "AnalysisResult"]


class AnalysisError(MmkgError):
    """An analysis that cannot run: unknown name, or a graph that breaks its assumptions."""


def _rows(store: ox.Store, text: str) -> list[list]:
    """The rows of a SELECT (the project's prefixes added), as Python values; from an
    endpoint, read in pages (`endpoint.paged`), so none is lost to its row limit."""
    return select(paged(store), text)


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _rank(items: list[tuple[Any, float]]) -> list[tuple[int, Any, float]]:
    """Competition ranks (1, 2, 2, 4) of (item, value) pairs already sorted by value, high first."""
    ranked: list[tuple[int, Any, float]] = []
    for i, (item, value) in enumerate(items):
        rank = ranked[-1][0] if ranked and ranked[-1][2] == value else i + 1
        ranked.append((rank, item, value))
    return ranked


@dataclass
class AnalysisResult:
    """A result made of named tables."""

    def sections(self) -> dict[str, Table]:
        """The result's tables, by section name."""
        raise NotImplementedError

    def table(self) -> Table:
        """All sections in one table, with a leading ``section`` column."""
        sections = self.sections()
        columns: list[str] = []
        for part in sections.values():
            columns += [c for c in part.columns if c not in columns]
        rows = []
        for name, part in sections.items():
            for row in part.rows:
                cells = dict(zip(part.columns, row, strict=True))
                rows.append([name, *(cells.get(c) for c in columns)])
        return Table(["section", *columns], rows)
