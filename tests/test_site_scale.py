"""The site at 1,000 synthetic models (benchmarks/synthetic.py): aggregated overviews, pages of
bounded size, one copy of the vis-network library, a number of files linear in the models.

No timing here: `benchmarks/bench_scale.py N --only build site` measures the time.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from mmkg.build import build_store
from mmkg.graphview import lineage_graph, model_facts
from mmkg.load import load_facts
from mmkg.paths import ONTOLOGY_FILE, PROJECT_ROOT
from mmkg.queries import select
from mmkg.render import build_site
from mmkg.render.assets import vis_script
from mmkg.render.comparepage import COMPARE_FOLDER, SHOWN_CHOICES
from mmkg.render.ego import EGO_LIMIT
from mmkg.render.layout import lineage_families
from mmkg.render.overview import (
    COMPONENT_GROUPS,
    FAMILY_LANES,
    GENERATION_LANES,
    MAX_COLUMNS,
    ORGANISATIONS,
    OVERVIEW_MAX_NODES,
)
from mmkg.render.scripts import PAGE_SIZE

sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))
from synthetic import generate  # noqa: E402

SYNTHETIC_MODELS = 1000
PAGE_BYTES = 1_000_000  # no page, whatever the number of models, is bigger
DATA_BYTES_PER_MODEL = 200  # the model table's data file
COMPARE_FILE_BYTES = 4_000  # one model's comparison data file
COMPARE_PAGE_BYTES = 20_000  # the comparison page, whatever the number of models


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    """The real data and 1,000 synthetic models as JSON Lines, built into a store."""
    data = generate(SYNTHETIC_MODELS, tmp_path_factory.mktemp("synthetic"), jsonl=True)
    return build_store(load_facts(data), ONTOLOGY_FILE)[0]


@pytest.fixture(scope="module")
def big_site(synthetic_store: ox.Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the 1k synthetic graph."""
    out = tmp_path_factory.mktemp("site-1k") / "site"
    report = build_site(synthetic_store, out)
    assert report.pages["model"] > SYNTHETIC_MODELS
    return out


def page_data(text: str, name: str) -> object:
    match = re.search(rf"^var {name} = (.*);$", text, flags=re.MULTILINE)
    assert match, f"no var {name} in the page"
    return json.loads(match.group(1))


def test_the_vis_network_library_is_in_the_site_once(big_site: Path) -> None:
    signature = vis_script()[:2000]
    holding = [p for p in big_site.rglob("*") if p.is_file() and signature in p.read_text("utf-8")]
    assert [p.relative_to(big_site).as_posix() for p in holding] == ["assets/vis-network.min.js"]
    for page in (big_site / "graphs").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        root = "../" * (len(page.relative_to(big_site).parts) - 1)
        assert f'<script src="{root}assets/vis-network.min.js"></script>' in text, page
        assert f'<script src="{root}assets/graph.js"></script>' in text, page


def test_the_whole_lineage_is_drawn_as_families_and_periods(
    big_site: Path, synthetic_store: ox.Store
) -> None:
    lineage = lineage_graph(synthetic_store)
    assert lineage.number_of_nodes() > OVERVIEW_MAX_NODES
    text = (big_site / "graphs/lineage.html").read_text(encoding="utf-8")
    assert "this overview draws one node per lineage family" in text
    nodes = page_data(text, "NODES")
    assert len(nodes) <= (FAMILY_LANES + 2) * (MAX_COLUMNS + 2)
    # every model is counted in exactly one node
    assert sum(int(n["label"]) for n in nodes) == lineage.number_of_nodes()
    edges = page_data(text, "EDGES")
    assert edges and all(e["from"] != e["to"] for e in edges)
    pages = page_data(text, "PAGES")
    for url in pages.values():  # family pages and the filtered model table
        assert (big_site / "graphs" / url.split("#")[0]).resolve().exists(), url


def test_big_lineage_families_are_drawn_as_generations(
    big_site: Path, synthetic_store: ox.Store
) -> None:
    families = lineage_families(lineage_graph(synthetic_store))
    big = [nodes for _, nodes in families if len(nodes) > OVERVIEW_MAX_NODES]
    assert big  # preferential attachment makes one family of hundreds
    aggregated = [
        p
        for p in (big_site / "graphs/family").glob("*.html")
        if "this family is drawn as one node per generation" in p.read_text("utf-8")
    ]
    assert len(aggregated) == len(big)
    nodes = page_data(aggregated[0].read_text("utf-8"), "NODES")
    assert len(nodes) <= GENERATION_LANES * (MAX_COLUMNS + 2)
    assert sum(int(n["label"]) for n in nodes) == max(len(b) for b in big)


def test_the_architecture_is_drawn_as_organisations_and_families(big_site: Path) -> None:
    text = (big_site / "graphs/architecture.html").read_text(encoding="utf-8")
    assert "this overview draws the" in text
    nodes = page_data(text, "NODES")
    organisations = [n for n in nodes if n["id"].startswith("org/")]
    groups = [n for n in nodes if n["id"].startswith("group/")]
    assert len(organisations) + len(groups) == len(nodes)
    assert len(organisations) <= ORGANISATIONS + 1 and len(groups) <= COMPONENT_GROUPS + 5
    # 111 organisations name models: the first 30 are drawn, the others counted in one node
    counts = {n["name"]: int(n["label"].rsplit("(", 1)[1].rstrip(")")) for n in organisations}
    assert len(counts) == ORGANISATIONS + 1 and counts["other organisations"] > 0
    assert min(counts[o] for o in counts if o != "other organisations") >= 1


