"""SPARQL over HTTP: a remote store that the reading commands query, and `mmkg serve`.

`RemoteStore` answers `query()` like a pyoxigraph store, so every reading command (which
goes through SPARQL only) runs unchanged against any SPARQL 1.1 Protocol endpoint; the
client is SPARQLWrapper. `publish` replaces a store's graph by the build (Graph Store
Protocol); `mmkg serve` (module `server`) runs Oxigraph's own server over it.

A server may cut an answer at its row limit (Virtuoso's ResultSetMaxRows, `mmkg serve
--result-limit`; both say so in an `X-SPARQL-MaxRows` header). `paged(store)` reads a SELECT
whole all the same: a cut answer is read again in pages of `LIMIT n OFFSET k` over the query
sorted in full, the sort inside a sub-query and the slice outside it, as Virtuoso needs past
its sort limit (MaxSortedTopRows); the projections of `graphview` read through it.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from mmkg.errors import MmkgError

__all__ = [
    "EndpointError",
    "RemoteStore",
    "PAGE_SIZE",
    "page_query",
    "paged",
    "query_form",
    "publish",
    "oxigraph_command",
]

_QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_UPDATE_WORDS = (
    *("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"),
)
# comments, then IRIs and strings, which may hold any word
_NOISE = re.compile(
    r'#[^\n]*|<[^<>\s]*>|"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
)
_PROLOGUE = re.compile(r"\s*(?:(?:PREFIX\s+[\w.-]*:\s*|BASE\s*)\s*)*", re.I)
#: Rows asked for in one page: the default row limit of `mmkg serve` and of Virtuoso.
PAGE_SIZE = 10_000
# a SELECT of plain variables, after its PREFIX and BASE lines (IRIs not blanked out)
_PAGEABLE = re.compile(
    r"(?P<prologue>(?:\s*(?:PREFIX\s+[\w.-]*:\s*<[^<>\s]*>|BASE\s*<[^<>\s]*>))*\s*)"
    r"(?P<query>SELECT\s+(?:(?:DISTINCT|REDUCED)\s+)?(?P<vars>(?:\?\w+\s+)+)WHERE\s*\{.*\})"
    r"(?P<modifiers>[^{}]*)$",
    re.I | re.S,
)
_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.I)


class EndpointError(MmkgError):
    """An endpoint that cannot be reached, refuses the request or cannot be started."""


def strip_noise(text: str) -> str:
    """The text with comments, IRIs and strings blanked out, so only keywords remain."""
    return _NOISE.sub(" ", text)


def query_form(text: str) -> str:
    """The form of a SPARQL request (SELECT, ASK, CONSTRUCT, DESCRIBE or UPDATE), read past
    comments, IRIs and strings, which SPARQLWrapper's own keyword sniffing does not skip.

    >>> query_form("# added, loaded\\nPREFIX a: <http://x/insert>\\nSELECT * {}")
    'SELECT'
    >>> query_form("INSERT DATA { <a:b> <a:c> 1 }")
    'UPDATE'
    """
    body = strip_noise(text)
    body = body[_PROLOGUE.match(body).end() :]
    match = re.match(r"\s*([A-Za-z]+)", body)
    word = match.group(1).upper() if match else ""
    if word in _QUERY_FORMS:
        return word
    if word in _UPDATE_WORDS:
        return "UPDATE"
    return "SELECT"  # let the endpoint report the syntax error


def page_query(text: str, size: int, offset: int) -> str | None:
    """One page of a SELECT: its rows *offset* to *offset* + *size* in a total order.

    The query's own ORDER BY keys come first, then every projected variable it does not
    sort by, so that each row has one place; the sort stays in a sub-query and LIMIT and
    OFFSET slice its answer (with LIMIT and OFFSET beside ORDER BY, Virtuoso refuses any
    page that ends past its MaxSortedTopRows, 10,000 by default). None for a query that
    cannot be paged so: one that projects expressions or `*`, or has a LIMIT or OFFSET of
    its own (a trailing VALUES clause is not supported either).

    >>> print(page_query("SELECT ?m ?l WHERE { ?m <urn:l> ?l } ORDER BY ?l", 50, 100))
    SELECT ?m ?l WHERE { { SELECT ?m ?l WHERE { ?m <urn:l> ?l } ORDER BY ?l ?m } }
    LIMIT 50 OFFSET 100
    >>> page_query("SELECT ?m WHERE { ?m ?p ?o } LIMIT 5", 50, 0) is None
    True
    """
    match = _PAGEABLE.fullmatch(text)
    if not match or re.search(r"\b(?:LIMIT|OFFSET)\b", match["modifiers"], re.I):
        return None
    columns = match["vars"].split()
    modifiers = match["modifiers"]
    order = _ORDER_BY.search(modifiers)
    grouping, keys = modifiers, ""
    if order:
        grouping, keys = modifiers[: order.start()], modifiers[order.end() :]
    sorted_by = set(re.findall(r"\?\w+", keys))
    keys = " ".join([*keys.split(), *(c for c in columns if c not in sorted_by)])
    return (
        f"{match['prologue']}SELECT {' '.join(columns)} WHERE {{ {{ {match['query']}"
        f"{grouping.rstrip()} ORDER BY {keys} }} }}\nLIMIT {size} OFFSET {offset}"
    )


class Paged:
    """A remote store whose `query()` reads a SELECT whole, in pages if the server cuts it."""

    def __init__(self, remote: RemoteStore) -> None:
        self.remote = remote

    def query(self, text: str, prefixes: dict[str, str] | None = None) -> Any:
        """Every row of a SELECT (other forms as `RemoteStore.query` answers them).

        The query is sent as it is, and only an answer the server cut (its
        `X-SPARQL-MaxRows` header) is read again, in sorted pages: sorting costs the server
        more than the query itself (Oxigraph's on-disk store compares the terms' text).
        With `always_page`, the pages are read from the start.
        """
        remote = self.remote
        size = remote.page_size
        select = query_form(text) == "SELECT"
        pageable = size > 0 and select and page_query(text, size, 0) is not None
        if not (pageable and remote.always_page):
            body, content_type, cut = remote.send(text, prefixes)
            if not (cut and select):
                return remote.answer(text, body, content_type)
            if not pageable:
                raise EndpointError(
                    f"{remote.url}: the answer was cut at the server's row limit and this "
                    "query cannot be read in pages"
                )
        head: list[str] | None = None
        bindings: list[dict] = []
        while True:
            page = page_query(text, size, len(bindings)) or ""
            body, _, cut = remote.send(page, prefixes)
            try:
                document = json.loads(body)
                rows = document["results"]["bindings"]
            except (ValueError, KeyError, TypeError) as exc:
                tail = body[-200:].decode("utf-8", "replace").strip()
                raise EndpointError(
                    f"{remote.url}: a page of the answer is not SPARQL JSON ({exc}); "
                    f"it ends: {tail}"
                ) from exc
            head = head or document["head"]["vars"]
            bindings += rows
            if not rows or (len(rows) < size and not cut):
                break
        whole = {"head": {"vars": head}, "results": {"bindings": bindings}}
        return ox.parse_query_results(json.dumps(whole), format=ox.QueryResultsFormat.JSON)


def paged(store: Any) -> Any:
    """The store to read a whole projection from: a remote store's paged reader, else itself.

    >>> import pyoxigraph as ox
    >>> local = ox.Store()
    >>> paged(local) is local
    True
    """
    return Paged(store) if isinstance(store, RemoteStore) else store


class RemoteStore:
    """A SPARQL 1.1 Protocol endpoint that answers `query()` as a pyoxigraph store does."""

    def __init__(
        self,
        url: str,
        timeout: float = 60.0,
        default_graph: str | None = None,
        page_size: int = PAGE_SIZE,
        always_page: bool = False,
    ) -> None:
        if not re.match(r"^https?://", url):
            raise EndpointError(f"--endpoint '{url}' is not an http(s) URL")
        self.url = url
        self.timeout = timeout
        self.default_graph = default_graph
        self.page_size = page_size  # rows asked for in one page by `paged`; 0: no pages
        self.always_page = always_page  # `paged` reads pages even if the server cuts nothing

    def __repr__(self) -> str:
        return f"RemoteStore({self.url!r})"

    def query(self, text: str, prefixes: dict[str, str] | None = None) -> Any:
        """Send a query; the answer as pyoxigraph results (solutions, boolean or triples)."""
        body, content_type, _ = self.send(text, prefixes)
        return self.answer(text, body, content_type)

    def send(self, text: str, prefixes: dict[str, str] | None = None) -> tuple[bytes, str, int]:
        """Send a query; the answer's body, its content type and the row limit it was cut
        at (its `X-SPARQL-MaxRows` header; 0 when it was not cut)."""
        from SPARQLWrapper import JSON, N3, POST, SPARQLWrapper

        form = query_form(text)
        if form == "UPDATE":
            raise EndpointError("updates are refused: the reading commands only query")
        declared = {m.lower() for m in re.findall(r"PREFIX\s+([\w.-]*):", text, flags=re.I)}
        head = "".join(
            f"PREFIX {name}: <{iri}>\n"
            for name, iri in (prefixes or {}).items()
            if name.lower() not in declared
        )
        client = SPARQLWrapper(self.url)
        client.setQuery(head + text)
        client.queryType = form  # SPARQLWrapper's sniffing can mistake a comment for an update
        client.setMethod(POST)
        client.setTimeout(int(self.timeout))
        if self.default_graph:
            client.addDefaultGraph(self.default_graph)
        graph_answer = form in {"CONSTRUCT", "DESCRIBE"}
        client.setReturnFormat(N3 if graph_answer else JSON)
        if graph_answer:
            client.addCustomHttpHeader("Accept", "application/n-triples, text/turtle;q=0.9")
        try:
            response = client.query().response
            body = response.read()
            content_type = response.headers.get("Content-Type", "")
            cut = response.headers.get("X-SPARQL-MaxRows", "")
        except Exception as exc:  # noqa: BLE001 - SPARQLWrapper raises many kinds
            raise EndpointError(f"{self.url}: {_reason(exc)}") from exc
        return body, content_type, int(cut) if cut.strip().isdigit() else int(bool(cut))

    def answer(self, text: str, body: bytes, content_type: str) -> Any:
        """An answer's body as pyoxigraph results, for the form of the query *text*."""
        if query_form(text) not in {"CONSTRUCT", "DESCRIBE"}:
            try:  # read it all once: a server may cut an answer short (Oxigraph's timeout)
                answer = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
                if isinstance(answer, ox.QuerySolutions):
                    for _ in answer:
                        pass
            except (SyntaxError, ValueError) as exc:
                tail = body[-200:].decode("utf-8", "replace").strip()
                raise EndpointError(
                    f"{self.url}: the answer is not SPARQL JSON ({exc}); it ends: {tail}"
                ) from exc
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        rdf_format = ox.RdfFormat.TURTLE if "turtle" in content_type else ox.RdfFormat.N_TRIPLES
        scratch = ox.Store()
        try:
            scratch.load(body, format=rdf_format)
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(f"{self.url}: the answer is not {rdf_format.name}: {exc}") from exc
        return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        detail = exc.read().decode("utf-8", "replace").strip()[:300]
        return f"answered {exc.code} {exc.reason}" + (f": {detail}" if detail else "")
    text = str(exc).strip() or type(exc).__name__
    if "timed out" in text.lower() or isinstance(exc, TimeoutError):
        return "the query timed out"
    return text.splitlines()[0][:300] if len(text) > 300 else text


