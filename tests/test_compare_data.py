"""The comparison data read for every model at once equals what each model's profile says.

`mmkg.compared` reads the compared facts, architecture and best scores of all models in a
fixed number of queries; the reference here is the earlier per-model path (one
`model_profile` per model, and `compare_models` as it was written on top of it).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from mmkg import profiles
from mmkg.build import build_store
from mmkg.compared import COMPARED_FACTS, COMPARED_SCALES, compared_models, role_text
from mmkg.graphview import model_facts
from mmkg.load import load_facts
from mmkg.paths import ONTOLOGY_FILE, PROJECT_ROOT
from mmkg.profiles import ModelProfile, compare_models, model_profile
from mmkg.queries import QueryError, Table, select
from mmkg.render.comparepage import compare_data
from mmkg.tables import cell_text

sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))
from synthetic import generate  # noqa: E402

MAX_QUERIES = 12  # reading every model's comparison data, whatever the number of models


def reference_best(profile: ModelProfile) -> dict[str, str]:
    """The best scores as `best_scores` computed them before the bulk reading."""
    scores: dict[str, tuple[float, str]] = {}
    for variant, column, score, *_ in profile.results.rows if profile.results else []:
        if column not in scores or score > scores[column][0]:
            scores[column] = (score, variant)
    return {c: f"{cell_text(s)} ({v})" for c, (s, v) in scores.items()}


def reference_architecture(store: ox.Store, iri: str) -> list[tuple[str, str]]:
    """One model's architecture in one query, as `model_profile` read it before it took its
    rows from :func:`mmkg.compared.model_architectures`."""
    roles = select(
        store,
        f"""SELECT ?role ?roleLabel ?comp ?mods ?res ?none WHERE {{
        ?r a mmkg:ArchitecturalRole ; rdfs:label ?roleLabel ; mmkg:rolePosition ?pos .
        BIND(?r AS ?role)
        OPTIONAL {{ <{iri}> mmkg:hasComponentUsage ?u . ?u mmkg:inRole ?r ;
                   mmkg:usesComponent/rdfs:label ?comp .
                   OPTIONAL {{ ?u mmkg:inputResolution ?res }}
                   OPTIONAL {{ SELECT ?u (GROUP_CONCAT(?ml; separator="/") AS ?mods) WHERE {{
                       ?u mmkg:forModality/rdfs:label ?ml }} GROUP BY ?u }} }}
        BIND(EXISTS {{ <{iri}> mmkg:lacksRole ?r }} AS ?none) }} ORDER BY ?pos ?comp ?u""",
    )
    detailed = any(r[2] or r[5] for r in roles)
    by_role: dict[str, list[str]] = {}
    for _, role_label, comp, mods, res, none in roles if detailed else []:
        by_role.setdefault(role_label, []).append(role_text(comp, mods, res, none))
    return [(role, "; ".join(texts)) for role, texts in by_role.items()]


def reference_entry(store: ox.Store, slug: str) -> dict:
    """One model's comparison data from its profile, as the page's data was first read."""
    profile = model_profile(store, slug, citations=False)
    facts = dict(profile.facts)
    architecture = reference_architecture(store, profile.iri)
    assert profile.architecture == architecture  # what `mmkg show` prints
    return {
        "name": profile.name,
        "facts": {a: facts.get(a, "") for a in (*COMPARED_FACTS, *COMPARED_SCALES)},
        "architecture": architecture,
        "best": reference_best(profile),
    }


def reference_compare(store: ox.Store, names: list[str]) -> Table:
    """`compare_models` as it was before the bulk reading: one profile per model."""
    if len(names) < 2:
        raise QueryError("compare needs at least two models")
    found = [model_profile(store, n, citations=False) for n in names]
    columns = ["aspect", *(p.name for p in found)]
    rows: list[list] = []
    for aspect in COMPARED_FACTS:
        rows.append([aspect, *(dict(p.facts).get(aspect, "") for p in found)])
    role_names = [r for r, _ in next((p.architecture for p in found if p.architecture), [])]
    for role in role_names:
        rows.append([role, *(dict(p.architecture).get(role, "not detailed") for p in found)])
    for aspect in COMPARED_SCALES:
        rows.append([aspect, *(dict(p.facts).get(aspect, "") for p in found)])
    best = [reference_best(p) for p in found]
    shared = set(best[0]).intersection(*best[1:]) if best else set()
    for column in sorted(shared):
        rows.append([f"best {column}", *(b[column] for b in best)])
    return Table(columns, rows)


def assert_bulk_equals_profiles(store: ox.Store, step: int = 1) -> None:
    """Every model has a bulk entry; every *step*-th one equals its per-model reading."""
    models = sorted(model_facts(store))
    bulk = compared_models(store)
    assert sorted(bulk) == models
    mismatches = []
    for iri in models[::step]:
        entry = bulk[iri]
        got = {
            "name": entry.name,
            "facts": entry.facts,
            "architecture": entry.architecture,
            "best": entry.best,
        }
        if got != reference_entry(store, iri.rsplit("/", 1)[-1]):
            mismatches.append(iri)
    assert mismatches == []


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    """The real data and 1,000 synthetic models, built into a store."""
    data = generate(1000, tmp_path_factory.mktemp("synthetic-compare"), jsonl=True)
    return build_store(load_facts(data), ONTOLOGY_FILE)[0]


@pytest.fixture
def fast_find_model(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`find_model` by slug only, from a table read once: the reference profile of each model
    is that model's (not one whose other name is its slug), and 1k lookups stay linear."""
    cache: dict[int, dict[str, tuple[str, str]]] = {}
    original = profiles.find_model

    def find(store: ox.Store, name: str) -> tuple[str, str]:
        table = cache.get(id(store))
        if table is None:
            table = cache[id(store)] = {}
            for iri, label, _ in profiles.model_names(store):
                table.setdefault(iri.rsplit("/", 1)[-1], (iri, label))
        return table.get(name) or original(store, name)

    monkeypatch.setattr(profiles, "find_model", find)
    yield


