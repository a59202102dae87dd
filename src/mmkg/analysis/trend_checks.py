"""The survey's five named trends, each checked against the graph: a verdict and its evidence.

``mmkg.analysis.trends`` counts models per half-year and calls these checks; they read its
``Trends`` result (for the shares per half-year), the lineage graph and the model facts.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx
import pyoxigraph as ox

from mmkg.analysis.base import _rows
from mmkg.analysis.comparisons import _comparisons, _shared, _variants

if TYPE_CHECKING:
    from mmkg.analysis.trends import Trends

__all__ = ["GENERATION", "MIN_MODELS", "TrendCheck"]

GENERATION = "Multimodal generation"  # the functional division of generation models
MIN_MODELS = 5  # half-years with fewer dated models are shown but not used to judge a trend


@dataclass
class TrendCheck:
    """One of the survey's named trends, checked against the data."""

    number: int
    trend: str
    holds: str  # "yes", "no", "partly" or "undecided"
    evidence: str
    details: dict[str, Any] = field(default_factory=dict)  # the numbers behind the verdict


def _non_text(modalities: list[str]) -> list[str]:
    return [m for m in modalities if m != "Text"]


def _any_to_any(model: dict) -> bool:
    """Two or more non-text modalities in and out (the ontology's AnyToAnyModel)."""
    return len(_non_text(model["inputs"])) >= 2 and len(_non_text(model["outputs"])) >= 2


def _share_series(
    trends_halves: list[str], counts: dict[str, dict[str, int]], measure: str
) -> list[tuple[str, float]]:
    return [
        (h, counts[h][measure] / counts[h]["models"])
        for h in trends_halves
        if counts[h]["models"] >= MIN_MODELS
    ]


def _series_text(series: list[tuple[str, float]]) -> str:
    return ", ".join(f"{h} {v:.0%}" for h, v in series)


def _slope(series: list[tuple[str, float]]) -> float:
    """Least-squares slope of a series against its position."""
    if len(series) < 2:
        return 0.0
    xs = list(range(len(series)))
    ys = [v for _, v in series]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def _edge(graph: nx.MultiDiGraph, by_label: dict[str, str], a: str, b: str) -> str | None:
    """The link kinds from model *a* to model *b* (labels), or None when there is no link."""
    u, v = by_label.get(a), by_label.get(b)
    if u is None or v is None or not graph.has_edge(u, v):
        return None
    return "+".join(sorted(graph[u][v]))


def _path_evidence(graph: nx.MultiDiGraph, by_label: dict[str, str], path: list[str]) -> tuple:
    """(every link exists, text naming each link with the models' release dates)."""

    def date(label: str) -> str | None:
        return graph.nodes[by_label[label]].get("date") if label in by_label else None

    parts = []
    linked = True
    for a, b in zip(path, path[1:], strict=False):
        kind = _edge(graph, by_label, a, b)
        linked = linked and bool(kind)
        text = f"{a} ({date(a) or 'undated'}) -> {b} ({date(b) or 'undated'}): "
        text += f"linked ({kind})" if kind else "NO LINK"
        if date(a) and date(b) and date(b) < date(a):
            text += ", the later model was released first"
        parts.append(text)
    return linked, "; ".join(parts)


def _first(facts: dict[str, dict], models: Iterable[str]) -> tuple[str, str] | None:
    dated = sorted((facts[m]["date"], facts[m]["label"]) for m in models if facts[m]["date"])
    return dated[0] if dated else None


def _trend_1(
    result: Trends,
    graph: nx.MultiDiGraph,
    by_label: dict[str, str],
    facts: dict[str, dict],
) -> TrendCheck:
    linked, path_text = _path_evidence(graph, by_label, ["MiniGPT-4", "MiniGPT-5", "NExT-GPT"])
    generation = _share_series(result.halves, result.divisions, "generation")
    any_to_any = _share_series(result.halves, result.divisions, "any-to-any")
    stages = {
        "understanding": [m for m, d in facts.items() if d["functional"] != GENERATION],
        "specific-modality generation": [
            m for m, d in facts.items() if d["functional"] == GENERATION and not _any_to_any(d)
        ],
        "any-to-any": [m for m, d in facts.items() if _any_to_any(d)],
    }
    firsts = {s: _first(facts, ms) for s, ms in stages.items()}
    ordered = all(firsts.values()) and [firsts[s] for s in stages] == sorted(firsts.values())
    rises = _slope(generation) > 0 and _slope(any_to_any) > 0
    holds = "yes" if linked and rises and ordered else "partly" if linked or rises else "no"
    first_text = "; ".join(f"First {s}: {v[1]} ({v[0]})" for s, v in firsts.items() if v)
    return TrendCheck(
        1,
        "MM understanding -> specific-modality generation -> any-to-any "
        "(MiniGPT-4 -> MiniGPT-5 -> NExT-GPT)",
        holds,
        f"{path_text}. Generation share per half-year (>= {MIN_MODELS} models): "
        f"{_series_text(generation)}; any-to-any share: {_series_text(any_to_any)} "
        f"(rising: {'yes' if rises else 'no'}, by least-squares slope). {first_text}"
        + ("" if ordered else " (the first appearances are not in the trend's order)"),
    )


