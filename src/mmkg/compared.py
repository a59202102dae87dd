"""What `mmkg compare` puts side by side, read for many models at once.

Each aspect of a comparison (literal facts, labelled facts, release month, architecture roles,
component usages, missing roles, benchmark results) is one query over the whole graph, or
over the models of a ``VALUES`` clause, grouped by model here: the cost grows with the
graph, not with the square of it, and the comparison page reads every model in the same
handful of queries. The values are those of :func:`mmkg.profiles.model_profile` (same
joining, ordering and text), which ``tests/test_compare_data.py`` checks model by model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from mmkg.queries import select
from mmkg.tables import cell_text

__all__ = [
    "COMPARED_FACTS",
    "COMPARED_SCALES",
    "ComparedModel",
    "compared_models",
    "model_names",
    "model_architectures",
    "role_text",
    "best_of",
]

#: The facts `compare_models` puts side by side before the architecture, and after it.
COMPARED_FACTS = (
    "date",
    "organisations",
    "input modalities",
    "output modalities",
    "functional division",
    "design division",
)
COMPARED_SCALES = ("pre-training scale", "instruction-tuning scale")

#: Facts read as literals (joined with ", " in value order), by property.
LITERAL_FACTS = {
    "releaseDate": "date",
    "pretrainingScale": "pre-training scale",
    "instructionTuningScale": "instruction-tuning scale",
}
#: Facts read as the labels of the things linked (joined with ", " in label order).
LABEL_FACTS = {
    "developedBy": "organisations",
    "hasInputModality": "input modalities",
    "hasOutputModality": "output modalities",
    "hasFunctionalDivision": "functional division",
    "hasDesignDivision": "design division",
}


@dataclass
class ComparedModel:
    """One model's part in a comparison: its compared facts, architecture and best scores."""

    iri: str
    name: str = ""
    facts: dict[str, str] = field(default_factory=dict)
    architecture: list[tuple[str, str]] = field(default_factory=list)
    best: dict[str, str] = field(default_factory=dict)


def role_text(comp: str | None, mods: str | None, res: Any, none: bool) -> str:  # noqa: ANN401
    """The text of one component usage in a role, as `mmkg show` and `mmkg compare` print it."""
    if none:
        return "none"
    if comp:
        return comp + (f" ({mods.lower()})" if mods else "") + (f" at {res} px" if res else "")
    return "not given"


def best_of(rows: Iterable[tuple[str, str, Any]]) -> dict[str, str]:
    """Per benchmark column, the best score and its variant, from (variant, column, score) rows
    in variant order: of equal scores, the first variant's wins."""
    scores: dict[str, tuple[Any, str]] = {}
    for variant, column, score in rows:
        if column not in scores or score > scores[column][0]:
            scores[column] = (score, variant)
    return {c: f"{cell_text(s)} ({v})" for c, (s, v) in scores.items()}


def model_names(store: ox.Store) -> list[tuple[str, str, str | None]]:
    """Every model's IRI, label and alternative labels (joined with "|")."""
    return select(
        store,
        """SELECT ?m ?label (GROUP_CONCAT(?alt; separator="|") AS ?alts)
        WHERE { ?m a mmkg:MultimodalLLM ; rdfs:label ?label .
                OPTIONAL { ?m skos:altLabel ?alt } } GROUP BY ?m ?label""",
    )


def _values(models: list[str] | None) -> str:
    """A ``VALUES ?m`` clause restricting a query to *models* (none: every model)."""
    if models is None:
        return ""
    return "VALUES ?m { " + " ".join(f"<{iri}>" for iri in dict.fromkeys(models)) + " }"


def _grouped(rows: list[list[Any]]) -> dict[str, list[list[Any]]]:
    """Rows by their first value (the model), the rest of each row in query order."""
    out: dict[str, list[list[Any]]] = {}
    for row in rows:
        out.setdefault(row[0], []).append(row[1:])
    return out


