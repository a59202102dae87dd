"""The analyses on the real graph: facts a reader of the survey knows, and the CLI."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from mmkg.analysis import (
    ANALYSES,
    BETWEENNESS_EXACT_MAX,
    BETWEENNESS_SAMPLE,
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
    partition,
    projected_modularity,
    render_result,
    trends,
)
from mmkg.build import build_graph
from mmkg.cli import app
from mmkg.graphview import lineage_graph, model_component_graph
from mmkg.load import load_facts
from mmkg.paths import ONTOLOGY_FILE, PROJECT_ROOT
from mmkg.queries import load_store

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


# ---- scale: the same answers below the thresholds, bounded approximations above ----------

SYNTHETIC_MODELS = 1000


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    """The real data plus 1,000 synthetic models (benchmarks/synthetic.py), built and loaded."""
    sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))
    from synthetic import generate

    folder = tmp_path_factory.mktemp("synthetic")
    graph, _ = build_graph(load_facts(generate(SYNTHETIC_MODELS, folder / "data")), ONTOLOGY_FILE)
    graph.serialize(destination=folder / "mmkg.nt", format="nt", encoding="utf-8")
    return load_store(folder / "mmkg.nt")


def _undirected_lineage(store: ox.Store) -> nx.Graph:
    return nx.Graph(lineage_graph(store).edges())


def _top(values: dict[str, float], n: int) -> set[str]:
    return {k for k, _ in sorted(values.items(), key=lambda kv: -kv[1])[:n]}


def test_hubs_betweenness_is_exact_on_the_real_graph(store: ox.Store) -> None:
    result = hubs(store)
    undirected = _undirected_lineage(store)
    assert undirected.number_of_nodes() <= BETWEENNESS_EXACT_MAX
    assert result.scores["lineage"]["betweenness"] == pytest.approx(
        nx.betweenness_centrality(undirected)
    )
    assert "estimated" not in " ".join(result.notes.values())


def test_sampled_betweenness_keeps_the_top_hubs(synthetic: ox.Store) -> None:
    exact = hubs(synthetic)  # the 1k lineage graph is below the threshold
    assert "estimated" not in exact.notes["lineage"]
    sampled = hubs(synthetic, exact_max=50)
    for graph in ("lineage", "co-usage"):
        assert f"estimated from {BETWEENNESS_SAMPLE} of" in sampled.notes[graph]
    for graph, n, kept in (("lineage", 10, 7), ("co-usage", 5, 4)):
        a = exact.scores[graph]["betweenness"]
        b = sampled.scores[graph]["betweenness"]
        assert len(_top(a, n) & _top(b, n)) >= kept, graph
        assert _top(a, 1) == _top(b, 1), graph
    # everything but betweenness is exact at any size
    for graph, measures in exact.scores.items():
        for measure, values in measures.items():
            if measure != "betweenness":
                assert sampled.scores[graph][measure] == values, (graph, measure)
    table = sampled.sections()["notes"]
    assert any("estimated" in how for _, how in table.rows)


def _greedy(bipartite: nx.Graph) -> tuple[nx.Graph, list[set[str]]]:
    """The method of old: greedy modularity on the weighted model projection."""
    models = [n for n, d in bipartite.nodes(data=True) if d.get("kind") == "model"]
    projected = nx.bipartite.weighted_projected_graph(bipartite, models)
    return projected, [
        set(c) for c in nx.community.greedy_modularity_communities(projected, "weight")
    ]


def test_communities_on_the_real_graph_are_greedy_modularity(store: ox.Store) -> None:
    bipartite = model_component_graph(store)
    projected, old = _greedy(bipartite)
    result = communities(store)
    label = lambda n: bipartite.nodes[n]["label"]  # noqa: E731
    assert sorted(sorted(label(m) for m in g) for g in old) == sorted(
        sorted(c.members) for c in result.communities
    )
    assert result.modularity == pytest.approx(nx.community.modularity(projected, old))
    assert result.method == "" and "notes" not in result.sections()


def test_projected_modularity_is_the_projections_without_building_it(store: ox.Store) -> None:
    bipartite = model_component_graph(store)
    projected, old = _greedy(bipartite)
    rng = random.Random(0)
    shuffled = [{m for m in projected if rng.random() < 0.5}]
    shuffled.append(set(projected) - shuffled[0])
    for groups in (old, shuffled, [set(projected)], [{m} for m in projected]):
        assert projected_modularity(bipartite, groups) == pytest.approx(
            nx.community.modularity(projected, groups, weight="weight")
        )


def test_louvain_communities_stay_near_greedy_modularity(
    store: ox.Store, synthetic: ox.Store
) -> None:
    real = communities(store, exact_max=0)  # force the scalable method on the real graph
    assert "Louvain" in real.method and real.sections()["notes"].rows
    members = [m for c in real.communities for m in c.members]
    assert len(members) == len(set(members)) == real.models
    assert real.modularity >= communities(store).modularity - 0.07
    # a 300-model slice of the synthetic graph, where the greedy method of old still runs
    bipartite = model_component_graph(synthetic)
    models = [n for n, d in bipartite.nodes(data=True) if d.get("kind") == "model"]
    sample = random.Random(0).sample(models, 300)
    part = bipartite.subgraph(sample + [c for m in sample for c in bipartite[m]])
    exact, exact_q, how = partition(part)
    approximate, approximate_q, method = partition(part, exact_max=0)
    assert how == "" and method
    assert sorted(m for g in approximate for m in g) == sorted(sample)
    assert exact_q == pytest.approx(nx.community.modularity(_greedy(part)[0], exact, "weight"))
    assert approximate_q >= exact_q - 0.07
    # the whole 1k graph takes the scalable method by itself
    result = communities(synthetic)
    assert "Louvain" in result.method and result.models == len(models)
    assert sum(len(c.members) for c in result.communities) == len(models)
    assert result.modularity > 0.2


def test_lineage_counts_descendants_as_the_sets_of_old(
    store: ox.Store, synthetic: ox.Store
) -> None:
    for graph_store in (store, synthetic):
        result = lineage(graph_store)
        dag = nx.DiGraph(lineage_graph(graph_store, influence=False).edges())
        assert result.descendants == {n: len(nx.descendants(dag, n)) for n in dag}
        assert result.children == {n: len(set(dag.successors(n))) for n in dag}
        assert set(result.roots) == {n for n in dag if not dag.in_degree(n)}
        assert max(result.depth.values()) == nx.dag_longest_path_length(dag)
    merged = [n for n in dag if dag.in_degree(n) > 1]
    assert merged  # the synthetic lineage has merges: counting by sums would overcount
