"""What every model page shows, read for all models at once: facts, results, sources, notes.

:func:`mmkg.profiles.model_profile` reads one model in some thirty queries, two of which read
the whole graph (its name among all models, its citations among all annotations): right for
`mmkg show`, quadratic for a page per model. :func:`model_details` asks each of those
questions once for every model and gives each model the same facts, in the same order and
words, as ``model_profile`` (a test holds the two equal on the real graph).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from mmkg.queries import select
from mmkg.tables import cell_text

__all__ = ["ModelDetails", "model_details"]

# (fact, property path, how the values are read): "values" joins the values themselves,
# "labels" the labels of what the path leads to, both sorted as model_profile sorts them
FACTS: list[tuple[str, str, str]] = [
    ("project", "mmkg:projectUrl", "values"),
    ("code", "mmkg:codeUrl", "values"),
    ("organisations", "mmkg:developedBy", "labels"),
    ("functional division", "mmkg:hasFunctionalDivision", "labels"),
    ("design division", "mmkg:hasDesignDivision", "labels"),
    ("input modalities", "mmkg:hasInputModality", "labels"),
    ("output modalities", "mmkg:hasOutputModality", "labels"),
    ("survey taxonomy", "mmkg:taxonomyCategory", "values"),
    ("survey timeline", "mmkg:inTimelinePeriod", "labels"),
    ("pre-training scale", "mmkg:pretrainingScale", "values"),
    ("instruction-tuning scale", "mmkg:instructionTuningScale", "values"),
    ("released sizes", "mmkg:releasedSize", "values"),
    ("variants", "mmkg:hasVariant", "labels"),
    ("implementations", "^mmkg:implementsModel", "labels"),
]
ORDER = [
    "slug",
    "date",
    "venue",
    "paper",
    *(fact for fact, _, _ in FACTS[:-2]),
    "variants",
    "implementations",
    "library parts",
]


@dataclass
class ModelDetails:
    """One model's page facts (as ``model_profile`` words them), results, sources and notes."""

    facts: list[tuple[str, str]] = field(default_factory=list)
    #: (variant, survey column, score, training images seen, re-implemented), by variant, column
    results: list[tuple[Any, ...]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _grouped(store: ox.Store, text: str) -> dict[str, list[list[Any]]]:
    """The rows of *text* (whose first column is the model) per model, in the query's order."""
    rows: dict[str, list[list[Any]]] = defaultdict(list)
    for model, *rest in select(store, text):
        rows[model].append(rest)
    return rows


def _joined(rows: list[list[Any]]) -> str:
    return ", ".join(cell_text(r[0]) for r in rows)


def model_details(store: ox.Store, models: list[str]) -> dict[str, ModelDetails]:
    """The details of each model of *models*, in a fixed number of queries."""
    values: dict[str, dict[str, str]] = defaultdict(dict)
    for fact, path, how in FACTS:
        if how == "values":
            text = f"SELECT ?m ?v WHERE {{ ?m {path} ?v }} ORDER BY ?m ?v"
        else:
            text = f"SELECT ?m ?l WHERE {{ ?m {path} ?x . ?x rdfs:label ?l }} ORDER BY ?m ?l"
        for model, rows in _grouped(store, text).items():
            values[model][fact] = _joined(rows)
    dates = _grouped(store, "SELECT ?m ?v WHERE { ?m mmkg:releaseDate ?v } ORDER BY ?m ?v")
    months = _grouped(
        store, "SELECT ?m ?y ?mo WHERE { ?m mmkg:releaseYear ?y ; mmkg:releaseMonth ?mo }"
    )
    publications = _grouped(
        store,
        """SELECT ?m ?title ?url ?venue ?year WHERE {
        ?m mmkg:hasPublication ?p . ?p mmkg:paperUrl ?url .
        OPTIONAL { ?p dcterms:title ?title }
        OPTIONAL { ?p mmkg:publishedAt/rdfs:label ?venue }
        OPTIONAL { ?p mmkg:venueYear ?year } }""",
    )
    doubts = _grouped(
        store,
        """SELECT ?m ?c WHERE { ?a owl:annotatedSource ?m ;
            owl:annotatedProperty mmkg:inTimelinePeriod ; mmkg:readingConfidence ?c }""",
    )
    parts = _grouped(
        store,
        """SELECT DISTINCT ?m ?type ?family WHERE {
        ?impl mmkg:implementsModel ?m ; mmkg:hasSubModel+ ?sub .
        ?sub mmkg:modelType ?type ; mmkg:implementsComponent/mmkg:inFamily/rdfs:label ?family .
        } ORDER BY ?m ?type""",
    )
    results = _grouped(
        store,
        """SELECT ?m ?variant ?benchmark ?score ?seen ?re WHERE {
          ?m mmkg:hasVariant ?v . ?v rdfs:label ?variant .
          ?r mmkg:evaluatesModel ?v ; mmkg:surveyColumn ?benchmark ; mmkg:score ?score ;
             mmkg:trainImagesSeen ?seen ; mmkg:reimplemented ?re }
        ORDER BY ?m ?variant ?benchmark""",
    )
    sources = _grouped(store, "SELECT DISTINCT ?m ?s WHERE { ?m dcterms:source ?s } ORDER BY ?m ?s")
    notes = _grouped(store, "SELECT ?m ?n WHERE { ?m skos:editorialNote ?n } ORDER BY ?m ?n")
    details = {}
    for model in models:
        facts = dict(values.get(model, {}))
        facts["slug"] = model.rsplit("/", 1)[-1]
        date = _joined(dates.get(model, []))
        month = months.get(model)
        facts["date"] = date[:10] or (f"{month[0][0]}-{int(month[0][1]):02d}" if month else "")
        pub = publications.get(model)
        facts["venue"] = " ".join(cell_text(v) for v in pub[0][2:] if v is not None) if pub else ""
        facts["paper"] = " ".join(filter(None, [pub[0][0], f"<{pub[0][1]}>"])) if pub else ""
        doubt = doubts.get(model)
        if doubt:
            facts["survey timeline"] = (
                f"{facts.get('survey timeline', '')} (read off the figure with {doubt[0][0]} "
                "confidence)"
            )
        facts["library parts"] = "; ".join(f"{t} ({f})" for t, f in parts.get(model, []))
        details[model] = ModelDetails(
            facts=[(key, facts.get(key, "")) for key in ORDER],
            results=[tuple(r) for r in results.get(model, [])],
            sources=[r[0] for r in sources.get(model, [])],
            notes=[r[0] for r in notes.get(model, [])],
        )
    return details
