"""Projections of the real graph into NetworkX."""

from __future__ import annotations

from expected import MODELS
from mmkg.build import iri
from mmkg.graphview import (
    component_cousage_graph,
    family_tree,
    lineage_graph,
    model_component_graph,
)


def test_lineage_graph_holds_every_model_and_link(store, facts) -> None:  # noqa: ANN001
    graph = lineage_graph(store)
    assert graph.number_of_nodes() == len(facts.models) == MODELS
    # the 40 links of the data: 21 that a source states, 19 that only the names suggest
    assert graph.number_of_edges() == 21
    llava, llava15 = str(iri("model", "llava")), str(iri("model", "llava-1.5"))
    edges = graph.get_edge_data(llava, llava15).values()
    assert {(d["kind"], d["influence"]) for d in edges} == {
        ("isTrendSuccessorOf", True),
        ("isNewVersionOf", False),
    }
    assert graph.nodes[llava]["year"] == 2023 and graph.nodes[llava]["label"] == "LLaVA"
    confidences = {d["confidence"] for _, _, d in graph.edges(data=True)}
    assert confidences == {"stated in the survey", "stated in the model's own paper"}
    # name-only links come only when asked for, marked as suggestions
    everything = lineage_graph(store, suggested=True)
    assert everything.number_of_edges() == 40
    suggested = [d for _, _, d in everything.edges(data=True) if d["suggested"]]
    assert len(suggested) == 19
    assert {d["confidence"] for d in suggested} == {"suggested only by the model names"}


def test_model_component_graph_is_bipartite(store) -> None:  # noqa: ANN001
    graph = model_component_graph(store)
    models = [n for n, d in graph.nodes(data=True) if d["kind"] == "model"]
    assert len(models) == 44
    edge = graph.get_edge_data(str(iri("model", "x-llm")), str(iri("component", "c-former")))
    assert edge["roles"] == ["Modality encoder"] and edge["modalities"] == ["Audio"]


def test_cousage_counts_models(store) -> None:  # noqa: ANN001
    graph = component_cousage_graph(store)
    pair = graph.get_edge_data(
        str(iri("component", "q-former-linear-projector")),
        str(iri("component", "eva-clip-vit-g-14")),
    )
    assert pair is not None and pair["weight"] >= 2  # MiniGPT-4 and MiniGPT-5 at least


def test_family_tree_has_members_and_derivations(store) -> None:  # noqa: ANN001
    graph = family_tree(store)
    assert (
        graph.get_edge_data(str(iri("family", "llama")), str(iri("family", "vicuna")))["kind"]
        == "fineTunedFrom"
    )
    assert graph.get_edge_data(str(iri("family", "vicuna")), str(iri("component", "vicuna-13b")))
