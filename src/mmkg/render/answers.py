"""The head of a query's answer: its first rows and how many rows it has, read as a stream.

The queries page shows the first rows of each competency question. :func:`mmkg.queries.
run_query` turns the whole answer into Python rows (through the SPARQL results JSON), which
for an answer of half a million rows (cq-17 at 10,000 models) costs three times the query
and hundreds of megabytes; here the rows past the shown ones are only counted, up to
:data:`COUNT_MAX`. Values are read as :func:`mmkg.queries.run_query` reads them (a test holds
the two equal on every competency question).
"""

from __future__ import annotations

from itertools import islice
from typing import Any

import pyoxigraph as ox

from mmkg.queries import PREFIXES, Query, QueryError, Table, bound_text, run_query

__all__ = ["COUNT_MAX", "answer_head", "term_value"]

#: Rows past this many are not counted (the page says "more than").
COUNT_MAX = 1_000_000
_NUMBERS = {"integer", "int", "long", "nonNegativeInteger"}


def term_value(term: Any) -> Any:
    """A term of an answer as the Python value the query tables hold."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        kind = term.datatype.value.rsplit("#", 1)[-1]
        if kind in _NUMBERS:
            return int(term.value)
        if kind in {"decimal", "double", "float"}:
            number = float(term.value)
            return int(number) if number.is_integer() and kind != "decimal" else number
        if kind == "boolean":
            return term.value in {"true", "1"}
        return term.value
    return str(term)


def answer_head(store: ox.Store, query: Query, limit: int) -> tuple[Table, int]:
    """The first *limit* rows of *query*'s answer with its default parameters, and the
    number of rows it has (COUNT_MAX + 1 when it has more than COUNT_MAX)."""
    text = bound_text(query)
    try:
        answer = store.query(text)
    except SyntaxError:
        try:  # a query that leaves out a common PREFIX line
            answer = store.query(PREFIXES + text)
        except (SyntaxError, OSError, ValueError):
            table = run_query(store, query)  # raises the QueryError that names the fault
            return Table(table.columns, table.rows[:limit]), len(table.rows)
    except (OSError, ValueError) as exc:
        raise QueryError(f"query '{query.name}' failed: {exc}") from exc
    if not isinstance(answer, ox.QuerySolutions):
        table = run_query(store, query)
        return Table(table.columns, table.rows[:limit]), len(table.rows)
    columns = [v.value for v in answer.variables]
    solutions = iter(answer)
    try:
        rows = [[term_value(s[c]) for c in columns] for s in islice(solutions, limit)]
        rest = sum(1 for _ in islice(solutions, COUNT_MAX + 1 - len(rows)))
    except (OSError, ValueError) as exc:
        raise QueryError(f"query '{query.name}' failed: {exc}") from exc
    return Table(columns, rows), len(rows) + rest