def test_bulk_comparison_data_equals_each_profile_on_the_real_graph(
    store,  # noqa: ANN001
    fast_find_model: None,
) -> None:
    # by slug: `find_model("glm-v")` finds GLM-4.6V first, whose other name is GLM-V
    assert_bulk_equals_profiles(store)


def test_bulk_comparison_data_equals_each_profile_at_1k_models(
    synthetic_store: ox.Store,
    fast_find_model: None,
) -> None:
    assert len(model_facts(synthetic_store)) > 1000
    # every fifth model (some 250): each per-model reading walks all models to find its name
    assert_bulk_equals_profiles(synthetic_store, step=5)


@pytest.mark.parametrize(
    "names",
    [
        ["llava-1.5", "vila", "qwen-vl"],
        ["LLaVA-1.5", "BLIP-2"],
        ["gpt-4", "flamingo", "llava-1.5", "minigpt-4"],
        ["vila", "vila"],
        ["kosmos-1", "emu"],
    ],
)
def test_compare_models_gives_what_the_per_model_path_gave(store, names: list[str]) -> None:  # noqa: ANN001
    try:
        expected = reference_compare(store, names)
    except QueryError:
        pytest.skip(f"not every model of {names} is in the graph")
    got = compare_models(store, names)
    assert got.columns == expected.columns
    assert got.rows == expected.rows


def test_compare_models_still_refuses_one_model_and_unknown_names(store) -> None:  # noqa: ANN001
    with pytest.raises(QueryError, match="at least two"):
        compare_models(store, ["vila"])
    with pytest.raises(QueryError, match="no model named 'llava-15x'"):
        compare_models(store, ["vila", "llava-15x"])


class CountingStore:
    """A store that counts the queries it answers."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.queries = 0

    def query(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        self.queries += 1
        return self.store.query(*args, **kwargs)


def test_comparison_data_takes_a_fixed_number_of_queries(store, synthetic_store) -> None:  # noqa: ANN001
    counts = []
    for graph in (store, synthetic_store):
        counting = CountingStore(graph)
        models = sorted(model_facts(graph))
        data = compare_data(counting, models, _slug)
        assert len(data) == len(models)
        counts.append(counting.queries)
    assert counts[0] == counts[1] <= MAX_QUERIES


def test_usages_of_one_component_in_a_role_keep_the_record_order(store) -> None:  # noqa: ANN001
    # LLaVAR states CLIP ViT-L/14 at 224 px (usage 1), then at 336 px (usage 2)
    expected = "CLIP ViT-L/14 (image) at 224 px; CLIP ViT-L/14 (image) at 336 px"
    profile = model_profile(store, "llavar", citations=False)
    assert dict(profile.architecture)["Modality encoder"] == expected
    bulk = compared_models(store)[profile.iri]
    assert dict(bulk.architecture)["Modality encoder"] == expected


def _slug(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def test_comparison_data_is_each_models_entry_named_by_the_sites_slug(store) -> None:  # noqa: ANN001
    models = sorted(model_facts(store))[:3]
    with pytest.raises(TypeError):
        compare_data(store, models)  # type: ignore[call-arg]  # the site's slugs, always
    entries = compare_data(store, models, lambda iri: "site-" + _slug(iri))
    assert sorted(e["slug"] for e in entries) == sorted("site-" + _slug(m) for m in models)
    assert all(set(e) == {"slug", "name", "facts", "architecture", "best"} for e in entries)
