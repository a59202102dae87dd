"""Reading data files: YAML and CSV, with every problem collected, not raised.

Only regular files are read (never a FIFO or a device, which would block or never end): a
record file of at most :data:`MAX_FILE_BYTES`, a table line by line, each line of at most
that size (a table of results may hold millions of rows). YAML goes through the strict
data-file reader of :mod:`mmkg.safe_yaml`; a folder of records holds one ``<slug>.yaml`` per
record; and the survey's CSV tables must have their known columns and rows of the header's
width.
"""

from __future__ import annotations

import csv
import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from mmkg.errors import DataError, Problem
from mmkg.field_rules import SLUG_PATTERN
from mmkg.load.facts import closest
from mmkg.safe_yaml import load_data_yaml

R = TypeVar("R", bound=BaseModel)

#: The largest data file read. The largest real one (data/curation/transformers-submodels.yaml)
#: has 52 KB and the largest survey table 28 KB, so 1 MB is twenty times more, and it bounds
#: the work a hostile file can cause. A table (CSV) is read line by line: each line at most this.
MAX_FILE_BYTES = 1_000_000
#: A record folder's files end in this, and only this: a second extension would let a stale
#: llava.yml stand beside llava.yaml, one of them silently ignored or replacing the other.
RECORD_SUFFIX = ".yaml"
#: The columns of each survey table (data/external/survey/SOURCE.md), in order.
SURVEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "it_datasets.csv": (
        "dataset",
        "citation",
        "type",
        "io_modalities",
        "source",
        "method",
        "multi_turn",
        "num_images_videos_audios",
        "dialog_turns",
        "num_instances",
        "notes",
    ),
    "lineage_statements.csv": ("from_model", "to_model", "relation", "section", "locator"),
    "pt_datasets.csv": (
        "dataset",
        "citation",
        "x_modality",
        "num_x",
        "num_text",
        "num_x_text_pairs",
        "notes",
    ),
    "recipes.csv": ("recipe", "evidence_models_or_results", "section", "notes"),
    "table1_v5.csv": (
        "row",
        "model",
        "io_modalities",
        "modality_encoder",
        "input_projector",
        "llm_backbone",
        "output_projector",
        "modality_generator",
        "num_pt",
        "num_it",
        "notes",
    ),
    "table2.csv": ("model", "llm_backbone", "benchmark", "score", "flag", "source"),
    "taxonomy.csv": (
        "model",
        "category_path",
        "functional_division",
        "io_category",
        "output_tag",
        "design_division",
        "citation_as_printed",
        "notes",
    ),
    "timeline.csv": ("model", "period", "printed_label", "printed_name", "confidence", "notes"),
}
#: Columns that hold a number, per table: a plain decimal, so float() of it is finite and
#: exact ("nan", "Infinity", "1e2" and "4_4.7" are all numbers to float()).
SURVEY_NUMBERS: dict[str, frozenset[str]] = {"table2.csv": frozenset({"score"})}
PLAIN_DECIMAL = re.compile(r"-?[0-9]{1,7}(?:\.[0-9]{1,6})?")
_FILE_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class _Unreadable:
    """What read_yaml returns for a file it has reported: validate reports nothing more."""

    def __repr__(self) -> str:
        return "UNREADABLE"


UNREADABLE: Any = _Unreadable()


def _kind_of(value: object) -> str:
    if value is None:
        return "an empty document (null)"
    names = {list: "a list", str: "a text", bool: "a boolean", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)


def _shown(text: str, limit: int = 80) -> str:
    """*text* for a message: invisible characters escaped, long text cut."""
    escaped = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)
    return escaped if len(escaped) <= limit else escaped[: limit - 1] + "…"


