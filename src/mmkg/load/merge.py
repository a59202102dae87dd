"""Where sources meet: one value per field, and a recorded decision wherever they disagree.

Every source of a model (the website post, the survey, each of the record's own
statements) offers a :class:`~mmkg.load.facts.Claim` per field. Claims that agree are
merged, with all their places kept as the field's provenance; claims that disagree stop
the build until the record names, in ``decisions``, which source's value is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mmkg.load.facts import Claim, ModelFacts, Paper, Usage

if TYPE_CHECKING:
    from mmkg.load.base import LoaderBase

__all__ = ["FieldMerger", "same_date", "same_paper", "same_set", "same_usages", "show"]

ORIGIN_NAMES = {"site": "the website", "survey": "the survey"}


def _origin(origin: str) -> str:
    return ORIGIN_NAMES.get(origin, f"source '{origin}'")


class FieldMerger:
    """Chooses one value per field of one model and records where it comes from."""

    def __init__(self, loader: LoaderBase, facts: ModelFacts, file: str, record: str) -> None:
        self.loader, self.facts, self.file, self.record = loader, facts, file, record
        self.decisions = {d.field: d for d in facts.record.decisions}
        self.used: set[str] = set()

    def _problem(self, fld: str, message: str, hint: str = "") -> None:
        key = fld.removeprefix("decisions (").removesuffix(")")
        if {(self.record, key), (self.record, "*")} & self.loader.tainted:
            return  # a source's value was read incompletely, and that is reported already
        self.loader.col.add(self.file, self.record, fld, message, hint)

    def choose(self, fld: str, claims: list[Claim], same: Callable[[Any, Any], bool]) -> Any:
        """The value kept for *fld*; its sources go to ``facts.provenance[fld]``."""
        claims = [c for c in claims if c.value is not None]
        decision = self.decisions.get(fld)
        if decision is not None:
            self.used.add(fld)
        if not claims:
            if decision is not None:
                self._problem(
                    f"decisions ({fld})",
                    "a decision is recorded but no source gives a value",
                    "remove the decision",
                )
            return None
        first = claims[0]
        if all(same(first.value, c.value) for c in claims[1:]):
            if decision is not None:
                message = (
                    "a decision is recorded but only one source gives a value"
                    if len({c.origin for c in claims}) == 1
                    else "a decision is recorded but the sources agree"
                )
                self._problem(f"decisions ({fld})", message, "remove the decision")
            self._keep(fld, claims)
            return first.value
        origins = list(dict.fromkeys(c.origin for c in claims))
        if decision is None:
            other = next(c for c in claims if not same(first.value, c.value))
            self._problem(
                fld,
                f"{_origin(first.origin)} says {show(first.value)} but "
                f"{_origin(other.origin)} says {show(other.value)}",
                "add a decision {field: " + fld + ", use: " + "|".join(origins) + ", reason: ...}",
            )
            self._keep(fld, [first])
            return first.value
        chosen = next((c for c in claims if c.origin == decision.use), None)
        if chosen is None:
            self._problem(
                f"decisions ({fld})",
                f"the decision uses '{decision.use}', which gives no value here",
                f"use one of: {', '.join(origins)}",
            )
            return first.value
        self.facts.notes.append(f"{fld}: the {decision.use} value is kept ({decision.reason})")
        self._keep(fld, [c for c in claims if same(chosen.value, c.value)])
        return chosen.value

    def _keep(self, fld: str, claims: list[Claim]) -> None:
        refs = [r for c in claims for r in c.refs]
        self.facts.provenance[fld] = list(dict.fromkeys(refs))

    def report_unused(self) -> None:
        """Report decisions for fields that no source offered a value for."""
        for fld in self.decisions:
            if fld not in self.used:
                self._problem(
                    f"decisions ({fld})",
                    "a decision is recorded but the sources do not disagree here",
                    "remove the decision",
                )


def same_date(a: tuple, b: tuple) -> bool:
    """Two release dates agree on the day (or on the month where one gives only a month)."""
    (da, pa), (db, pb) = a, b
    if "month" in (pa, pb):
        return (da.year, da.month) == (db.year, db.month)
    return da.date() == db.date()


def same_paper(a: Paper, b: Paper) -> bool:
    """Two papers are the same when their arXiv ids, or else their URLs, are."""
    if a.arxiv_id and b.arxiv_id:
        return a.arxiv_id == b.arxiv_id
    return a.url.rstrip("/") == b.url.rstrip("/")


def same_set(a: list, b: list) -> bool:
    """Two lists name the same things, in any order."""
    return set(a) == set(b)


def same_usages(a: list[Usage], b: list[Usage]) -> bool:
    """Two architecture cells name the same components, resolutions and modalities."""

    def key(usages: list[Usage]) -> set[tuple]:
        return {(u.component, u.resolution, frozenset(u.modalities)) for u in usages}

    return key(a) == key(b)


def show(value: Any) -> str:
    """A value as a message shows it."""
    if isinstance(value, tuple) and len(value) == 2 and hasattr(value[0], "isoformat"):
        date, precision = value
        return repr(date.strftime("%Y-%m" if precision == "month" else "%Y-%m-%d"))
    if isinstance(value, Paper):
        return repr(value.arxiv_id or value.url)
    if isinstance(value, list):
        if value and isinstance(value[0], Usage):
            parts = []
            for u in value:
                text = u.component
                if u.modalities:
                    text = "/".join(u.modalities) + ": " + text
                if u.resolution:
                    text += f"@{u.resolution}"
                parts.append(text)
            return "[" + ", ".join(parts) + "]"
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:g}"
    return repr(value)