def test_neighbourhood_graphs_are_bounded(big_site: Path) -> None:
    egos = list((big_site / "graphs/ego").glob("*.html"))
    assert len(egos) > SYNTHETIC_MODELS // 2
    sizes = [len(page_data(p.read_text("utf-8"), "NODES")) for p in egos]
    assert max(sizes) <= EGO_LIMIT
    assert any("direct neighbours" in p.read_text("utf-8") for p in egos) or max(sizes) < EGO_LIMIT


def test_pages_are_bounded_and_files_grow_with_the_models(
    big_site: Path, synthetic_store: ox.Store
) -> None:
    models = len(model_facts(synthetic_store))
    files = [p for p in big_site.rglob("*") if p.is_file()]
    sizes = {p.relative_to(big_site).as_posix(): p.stat().st_size for p in files}
    largest = max((s, p) for p, s in sizes.items() if p.endswith(".html"))
    assert largest[0] <= PAGE_BYTES, largest
    assert sizes["data/models.js"] <= DATA_BYTES_PER_MODEL * models
    # a page, at most one neighbourhood page and a comparison data file per model, a page per
    # entity of another kind (component, family, organisation, dataset, modality, benchmark)
    # and a bounded rest
    entities = select(
        synthetic_store,
        """SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {
            VALUES ?kind { mmkg:Component mmkg:ComponentFamily mmkg:Organisation mmkg:Dataset
                           mmkg:Modality mmkg:Benchmark }
            ?x a ?kind }""",
    )[0][0]
    families = len(lineage_families(lineage_graph(synthetic_store)))
    assert len(files) <= 3 * models + models // PAGE_SIZE + entities + families + 600
    # (neighbourhood pages, some 40 KB each with their node and link list, are most of it)
    assert sum(sizes.values()) <= 20_000 * models
    index = (big_site / "index.html").read_text(encoding="utf-8")
    table = index.split('<table id="models-table"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == PAGE_SIZE + 1


def test_every_model_has_a_page_and_every_link_resolves(
    big_site: Path, synthetic_store: ox.Store
) -> None:
    models = model_facts(synthetic_store)
    assert len(list((big_site / "models").glob("*.html"))) == len(models)
    broken = []
    for path in big_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for value in re.findall(r'(?:href|src)="([^"#:]+)(?:#[^"]*)?"', text):
            if not (path.parent / value).exists():
                broken.append((path.relative_to(big_site), value))
    assert broken == []


def test_comparison_data_is_one_bounded_file_per_model(
    big_site: Path, synthetic_store: ox.Store
) -> None:
    models = len(model_facts(synthetic_store))
    files = list((big_site / COMPARE_FOLDER).glob("*.js"))
    assert len(files) == models
    largest = max((p.stat().st_size, p.name) for p in files)
    assert largest[0] <= COMPARE_FILE_BYTES, largest
    assert not (big_site / "data" / "compare.js").exists()
    page = (big_site / "compare.html").read_text(encoding="utf-8")
    assert len(page.encode()) <= COMPARE_PAGE_BYTES
    # the page lists names from the model table's file and loads no model's data up front
    assert '<script src="data/models.js"></script>' in page
    assert COMPARE_FOLDER not in page
    script = (big_site / "assets" / "compare.js").read_text(encoding="utf-8")
    assert len(script.encode()) <= COMPARE_PAGE_BYTES and f'"shown": {SHOWN_CHOICES}' in script


def test_model_pages_link_to_a_node_only_where_a_graph_draws_it(big_site: Path) -> None:
    """An aggregated lineage draws groups, not models: a model page links to it plainly."""
    lineage = (big_site / "graphs/lineage.html").read_text(encoding="utf-8")
    assert "cell/" in lineage  # aggregated at this size
    page = (big_site / "models/llava-1.5.html").read_text(encoding="utf-8")
    assert 'href="../graphs/lineage.html"' in page
    assert "lineage.html#node=" not in page


def test_search_shards_are_bounded_and_a_first_search_loads_one(big_site: Path, driver) -> None:  # noqa: ANN001
    """The site search at 1k models: small shard files, few of them, and one loaded per query."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from browser import open_page
    from mmkg.render.search import SHARD_FOLDER, SHARDS_FILE, query_shard, shard_file

    shards = list((big_site / SHARD_FOLDER).glob("*.js"))
    largest = max((p.stat().st_size, p.name) for p in shards)
    assert largest[0] <= 100_000, largest
    assert len(shards) <= 1_000  # keys of two characters, split only where names crowd
    listing = (big_site / SHARDS_FILE).read_text(encoding="utf-8")
    assert len(listing.encode()) <= 50_000
    split = set(json.loads(listing.split(" = ", 1)[1].rstrip(";\n"))["split"])
    for query, label in [("syn-0000123", "Syn-0000123"), ("llava-1.5", "LLaVA-1.5")]:
        open_page(driver, big_site / "models/llava-1.5.html")
        box = driver.find_element(By.ID, "site-search-input")
        box.send_keys(query)
        WebDriverWait(driver, 10).until(
            lambda d: (
                d.find_element(By.ID, "site-search-input").get_attribute("aria-expanded") == "true"
            )
        )
        names = [o.text for o in driver.find_elements(By.CSS_SELECTOR, "[role=option] .name")]
        assert label in names, names
        loaded = driver.execute_script(
            "return Array.from(document.scripts, s => s.getAttribute('src') || '')"
            f".filter(src => src.indexOf('{SHARD_FOLDER}/') >= 0)"
        )
        assert loaded == ["../" + shard_file(query_shard(query, split))], loaded
