"""Benchmark: median time of named queries on a graph, Oxigraph and rdflib side by side.

Run after `make build`:

    .venv/bin/python benchmarks/bench_queries.py [--repeat 15] [--graph build/mmkg.nt] [NAME ...]

Prints one line per query: its median time on pyoxigraph (the engine the CLI uses), the
median on rdflib's pure-Python engine for comparison, their ratio, and the row count. A NAME
picks queries as `mmkg query` does (`cq-10`, `10`, `checks/derivation-cycle`); without one,
every query runs. On a large graph (the synthetic data of benchmarks/synthetic.py) use
`--no-rdflib`, and `--cpu` to time the process's CPU rather than the wall clock when other
work shares the machine. A query slower than `--slow` seconds on its first run is timed once.
Exits 1 when a competency question's median is over `--budget-ms` (20 by default, the target
on the real graph).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from mmkg.paths import BUILD_DIR, QUERIES_DIR
from mmkg.queries import Query, bind_parameters, find_queries, load_store, run_query


def _median_ms(
    func: Callable[[], object], repeat: int, clock: Callable[[], float], slow: float
) -> tuple[float, object]:
    start = clock()
    result = func()  # warm-up, also the answer
    first = clock() - start
    if first > slow:
        return first * 1000, result
    times = []
    for _ in range(repeat):
        start = clock()
        func()
        times.append((clock() - start) * 1000)
    return statistics.median(times), result


def _pick(queries: dict[str, Query], names: list[str]) -> dict[str, Query]:
    """The queries named (a full name, a prefix, or a competency question's number)."""
    if not names:
        return queries
    picked: dict[str, Query] = {}
    for name in names:
        number = f"cq-{int(name):02d}" if name.isdigit() else name
        found = {key: q for key, q in queries.items() if key.startswith(number)}
        if not found:
            raise SystemExit(f"no query named {name!r}")
        picked.update(found)
    return dict(sorted(picked.items()))


def main() -> int:
    """Time the queries and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help="queries to time (default: all)")
    parser.add_argument("--graph", type=Path, default=BUILD_DIR / "mmkg.nt")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--no-rdflib", action="store_true", help="skip the rdflib comparison")
    parser.add_argument("--cpu", action="store_true", help="time CPU, not the wall clock")
    parser.add_argument("--slow", type=float, default=5.0, help="time once above this (s)")
    parser.add_argument("--budget-ms", type=float, default=20.0)
    args = parser.parse_args()
    clock = time.process_time if args.cpu else time.perf_counter
    queries = _pick(find_queries(QUERIES_DIR), args.names)

    start = time.perf_counter()
    store = load_store(args.graph)
    loads = f"oxigraph {(time.perf_counter() - start) * 1000:.0f} ms"
    graph = None
    if not args.no_rdflib:
        from rdflib import Graph

        start = time.perf_counter()
        graph = Graph().parse(args.graph)
        loads += f", rdflib {(time.perf_counter() - start) * 1000:.0f} ms"
    print(
        f"graph: {args.graph} ({len(store)} triples); load: {loads}; {args.repeat} runs per "
        f"query, medians of {'CPU' if args.cpu else 'wall'} time"
    )
    print(f"{'query':58} {'oxigraph ms':>12} {'rdflib ms':>10} {'ratio':>7} {'rows':>7}")
    slow = []
    for name, query in queries.items():
        ox_ms, table = _median_ms(
            lambda q=query: run_query(store, q), args.repeat, clock, args.slow
        )
        rows = len(table.rows)
        if graph is None:
            rd_text, ratio = "-", "-"
        else:
            text = bind_parameters(query, query.defaults)
            rd_ms, _ = _median_ms(
                lambda t=text: list(graph.query(t)), max(3, args.repeat // 5), clock, args.slow
            )
            rd_text, ratio = f"{rd_ms:10.1f}", f"{rd_ms / ox_ms:7.1f}x"
        print(f"{name:58} {ox_ms:12.2f} {rd_text:>10} {ratio:>7} {rows:7d}", flush=True)
        if query.cq is not None and ox_ms > args.budget_ms:
            slow.append(name)
    if slow:
        print(f"competency questions over {args.budget_ms:g} ms: {', '.join(slow)}")
        return 1
    print(f"every competency question answers within {args.budget_ms:g} ms (Oxigraph median)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
