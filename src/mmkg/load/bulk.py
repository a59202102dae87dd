"""JSON Lines record files: many records in one file, one JSON object a line (the bulk path).

Beside one YAML file per record, a record folder (``data/models/``, ``data/datasets/``, ...)
may hold ``*.jsonl`` files: each line is one record with the fields of its YAML file plus its
``slug``. A source of 10^5 or 10^6 records (a model hub's export) is one file, read line by
line, never whole. A line is held to the rules of a YAML record file: at most 1 MB, no
duplicate keys, no NaN or infinity, integers of at most MAX_INT_DIGITS digits, nesting at most
MAX_DEPTH deep; then the same record model and field rules check it. A problem names the file
and line (``data/models/hub.jsonl:12``), the record and the field.

>>> import tempfile
>>> from pathlib import Path
>>> from mmkg.load.reading import _Collector
>>> from mmkg.records import Organisation
>>> root = Path(tempfile.mkdtemp()) / "data"
>>> (root / "organisations").mkdir(parents=True)
>>> path = root / "organisations" / "more.jsonl"
>>> source = '"sources": [{"source": "survey", "locator": "Table 1"}]'
>>> lines = ['{"slug": "acme", "name": "Acme", %s}' % source, '{"slug": "b", "name": 1}']
>>> _ = path.write_text("\\n".join(lines))
>>> col = _Collector(root)
>>> records, broken = read_json_lines(col, path, Organisation, set())
>>> sorted(records), [slug for slug, _ in broken]
(['acme'], ['b'])
>>> str(col.problems[0])
"data/organisations/more.jsonl:2: record 'b', field 'name': Input should be a valid string (got 1)"
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from mmkg.field_rules import SLUG_PATTERN
from mmkg.load.reading import MAX_FILE_BYTES, _Collector, _shown
from mmkg.safe_yaml import MAX_DEPTH, MAX_INT_DIGITS

__all__ = ["BULK_SUFFIX", "bulk_records", "parse_line", "read_json_lines"]

R = TypeVar("R", bound=BaseModel)
BULK_SUFFIX = ".jsonl"


class _LineError(ValueError):
    """One line is not a record this project reads."""


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping: dict[str, Any] = {}
    for key, value in pairs:
        if key in mapping:
            raise _LineError(f"has the key '{_shown(key)}' twice")
        mapping[key] = value
    return mapping


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _LineError(f"has an integer of more than {MAX_INT_DIGITS} digits")
    return int(text)


def _number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _LineError(f"has the number {_shown(text)}, which is not finite")
    return value


def _refuse_constant(name: str) -> None:
    raise _LineError(f"has {name}, which is not a number a record may hold")


def _depth(value: Any, level: int = 1) -> int:  # noqa: ANN401 - any JSON value
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level)
    return level - 1


def parse_line(text: str) -> dict[str, Any]:
    """One line as a JSON object under the rules of a YAML record file, or _LineError."""
    try:
        value = json.loads(
            text,
            object_pairs_hook=_refuse_duplicates,
            parse_int=_integer,
            parse_float=_number,
            parse_constant=_refuse_constant,
        )
    except json.JSONDecodeError as exc:
        raise _LineError(f"is not valid JSON at column {exc.colno}: {exc.msg}") from exc
    except RecursionError as exc:
        raise _LineError(f"nests lists and objects more than {MAX_DEPTH} deep") from exc
    if not isinstance(value, dict):
        raise _LineError(f"must be a JSON object of fields, not {type(value).__name__}")
    if _depth(value) > MAX_DEPTH:
        raise _LineError(f"nests lists and objects more than {MAX_DEPTH} deep")
    return value


def read_json_lines(
    col: _Collector, path: Path, cls: type[R], taken: set[str]
) -> tuple[dict[str, tuple[R, str]], list[tuple[str, dict[str, Any]]]]:
    """The records of one JSON Lines file, each with its file and line; and the broken ones.

    *taken* holds the slugs already read from the folder (its YAML files, other lines): a
    slug is one record, whichever file holds it. A broken record whose slug can be read comes
    back with what could be read, so a reference to it is reported as broken, not unknown.
    """
    file = col.rel(path)
    records: dict[str, tuple[R, str]] = {}
    broken: list[tuple[str, dict[str, Any]]] = []
    if not path.is_file():  # a FIFO or a device is never opened
        col.add(file, _shown(path.stem), "", "is not a regular file, so it is not read")
        return records, broken
    try:
        lines = path.open("rb")
    except OSError as exc:
        col.add(file, _shown(path.stem), "", f"cannot be read: {exc.strerror or exc}")
        return records, broken
    with lines:
        for number, raw in enumerate(lines, start=1):
            where = f"{file}:{number}"
            if len(raw) > MAX_FILE_BYTES:
                message = f"is {len(raw)} bytes; a record holds at most {MAX_FILE_BYTES}"
                col.add(where, f"line {number}", "", message, "no record needs that much text")
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                col.add(where, f"line {number}", "", "is not UTF-8", "save the file as UTF-8")
                continue
            if not text.strip():
                continue
            try:
                data = parse_line(text)
            except _LineError as exc:
                col.add(where, f"line {number}", "", str(exc))
                continue
            slug = data.pop("slug", None)
            if not isinstance(slug, str) or not SLUG_PATTERN.fullmatch(slug):
                hint = "give the record its slug: lower-case letters, digits, '-' and '.'"
                shown = f" (got {_shown(repr(slug))})" if slug is not None else ""
                col.add(where, f"line {number}", "slug", f"is missing or not a slug{shown}", hint)
                continue
            if slug in taken:
                message = "is the slug of a record read before (a YAML file or an earlier line)"
                col.add(where, slug, "slug", message, "give each record one slug, in one place")
                continue
            taken.add(slug)
            record = col.validate(cls, data, where, slug)
            if record is None:
                broken.append((slug, data))
            else:
                records[slug] = (record, where)
    return records, broken


def bulk_records(path: Path) -> list[dict[str, Any]]:
    """The records of a JSON Lines file that can be read, problems left to the loader."""
    records: list[dict[str, Any]] = []
    try:
        lines = path.open("rb") if path.is_file() else None
    except OSError:
        lines = None  # the loader reports it
    if lines is None:
        return records
    with lines:
        for raw in lines:
            try:
                records.append(parse_line(raw.decode("utf-8")))
            except (_LineError, UnicodeDecodeError):
                continue
    return records
