"""Record checks, SHACL shapes, check queries and an ontology report -> one report of findings.

:func:`validate` runs, in order: the record checks of :func:`mmkg.load.load_facts`; the
graph build; the SHACL shapes of ``ontology/shapes.ttl`` (:mod:`~mmkg.validate.shacl`); every
``queries/checks/*-violation.rq`` (Oxigraph, :mod:`~mmkg.validate.checks`); and checks in the
style of ROBOT's ``report`` (its default profile) over the ontology's terms and the graph's
individuals (:mod:`~mmkg.validate.robot`). It only reads: nothing is written, ``build/``
least of all.

:func:`run_checks` is that one set of checks, and ``mmkg build`` runs it too
(:func:`checked_build`) on the graph it is about to write, so a build never writes what
validation rejects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from mmkg.build import build_graph, build_store, parse_turtle
from mmkg.build.sinks import store_of
from mmkg.errors import DataError, MmkgError
from mmkg.load import Facts, load_facts
from mmkg.namespaces import DATA
from mmkg.paths import DATA_DIR, ONTOLOGY_FILE, QUERIES_DIR
from mmkg.validate.checks import division_findings, query_findings
from mmkg.validate.report import SEVERITIES, Finding, Report, Step
from mmkg.validate.robot import IAO_DEFINITION, ontology_findings
from mmkg.validate.shacl import SHAPES_FILE, shacl_findings, shacl_store_findings

__all__ = [
    "Finding",
    "Step",
    "Report",
    "Checked",
    "GraphCheckError",
    "validate",
    "run_checks",
    "checked_build",
    "checked_store",
    "check_store",
    "division_findings",
    "check_graph",
    "shacl_findings",
    "shacl_store_findings",
    "query_findings",
    "ontology_findings",
    "parse_turtle",
    "IAO_DEFINITION",
    "SHAPES_FILE",
    "SEVERITIES",
]


# --- the whole run -------------------------------------------------------------------


def check_graph(
    graph: Graph,
    ontology: Path = ONTOLOGY_FILE,
    shapes: Path = SHAPES_FILE,
    queries_dir: Path = QUERIES_DIR,
    report: Report | None = None,
) -> Report:
    """Run SHACL, the check queries and the ontology report on an rdflib graph.

    The graph is copied into an Oxigraph store, as its N-Triples file holds it (typed
    literals with their lexical values, as every reader of build/ sees them), and checked
    there by :func:`check_store`.
    """
    return check_store(store_of(graph), ontology, shapes, queries_dir, report)


def check_store(
    store: ox.Store,
    ontology: Path = ONTOLOGY_FILE,
    shapes: Path = SHAPES_FILE,
    queries_dir: Path = QUERIES_DIR,
    report: Report | None = None,
) -> Report:
    """Run SHACL, the check queries and the ontology report on the graph in *store*.

    SHACL runs in pyshacl-turbo and the check queries and the ontology report's in Oxigraph,
    on the store itself; the division check reads it through oxrdflib's rdflib view.
    """
    from oxrdflib import OxigraphStore
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    report = report if report is not None else Report()
    try:
        ontology_graph = parse_turtle(ontology, "ontology")
    except MmkgError as error:
        report.findings.append(Finding("error", "ontology", "", "", str(error), str(ontology)))
        report.skip(["shacl", "queries", "robot"], "the ontology cannot be read")
        return report
    # the store's default graph, where the build puts the triples (not a graph of its own)
    published = Graph(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)
    try:
        shapes_graph = parse_turtle(shapes, "SHACL shapes")
    except MmkgError as error:
        report.findings.append(Finding("error", "shacl", "", "", str(error), str(shapes)))
        report.skip(["shacl"], "the shapes cannot be read")
    else:
        with report.step("shacl"):
            report.findings += shacl_store_findings(store, shapes_graph)
    with report.step("queries"):
        report.findings += query_findings(store, queries_dir)
        report.findings += division_findings(published, ontology_graph)
    with report.step("robot"):
        report.findings += ontology_findings(ontology_graph, store, ontology)
    return report


@dataclass
class Checked:
    """What the checks found, and what they built: the graph, or the error that stopped them."""

    report: Report
    graph: Graph | None = None
    #: the graph in an Oxigraph store, when the checks built it there (``mmkg build``)
    store: ox.Store | None = None
    counts: dict[str, int] = field(default_factory=dict)
    error: MmkgError | None = None
    #: the data file of each record's IRI, for messages about graph findings
    files: dict[str, str] = field(default_factory=dict)


class GraphCheckError(MmkgError):
    """The graph built from the data has errors that `mmkg validate` reports."""

    def __init__(self, checked: Checked) -> None:
        super().__init__()
        self.checked = checked

    def __str__(self) -> str:
        errors = self.checked.report.errors
        lines = [
            f"{len(errors)} error(s) in the graph built from the data, as `mmkg validate` "
            "reports them; nothing was written:"
        ]
        for finding in errors:
            file = "" if finding.file else self.checked.files.get(finding.entity, "")
            lines.append(f"  {finding}" + (f" (record of {file})" if file else ""))
        return "\n".join(lines)


def _record_files(facts: Facts) -> dict[str, str]:
    """The data file of each model, variant, dataset, component, family and organisation."""
    files: dict[str, str] = {}
    for slug, model in facts.models.items():
        files[DATA + f"model/{slug}"] = model.file
        for variant in model.record.variants:
            files[DATA + f"variant/{variant.slug}"] = model.file
    for slug, dataset in facts.datasets.items():
        files[DATA + f"dataset/{slug}"] = dataset.file
    for kind, folder, slugs in (
        ("component", "components", facts.components),
        ("family", "families", facts.families),
        ("organisation", "organisations", facts.organisations),
    ):
        for slug in slugs:
            files[DATA + f"{kind}/{slug}"] = f"data/{folder}/{slug}.yaml"
    return files


def run_checks(
    data_dir: Path = DATA_DIR,
    ontology: Path = ONTOLOGY_FILE,
    shapes: Path = SHAPES_FILE,
    queries_dir: Path = QUERIES_DIR,
    *,
    in_store: bool = True,
) -> Checked:
    """The one set of checks of `mmkg validate` and `mmkg build`: records, graph, SHACL, ...

    The graph is built into an Oxigraph store (``checked.store``), or, with
    ``in_store=False``, as an rdflib graph (``checked.graph``) for the release and the reasoner.
    """
    report = Report()
    checked = Checked(report)
    facts: Facts | None = None
    with report.step("records"):
        try:
            facts = load_facts(data_dir)
        except DataError as error:
            checked.error = error
            for p in error.problems:
                message = p.message + (f" (hint: {p.hint})" if p.hint else "")
                report.findings.append(
                    Finding("error", "records", p.record, p.field, message, p.file)
                )
    if facts is None:
        report.skip(["graph", "shacl", "queries", "robot"], "the data files have errors")
        return checked
    try:
        with report.step("graph"):
            if in_store:
                checked.store, checked.counts = build_store(facts, ontology)
            else:
                checked.graph, checked.counts = build_graph(facts, ontology)
    except (MmkgError, OSError, SyntaxError, ValueError) as error:
        message = f"the graph cannot be built: {error}"
        checked.error = error if isinstance(error, MmkgError) else MmkgError(message)
        report.findings.append(Finding("error", "graph", "", "", message, str(ontology)))
        report.skip(["shacl", "queries", "robot"], "the graph cannot be built")
        return checked
    checked.files = _record_files(facts)
    del facts  # the records are in the graph now: their memory goes before SHACL needs its own
    if checked.store is not None:
        check_store(checked.store, ontology, shapes, queries_dir, report)
    elif checked.graph is not None:
        check_graph(checked.graph, ontology, shapes, queries_dir, report)
    return checked


def validate(
    data_dir: Path = DATA_DIR,
    ontology: Path = ONTOLOGY_FILE,
    shapes: Path = SHAPES_FILE,
    queries_dir: Path = QUERIES_DIR,
) -> Report:
    """Check the data files, the graph built from them and the ontology; write nothing."""
    return run_checks(data_dir, ontology, shapes, queries_dir).report


def checked_build(
    data_dir: Path,
    ontology: Path = ONTOLOGY_FILE,
    shapes: Path | None = None,
    queries_dir: Path | None = None,
) -> tuple[Graph, dict[str, int], Report]:
    """The graph of the data with its counts, after every check of `mmkg validate` passed.

    Raises the records' DataError, the graph's MmkgError, or GraphCheckError for any error the
    SHACL shapes, the check queries or the ontology report find: whatever validate rejects.
    """
    checked = run_checks(
        data_dir, ontology, shapes or SHAPES_FILE, queries_dir or QUERIES_DIR, in_store=False
    )
    if checked.error is not None:
        raise checked.error
    if checked.graph is None or checked.report.errors:
        raise GraphCheckError(checked)
    return checked.graph, checked.counts, checked.report


def checked_store(
    data_dir: Path,
    ontology: Path = ONTOLOGY_FILE,
    shapes: Path | None = None,
    queries_dir: Path | None = None,
) -> tuple[ox.Store, dict[str, int], Report]:
    """As :func:`checked_build`, with the graph built and checked in an Oxigraph store."""
    checked = run_checks(data_dir, ontology, shapes or SHAPES_FILE, queries_dir or QUERIES_DIR)
    if checked.error is not None:
        raise checked.error
    if checked.store is None or checked.report.errors:
        raise GraphCheckError(checked)
    return checked.store, checked.counts, checked.report
