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

import pyoxigraph as ox

from mmkg.guard import ChildStoppedError, in_guarded_child
from mmkg.queries import (
    Query,
    QueryError,
    Table,
    answer_table,
    bound_text,
    execute,
    term_value,
)

__all__ = [
    "ANSWER_MEMORY_MB",
    "ANSWER_SECONDS",
    "COUNT_MAX",
    "answer_head",
    "guarded_answer_head",
]

#: Rows past this many are not counted (the page says "more than").
COUNT_MAX = 1_000_000


def answer_head(store: ox.Store, query: Query, limit: int) -> tuple[Table, int]:
    """The first *limit* rows of *query*'s answer with its default parameters, and the
    number of rows it has (COUNT_MAX + 1 when it has more than COUNT_MAX)."""
    answer = execute(store, bound_text(query), query.name)
    if not isinstance(answer, ox.QuerySolutions):  # ASK or CONSTRUCT: small, read whole
        table = answer_table(answer)
        return Table(table.columns, table.rows[:limit]), len(table.rows)
    columns = [v.value for v in answer.variables]
    solutions = iter(answer)
    try:
        rows = [[term_value(s[c]) for c in columns] for s in islice(solutions, limit)]
        rest = sum(1 for _ in islice(solutions, COUNT_MAX + 1 - len(rows)))
    except (OSError, ValueError) as exc:
        raise QueryError(f"query '{query.name}' failed: {exc}") from exc
    return Table(columns, rows), len(rows) + rest


#: What one answer on the queries page may take, as `mmkg query` allows by default.
ANSWER_SECONDS = 60.0
ANSWER_MEMORY_MB = 4096


def guarded_answer_head(
    store: ox.Store,
    query: Query,
    limit: int,
    timeout: float | None = None,
    memory_mb: int | None = None,
) -> tuple[Table, int]:
    """:func:`answer_head` in a child process, stopped by its process id after *timeout*
    seconds or once it needs *memory_mb* MB more than the site (by default ANSWER_SECONDS
    and ANSWER_MEMORY_MB): QueryError then.

    An answer can grow with the square of the graph (cq-17 pairs the models of each
    architecture: half a million rows at 10,000 models); the page of such an answer says it
    was stopped instead of the site taking the machine's memory.
    """
    timeout = ANSWER_SECONDS if timeout is None else timeout
    memory_mb = ANSWER_MEMORY_MB if memory_mb is None else memory_mb
    try:
        return in_guarded_child(
            lambda: answer_head(store, query, limit), timeout, memory_mb, beyond_mapped=True
        )
    except ChildStoppedError as stop:
        if stop.reason == "time":
            what = f"took longer than {timeout:g} s"
        elif stop.reason == "memory":
            what = f"needed more than {memory_mb:,} MB of memory"
        else:
            what = "stopped the engine" + (
                f" (signal {stop.signal_number})" if stop.signal_number else ""
            )
        raise QueryError(
            f"the answer {what} and was stopped; `mmkg query {query.name}` gives it"
        ) from None
