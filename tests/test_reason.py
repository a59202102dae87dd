"""Both engines: the real graph is consistent, the defined classes fill, and HermiT and the
rules give the same members of every class on the real graph and on a synthetic one."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from typer.testing import CliRunner

from mmkg.build import build_graph, iri
from mmkg.cli import app
from mmkg.load import load_facts
from mmkg.namespaces import MMKG
from mmkg.paths import ONTOLOGY_FILE, PROJECT_ROOT
from mmkg.reason import (
    HERMIT_LIMIT,
    Inference,
    ReasoningError,
    choose_engine,
    load_graph,
    reason,
    write_inferred,
)
from mmkg.reason.translate import compile_rules

ENGINES = ["hermit", "rules"]
#: Small enough for HermiT, and shaped like a model hub (lineage chains, merges, variants).
SYNTHETIC_MODELS = 60

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
    written = write_inferred(graph, inference, path)
    reread = Graph().parse(path)
    assert len(reread) == written == len(graph) + len(inference.added)
    assert (iri("model", "next-gpt"), RDF.type, MMKG.AnyToAnyModel) in reread
    # literals as given: OWL 2 wants a cardinality typed xsd:nonNegativeInteger
    cardinalities = set(reread.objects(None, OWL.maxQualifiedCardinality))
    assert cardinalities == {Literal(0, datatype=XSD.nonNegativeInteger)}


@pytest.mark.parametrize("engine", ENGINES)
def test_inconsistent_graph_is_reported(engine: str) -> None:
    graph = Graph().parse(ONTOLOGY_FILE)
    bad = iri("model", "bad")
    graph.add((bad, RDF.type, MMKG.Model))
    graph.add((bad, RDF.type, MMKG.Component))  # Model and Component are disjoint
    graph.add((bad, RDFS.label, Literal("bad")))
    with pytest.raises(ReasoningError, match="inconsistent"):
        reason(graph, engine)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("stated", [False, True])
def test_a_model_that_lacks_a_role_and_uses_a_component_in_it_is_inconsistent(
    stated: bool, engine: str
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
        found = reason(graph, engine)
        assert found.engine == engine
        assert str(model) in found.members(MMKG.ModelWithoutOutputProjector)
        assert str(use) in found.members(MMKG.InputProjectorUsage)
        return
    with pytest.raises(ReasoningError, match="inconsistent"):
        reason(graph, engine)


# --- the rules engine against HermiT ----------------------------------------------------


def _defined_classes() -> list[str]:
    """Every class the ontology defines (``owl:equivalentClass`` a class expression)."""
    onto = Graph().parse(ONTOLOGY_FILE)
    pairs = onto.subject_objects(OWL.equivalentClass)
    return sorted(str(s) for s, o in pairs if isinstance(s, URIRef) and isinstance(o, BNode))


DEFINED_CLASSES = _defined_classes()


@pytest.fixture(scope="module")
def rules_inference(graph: Graph) -> Inference:
    """The rules engine's classification of the real graph."""
    return reason(graph, "rules")


def test_auto_runs_hermit_on_the_real_graph(graph: Graph, inference: Inference) -> None:
    assert inference.triples == len(graph) <= HERMIT_LIMIT
    assert inference.engine == "hermit" and not inference.unchecked


def test_auto_chooses_by_the_number_of_triples() -> None:
    assert choose_engine(HERMIT_LIMIT) == "hermit"
    assert choose_engine(HERMIT_LIMIT + 1) == "rules"
    assert choose_engine(10, "rules") == "rules" and choose_engine(10**9, "hermit") == "hermit"
    with pytest.raises(ReasoningError, match="unknown engine 'pellet'"):
        choose_engine(10, "pellet")


def test_every_defined_class_of_the_ontology_has_a_rule() -> None:
    """A new definition gets a rule, or the rules engine refuses to run (next test)."""
    assert len(DEFINED_CLASSES) >= 21
    rules = compile_rules(load_graph(ONTOLOGY_FILE).store)
    assert set(DEFINED_CLASSES) <= rules.defined.keys()


