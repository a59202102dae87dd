"""Benchmark: a big build in a SPARQL server, and the lineage questions on it (issue 12, item 8).

    .venv/bin/python benchmarks/bench_server.py GRAPH.nt [--repeat 5] [--work DIR] [--keep]
    .venv/bin/python benchmarks/bench_server.py GRAPH.nt --engine virtuoso

Loads the N-Triples file into an on-disk store with Oxigraph's own bulk loader (`oxigraph
load --location DIR/store`, the command of the server that the `oxigraph` package installs),
then starts that server read-only (`oxigraph serve-read-only`) on a free port of 127.0.0.1,
and prints:

- the load: wall seconds and the loader's peak resident memory (its own, from wait4), triples
  per second, and the store's size on disk (bytes per triple); then the same for `oxigraph
  optimize` (a full compaction, which the loader advises before a read-heavy workload; it
  makes the store larger and its queries about twice as fast), unless --no-optimize;
- warm medians over --repeat runs (after one unmeasured run) of the lineage questions, found in
  queries/cq by their titles (the ancestors of a model, its descendants, the longest derivation
  chains), each sent as published, with its parameter bound, through SPARQLWrapper (JSON,
  parsed by the client: the time a client waits);
- reading the lineage projection (`graphview.lineage_graph`, which `mmkg analyze lineage`,
  hubs and trends use) as the reading commands read it (`endpoint.paged`: one request per
  query from Oxigraph's server, which cuts no answer; pages where the server cuts one), and
  last, --page-runs times, in sorted pages of --page-size rows from the start, as it is read
  from a server whose row limit cuts every answer longer than that;
- the server's peak resident memory (VmHWM) once all that is done.

With --engine virtuoso, Virtuoso 7 (Debian's virtuoso-opensource, which the tests use) is
started on a scratch database by the tests' own helper (tests/engines.py) and loads the file
with its bulk loader (ld_dir, rdf_loader_run, checkpoint); its result limit stays at its
default, 10,000 rows, so the projection is read in pages.

The model whose ancestors are asked is the last one of the longest derivation path, and the
one whose descendants are asked is the model with the most derived models, both taken from
the projection read whole (--ancestors-of / --descendants-of name others, by slug). The server
is stopped by its own process id at the end, and the store removed unless --keep; with
--store DIR (a store of GRAPH kept by --keep) nothing is loaded.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

import networkx as nx
from SPARQLWrapper import JSON, POST, SPARQLWrapper

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mmkg.endpoint import PAGE_SIZE, RemoteStore, oxigraph_command  # noqa: E402
from mmkg.graphview import lineage_graph  # noqa: E402
from mmkg.namespaces import DATA  # noqa: E402
from mmkg.paths import QUERIES_DIR  # noqa: E402
from mmkg.queries import Query, bound_text, find_queries  # noqa: E402

#: The lineage questions, by words of their titles (`#+ summary:`).
LINEAGE_QUESTIONS = {
    "ancestors": "ancestors of a model",
    "descendants": "descendants of a model",
    "longest chains": "longest derivation chains",
}


def machine() -> str:
    """CPU model, cores and memory of this machine."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.machine(),
    )
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GB, {platform.system()}"


def count_triples(path: Path) -> int:
    """The lines of an N-Triples file that are not blank or comments."""
    count = 0
    with path.open("rb") as handle:
        for line in handle:
            stripped = line.strip()
            count += bool(stripped) and not stripped.startswith(b"#")
    return count


