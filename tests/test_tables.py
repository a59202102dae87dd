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
