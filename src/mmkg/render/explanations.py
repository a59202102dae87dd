"""A paragraph per analysis for the analyses page: what it computes, and how it approximates.

Keyed by the names of ``mmkg.analysis.ANALYSES``; an analysis without a paragraph here shows
its one-line summary only.
"""

from __future__ import annotations

from mmkg.analysis.communities import EXACT_MAX_MODELS
from mmkg.analysis.hubs import BETWEENNESS_EXACT_MAX, BETWEENNESS_SAMPLE

__all__ = ["EXPLANATIONS"]

EXPLANATIONS: dict[str, str] = {
    "component-reuse": (
        "For each architectural role (modality encoder, input projector, LLM backbone...), "
        "counts how many models use each component, and each component family, in that role, "
        "and ranks them; the share is that count over the models that fill the role at all. "
        "A family gathers its sized versions (Vicuna-7B and Vicuna-13B are both Vicuna); the "
        "column with derived families also counts families derived from it (Vicuna under "
        "LLaMA). An extra role keeps the encoders used for images or video only. Exact."
    ),
    "hubs": (
        "Finds the best-connected nodes of two graphs: the lineage (a model linked to the "
        "models it was derived from) and the co-usage graph (two components joined when one "
        "model uses both). For each, the top ten by degree (number of links), betweenness "
        "(how often a node lies on the shortest path between two others) and PageRank "
        "(importance passed along links, here from later models to earlier ones). Degree and "
        f"PageRank are exact; betweenness is exact up to {BETWEENNESS_EXACT_MAX:,} nodes "
        f"and above that is estimated from {BETWEENNESS_SAMPLE} sampled start nodes with a "
        "fixed seed, as the notes then say."
    ),
    "lineage": (
        "Reads the lineage as a directed graph without cycles, using derivation links only "
        "(an 'inspired by' link says nothing was reused). It lists the roots (models derived "
        "from nothing) with how many models descend from them, the longest chains of "
        "derivations, the ancestors with the most descendants, and each model's depth (the "
        "longest chain of derivations from a root down to it). A model with two parents "
        "counts once under each line. Exact."
    ),
    "communities": (
        "Groups models that are built from the same parts: two models are joined with a "
        "weight equal to the number of components both use, and the groups are those that "
        "maximise modularity (many shared components inside a group, few across groups). "
        "Modularity near 0 means no real grouping, above 0.3 a clear one. Exact (greedy "
        f"modularity) up to {EXACT_MAX_MODELS:,} models; above that, a Louvain "
        "search with a fixed seed on the "
        "model-component graph, which gives a close but not always the best grouping."
    ),
    "trends": (
        "Counts the dated models per half-year (January-June, July-December): by the survey's "
        "divisions (understanding or generation, end-to-end or tool-using), by the modalities "
        "they take in and give out, and by the family of their input projector. It then checks "
        "the survey's five named trends against these counts and the lineage, giving for each "
        "a verdict (yes, partly, no) and the evidence. Exact; models without a release month "
        "are left out."
    ),
    "comparisons": (
        "Looks for controlled comparisons: two variants of one model that differ in a single "
        "factor, either a larger LLM backbone of the same family or extra training data, and "
        "compares their scores on the benchmarks both report. The mean difference is B minus A "
        "over those benchmarks (MME, not scored out of 100, is left out of it). Exact, but only "
        "as controlled as the papers' own variants are."
    ),
}
