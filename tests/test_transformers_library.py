"""The transformers importer (on the pinned library) and the implementations in the graph."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from mmkg.load.library import read_library_layer
from mmkg.load.reading import _Collector
from mmkg.namespaces import MMKG
from mmkg.paths import DATA_DIR, RAW_TRANSFORMERS_DIR
from mmkg.sources.transformers_library import curated_types, import_library

ID = "https://w3id.org/mmkg/id/"


@pytest.fixture(scope="module")
def reimport(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    """The committed raw layer, imported again from the installed library."""
    raw = tmp_path_factory.mktemp("raw") / "transformers"
    shutil.copytree(RAW_TRANSFORMERS_DIR, raw)
    before = {p.name: p.read_bytes() for p in raw.glob("*.yaml")}
    report = import_library(raw, curated_types(DATA_DIR))
    return raw, before, report


def test_the_pinned_library_is_installed() -> None:
    import transformers

    assert transformers.__version__.startswith("5.23.")


def test_importing_the_same_version_leaves_data_unchanged(reimport) -> None:  # noqa: ANN001
    raw, before, report = reimport
    assert report.created == [] and report.changed == [] and report.removed == []
    assert {p.name: p.read_bytes() for p in raw.glob("*.yaml")} == before
    again = import_library(raw, curated_types(DATA_DIR))
    assert again.created == again.changed == again.removed == []


def test_an_uncurated_architecture_is_reported_by_name(tmp_path: Path) -> None:
    covered = curated_types(DATA_DIR) - {"llava_onevision"}
    report = import_library(tmp_path / "raw", covered)
    assert "llava_onevision" in report.uncovered
    assert "clip" not in report.uncovered  # a dual encoder is no multimodal LM


def test_the_raw_layer_records_sub_models_and_classes() -> None:
    col = _Collector(DATA_DIR)
    known: dict[str, set[str]] = {k: set() for k in ("models", "sources", "roles", "families")}
    curation = DATA_DIR / "curation" / "transformers-types.yaml"
    lib = read_library_layer(
        col, RAW_TRANSFORMERS_DIR, curation, known, lambda known, slug, *where: slug in known
    )
    onevision = lib.types["llava_onevision"]
    assert {(s.key, s.model_type) for s in onevision.sub_models} == {
        ("vision_config", "siglip_vision_model"),
        ("text_config", "qwen2"),
    }
    assert "image-text-to-text" in onevision.model_classes["LlavaOnevisionForConditionalGeneration"]
    assert lib.library is not None and lib.library.version.startswith("5.23.")


def test_every_curated_architecture_is_linked_to_its_model(facts, graph, reimport) -> None:  # noqa: ANN001
    lib = facts.library
    linked = {t: e.model for t, e in lib.curated.items() if e.model}
    assert len(linked) >= 80
    for model_type, model in linked.items():
        node = URIRef(f"{ID}implementation/transformers/{model_type}")
        assert (node, MMKG.implementsModel, URIRef(f"{ID}model/{model}")) in graph, model_type
        assert (node, MMKG.modelType, Literal(model_type)) in graph
    # every candidate of the raw layer is curated, or reported by the importer
    uncurated = sorted(set(lib.candidates()) - set(lib.curated))
    assert reimport[2].uncovered == uncurated
    # ... and the graph holds every multimodal architecture of the pinned version
    assert uncurated == []
    assert all(t in linked or lib.curated[t].not_an_mm_llm for t in lib.candidates())


def test_existing_models_are_served_by_their_implementations(graph) -> None:  # noqa: ANN001
    for model_type, model in (("llava", "llava"), ("blip-2", "blip-2"), ("fuyu", "fuyu-8b")):
        node = URIRef(f"{ID}implementation/transformers/{model_type}")
        assert (node, MMKG.implementsModel, URIRef(f"{ID}model/{model}")) in graph
    sub = URIRef(f"{ID}implementation/transformers/siglip_vision_model")
    onevision = URIRef(f"{ID}implementation/transformers/llava_onevision")
    assert (onevision, MMKG.hasSubModel, sub) in graph


ENCODER_KEYS = {
    "vision_config",
    "high_res_vision_config",
    "audio_config",
    "encoder_config",
    "acoustic_tokenizer_encoder_config",
    "semantic_tokenizer_encoder_config",
    "vq_config",
}
FAMILIES_BY_ROLE = """
PREFIX mmkg: <https://w3id.org/mmkg/ontology#>
SELECT ?role ?family WHERE {
  ?impl mmkg:hasSubModel+ ?sub .
  ?sub mmkg:implementsComponent ?component .
  ?component mmkg:listedInRole ?role ; mmkg:inFamily ?family .
  FILTER (?role IN (<https://w3id.org/mmkg/id/role/modality-encoder>,
                    <https://w3id.org/mmkg/id/role/llm-backbone>))
}"""


def _sub_model_keys(lib, model_type: str) -> set[str]:  # noqa: ANN001
    """The configuration keys of a type and of its sub-models, all the way down."""
    keys: set[str] = set()
    for sub in lib.types[model_type].sub_models:
        keys.add(sub.key)
        if sub.model_type in lib.types and sub.model_type != model_type:
            keys |= _sub_model_keys(lib, sub.model_type)
    return keys


def test_every_mm_llm_architecture_has_its_encoder_and_llm_families(facts, graph) -> None:  # noqa: ANN001
    lib = facts.library
    linked = {t for t, e in lib.curated.items() if e.model}
    for model_type in sorted(linked):
        impl = URIRef(f"{ID}implementation/transformers/{model_type}")
        rows = graph.query(FAMILIES_BY_ROLE, initBindings={"impl": impl})
        roles = {str(r.role).rsplit("/", 1)[1] for r in rows}
        keys = _sub_model_keys(lib, model_type)
        assert ("llm-backbone" in roles) == ("text_config" in keys), model_type
        assert ("modality-encoder" in roles) == bool(keys & ENCODER_KEYS), model_type
    # most architectures have both; Fuyu feeds image patches to its decoder without an encoder
    assert "fuyu" in linked and not _sub_model_keys(lib, "fuyu") & ENCODER_KEYS


def test_every_sub_model_of_an_mm_llm_architecture_is_curated(facts) -> None:  # noqa: ANN001
    lib = facts.library
    used = {
        sub.model_type
        for t, e in lib.curated.items()
        if e.model
        for sub in lib.types[t].sub_models
        if sub.model_type and sub.key in ENCODER_KEYS | {"text_config", "qformer_config"}
    }
    assert used and used <= set(lib.submodels), sorted(used - set(lib.submodels))


def test_shared_encoders_put_architectures_in_one_family(graph) -> None:  # noqa: ANN001
    query = """
    PREFIX mmkg: <https://w3id.org/mmkg/ontology#>
    SELECT DISTINCT ?model WHERE {
      ?impl mmkg:implementsModel ?model ; mmkg:hasSubModel/mmkg:implementsComponent ?c .
      ?c mmkg:inFamily <https://w3id.org/mmkg/id/family/siglip> .
    }"""
    models = {str(r.model).rsplit("/", 1)[1] for r in graph.query(query)}
    # the library configures each of these with the siglip_vision_model encoder by default
    assert {"llava-onevision", "paligemma", "aya-vision", "deepseek-vl"} <= models
