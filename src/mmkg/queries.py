"""Find the named SPARQL queries, read their `#+` headers, bind parameters, return rows.

Queries run on a pyoxigraph store, which holds the built graph (or any graph loaded
into it); the same `.rq` files run unchanged on any SPARQL 1.1 engine.

>>> query = parse_query_text("q", "#+ summary: Count\\nSELECT (1 AS ?n) WHERE {}")
>>> query.summary
'Count'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from mmkg.errors import MmkgError
from mmkg.namespaces import DATA

__all__ = [
    "Query",
    "QueryError",
    "Table",
    "find_queries",
    "parse_query_text",
    "load_store",
    "run_query",
    "run_sparql",
    "select",
    "PREFIXES",
    "bind_parameters",
    "IRI_KINDS",
]

# A parameter `?_<kind>_iri` takes a slug and binds the IRI of that kind of individual.
IRI_KINDS = {
    "model": "model",
    "variant": "variant",
    "component": "component",
    "family": "family",
    "role": "role",
    "modality": "modality",
    "dataset": "dataset",
    "benchmark": "dataset",
    "organisation": "organisation",
    "venue": "venue",
    "division": "division",
    "metric": "metric",
    "input": "modality",
    "output": "modality",
}
_PARAM = re.compile(r"\?_([A-Za-z][A-Za-z0-9_]*)")
# The prefixes predeclared for `mmkg sparql` and for queries written inside the package.
_PREFIXES = {
    "mmkg": "https://w3id.org/mmkg/ontology#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
}
PREFIXES = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in _PREFIXES.items())


class QueryError(MmkgError):
    """A query that cannot run: unknown name or parameter, syntax error, bad value."""


@dataclass
class Query:
    """A named query file with its header."""

    name: str
    path: Path | None
    text: str
    summary: str = ""
    description: str = ""
    cq: int | None = None
    defaults: dict[str, str] = field(default_factory=dict)

    @property
    def parameters(self) -> list[str]:
        """The parameter names (without `?_`), in order of first use."""
        seen: list[str] = []
        for name in _PARAM.findall(self.text):
            if name not in seen:
                seen.append(name)
        return seen


@dataclass
class Table:
    """Rows of a query answer, with the column names."""

    columns: list[str]
    rows: list[list[Any]]


def _default_text(value: object) -> str:
    """A header default as the text a user would type (YAML booleans become true/false)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parse_query_text(name: str, text: str, path: Path | None = None) -> Query:
    """Read the `#+ key: value` header lines of a query."""
    header_lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            header_lines.append(line[2:].removeprefix(" "))
        elif line.strip() and not line.startswith("#"):
            break
    try:
        header = yaml.safe_load("\n".join(header_lines)) or {}
    except yaml.YAMLError as exc:
        raise QueryError(f"{path or name}: the '#+' header is not valid YAML: {exc}") from exc
    if not isinstance(header, dict):
        raise QueryError(f"{path or name}: the '#+' header must be 'key: value' lines")
    defaults: dict[str, str] = {}
    raw = header.get("defaults") or []
    for item in raw if isinstance(raw, list) else [raw]:
        if isinstance(item, dict):
            defaults.update({str(k): _default_text(v) for k, v in item.items()})
    cq = header.get("cq")
    return Query(
        name=name,
        path=path,
        text=text,
        summary=str(header.get("summary", "")).strip(),
        description=str(header.get("description", "")).strip(),
        cq=int(cq) if cq is not None else None,
        defaults=defaults,
    )


def find_queries(folder: Path) -> dict[str, Query]:
    """Every `.rq` file under *folder*, by name (its path without extension, e.g. checks/x)."""
    queries: dict[str, Query] = {}
    for path in sorted(folder.rglob("*.rq")):
        rel = path.relative_to(folder).with_suffix("")
        name = path.stem if rel.parent.name == "cq" else rel.as_posix()
        queries[name] = parse_query_text(name, path.read_text(encoding="utf-8"), path)
    return queries


def load_store(path: Path) -> ox.Store:
    """A fresh in-memory store holding the graph in *path* (Turtle, N-Triples or RDF/XML)."""
    formats = {
        ".ttl": ox.RdfFormat.TURTLE,
        ".nt": ox.RdfFormat.N_TRIPLES,
        ".owl": ox.RdfFormat.RDF_XML,
        ".rdf": ox.RdfFormat.RDF_XML,
    }
    if not path.exists():
        raise QueryError(f"{path}: no such graph file; run `mmkg build` first")
    store = ox.Store()
    store.bulk_load(path=str(path), format=formats.get(path.suffix, ox.RdfFormat.TURTLE))
    return store


