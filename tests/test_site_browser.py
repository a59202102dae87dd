"""The static site in a real headless Chromium, over file:// with no network.

The browser is tests/browser.py's (Debian's chromium, which the project's setup installs).
Screenshots of the index, the whole lineage and a model page go to test-artifacts/.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from browser import ARTIFACTS, dialogs, open_page
from expected import MODELS
from mmkg.graphview import lineage_graph, model_component_graph, model_facts
from mmkg.render import build_site
from mmkg.render.layout import lineage_families
from mmkg.render.scripts import PAGE_SIZE

PAGE_KINDS = [
    "index.html",
    "models/llava-1.5.html",
    "models/3d-llm.html",
    "components/clip-vit-l.html",
    "benchmarks/mmbench.html",
    "benchmarks/index.html",
    "graphs/lineage.html",
    "graphs/family/llava.html",
    "graphs/architecture.html",
    "graphs/component-families.html",
    "graphs/ego/llava-1.5.html",
    "list/models-2.html",
    "queries.html",
    "charts/index.html",
    "charts/trend-input-projectors.svg",
]
LLAVA = "https://w3id.org/mmkg/id/model/llava"


@pytest.mark.parametrize("page", PAGE_KINDS)
def test_every_kind_of_page_loads_offline_without_errors(driver, site: Path, page: str) -> None:  # noqa: ANN001
    report = open_page(driver, site / page)
    assert report["errors"] == [], report["errors"]
    assert report["failed"] == []
    outside = [u for u in report["requests"] if not u.startswith(("file:", "data:", "about:"))]
    assert outside == [], outside
    external = driver.execute_script(
        """return Array.from(document.querySelectorAll('script[src], link[href], img[src]'))
                 .map(e => e.getAttribute('src') || e.getAttribute('href'))
                 .filter(u => /^(https?:)?\\/\\//.test(u));"""
    )
    assert external == []
    if page.startswith("graphs/"):
        assert driver.execute_script("return network.body.data.nodes.length") > 0
    if page.endswith(".html"):
        assert driver.title.endswith("· mmkg")


def test_lineage_network_holds_every_model_and_a_click_opens_its_page(
    driver,  # noqa: ANN001
    site: Path,
    store: ox.Store,
) -> None:
    open_page(driver, site / "graphs/lineage.html")
    count = driver.execute_script("return network.body.data.nodes.length")
    assert count == lineage_graph(store).number_of_nodes() == MODELS
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "lineage.png"))
    driver.execute_script("network.emit('click', {nodes: [arguments[0]]});", LLAVA)
    WebDriverWait(driver, 5).until(lambda d: d.current_url.endswith("/models/llava.html"))
    assert driver.find_element(By.TAG_NAME, "h1").text == "LLaVA"


def test_search_box_selects_and_focuses_a_node(driver, site: Path) -> None:  # noqa: ANN001
    open_page(driver, site / "graphs/lineage.html")
    search = driver.find_element(By.ID, "search")
    search.send_keys("llava-1.5", Keys.ENTER)
    selected = driver.execute_script("return network.getSelectedNodes()")
    assert selected == [LLAVA + "-1.5"]
    assert driver.find_element(By.ID, "search-status").text == "found: LLaVA-1.5"
    search.clear()
    search.send_keys("no such model", Keys.ENTER)
    assert driver.find_element(By.ID, "search-status").text == "no node matches"
    assert driver.execute_script("return network.getSelectedNodes()") == []


ROWS = "return Array.from(document.querySelectorAll('#models-table tbody tr'))" + (
    ".map(r => Array.from(r.cells).map(c => c.textContent))"
)


def all_rows(driver) -> list[list[str]]:  # noqa: ANN001 - a selenium WebDriver
    """The rows of every page of the model table, turning the pages with its buttons."""
    driver.find_element(By.ID, "page-first").click()
    rows = driver.execute_script(ROWS)
    while driver.find_element(By.ID, "page-next").is_enabled():
        assert len(rows) % PAGE_SIZE == 0
        driver.find_element(By.ID, "page-next").click()
        rows += driver.execute_script(ROWS)
    return rows


def shown_count(driver) -> int:  # noqa: ANN001 - a selenium WebDriver
    return int(driver.find_element(By.ID, "model-count").text)


def test_model_table_filters_and_sorts(driver, site: Path) -> None:  # noqa: ANN001
    open_page(driver, site / "index.html")
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "index.png"))
    assert len(driver.execute_script(ROWS)) == PAGE_SIZE < MODELS
    assert shown_count(driver) == MODELS
    assert not driver.find_element(By.ID, "static-pager").is_displayed()  # the script pages
    box = driver.find_element(By.ID, "model-filter")
    box.send_keys("Q-Former")
    rows = all_rows(driver)
    assert 0 < len(rows) == shown_count(driver) < MODELS
    assert all("q-former" in " ".join(r).lower() for r in rows)
    box.send_keys(" video")
    narrower = all_rows(driver)
    assert 0 < len(narrower) == shown_count(driver) < len(rows)
    assert all("video" in " ".join(r).lower() for r in narrower)
    box.clear()
    box.send_keys(" ")
    assert shown_count(driver) == MODELS
    driver.find_element(By.XPATH, "//table[@id='models-table']//th[text()='date']").click()
    dates = [r[1] for r in all_rows(driver)]
    filled = [d for d in dates if d]
    assert len(dates) == MODELS
    assert filled == sorted(filled) and dates[: len(filled)] == filled  # unknown dates last


