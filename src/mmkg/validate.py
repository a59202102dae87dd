"""Record checks, SHACL shapes, check queries and an ontology report -> one report of findings.

:func:`validate` runs, in order: the record checks of :func:`mmkg.load.load_facts`; the
graph build; the SHACL shapes of ``ontology/shapes.ttl`` (pySHACL); every
``queries/checks/*-violation.rq`` (Oxigraph); and checks in the style of ROBOT's
``report`` (its default profile) over the ontology's terms and the graph's individuals.
It only reads: nothing is written, ``build/`` least of all.

:func:`run_checks` is that one set of checks, and ``mmkg build`` runs it too
(:func:`checked_build`) on the graph it is about to write, so a build never writes what
validation rejects.

>>> finding = Finding("error", "robot:missing_label", "https://w3id.org/mmkg/id/model/x",
...                   "http://www.w3.org/2000/01/rdf-schema#label", "has no rdfs:label")
>>> str(finding)
'error [robot:missing_label] model/x rdfs:label: has no rdfs:label'
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, XSD

from mmkg.build import build_graph, build_store, parse_turtle
from mmkg.build.sinks import store_of
from mmkg.errors import DataError, MmkgError, relative
from mmkg.load import Facts, load_facts
from mmkg.namespaces import DATA, PROV, SKOS, TERMS
from mmkg.paths import DATA_DIR, ONTOLOGY_FILE, QUERIES_DIR
from mmkg.queries import QueryError, parse_query_text, run_query

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
    "query_findings",
    "ontology_findings",
    "SHAPES_FILE",
    "SEVERITIES",
]

SHAPES_FILE = ONTOLOGY_FILE.parent / "shapes.ttl"
Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")

_SHACL_SEVERITY: dict[Any, Severity] = {SH.Violation: "error", SH.Warning: "warning"}
_SHORT = [
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
_TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
IAO_DEFINITION = URIRef("http://purl.obolibrary.org/obo/IAO_0000115")
# Annotation properties whose values must be IRIs, never literals.
_IRI_VALUED = {DCTERMS.license, DCTERMS.source, RDFS.isDefinedBy, RDFS.seeAlso, OWL.versionIRI}
_LABEL = str(RDFS.label)
_DEFINITION = str(IAO_DEFINITION)  # what ROBOT's report reads as a definition


def _short(iri: str) -> str:
    for long, prefix in _SHORT:
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
        where = " ".join(part for part in (_short(self.entity), _short(self.property)) if part)
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


# --- SHACL and check queries ------------------------------------------------------


def _parse(path: Path, what: str) -> Graph:
    return parse_turtle(path, what)


def shacl_findings(graph: Graph, shapes: Graph, ontology: Graph | None = None) -> list[Finding]:
    """Validate *graph* against the SHACL *shapes* (pySHACL, no inference); one finding each.

    The reference the checks of :func:`check_store` are tested against; it reads an rdflib
    graph in pure Python, which is fine for a graph of the survey's size.
    """
    import pyshacl

    _, results, _ = pyshacl.validate(
        graph, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True
    )
    return _shacl_report_findings(results)


def shacl_store_findings(store: ox.Store, shapes: Graph) -> list[Finding]:
    """Validate the graph in *store* against the SHACL *shapes* with pyshacl-turbo (Rust).

    The same findings as :func:`shacl_findings` (tested on the real graph and on a broken
    copy of it), in time linear in the graph and without an rdflib copy of it.
    """
    import pyshacl_turbo

    _, results, _ = pyshacl_turbo.validate(
        store, shacl_graph=_typed_strings(shapes), inference="none", advanced=True
    )
    return _shacl_report_findings(results)


def _typed_strings(shapes: Graph) -> Graph:
    """The shapes with each plain literal written "x"^^xsd:string, the same RDF 1.1 term.

    pyshacl-turbo 0.6 reads a store's strings as "x"^^xsd:string and compares them term for
    term with the shapes' values, where rdflib keeps "x" apart from "x"^^xsd:string: without
    this, ``sh:in ( "SFT" "RLHF" )`` would refuse every "SFT".
    """
    typed = Graph()
    for s, p, o in shapes:
        if isinstance(o, RdfLiteral) and o.language is None and o.datatype is None:
            o = RdfLiteral(str(o), datatype=XSD.string)
        typed.add((s, p, o))
    return typed


def _shacl_report_findings(results: Graph) -> list[Finding]:
    """One finding per sh:ValidationResult of a SHACL report graph, sorted."""
    findings = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        message = results.value(result, SH.resultMessage)
        if message is None:
            component = results.value(result, SH.sourceConstraintComponent)
            shape = results.value(result, SH.sourceShape)
            message = f"fails {_short(str(component))} of {_short(str(shape))}"
        text = str(message)
        if value is not None and value != focus:
            text += f" (value: {_short(str(value))})"
        severity = _SHACL_SEVERITY.get(results.value(result, SH.resultSeverity), "info")
        prop = str(path) if isinstance(path, URIRef) else ""
        findings.append(Finding(severity, "shacl", str(focus), prop, text))
    return sorted(findings, key=lambda f: (SEVERITIES.index(f.severity), f.entity, f.message))


def query_findings(store: ox.Store, queries_dir: Path) -> list[Finding]:
    """Run every ``checks/*-violation.rq`` on the graph in *store*; one error per row."""
    paths = sorted((queries_dir / "checks").glob("*-violation.rq"))
    if not paths:
        where = queries_dir / "checks"
        return [Finding("warning", "query", "", "", f"no check queries found in {where}")]
    findings = []
    for path in paths:
        name = f"checks/{path.stem}"
        try:
            query = parse_query_text(name, path.read_text(encoding="utf-8"), path)
            table = run_query(store, query)
        except (QueryError, OSError) as exc:
            findings.append(Finding("error", f"query:{name}", "", "", f"cannot run: {exc}"))
            continue
        for row in table.rows:
            cells = dict(zip(table.columns, row, strict=True))
            entity, prop = str(cells.get("entity") or ""), str(cells.get("property") or "")
            message = str(cells.get("value") or query.summary)
            findings.append(Finding("error", f"query:{name}", entity, prop, message))
    return findings


# --- the ontology report, after ROBOT's `report` (default profile) --------------------


def _label_checks(graph: Graph, subjects: Iterable[URIRef], file: str | None) -> Iterator[Finding]:
    """missing_label, label_whitespace, label_formatting and multiple_labels."""
    for entity in sorted(subjects):
        labels = sorted(graph.objects(entity, RDFS.label), key=str)
        if not labels:
            yield Finding("error", "robot:missing_label", entity, _LABEL, "has no rdfs:label", file)
        per_language: dict[str | None, int] = defaultdict(int)
        for label in labels:
            text = str(label)
            per_language[getattr(label, "language", None)] += 1
            if text != text.strip() or re.search(r"\s\s", text):
                message = f"the label {text!r} has leading, trailing or doubled white space"
                yield Finding("error", "robot:label_whitespace", entity, _LABEL, message, file)
            if "\n" in text or "\t" in text:
                message = f"the label {text!r} contains a line break or a tab"
                yield Finding("error", "robot:label_formatting", entity, _LABEL, message, file)
        for language, count in per_language.items():
            if count > 1:
                shown = "; ".join(repr(str(label)) for label in labels)
                message = f"has {count} labels in language '{language or 'none'}': {shown}"
                yield Finding("error", "robot:multiple_labels", entity, _LABEL, message, file)


def _duplicates(
    graph: Graph, subjects: Iterable[URIRef], prop: URIRef
) -> Iterator[tuple[URIRef, str, str]]:
    """(entity, value, others) for each value of *prop* that two of *subjects* share."""
    holders: dict[Any, set[URIRef]] = defaultdict(set)
    for entity in subjects:
        for value in graph.objects(entity, prop):
            holders[value].add(entity)
    for value, entities in sorted(holders.items(), key=lambda item: str(item[0])):
        for entity in sorted(entities):
            others = ", ".join(_short(e) for e in sorted(entities) if e != entity)
            if others:
                yield entity, str(value), others


def _term_checks(ontology: Graph, terms: set[URIRef], file: str) -> Iterator[Finding]:
    """The checks on the ontology's classes and properties."""
    deprecated = set(ontology.subjects(OWL.deprecated, RdfLiteral(True)))
    for term in sorted(terms - deprecated):
        definitions = list(ontology.objects(term, IAO_DEFINITION))
        if not definitions:
            message = "this class or property has no definition (IAO:0000115, as ROBOT reads it)"
            yield Finding("error", "robot:missing_definition", term, _DEFINITION, message, file)
        if set(definitions) != set(ontology.objects(term, SKOS.definition)):
            message = "its skos:definition and IAO:0000115 differ; give both, word for word"
            yield Finding("error", "definition_mismatch", term, _DEFINITION, message, file)
        languages = [getattr(d, "language", None) for d in definitions]
        if len(set(languages)) < len(languages):
            message = f"has {len(definitions)} definitions in one language"
            yield Finding("error", "robot:multiple_definitions", term, _DEFINITION, message, file)
        if any(str(d)[:1].islower() for d in definitions):
            message = "the definition starts with a lower-case letter"
            yield Finding("info", "robot:lowercase_definition", term, _DEFINITION, message, file)
        is_class = (term, RDF.type, OWL.Class) in ontology
        if is_class and term.startswith(TERMS) and not set(ontology.objects(term, RDFS.subClassOf)):
            if not set(ontology.objects(term, OWL.equivalentClass)):
                message = "this class has no asserted superclass"
                prop = str(RDFS.subClassOf)
                yield Finding("info", "robot:missing_superclass", term, prop, message, file)
    for entity, text, others in _duplicates(ontology, terms, RDFS.label):
        message = f"the label {text!r} is also the label of {others}"
        yield Finding("error", "robot:duplicate_label", entity, _LABEL, message, file)
    for entity, _, others in _duplicates(ontology, terms, SKOS.definition):
        message = f"the definition is also the definition of {others}"
        yield Finding("error", "robot:duplicate_definition", entity, _DEFINITION, message, file)


def _header_checks(ontology: Graph, file: str) -> Iterator[Finding]:
    """missing_ontology_title, missing_ontology_description and missing_ontology_license."""
    headers = [s for s in ontology.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef)]
    if not headers:
        message = "the ontology file declares no owl:Ontology header"
        yield Finding("error", "robot:missing_ontology_header", "", str(RDF.type), message, file)
    for header in headers:
        for name, prop in (("title", DCTERMS.title), ("description", DCTERMS.description)):
            if ontology.value(header, prop) is None:
                message = f"the ontology header has no {name} (dcterms:{name})"
                yield Finding(
                    "error", f"robot:missing_ontology_{name}", header, prop, message, file
                )
        if ontology.value(header, DCTERMS.license) is None:
            message = "the ontology header has no license (dcterms:license)"
            check = "robot:missing_ontology_license"
            yield Finding("error", check, header, str(DCTERMS.license), message, file)


def _annotation_checks(
    graph: Graph, annotations: set[URIRef], subjects: set[URIRef], file: str | None
) -> Iterator[Finding]:
    """annotation_whitespace, and literal_where_iri_expected for license, source and the like."""
    for s in sorted(subjects):
        for p, o in sorted(graph.predicate_objects(s), key=lambda po: (po[0], str(po[1]))):
            if not isinstance(o, RdfLiteral):
                continue
            if p in _IRI_VALUED:
                message = f"{_short(p)} takes an IRI, but its value is the literal {str(o)!r}"
                yield Finding("error", "robot:literal_where_iri_expected", s, p, message, file)
            elif p in annotations and p != RDFS.label and str(o) != str(o).strip():
                message = f"the value {str(o)[:60]!r} has leading or trailing white space"
                yield Finding("warning", "robot:annotation_whitespace", s, p, message, file)


def _deprecated_checks(ontology: Graph, graph: Graph, terms: set[URIRef]) -> Iterator[Finding]:
    """deprecated_class_reference and deprecated_property_reference; none if none deprecated."""
    for term in sorted(terms & set(ontology.subjects(OWL.deprecated, RdfLiteral(True)))):
        kind = "class" if (term, RDF.type, OWL.Class) in ontology else "property"
        users = {
            s
            for p in (RDF.type, RDFS.subClassOf, RDFS.subPropertyOf)
            for s in graph.subjects(p, term)
        }
        users |= {s for s, _ in graph.subject_objects(term)}
        for user in sorted(u for u in users if isinstance(u, URIRef) and u != term):
            message = f"refers to the deprecated {kind} {_short(term)}"
            yield Finding("error", f"robot:deprecated_{kind}_reference", user, term, message)


def _individual_checks(
    graph: Graph, individuals: set[URIRef], terms: set[URIRef]
) -> Iterator[Finding]:
    """The label checks on individuals, and labels an individual shares with any entity.

    ROBOT's duplicate_label is an ERROR for two entities of one file with the same label,
    whatever their types (a model and a publication both called "Yi-VL" count).
    """
    yield from _label_checks(graph, individuals, None)
    holders: dict[str, set[URIRef]] = defaultdict(set)
    for entity in individuals | terms:
        for value in graph.objects(entity, RDFS.label):
            holders[str(value)].add(entity)
    for text, entities in sorted(holders.items()):
        for entity in sorted(entities & individuals):
            others = ", ".join(_short(e) for e in sorted(entities) if e != entity)
            if others:
                message = f"the label {text!r} is also the label of {others}"
                yield Finding("error", "robot:duplicate_label", entity, _LABEL, message)


def ontology_findings(ontology: Graph, graph: Graph, ontology_file: Path) -> list[Finding]:
    """ROBOT-style report checks on the ontology's terms and header and the graph's individuals."""
    file = relative(ontology_file)
    terms = {
        s for t in _TERM_TYPES for s in ontology.subjects(RDF.type, t) if isinstance(s, URIRef)
    }
    header = set(ontology.subjects(RDF.type, OWL.Ontology))
    in_ontology = {s for s in ontology.subjects() if isinstance(s, URIRef)} | terms
    described = {s for s, p, _ in ontology if isinstance(s, URIRef) and p != RDF.type} | terms
    individuals = {
        s for s, p, _ in graph if isinstance(s, URIRef) and p != RDF.type and s not in in_ontology
    } | {s for s in graph.subjects(RDF.type, OWL.NamedIndividual) if isinstance(s, URIRef)}
    annotations = set(ontology.subjects(RDF.type, OWL.AnnotationProperty))
    return [
        *_header_checks(ontology, file),
        *_label_checks(ontology, described - header, file),
        *_term_checks(ontology, terms, file),
        *_annotation_checks(ontology, annotations, in_ontology, file),
        *_individual_checks(graph, individuals, terms),
        *_annotation_checks(graph, annotations, individuals, None),
        *_deprecated_checks(ontology, graph, terms),
    ]


# --- the survey's division against the defined classes ------------------------------------

_GENERATION = URIRef(DATA + "division/generation")


def division_findings(graph: Graph, ontology: Graph) -> list[Finding]:
    """Where the survey's "multimodal generation" division and mmkg:GenerationModel differ.

    GenerationModel is defined by the outputs (some mmkg:MediaModality: image, video or audio);
    the survey also files grounding models (boxes, masks) and others under generation. Each
    model on one side only is reported as an info finding, so the differences stay listed.
    """
    media: set[object] = set()
    for expression in ontology.objects(URIRef(TERMS + "MediaModality"), OWL.equivalentClass):
        members = ontology.value(expression, OWL.oneOf)
        if members is not None:
            media |= set(Collection(ontology, members))  # type: ignore[arg-type]
    model_class = URIRef(TERMS + "MultimodalLLM")
    findings = []
    for model in sorted(graph.subjects(RDF.type, model_class)):
        outputs = set(graph.objects(model, URIRef(TERMS + "hasOutputModality")))
        generates = bool(outputs & media)
        filed = (model, URIRef(TERMS + "hasFunctionalDivision"), _GENERATION) in graph
        if generates == filed:
            continue
        names = ", ".join(sorted(str(o).rsplit("/", 1)[-1] for o in outputs)) or "none stated"
        message = (
            f"the survey files it under multimodal generation, but it writes no image, video "
            f"or audio (outputs: {names}), so it is not a mmkg:GenerationModel"
            if filed
            else f"it writes {names} and so is a mmkg:GenerationModel, though no source files "
            "it under multimodal generation"
        )
        findings.append(
            Finding("info", "division:generation", str(model), TERMS + "hasOutputModality", message)
        )
    return findings


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

    SHACL runs in pyshacl-turbo and the queries in Oxigraph, on the store itself; the
    ontology report and the division check read it through oxrdflib's rdflib view.
    """
    from oxrdflib import OxigraphStore
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    report = report if report is not None else Report()
    try:
        ontology_graph = _parse(ontology, "ontology")
    except MmkgError as error:
        report.findings.append(Finding("error", "ontology", "", "", str(error), str(ontology)))
        report.skip(["shacl", "queries", "robot"], "the ontology cannot be read")
        return report
    # the store's default graph, where the build puts the triples (not a graph of its own)
    published = Graph(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)
    try:
        shapes_graph = _parse(shapes, "SHACL shapes")
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
        report.findings += ontology_findings(ontology_graph, published, ontology)
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
