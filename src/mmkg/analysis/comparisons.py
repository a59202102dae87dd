"""Controlled comparisons: variants of one model that differ in one factor, and their scores.

The variant facts gathered here (``_variants``, ``_shared``) also serve the fourth trend check.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from mmkg.analysis.base import AnalysisResult, _round, _rows
from mmkg.queries import Table

__all__ = ["Comparisons", "Pair", "comparisons"]


@dataclass
class Pair:
    """Two variants of one model that differ in one factor, with their shared scores."""

    model: str
    factor: str  # "backbone size", "backbone version" or "training data"
    variant_a: str
    variant_b: str
    change: str
    columns: list[tuple[str, float, float, bool]] = field(default_factory=list)
    # (survey column, score A, score B, on a 0-100 scale)

    @property
    def wins(self) -> int:
        """Columns where B scores higher than A."""
        return sum(b > a for _, a, b, _ in self.columns)

    @property
    def losses(self) -> int:
        """Columns where B scores lower than A."""
        return sum(b < a for _, a, b, _ in self.columns)

    @property
    def mean_difference(self) -> float | None:
        """Mean of B - A over the shared columns on a 0-100 scale (MME's scores are not)."""
        diffs = [b - a for _, a, b, percent in self.columns if percent]
        return statistics.fmean(diffs) if diffs else None

    @property
    def mean_relative_difference(self) -> float | None:
        """Mean of (B - A) / A in percent over every shared column."""
        diffs = [100 * (b - a) / a for _, a, b, _ in self.columns if a]
        return statistics.fmean(diffs) if diffs else None


@dataclass
class Comparisons(AnalysisResult):
    """Controlled comparisons between variants that differ in one factor."""

    pairs: list[Pair]

    def find(self, variant_a: str, variant_b: str) -> Pair | None:
        """The pair of these two variant labels, or None."""
        return next(
            (p for p in self.pairs if (p.variant_a, p.variant_b) == (variant_a, variant_b)), None
        )

    def sections(self) -> dict[str, Table]:
        """The pairs with their mean differences, and every shared score."""
        pairs = [
            [
                p.model,
                p.factor,
                p.variant_a,
                p.variant_b,
                p.change,
                len(p.columns),
                p.wins,
                p.losses,
                _round(p.mean_difference, 2),
                _round(p.mean_relative_difference, 2),
            ]
            for p in self.pairs
        ]
        scores = [
            [p.variant_a, p.variant_b, column, a, b, _round(b - a, 2)]
            for p in self.pairs
            for column, a, b, _ in p.columns
        ]
        return {
            "pairs": Table(
                [
                    "model",
                    "factor",
                    "variant_a",
                    "variant_b",
                    "change",
                    "shared_columns",
                    "b_higher",
                    "b_lower",
                    "mean_difference",
                    "mean_relative_difference_pct",
                ],
                pairs,
            ),
            "scores": Table(
                ["variant_a", "variant_b", "column", "score_a", "score_b", "difference"], scores
            ),
        }


def _variants(store: ox.Store) -> dict[str, dict[str, Any]]:
    """Per variant IRI: model, labels, backbone and its family and size, base variant,
    training datasets and scores (survey column -> (score, on a 0-100 scale))."""
    variants: dict[str, dict[str, Any]] = {}
    for model, mlabel, variant, vlabel, backbone, blabel, family, size, base in _rows(
        store,
        """SELECT ?m ?ml ?v ?vl ?b ?bl ?f ?size ?base WHERE {
             ?m mmkg:hasVariant ?v ; rdfs:label ?ml . ?v rdfs:label ?vl .
             OPTIONAL { ?v mmkg:hasLLMBackbone ?b . ?b rdfs:label ?bl
                        OPTIONAL { ?b mmkg:inFamily ?f } OPTIONAL { ?b mmkg:parameterCount ?size } }
             OPTIONAL { ?v mmkg:hasBaseVariant ?base } } ORDER BY ?m ?v""",
    ):
        variants.setdefault(
            variant,
            {
                "model": model,
                "model_label": mlabel,
                "label": vlabel,
                "backbone": backbone,
                "backbone_label": blabel,
                "family": family,
                "size": size,
                "base": base,
                "data": {},
                "scores": {},
            },
        )
    for variant, dataset, label in _rows(
        store,
        """SELECT ?v ?d (MIN(?l) AS ?label) WHERE {
             ?m mmkg:hasVariant ?v . ?v mmkg:trainedOn ?d . ?d rdfs:label ?l } GROUP BY ?v ?d""",
    ):
        variants[variant]["data"][dataset] = label
    for variant, column, score, maximum in _rows(
        store,
        """SELECT ?v ?col ?s ?max WHERE {
             ?r mmkg:evaluatesModel ?v ; mmkg:surveyColumn ?col ; mmkg:score ?s .
             OPTIONAL { ?r mmkg:usesMetric/mmkg:maximumValue ?max } }""",
    ):
        if variant in variants:
            variants[variant]["scores"].setdefault(str(column), (float(score), maximum == 100))
    return variants


def comparisons(store: ox.Store, top: int = 10) -> Comparisons:
    """Variant pairs of one model differing in one factor, with score differences.

    Backbone: two variants built on no other variant whose LLM backbones are different
    components of one family (A has the smaller one). Training data: B extends its base
    variant A with a dataset A was not trained on. ``mean_difference`` averages B - A over
    shared columns scored on 0-100 (MME's are not and are left out of it).
    """
    del top  # every pair is shown
    return _comparisons(_variants(store))


def _comparisons(variants: dict[str, dict[str, Any]]) -> Comparisons:
    """The single-factor pairs among the variants of each model (linear in the models,
    quadratic only in the variants of one model)."""
    pairs: list[Pair] = []
    by_model: dict[str, list[str]] = defaultdict(list)
    for v, d in variants.items():
        by_model[d["model"]].append(v)
    for members in by_model.values():
        for a in members:
            for b in members:
                pair = _pair(variants[a], variants[b], a, b)
                if pair is not None:
                    pair.columns = _shared(variants[a], variants[b])
                    pairs.append(pair)
    pairs.sort(key=lambda p: (p.model.lower(), p.factor, p.variant_a, p.variant_b))
    return Comparisons(pairs)


def _shared(a: dict, b: dict) -> list[tuple[str, float, float, bool]]:
    """(column, score A, score B, both on 0-100) for every survey column both were scored on."""
    return [
        (c, a["scores"][c][0], b["scores"][c][0], a["scores"][c][1] and b["scores"][c][1])
        for c in sorted(set(a["scores"]) & set(b["scores"]))
    ]


def _pair(a: dict, b: dict, iri_a: str, iri_b: str) -> Pair | None:
    """The single-factor pair (A, B), or None when they differ otherwise (or in this order)."""
    if iri_a == iri_b:
        return None
    if b["base"] == iri_a:
        added = {k: v for k, v in b["data"].items() if k not in a["data"]}
        if added and b["backbone"] == a["backbone"]:
            change = "+ " + ", ".join(sorted(added.values()))
            return Pair(a["model_label"], "training data", a["label"], b["label"], change)
        return None
    if a["base"] or b["base"] or not (a["backbone"] and b["backbone"]):
        return None
    if a["backbone"] == b["backbone"] or not a["family"] or a["family"] != b["family"]:
        return None
    key_a, key_b = (a["size"] or 0, a["label"]), (b["size"] or 0, b["label"])
    if key_a >= key_b:
        return None
    factor = (
        "backbone size"
        if a["size"] and b["size"] and a["size"] != b["size"]
        else ("backbone version")
    )
    change = f"{a['backbone_label']} -> {b['backbone_label']}"
    return Pair(a["model_label"], factor, a["label"], b["label"], change)
