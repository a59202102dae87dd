"""A query's or an analysis's answer as the table macro shows it, in people's words.

Headings are plain words (the variable in a title), sizes are short (7B, the exact number in a
title), ontology property names are their labels, and the names of models, components and
benchmarks link to their pages: through the IRI column a ``xLabel`` column comes with, or,
for an analysis (whose tables hold labels only), by the label itself when one page has it.
"""

from __future__ import annotations

import re
from typing import Any

from mmkg.queries import Table
from mmkg.render.words import (
    COMPACT_MIN,
    PropertyWords,
    compact_number,
    exact_number,
    is_size_column,
    plain_heading,
)
from mmkg.tables import cell_text

__all__ = ["AnswerWords", "KINDS"]

#: The kinds of page a label may link to, in the order tried when a column prefers none.
KINDS = ("model", "component", "benchmark")
#: Separators inside a cell listing several names: "A, B", "A -> B", "A -[x]-> B", "A (3)".
_PIECES = re.compile(r"(, |; | -\[[^\]]*\]-> | -> | \(\d+\))")
_ARROW = re.compile(r" -\[([^\]]*)\]-> ")


class AnswerWords:
    """What turns a raw answer into cells of people's words, for one site."""

    def __init__(self, site: Any, property_labels: dict[str, str]) -> None:
        self.site = site
        self.words = PropertyWords(property_labels)
        self.pages: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}
        named = (
            ("model", {iri: d["label"] for iri, d in site.facts.items()}),
            ("component", {iri: d["label"] for iri, d in site.component_info.items()}),
            ("benchmark", {iri: d["label"] for iri, d in site.benchmarks.items()}),
        )
        for kind, labels in named:
            seen: dict[str, int] = {}
            for label in labels.values():
                seen[label] = seen.get(label, 0) + 1
            for iri, label in sorted(labels.items()):
                url = site.url(iri)
                if url and seen[label] == 1:  # a label two pages share links to neither
                    self.pages[kind][label] = url

    def page_of(self, label: str, prefer: str | None = None) -> str | None:
        """The page of the model, component or benchmark called *label*, if just one has it."""
        kinds = ((prefer,) if prefer in KINDS else ()) + KINDS
        for kind in kinds:
            url = self.pages[kind].get(label)
            if url:
                return url
        return None

    def heading(self, column: str) -> dict:
        """A column heading: plain words, and the variable it comes from."""
        text = plain_heading(column)
        return {"text": text, "variable": column if text != column else ""}

    def cell(self, value: Any, column: str, url: str | None, root: str, prefer: str | None) -> dict:
        """One cell: its text in pieces (each a link when it names a page), and how it sorts."""
        number = isinstance(value, int | float) and not isinstance(value, bool)
        cell: dict[str, Any] = {"num": number, "title": "", "sort": None}
        if number and is_size_column(column) and abs(value) >= COMPACT_MIN:
            cell["title"] = exact_number(value)
            cell["sort"] = str(int(value) if float(value).is_integer() else value)
            cell["pieces"] = [{"text": compact_number(value), "url": None}]
            return cell
        text = cell_text(value)
        if url:
            cell["pieces"] = [{"text": text, "url": root + url}]
            return cell
        if not isinstance(value, str):
            cell["pieces"] = [{"text": text, "url": None}]
            return cell
        pieces: list[dict] = []
        link = ""  # the label of the link an arrow stands for, said after the name it leads to
        for i, piece in enumerate(_PIECES.split(text)):
            if i % 2:  # a separator
                arrow = _ARROW.fullmatch(piece)
                if arrow:
                    link = self.words(arrow.group(1))
                pieces.append({"text": " → " if arrow or piece == " -> " else piece, "url": None})
                continue
            page = self.page_of(piece, prefer)
            words = piece if page else self.words(piece).replace(" -> ", " → ")
            pieces.append({"text": words, "url": root + page if page else None})
            if link:
                pieces.append({"text": f" ({link})", "url": None})
                link = ""
        cell["pieces"] = pieces
        return cell

    def table(
        self,
        table: Table,
        root: str,
        total: int | None,
        limit: int,
        count_max: int,
        prefer: str | None = None,
    ) -> dict:
        """The first *limit* rows of *table* for the table macro; ``xLabel`` columns link
        through the ``x`` column they come with, which is not shown."""
        columns = list(table.columns)
        hidden = {c for c in columns if f"{c}Label" in columns}
        shown = [i for i, c in enumerate(columns) if c not in hidden]
        rows = []
        for row in table.rows[:limit]:
            cells = []
            for i in shown:
                value, column = row[i], columns[i]
                iri = None
                if column.endswith("Label") and column[: -len("Label")] in hidden:
                    iri = row[columns.index(column[: -len("Label")])]
                elif isinstance(value, str) and value.startswith(("http://", "https://")):
                    iri = value
                url = self.site.url(iri) if isinstance(iri, str) else None
                cells.append(self.cell(value, column, url, root, _prefer(column, prefer)))
            rows.append(cells)
        total = len(table.rows) if total is None else total
        return {
            "columns": [self.heading(columns[i]) for i in shown],
            "rows": rows,
            "total": total,
            "total_text": f"more than {count_max:,}" if total > count_max else f"{total:,}",
        }


def _prefer(column: str, prefer: str | None) -> str | None:
    """The kind of page a column's names most likely are: said by its name, else *prefer*."""
    lowered = column.lower()
    for kind in KINDS:
        if kind in lowered:
            return kind
    return prefer
