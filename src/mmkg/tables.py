"""Render query answers as CSV, JSON, Markdown or LaTeX text."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from itertools import islice
from typing import Any

import pyoxigraph as ox

from mmkg.queries import PREFIX_IRIS, Table

__all__ = [
    "render",
    "render_answer",
    "cut_answer",
    "limit_table",
    "FORMATS",
    "ANSWER_FORMATS",
    "cell_text",
    "LATEX_SPECIAL",
]

FORMATS = ("table", "csv", "json", "markdown", "latex")
# A query's answer also in the W3C formats: SPARQL 1.1 Query Results JSON, CSV, TSV and XML
# for SELECT and ASK; Turtle, N-Triples, JSON-LD and RDF/XML for CONSTRUCT and DESCRIBE.
ANSWER_FORMATS = (
    *("table", "json", "csv", "tsv", "xml", "markdown", "latex"),
    *("turtle", "ntriples", "jsonld"),
)
_RESULTS_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}
_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "json": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}
_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
#: What each character special to LaTeX is written as in a LaTeX table cell.
LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def cell_text(value: Any) -> str:
    """One cell as plain text: empty for unbound, numbers without trailing zeros.

    >>> cell_text(45.70), cell_text(None), cell_text(True)
    ('45.7', '', 'true')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    return str(value)


def _latex(text: str) -> str:
    return "".join(LATEX_SPECIAL.get(ch, ch) for ch in text)


def render(table: Table, fmt: str) -> str:
    """The table as text in *fmt* (csv, json, markdown or latex)."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(table.columns)
        writer.writerows([[cell_text(v) for v in row] for row in table.rows])
        return buffer.getvalue()
    if fmt == "json":
        return json.dumps(
            [dict(zip(table.columns, row, strict=True)) for row in table.rows],
            ensure_ascii=False,
            indent=2,
        )
    if fmt == "markdown":

        def esc(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", " ")

        lines = [
            "| " + " | ".join(esc(c) for c in table.columns) + " |",
            "|" + "|".join(" --- " for _ in table.columns) + "|",
        ]
        lines += ["| " + " | ".join(esc(cell_text(v)) for v in row) + " |" for row in table.rows]
        return "\n".join(lines) + "\n"
    if fmt == "latex":
        spec = "l" * len(table.columns)
        lines = [
            f"\\begin{{tabular}}{{{spec}}}",
            "\\hline",
            " & ".join(_latex(c) for c in table.columns) + r" \\",
            "\\hline",
        ]
        lines += [" & ".join(_latex(cell_text(v)) for v in row) + r" \\" for row in table.rows]
        lines += ["\\hline", "\\end{tabular}"]
        return "\n".join(lines) + "\n"
    raise ValueError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")


def render_answer(table: Table, fmt: str) -> bytes | None:
    """A query's answer in a W3C format (bytes), or None for the formats meant for people."""
    if table.triples is not None:
        if fmt in {"markdown", "latex", "table"}:
            return None
        if fmt not in _RDF_FORMATS:
            raise ValueError(
                f"a CONSTRUCT or DESCRIBE answer is a graph: choose turtle, ntriples, jsonld "
                f"or xml, not '{fmt}'"
            )
        triples = ox.parse(table.triples, format=ox.RdfFormat.N_TRIPLES)
        target = _RDF_FORMATS[fmt]
        prefixes = PREFIX_IRIS if target in {ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML} else None
        return ox.serialize(triples, format=target, prefixes=prefixes) or b""
    if table.results_json is None or fmt not in _RESULTS_FORMATS:
        if fmt in _RDF_FORMATS and fmt not in {"json", "xml"}:
            raise ValueError(f"'{fmt}' is for CONSTRUCT and DESCRIBE answers; choose json")
        return None
    parsed = ox.parse_query_results(table.results_json, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=_RESULTS_FORMATS[fmt]) or b""


def cut_answer(body: bytes, content_type: str, limit: int) -> tuple[bytes, bool]:
    """The answer cut to its first *limit* rows (or triples), and whether anything was cut.

    SPARQL JSON, XML, CSV and TSV results are cut with the standard library's reader of
    each format; a graph answer is cut with Oxigraph's RDF parser and serialiser.
    """
    media = content_type.split(";")[0].strip().lower()
    if limit <= 0:
        return body, False
    if media == "application/sparql-results+json":
        document = json.loads(body)
        bindings = document.get("results", {}).get("bindings")
        if bindings is None or len(bindings) <= limit:
            return body, False
        document["results"]["bindings"] = bindings[:limit]
        return json.dumps(document, ensure_ascii=False).encode("utf-8"), True
    if media == "application/sparql-results+xml":
        ET.register_namespace("", _RESULTS_NS)
        root = ET.fromstring(body)  # noqa: S314 - the answer of our own Oxigraph server
        results = root.find(f"{{{_RESULTS_NS}}}results")
        rows = [] if results is None else results.findall(f"{{{_RESULTS_NS}}}result")
        if len(rows) <= limit:
            return body, False
        for row in rows[limit:]:
            results.remove(row)
        return ET.tostring(root, encoding="utf-8", xml_declaration=True), True
    if media == "text/csv":
        table = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        if len(table) - 1 <= limit:
            return body, False
        text = io.StringIO(newline="")
        csv.writer(text, lineterminator="\r\n").writerows(table[: limit + 1])
        return text.getvalue().encode("utf-8"), True
    if media == "text/tab-separated-values":
        # a TSV term never holds a raw line break (it is written \n), so a line is a row
        lines = body.decode("utf-8").split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if len(lines) - 1 <= limit:
            return body, False
        return ("\n".join(lines[: limit + 1]) + "\n").encode("utf-8"), True
    rdf_format = ox.RdfFormat.from_media_type(media)
    if rdf_format is None:
        return body, False
    quads = list(islice(ox.parse(body, format=rdf_format), limit + 1))
    if len(quads) <= limit:
        return body, False
    triples = [q.triple if isinstance(q, ox.Quad) else q for q in quads[:limit]]
    return ox.serialize(triples, format=rdf_format) or b"", True


def limit_table(table: Table, limit: int) -> tuple[Table, int]:
    """The answer cut to its first *limit* rows (0: all), and how many rows it had."""
    total = len(table.rows)
    if limit <= 0 or total <= limit:
        return table, total
    results_json, triples = table.results_json, table.triples
    if results_json is not None:
        results_json = cut_answer(results_json, "application/sparql-results+json", limit)[0]
    if triples is not None:
        triples = cut_answer(triples, "application/n-triples", limit)[0]
    cut = replace(table, rows=table.rows[:limit], results_json=results_json, triples=triples)
    return cut, total