def _facts(store: ox.Store, models: list[str] | None) -> dict[str, dict[str, str]]:
    """The compared facts of each model (the date by day, else by month)."""
    values = _values(models)
    literal = " ".join(f"mmkg:{p}" for p in LITERAL_FACTS)
    labelled = " ".join(f"mmkg:{p}" for p in LABEL_FACTS)
    facts: dict[str, dict[str, list[str]]] = {}
    for m, p, v in select(
        store,
        f"""SELECT ?m ?p ?v WHERE {{ {values} VALUES ?p {{ {literal} }} ?m ?p ?v }}
        ORDER BY ?m ?p ?v""",
    ):
        facts.setdefault(m, {}).setdefault(LITERAL_FACTS[_local(p)], []).append(cell_text(v))
    for m, p, label in select(
        store,
        f"""SELECT ?m ?p ?label WHERE {{ {values} VALUES ?p {{ {labelled} }}
        ?m ?p ?x . ?x rdfs:label ?label }} ORDER BY ?m ?p ?label""",
    ):
        facts.setdefault(m, {}).setdefault(LABEL_FACTS[_local(p)], []).append(label)
    months: dict[str, str] = {}
    for m, year, month in select(
        store,
        f"""SELECT ?m ?y ?mo WHERE {{ {values}
        ?m mmkg:releaseYear ?y ; mmkg:releaseMonth ?mo }}""",
    ):
        months.setdefault(m, f"{year}-{int(month):02d}")
    out: dict[str, dict[str, str]] = {}
    for m in set(facts) | set(months):
        joined = {aspect: ", ".join(texts) for aspect, texts in facts.get(m, {}).items()}
        text = {a: joined.get(a, "") for a in (*COMPARED_FACTS, *COMPARED_SCALES)}
        text["date"] = text["date"][:10] or months.get(m, "")
        out[m] = text
    return out


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def model_architectures(
    store: ox.Store, models: list[str] | None = None
) -> dict[str, list[tuple[str, str]]]:
    """Per model (*models*, or every model), each architectural role (by position) with the
    text of its usages, as `mmkg show` prints them; a model with no role detailed is left out."""
    values = _values(models)
    roles = select(
        store,
        """SELECT ?r ?roleLabel ?pos WHERE {
        ?r a mmkg:ArchitecturalRole ; rdfs:label ?roleLabel ; mmkg:rolePosition ?pos }
        ORDER BY ?pos""",
    )
    usages = _grouped(
        select(
            store,
            f"""SELECT ?m ?r ?comp ?mods ?res WHERE {{ {values}
            ?m mmkg:hasComponentUsage ?u . ?u mmkg:inRole ?r ;
               mmkg:usesComponent/rdfs:label ?comp .
            OPTIONAL {{ ?u mmkg:inputResolution ?res }}
            OPTIONAL {{ SELECT ?u (GROUP_CONCAT(?ml; separator="/") AS ?mods) WHERE {{
                ?u mmkg:forModality/rdfs:label ?ml }} GROUP BY ?u }} }}
            ORDER BY ?m ?r ?comp ?u""",
        )
    )
    lacking = _grouped(select(store, f"SELECT ?m ?r WHERE {{ {values} ?m mmkg:lacksRole ?r }}"))
    out: dict[str, list[tuple[str, str]]] = {}
    for m in set(usages) | set(lacking):
        used: dict[str, list[tuple[str, Any, Any]]] = {}
        for r, comp, mods, res in usages.get(m, []):
            used.setdefault(r, []).append((comp, mods, res))
        lacks = {r for (r,) in lacking.get(m, [])}
        rows = []  # (position, component, role label, text), as ORDER BY ?pos ?comp ?u
        for r, role_label, pos in roles:
            none = r in lacks
            for comp, mods, res in used.get(r) or [(None, None, None)]:
                rows.append((pos, comp, role_label, none, role_text(comp, mods, res, none)))
        if not any(comp or none for _, comp, _, none, _ in rows):
            continue
        rows.sort(key=lambda row: (row[0], row[1] is not None, row[1] or ""))
        by_role: dict[str, list[str]] = {}
        for _, _, role_label, _, text in rows:
            by_role.setdefault(role_label, []).append(text)
        out[m] = [(role, "; ".join(texts)) for role, texts in by_role.items()]
    return out


def _best(store: ox.Store, models: list[str] | None) -> dict[str, dict[str, str]]:
    """Per model, its best score on each benchmark column (see :func:`best_of`)."""
    results = _grouped(
        select(
            store,
            f"""SELECT ?m ?variant ?benchmark ?score WHERE {{ {_values(models)}
            ?m mmkg:hasVariant ?v . ?v rdfs:label ?variant .
            ?r mmkg:evaluatesModel ?v ; mmkg:surveyColumn ?benchmark ; mmkg:score ?score ;
               mmkg:trainImagesSeen ?trainImagesSeen ; mmkg:reimplemented ?reimplemented }}
            ORDER BY ?m ?variant ?benchmark""",
        )
    )
    return {m: best_of(rows) for m, rows in results.items()}


def compared_models(store: ox.Store, models: list[str] | None = None) -> dict[str, ComparedModel]:
    """What each model (by IRI; *models*, or every model) brings to a comparison.

    A fixed number of queries, whatever the number of models.
    """
    names: dict[str, str] = {}
    for iri, label, _ in model_names(store):
        names.setdefault(iri, label)
    wanted = list(names) if models is None else models
    facts = _facts(store, models)
    architecture = model_architectures(store, models)
    best = _best(store, models)
    empty = {a: "" for a in (*COMPARED_FACTS, *COMPARED_SCALES)}
    return {
        iri: ComparedModel(
            iri=iri,
            name=names.get(iri, ""),
            facts=facts.get(iri, dict(empty)),
            architecture=architecture.get(iri, []),
            best=best.get(iri, {}),
        )
        for iri in wanted
    }
