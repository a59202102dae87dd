"""Render query answers as CSV, JSON, Markdown or LaTeX text."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from mmkg.queries import Table

__all__ = ["render", "FORMATS", "cell_text"]

FORMATS = ("table", "csv", "json", "markdown", "latex")
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
