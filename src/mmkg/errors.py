"""Typed errors: every message names the file, the record and the field, and a fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Problem:
    """One thing wrong with one field of one record in one file."""

    file: str
    record: str
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.file}: record '{self.record}'"
        if self.field:
            where += f", field '{self.field}'"
        text = f"{where}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


class MmkgError(Exception):
    """Base class of every error the package raises on purpose."""


@dataclass
class DataError(MmkgError):
    """One or more problems found in the data files."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [str(p) for p in self.problems]
        head = f"{len(self.problems)} problem(s) in the data:" if len(lines) > 1 else ""
        return "\n".join([head, *lines] if head else lines)


class SiteImportError(MmkgError):
    """A website post that cannot be read into the raw layer."""


class OutputError(MmkgError):
    """An output folder or file that mmkg may not write where asked."""


def relative(path: Path, root: Path | None = None) -> str:
    """Return *path* relative to *root* (or the working directory) for messages."""
    for base in (root, Path.cwd()):
        if base is None:
            continue
        try:
            return str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            continue
    return str(path)
