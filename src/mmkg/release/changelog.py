"""The changelog says what each version changed and when it was released.

The release reads its dates from here rather than from the clock, so two releases of the same
input are byte for byte the same: ``issued`` is this version's date, ``created`` the first
version's, and the prior version is the section below this one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal
from rdflib.namespace import XSD

from mmkg.errors import MmkgError, relative

__all__ = ["ReleaseError", "ReleaseDates", "changelog_entry", "release_dates"]

_HEADING = re.compile(r"^##\s+\[?v?(?P<version>\d+\.\d+\.\d+[^\]\s]*)\]?(?:\s+-\s+(?P<date>\S+))?")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ReleaseError(MmkgError):
    """A release that cannot be made: no changelog entry, a missing input, a bad ontology."""


@dataclass(frozen=True)
class ReleaseDates:
    """A version with its release date, the version before it and the first release's date."""

    version: str
    issued: str
    created: str
    prior_version: str | None = None
    prior_issued: str | None = None

    @property
    def modified(self) -> str:
        """The date of the last change: this release's."""
        return self.issued

    @staticmethod
    def literal(date: str) -> Literal:
        """A date as an ``xsd:dateTime`` at midnight UTC (``xsd:date`` is not in OWL 2)."""
        return Literal(f"{date}T00:00:00Z", datatype=XSD.dateTime)


def changelog_entry(changelog: Path, version: str) -> str:
    """Return the text of *changelog*'s section for *version*, or raise ReleaseError.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "CHANGELOG.md"
    >>> _ = path.write_text("# Changelog\\n## [1.0.0] - 2026-01-01\\n- First.\\n")
    >>> changelog_entry(path, "1.0.0")
    '- First.'
    """
    hint = f"add a section '## [{version}] - YYYY-MM-DD' that says what changed"
    try:
        lines = changelog.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ReleaseError(
            f"{relative(changelog)}: cannot read the changelog ({exc.strerror}) (hint: {hint})"
        ) from exc
    body: list[str] | None = None
    for line in lines:
        heading = _HEADING.match(line) if line.startswith("## ") else None
        if body is not None and line.startswith("## "):
            break
        if heading and heading["version"] == version:
            body = []
        elif body is not None:
            body.append(line)
    text = "\n".join(body or []).strip()
    if body is None or not text:
        what = "has no entry" if body is None else "has an empty entry"
        raise ReleaseError(
            f"{relative(changelog)} {what} for version {version}, the version being released "
            f"(hint: {hint})"
        )
    return text


def release_dates(changelog: Path, version: str) -> ReleaseDates:
    """The dates the changelog gives *version* and the versions before it, or ReleaseError.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "CHANGELOG.md"
    >>> _ = path.write_text("## [1.1.0] - 2026-02-01\\n- B.\\n## [1.0.0] - 2026-01-01\\n- A.\\n")
    >>> release_dates(path, "1.1.0")
    ReleaseDates(version='1.1.0', issued='2026-02-01', created='2026-01-01', \
prior_version='1.0.0', prior_issued='2026-01-01')
    """
    changelog_entry(changelog, version)
    headings = [
        (m["version"], m["date"] or "")
        for line in changelog.read_text(encoding="utf-8").splitlines()
        if line.startswith("## ") and (m := _HEADING.match(line))
    ]
    versions = [v for v, _ in headings]
    position = versions.index(version)
    bad = [(v, d) for v, d in headings[position:] if not _DATE.match(d)]
    if bad:
        v, d = bad[0]
        raise ReleaseError(
            f"{relative(changelog)}: the section for version {v} has "
            f"{'the date ' + repr(d) if d else 'no date'} (hint: write its heading as "
            f"'## [{v}] - YYYY-MM-DD', the day it was released)"
        )
    prior = headings[position + 1] if position + 1 < len(headings) else None
    return ReleaseDates(
        version=version,
        issued=headings[position][1],
        created=headings[-1][1],
        prior_version=prior[0] if prior else None,
        prior_issued=prior[1] if prior else None,
    )