@pytest.mark.parametrize(
    "definition",
    [
        "[ a owl:Restriction ; owl:onProperty mmkg:hasComponentUsage ; "
        "owl:allValuesFrom mmkg:ComponentUsage ]",
        "[ a owl:Restriction ; owl:onProperty mmkg:descendsFrom ; owl:hasSelf true ]",
        "[ a owl:Restriction ; owl:onProperty [ owl:inverseOf mmkg:descendsFrom ] ; "
        "owl:someValuesFrom mmkg:Model ]",
    ],
)
def test_a_definition_the_rules_cannot_translate_stops_them(definition: str) -> None:
    graph = Graph().parse(ONTOLOGY_FILE)
    graph.parse(
        data="@prefix mmkg: <https://w3id.org/mmkg/ontology#> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "mmkg:Odd a owl:Class ; owl:equivalentClass [ a owl:Class ; "
        f"owl:intersectionOf ( mmkg:MultimodalLLM {definition} ) ] .",
        format="turtle",
    )
    with pytest.raises(ReasoningError, match="translate"):
        compile_rules(load_graph(graph).store)


@pytest.mark.parametrize("cls", DEFINED_CLASSES, ids=lambda c: c.rsplit("#", 1)[-1])
def test_rules_give_hermits_members_on_the_real_graph(
    inference: Inference, rules_inference: Inference, cls: str
) -> None:
    assert rules_inference.engine == "rules"
    assert rules_inference.members(cls) == inference.members(cls)


def test_rules_give_every_class_assertion_hermit_gives(
    inference: Inference, rules_inference: Inference
) -> None:
    """Not only the defined classes: superclasses, domains and ranges too."""
    assert rules_inference.per_class == inference.per_class
    assert rules_inference.added == inference.added


def test_the_inferred_file_is_the_same_from_either_engine(
    graph: Graph, inference: Inference, rules_inference: Inference, tmp_path: Path
) -> None:
    files = {}
    for found in (inference, rules_inference):
        files[found.engine] = tmp_path / f"{found.engine}.ttl"
        write_inferred(graph, found, files[found.engine])
    hermit, rules = (ox.Dataset(ox.parse(path=files[e])) for e in ENGINES)
    for dataset in (hermit, rules):  # blank nodes named from their content (RDFC-1.0)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    assert hermit == rules and len(rules) == len(graph) + len(inference.added)


@pytest.fixture(scope="module")
def synthetic_graph(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    """The real data plus synthetic models (benchmarks/synthetic.py), built."""
    sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))
    from synthetic import generate

    folder = tmp_path_factory.mktemp("synthetic")
    return build_graph(load_facts(generate(SYNTHETIC_MODELS, folder / "data")), ONTOLOGY_FILE)[0]


def test_rules_give_hermits_members_on_a_synthetic_graph(synthetic_graph: Graph) -> None:
    """Lineage chains, merges and variants that the real data does not have."""
    hermit, rules = (reason(synthetic_graph, engine) for engine in ENGINES)
    assert (hermit.engine, rules.engine) == ("hermit", "rules")
    for cls in DEFINED_CLASSES:
        assert rules.members(cls) == hermit.members(cls), cls
    assert rules.per_class == hermit.per_class
    synthetic = {m for m in hermit.members(MMKG.LLaMABackboneModel) if "/model/syn" in m}
    assert synthetic, "the synthetic models reach the defined classes"


def test_two_values_of_a_functional_property_stop_the_rules() -> None:
    """HermiT would make the two components one individual; the rules do no equality."""
    graph = Graph().parse(ONTOLOGY_FILE)
    use = iri("usage", "m/llm-backbone/1")
    graph.add((use, RDF.type, MMKG.ComponentUsage))
    for name in ("a", "b"):
        graph.add((iri("component", name), RDF.type, MMKG.Component))
        graph.add((use, MMKG.usesComponent, iri("component", name)))
    with pytest.raises(ReasoningError, match="functional"):
        reason(graph, "rules")


def test_the_rules_engine_has_hermit_check_the_ontology() -> None:
    """A class that can have no member is found even when the data is left to the rules."""
    graph = Graph().parse(ONTOLOGY_FILE)
    odd = URIRef(str(MMKG) + "ModelComponent")
    graph.add((odd, RDF.type, OWL.Class))
    graph.add((odd, RDFS.subClassOf, MMKG.Model))
    graph.add((odd, RDFS.subClassOf, MMKG.Component))  # Model and Component are disjoint
    with pytest.raises(ReasoningError, match="no member.*ModelComponent"):
        reason(graph, "rules")


def test_reason_command_takes_an_engine(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["reason", "--engine", "nope", "--out", str(tmp_path)])
    assert result.exit_code == 1 and "unknown engine 'nope'" in result.output
    result = runner.invoke(app, ["reason", "--engine", "rules", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "Rules: consistent" in flat and "AnyToAnyModel" in flat
    assert "engine: rules (chosen with --engine" in flat and f"{HERMIT_LIMIT:,}" in flat
    assert "checked: disjoint classes" in flat and "not checked by the rules: datatypes" in flat
    assert (tmp_path / "mmkg-inferred.ttl").stat().st_size > 100_000
    help_text = " ".join(runner.invoke(app, ["reason", "--help"]).output.split())
    assert f"up to {HERMIT_LIMIT:,} triples" in help_text
