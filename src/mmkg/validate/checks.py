"""The check queries of ``queries/checks/`` and the survey's division against the classes."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF

from mmkg.namespaces import DATA, TERMS
from mmkg.queries import QueryError, parse_query_text, run_query
from mmkg.validate.report import Finding

__all__ = ["division_findings", "query_findings"]


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
