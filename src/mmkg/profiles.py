"""Everything the graph says about one model, and several models side by side.

Reads the graph through SPARQL only, so it works the same on the local build and on any
store holding it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from mmkg.compared import (
    COMPARED_FACTS,
    COMPARED_SCALES,
    compared_models,
    model_architectures,
    model_names,
)
from mmkg.namespaces import MODEL_DERIVATION_TERMS, MODEL_INFLUENCE_TERMS, MODEL_LINK_TERMS
from mmkg.queries import PREFIXES, QueryError, Table, run_sparql, select
from mmkg.tables import cell_text

__all__ = [
    "ModelProfile",
    "find_model",
    "model_profile",
    "compare_models",
    "COMPARED_FACTS",
    "COMPARED_SCALES",
    "LINK_PATH",
    "DERIVATION_PATH",
]

MODEL_LINKS = MODEL_LINK_TERMS
#: Every stated evolution link (derivations and influences), as a SPARQL path alternative.
LINK_PATH = "|".join(f"mmkg:{p}" for p in MODEL_LINKS)
#: The derivation links alone: what a model's ancestry (lineage up and down) follows.
DERIVATION_PATH = "|".join(f"mmkg:{p}" for p in MODEL_DERIVATION_TERMS)
INFLUENCES = " ".join(f"mmkg:{p}" for p in MODEL_INFLUENCE_TERMS)


@dataclass
class ModelProfile:
    """The facts of one model, ready to print."""

    iri: str
    name: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    architecture: list[tuple[str, str]] = field(default_factory=list)
    ancestors: list[tuple[str, str]] = field(default_factory=list)
    descendants: list[tuple[str, str]] = field(default_factory=list)
    #: earlier models that influenced it without being reused (trend, inspiration, replica)
    influences: list[tuple[str, str]] = field(default_factory=list)
    #: earlier models that only the names suggest a link to: never counted as lineage
    suggested: list[tuple[str, str]] = field(default_factory=list)
    results: Table | None = None
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: where each fact (by its key in ``facts`` or its role in ``architecture``) is stated
    cited: dict[str, list[str]] = field(default_factory=dict)


_rows = select

#: The fact row each annotated property fills, for the citations of ``mmkg show``.
FACT_OF_PROPERTY = {
    "releaseDate": "date",
    "releaseYear": "date",
    "releaseMonth": "date",
    "hasPublication": "paper",
    "publishedAt": "venue",
    "venueYear": "venue",
    "projectUrl": "project",
    "codeUrl": "code",
    "developedBy": "organisations",
    "hasFunctionalDivision": "functional division",
    "hasDesignDivision": "design division",
    "hasInputModality": "input modalities",
    "hasOutputModality": "output modalities",
    "taxonomyCategory": "survey taxonomy",
    "inTimelinePeriod": "survey timeline",
    "pretrainingScale": "pre-training scale",
    "instructionTuningScale": "instruction-tuning scale",
    "releasedSize": "released sizes",
    "lacksRole": "",
}


def _citations(store: ox.Store, iri: str) -> dict[str, list[str]]:
    """The citation labels of each fact of a model, by fact row (or role label)."""
    rows = _rows(
        store,
        f"""SELECT DISTINCT ?p ?role ?label WHERE {{
          {{ ?ax owl:annotatedSource <{iri}> ; owl:annotatedProperty ?p ;
                 owl:annotatedTarget ?t ; mmkg:statedIn ?c .
             OPTIONAL {{ FILTER(?p = mmkg:lacksRole) ?t rdfs:label ?role }} }}
          UNION
          {{ <{iri}> mmkg:hasPublication ?pub . ?ax owl:annotatedSource ?pub ;
                 owl:annotatedProperty ?p ; mmkg:statedIn ?c }}
          UNION
          {{ <{iri}> mmkg:hasComponentUsage ?u . ?u mmkg:inRole/rdfs:label ?role ;
                 mmkg:statedIn ?c . BIND(mmkg:hasComponentUsage AS ?p) }}
          ?c rdfs:label ?label }} ORDER BY ?label""",
    )
    out: dict[str, list[str]] = {}
    for prop, role, label in rows:
        key = role or FACT_OF_PROPERTY.get(prop.rsplit("#", 1)[-1].rsplit("/", 1)[-1], "")
        if key and label not in out.setdefault(key, []):
            out[key].append(label)
    return out


def find_model(store: ox.Store, name: str) -> tuple[str, str]:
    """The IRI and label of the model called *name* (slug, label or alternative label)."""
    return _match_model(model_names(store), name)


def _match_model(rows: list[tuple[str, str, str | None]], name: str) -> tuple[str, str]:
    """The IRI and label of the model called *name* among *rows* (see :func:`model_names`)."""
    wanted = name.strip().casefold()
    for iri, label, alts in rows:
        slug = iri.rsplit("/", 1)[-1]
        names = {slug, label.casefold(), *(a.casefold() for a in (alts or "").split("|") if a)}
        if wanted in names:
            return iri, label
    from mmkg.load import closest

    labels = [label for _, label, _ in rows]
    near = closest(name, labels) or closest(name, [i.rsplit("/", 1)[-1] for i, _, _ in rows])
    raise QueryError(f"no model named '{name}'" + (f"; did you mean '{near}'?" if near else ""))


def _one(store: ox.Store, iri: str, prop: str) -> str:
    rows = _rows(store, f"SELECT ?v WHERE {{ <{iri}> {prop} ?v }} ORDER BY ?v")
    return ", ".join(cell_text(r[0]) for r in rows)


def _labels(store: ox.Store, iri: str, prop: str) -> str:
    rows = _rows(
        store,
        f"""SELECT ?label WHERE {{ <{iri}> {prop} ?x . ?x rdfs:label ?label }}
                            ORDER BY ?label""",
    )
    return ", ".join(r[0] for r in rows)


def _month(store: ox.Store, iri: str) -> str:
    rows = _rows(
        store, f"SELECT ?y ?m WHERE {{ <{iri}> mmkg:releaseYear ?y ; mmkg:releaseMonth ?m }}"
    )
    return f"{rows[0][0]}-{int(rows[0][1]):02d}" if rows else ""


def _timeline(store: ox.Store, iri: str) -> str:
    """The model's period on the survey's timeline, with the confidence of a doubtful reading."""
    period = _labels(store, iri, "mmkg:inTimelinePeriod")
    doubt = _rows(
        store,
        f"""SELECT ?c WHERE {{ ?a owl:annotatedSource <{iri}> ;
            owl:annotatedProperty mmkg:inTimelinePeriod ; mmkg:readingConfidence ?c }}""",
    )
    return f"{period} (read off the figure with {doubt[0][0]} confidence)" if doubt else period


def _library_parts(store: ox.Store, iri: str) -> str:
    """The sub-models of the model's library implementations, with their component families."""
    rows = _rows(
        store,
        f"""SELECT DISTINCT ?type ?family WHERE {{
        ?impl mmkg:implementsModel <{iri}> ; mmkg:hasSubModel+ ?sub .
        ?sub mmkg:modelType ?type ; mmkg:implementsComponent/mmkg:inFamily/rdfs:label ?family .
        }} ORDER BY ?type""",
    )
    return "; ".join(f"{t} ({f})" for t, f in rows)


