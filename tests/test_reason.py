"""HermiT through owlready2: the real graph is consistent and the defined classes fill."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

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


def test_defined_classes_hold_what_their_labels_say(inference: Inference, graph: Graph) -> None:
    """Models, not variants; generation means image, video or audio out, not boxes or masks."""
    for name in ("GenerationModel", "AnyToAnyModel", "QFormerBasedModel", "LLaMABackboneModel"):
        members = inference.members(MMKG[name])
        variants = {m for m in members if (URIRef(m), RDF.type, MMKG.ModelVariant) in graph}
        assert not variants, (name, sorted(variants)[:3])
        assert all((URIRef(m), RDF.type, MMKG.MultimodalLLM) in graph for m in members), name
    media = {iri("modality", m) for m in ("image", "video", "audio")}
    assert {URIRef(m) for m in inference.members(MMKG.MediaModality)} == media
    generation = _members(inference, "GenerationModel")
    # boxes, masks, retrieved images and actions are outputs but not generated media
    assert not {"kosmos-2", "shikra", "lisa", "glamm", "fromage"} & generation
    assert {"next-gpt", "gill", "emu3", "qwen2.5-omni"} <= generation
    for model in inference.members(MMKG.GenerationModel):
        assert set(graph.objects(URIRef(model), MMKG.hasOutputModality)) & media, model
    for model in inference.members(MMKG.AnyToAnyModel):
        for prop in (MMKG.hasInputModality, MMKG.hasOutputModality):
            assert len(set(graph.objects(URIRef(model), prop)) & media) >= 2, (model, prop)


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


@pytest.mark.parametrize("stated", [False, True])
def test_a_model_that_lacks_a_role_and_uses_a_component_in_it_is_inconsistent(
    stated: bool,
) -> None:
    """lacksRole has logical force: no usage in that role may follow (a max-0 restriction)."""
    graph = Graph().parse(ONTOLOGY_FILE)
    model, use, mlp = iri("model", "m"), iri("usage", "m/output-projector/1"), iri("component", "c")
    for node in (model, use, mlp):
        graph.add((node, RDF.type, OWL.NamedIndividual))
    graph.add((model, RDF.type, MMKG.MultimodalLLM))
    graph.add((model, MMKG.lacksRole, iri("role", "output-projector")))
    graph.add((mlp, RDF.type, MMKG.Component))
    graph.add((use, RDF.type, MMKG.ComponentUsage))
    graph.add((use, MMKG.usesComponent, mlp))
    role = "output-projector" if stated else "input-projector"
    graph.add((use, MMKG.inRole, iri("role", role)))
    graph.add((model, MMKG.hasComponentUsage, use))
    if not stated:  # a usage in another role is fine, and the model is classified
        found = reason(graph)
        assert str(model) in found.members(MMKG.ModelWithoutOutputProjector)
        assert str(use) in found.members(MMKG.InputProjectorUsage)
        return
    with pytest.raises(ReasoningError, match="inconsistent"):
        reason(graph)