def folder_bytes(folder: Path) -> int:
    """The bytes of every file under *folder*."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def run_oxigraph(*args: str) -> tuple[float, float]:
    """Run `oxigraph ARGS...` to its end: wall seconds and the process's peak MB (wait4)."""
    start = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own command line
        [oxigraph_command(), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    if process.returncode != 0:
        error = process.stderr.read().decode()[-2000:]
        raise SystemExit(f"oxigraph {args[0]} failed: {error}")
    return seconds, usage.ru_maxrss / 1024


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(store: Path, timeout: float) -> tuple[subprocess.Popen, str, float]:
    """Oxigraph's read-only server on *store*: the process, its query URL, seconds to answer."""
    port = free_port()
    start = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own command line
        [
            oxigraph_command(),
            "serve-read-only",
            "--location",
            str(store),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout-s",
            str(round(timeout)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    probe = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    while True:
        if process.poll() is not None:
            raise SystemExit(f"oxigraph serve-read-only stopped at start ({process.returncode})")
        try:
            with urllib.request.urlopen(probe, timeout=2) as response:  # noqa: S310 - local
                if response.status == 200:
                    return process, url, time.perf_counter() - start
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)


def peak_memory_mb(pid: int) -> float:
    """A running process's peak resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def ask(url: str, text: str, timeout: float) -> int:
    """Send a SELECT through SPARQLWrapper (JSON, parsed); the number of rows."""
    client = SPARQLWrapper(url)
    client.setQuery(text)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setTimeout(int(timeout))
    return len(client.queryAndConvert()["results"]["bindings"])


def timed(
    action: Callable[[], object], repeat: int, warm_up: bool = True
) -> tuple[float, float, object]:
    """One unmeasured run (unless not *warm_up*), then *repeat* runs: median and minimum
    seconds, and the last result."""
    result = action() if warm_up else None
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), min(seconds), result


class CountingStore(RemoteStore):
    """A remote store that counts the requests it sends."""

    requests = 0

    def send(self, text: str, prefixes: dict[str, str] | None = None) -> tuple[bytes, str, int]:
        """Send one request, counted."""
        self.requests += 1
        return super().send(text, prefixes)


def lineage_query(summary_words: str, queries: dict[str, Query]) -> Query:
    """The competency question whose title holds *summary_words*."""
    found = [q for q in queries.values() if q.cq and summary_words in q.summary.lower()]
    if len(found) != 1:
        raise SystemExit(f"no single competency question titled '...{summary_words}...'")
    return found[0]


def pick_models(graph: nx.MultiDiGraph) -> tuple[str, str]:
    """The end of the longest derivation path, and the model with the most derived models."""
    derived = nx.DiGraph()  # nodes and edges in sorted order: the same pick from every engine
    derived.add_nodes_from(sorted(graph))
    derived.add_edges_from(
        sorted((u, v) for u, v, d in graph.edges(data=True) if not d["influence"])
    )
    deepest = nx.dag_longest_path(derived)[-1] if nx.is_directed_acyclic_graph(derived) else ""
    children = {node: derived.out_degree(node) for node in derived}
    prolific = max(children, key=lambda node: (children[node], node))
    return deepest, prolific


VIRTUOSO_GRAPH = "urn:mmkg:bench"


def oxigraph_server(
    options: argparse.Namespace, work: Path, triples: int
) -> tuple[str, int, Callable[[], None]]:
    """Load GRAPH into an Oxigraph store (or take --store) and serve it: URL, pid, stop."""
    store = options.store or work / "store"
    if options.store:
        size = folder_bytes(store)
        say(f"# store {store}: {size / 2**20:,.0f} MiB, {size / triples:.1f} bytes per triple")
    else:
        seconds, peak = run_oxigraph("load", "--location", str(store), "--file", str(options.graph))
        say(f"oxigraph load: wall s / peak MB        {seconds:>9.1f} / {peak:,.0f}")
        say(f"load rate, triples per s               {triples / seconds:>14,.0f}")
        size = folder_bytes(store)
        per_triple = size / triples
        say(f"store on disk: MiB / bytes per triple  {size / 2**20:>9,.0f} / {per_triple:.1f}")
        if options.optimize:
            seconds, peak = run_oxigraph("optimize", "--location", str(store))
            say(f"oxigraph optimize: wall s / peak MB    {seconds:>9.1f} / {peak:,.0f}")
            size = folder_bytes(store)
            per_triple = size / triples
            say(f"optimized: MiB / bytes per triple {size / 2**20:>14,.0f} / {per_triple:.1f}")
    server, url, started = start_server(store, options.timeout)
    say(f"server answers after, s                {started:>14.2f}")

    def stop() -> None:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()

    return url, server.pid, stop


def virtuoso_server(
    options: argparse.Namespace, triples: int
) -> tuple[str, int, Callable[[], None]]:
    """A Virtuoso of its own (tests/engines.py) with GRAPH bulk-loaded: URL, pid, stop.

    Its virtuoso.ini is the tests' one with Virtuoso's default result limit (10,000 rows,
    MaxSortedTopRows 10,000) and --virtuoso-buffers pages of buffer (680,000: the packaged
    file's setting for 8 GB); the file is loaded with ld_dir and rdf_loader_run (one loader),
    then checkpointed, into a named graph that the endpoint URL makes the default one.
    """
    sys.path.insert(0, str(ROOT / "tests"))
    import engines

    ini = engines.VIRTUOSO_INI
    for setting, value in (
        ("ResultSetMaxRows", "10000"),
        ("NumberOfBuffers", str(options.virtuoso_buffers)),
        ("MaxDirtyBuffers", str(options.virtuoso_buffers * 3 // 4)),
    ):
        ini, found = re.subn(rf"^{setting}\s*=.*$", f"{setting} = {value}", ini, flags=re.M)
        if not found:
            raise SystemExit(f"tests/engines.py's virtuoso.ini has no {setting}")
    engines.VIRTUOSO_INI = ini.replace("[HTTPServer]", "MaxSortedTopRows = 10000\n\n[HTTPServer]")
    server = engines.VirtuosoServer(start_timeout=300)
    server.start()
    try:
        (server.dir / "load").mkdir()
        try:  # Virtuoso reads only under DirsAllowed: a hard link if the file system allows
            os.link(options.graph, server.dir / "load" / "mmkg.nt")
        except OSError:
            shutil.copyfile(options.graph, server.dir / "load" / "mmkg.nt")
        before = sum(f.stat().st_size for f in server.dir.glob("virtuoso*.db"))
        start = time.perf_counter()
        server.isql(
            f"ld_dir('{server.dir / 'load'}', 'mmkg.nt', '{VIRTUOSO_GRAPH}');\n"
            "rdf_loader_run();\ncheckpoint;\n",
            timeout=24 * 3600,
        )
        seconds = time.perf_counter() - start
        answer = server.isql("SELECT COUNT(*) FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;\n")
        failed = re.search(r"^_+\s+^(\d+)$", answer, flags=re.M)
        (server.dir / "load" / "mmkg.nt").unlink()
        size = sum(f.stat().st_size for f in server.dir.glob("virtuoso*.db")) - before
        say(f"virtuoso ld_dir + rdf_loader_run + checkpoint, wall s {seconds:>7.1f}")
        say(f"load rate, triples per s               {triples / seconds:>14,.0f}")
        say(f"server peak MB after the load          {peak_memory_mb(server.pid):>14,.0f}")
        say(f"database growth: MiB / bytes per triple {size / 2**20:>7,.0f} / {size / triples:.1f}")
        if not failed or failed.group(1) != "0":
            raise SystemExit(f"the Virtuoso loader reported errors: {answer}")
    except BaseException:
        server.stop()
        raise
    url = f"{server.endpoint}?default-graph-uri={urllib.parse.quote(VIRTUOSO_GRAPH, safe='')}"
    return url, server.pid, server.stop


def main() -> int:
    """Load, serve, time and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", type=Path, help="an N-Triples build (mmkg.nt)")
    parser.add_argument(
        "--engine",
        choices=["oxigraph", "virtuoso"],
        default="oxigraph",
        help="the server: Oxigraph's, or Virtuoso 7 (virtuoso-opensource, as the tests use)",
    )
    parser.add_argument("--repeat", type=int, default=5, help="measured runs of each step")
    parser.add_argument(
        "--page-runs",
        type=int,
        default=1,
        help="measured runs of the projection read in sorted pages from the start (the slow "
        "one; no warm-up run: the projection read before it warmed the server)",
    )
    parser.add_argument("--work", type=Path, help="where the store goes (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep Oxigraph's store afterwards")
    parser.add_argument(
        "--store", type=Path, help="serve this Oxigraph store of GRAPH (kept by --keep)"
    )
    parser.add_argument("--timeout", type=float, default=600, help="server's query timeout, s")
    parser.add_argument("--page-size", type=int, default=PAGE_SIZE, help="rows per page")
    parser.add_argument(
        "--no-optimize",
        dest="optimize",
        action="store_false",
        help="serve Oxigraph's store as loaded, without `oxigraph optimize`",
    )
    parser.add_argument(
        "--virtuoso-buffers", type=int, default=680_000, help="Virtuoso's NumberOfBuffers"
    )
    parser.add_argument("--ancestors-of", help="the model slug for the ancestors question")
    parser.add_argument("--descendants-of", help="the model slug for the descendants question")
    options = parser.parse_args()
    if not options.graph.is_file():
        raise SystemExit(f"{options.graph}: no such file")
    # a kill (SIGTERM) ends the run as Ctrl-C does: the server is stopped, its store removed
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    work = Path(tempfile.mkdtemp(prefix="mmkg-bench-server-", dir=options.work))
    say(f"# machine: {machine()}; Python {platform.python_version()}")
    say(f"# graph: {options.graph} ({options.graph.stat().st_size / 2**20:,.0f} MiB)")
    triples = count_triples(options.graph)
    say(f"triples                                {triples:>14,}")
    stop: Callable[[], None] | None = None
    try:
        if options.engine == "virtuoso":
            url, pid, stop = virtuoso_server(options, triples)
        else:
            url, pid, stop = oxigraph_server(options, work, triples)
        say(f"# endpoint {url}; warm medians of {options.repeat} runs (min in brackets)")
        read = CountingStore(url, timeout=options.timeout)
        median, fastest, whole = timed(lambda: lineage_graph(read), options.repeat)
        say(
            f"lineage projection, as mmkg reads it  {median:>9.2f} s ({fastest:.2f}); "
            f"{whole.number_of_nodes():,} models, {whole.number_of_edges():,} links, "
            f"{read.requests // (options.repeat + 1)} requests"
        )
        deepest, prolific = pick_models(whole)
        subjects = {
            "ancestors": f"{DATA}model/{options.ancestors_of}" if options.ancestors_of else deepest,
            "descendants": (
                f"{DATA}model/{options.descendants_of}" if options.descendants_of else prolific
            ),
        }
        queries = find_queries(QUERIES_DIR)
        for name, words in LINEAGE_QUESTIONS.items():
            query = lineage_query(words, queries)
            values = {"model_iri": subjects[name]} if subjects.get(name) else {}
            text = bound_text(query, values)
            median, fastest, rows = timed(
                lambda t=text: ask(url, t, options.timeout), options.repeat
            )
            model = values.get("model_iri", query.defaults.get("model_iri", ""))
            shown = re.sub(r"^.*/", "", model) or "all models"
            say(
                f"{query.name[:5]} {name:<16} {shown:<14} {median:>9.3f} s ({fastest:.3f}); "
                f"{rows:,} rows"
            )
        if options.page_runs > 0:
            paged = CountingStore(
                url, timeout=options.timeout, page_size=options.page_size, always_page=True
            )
            median, fastest, pages = timed(
                lambda: lineage_graph(paged), options.page_runs, warm_up=False
            )
            say(
                f"lineage projection, pages of {options.page_size:<9,} {median:>6.2f} s "
                f"({fastest:.2f}; {options.page_runs} runs); "
                f"{paged.requests // options.page_runs} requests"
            )
            if sorted(pages.edges(keys=True)) != sorted(whole.edges(keys=True)) or dict(
                pages.nodes(data=True)
            ) != dict(whole.nodes(data=True)):
                raise SystemExit("the projection read in pages differs from the one read before")
        say(f"server peak resident memory, MB        {peak_memory_mb(pid):>14,.0f}")
    finally:
        if stop is not None:
            stop()
        if options.keep and options.engine == "oxigraph" and not options.store:
            say(f"# store kept in {work / 'store'}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def say(line: str) -> None:
    """Print a line of the report at once."""
    print(line, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