def test_model_table_pages_hold_every_model_once(driver, site: Path) -> None:  # noqa: ANN001
    open_page(driver, site / "index.html")
    status = driver.find_element(By.ID, "page-status")
    assert (
        status.text == f"rows 1–{PAGE_SIZE} of {MODELS}, page 1 of {math.ceil(MODELS / PAGE_SIZE)}"
    )
    assert not driver.find_element(By.ID, "page-prev").is_enabled()
    driver.find_element(By.ID, "page-next").click()
    assert status.text.startswith(f"rows {PAGE_SIZE + 1}–")
    assert driver.execute_script("return location.hash") == "#page=2"
    driver.find_element(By.ID, "page-last").click()
    assert not driver.find_element(By.ID, "page-next").is_enabled()
    names = [r[0] for r in all_rows(driver)]
    data = json.loads(
        (site / "data/models.js").read_text(encoding="utf-8")[len("window.MMKG_MODELS = ") : -2]
    )
    assert names == [r[1] for r in data["rows"]] and len(set(names)) == MODELS


def test_model_table_facets_and_links_into_it(driver, site: Path, store: ox.Store) -> None:  # noqa: ANN001
    facts = model_facts(store)
    open_page(driver, site / "index.html")
    Select(driver.find_element(By.ID, "filter-in")).select_by_visible_text("Video")
    video = {r[0] for r in all_rows(driver)}
    assert video == {d["label"] for d in facts.values() if "Video" in d["inputs"]}
    Select(driver.find_element(By.ID, "filter-year")).select_by_visible_text("2023")
    both = {r[0] for r in all_rows(driver)}
    assert 0 < len(both) < len(video)
    assert both == {
        d["label"] for d in facts.values() if "Video" in d["inputs"] and d["year"] == 2023
    }
    Select(driver.find_element(By.ID, "filter-functional")).select_by_index(1)
    Select(driver.find_element(By.ID, "filter-design")).select_by_index(1)
    driver.find_element(By.ID, "filter-clear").click()
    assert shown_count(driver) == MODELS
    org = driver.find_element(By.ID, "filter-org")
    org.send_keys("Salesforce Research")
    salesforce = {r[0] for r in all_rows(driver)}
    assert salesforce == {
        d["label"] for d in facts.values() if "Salesforce Research" in d["organisations"]
    }
    assert {"BLIP-2", "InstructBLIP"} <= salesforce
    # a component page links to the table filtered by the component; the filter is in the URL
    open_page(driver, site / "components/q-former-linear-projector.html")
    driver.find_element(By.PARTIAL_LINK_TEXT, "in the model table").click()
    WebDriverWait(driver, 5).until(lambda d: shown_count(d) < MODELS)
    uses = driver.find_element(By.ID, "filter-uses").get_attribute("value")
    assert uses == "Q-Former with Linear Projector"
    users = {r[0] for r in all_rows(driver)}
    graph = model_component_graph(store)
    q_former = "https://w3id.org/mmkg/id/component/q-former-linear-projector"
    assert users == {graph.nodes[m]["label"] for m in graph[q_former]}
    # a lineage family, by the name of its root
    driver.get((site / "index.html").as_uri() + "#family=LLaVA")
    family = {r[0] for r in all_rows(driver)}
    llava = next(nodes for root, nodes in lineage_families(lineage_graph(store)) if root == LLAVA)
    assert family == {facts[m]["label"] for m in llava}


def test_back_restores_the_filter_and_its_rows(driver, site: Path) -> None:  # noqa: ANN001
    open_page(driver, site / "index.html")
    driver.find_element(By.ID, "model-filter").send_keys("video")
    Select(driver.find_element(By.ID, "filter-year")).select_by_visible_text("2023")
    rows = driver.execute_script(ROWS)
    count = shown_count(driver)
    driver.find_element(By.CSS_SELECTOR, "#models-table tbody a").click()
    WebDriverWait(driver, 5).until(lambda d: "/models/" in d.current_url)
    driver.back()
    WebDriverWait(driver, 5).until(lambda d: d.current_url.split("#")[0].endswith("index.html"))
    WebDriverWait(driver, 5).until(lambda d: d.execute_script(ROWS) == rows)
    assert driver.find_element(By.ID, "model-filter").get_attribute("value") == "video"
    assert Select(driver.find_element(By.ID, "filter-year")).first_selected_option.text == "2023"
    assert shown_count(driver) == count < MODELS


