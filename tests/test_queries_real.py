"""Competency questions on the real graph: answers a reader of the survey knows to be true."""

from __future__ import annotations

import csv
import re

import pytest

from mmkg.paths import QUERIES_DIR, SURVEY_DIR
from mmkg.queries import find_queries, run_query

QUERIES = find_queries(QUERIES_DIR)
RAW = SURVEY_DIR.parent / "mm-llms-site" / "posts"


def _ask(store, name: str, **params: str) -> list[dict]:  # noqa: ANN001
    query = next(q for key, q in QUERIES.items() if key.startswith(name))
    table = run_query(store, query, params)
    return [dict(zip(table.columns, row, strict=True)) for row in table.rows]


def _slug(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _q_former_models_in_sources() -> set[str]:
    """Model names whose input projector, in Table 1 or a website post, names a Q-Former."""
    q_former = re.compile(r"(?<![A-Za-z])Q-(?:Former|&P-Former)")
    names = {
        r["model"]
        for r in csv.DictReader((SURVEY_DIR / "table1_v5.csv").open(encoding="utf-8"))
        if q_former.search(r["input_projector"])
    }
    for post in RAW.glob("*.md"):
        text = post.read_text(encoding="utf-8")
        block = text.split("+ Input Projector", 1)[-1].split("+ LLM Backbone", 1)[0]
        if "+ Input Projector" in text and q_former.search(block):
            names.add(re.search(r"^title: (.*)$", text, re.M).group(1).strip())
    return names


def test_q_former_input_projectors_are_exactly_those_the_sources_name(store) -> None:  # noqa: ANN001
    rows = _ask(store, "cq-01", family_iri="q-former", role_iri="input-projector")
    # Lyrics' MQ-Former is a Q-Former variant (its paper's abstract), a sub-family of Q-Former
    assert {r["modelLabel"] for r in rows} == _q_former_models_in_sources() | {"Lyrics"}
    assert "DLP" in {r["modelLabel"] for r in rows}


def test_a_sub_family_query_does_not_widen_to_the_parent(store) -> None:  # noqa: ANN001
    rows = _ask(store, "cq-01", family_iri="mq-former", role_iri="input-projector")
    assert {r["modelLabel"] for r in rows} == {"Lyrics"}


def test_llama_derived_backbones(store) -> None:  # noqa: ANN001
    models = {_slug(r["model"]) for r in _ask(store, "cq-02")}
    assert {"llava", "llava-1.5", "minigpt-4", "vila", "cogvlm", "codi-2"} <= models
    assert not {"flamingo", "qwen-vl", "x-llm", "pali-x"} & models


def test_architecture_per_modality(store) -> None:  # noqa: ANN001
    rows = _ask(store, "cq-03", model_iri="x-llm")
    audio = [r for r in rows if any("audio" in str(v).lower() for v in r.values())]
    assert audio and any("C-Former" in str(v) for r in audio for v in r.values())


def test_ancestors_of_next_gpt_are_no_derivations(store) -> None:  # noqa: ANN001
    # NExT-GPT follows a trend after MiniGPT-5; nothing was reused, so it has no ancestors,
    # and GPT-4 (which only inspired MiniGPT-4) is none of them
    assert _ask(store, "cq-04", model_iri="next-gpt") == []
    rows = _ask(store, "cq-04", model_iri="next-gpt", include_influence="true")
    by_ancestor = {_slug(r["ancestor"]): r for r in rows}
    assert {"minigpt-5", "minigpt-4", "gpt-4"} <= set(by_ancestor)
    assert by_ancestor["minigpt-5"]["link"].endswith("isTrendSuccessorOf")
    assert by_ancestor["gpt-4"]["link"].endswith("inspiredBy")


def test_ancestors_follow_derivations(store) -> None:  # noqa: ANN001
    rows = _ask(store, "cq-04", model_iri="llava-next")
    assert {(_slug(r["ancestor"]), r["distance"]) for r in rows} == {
        ("llava-1.5", 1),
        ("llava", 2),
    }


def test_descendants_of_blip_2(store) -> None:  # noqa: ANN001
    rows = _ask(store, "cq-05", model_iri="blip-2")
    assert {"instructblip", "x-instructblip", "x-llm"} <= {_slug(r["descendant"]) for r in rows}
    # DRESS and VILA only follow trends after BLIP-2's line: influence, on request
    assert not {"dress", "vila"} & {_slug(r["descendant"]) for r in rows}
    rows = _ask(store, "cq-05", model_iri="blip-2", include_influence="true")
    assert {"dress", "vila"} <= {_slug(r["descendant"]) for r in rows}


def test_best_result_per_benchmark(store) -> None:  # noqa: ANN001
    best = {r["column"]: r for r in _ask(store, "cq-09", exclude_seen="false")}
    assert best["MM-Vet"]["score"] == pytest.approx(45.7)
    assert best["MM-Vet"]["variantLabel"] == "VILA-13B + ShareGPT4V data"
    assert best["MME-P"]["score"] == pytest.approx(1570.1)
    assert len({r["column"] for r in _ask(store, "cq-09", exclude_seen="false")}) == 18


def test_best_result_can_leave_out_seen_training_images(store) -> None:  # noqa: ANN001
    rows = _ask(store, "cq-09", exclude_seen="true")
    assert rows and not any(r["trainImagesSeen"] for r in rows)


def test_any_to_any_models(store) -> None:  # noqa: ANN001
    rows = _ask(store, "cq-06", any_to_any="true")
    assert {"next-gpt", "codi-2", "modaverse"} <= {_slug(r["model"]) for r in rows}


def test_controlled_comparison_of_sharegpt4v_data(store) -> None:  # noqa: ANN001
    rows = _ask(store, "cq-10")
    text = " ".join(str(v) for r in rows for v in r.values())
    assert "VILA-13B + ShareGPT4V data" in text and "LLaVA-1.5-13B" in text


def test_rlhf_datasets(store) -> None:  # noqa: ANN001
    text = " ".join(str(v) for r in _ask(store, "cq-13") for v in r.values())
    assert "LLaVA-RLHF" in text and "VLFeedback" in text and "ShareGPT4V" in text


def test_data_gaps_list_models_without_architecture(store, facts) -> None:  # noqa: ANN001
    rows = _ask(store, "cq-15")
    gaps = {_slug(str(next(iter(r.values())))) for r in rows}
    assert "fromage" in gaps and len(rows) < len(facts.models)
    # a model from a documentation page with no architecture and no date shows its gaps
    assert "qwen2-vl" in gaps
    # a model whose modalities no source states is a gap, not an error
    row = next(r for r in rows if _slug(str(r["model"])) == "nemotron-3.5-transcribe")
    assert row["noModalities"] is True or str(row["noModalities"]).lower() == "true"


def test_longest_chains_are_real_chains(store) -> None:  # noqa: ANN001
    from mmkg.profiles import DERIVATION_PATH, PREFIXES
    from mmkg.queries import run_sparql

    rows = _ask(store, "cq-20")
    longest = rows[0]
    assert longest["length"] == max(r["length"] for r in rows) >= 2
    names = longest["chain"].split(" -> ")
    assert len(names) == longest["length"] + 1
    for earlier, later in zip(names, names[1:], strict=False):
        ask = f"""ASK {{ ?a rdfs:label "{later}"@en . ?b rdfs:label "{earlier}"@en .
                         ?a ({DERIVATION_PATH}) ?b }}"""
        assert run_sparql(store, PREFIXES + ask).rows == [[True]], (later, earlier)


@pytest.mark.parametrize("name", sorted(n for n in QUERIES if n.startswith("checks/")))
def test_check_queries_find_nothing_on_the_real_data(store, name: str) -> None:  # noqa: ANN001
    assert run_query(store, QUERIES[name]).rows == []


@pytest.mark.parametrize("name", sorted(n for n in QUERIES if n.startswith("cq-")))
def test_every_competency_question_answers_on_the_real_graph(store, name: str) -> None:  # noqa: ANN001
    assert run_query(store, QUERIES[name]).rows, name


@pytest.mark.parametrize(
    ("name", "model", "matched"),
    [
        ("LLaVA-ϕ", "llava-phi", "LLaVA-ϕ"),
        ("llava-phi", "llava-phi", "LLaVA-Phi"),  # the timeline's spelling
        ("IntrenVL", "internvl", "IntrenVL"),  # Table 1's typo
        ("Qwen-VL-Chat", "qwen-vl", "Qwen-VL-Chat"),  # a variant of Qwen-VL (Table 2)
        ("llava_onevision", "llava-onevision", "llava_onevision"),  # the library's model type
    ],
)
def test_a_model_is_found_by_any_name_its_sources_use(store, name, model, matched) -> None:  # noqa: ANN001
    rows = _ask(store, "cq-21", model_name=name)
    assert [(_slug(r["model"]), r["matched"]) for r in rows] == [(model, matched)]


def test_models_by_an_organisation_include_those_of_its_units(store) -> None:  # noqa: ANN001
    counts = {_slug(r["organisation"]): int(r["models"]) for r in _ask(store, "cq-11")}
    # FAIR's models (AnyMAL, CM3Leon) count for Meta too: "FAIR, Meta" names FAIR a unit of Meta
    assert counts["meta"] >= counts["fair"] + 1


@pytest.mark.parametrize("name", sorted(n for n in QUERIES if n.startswith("cq-")))
def test_published_text_answers_with_its_defaults_on_the_graph(store, name: str) -> None:  # noqa: ANN001
    """Each file run as published (as YASGUI or Fuseki would) gives mmkg's default answer."""
    from mmkg.queries import run_sparql

    query = QUERIES[name]
    published = query.path.read_text(encoding="utf-8")
    assert run_sparql(store, published).rows == run_query(store, query).rows


def test_published_defaults_give_the_documented_counts(store) -> None:  # noqa: ANN001
    from mmkg.queries import run_sparql

    def count(prefix: str) -> int:
        query = next(q for key, q in QUERIES.items() if key.startswith(prefix))
        return len(run_sparql(store, query.path.read_text(encoding="utf-8")).rows)

    # the Q-Former input projectors (not every model with any component: 185 rows) and the
    # components that two or more models share (not none, as with an unbound ?_min_models)
    assert count("cq-01") == len(_ask(store, "cq-01")) < 40
    assert count("cq-07") == len(_ask(store, "cq-07", min_models="2")) > 0
