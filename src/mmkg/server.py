"""`mmkg serve`: Oxigraph's SPARQL server over the built graph, behind a small front.

Oxigraph's own server (the `oxigraph` command of the `oxigraph` package) does the SPARQL
1.1 Protocol, read-only, with its query timeout, CORS and YASGUI; it listens on a private
port of 127.0.0.1. The front, on the address the user chose, passes every request through
and adds what that server has no option for: a result limit (an answer is cut to the first
N rows or triples, and says so in an `X-SPARQL-MaxRows` header, as Virtuoso does) and a
page of the competency questions, each one link away from YASGUI.
"""

from __future__ import annotations

import html
import http.client
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from mmkg.endpoint import EndpointError, oxigraph_command
from mmkg.namespaces import DATA
from mmkg.queries import Query, find_queries
from mmkg.tables import cut_answer

__all__ = ["serve", "catalogue_page", "void_description", "VOID_GRAPH"]

VOID_GRAPH = f"{DATA}graph/void"
_QUERY_PATHS = ("/query", "/sparql")
# what Oxigraph 0.5's server writes into an answer it has begun when its timeout strikes
_CANCELLED = b"The SPARQL operation has been cancelled"
# headers the front does not pass on: those of one connection (RFC 9110, section 7.6.1), the
# length (the front may cut the body) and the host, server and date (the front sets its own)
_NOT_PASSED_ON = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
    "host",
    "server",  # the front names itself
    "date",
}


def _yasgui_link(query: Query, endpoint: str) -> str:
    """A YASGUI share link (its own `#query=...&endpoint=...` form) that opens *query*."""
    return "/#" + urllib.parse.urlencode(
        {"query": query.text, "endpoint": endpoint}, quote_via=urllib.parse.quote
    )


def catalogue_page(queries: dict[str, Query], endpoint: str) -> str:
    """The page of named queries: what each asks, its parameters, its text, a YASGUI link."""
    questions = sorted((q for q in queries.values() if q.cq), key=lambda q: q.cq or 0)
    checks = [q for q in queries.values() if not q.cq]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>mmkg: the competency questions</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:auto;padding:1em}"
        "pre{background:#f4f4f4;padding:.5em;overflow:auto;max-height:20em}"
        "section{border-top:1px solid #ccc;margin-top:1em}</style>",
        "</head><body>",
        "<h1>mmkg: the competency questions</h1>",
        f"<p>The SPARQL endpoint is <code>{html.escape(endpoint)}</code>; "
        '<a href="/">YASGUI</a> queries it. Each query below runs as published: its '
        "parameters have their defaults in its <code>VALUES ?_name</code> lines, which you "
        "may change before you run it.</p>",
    ]
    for title, group in (("Competency questions", questions), ("Checks", checks)):
        parts.append(f"<h2>{html.escape(title)}</h2>")
        for query in group:
            anchor = html.escape(query.name.replace("/", "-"), quote=True)
            heading = (f"CQ {query.cq}: " if query.cq else "") + (query.summary or query.name)
            parts.append(f'<section id="{anchor}"><h3>{html.escape(heading)}</h3>')
            if query.description:
                parts.append(f"<p>{html.escape(query.description)}</p>")
            if query.defaults:
                shown = ", ".join(f"{name} = {value}" for name, value in query.defaults.items())
                parts.append(f"<p>Parameters (defaults): {html.escape(shown)}</p>")
            link = html.escape(_yasgui_link(query, endpoint), quote=True)
            file = html.escape(f"/queries/{query.name}.rq", quote=True)
            parts.append(
                f'<p><a class="run" href="{link}">Open in YASGUI</a> · '
                f'<a class="file" href="{file}">{html.escape(query.name)}.rq</a></p>'
            )
            parts.append(f"<pre>{html.escape(query.text)}</pre></section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def void_description(endpoint: str, graph_file: Path) -> str:
    """A VoID description (Turtle) of the served dataset that names its SPARQL endpoint."""
    return (
        "@prefix void: <http://rdfs.org/ns/void#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        f"<{DATA}dataset/mmkg> a void:Dataset ;\n"
        '    dcterms:title "mmkg: a knowledge graph of multimodal large language models"@en ;\n'
        f"    void:sparqlEndpoint <{endpoint}> ;\n"
        f"    void:dataDump <{graph_file.resolve().as_uri()}> .\n"
    )


def _front(
    upstream: tuple[str, int], limit: int, page: bytes, files: dict[str, bytes], timeout: float
) -> type:
    stopped = (
        f"the query ran longer than the endpoint's {timeout:g} s timeout and was stopped\n"
    ).encode()

    class Front(BaseHTTPRequestHandler):
        """Passes each request to Oxigraph's server; cuts long answers; serves the catalogue."""

        protocol_version = "HTTP/1.1"
        server_version = "mmkg-serve"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # the command prints its own lines

        def _send(self, status: int, content_type: str, body: bytes, extra=()) -> None:  # noqa: ANN001
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in extra:
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _relay(self) -> None:
            path = urllib.parse.urlsplit(self.path).path
            if self.command in ("GET", "HEAD") and path in ("/queries", "/queries/"):
                self._send(200, "text/html; charset=utf-8", page)
                return
            if self.command in ("GET", "HEAD") and path.startswith("/queries/"):
                name = urllib.parse.unquote(path.removeprefix("/queries/"))
                if name in files:
                    self._send(200, "application/sparql-query; charset=utf-8", files[name])
                else:
                    self._send(404, "text/plain; charset=utf-8", b"no such query file\n")
                return
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                self._send(411, "text/plain; charset=utf-8", b"send a Content-Length\n")
                return
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _NOT_PASSED_ON}
            connection = http.client.HTTPConnection(*upstream, timeout=timeout + 30)
            try:
                connection.request(self.command, self.path, body=body, headers=headers)
                response = connection.getresponse()
                answer = response.read()
            except http.client.IncompleteRead:
                self._send(503, "text/plain; charset=utf-8", stopped)
                return
            except OSError as exc:
                self._send(502, "text/plain; charset=utf-8", f"{exc}\n".encode())
                return
            finally:
                connection.close()
            if response.status == 200 and answer.rstrip().endswith(_CANCELLED):
                # Oxigraph has sent 200 and half an answer when its timeout stops the query
                self._send(503, "text/plain; charset=utf-8", stopped)
                return
            kept = [(k, v) for k, v in response.getheaders() if k.lower() not in _NOT_PASSED_ON]
            content_type = response.getheader("Content-Type", "")
            if path in _QUERY_PATHS and response.status == 200 and limit > 0:
                try:
                    answer, cut = cut_answer(answer, content_type, limit)
                except (ValueError, SyntaxError, ET.ParseError, UnicodeDecodeError):
                    cut = False  # not a form the front reads: passed on as it came
                if cut:
                    kept.append(("X-SPARQL-MaxRows", str(limit)))
            self.send_response(response.status, response.reason)
            for name, value in kept:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(answer)

        do_GET = do_POST = do_HEAD = do_OPTIONS = do_PUT = do_DELETE = _relay  # noqa: N815 - the names http.server calls

    return Front


