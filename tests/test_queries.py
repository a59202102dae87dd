"""The query runner: headers, parameters, errors with line and column."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from mmkg.queries import (
    QueryError,
    bind_parameters,
    find_queries,
    load_store,
    parse_query_text,
    run_query,
    run_sparql,
)

GRAPH = """@prefix mmkg: <https://w3id.org/mmkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/mmkg/id/model/a> a mmkg:MultimodalLLM ; rdfs:label "A" ;
    mmkg:releaseYear 2023 .
<https://w3id.org/mmkg/id/model/b> a mmkg:MultimodalLLM ; rdfs:label "B" ;
    mmkg:releaseYear 2024 .
"""
QUERY = """#+ summary: Models of a year
#+ description: Lists the models released in a year.
#+ cq: 99
PREFIX mmkg: <https://w3id.org/mmkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label WHERE {
  VALUES ?_year { 2023 }
  ?m mmkg:releaseYear ?_year ; rdfs:label ?label
} ORDER BY ?label
"""


@pytest.fixture
def store(tmp_path: Path) -> ox.Store:
    path = tmp_path / "g.ttl"
    path.write_text(GRAPH, encoding="utf-8")
    return load_store(path)


def test_header_is_read() -> None:
    query = parse_query_text("q", QUERY)
    assert (query.summary, query.cq, query.defaults) == ("Models of a year", 99, {"year": "2023"})
    assert query.parameters == ["year"]


def test_defaults_and_given_values(store: ox.Store) -> None:
    query = parse_query_text("q", QUERY)
    assert run_query(store, query).rows == [["A"]]
    assert run_query(store, query, {"year": "2024"}).rows == [["B"]]


def test_iri_parameter_takes_a_slug(store: ox.Store) -> None:
    query = parse_query_text(
        "q", "SELECT ?l WHERE { ?_model_iri <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    )
    assert run_query(store, query, {"model_iri": "b"}).rows == [["B"]]
    with pytest.raises(QueryError, match="not a slug"):
        run_query(store, query, {"model_iri": "B B"})


def test_unknown_parameter_names_the_known_ones(store: ox.Store) -> None:
    query = parse_query_text("q", QUERY)
    with pytest.raises(QueryError, match="has no parameter 'yaer'.*did you mean 'year'"):
        run_query(store, query, {"yaer": "2023"})


def test_missing_parameter_value(store: ox.Store) -> None:
    query = parse_query_text("q", "SELECT ?m WHERE { ?m ?p ?_thing }")
    with pytest.raises(QueryError, match="needs a value for: thing"):
        run_query(store, query)


def test_syntax_error_gives_line_and_column(store: ox.Store) -> None:
    with pytest.raises(QueryError, match="line 2, column 15"):
        run_sparql(store, "SELECT ?x\nWHERE { ?x a }")


def test_ask_and_construct(store: ox.Store) -> None:
    assert run_sparql(store, "ASK { ?s ?p ?o }").rows == [[True]]
    rows = run_sparql(store, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").rows
    assert len(rows) == 6


def test_missing_graph_file(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="run `mmkg build` first"):
        load_store(tmp_path / "none.ttl")


def test_find_queries_names_cq_by_stem_and_checks_by_path(tmp_path: Path) -> None:
    (tmp_path / "cq").mkdir()
    (tmp_path / "checks").mkdir()
    (tmp_path / "cq" / "cq-01-x.rq").write_text(QUERY, encoding="utf-8")
    (tmp_path / "checks" / "y-violation.rq").write_text(QUERY, encoding="utf-8")
    assert sorted(find_queries(tmp_path)) == ["checks/y-violation", "cq-01-x"]


def test_bad_header_is_an_error() -> None:
    with pytest.raises(QueryError, match="header is not valid YAML"):
        parse_query_text("q", "#+ summary: [unclosed\nSELECT * {}")


def test_comment_only_defaults_are_refused() -> None:
    with pytest.raises(QueryError, match="only a comment.*VALUES"):
        parse_query_text("q", "#+ defaults:\n#+   - flag: false\nASK { FILTER(?_flag) }")


def test_values_defaults_bind_in_every_copy() -> None:
    text = (
        "SELECT ?x WHERE {\n  { SELECT ?_m ?x WHERE {\n"
        "    VALUES ?_m { <https://w3id.org/mmkg/id/model/a> }\n"
        "    ?_m ?p ?x } }\n  VALUES ?_m { <https://w3id.org/mmkg/id/model/a> }\n"
        "  VALUES ?_flag { false }\n  FILTER(!?_flag)\n}"
    )
    query = parse_query_text("q", text)
    assert query.defaults == {"m": "a", "flag": "false"}
    assert query.kinds == {"m": "iri", "flag": "boolean"}
    bound = bind_parameters(query, {"m": "b", "flag": "true"})
    assert bound.count("VALUES ?_m { <https://w3id.org/mmkg/id/model/b> }") == 2
    assert "VALUES ?_flag { true }" in bound and "model/a" not in bound


def test_two_different_defaults_are_refused() -> None:
    with pytest.raises(QueryError, match="two different defaults"):
        parse_query_text("q", "ASK {\n  VALUES ?_n { 1 }\n  {\n    VALUES ?_n { 2 }\n  }\n}")


def test_a_value_of_the_wrong_kind_is_an_error(store: ox.Store) -> None:
    query = parse_query_text("q", QUERY)
    with pytest.raises(QueryError, match="'year' takes an integer, not 'two'"):
        run_query(store, query, {"year": "two"})
    flag = parse_query_text("q", "ASK {\n  VALUES ?_any_to_any { false }\n}")
    with pytest.raises(QueryError, match="takes true or false, not 'no'"):
        run_query(store, flag, {"any_to_any": "no"})


def test_an_iri_that_names_nothing_gives_the_closest_names(store: ox.Store) -> None:
    query = parse_query_text(
        "q",
        "SELECT ?l WHERE {\n  VALUES ?_model_iri { <https://w3id.org/mmkg/id/model/a> }\n"
        "  ?_model_iri <http://www.w3.org/2000/01/rdf-schema#label> ?l\n}",
    )
    assert run_query(store, query, {"model_iri": "b"}).rows == [["B"]]
    with pytest.raises(QueryError, match="names nothing in the graph: 'bb'; closest known: b"):
        run_query(store, query, {"model_iri": "bb"})