def oxigraph_command() -> str:
    """The path of the `oxigraph` server command installed with the project."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise EndpointError(
            "the `oxigraph` command is missing: install the project (pip install -e .), "
            "which brings Oxigraph's server from PyPI"
        )
    return found


def publish(
    graph: Path, store_url: str, graph_iri: str | None = None, timeout: float = 300
) -> None:
    """Replace the default graph (or *graph_iri*) of a Graph Store Protocol store by *graph*."""
    if not graph.is_file():
        raise EndpointError(f"{graph}: no such graph file; run `mmkg build` first")
    if not re.match(r"^https?://", store_url):
        raise EndpointError(f"--endpoint '{store_url}' is not an http(s) URL")
    target = store_url + ("&" if "?" in store_url else "?")
    target += urllib.parse.urlencode({"graph": graph_iri}) if graph_iri else "default"
    content_type = {
        ".nt": "application/n-triples",
        ".ttl": "text/turtle",
        ".owl": "application/rdf+xml",
        ".rdf": "application/rdf+xml",
    }.get(graph.suffix, "text/turtle")
    try:
        with graph.open("rb") as body:  # sent as read, not held in memory whole
            headers = {
                "Content-Type": content_type,
                "Content-Length": str(graph.stat().st_size),
            }
            request = urllib.request.Request(  # noqa: S310 - the user's endpoint
                target, data=body, method="PUT", headers=headers
            )
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                if response.status not in (200, 201, 204):
                    raise EndpointError(f"{target}: answered {response.status}")
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip()[:300]
        raise EndpointError(f"{target}: answered {exc.code} {exc.reason}: {detail}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise EndpointError(f"{target}: cannot reach it ({exc})") from exc