def test_no_js_readers_reach_every_model_through_the_static_pages(driver, site: Path) -> None:  # noqa: ANN001
    open_page(driver, site / "list/models-2.html")
    rows = driver.execute_script(ROWS)
    assert len(rows) == min(PAGE_SIZE, MODELS - PAGE_SIZE)
    driver.find_element(By.LINK_TEXT, "‹ previous").click()
    WebDriverWait(driver, 5).until(lambda d: d.current_url.split("#")[0].endswith("index.html"))


def test_graph_pages_load_the_one_shared_vis_network_from_file(driver, site: Path) -> None:  # noqa: ANN001
    for page in ("graphs/lineage.html", "graphs/ego/llava-1.5.html"):
        report = open_page(driver, site / page)
        loaded = [u for u in report["requests"] if u.startswith("file:")]
        assert (site / "assets/vis-network.min.js").as_uri() in loaded
        assert (site / "assets/graph.js").as_uri() in loaded
        assert driver.execute_script("return typeof vis.Network") == "function"
        inline = driver.execute_script(
            "return Array.from(document.scripts).filter(s => !s.src).map(s => s.text.length)"
        )
        assert len(inline) == 1 and inline[0] < 100_000  # the page's data only
        assert driver.execute_script("return network.body.data.nodes.length") > 1


@pytest.fixture(scope="module")
def aggregated_site(store: ox.Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site with overviews aggregated above 50 nodes (as above 500 at scale)."""
    out = tmp_path_factory.mktemp("aggregated") / "site"
    build_site(store, out, max_nodes=50)
    return out


@pytest.mark.parametrize(
    "page",
    ["graphs/lineage.html", "graphs/architecture.html", "graphs/component-families.html"],
)
def test_aggregated_overviews_draw_and_open_pages(driver, aggregated_site: Path, page: str) -> None:  # noqa: ANN001
    report = open_page(driver, aggregated_site / page)
    assert report["errors"] == [] and report["failed"] == []
    assert "this overview draws" in driver.find_element(By.CLASS_NAME, "note").text
    nodes = driver.execute_script("return network.body.data.nodes.get()")
    assert 1 < len(nodes) <= 200
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"aggregated-{page.split('/')[-1][:-5]}.png"))
    pages = driver.execute_script("return PAGES")
    node = next(n["id"] for n in nodes if n["id"] in pages)
    driver.execute_script("network.emit('click', {nodes: [arguments[0]]});", node)
    WebDriverWait(driver, 5).until(
        lambda d: d.current_url.split("#")[0] != (aggregated_site / page).as_uri()
    )
    assert driver.title.endswith("· mmkg")


def test_model_page_screenshot(driver, site: Path) -> None:  # noqa: ANN001
    open_page(driver, site / "models/llava-1.5.html")
    stages = driver.find_elements(By.CSS_SELECTOR, ".pipeline .stage")
    assert [s.find_element(By.CLASS_NAME, "role").text for s in stages] == [
        "MODALITY ENCODER",
        "INPUT PROJECTOR",
        "LLM BACKBONE",
        "OUTPUT PROJECTOR",
        "MODALITY GENERATOR",
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "model-llava-1.5.png"))


def test_hostile_labels_open_no_dialog(driver, hostile_site: Path) -> None:  # noqa: ANN001
    for page in sorted(hostile_site.rglob("*.html")):
        report = open_page(driver, page)
        if page.parent.name == "graphs" or page.parent.parent.name == "graphs":
            nodes = driver.execute_script("return network.body.data.nodes.get()")
            for node in nodes:  # hover every tooltip and run every click handler
                driver.execute_script(
                    "network.emit('hoverNode', {node: arguments[0]});", node["id"]
                )
            driver.execute_script("focusNode(arguments[0]);", nodes[0]["label"])
        time.sleep(0.05)
        assert dialogs(driver) == [], page
        assert report["errors"] == [], (page, report["errors"])
        assert [u for u in report["requests"] if not u.startswith("file:")] == [], page
        assert driver.execute_script("return document.querySelectorAll('img[src=x]').length") == 0
    ARTIFACTS.mkdir(exist_ok=True)
    open_page(driver, hostile_site / "models/evil.html")
    driver.save_screenshot(str(ARTIFACTS / "hostile-model.png"))


def test_model_table_has_a_size_facet(driver, site: Path, store: ox.Store) -> None:  # noqa: ANN001
    """Models by the parameter counts the graph states they were released in."""
    from mmkg.queries import select

    sizes: dict[str, list[float]] = {}
    for model, size in select(store, "SELECT ?m ?v WHERE { ?m mmkg:releasedSize ?v }"):
        sizes.setdefault(model, []).append(float(size))
    labels = {iri: d["label"] for iri, d in model_facts(store).items()}
    open_page(driver, site / "index.html")
    Select(driver.find_element(By.ID, "filter-size")).select_by_visible_text("3B to 10B")
    mid = {r[0] for r in all_rows(driver)}
    assert mid == {labels[m] for m, s in sizes.items() if any(3e9 <= v < 10e9 for v in s)}
    assert "size=3B+to+10B" in driver.current_url
    Select(driver.find_element(By.ID, "filter-size")).select_by_visible_text("not stated")
    assert shown_count(driver) == len(labels) - len(sizes) > 0
