"""HermiT through owlready2: the real graph is consistent and the defined classes fill."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from mmkg.build import iri
from mmkg.namespaces import MMKG
from mmkg.paths import ONTOLOGY_FILE
from mmkg.reason import Inference, ReasoningError, reason, write_inferred

DEFINED = [
    "GenerationModel",
    "AnyToAnyModel",
    "QFormerBasedModel",
    "VideoUnderstandingModel",
    "LLaMABackboneModel",
    "ToolUsingModel",
    "DetailedModel",
]


@pytest.fixture(scope="module")
def inference(graph: Graph) -> Inference:
    return reason(graph)


def _members(inference: Inference, name: str) -> set[str]:
    return {m.rsplit("/", 1)[-1] for m in inference.members(MMKG[name])}


@pytest.mark.parametrize("name", DEFINED)
def test_each_defined_class_is_filled_by_the_reasoner(
    inference: Inference, graph: Graph, name: str
) -> None:
    members = inference.members(MMKG[name])
    assert members, name
    assert not any((URIRef(m), RDF.type, MMKG[name]) in graph for m in members)


def test_specific_inferences(inference: Inference) -> None:
    assert "next-gpt" in _members(inference, "AnyToAnyModel")
    assert "blip-2" in _members(inference, "QFormerBasedModel")
    assert "llava" in _members(inference, "LLaMABackboneModel")
    assert "video-llama" in _members(inference, "VideoUnderstandingModel")
    assert "hugginggpt" in _members(inference, "ToolUsingModel")
    assert "gill" in _members(inference, "GenerationModel")


def test_inferences_follow_the_definitions(inference: Inference) -> None:
    # LLaVA-1.5 reads images and writes text: neither any-to-any nor a generation model
    assert "llava-1.5" not in _members(inference, "AnyToAnyModel")
    assert "llava-1.5" not in _members(inference, "GenerationModel")
    # Flamingo's Chinchilla backbone is not in the LLaMA lineage; Qwen-VL's Qwen neither
    assert not {"flamingo", "qwen-vl"} & _members(inference, "LLaMABackboneModel")
    # through the derivation chain: Vicuna family -> LLaMA family
    assert "vicuna" in _members(inference, "LLaMALineageFamily")
    assert _members(inference, "QFormerBasedModel") == {
        "blip-2",
        "bubogpt",
        "dlp",
        "instructblip",
        "minigpt-4",
        "minigpt-5",
        "video-llama",
        "videochat",
        "x-instructblip",
        "x-llm",
    }
    assert len(_members(inference, "DetailedModel")) == 44


def test_inferred_graph_is_written(inference: Inference, graph: Graph, tmp_path: Path) -> None:
    path = tmp_path / "mmkg-inferred.ttl"
    out = write_inferred(graph, inference, path)
    reread = Graph().parse(path)
    assert len(reread) == len(out) == len(graph) + len(inference.added)
    assert (iri("model", "next-gpt"), RDF.type, MMKG.AnyToAnyModel) in reread


def test_inconsistent_graph_is_reported() -> None:
    graph = Graph().parse(ONTOLOGY_FILE)
    bad = iri("model", "bad")
    graph.add((bad, RDF.type, MMKG.Model))
    graph.add((bad, RDF.type, MMKG.Component))  # Model and Component are disjoint
    graph.add((bad, RDFS.label, Literal("bad")))
    with pytest.raises(ReasoningError, match="inconsistent"):
        reason(graph)