def model_profile(store: ox.Store, name: str, citations: bool = True) -> ModelProfile:
    """Everything about one model: facts, architecture per role, lineage, results, sources.

    *citations* False leaves out where each fact is stated (the slowest part to read).
    """
    iri, label = find_model(store, name)
    profile = ModelProfile(iri=iri, name=label)
    pub = _rows(
        store,
        f"""SELECT ?title ?url ?venue ?year WHERE {{
        <{iri}> mmkg:hasPublication ?p . ?p mmkg:paperUrl ?url .
        OPTIONAL {{ ?p dcterms:title ?title }}
        OPTIONAL {{ ?p mmkg:publishedAt/rdfs:label ?venue }}
        OPTIONAL {{ ?p mmkg:venueYear ?year }} }}""",
    )
    date = _one(store, iri, "mmkg:releaseDate")
    profile.facts = [
        ("slug", iri.rsplit("/", 1)[-1]),
        ("date", date[:10] or _month(store, iri)),
        ("venue", " ".join(cell_text(v) for v in pub[0][2:] if v is not None) if pub else ""),
        ("paper", " ".join(filter(None, [pub[0][0], f"<{pub[0][1]}>"])) if pub else ""),
        ("project", _one(store, iri, "mmkg:projectUrl")),
        ("code", _one(store, iri, "mmkg:codeUrl")),
        ("organisations", _labels(store, iri, "mmkg:developedBy")),
        ("functional division", _labels(store, iri, "mmkg:hasFunctionalDivision")),
        ("design division", _labels(store, iri, "mmkg:hasDesignDivision")),
        ("input modalities", _labels(store, iri, "mmkg:hasInputModality")),
        ("output modalities", _labels(store, iri, "mmkg:hasOutputModality")),
        ("survey taxonomy", _one(store, iri, "mmkg:taxonomyCategory")),
        ("survey timeline", _timeline(store, iri)),
        ("pre-training scale", _one(store, iri, "mmkg:pretrainingScale")),
        ("instruction-tuning scale", _one(store, iri, "mmkg:instructionTuningScale")),
        ("released sizes", _one(store, iri, "mmkg:releasedSize")),
        ("variants", _labels(store, iri, "mmkg:hasVariant")),
        ("implementations", _labels(store, iri, "^mmkg:implementsModel")),
        ("library parts", _library_parts(store, iri)),
    ]
    profile.cited = _citations(store, iri) if citations else {}
    profile.architecture = model_architectures(store, [iri]).get(iri, [])
    for direction, target in (("ancestors", "?x"), ("descendants", "?x")):
        path = (
            f"<{iri}> ({DERIVATION_PATH})+ ?x"
            if direction == "ancestors"
            else (f"?x ({DERIVATION_PATH})+ <{iri}>")
        )
        rows = _rows(
            store,
            f"""SELECT DISTINCT ?label ?kind WHERE {{ {path} .
            {target} rdfs:label ?label .
            OPTIONAL {{ {
                "<" + iri + "> ?p ?x" if direction == "ancestors" else "?x ?p <" + iri + ">"
            } . ?p rdfs:label ?kind .
                       FILTER(STRSTARTS(STR(?p), STR(mmkg:))) }} }} ORDER BY ?label ?kind""",
        )
        merged: dict[str, list[str]] = {}
        for name_, kind in rows:
            merged.setdefault(name_, [])
            if kind and kind not in merged[name_]:
                merged[name_].append(kind)
        getattr(profile, direction).extend(
            (n, ", ".join(k) if k else "indirect") for n, k in merged.items()
        )
    profile.influences = [
        (name_, kind)
        for name_, kind in _rows(
            store,
            f"""SELECT ?label ?kind WHERE {{ VALUES ?p {{ {INFLUENCES} }}
            <{iri}> ?p ?x . ?x rdfs:label ?label . ?p rdfs:label ?kind }} ORDER BY ?label ?kind""",
        )
    ]
    profile.suggested = [
        (name_, kind)
        for name_, kind in _rows(
            store,
            f"""SELECT ?label ?kind WHERE {{ <{iri}> mmkg:hasSuggestedLink ?s .
            ?s mmkg:suggestedTarget/rdfs:label ?label ; mmkg:suggestedProperty/rdfs:label ?kind }}
            ORDER BY ?label ?kind""",
        )
    ]
    profile.results = run_sparql(
        store,
        PREFIXES
        + f"""
        SELECT ?variant ?benchmark ?score ?trainImagesSeen ?reimplemented WHERE {{
          <{iri}> mmkg:hasVariant ?v . ?v rdfs:label ?variant .
          ?r mmkg:evaluatesModel ?v ; mmkg:surveyColumn ?benchmark ; mmkg:score ?score ;
             mmkg:trainImagesSeen ?trainImagesSeen ; mmkg:reimplemented ?reimplemented }}
        ORDER BY ?variant ?benchmark""",
    )
    profile.sources = [
        r[0]
        for r in _rows(
            store, f"SELECT DISTINCT ?s WHERE {{ <{iri}> dcterms:source ?s }} ORDER BY ?s"
        )
    ]
    profile.notes = [
        r[0]
        for r in _rows(store, f"SELECT ?n WHERE {{ <{iri}> skos:editorialNote ?n }} ORDER BY ?n")
    ]
    return profile


def compare_models(store: ox.Store, names: list[str]) -> Table:
    """Several models side by side: components, modalities, data scale, shared benchmarks."""
    if len(names) < 2:
        raise QueryError("compare needs at least two models")
    rows_of_names = model_names(store)
    found = [_match_model(rows_of_names, n) for n in names]
    compared = compared_models(store, [iri for iri, _ in found])
    models = [compared[iri] for iri, _ in found]
    columns = ["aspect", *(label for _, label in found)]
    rows: list[list] = []
    for aspect in COMPARED_FACTS:
        rows.append([aspect, *(m.facts[aspect] for m in models)])
    role_names = [r for r, _ in next((m.architecture for m in models if m.architecture), [])]
    for role in role_names:
        rows.append([role, *(dict(m.architecture).get(role, "not detailed") for m in models)])
    for aspect in COMPARED_SCALES:
        rows.append([aspect, *(m.facts[aspect] for m in models)])
    best = [m.best for m in models]
    shared = set(best[0]).intersection(*best[1:]) if best else set()
    for column in sorted(shared):
        rows.append([f"best {column}", *(b[column] for b in best)])
    return Table(columns, rows)
