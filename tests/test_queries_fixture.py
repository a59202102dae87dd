"""The query library on the fixture graph: competency questions and data checks.

Each `queries/cq/cq-NN-*.rq` runs with its default parameters on
`tests/fixtures/cq/fixture.ttl` and must return exactly the rows of the expected CSV of the
same stem (worked out by hand from the fixture), in any order; the same text must give the
same rows on rdflib, so the queries stay plain, portable SPARQL 1.1. Each
`queries/checks/<name>-violation.rq` must return nothing on the fixture and fire on
`tests/fixtures/checks/<name>-violation.ttl`.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import rdflib

from mmkg.queries import (
    Query,
    bind_parameters,
    find_queries,
    load_store,
    parse_query_text,
    run_query,
    run_sparql,
)

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "queries"
CQ_FIXTURES = ROOT / "tests" / "fixtures" / "cq"
CHECK_FIXTURES = ROOT / "tests" / "fixtures" / "checks"
FIXTURE = CQ_FIXTURES / "fixture.ttl"

CQ_FILES = sorted((QUERIES / "cq").glob("cq-*.rq"))
CHECK_FILES = sorted((QUERIES / "checks").glob("*-violation.rq"))
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


def _query(path: Path) -> Query:
    return parse_query_text(path.stem, path.read_text(encoding="utf-8"), path)


def _cell(value: Any) -> str:
    """One answer cell as comparable text: numbers rounded to 6 places, booleans true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        return repr(round(float(value), 6))
    text = str(value)
    if _NUMBER.fullmatch(text):
        return repr(round(float(text), 6))
    return text


def _rows(rows: list[list[Any]] | list[tuple[Any, ...]]) -> Counter[tuple[str, ...]]:
    return Counter(tuple(_cell(value) for value in row) for row in rows)