class _Collector:
    """Collects problems so one run reports all of them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def rel(self, path: Path) -> str:
        """*path* relative to the data folder's parent, invisible characters escaped."""
        try:
            text = str(path.absolute().relative_to(self.root.absolute().parent))
        except ValueError:
            try:
                text = str(path.resolve().relative_to(self.root.resolve().parent))
            except ValueError:
                text = str(path)
        return _shown(text, limit=1000)

    def add(self, file: str, record: str, fld: str, message: str, hint: str = "") -> None:
        """Record one problem of one field of one record."""
        self.problems.append(Problem(file, record, fld, message, hint))

    def _regular_file(self, path: Path, record: str) -> os.stat_result | None:
        """The status of *path* if it is a regular file (after links); None once reported."""
        file = self.rel(path)
        try:
            info = os.stat(path)  # follows a link: what counts is what it points to
        except FileNotFoundError:
            link = path.is_symlink()
            message = "is a link to a file that does not exist" if link else "does not exist"
            self.add(file, record, "", message)
            return None
        except OSError as exc:
            self.add(file, record, "", f"cannot be read: {exc.strerror}")
            return None
        if not stat.S_ISREG(info.st_mode):
            kind = next((k for test, k in _FILE_KINDS if test(info.st_mode)), "not a file")
            self.add(
                file,
                record,
                "",
                f"is not a regular file ({kind}), so it is not read",
                "data files are plain files: replace it by one, or remove it",
            )
            return None
        return info

    def _open_regular(self, path: Path, record: str) -> BinaryIO | None:
        """*path* opened for reading if it is still a regular file; None once reported."""
        file = self.rel(path)
        try:
            # O_NONBLOCK: should the file have been swapped for a FIFO since stat, opening
            # it does not block; fstat then refuses it.
            flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
            fd = os.open(path, flags)
        except OSError as exc:
            self.add(file, record, "", f"cannot be read: {exc.strerror}")
            return None
        handle = os.fdopen(fd, "rb")
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            handle.close()
            self.add(file, record, "", "is not a regular file, so it is not read")
            return None
        return handle

    def read_bytes(self, path: Path, record: str) -> bytes | None:
        """The bytes of a regular file of at most MAX_FILE_BYTES; None once reported."""
        file = self.rel(path)
        info = self._regular_file(path, record)
        if info is None:
            return None
        if info.st_size > MAX_FILE_BYTES:
            return self._too_large(file, record, info.st_size)
        handle = self._open_regular(path, record)
        if handle is None:
            return None
        with handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            return self._too_large(file, record, len(data))
        return data

    def _too_large(self, file: str, record: str, size: int) -> None:
        self.add(
            file,
            record,
            "",
            f"is {size} bytes; a data file holds at most {MAX_FILE_BYTES}",
            "split it: no record needs that much text",
        )

    def read_text(self, path: Path, record: str) -> str | None:
        """The UTF-8 text of a regular file; None once a problem is reported."""
        data = self.read_bytes(path, record)
        if data is None:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            self.add(
                self.rel(path),
                record,
                "",
                f"is not UTF-8 text (byte {exc.start}, line {line})",
                "save the file as UTF-8",
            )
            return None

    def read_yaml(self, path: Path, record: str) -> Any:  # noqa: ANN401 - any YAML value
        """The YAML document of *path*, or UNREADABLE once its problem is reported."""
        file = self.rel(path)
        text = self.read_text(path, record)
        if text is None:
            return UNREADABLE
        if not text.strip():
            self.add(file, record, "", "is empty", "write the record's fields or delete the file")
            return UNREADABLE
        try:
            return load_data_yaml(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            self.add(
                file, record, "", f"is not valid YAML{where}: {problem}", getattr(exc, "hint", "")
            )
            return UNREADABLE

    def validate(self, cls: type[R], data: Any, file: str, record: str) -> R | None:  # noqa: ANN401
        """*data* as a *cls* record, or None once its problems are reported."""
        if data is UNREADABLE:
            return None  # read_yaml has said why
        if not isinstance(data, dict):
            self.add(file, record, "", f"must be a mapping of fields, not {_kind_of(data)}")
            return None
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            known = list(cls.model_fields)
            for err in exc.errors():
                loc = ".".join(_shown(str(p)) for p in err["loc"])
                hint = ""
                if err["type"] == "extra_forbidden":
                    near = closest(str(err["loc"][-1]), known)
                    message = "is not a known field"
                    hint = (
                        f"did you mean '{near}'?" if near else f"known fields: {', '.join(known)}"
                    )
                elif err["type"] == "missing":
                    message = "is required but missing"
                else:
                    message = err["msg"].removeprefix("Value error, ")
                    if "input" in err and err["type"] not in {"value_error"}:
                        message += f" (got {_shown(repr(err['input']))})"
                self.add(file, record, loc, message, hint)
            return None

    def read_csv(self, path: Path) -> list[dict[str, str]]:
        """The rows of a survey table, as dicts by column; rows with a problem are left out."""
        return [row for _, row in self.read_csv_lines(path)]

    def read_csv_lines(self, path: Path) -> list[tuple[int, dict[str, str]]]:
        """The rows of a survey table with the line each ends on, read line by line.

        Rows with a problem are left out; a line that is not UTF-8, longer than
        MAX_FILE_BYTES or not CSV leaves the whole table out (its problem is reported).
        """
        file = self.rel(path)
        if self._regular_file(path, path.stem) is None:
            return []
        handle = self._open_regular(path, path.stem)
        if handle is None:
            return []
        expected = SURVEY_COLUMNS.get(path.name)
        numbers = SURVEY_NUMBERS.get(path.name, frozenset())
        with handle:
            reader = csv.reader(_text_lines(handle))
            try:
                header = next(reader, None)
                if header is None:
                    self.add(file, path.stem, "", "is empty", "write the table's header and rows")
                    return []
                if not self._check_header(file, header, expected, path.name):
                    return []
                rows: list[tuple[int, dict[str, str]]] = []
                for cells in reader:
                    line = reader.line_num
                    if not cells:
                        continue  # a blank line
                    row = self._check_row(file, f"line {line}", header, cells, numbers)
                    if row is not None:
                        rows.append((line, row))
            except _TableLineError as problem:
                self.add(file, f"line {problem.line}", "", problem.message, problem.hint)
                return []
            except csv.Error as exc:
                self.add(file, f"line {reader.line_num}", "", f"is not a valid CSV row: {exc}")
                return []
        return rows

    def _check_header(
        self, file: str, header: list[str], expected: tuple[str, ...] | None, name: str
    ) -> bool:
        columns = list(expected) if expected else header
        good = True
        for column in header:
            if column not in columns or header.count(column) > 1:
                near = closest(column, columns)
                self.add(
                    file,
                    "line 1",
                    _shown(column),
                    f"is not a column of {name}" if column not in columns else "is given twice",
                    f"did you mean '{near}'?" if near else f"columns: {', '.join(columns)}",
                )
                good = False
        for column in columns:
            if column not in header:
                self.add(file, "line 1", column, "the column is missing from the header")
                good = False
        if good and expected and header != list(expected):
            self.add(
                file,
                "line 1",
                "",
                "has its columns in another order than the survey's table",
                f"columns: {', '.join(expected)}",
            )
            good = False
        return good

    def _check_row(
        self, file: str, record: str, header: list[str], cells: list[str], numbers: frozenset
    ) -> dict[str, str] | None:
        if len(cells) != len(header):
            missing = header[len(cells)] if len(cells) < len(header) else ""
            self.add(
                file,
                record,
                missing,
                f"has {len(cells)} cells; the header has {len(header)}",
                "give every row one cell per column (an empty cell is written ',,')",
            )
            return None
        row = dict(zip(header, cells, strict=True))
        good = True
        for column, cell in row.items():
            problem = _cell_problem(cell, column in numbers)
            if problem:
                self.add(file, record, column, problem)
                good = False
        return row if good else None


def _cell_problem(cell: str, number: bool) -> str:
    if number and not PLAIN_DECIMAL.fullmatch(cell):
        return f"'{_shown(cell)}' is not a plain decimal number such as 44.7"
    for char in cell:
        category = unicodedata.category(char)
        if (category[0] == "C" and char != "\n") or category in ("Zl", "Zp"):
            name = unicodedata.name(char, "")
            shown = f"U+{ord(char):04X}" + (f" {name}" if name else "")
            return f"contains {shown}, an invisible or control character (delete it)"
    if not unicodedata.is_normalized("NFC", cell):
        return "is not in Unicode NFC form; save the table NFC-normalised"
    return ""


def _load_dir(col: _Collector, folder: Path, cls: type[R]) -> dict[str, tuple[R, str]]:
    out: dict[str, tuple[R, str]] = {}
    if not folder.is_dir():
        return out
    paths = sorted(folder.iterdir())
    names = {p.name for p in paths}
    for path in paths:
        slug = path.stem
        file = col.rel(path)
        if path.suffix == ".jsonl":
            continue  # records in JSON Lines: mmkg.load.bulk reads them
        if path.suffix != RECORD_SUFFIX:
            if path.suffix.lower() in {".yaml", ".yml"}:
                record_file = slug + RECORD_SUFFIX
                if record_file in names:
                    col.add(
                        file,
                        _shown(slug),
                        "",
                        f"is a second file for record '{_shown(slug)}' beside "
                        f"{col.rel(folder / record_file)}, and is not read",
                        "delete the stale file, or merge what it adds into the .yaml file",
                    )
                else:
                    col.add(
                        file,
                        _shown(slug),
                        "",
                        f"has the extension '{_shown(path.suffix)}'; record files end in "
                        f"'{RECORD_SUFFIX}', so it is not read",
                        f"rename it to {_shown(record_file)}",
                    )
            continue
        if not SLUG_PATTERN.fullmatch(slug):
            col.add(
                file,
                _shown(slug),
                "",
                "the file name is not a valid slug",
                "rename it with lower-case letters, digits, '-' and '.'",
            )
            continue
        record = col.validate(cls, col.read_yaml(path, slug), file, slug)
        if record is not None:
            out[slug] = (record, file)
    return out


def _load_list(col: _Collector, path: Path, cls: type[R]) -> dict[str, R]:
    out: dict[str, R] = {}
    file = col.rel(path)
    data = col.read_yaml(path, path.stem)
    if data is UNREADABLE:
        return out
    if not isinstance(data, list):
        col.add(file, path.stem, "", f"must be a list of entries, not {_kind_of(data)}")
        return out
    for i, entry in enumerate(data):
        name = entry.get("slug", f"entry {i + 1}") if isinstance(entry, dict) else f"entry {i + 1}"
        record = col.validate(cls, entry, file, _shown(str(name)))
        if record is None:
            continue
        slug = record.slug  # type: ignore[attr-defined]
        if slug in out:
            col.add(file, slug, "slug", "is used by two entries", "give each entry its own slug")
        out[slug] = record
    return out


class _TableLineError(Exception):
    """A line of a table that cannot be read at all."""

    def __init__(self, line: int, message: str, hint: str) -> None:
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


def _text_lines(handle: BinaryIO) -> Iterator[str]:
    """The lines of *handle* as text, each checked: UTF-8, at most MAX_FILE_BYTES."""
    for number, raw in enumerate(iter(lambda: handle.readline(MAX_FILE_BYTES + 1), b""), 1):
        if len(raw) > MAX_FILE_BYTES:
            message = f"is longer than {MAX_FILE_BYTES} bytes, the most a line of a table holds"
            raise _TableLineError(number, message, "no row needs that much text")
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            message = f"is not UTF-8 text (byte {exc.start + 1} of the line)"
            raise _TableLineError(number, message, "save the file as UTF-8") from exc


def _read_csv(path: Path, col: _Collector | None = None) -> list[dict[str, str]]:
    """The checked rows of a survey table; without a collector, problems raise DataError."""
    if col is not None:
        return col.read_csv(path)
    own = _Collector(path.parent.parent.parent)  # data/external/survey/x.csv -> data/
    rows = own.read_csv(path)
    if own.problems:
        raise DataError(own.problems)
    return rows
