"""The analyses on the real graph: facts a reader of the survey knows, and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from mmkg.analysis import (
    ANALYSES,
    VISION,
    AnalysisError,
    Communities,
    Comparisons,
    ComponentReuse,
    Hubs,
    Lineage,
    Trends,
    communities,
    comparisons,
    component_reuse,
    find_analysis,
    hubs,
    lineage,
    render_result,
    trends,
)
from mmkg.cli import app
from mmkg.graphview import lineage_graph, model_component_graph

runner = CliRunner()


@pytest.fixture(scope="module")
def reuse(store: ox.Store) -> ComponentReuse:
    """Component reuse on the real graph."""
    return component_reuse(store)


@pytest.fixture(scope="module")
def lineage_result(store: ox.Store) -> Lineage:
    """Lineage on the real graph."""
    return lineage(store)


@pytest.fixture(scope="module")
def trends_result(store: ox.Store) -> Trends:
    """Trends on the real graph."""
    return trends(store)


@pytest.fixture(scope="module")
def comparisons_result(store: ox.Store) -> Comparisons:
    """Controlled comparisons on the real graph."""
    return comparisons(store)


# ---- component reuse ---------------------------------------------------------------------


def test_most_reused_llm_backbone_family_is_vicuna(reuse: ComponentReuse) -> None:
    ranking = reuse.ranking("LLM backbone", "family")
    assert ranking[0].name == "Vicuna family"
    assert len(ranking[0].models) > len(ranking[1].models)
    # the LLaMA lineage (LLaMA with Vicuna, LLaMA-2 and LLaMA-2-Chat) covers even more models
    llama = next(r for r in ranking if r.name == "LLaMA family")
    assert llama.with_derived is not None and llama.with_derived >= len(ranking[0].models)


def test_families_gather_sized_variants(reuse: ComponentReuse) -> None:
    vicuna = set(reuse.ranking("LLM backbone", "family")[0].models)
    components = {r.name: set(r.models) for r in reuse.ranking("LLM backbone", "component")}
    for name in ("Vicuna-7B", "Vicuna-13B", "Vicuna-v1.5-7B", "Vicuna-v1.5-13B"):
        assert components[name] <= vicuna, name
    assert {"LLaVA", "MiniGPT-4", "LLaVA-1.5", "InstructBLIP"} <= vicuna


def test_most_reused_vision_encoder_family_is_clip_or_eva_clip(reuse: ComponentReuse) -> None:
    ranking = reuse.ranking(VISION, "family")
    top = max(ranking, key=lambda r: len(r.models))
    assert ranking[0].name == top.name
    assert top.name in {"CLIP family", "EVA-CLIP family"}
    assert top.name == "CLIP family"  # 17 models, EVA-CLIP 13


def test_reuse_table_keeps_top_n_per_role(store: ox.Store) -> None:
    table = component_reuse(store, top=2).sections()["per family"]
    roles = [row[0] for row in table.rows]
    assert all(roles.count(role) <= 3 for role in set(roles))  # ties may share rank 2


# ---- trends --------------------------------------------------------------------------------


def test_qformer_comes_before_linear_and_mlp_dominate(trends_result: Trends) -> None:
    check = trends_result.checks[4]
    details = check.details
    assert details["first_qformer"] == ("2023-01-30", "BLIP-2")
    # per half-year, Q-Former never comes after the half-year where linear+MLP outnumber it
    assert details["first_qformer_half"] <= details["first_dominant_half"]
    # counted model by model, linear/MLP models only outnumber Q-Former ones months later
    assert details["crossing"][0] > details["first_qformer"][0]
    shares = details["qformer_share"]
    assert shares["2023-H1"] > shares["2023-H2"]
    assert check.holds == "yes"


def test_projector_counts_per_half_year(trends_result: Trends, facts) -> None:  # noqa: ANN001
    projectors = trends_result.projectors
    assert projectors["2022-H1"]["Cross-attention family"] == 1  # Flamingo
    assert projectors["2023-H1"]["Q-Former family"] >= 5  # BLIP-2, MiniGPT-4, InstructBLIP...
    # undated: LLaVA-ϕ (only in the survey's figures, no period) and the models whose
    # documentation pages give no release date
    undated = sorted(m.name for m in facts.models.values() if not m.released)
    assert "LLaVA-ϕ" in undated and trends_result.undated == undated


def test_the_five_trends_are_checked(trends_result: Trends) -> None:
    checks = {c.number: c for c in trends_result.checks}
    assert sorted(checks) == [1, 2, 3, 4, 5]
    assert all(c.holds in {"yes", "no", "partly", "undecided"} for c in checks.values())
    assert "-> NExT-GPT (2023-09-11): linked" in checks[1].evidence
    assert checks[2].holds == "yes"  # RLHF datasets come after the first SFT ones
    assert checks[3].holds == "yes"  # X-LLM and X-InstructBLIP read more modalities
    assert "LLaVA -> LLaVA-1.5: linked" in checks[4].evidence


# ---- lineage -------------------------------------------------------------------------------


def test_longest_chain_is_a_real_chain(store: ox.Store, lineage_result: Lineage) -> None:
    graph = lineage_graph(store, influence=False)
    assert nx.is_directed_acyclic_graph(graph)
    longest = lineage_result.chains[0]
    assert longest.length >= 2
    for earlier, later in zip(longest.nodes, longest.nodes[1:], strict=False):
        assert graph.has_edge(earlier, later)
    top = [c.labels for c in lineage_result.chains if c.length == longest.length]
    assert ["LLaVA", "LLaVA-1.5", "LLaVA-NeXT"] in top
    assert ["BLIP-2", "InstructBLIP", "X-InstructBLIP"] in top
    # influence links are no ancestry: GPT-4 inspired MiniGPT-4, NExT-GPT only follows a trend
    assert not any("GPT-4" in c.labels for c in lineage_result.chains)
    assert max(lineage_result.depth.values()) == longest.length
    # no derivation reaches a model released after the one derived from it
    assert lineage_result.against_time == []


def test_blip2_is_a_prolific_ancestor(lineage_result: Lineage) -> None:
    table = lineage_result.sections()["prolific ancestors"]
    names = [row[1] for row in table.rows]
    assert names[:2] == ["LLaVA", "BLIP-2"]
    roots = {lineage_result.labels[n] for n in lineage_result.roots}
    assert {"BLIP-2", "LLaVA"} <= roots and "InstructBLIP" not in roots


def test_a_cycle_is_reported_clearly() -> None:
    store = ox.Store()
    turtle = """
    @prefix mmkg: <https://w3id.org/mmkg/ontology#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix model: <https://w3id.org/mmkg/id/model/> .
    model:a a mmkg:MultimodalLLM ; rdfs:label "A" ; mmkg:buildsOn model:b .
    model:b a mmkg:MultimodalLLM ; rdfs:label "B" ; mmkg:buildsOn model:a .
    mmkg:buildsOn rdfs:label "builds on" .
    """
    store.load(turtle.encode(), format=ox.RdfFormat.TURTLE)
    with pytest.raises(AnalysisError, match="cycle: (A -> B -> A|B -> A -> B)"):
        lineage(store)


# ---- hubs and communities ----------------------------------------------------------------


def test_pagerank_sums_to_one_per_graph(store: ox.Store) -> None:
    result: Hubs = hubs(store, top=5)
    for graph, ranks in result.pagerank.items():
        assert sum(ranks.values()) == pytest.approx(1.0, abs=1e-6), graph
    assert result.ranking("lineage", "pagerank")[0][0] == "BLIP-2"
    assert result.ranking("co-usage", "degree")[0][0] == "Linear Projector"
    assert len(result.sections()["lineage"].rows) >= 4 * 5


def test_communities_cover_every_detailed_model_once(store: ox.Store) -> None:
    result: Communities = communities(store)
    members = [m for c in result.communities for m in c.members]
    bipartite = model_component_graph(store)
    detailed = {d["label"] for _, d in bipartite.nodes(data=True) if d["kind"] == "model"}
    assert len(members) == len(set(members)) == len(detailed) == 44
    assert set(members) == detailed
    blip = next(c for c in result.communities if "BLIP-2" in c.members)
    assert "InstructBLIP" in blip.members
    assert blip.shared[0][0] == "Q-Former with Linear Projector"


# ---- comparisons ---------------------------------------------------------------------------


def test_sharegpt4v_data_helps_vila(comparisons_result: Comparisons) -> None:
    pair = comparisons_result.find("VILA-13B", "VILA-13B + ShareGPT4V data")
    assert pair is not None and pair.factor == "training data"
    assert pair.mean_difference is not None and pair.mean_difference > 0
    columns = {c: (a, b) for c, a, b, _ in pair.columns}
    assert columns["MM-Vet"] == (38.8, 45.7)


def test_backbone_size_pair_of_llava_15(comparisons_result: Comparisons) -> None:
    pair = comparisons_result.find("LLaVA-1.5-7B", "LLaVA-1.5-13B")
    assert pair is not None and pair.factor == "backbone size"
    assert pair.change == "Vicuna-v1.5-7B -> Vicuna-v1.5-13B"
    assert len(pair.columns) >= 10 and pair.wins > pair.losses
    assert comparisons_result.find("LLaVA-1.5-13B", "LLaVA-1.5-7B") is None


# ---- registry, rendering and the CLI ----------------------------------------------------


def test_unknown_analysis_names_the_closest() -> None:
    with pytest.raises(AnalysisError, match="did you mean 'trends'"):
        find_analysis("trend")


@pytest.mark.parametrize("name", list(ANALYSES))
def test_every_analysis_renders_as_json_csv_and_markdown(store: ox.Store, name: str) -> None:
    result = ANALYSES[name][0](store, top=3)
    sections = json.loads(render_result(result, "json"))
    assert list(sections) == list(result.sections()) and any(sections.values())
    assert render_result(result, "csv").startswith("section,")
    assert f"## {next(iter(sections))}" in render_result(result, "markdown")
    assert len(result.table().rows) == sum(len(t.rows) for t in result.sections().values())


def test_cli_lists_the_analyses(graph_file: Path) -> None:
    result = runner.invoke(app, ["analyze", "--graph", str(graph_file)])
    assert result.exit_code == 0, result.output
    for name in ANALYSES:
        assert name in result.output


def test_cli_trends_as_json(graph_file: Path) -> None:
    result = runner.invoke(
        app, ["analyze", "trends", "--format", "json", "--graph", str(graph_file)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [row["trend"] for row in data["survey trends"]] == [1, 2, 3, 4, 5]


def test_cli_unknown_format_exits_1(graph_file: Path) -> None:
    result = runner.invoke(app, ["analyze", "hubs", "-F", "yaml", "--graph", str(graph_file)])
    assert result.exit_code == 1 and "unknown format 'yaml'" in result.output


def test_cli_unknown_analysis_exits_1_with_a_hint(graph_file: Path) -> None:
    result = runner.invoke(app, ["analyze", "hub", "--graph", str(graph_file)])
    assert result.exit_code == 1
    assert "no analysis named 'hub'" in result.output and "hubs" in result.output
    assert "Traceback" not in result.output


def test_every_analysis_runs_on_a_graph_without_the_survey_families() -> None:
    from pathlib import Path

    from mmkg.analysis import ANALYSES
    from mmkg.queries import load_store

    hostile = load_store(Path(__file__).parent / "fixtures" / "hostile" / "hostile.ttl")
    for name, (function, _) in ANALYSES.items():
        assert function(hostile).table().columns, name