def _trend_2(store: ox.Store, graph: nx.MultiDiGraph, by_label: dict[str, str]) -> TrendCheck:
    linked, path_text = _path_evidence(graph, by_label, ["BLIP-2", "InstructBLIP", "DRESS"])
    dates: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for _dataset, label, kind, date in _rows(
        store,
        """SELECT ?d (MIN(?l) AS ?label) ?kind (MIN(?date) AS ?first) WHERE {
             ?d a mmkg:InstructionTuningDataset ; mmkg:tuningType ?kind ; rdfs:label ?l ;
                mmkg:releaseDate ?date } GROUP BY ?d ?kind""",
    ):
        dates[str(kind)].append((str(date)[:10], str(label)))
    sft, rlhf = sorted(dates.get("SFT", [])), sorted(dates.get("RLHF", []))
    if not sft or not rlhf:
        return TrendCheck(
            2,
            "MM PT -> SFT -> RLHF (BLIP-2 -> InstructBLIP -> DRESS)",
            "undecided",
            f"{path_text}. The graph lacks dated SFT or RLHF datasets.",
        )
    median = lambda xs: sorted(xs)[len(xs) // 2][0]  # noqa: E731
    later = rlhf[0][0] > sft[0][0] and median(rlhf) > median(sft)
    holds = "yes" if linked and later else "partly" if linked or later else "no"
    return TrendCheck(
        2,
        "MM PT -> SFT -> RLHF (BLIP-2 -> InstructBLIP -> DRESS)",
        holds,
        f"{path_text}. {len(sft)} dated SFT instruction-tuning datasets, first {sft[0][1]} "
        f"({sft[0][0]}), median {median(sft)}; {len(rlhf)} RLHF ones, first {rlhf[0][1]} "
        f"({rlhf[0][0]}), median {median(rlhf)}; no RLHF dataset precedes the first SFT one: "
        f"{'yes' if rlhf[0][0] > sft[0][0] else 'no'}. The graph records no pre-training or "
        "tuning stage per model, so the PT -> SFT order within a model is not checked.",
    )


def _trend_3(
    graph: nx.MultiDiGraph, by_label: dict[str, str], facts: dict[str, dict]
) -> TrendCheck:
    parts, ok = [], True
    for a, b in (("BLIP-2", "X-LLM"), ("InstructBLIP", "X-InstructBLIP")):
        kind = _edge(graph, by_label, a, b)
        ins_a = _non_text(facts[by_label[a]]["inputs"]) if a in by_label else []
        ins_b = _non_text(facts[by_label[b]]["inputs"]) if b in by_label else []
        more = len(ins_b) > len(ins_a)
        ok = ok and bool(kind) and more
        parts.append(
            f"{a} -> {b}: {'linked (' + kind + ')' if kind else 'NO LINK'}, inputs "
            f"{'+'.join(ins_a) or 'none'} -> {'+'.join(ins_b) or 'none'}"
        )
    more = same = fewer = 0
    for u, v in {(u, v) for u, v in graph.edges()}:
        delta = len(_non_text(facts[v]["inputs"])) - len(_non_text(facts[u]["inputs"]))
        more, same, fewer = more + (delta > 0), same + (delta == 0), fewer + (delta < 0)
    return TrendCheck(
        3,
        "Diversified modal extension (BLIP-2 -> X-LLM, InstructBLIP -> X-InstructBLIP)",
        "yes" if ok else "no",
        "; ".join(parts)
        + f". Over all {more + same + fewer} linked model pairs, the later model reads more "
        f"non-text modalities in {more}, as many in {same}, fewer in {fewer}.",
    )


def _trend_4(store: ox.Store, graph: nx.MultiDiGraph, by_label: dict[str, str]) -> TrendCheck:
    claim = "Higher-quality training data (LLaVA -> LLaVA-1.5; +ShareGPT4V variants)"
    kind = _edge(graph, by_label, "LLaVA", "LLaVA-1.5")
    variants = _variants(store)
    pairs = [p for p in _comparisons(variants).pairs if p.factor == "training data"]
    texts, all_up, mean_up = [], True, True
    for p in pairs:
        all_up = all_up and p.wins > p.losses
        mean_up = mean_up and (p.mean_difference or 0) > 0
        texts.append(
            f"{p.variant_b} vs {p.variant_a}: higher on {p.wins} of {len(p.columns)} shared "
            f"columns, lower on {p.losses}, mean difference {p.mean_difference or 0:+.2f} points "
            "on the 0-100 columns"
        )
    # the version step itself, uncontrolled: the variant pair sharing the most columns
    old = [v for v in variants.values() if v["model_label"] == "LLaVA"]
    new = [v for v in variants.values() if v["model_label"] == "LLaVA-1.5"]
    best = max(
        ((a, b, _shared(a, b)) for a in old for b in new), key=lambda x: len(x[2]), default=None
    )
    if best and best[2]:
        a, b, shared = best
        up = sum(sb > sa for _, sa, sb, _ in shared)
        backbone = (
            f"the backbone changes too ({a['backbone_label']} -> {b['backbone_label']})"
            if a["backbone"] != b["backbone"]
            else "the same backbone, but the whole recipe changes"
        )
        texts.append(
            f"{b['label']} vs {a['label']} (not a controlled comparison: {backbone}): "
            f"higher on {up} of {len(shared)} shared columns ("
            + ", ".join(f"{c} {sa:g} -> {sb:g}" for c, sa, sb, _ in shared)
            + ")"
        )
    if not pairs:
        holds = "undecided"
    else:
        holds = "yes" if kind and all_up else "partly" if kind or mean_up else "no"
    return TrendCheck(
        4,
        claim,
        holds,
        f"LLaVA -> LLaVA-1.5: {'linked (' + kind + ')' if kind else 'NO LINK'}. "
        + ("; ".join(texts) or "no variant pair differs only in added training data")
        + ".",
    )


def _crossing(events: list[tuple[str, str, str]]) -> tuple[str, str, int, int] | None:
    """The first (date, model, simple, q-former) at which the running count of simple
    projectors exceeds that of Q-Formers; *events* are (date, model, "simple" or "q")."""
    simple = qformer = 0
    for date, model, kind in sorted(events):
        simple, qformer = simple + (kind == "simple"), qformer + (kind == "q")
        if simple > qformer:
            return date, model, simple, qformer
    return None


def _trend_5(
    result: Trends,
    qformer: set[str],
    simple: set[str],
    projector_models: dict[str, set[str]],
    facts: dict[str, dict],
) -> TrendCheck:
    def count(half: str, families: set[str]) -> int:
        return sum(result.projectors[half][f] for f in families)

    based = [h for h in result.halves if result.divisions[h]["with input projector"]]
    judged = [h for h in based if result.divisions[h]["with input projector"] >= MIN_MODELS]
    q_series = [(h, result.projector_share(h, qformer)) for h in judged]
    s_series = [(h, result.projector_share(h, simple)) for h in judged]
    q_models = set().union(*(projector_models.get(f, set()) for f in qformer))
    s_models = set().union(*(projector_models.get(f, set()) for f in simple)) - q_models
    events = [(facts[m]["date"], facts[m]["label"], "q") for m in q_models if facts[m]["date"]]
    events += [
        (facts[m]["date"], facts[m]["label"], "simple") for m in s_models if facts[m]["date"]
    ]
    first_q = min((e for e in events if e[2] == "q"), default=None)
    crossing = _crossing(events)
    q_halves = [h for h in based if count(h, qformer)]
    dominant = [h for h in based if count(h, simple) > count(h, qformer)]
    peak = max(q_series, key=lambda x: x[1]) if q_series else None
    falls = peak is not None and q_series[-1][1] < peak[1]
    rises = _slope(s_series) > 0
    before = bool(first_q and crossing) and first_q[0] < crossing[0]  # type: ignore[index]
    holds = "yes" if falls and rises and before else "partly" if falls or rises else "no"
    per_half = ", ".join(
        f"{h} {count(h, qformer)} Q-Former / {count(h, simple)} linear or MLP of "
        f"{result.divisions[h]['with input projector']}"
        for h in based
    )
    same_half = bool(q_halves and dominant) and q_halves[0] == dominant[0]
    return TrendCheck(
        5,
        "Simpler input projectors (Q-Former share falls, linear/MLP share rises)",
        holds,
        f"models with an input projector: {per_half}. Shares in half-years with >= "
        f"{MIN_MODELS} such models: Q-Former {_series_text(q_series)}; linear or MLP "
        f"{_series_text(s_series)}. First Q-Former model: "
        + (f"{first_q[1]} ({first_q[0]})" if first_q else "none")
        + "; linear or MLP models first outnumber Q-Former ones, counting from the start, with "
        + (
            f"{crossing[1]} ({crossing[0]}: {crossing[2]} to {crossing[3]})"
            if crossing
            else "no model"
        )
        + ". Per half-year, Q-Former first appears in "
        + (q_halves[0] if q_halves else "no half-year")
        + " and linear or MLP first outnumber it in "
        + (dominant[0] if dominant else "no half-year")
        + (" (the same half-year: that granularity cannot order them)" if same_half else "")
        + f". Only the {len(set().union(*projector_models.values()))} models with a recorded "
        "architecture count"
        + (
            f"; {', '.join(sorted(set(based) - set(judged)))} (fewer than {MIN_MODELS}) are "
            "shown but not judged."
            if set(based) - set(judged)
            else "."
        ),
        {
            "qformer_share": dict(q_series),
            "linear_mlp_share": dict(s_series),
            "first_qformer": first_q[:2] if first_q else None,
            "crossing": crossing,
            "first_qformer_half": q_halves[0] if q_halves else None,
            "first_dominant_half": dominant[0] if dominant else None,
        },
    )
