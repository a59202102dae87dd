"""Two more SPARQL engines for cross-engine checks: Apache Jena ARQ and OpenLink Virtuoso.

Both come from Debian (scripts/install-system-deps.sh installs them): Jena 4.5's jars under
/usr/share/java (libapache-jena-java) and Virtuoso 7.2 (virtuoso-opensource: `virtuoso-t`,
`isql-vt`). Every function returns a SELECT's result as `(vars, bindings)`, exactly the
`head.vars` and `results.bindings` of the SPARQL 1.1 Query Results JSON, and an ASK's as
`(["result"], [{"result": <xsd:boolean literal>}])`. Each bound value is normalised the same
way for both engines (`normalise_term`): a dict of `type` ("uri", "literal" or "bnode"),
`value`, and `datatype` or `xml:lang` where the term has one.

ARQ runs one query per JVM: its `sparql` command takes a single query (a second `--query`
replaces the first), so every call starts Java and parses the data again; `run_arq_many` only
runs such calls side by side. Virtuoso runs as a server on a scratch database
(`VirtuosoServer`), into which graphs are loaded once and queried over HTTP.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from types import TracebackType

XSD = "http://www.w3.org/2001/XMLSchema#"
JAVA_DIR = Path("/usr/share/java")
INSTALL_HINT = "run scripts/install-system-deps.sh (as root) to install it"

# Jena's own jars (Debian's libapache-jena-java), by their unversioned names, and the libraries
# they need at run time (the package's dependencies). slf4j-simple prints Jena's warnings and
# errors (e.g. a Turtle syntax error) on stderr.
JENA_JARS = (
    "jena-arq",
    "jena-base",
    "jena-cmds",
    "jena-core",
    "jena-dboe-base",
    "jena-dboe-index",
    "jena-dboe-storage",
    "jena-dboe-trans-data",
    "jena-dboe-transaction",
    "jena-iri",
    "jena-rdfconnection",
    "jena-shacl",
    "jena-shex",
    "jena-tdb",
    "jena-tdb2",
)
JENA_DEPENDENCY_JARS = (
    "commons-cli",
    "commons-codec",
    "commons-compress",
    "commons-csv",
    "commons-io",
    "commons-lang3",
    "commons-logging",
    "dexx.collection",
    "gson",
    "guava",
    "httpclient",
    "httpcore",
    "jackson-annotations",
    "jackson-core",
    "jackson-databind",
    "jakarta.json-api",
    "jsonld-java",
    "protobuf",
    "slf4j-api",
    "slf4j-simple",
    "thrift",
    "titanium-json-ld",
)
# C1 only: the JVM starts faster, which is most of an ARQ call on a graph of this size.
JAVA_OPTIONS = ("-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")

VIRTUOSO = Path("/usr/bin/virtuoso-t")
ISQL = Path("/usr/bin/isql-vt")

Result = tuple[list[str], list[dict[str, dict]]]


class EngineError(RuntimeError):
    """An engine is missing, failed to start, or rejected a query or a load."""


# --- result normalisation ----------------------------------------------------------------


def normalise_term(term: dict) -> dict:
    """One bound value in the shape both engines share (RDF 1.1: "x" is "x"^^xsd:string)."""
    kind = "literal" if term["type"] == "typed-literal" else term["type"]
    out = {"type": kind, "value": term["value"]}
    datatype = term.get("datatype")
    if "xml:lang" in term:
        out["xml:lang"] = term["xml:lang"]
    elif datatype and datatype != XSD + "string":
        out["datatype"] = datatype
    return out


def parse_results(document: dict) -> Result:
    """(vars, bindings) of a SPARQL 1.1 Query Results JSON document, its terms normalised."""
    if "boolean" in document:
        value = "true" if document["boolean"] else "false"
        term = {"type": "literal", "value": value, "datatype": XSD + "boolean"}
        return ["result"], [{"result": term}]
    variables = list(document["head"].get("vars", []))
    bindings = [
        {name: normalise_term(term) for name, term in row.items()}
        for row in document["results"]["bindings"]
    ]
    return variables, bindings


# --- Apache Jena ARQ ---------------------------------------------------------------------


@cache
def _xerces_messages() -> Path:
    """A folder holding Jena's Xerces message bundles under the package names Debian's jar uses.

    Debian's jena-core moves the Xerces copy inside it from `org.apache.jena.ext.xerces` to
    `xerces` but leaves its `.properties` files behind, so building the XSD datatypes fails
    ("internal error" in XSSimpleTypeDecl.applyFacets1) when the regex parser cannot find its
    messages; on the class path, this folder supplies them again.
    """
    folder = Path(tempfile.mkdtemp(prefix="mmkg-jena-"))
    atexit.register(shutil.rmtree, folder, True)
    prefix = "org/apache/jena/ext/"
    with zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith(prefix + "xerces/") and name.endswith(".properties"):
                target = folder / name.removeprefix(prefix)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return folder


@cache
def arq_classpath() -> str:
    """The class path that runs Jena ARQ's command line from Debian's jars."""
    jars = [JAVA_DIR / f"{name}.jar" for name in JENA_JARS + JENA_DEPENDENCY_JARS]
    missing = [str(jar) for jar in jars if not jar.exists()]
    if missing or not shutil.which("java"):
        raise EngineError(
            f"Jena ARQ needs java and Debian's libapache-jena-java "
            f"(missing: {', '.join(missing) or 'java'}); {INSTALL_HINT}"
        )
    return ":".join([str(_xerces_messages())] + [str(jar) for jar in jars])


def run_arq(graph: Path, query: str, timeout: float = 120) -> Result:
    """Run one SELECT or ASK query with Jena ARQ over an RDF file (Turtle, N-Triples...)."""
    graph = Path(graph)
    if not graph.is_file():
        raise EngineError(f"no graph file {graph}")
    with tempfile.TemporaryDirectory(prefix="mmkg-arq-") as scratch:
        query_file = Path(scratch) / "query.rq"
        query_file.write_text(query, encoding="utf-8")
        command = [
            "java",
            *JAVA_OPTIONS,
            "-cp",
            arq_classpath(),
            "arq.sparql",
            "--data",
            str(graph),
            "--query",
            str(query_file),
            "--results",
            "JSON",
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise EngineError(f"ARQ took more than {timeout} s on {graph}") from exc
    if done.returncode != 0:
        raise EngineError(
            f"ARQ failed (exit {done.returncode}) on {graph}:\n{done.stderr.strip()}\n"
            f"query:\n{query}"
        )
    try:
        document = json.loads(done.stdout)
    except json.JSONDecodeError as exc:
        raise EngineError(f"ARQ printed no JSON results: {done.stdout[:500]!r}") from exc
    return parse_results(document)


def run_arq_many(
    graph: Path, queries: dict[str, str], timeout: float = 120, workers: int | None = None
) -> dict[str, Result]:
    """Run several queries with ARQ, one JVM each (ARQ takes one query), `workers` at a time."""
    workers = workers or os.cpu_count() or 1
    names = list(queries)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = pool.map(lambda name: run_arq(graph, queries[name], timeout), names)
        return dict(zip(names, results, strict=True))


# --- OpenLink Virtuoso -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# Sections and settings taken from Debian's /etc/virtuoso-opensource-7/virtuoso.ini, with the
# files in the scratch folder, both ports on 127.0.0.1 only, no plugins, no periodic checkpoint,
# and no row cap or time limit on SPARQL answers (Virtuoso would otherwise cut results at
# 10000 rows, or return partial "anytime" results after 60 s, silently).
VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
LiteMode             = 0
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 0
O_DIRECT             = 0
CaseMode             = 2
MaxStaticCursorRows  = 5000
AllowOSCalls         = 0
DirsAllowed          = ., {dir}
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {dir}
MaxClientConnections = 10
ServerThreads        = 10
EnabledDavVSP        = 0
HTTPProxyEnabled     = 0
Charset              = UTF-8

[SPARQL]
ResultSetMaxRows           = 100000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = 0
"""

