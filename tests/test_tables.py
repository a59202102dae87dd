"""Rendering of tables: CSV, JSON, Markdown and LaTeX escape what they must."""

from __future__ import annotations

import csv
import io
import json

import pytest

from mmkg.queries import Table
from mmkg.tables import render

TABLE = Table(["model", "score"], [["A|B & C_1", 45.7], ["x", None], ["y", 1.4e9]])


def test_csv_round_trips() -> None:
    rows = list(csv.reader(io.StringIO(render(TABLE, "csv"))))
    assert rows == [["model", "score"], ["A|B & C_1", "45.7"], ["x", ""], ["y", "1400000000"]]


def test_json() -> None:
    assert json.loads(render(TABLE, "json"))[0] == {"model": "A|B & C_1", "score": 45.7}


def test_markdown_escapes_pipes() -> None:
    text = render(TABLE, "markdown")
    assert "| A\\|B & C_1 | 45.7 |" in text and text.startswith("| model | score |")


def test_latex_escapes_specials() -> None:
    text = render(TABLE, "latex")
    assert r"A|B \& C\_1 & 45.7 \\" in text and text.startswith(r"\begin{tabular}{ll}")


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render(TABLE, "xml")


# --- cutting an answer to a row limit --------------------------------------------------

_STORE_TEXT = "\n".join(
    f'<urn:m:{i}> <urn:p> "tab\\there, comma\\nnewline {i}"@en .' for i in range(7)
)


def _answer(form: str):  # noqa: ANN202 - pyoxigraph results
    import pyoxigraph as ox

    store = ox.Store()
    store.load(_STORE_TEXT.encode(), format=ox.RdfFormat.N_TRIPLES)
    text = {
        "select": "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s",
        "construct": "CONSTRUCT WHERE { ?s ?p ?o }",
    }[form]
    return store.query(text)


@pytest.mark.parametrize(
    ("media", "fmt", "rdflib_format"),
    [
        ("application/sparql-results+json", "JSON", "json"),
        ("application/sparql-results+xml", "XML", "xml"),
        ("text/csv", "CSV", "csv"),
        ("text/tab-separated-values", "TSV", "tsv"),
    ],
)
def test_a_results_document_is_cut_to_its_first_rows(media, fmt, rdflib_format) -> None:  # noqa: ANN001
    """Each standard results format is cut by rows (a term holding a tab, a comma or a line
    break stays one value) and stays a document rdflib's own parser reads."""
    import pyoxigraph as ox
    from rdflib.query import Result

    from mmkg.tables import cut_answer

    whole = _answer("select").serialize(format=getattr(ox.QueryResultsFormat, fmt))
    cut, was_cut = cut_answer(whole, media, 3)
    assert was_cut
    rows = list(Result.parse(io.BytesIO(cut), format=rdflib_format))
    all_rows = list(Result.parse(io.BytesIO(whole), format=rdflib_format))
    assert len(all_rows) == 7 and rows == all_rows[:3]
    if fmt == "CSV":
        assert cut.startswith(b"s,o\r\n") and cut.endswith(b"\r\n")
    assert cut_answer(whole, media, 7) == (whole, False)
    assert cut_answer(whole, media, 0) == (whole, False)


@pytest.mark.parametrize("fmt", ["N_TRIPLES", "TURTLE", "RDF_XML"])
def test_a_graph_answer_is_cut_to_its_first_triples(fmt: str) -> None:
    import pyoxigraph as ox

    from mmkg.tables import cut_answer

    rdf_format = getattr(ox.RdfFormat, fmt)
    whole = _answer("construct").serialize(format=rdf_format)
    cut, was_cut = cut_answer(whole, rdf_format.media_type, 2)
    assert was_cut and len(list(ox.parse(cut, format=rdf_format))) == 2
    assert cut_answer(whole, rdf_format.media_type, 9) == (whole, False)


def test_limit_table_cuts_rows_and_the_standard_answer_together() -> None:
    from mmkg.queries import answer_table
    from mmkg.tables import limit_table, render_answer

    table = answer_table(_answer("select"))
    cut, total = limit_table(table, 2)
    assert total == 7 and len(cut.rows) == 2 and cut.rows == table.rows[:2]
    assert len(json.loads(render_answer(cut, "json"))["results"]["bindings"]) == 2
    assert limit_table(table, 0) == (table, 7)
    graph, total = limit_table(answer_table(_answer("construct")), 4)
    assert total == 7 and len(graph.rows) == 4
    assert len(render_answer(graph, "ntriples").splitlines()) == 4