def _free_local_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    probe = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    request = urllib.request.Request(probe, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 - our URL
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _oxigraph_load(command: str, folder: Path, file: Path, graph_iri: str | None = None) -> None:
    into = ["--graph", graph_iri] if graph_iri else []
    done = subprocess.run(  # noqa: S603 - our own command line
        [command, "load", "--location", str(folder), "--file", str(file), *into],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise EndpointError(f"{file}: Oxigraph could not load it: {done.stderr.strip()}")


def serve(
    graph: Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    timeout: float = 30.0,
    result_limit: int = 10_000,
    queries_dir: Path | None = None,
    on_ready: Callable[[str], None] = print,
    start_timeout: float = 60.0,
) -> int:
    """Serve *graph* read-only at http://host:port/query until SIGINT or SIGTERM; the exit code."""
    from mmkg.paths import QUERIES_DIR

    if not graph.exists():
        raise EndpointError(f"{graph}: no such graph file; run `mmkg build` first")
    command = oxigraph_command()
    queries = find_queries(queries_dir or QUERIES_DIR)
    endpoint = f"http://{host}:{port}/query"
    try:
        front = ThreadingHTTPServer((host, port), BaseHTTPRequestHandler, bind_and_activate=False)
        front.daemon_threads = True
        front.allow_reuse_address = True
        front.server_bind()
        front.server_activate()
    except OSError as exc:
        raise EndpointError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    folder = Path(tempfile.mkdtemp(prefix="mmkg-serve-"))
    server: subprocess.Popen | None = None
    try:
        _oxigraph_load(command, folder, graph)
        void_file = folder / "void.ttl"
        void_file.write_text(void_description(endpoint, graph), encoding="utf-8")
        _oxigraph_load(command, folder, void_file, VOID_GRAPH)
        inner = ("127.0.0.1", _free_local_port())
        server = subprocess.Popen(  # noqa: S603 - our own command line
            [
                command,
                "serve-read-only",
                "--location",
                str(folder),
                "--bind",
                f"{inner[0]}:{inner[1]}",
                "--cors",
                "--timeout-s",
                str(max(1, round(timeout))),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        page = catalogue_page(queries, endpoint).encode("utf-8")
        files = {q.name + ".rq": q.text.encode("utf-8") for q in queries.values()}
        front.RequestHandlerClass = _front(inner, result_limit, page, files, timeout)
        stopping: list[int] = []

        def _stop(signum: int, _frame: object) -> None:
            stopping.append(signum)

        previous = {s: signal.signal(s, _stop) for s in (signal.SIGINT, signal.SIGTERM)}
        relay = threading.Thread(target=front.serve_forever, kwargs={"poll_interval": 0.2})
        try:
            inner_url = f"http://{inner[0]}:{inner[1]}/query"
            deadline = time.monotonic() + start_timeout
            while not _answers(inner_url):
                if server.poll() is not None:
                    raise EndpointError(
                        f"Oxigraph's server stopped at start: {server.stderr.read().strip()}"
                    )
                if time.monotonic() > deadline or stopping:
                    raise EndpointError(f"{endpoint} did not answer within {start_timeout:.0f} s")
                time.sleep(0.1)
            relay.start()
            on_ready(endpoint)
            while not stopping and server.poll() is None:
                time.sleep(0.2)
            if server.poll() is not None and not stopping:
                raise EndpointError(f"Oxigraph's server stopped: {server.stderr.read().strip()}")
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            if relay.is_alive():
                front.shutdown()
        return 0
    finally:
        front.server_close()
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        shutil.rmtree(folder, ignore_errors=True)