def _read_csv(path: Path) -> tuple[list[str], Counter[tuple[str, ...]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        header, *body = list(csv.reader(handle))
    return header, _rows(body)


def _rdflib_rows(graph: rdflib.Graph, text: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    result = graph.query(text)
    rows = []
    for row in result:
        values = []
        for term in row:
            if isinstance(term, rdflib.Literal):
                python = term.toPython()
                values.append(python if isinstance(python, (bool, int, float, Decimal)) else term)
            else:
                values.append(term)
        rows.append(tuple(values))
    return [str(v) for v in result.vars or []], rows


def _differences(got: Counter, want: Counter) -> str:
    missing = sorted((want - got).elements())
    extra = sorted((got - want).elements())
    return "\n".join([f"missing {row}" for row in missing] + [f"unexpected {row}" for row in extra])


@pytest.fixture(scope="module")
def store():
    return load_store(FIXTURE)


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    return rdflib.Graph().parse(FIXTURE, format="turtle")


# ---- the set of competency questions -----------------------------------------------------


def test_competency_questions_are_numbered_from_1_without_gaps():
    numbers = []
    for path in CQ_FILES:
        match = re.fullmatch(r"cq-(\d\d)-[a-z0-9]+(?:-[a-z0-9]+)*\.rq", path.name)
        assert match, f"{path.name}: name must be cq-NN-<short-name>.rq"
        numbers.append(int(match.group(1)))
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 21


@pytest.mark.parametrize("path", CQ_FILES, ids=lambda p: p.stem)
def test_cq_header(path: Path):
    query = _query(path)
    assert query.summary, f"{path.name}: no '#+ summary:'"
    assert query.description, f"{path.name}: no '#+ description:'"
    assert query.cq == int(path.name[3:5]), f"{path.name}: '#+ cq:' must match the file name"
    assert set(query.defaults) == set(query.parameters), (
        f"{path.name}: every parameter needs a default and every default a parameter"
    )


@pytest.mark.parametrize("path", CQ_FILES + CHECK_FILES, ids=lambda p: p.stem)
def test_every_prefix_is_declared(path: Path):
    text = path.read_text(encoding="utf-8")
    declared = set(re.findall(r"^PREFIX\s+([A-Za-z][\w-]*):", text, flags=re.M))
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    body = re.sub(r"<[^>\s]*>", " ", body)
    body = re.sub(r'"[^"\n]*"', " ", body)
    used = set(re.findall(r"(?<![\w?$:])([A-Za-z][\w-]*):[A-Za-z_]", body))
    assert used <= declared, f"{path.name}: undeclared prefixes {sorted(used - declared)}"


@pytest.mark.parametrize("path", CQ_FILES + CHECK_FILES, ids=lambda p: p.stem)
def test_parameters_are_not_projected_or_assigned(path: Path):
    text = path.read_text(encoding="utf-8")
    select = re.search(r"SELECT(.*?)WHERE", text, flags=re.S)
    assert select and "?_" not in select.group(1), f"{path.name}: a parameter is projected"
    assert not re.search(r"AS\s+\?_", text), f"{path.name}: a parameter is assigned"
    for line in re.findall(r"^.*VALUES.*$", text, flags=re.M):
        if "?_" in line:
            assert re.fullmatch(r"\s*VALUES \?_\w+ \{ \S+ \}", line), (
                f"{path.name}: a parameter's VALUES line must give it alone its default: {line}"
            )


@pytest.mark.parametrize("path", CQ_FILES, ids=lambda p: p.stem)
def test_every_parameter_has_its_default_in_the_query(path: Path):
    query = _query(path)
    assert "#+ defaults" not in query.text
    assert set(query.defaults) == set(query.parameters)
    # the text mmkg runs with the defaults is the published text itself
    assert bind_parameters(query, query.defaults) == query.text


@pytest.mark.parametrize("path", CQ_FILES, ids=lambda p: p.stem)
def test_published_text_gives_the_default_answer(path: Path, store, graph):
    """Pasted into any client, the file answers with its defaults: the same rows as mmkg."""
    query = _query(path)
    want = _rows(run_query(store, query).rows)
    published = path.read_text(encoding="utf-8")
    assert _rows(run_sparql(store, published).rows) == want
    _, rdflib_rows = _rdflib_rows(graph, published)
    assert _rows(rdflib_rows) == want, f"{path.name}: rdflib differs on the published text"


@pytest.mark.parametrize("path", CQ_FILES + CHECK_FILES, ids=lambda p: p.stem)
def test_sparqlwrapper_sees_a_query_not_an_update(path: Path):
    """SPARQLWrapper sniffs the query type from keywords; a header word must not fool it."""
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper("http://127.0.0.1:9/sparql")
    client.setQuery(path.read_text(encoding="utf-8"))
    assert client.queryType in {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
    assert not client.isSparqlUpdateRequest()


# ---- expected answers --------------------------------------------------------------------


@pytest.mark.parametrize("path", CQ_FILES, ids=lambda p: p.stem)
def test_cq_answer_on_fixture(path: Path, store):
    expected_csv = CQ_FIXTURES / f"{path.stem}.csv"
    assert expected_csv.exists(), f"no expected answer {expected_csv.name}"
    header, expected = _read_csv(expected_csv)
    table = run_query(store, _query(path))
    assert table.columns == header, f"{path.name}: columns differ from {expected_csv.name}"
    got = _rows(table.rows)
    assert got == expected, f"{path.name}:\n{_differences(got, expected)}"


@pytest.mark.parametrize("path", CQ_FILES, ids=lambda p: p.stem)
def test_cq_same_answer_on_rdflib(path: Path, store, graph):
    query = _query(path)
    text = bind_parameters(query, query.defaults)
    table = run_sparql(store, text)
    columns, rows = _rdflib_rows(graph, text)
    assert columns == table.columns
    got, want = _rows(rows), _rows(table.rows)
    assert got == want, f"{path.name}: rdflib differs from Oxigraph\n{_differences(got, want)}"


# ---- parameters and edge cases not covered by the defaults ---------------------------------


def _run_cq(store, number: int, **params: str) -> list[tuple[str, ...]]:
    (path,) = [p for p in CQ_FILES if p.name.startswith(f"cq-{number:02d}-")]
    return sorted(_rows(run_query(store, _query(path), params).rows).elements())


def test_best_results_without_seen_training_images(store):
    rows = _run_cq(store, 9, exclude_seen="true")
    assert [(row[0], row[3], row[4].rsplit("/", 1)[1]) for row in rows] == [
        ("GQA", "49.5", "instructblip-vicuna-13b"),
        ("MMB", "70.8", "vila-13b-sharegpt4v"),
        ("MME-P", "1567.4", "llava-1.5-7b-sharegpt4v"),
    ]


def test_any_to_any_models(store):
    rows = _run_cq(store, 6, input_iri="text", output_iri="text", any_to_any="true")
    assert [row[1] for row in rows] == ["HuggingGPT", "NExT-GPT"]


DIAMOND = """
@prefix mmkg: <https://w3id.org/mmkg/ontology#> .
@prefix model: <https://w3id.org/mmkg/id/model/> .
model:a a mmkg:MultimodalLLM .
model:b a mmkg:MultimodalLLM ; mmkg:buildsOn model:a .
model:c a mmkg:MultimodalLLM ; mmkg:isNewVersionOf model:b ; mmkg:fineTunedFrom model:a .
model:d a mmkg:MultimodalLLM ; mmkg:extendsModalitiesOf model:c .
model:e a mmkg:MultimodalLLM ; mmkg:isTrendSuccessorOf model:d ; mmkg:hasSuggestedLink model:s .
model:s a mmkg:SuggestedLink ; mmkg:suggestedTarget model:a ;
    mmkg:suggestedProperty mmkg:isNewVersionOf .
"""


def _store_from(turtle: str, tmp_path: Path):
    path = tmp_path / "graph.ttl"
    path.write_text(turtle, encoding="utf-8")
    return load_store(path)


def test_distance_is_the_shortest_path(tmp_path: Path):
    store = _store_from(DIAMOND, tmp_path)
    ancestors = {
        (row[1].rsplit("/", 1)[1], row[4].rsplit("/", 1)[1]): row[0]
        for row in _run_cq(store, 4, model_iri="d")
    }
    # a is two links from d through c (d -> c -> a), though also three through b.
    assert ancestors == {("c", "d"): "1.0", ("b", "c"): "2.0", ("a", "c"): "2.0", ("a", "b"): "2.0"}
    descendants = {row[1].rsplit("/", 1)[1]: row[0] for row in _run_cq(store, 5, model_iri="a")}
    assert descendants == {"b": "1.0", "c": "1.0", "d": "2.0"}


def test_influence_links_are_followed_only_on_request(tmp_path: Path):
    store = _store_from(DIAMOND, tmp_path)
    # e only follows a trend after d: no derivation, so no ancestor, and the link the names
    # suggest (e is a new version of a) is never followed
    assert _run_cq(store, 4, model_iri="e") == []
    ancestors = {
        row[1].rsplit("/", 1)[1]: row[0]
        for row in _run_cq(store, 4, model_iri="e", include_influence="true")
    }
    assert ancestors == {"d": "1.0", "c": "2.0", "b": "3.0", "a": "3.0"}
    assert "e" not in {r[1].rsplit("/", 1)[1] for r in _run_cq(store, 5, model_iri="a")}
    descendants = {
        row[1].rsplit("/", 1)[1]
        for row in _run_cq(store, 5, model_iri="a", include_influence="true")
    }
    assert descendants == {"b", "c", "d", "e"}


def test_long_chains_are_cut_at_six_links_and_flagged(tmp_path: Path):
    lines = [
        "@prefix mmkg: <https://w3id.org/mmkg/ontology#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix model: <https://w3id.org/mmkg/id/model/> .",
        'model:m0 a mmkg:MultimodalLLM ; rdfs:label "M0" .',
    ]
    lines += [
        f'model:m{i} a mmkg:MultimodalLLM ; rdfs:label "M{i}" ; mmkg:buildsOn model:m{i - 1} .'
        for i in range(1, 9)
    ]
    rows = _run_cq(_store_from("\n".join(lines), tmp_path), 20)
    assert [(row[0], row[5], row[6]) for row in rows] == [
        ("6.0", "M0 -> M1 -> M2 -> M3 -> M4 -> M5 -> M6", "true")
    ]


# ---- data checks -------------------------------------------------------------------------


def test_every_check_has_a_bad_fixture_and_back():
    checks = {path.stem for path in CHECK_FILES}
    fixtures = {path.stem for path in CHECK_FIXTURES.glob("*-violation.ttl")}
    assert checks, "no check queries found"
    assert checks == fixtures


@pytest.mark.parametrize("path", CHECK_FILES, ids=lambda p: p.stem)
def test_check_header(path: Path):
    query = _query(path)
    assert query.summary and query.description, f"{path.name}: needs summary and description"
    assert not query.parameters, f"{path.name}: check queries take no parameters"


@pytest.mark.parametrize("path", CHECK_FILES, ids=lambda p: p.stem)
def test_check_is_silent_on_fixture(path: Path, store, graph):
    table = run_query(store, _query(path))
    assert table.columns == ["entity", "property", "value"]
    assert table.rows == [], f"{path.name} fires on the clean fixture: {table.rows[:3]}"
    assert len(graph.query(path.read_text(encoding="utf-8"))) == 0


@pytest.mark.parametrize("path", CHECK_FILES, ids=lambda p: p.stem)
def test_check_fires_on_bad_fixture(path: Path):
    bad = CHECK_FIXTURES / f"{path.stem}.ttl"
    query = _query(path)
    table = run_query(load_store(bad), query)
    assert table.rows, f"{path.name} does not fire on {bad.name}"
    assert all(row[0] and row[1] and row[2] for row in table.rows)
    rdflib_rows = rdflib.Graph().parse(bad, format="turtle").query(query.text)
    assert len(rdflib_rows) == len(table.rows)


def test_find_queries_sees_the_library():
    names = set(find_queries(QUERIES))
    assert {path.stem for path in CQ_FILES} <= names
    assert {f"checks/{path.stem}" for path in CHECK_FILES} <= names
