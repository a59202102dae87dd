"""The survey's Table 2: every one of its 175 scores, with its flags, on the right variant."""

from __future__ import annotations

import csv

import pytest

from mmkg.paths import SURVEY_DIR
from mmkg.queries import run_sparql

ROWS = list(csv.DictReader((SURVEY_DIR / "table2.csv").open(encoding="utf-8")))

RESULTS = """
PREFIX mmkg: <https://w3id.org/mmkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?variant ?column ?score ?seen ?reimplemented ?metric ?benchmark ?model WHERE {
  ?r a mmkg:EvaluationResult ; mmkg:evaluatesModel ?v ; mmkg:surveyColumn ?column ;
     mmkg:score ?score ; mmkg:trainImagesSeen ?seen ; mmkg:reimplemented ?reimplemented ;
     mmkg:usesMetric ?metric ; mmkg:onBenchmark ?benchmark .
  ?model mmkg:hasVariant ?v .
  ?v rdfs:label ?variant .
}"""

# Table 2's (model, backbone) rows -> the variant that produced them
VARIANT_OF_ROW = {
    ("Flamingo", "Chinchilla-7B"): "flamingo-chinchilla-7b",
    ("BLIP-2", "Flan-T5XXL (13B)"): "blip-2-flan-t5-xxl",
    ("LLaVA", "Vicuna-13B"): "llava-vicuna-13b",
    ("MiniGPT-4", "Vicuna-13B"): "minigpt-4-vicuna-13b",
    ("InstructBLIP", "Vicuna-7B"): "instructblip-vicuna-7b",
    ("InstructBLIP", "Vicuna-13B"): "instructblip-vicuna-13b",
    ("Shikra", "Vicuna-13B"): "shikra-vicuna-13b",
    ("IDEFICS-9B", "LLaMA-7B"): "idefics-9b",
    ("IDEFICS-80B", "LLaMA-65B"): "idefics-80b",
    ("Qwen-VL", "Qwen-7B"): "qwen-vl-base",
    ("Qwen-VL-Chat", "Qwen-7B"): "qwen-vl-chat",
    ("LLaVA-1.5", "Vicuna-1.5-7B"): "llava-1.5-7b",
    ("LLaVA-1.5", "Vicuna-1.5-13B"): "llava-1.5-13b",
    ("+ShareGPT4V", "Vicuna-1.5-7B"): "llava-1.5-7b-sharegpt4v",
    ("MiniGPT-v2", "LLaMA-2-Chat-7B"): "minigpt-v2-base",
    ("MiniGPT-v2-Chat", "LLaMA-2-Chat-7B"): "minigpt-v2-chat",
    ("VILA-7B", "LLaMA-2-7B"): "vila-7b",
    ("VILA-13B", "LLaMA-2-13B"): "vila-13b",
    ("+ShareGPT4V", "LLaMA-2-13B"): "vila-13b-sharegpt4v",
}


@pytest.fixture(scope="module")
def results(store) -> dict:  # noqa: ANN001
    rows = run_sparql(store, RESULTS).rows
    return {(r[0], r[1]): r for r in rows}


@pytest.fixture(scope="module")
def labels(store) -> dict[str, str]:  # noqa: ANN001
    rows = run_sparql(
        store,
        "SELECT ?v ?l WHERE { ?v a "
        "<https://w3id.org/mmkg/ontology#ModelVariant> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?l }",
    ).rows
    return {iri.rsplit("/", 1)[-1]: label for iri, label in rows}


def test_175_results(results: dict) -> None:
    assert len(ROWS) == 175 and len(results) == 175


@pytest.mark.parametrize(
    "row", ROWS, ids=lambda r: f"{r['model']}|{r['llm_backbone']}|{r['benchmark']}"
)
def test_every_cell_is_in_the_graph_exactly(results: dict, labels: dict, row: dict) -> None:
    variant = VARIANT_OF_ROW[(row["model"], row["llm_backbone"])]
    found = results[(labels[variant], row["benchmark"])]
    assert found[2] == pytest.approx(float(row["score"]), abs=1e-9)
    assert found[3] is (row["flag"] == "train_images_seen")
    assert found[4] is (row["flag"] == "reimplemented")
    metric = found[5].rsplit("/", 1)[-1]
    expected = {"MME-P": "mme-perception-score", "MME-C": "mme-cognition-score"}.get(
        row["benchmark"], "table2-score"
    )
    assert metric == expected


def test_sharegpt4v_variants_add_data_to_their_base(store) -> None:  # noqa: ANN001
    rows = run_sparql(
        store,
        """PREFIX mmkg: <https://w3id.org/mmkg/ontology#>
        SELECT ?v ?base ?data WHERE { ?v mmkg:hasBaseVariant ?base ; mmkg:trainedOn ?data }
        ORDER BY ?v""",
    ).rows
    assert [[c.rsplit("/", 1)[-1] for c in r] for r in rows] == [
        ["llava-1.5-7b-sharegpt4v", "llava-1.5-7b", "sharegpt4v-it"],
        ["vila-13b-sharegpt4v", "vila-13b", "sharegpt4v-it"],
    ]


def test_mme_is_one_benchmark_with_two_metrics(results: dict) -> None:
    mme = {r[6] for key, r in results.items() if key[1] in {"MME-P", "MME-C"}}
    assert mme == {"https://w3id.org/mmkg/id/dataset/mme"}
