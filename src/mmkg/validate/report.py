"""What a validation finds: findings with severities, the steps that ran, one report.

>>> finding = Finding("error", "robot:missing_label", "https://w3id.org/mmkg/id/model/x",
...                   "http://www.w3.org/2000/01/rdf-schema#label", "has no rdfs:label")
>>> str(finding)
'error [robot:missing_label] model/x rdfs:label: has no rdfs:label'
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH

from mmkg.namespaces import DATA, PROV, SKOS, TERMS

__all__ = ["SEVERITIES", "Finding", "Report", "Severity", "Step", "short_iri"]

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
_PREFIXES = [
    (DATA, ""),
    (TERMS, "mmkg:"),
    (str(RDFS), "rdfs:"),
    (str(RDF), "rdf:"),
    (str(OWL), "owl:"),
    (str(SKOS), "skos:"),
    (str(DCTERMS), "dcterms:"),
    (str(PROV), "prov:"),
    (str(SH), "sh:"),
]


def short_iri(iri: str) -> str:
    """*iri* with a known namespace written as its prefix, a data IRI as kind/slug."""
    for long, prefix in _PREFIXES:
        if iri.startswith(long):
            return prefix + iri[len(long) :]
    return iri


@dataclass(frozen=True)
class Finding:
    """One result of one check: what is wrong with which entity, and how bad it is."""

    severity: Severity
    check: str
    entity: str
    property: str
    message: str
    file: str | None = None

    def __post_init__(self) -> None:
        for name in ("entity", "property"):  # IRIs arrive as rdflib terms; keep plain text
            object.__setattr__(self, name, str(getattr(self, name)))

    def __str__(self) -> str:
        where = " ".join(
            part for part in (short_iri(self.entity), short_iri(self.property)) if part
        )
        text = f"{self.severity} [{self.check}] {where}: {self.message}"
        return text + (f" ({self.file})" if self.file else "")


@dataclass
class Step:
    """One step of a validation: whether it ran, how long it took, or why it did not run."""

    name: str
    ran: bool
    seconds: float = 0.0
    note: str = ""


@dataclass
class Report:
    """Every finding of one validation run, and the steps that ran."""

    findings: list[Finding] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        """The findings of severity error; any one fails the validation."""
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        """The findings of severity warning; reported, never failing."""
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def counts(self) -> dict[str, int]:
        """The number of findings per severity."""
        return {s: sum(1 for f in self.findings if f.severity == s) for s in SEVERITIES}

    def as_text(self) -> str:
        """The report as plain text: counts first, then the findings grouped by severity."""
        counts = self.counts
        names = {"error": "error(s)", "warning": "warning(s)", "info": "info"}
        lines = ["mmkg validate: " + ", ".join(f"{counts[s]} {names[s]}" for s in SEVERITIES)]
        for step in self.steps:
            status = f"{step.seconds:.2f} s" if step.ran else f"not run ({step.note})"
            lines.append(f"  {step.name}: {status}")
        for severity in SEVERITIES:
            group = [f for f in self.findings if f.severity == severity]
            if group:
                lines.append(f"\n{names[severity]} ({len(group)}):")
                lines.extend(f"  {finding}" for finding in group)
        return "\n".join(lines) + "\n"

    def as_json(self) -> dict[str, Any]:
        """The report as a JSON-ready dict: counts, steps and findings."""
        return {
            "counts": self.counts,
            "steps": [asdict(step) for step in self.steps],
            "findings": [asdict(finding) for finding in self.findings],
        }

    @contextmanager
    def step(self, name: str) -> Iterator[Step]:
        """Time one step and record it as run."""
        record = Step(name, ran=True)
        start = time.perf_counter()
        try:
            yield record
        finally:
            record.seconds = round(time.perf_counter() - start, 3)
            self.steps.append(record)

    def skip(self, names: list[str], note: str) -> None:
        """Record steps that were not run, and say so in an info finding."""
        self.steps.extend(Step(name, ran=False, note=note) for name in names)
        message = f"not run because {note}: {', '.join(names)}"
        self.findings.append(Finding("info", "validate", "", "", message))
