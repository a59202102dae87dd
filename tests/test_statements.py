"""A model's own statements: facts with their sources, merged with the website and survey."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, XSD

from mmkg.build import build_graph
from mmkg.errors import DataError
from mmkg.load import load_facts
from mmkg.namespaces import MMKG
from mmkg.paths import ONTOLOGY_FILE

DOC = "docs/source/en/model_doc/newvl.md at commit 0123456789abcdef0123456789abcdef01234567"
NEW_MODEL = f"""name: NewVL-2026
alt_labels: [NewVL]
stated:
  - source: hf-transformers-docs
    locator: "{DOC}"
    released: "2026-03-05"
    paper: {{title: "NewVL: a model for tests", url: "https://arxiv.org/abs/2603.01234"}}
    input_modalities: [image, text]
    output_modalities: [text]
    parameter_counts: [7000000000]
    architecture:
      llm-backbone: [{{component: vicuna-v1.5-7b}}]
      modality-encoder: [{{component: clip-vit-l, modalities: [image], resolution: 336}}]
      output-projector: []
"""


def _problems(data: Path) -> list:
    with pytest.raises(DataError) as info:
        load_facts(data)
    return info.value.problems


def test_a_model_with_only_its_own_sources_builds(data_copy: Path) -> None:
    (data_copy / "models" / "newvl-2026.yaml").write_text(NEW_MODEL, encoding="utf-8")
    facts = load_facts(data_copy)
    model = facts.models["newvl-2026"]
    assert model.post is None and model.period is None
    assert model.released is not None and model.released.date().isoformat() == "2026-03-05"
    assert model.paper is not None and model.paper.arxiv_id == "2603.01234"
    assert model.input_modalities == ["image", "text"]
    assert [u.component for u in model.architecture["llm-backbone"]] == ["vicuna-v1.5-7b"]
    assert model.architecture["output-projector"] == []
    assert model.provenance["released"][0].locator == DOC
    graph, _ = build_graph(facts, ONTOLOGY_FILE)
    node = URIRef("https://w3id.org/mmkg/id/model/newvl-2026")
    date = Literal("2026-03-05T00:00:00+00:00", datatype=XSD.dateTime)
    assert (node, MMKG.releaseDate, date) in graph
    # the release date's axiom cites the page and commit
    axioms = [
        a
        for a in graph.subjects(OWL.annotatedSource, node)
        if (a, OWL.annotatedProperty, MMKG.releaseDate) in graph
    ]
    assert len(axioms) == 1
    citations = list(graph.objects(axioms[0], MMKG.statedIn))
    assert [str(graph.value(c, MMKG.locator)) for c in citations] == [DOC]
    assert graph.value(citations[0], DCTERMS.source) == URIRef(
        "https://github.com/huggingface/transformers"
    )
    assert (node, MMKG.lacksRole, URIRef("https://w3id.org/mmkg/id/role/output-projector")) in (
        graph
    )


def test_a_fact_without_a_source_is_rejected(data_copy: Path) -> None:
    (data_copy / "models" / "loose.yaml").write_text(
        'name: Loose\nreleased: "2025-01-01"\n', encoding="utf-8"
    )
    problems = [p for p in _problems(data_copy) if p.record == "loose"]
    assert len(problems) == 1
    assert problems[0].file == "data/models/loose.yaml"
    assert "field 'released' states a fact without a source" in problems[0].message


def test_a_statement_needs_a_locator_and_a_known_source(data_copy: Path) -> None:
    text = NEW_MODEL.replace("hf-transformers-docs", "hf-transformers-doc")
    (data_copy / "models" / "newvl-2026.yaml").write_text(text, encoding="utf-8")
    problems = [p for p in _problems(data_copy) if p.record == "newvl-2026"]
    assert [(p.field, p.hint) for p in problems] == [
        ("stated.0.source", "did you mean 'hf-transformers-docs'?")
    ]
    text = NEW_MODEL.replace(f'    locator: "{DOC}"\n', "")
    (data_copy / "models" / "newvl-2026.yaml").write_text(text, encoding="utf-8")
    problems = [p for p in _problems(data_copy) if p.record == "newvl-2026"]
    assert [p.field for p in problems] == ["stated.0.locator"]


def test_a_statement_that_disagrees_with_the_website_needs_a_decision(data_copy: Path) -> None:
    path = data_copy / "models" / "llava-1.5.yaml"
    statement = (
        "stated:\n  - source: hf-transformers-docs\n"
        f'    locator: "{DOC}"\n    released: "2023-10-06"\n'
    )
    path.write_text(path.read_text(encoding="utf-8") + statement, encoding="utf-8")
    problems = [p for p in _problems(data_copy) if p.record == "llava-1.5"]
    assert len(problems) == 1 and problems[0].field == "released"
    assert problems[0].message == (
        "the website says '2023-10-05' but source 'hf-transformers-docs' says '2023-10-06'"
    )
    assert "use: site|hf-transformers-docs" in problems[0].hint
    path.write_text(
        path.read_text(encoding="utf-8")
        + "decisions:\n  - {field: released, use: hf-transformers-docs, reason: for the test}\n",
        encoding="utf-8",
    )
    facts = load_facts(data_copy)
    model = facts.models["llava-1.5"]
    assert model.released is not None and model.released.date().isoformat() == "2023-10-06"
    assert [r.source for r in model.provenance["released"]] == ["hf-transformers-docs"]


def test_a_statement_that_agrees_keeps_both_sources(data_copy: Path) -> None:
    path = data_copy / "models" / "llava-1.5.yaml"
    statement = (
        "stated:\n  - source: hf-transformers-docs\n"
        f'    locator: "{DOC}"\n    released: "2023-10-05"\n'
    )
    path.write_text(path.read_text(encoding="utf-8") + statement, encoding="utf-8")
    model = load_facts(data_copy).models["llava-1.5"]
    assert [r.source for r in model.provenance["released"]] == [
        "mm-llms-site",
        "hf-transformers-docs",
    ]


def test_every_fact_of_the_survey_models_cites_a_locator(facts) -> None:  # noqa: ANN001
    """Field-level provenance: no kept fact of a model is cited to a bare document."""
    for model in facts.models.values():
        for fld, refs in model.provenance.items():
            assert refs, (model.slug, fld)
            assert all(r.locator for r in refs), (model.slug, fld)


def test_an_impossible_stated_date_is_a_located_error(data_copy: Path) -> None:
    text = NEW_MODEL.replace('released: "2026-03-05"', 'released: "2026-02-30"')
    (data_copy / "models" / "newvl-2026.yaml").write_text(text, encoding="utf-8")
    problems = [p for p in _problems(data_copy) if p.record == "newvl-2026"]
    assert [(p.field, p.message) for p in problems] == [
        ("stated.0.released", "'2026-02-30' is not a real date (no such month or day)")
    ]


DOC_LATER = DOC.replace("0123456789abcdef", "fedcba9876543210")


def test_two_versions_of_one_source_may_give_different_fields(data_copy: Path) -> None:
    later = f'  - source: hf-transformers-docs\n    locator: "{DOC_LATER}"\n    venue_year: 2026\n'
    text = NEW_MODEL.replace("    output_modalities: [text]\n", "") + later.replace(
        "venue_year: 2026", "output_modalities: [text]"
    )
    (data_copy / "models" / "newvl-2026.yaml").write_text(text, encoding="utf-8")
    model = load_facts(data_copy).models["newvl-2026"]
    assert model.output_modalities == ["text"]
    assert [r.locator for r in model.provenance["output_modalities"]] == [DOC_LATER]
    assert [r.locator for r in model.provenance["released"]] == [DOC]


def test_one_source_giving_a_field_twice_is_a_located_error(data_copy: Path) -> None:
    later = f'  - source: hf-transformers-docs\n    locator: "{DOC_LATER}"\n'
    later += '    released: "2026-03-06"\n'
    (data_copy / "models" / "newvl-2026.yaml").write_text(NEW_MODEL + later, encoding="utf-8")
    problems = [p for p in _problems(data_copy) if p.record == "newvl-2026"]
    assert [(p.file, p.field) for p in problems] == [
        ("data/models/newvl-2026.yaml", "stated.1.released")
    ]
    assert problems[0].message == "source 'hf-transformers-docs' already gives released in stated.0"


def test_a_model_known_only_from_a_source_that_names_it_builds(data_copy: Path) -> None:
    text = (
        "name: OnlyNamed\nsources:\n  - source: transformers-library\n"
        "    locator: 'transformers 5.23.0: OnlyNamedConfig in transformers.models.only_named'\n"
    )
    (data_copy / "models" / "only-named.yaml").write_text(text, encoding="utf-8")
    facts = load_facts(data_copy)
    model = facts.models["only-named"]
    assert model.released is None and model.input_modalities == []
    graph, _ = build_graph(facts, ONTOLOGY_FILE)
    node = URIRef("https://w3id.org/mmkg/id/model/only-named")
    assert (node, MMKG.hasInputModality, None) not in graph  # unknown stays absent
    (data_copy / "models" / "only-named.yaml").write_text("name: OnlyNamed\n", encoding="utf-8")
    problems = [p for p in _problems(data_copy) if p.record == "only-named"]
    assert len(problems) == 1 and "a source that names it (sources)" in problems[0].message
