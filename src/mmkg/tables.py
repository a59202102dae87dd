"""Render query answers as CSV, JSON, Markdown or LaTeX text."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pyoxigraph as ox

from mmkg.queries import PREFIX_IRIS, Table

__all__ = ["render", "render_answer", "FORMATS", "ANSWER_FORMATS", "cell_text"]

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
_LATEX_SPECIAL = {
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
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in text)


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