_running: set[VirtuosoServer] = set()


@atexit.register
def _stop_leftover_servers() -> None:
    for server in list(_running):
        server.stop()


class VirtuosoServer:
    """A Virtuoso 7 server of its own on a scratch database, stopped (by its pid) on exit.

    The SQL (isql) and HTTP ports are free ports on 127.0.0.1; the DBA account is the new
    database's default `dba`/`dba`. `.endpoint` is the SPARQL endpoint; `.gsp_endpoint` is the
    Graph Store Protocol endpoint, which anyone may read but which answers writes with 403
    (user "SPARQL" lacks SPARQL_UPDATE) until `enable_graph_store_writes()`; `.gsp_auth_endpoint`
    takes writes from `dba` with HTTP digest authentication at any time.
    """

    def __init__(self, start_timeout: float = 60, stop_timeout: float = 30) -> None:
        """Set up (not start) a server; `with` starts it and stops it."""
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self.dir: Path | None = None
        self.process: subprocess.Popen | None = None
        self.sql_port = 0
        self.http_port = 0
        self.user, self.password = "dba", "dba"
        self.started_in: float | None = None
        self._log = None

    # life cycle

    def __enter__(self) -> VirtuosoServer:
        """Start the server."""
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop the server and remove its database."""
        self.stop()

    @property
    def pid(self) -> int | None:
        """The server's process id, while it runs."""
        return self.process.pid if self.process else None

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT of the server's web server."""
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def endpoint(self) -> str:
        """The SPARQL endpoint."""
        return f"{self.base_url}/sparql"

    @property
    def gsp_endpoint(self) -> str:
        """The SPARQL 1.1 Graph Store HTTP Protocol endpoint (no authentication)."""
        return f"{self.base_url}/sparql-graph-crud"

    @property
    def gsp_auth_endpoint(self) -> str:
        """The Graph Store endpoint that asks for HTTP digest authentication (dba/dba)."""
        return f"{self.base_url}/sparql-graph-crud-auth"

    def start(self) -> None:
        """Start `virtuoso-t` in the foreground and wait until /sparql answers."""
        if not (VIRTUOSO.exists() and ISQL.exists()):
            raise EngineError(f"Virtuoso needs {VIRTUOSO} and {ISQL}; {INSTALL_HINT}")
        if self.process:
            raise EngineError("this Virtuoso server is already running")
        began = time.monotonic()
        self.dir = Path(tempfile.mkdtemp(prefix="mmkg-virtuoso-"))
        self.sql_port, self.http_port = _free_port(), _free_port()
        ini = self.dir / "virtuoso.ini"
        ini.write_text(
            VIRTUOSO_INI.format(dir=self.dir, sql_port=self.sql_port, http_port=self.http_port)
        )
        self._log = (self.dir / "console.log").open("wb")
        self.process = subprocess.Popen(
            [str(VIRTUOSO), "+foreground", "+configfile", str(ini)],
            cwd=self.dir,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        _running.add(self)
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        self.started_in = time.monotonic() - began

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        probe = f"{self.endpoint}?{urllib.parse.urlencode({'query': 'ASK {}'})}"
        while True:
            if self.process.poll() is not None:
                raise EngineError(
                    f"virtuoso-t exited with {self.process.returncode} while starting:\n"
                    f"{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(probe, timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise EngineError(
                    f"Virtuoso did not answer on {self.endpoint} within {self.start_timeout} s:\n"
                    f"{self.log_tail()}"
                )
            time.sleep(0.2)

    def log_tail(self, lines: int = 30) -> str:
        """The last lines the server wrote to its console."""
        if not self.dir or not (self.dir / "console.log").exists():
            return "(no log)"
        text = (self.dir / "console.log").read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Stop the server by its pid (SIGTERM, then SIGKILL) and remove its scratch folder."""
        if self.process:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=self.stop_timeout)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=10)
            self.process = None
        _running.discard(self)
        if self._log:
            self._log.close()
            self._log = None
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    # SQL

    def isql(self, sql: str, timeout: float = 300) -> str:
        """Run SQL statements (each ending in ';') as dba through isql-vt; its output."""
        if not self.process:
            raise EngineError("the Virtuoso server is not running")
        done = subprocess.run(
            [str(ISQL), f"127.0.0.1:{self.sql_port}", self.user, self.password],
            input=sql,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        # isql-vt exits 0 even when a statement fails; its errors start with "*** Error".
        output = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in output:
            raise EngineError(f"isql-vt failed (exit {done.returncode}):\n{output.strip()}")
        return done.stdout

    def load(self, path: Path, graph_iri: str) -> float:
        """Load a Turtle file into the named graph `graph_iri`, checkpoint; the seconds taken."""
        if not self.dir:
            raise EngineError("the Virtuoso server is not running")
        began = time.monotonic()
        # Virtuoso reads only files under DirsAllowed: load a copy from the scratch folder.
        copy = self.dir / f"load-{time.monotonic_ns()}.ttl"
        shutil.copyfile(path, copy)
        try:
            self.isql(
                f"DB.DBA.TTLP_MT(file_to_string_output({_sql_string(str(copy))}), '', "
                f"{_sql_string(graph_iri)});\ncheckpoint;\n"
            )
        finally:
            copy.unlink(missing_ok=True)
        return time.monotonic() - began

    def enable_graph_store_writes(self) -> None:
        """Let anyone (the server listens on 127.0.0.1 only) write through `.gsp_endpoint`."""
        # Anonymous HTTP requests run as the SQL user "SPARQL"; this also lets /sparql run
        # SPARQL Update for anyone.
        self.isql('GRANT SPARQL_UPDATE TO "SPARQL";\n')

    # HTTP

    def _request(
        self,
        request: urllib.request.Request,
        timeout: float,
        opener: Callable | None = None,
    ) -> tuple[int, bytes]:
        try:
            with (opener or urllib.request.urlopen)(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", errors="replace")
            raise EngineError(
                f"Virtuoso answered {exc.code} to {request.get_method()} {request.full_url}:\n"
                f"{body.strip()}"
            ) from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise EngineError(
                f"Virtuoso gave no answer to {request.get_method()} {request.full_url} "
                f"within {timeout} s: {exc}"
            ) from exc

    def select(self, query: str, graph_iri: str | None = None, timeout: float = 60) -> Result:
        """Run a SELECT or ASK query over HTTP, on `graph_iri` as default graph when given."""
        form = {"query": query}
        if graph_iri is not None:
            form["default-graph-uri"] = graph_iri
        request = urllib.request.Request(
            self.endpoint,
            data=urllib.parse.urlencode(form).encode(),
            headers={
                "Accept": "application/sparql-results+json",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            method="POST",
        )
        _, body = self._request(request, timeout)
        try:
            document = json.loads(body)
        except json.JSONDecodeError as exc:
            raise EngineError(f"Virtuoso answered no JSON results: {body[:500]!r}") from exc
        return parse_results(document)

    def put_graph(
        self,
        data: bytes,
        graph_iri: str,
        content_type: str = "text/turtle",
        digest_auth: bool = False,
        timeout: float = 120,
    ) -> int:
        """Replace a graph by a Graph Store PUT; the HTTP status (201 created, 200 replaced)."""
        # Without digest_auth this goes to .gsp_endpoint and needs enable_graph_store_writes()
        # first (else 403); with it, to .gsp_auth_endpoint as dba, which needs no grant.
        endpoint = self.gsp_auth_endpoint if digest_auth else self.gsp_endpoint
        request = urllib.request.Request(
            f"{endpoint}?{urllib.parse.urlencode({'graph': graph_iri})}",
            data=data,
            headers={"Content-Type": content_type},
            method="PUT",
        )
        opener = None
        if digest_auth:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, self.base_url, self.user, self.password)
            opener = urllib.request.build_opener(
                urllib.request.HTTPDigestAuthHandler(passwords)
            ).open
        status, _ = self._request(request, timeout, opener)
        return status
