"""Benchmark: median time of every named query on the real graph, Oxigraph and rdflib side by side.

Run after `make build`:

    .venv/bin/python benchmarks/bench_queries.py [--repeat 15] [--graph build/mmkg.nt]

Prints one line per query: its median time on pyoxigraph (the engine the CLI uses), the
median on rdflib's pure-Python engine for comparison, their ratio, and the row count.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from rdflib import Graph

from mmkg.paths import BUILD_DIR, QUERIES_DIR
from mmkg.queries import bind_parameters, find_queries, load_store, run_query


def _median_ms(func, repeat: int) -> tuple[float, object]:  # noqa: ANN001
    result = func()  # warm-up, also the answer
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main() -> int:
    """Time every query and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, default=BUILD_DIR / "mmkg.nt")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--no-rdflib", action="store_true", help="skip the rdflib comparison")
    args = parser.parse_args()

    start = time.perf_counter()
    store = load_store(args.graph)
    load_ox = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    graph = Graph().parse(args.graph)
    load_rdflib = (time.perf_counter() - start) * 1000
    print(
        f"graph: {args.graph} ({len(store)} triples); load: oxigraph {load_ox:.0f} ms, "
        f"rdflib {load_rdflib:.0f} ms; {args.repeat} runs per query, medians"
    )
    print(f"{'query':58} {'oxigraph ms':>12} {'rdflib ms':>10} {'ratio':>7} {'rows':>6}")
    slow = []
    for name, query in sorted(find_queries(QUERIES_DIR).items()):
        ox_ms, table = _median_ms(lambda q=query: run_query(store, q), args.repeat)
        rows = len(table.rows)
        if args.no_rdflib:
            rd_text, ratio = "-", "-"
        else:
            text = bind_parameters(query, query.defaults)
            rd_ms, _ = _median_ms(lambda t=text: list(graph.query(t)), max(3, args.repeat // 5))
            rd_text, ratio = f"{rd_ms:10.1f}", f"{rd_ms / ox_ms:7.1f}x"
        print(f"{name:58} {ox_ms:12.2f} {rd_text:>10} {ratio:>7} {rows:6d}")
        if query.cq is not None and ox_ms >= 100:
            slow.append(name)
    if slow:
        print(f"competency questions at or over 100 ms: {', '.join(slow)}")
        return 1
    print("every competency question answers in under 100 ms (Oxigraph median)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