def _term(query: Query, name: str, value: str) -> ox.NamedNode | ox.Literal:
    if name.endswith("_iri"):
        if "://" in value:
            return ox.NamedNode(value)
        kind = IRI_KINDS.get(name.removesuffix("_iri"))
        if kind is None:
            raise QueryError(f"query '{query.name}': parameter '{name}' takes a full IRI")
        if not re.match(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$", value):
            raise QueryError(f"query '{query.name}': '{value}' is not a slug for '{name}'")
        return ox.NamedNode(f"{DATA}{kind}/{value}")
    if re.fullmatch(r"-?\d+", value):
        return ox.Literal(value, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    if value in {"true", "false"}:
        return ox.Literal(value, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    return ox.Literal(value)


def _python(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        kind = term.datatype.value.rsplit("#", 1)[-1]
        if kind in {"integer", "int", "long", "nonNegativeInteger"}:
            return int(term.value)
        if kind in {"decimal", "double", "float"}:
            number = float(term.value)
            return int(number) if number.is_integer() and kind != "decimal" else number
        if kind == "boolean":
            return term.value == "true"
        return term.value
    return str(term)


def _syntax_error(exc: SyntaxError, text: str) -> str:
    message = str(exc)
    match = re.search(r"(?:error at )?(\d+):(\d+):?\s*", message)
    if match:
        rest = (message[: match.start()] + message[match.end() :]).strip()
        return f"SPARQL syntax error at line {match.group(1)}, column {match.group(2)}: {rest}"
    return f"SPARQL syntax error: {message}"


def run_query(store: ox.Store, query: Query, params: dict[str, str] | None = None) -> Table:
    """Run a named query with its parameters bound (given values, else the defaults)."""
    params = dict(params or {})
    unknown = sorted(set(params) - set(query.parameters))
    if unknown:
        from mmkg.load import closest

        hint = closest(unknown[0], query.parameters)
        raise QueryError(
            f"query '{query.name}' has no parameter '{unknown[0]}'"
            + (f" (did you mean '{hint}'?)" if hint else "")
            + f"; its parameters: {', '.join(query.parameters) or 'none'}"
        )
    values = {**query.defaults, **params}
    missing = [p for p in query.parameters if p not in values]
    if missing:
        raise QueryError(
            f"query '{query.name}' needs a value for: {', '.join(missing)} (use --param name=value)"
        )
    return _run(store, bind_parameters(query, values), query.name)


def bind_parameters(query: Query, values: dict[str, str]) -> str:
    """The query text with each `?_name` replaced by its value as a SPARQL term.

    Replacing the text (as grlc does) keeps the query plain SPARQL 1.1 for any engine;
    a parameter therefore cannot be projected by SELECT or assigned by VALUES.
    """
    terms = {p: _term(query, p, values[p]) for p in query.parameters}
    return _PARAM.sub(
        lambda m: str(terms[m.group(1)]) if m.group(1) in terms else m.group(0), query.text
    )


def run_sparql(store: ox.Store, text: str) -> Table:
    """Run any SPARQL SELECT or ASK query."""
    return _run(store, text, "sparql")


def select(store: ox.Store, text: str) -> list[list[Any]]:
    """The rows of a query written without its PREFIX lines (the common ones are added)."""
    return run_sparql(store, PREFIXES + text).rows


def _run(store: ox.Store, text: str, name: str) -> Table:
    try:
        answer = store.query(text, prefixes=_PREFIXES)
    except SyntaxError as exc:
        raise QueryError(f"query '{name}': {_syntax_error(exc, text)}") from exc
    except (OSError, ValueError) as exc:
        raise QueryError(f"query '{name}' failed: {exc}") from exc
    if isinstance(answer, ox.QueryBoolean):
        return Table(["result"], [[bool(answer)]])
    if isinstance(answer, ox.QueryTriples):
        rows = [[t.subject.value, t.predicate.value, str(t.object)] for t in answer]
        return Table(["subject", "predicate", "object"], rows)
    columns = [v.value for v in answer.variables]
    rows = [[_python(solution[c]) for c in columns] for solution in answer]
    return Table(columns, rows)
