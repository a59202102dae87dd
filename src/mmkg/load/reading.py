"""Reading data files: YAML and CSV, with every problem collected, not raised."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from mmkg.errors import Problem
from mmkg.load.facts import closest

R = TypeVar("R", bound=BaseModel)


class _Collector:
    """Collects problems so one run reports all of them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def rel(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.root.resolve().parent))
        except ValueError:
            return str(path)

    def add(self, file: str, record: str, fld: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(file, record, fld, message, hint))

    def read_yaml(self, path: Path, record: str) -> Any:
        file = self.rel(path)
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            self.add(
                file, record, "", f"is not UTF-8 text (byte {exc.start})", "save the file as UTF-8"
            )
            return None
        if not text.strip():
            self.add(file, record, "", "is empty", "write the record's fields or delete the file")
            return None
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            self.add(file, record, "", f"is not valid YAML{where}: {problem}")
            return None

    def validate(self, cls: type[R], data: Any, file: str, record: str) -> R | None:
        if not isinstance(data, dict):
            self.add(file, record, "", f"must be a mapping of fields, not {type(data).__name__}")
            return None
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            known = list(cls.model_fields)
            for err in exc.errors():
                loc = ".".join(str(p) for p in err["loc"])
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
                        message += f" (got {err['input']!r})"
                self.add(file, record, loc, message, hint)
            return None


def _load_dir(col: _Collector, folder: Path, cls: type[R]) -> dict[str, tuple[R, str]]:
    out: dict[str, tuple[R, str]] = {}
    if not folder.is_dir():
        return out
    for path in sorted(folder.iterdir()):
        if path.suffix not in {".yaml", ".yml"}:
            continue
        slug = path.stem
        file = col.rel(path)
        if not re.match(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$", slug):
            col.add(
                file,
                slug,
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
    if data is None:
        return out
    if not isinstance(data, list):
        col.add(file, path.stem, "", "must be a list of entries")
        return out
    for i, entry in enumerate(data):
        name = entry.get("slug", f"entry {i + 1}") if isinstance(entry, dict) else f"entry {i + 1}"
        record = col.validate(cls, entry, file, str(name))
        if record is None:
            continue
        slug = record.slug  # type: ignore[attr-defined]
        if slug in out:
            col.add(file, slug, "slug", "is used by two entries", "give each entry its own slug")
        out[slug] = record
    return out


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
