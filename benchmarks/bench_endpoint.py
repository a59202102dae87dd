"""Benchmark: every competency question on `mmkg serve` (HTTP) beside in-process Oxigraph.

Run after `make build`:

    .venv/bin/python benchmarks/bench_endpoint.py [--repeat 11] [--graph build/mmkg.nt]

Starts `mmkg serve` on a free port of 127.0.0.1, then times each query, alternately on
the endpoint (SPARQLWrapper, JSON) and on an in-memory pyoxigraph store in this process
(serialised to SPARQL JSON too, so both produce the same bytes), and prints the medians,
their ratio and the row count; the server is stopped by its process id at the end.
"""

from __future__ import annotations

import argparse
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from mmkg.paths import BUILD_DIR, QUERIES_DIR
from mmkg.queries import find_queries, load_store


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> int:
    """Time every competency question both ways and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, default=BUILD_DIR / "mmkg.nt")
    parser.add_argument("--repeat", type=int, default=11)
    args = parser.parse_args()
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mmkg", "serve", "--graph", str(args.graph), "--port", str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = server.stdout.readline().strip()
        store = load_store(args.graph)
        queries = {n: q for n, q in find_queries(QUERIES_DIR).items() if n.startswith("cq-")}
        print(f"machine: {platform.node()} {platform.machine()} {platform.processor() or ''}")
        print(f"python {platform.python_version()}, pyoxigraph {ox.__version__}, {url}")
        print(f"{'query':45} {'endpoint ms':>12} {'in-process ms':>14} {'ratio':>7} {'rows':>6}")
        ratios = []
        for name, query in queries.items():
            text = query.path.read_text(encoding="utf-8")

            def remote(text: str = text) -> dict:
                client = SPARQLWrapper(url)
                client.setQuery(text)
                client.setMethod(POST)
                client.setReturnFormat(JSON)
                return client.queryAndConvert()

            def local(text: str = text) -> bytes:
                answer = store.query(text)
                return answer.serialize(format=ox.QueryResultsFormat.JSON)

            rows = len(remote()["results"]["bindings"])
            local()
            remote_ms, local_ms = [], []
            for _ in range(args.repeat):
                start = time.perf_counter()
                remote()
                remote_ms.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                local()
                local_ms.append((time.perf_counter() - start) * 1000)
            r, lo = statistics.median(remote_ms), statistics.median(local_ms)
            ratios.append(r / lo)
            print(f"{name:45} {r:12.1f} {lo:14.1f} {r / lo:7.1f} {rows:6d}")
        print(f"median ratio endpoint / in-process: {statistics.median(ratios):.1f}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
