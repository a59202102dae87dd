"""Find the named SPARQL queries, read their `#+` headers, bind parameters, return rows.

Queries run on a pyoxigraph store, which holds the built graph (or any graph loaded
into it); the same `.rq` files run unchanged on any SPARQL 1.1 engine.

>>> query = parse_query_text("q", "#+ summary: Count\\nSELECT (1 AS ?n) WHERE {}")
>>> query.summary
'Count'
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from mmkg.errors import MmkgError
from mmkg.index import GRAPH_FORMATS, open_index
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
    "bound_text",
    "execute",
    "term_value",
    "check_parameter_values",
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
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "org": "http://www.w3.org/ns/org#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
}
PREFIX_IRIS = dict(_PREFIXES)
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
    kinds: dict[str, str] = field(default_factory=dict)
    folders: dict[str, str] = field(default_factory=dict)

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
    # The answer as the engine gave it: SPARQL 1.1 Query Results JSON for SELECT and ASK,
    # N-Triples for CONSTRUCT and DESCRIBE; None for tables made by mmkg itself.
    results_json: bytes | None = None
    triples: bytes | None = None


# A parameter's default is a line `VALUES ?_name { term }` of the query itself, so the file
# run as published (in YASGUI, Jena or any store) answers with its defaults; mmkg rewrites
# the term of every such line. A query may repeat the line in several groups (a sub-query
# does not see the variables of the query around it).
_VALUES_LINE = re.compile(
    r"^(?P<head>[ \t]*VALUES[ \t]+\?_(?P<name>[A-Za-z][A-Za-z0-9_]*)[ \t]*\{[ \t]*)"
    r"(?P<term>[^{}\n]*?)(?P<tail>[ \t]*\}[ \t]*(?:#.*)?)$",
    re.M,
)


def _default_text(term: str) -> str:
    """A default as the text a user would type: the slug of a data IRI, a string's content."""
    if term.startswith("<") and term.endswith(">"):
        iri = term[1:-1]
        if iri.startswith(DATA) and iri.count("/", len(DATA)) == 1:
            return iri.rsplit("/", 1)[1]
        return iri
    if term.startswith('"') and term.endswith('"'):
        return term[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return term


def _term_kind(term: str) -> str:
    """The kind of value a parameter takes, read from its default term."""
    if term.startswith("<"):
        return "iri"
    if term in {"true", "false"}:
        return "boolean"
    if re.fullmatch(r"[+-]?\d+", term):
        return "integer"
    if re.fullmatch(r'"(?:[^"\\\n]|\\.)*"', term):
        return "string"
    return "unknown"


def parse_query_text(name: str, text: str, path: Path | None = None) -> Query:
    """Read the `#+ key: value` header lines and the `VALUES ?_name { default }` lines."""
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
    if "defaults" in header:
        raise QueryError(
            f"{path or name}: '#+ defaults:' is only a comment for other SPARQL clients; "
            "give each parameter its default as a line 'VALUES ?_name { term }' in the query"
        )
    defaults: dict[str, str] = {}
    kinds: dict[str, str] = {}
    folders: dict[str, str] = {}
    for match in _VALUES_LINE.finditer(text):
        param, term = match.group("name"), match.group("term").strip()
        kind = _term_kind(term)
        if kind == "unknown" or (kind == "iri" and not re.fullmatch(r"<[^<>\s]+>", term)):
            raise QueryError(
                f"{path or name}: the default of parameter '{param}' ({term!r}) must be one "
                'full IRI in <...>, true or false, an integer or a "string"'
            )
        if param in defaults and _default_text(term) != defaults[param]:
            raise QueryError(
                f"{path or name}: parameter '{param}' has two different defaults "
                f"({defaults[param]!r} and {_default_text(term)!r})"
            )
        defaults[param], kinds[param] = _default_text(term), kind
        if kind == "iri" and term[1:-1].startswith(DATA):
            folders[param] = term[1 : term.rindex("/") + 1]
    cq = header.get("cq")
    return Query(
        name=name,
        path=path,
        text=text,
        summary=str(header.get("summary", "")).strip(),
        description=str(header.get("description", "")).strip(),
        cq=int(cq) if cq is not None else None,
        defaults=defaults,
        kinds=kinds,
        folders=folders,
    )


def find_queries(folder: Path) -> dict[str, Query]:
    """Every `.rq` file under *folder*, by name (its path without extension, e.g. checks/x)."""
    queries: dict[str, Query] = {}
    for path in sorted(folder.rglob("*.rq")):
        rel = path.relative_to(folder).with_suffix("")
        name = path.stem if rel.parent.name == "cq" else rel.as_posix()
        queries[name] = parse_query_text(name, path.read_text(encoding="utf-8"), path)
    return queries


def load_store(path: Path, indexed: bool = True) -> ox.Store:
    """A store holding the graph in *path* (Turtle, N-Triples or RDF/XML): its fresh index
    (``mmkg index``) opened read-only if it has one and *indexed*, else a new in-memory store."""
    if not path.exists():
        raise QueryError(f"{path}: no such graph file; run `mmkg build` first")
    if indexed and (index := open_index(path)) is not None:
        return index
    store = ox.Store()
    store.bulk_load(path=str(path), format=GRAPH_FORMATS.get(path.suffix, ox.RdfFormat.TURTLE))
    return store


def _iri_term(query: Query, name: str, value: str) -> str:
    if "://" in value:
        return str(ox.NamedNode(value))
    default = query.defaults.get(name, "")
    kind = IRI_KINDS.get(name.removesuffix("_iri"))
    if kind is not None:
        folder = f"{DATA}{kind}/"
    elif "://" not in default and query.kinds.get(name) == "iri":
        folder = query.folders[name]  # the folder of the default's data IRI
    else:
        raise QueryError(f"query '{query.name}': parameter '{name}' takes a full IRI")
    if not re.match(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$", value):
        raise QueryError(f"query '{query.name}': '{value}' is not a slug for '{name}'")
    return f"<{folder}{value}>"


def _term(query: Query, name: str, value: str) -> str:
    """The SPARQL text of a parameter value, checked against the kind of its default."""
    kind = query.kinds.get(name)
    if kind is None:  # a parameter with no VALUES line: read the value's own form
        if name.endswith("_iri"):
            kind = "iri"
        elif re.fullmatch(r"-?\d+", value):
            kind = "integer"
        else:
            kind = "boolean" if value in {"true", "false"} else "string"
    if kind == "iri":
        return _iri_term(query, name, value)
    if kind == "boolean":
        if value not in {"true", "false"}:
            raise QueryError(
                f"query '{query.name}': parameter '{name}' takes true or false, not '{value}'"
            )
        return value
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise QueryError(
                f"query '{query.name}': parameter '{name}' takes an integer, not '{value}'"
            )
        return str(int(value))
    return str(ox.Literal(value))


def term_value(term: Any) -> Any:
    """A term of an answer as the Python value a query Table holds (None when unbound)."""
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
            return term.value in {"true", "1"}  # both lexical forms of xsd:boolean true
        return term.value
    return str(term)


def _syntax_error(exc: SyntaxError, text: str) -> str:
    """A short syntax-error message: the place, the undeclared prefix or the first expected
    tokens (Oxigraph lists every Unicode range a name may continue with)."""
    message = " ".join(str(exc).split())
    where = ""
    match = re.search(r"(?:error at )?(\d+):(\d+):?\s*", message)
    if match:
        where = f" at line {match.group(1)}, column {match.group(2)}"
        message = (message[: match.start()] + message[match.end() :]).strip()
    if "Prefix not found" in message:
        body = re.sub(r'<[^<>\s]*>|"(?:[^"\\\n]|\\.)*"|#[^\n]*', " ", text)
        declared = {m.lower() for m in re.findall(r"PREFIX\s+([\w.-]*):", body, flags=re.I)}
        used = re.findall(r"(?<![\w?$:])([A-Za-z][\w.-]*):", body)
        unknown = sorted({u for u in used if u.lower() not in declared | set(_PREFIXES)})
        names = ", ".join(f"'{u}:'" for u in unknown) or "a prefix"
        return f"SPARQL syntax error{where}: {names} is not declared (add a PREFIX line)"
    if len(message) > 160:
        tokens = re.findall(r'"[^"]+"', message)
        message = (
            "expected one of " + ", ".join(tokens[:8]) + (", ..." if len(tokens) > 8 else "")
            if tokens and message.startswith("expected")
            else message[:157] + "..."
        )
    return f"SPARQL syntax error{where}: {message}"


def bound_text(query: Query, params: dict[str, str] | None = None) -> str:
    """The exact text run for *query* with *params* (given values, else the defaults)."""
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
    return bind_parameters(query, values)


def check_parameter_values(store: Any, query: Query, params: dict[str, str]) -> None:
    """Refuse a given IRI parameter that names nothing in the graph, with the closest names."""
    for name, value in params.items():
        if query.kinds.get(name, "iri" if name.endswith("_iri") else "") != "iri":
            continue
        iri = _iri_term(query, name, value)[1:-1]
        if not iri.startswith(DATA):
            continue
        if run_sparql(store, f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }}").rows[0][0]:
            continue
        folder = iri[: iri.rindex("/") + 1]
        known = [
            row[0].removeprefix(folder)
            for row in run_sparql(
                store,
                "SELECT DISTINCT ?s WHERE { ?s a ?type . "
                f'FILTER(STRSTARTS(STR(?s), "{folder}")) }}',
            ).rows
        ]
        near = difflib.get_close_matches(value, known, n=3, cutoff=0.4)
        raise QueryError(
            f"query '{query.name}': parameter '{name}' names nothing in the graph: '{value}'"
            + (
                f"; closest known: {', '.join(near)}"
                if near
                else f"; {len(known)} known, none close (see `mmkg query --list`)"
            )
        )


def run_query(store: ox.Store, query: Query, params: dict[str, str] | None = None) -> Table:
    """Run a named query with its parameters bound (given values, else the defaults)."""
    text = bound_text(query, params)
    check_parameter_values(store, query, dict(params or {}))
    return _run(store, text, query.name)


def bind_parameters(query: Query, values: dict[str, str]) -> str:
    """The query text with each parameter set to its value as a SPARQL term.

    A parameter with a `VALUES ?_name { default }` line gets its value in that line (in
    every copy of it), so the text stays the same query with another default; any other
    `?_name` is replaced by the term, as grlc does.
    """
    terms = {p: _term(query, p, values[p]) for p in query.parameters}
    text = _VALUES_LINE.sub(
        lambda m: m.group("head") + terms.get(m.group("name"), m.group("term")) + m.group("tail"),
        query.text,
    )
    free = {p: t for p, t in terms.items() if p not in query.kinds}
    return _PARAM.sub(lambda m: free.get(m.group(1), m.group(0)), text)


def run_sparql(store: ox.Store, text: str) -> Table:
    """Run any SPARQL SELECT or ASK query."""
    return _run(store, text, "sparql")


def select(store: ox.Store, text: str) -> list[list[Any]]:
    """The rows of a query written without its PREFIX lines (the common ones are added)."""
    return _run(store, PREFIXES + text, "sparql", standard=False).rows


def execute(store: ox.Store, text: str, name: str) -> Any:  # noqa: ANN401 - pyoxigraph's
    """The engine's own answer to *text* (solutions are read as they are iterated), with the
    common prefixes declared; a syntax or engine error is a QueryError naming query *name*."""
    try:
        return store.query(text, prefixes=_PREFIXES)
    except SyntaxError as exc:
        raise QueryError(f"query '{name}': {_syntax_error(exc, text)}") from exc
    except (OSError, ValueError) as exc:
        raise QueryError(f"query '{name}' failed: {exc}") from exc


def _run(store: ox.Store, text: str, name: str, standard: bool = True) -> Table:
    answer = execute(store, text, name)
    if standard or not isinstance(answer, ox.QuerySolutions):
        return answer_table(answer)
    columns = [v.value for v in answer.variables]
    return Table(columns, [[term_value(solution[c]) for c in columns] for solution in answer])


def answer_table(answer: Any) -> Table:
    """An engine's answer (pyoxigraph results) as a Table that keeps the standard form."""
    if isinstance(answer, ox.QueryBoolean):
        return Table(["result"], [[bool(answer)]], results_json=_results_json(answer))
    if isinstance(answer, ox.QueryTriples):
        triples = answer.serialize(format=ox.RdfFormat.N_TRIPLES) or b""
        rows = [
            [t.subject.value, t.predicate.value, str(t.object)]
            for t in ox.parse(triples, format=ox.RdfFormat.N_TRIPLES)
        ]
        return Table(["subject", "predicate", "object"], rows, triples=triples)
    raw = _results_json(answer)
    parsed = ox.parse_query_results(raw, format=ox.QueryResultsFormat.JSON)
    columns = [v.value for v in parsed.variables]
    rows = [[term_value(solution[c]) for c in columns] for solution in parsed]
    return Table(columns, rows, results_json=raw)


def _results_json(answer: Any) -> bytes:
    return answer.serialize(format=ox.QueryResultsFormat.JSON) or b""
