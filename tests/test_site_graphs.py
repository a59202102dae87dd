"""The graph pages in a real headless Chromium: readable on open, permalinks, search, legends.

At 1366x900 the lineage and the architecture open with every drawn node inside the canvas and
labels of at least 10 px; ``#node=<slug>`` selects a node; legends list the link kinds drawn;
every node opens something; the search ranks exact, then prefix, then substring matches; the
graph has a text alternative. Screenshots of every kind of graph page at 1366x900 and 390x844
go to test-artifacts/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from browser import ARTIFACTS, open_page, start_driver
from mmkg.analysis import BETWEENNESS_EXACT_MAX, BETWEENNESS_SAMPLE, EXACT_MAX_MODELS
from mmkg.render.componentgraphs import component_families_page
from mmkg.render.explanations import EXPLANATIONS
from mmkg.render.graphs import family_lineage_page
from mmkg.render.graphstyle import contrast, label_colour
from mmkg.render.overview import aggregated_component_families_page, aggregated_family_page

MODEL = "https://w3id.org/mmkg/id/model/"
GRAPH_KINDS = {
    "lineage": "graphs/lineage.html",
    "family": "graphs/family/llava.html",
    "architecture": "graphs/architecture.html",
    "component-families": "graphs/component-families.html",
    "ego": "graphs/ego/llava-1.5.html",
}
IN_VIEW = """
var box = container.getBoundingClientRect();
var ids = nodes.getIds({filter: function (n) { return !n.hidden; }});
var positions = network.getPositions(ids), outside = [];
ids.forEach(function (id) {
  var p = network.canvasToDOM(positions[id]);
  if (p.x < 0 || p.y < 0 || p.x > box.width || p.y > box.height) { outside.push(id); }
});
return {outside: outside, drawn: ids.length, label: network.getScale() * fontSize};
"""


@pytest.fixture(scope="module")
def desktop(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """A 1366x900 headless Chromium."""
    browser = start_driver(tmp_path_factory, 1366, 900)
    yield browser
    browser.quit()


def open_at(driver, site: Path, page: str, fragment: str = "") -> None:  # noqa: ANN001
    """Open *page* of *site* with a ``#`` fragment, waiting for the page to load."""
    driver.get((site / page).as_uri() + fragment)
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


@pytest.mark.parametrize("kind", ["lineage", "architecture", "component-families"])
def test_overviews_open_with_every_node_in_view_and_labels_of_10px(
    desktop,  # noqa: ANN001
    site: Path,
    kind: str,
) -> None:
    report = open_page(desktop, site / GRAPH_KINDS[kind])
    assert report["errors"] == []
    view = desktop.execute_script(IN_VIEW)
    assert view["drawn"] > 10
    assert view["outside"] == []
    assert view["label"] >= 10


def test_lineage_hides_unlinked_models_until_asked_and_keeps_its_axis_pinned(
    desktop,  # noqa: ANN001
    site: Path,
) -> None:
    open_page(desktop, site / GRAPH_KINDS["lineage"])
    hidden = desktop.execute_script("return HIDDEN.length")
    edges = desktop.execute_script("return EDGES")
    linked = {e["from"] for e in edges} | {e["to"] for e in edges}
    assert desktop.execute_script(IN_VIEW)["drawn"] == len(linked)
    assert hidden == desktop.execute_script("return NODES.length") - len(linked) > 0
    axis = desktop.find_element(By.CSS_SELECTOR, "#mynetwork .graph-axis")
    lanes = desktop.find_element(By.CSS_SELECTOR, "#mynetwork .graph-lanes")
    years_before = [s.text for s in axis.find_elements(By.CSS_SELECTOR, "span.major")]
    assert any(re.fullmatch(r"20\d\d", y) for y in years_before)
    lane_names = [s.text for s in lanes.find_elements(By.TAG_NAME, "span")]
    assert "LLaVA" in lane_names
    desktop.execute_script("network.moveTo({position: {x: 300, y: 300}, scale: 2});")
    assert axis.find_elements(By.TAG_NAME, "span")  # the axis is still drawn, at the top
    top = desktop.find_element(By.ID, "mynetwork").location["y"]
    assert abs(axis.location["y"] - top) <= 2  # pinned to the canvas's top edge
    desktop.find_element(By.ID, "show-hidden").click()
    assert desktop.execute_script(IN_VIEW)["drawn"] == len(linked) + hidden


def _lone_families(store) -> set[str]:  # noqa: ANN001
    """From the store: the families of one component, neither of them in a derivation, and
    their components."""
    from mmkg.graphview import family_tree

    tree = family_tree(store)
    members: dict[str, list[str]] = {}
    derived = set()
    for a, b, data in tree.edges(data=True):
        if data.get("kind") == "member":
            members.setdefault(a, []).append(b)
        else:
            derived |= {a, b}
    lone = {
        f: parts[0]
        for f, parts in members.items()
        if len(parts) == 1 and not {f, parts[0]} & derived
    }
    return set(lone) | set(lone.values())


def test_component_families_hide_exactly_the_lone_families_until_asked(
    desktop,  # noqa: ANN001
    site: Path,
    store,  # noqa: ANN001
) -> None:
    expected = _lone_families(store)
    open_page(desktop, site / GRAPH_KINDS["component-families"])
    hidden = set(desktop.execute_script("return HIDDEN"))
    assert hidden == expected and len(hidden) > 100
    total = desktop.execute_script("return NODES.length")
    assert desktop.execute_script(IN_VIEW)["drawn"] == total - len(hidden)
    # the hidden ones are pairs: a family and its one component, joined by nothing else
    edges = desktop.execute_script("return EDGES")
    pairs = [e for e in edges if e["from"] in hidden or e["to"] in hidden]
    assert len(pairs) * 2 == len(hidden)
    assert all(e["from"] in hidden and e["to"] in hidden and e["hidden"] for e in pairs)
    toggle = desktop.find_element(By.ID, "show-hidden")
    label = toggle.find_element(By.XPATH, "..").text
    assert label == (
        f"show the {len(hidden) // 2} single-component families without a derivation link"
    )
    legend = desktop.find_element(By.CSS_SELECTOR, "aside.legend").text
    assert f"single-component families without a derivation link ({len(hidden) // 2})" in legend
    marked = desktop.find_elements(By.XPATH, "//*[@id='graph-list']//li[contains(., 'hidden')]")
    assert len(marked) == len(hidden)
    toggle.click()
    view = desktop.execute_script(IN_VIEW)
    assert view["drawn"] == total and view["outside"] == []
    assert desktop.execute_script("return edges.get().filter(e => e.hidden).length") == 0
    toggle.click()
    assert desktop.execute_script(IN_VIEW)["drawn"] == total - len(hidden)
    # the lineage's box still says what it hides
    open_page(desktop, site / GRAPH_KINDS["lineage"])
    text = desktop.find_element(By.ID, "show-hidden").find_element(By.XPATH, "..").text
    assert re.fullmatch(r"show the \d+ models without a lineage link", text)


def test_permalink_of_a_hidden_component_reveals_it(desktop, site: Path) -> None:  # noqa: ANN001
    open_page(desktop, site / GRAPH_KINDS["component-families"])
    component = desktop.execute_script(
        "return HIDDEN.filter(id => nodes.get(id).shape === 'box')[0]"
    )
    key = desktop.execute_script("return keyOf(arguments[0])", component)
    assert key.startswith("components/")
    open_at(desktop, site, GRAPH_KINDS["component-families"], "#node=" + key)
    assert desktop.execute_script("return network.getSelectedNodes()") == [component]
    assert desktop.execute_script("return nodes.get(arguments[0]).hidden", component) is False
    assert desktop.find_element(By.ID, "show-hidden").is_selected()
    box = desktop.execute_script(
        "var p = network.canvasToDOM(network.getPositions([arguments[0]])[arguments[0]]);"
        "return [p.x, p.y, container.clientWidth, container.clientHeight];",
        component,
    )
    assert 0 <= box[0] <= box[2] and 0 <= box[1] <= box[3]


def test_time_is_proportional_on_the_lineage(desktop, site: Path) -> None:  # noqa: ANN001
    open_page(desktop, site / GRAPH_KINDS["lineage"])
    nodes = desktop.execute_script("return NODES")
    dated = {}
    for node in nodes:
        label = node["title"].split("\n")[1]
        if re.fullmatch(r"date: \d{4}-\d\d-\d\d", label):
            year, month = int(label[6:10]), int(label[11:13])
            dated[year * 12 + month] = node["x"]
    months = sorted(dated)
    step = (dated[months[-1]] - dated[months[0]]) / (months[-1] - months[0])
    for month in months:
        assert dated[month] - dated[months[0]] == pytest.approx(step * (month - months[0]))


def test_permalink_selects_and_focuses_the_node(desktop, site: Path) -> None:  # noqa: ANN001
    open_at(desktop, site, GRAPH_KINDS["lineage"], "#node=llava-1.5")
    assert desktop.execute_script("return network.getSelectedNodes()") == [MODEL + "llava-1.5"]
    box = desktop.execute_script(
        "var p = network.canvasToDOM(network.getPositions([arguments[0]])[arguments[0]]);"
        "return [p.x, p.y, container.clientWidth, container.clientHeight];",
        MODEL + "llava-1.5",
    )
    assert 0 <= box[0] <= box[2] and 0 <= box[1] <= box[3]
    card = desktop.find_element(By.CSS_SELECTOR, "#mynetwork .node-card")
    assert card.is_displayed() and "LLaVA-1.5" in card.text
    assert (
        card.find_element(By.TAG_NAME, "a").get_attribute("href").endswith("/models/llava-1.5.html")
    )
    # a hidden (unlinked) model is shown when its permalink is opened
    hidden = desktop.execute_script("return keyOf(HIDDEN[0])")
    open_at(desktop, site, GRAPH_KINDS["lineage"], "#node=" + hidden)
    selected = desktop.execute_script("return network.getSelectedNodes()")
    assert desktop.execute_script("return keyOf(arguments[0])", selected[0]) == hidden
    # a search rewrites the address: it is a permalink
    open_page(desktop, site / GRAPH_KINDS["architecture"])
    desktop.find_element(By.ID, "search").send_keys("llava-1.5", Keys.ENTER)
    assert desktop.current_url.endswith("#node=llava-1.5")


def test_search_ranks_exact_then_prefix_then_substring(desktop, site: Path) -> None:  # noqa: ANN001
    open_page(desktop, site / GRAPH_KINDS["lineage"])
    names = desktop.execute_script("return matches('gpt').map(nameOf)")
    assert names[0] == "GPT-4"
    assert names.index("GPT-4") < names.index("TinyGPT-V")
    assert desktop.execute_script("return matches('llava 1.5').map(nameOf)")[0] == "LLaVA-1.5"
    search = desktop.find_element(By.ID, "search")
    search.send_keys("gpt", Keys.ENTER)
    assert desktop.find_element(By.ID, "search-status").text == "found: GPT-4"
    desktop.find_element(By.ID, "search-next").click()
    second = desktop.find_element(By.ID, "search-status").text
    assert second != "found: GPT-4" and second.startswith("found: ")
    search.send_keys(Keys.ENTER)  # Enter again opens the selected node's page
    WebDriverWait(desktop, 5).until(lambda d: "/models/" in d.current_url)


def test_legends_list_exactly_the_link_kinds_drawn(desktop, site: Path) -> None:  # noqa: ANN001
    for kind in ("lineage", "family", "ego"):
        open_page(desktop, site / GRAPH_KINDS[kind])
        edges = desktop.execute_script("return EDGES")
        drawn = {e["what"]: (e["color"], e.get("dashes") or False) for e in edges if "kind" in e}
        items = desktop.execute_script(
            """return Array.from(document.querySelectorAll('aside.legend h2')).filter(
                 h => h.textContent.startsWith('Links')).flatMap(h => Array.from(
                 h.nextElementSibling.querySelectorAll('li')).map(li => {
                   var line = li.querySelector('svg line');
                   return [li.textContent.trim(), line.getAttribute('stroke'),
                           line.getAttribute('stroke-dasharray')]; }));"""
        )
        legend = {re.sub(r" \(\d+\)$", "", text): (colour, dash) for text, colour, dash in items}
        assert set(legend) == set(drawn), kind
        for what, (colour, dashes) in drawn.items():
            assert legend[what][0] == colour
            assert legend[what][1] == (" ".join(map(str, dashes)) if dashes else None)
        styles = {(c, str(d)) for c, d in drawn.values()}
        assert len(styles) == len(drawn)  # no two kinds drawn alike
    # an edge shared by two link kinds is drawn twice, once per kind
    open_page(desktop, site / GRAPH_KINDS["lineage"])
    pairs = desktop.execute_script("return EDGES.map(e => e.from + ' ' + e.to + ' ' + e.kind)")
    assert len(pairs) == len(set(pairs))
    assert desktop.execute_script("return EDGES.length") == desktop.execute_script(
        "return EDGES.filter(e => e.kind).length"
    )


def test_every_node_opens_something_and_taps_show_an_open_link(desktop, site: Path) -> None:  # noqa: ANN001
    for kind, page in GRAPH_KINDS.items():
        open_page(desktop, site / page)
        missing = desktop.execute_script(
            "return nodes.getIds().filter(function (id) { return !pageOf(id); })"
        )
        assert missing == [], kind
    # a family node of the component families opens its component-family page
    open_page(desktop, site / GRAPH_KINDS["component-families"])
    family = desktop.execute_script(
        "return NODES.filter(n => n.shape === 'ellipse').map(n => [n.label, pageOf(n.id)])"
    )
    assert family and all(re.search(r"component-families/[^/#]+\.html$", u) for _, u in family)
    assert dict(family)["Vicuna family"].endswith("component-families/vicuna.html")
    page = site / "graphs" / dict(family)["Vicuna family"]
    assert page.resolve().is_file()
    open_page(desktop, site / GRAPH_KINDS["architecture"])
    desktop.execute_script(
        "network.emit('click', {nodes: [arguments[0]], event: {pointerType: 'touch'}});",
        MODEL + "llava-1.5",
    )
    card = desktop.find_element(By.CSS_SELECTOR, "#mynetwork .node-card")
    assert card.is_displayed()
    assert (
        card.find_element(By.CLASS_NAME, "open")
        .get_attribute("href")
        .endswith("/models/llava-1.5.html")
    )
    assert desktop.current_url.endswith("#node=llava-1.5")


def test_every_graph_has_a_text_alternative_that_reaches_its_nodes(desktop, site: Path) -> None:  # noqa: ANN001
    for kind, page in GRAPH_KINDS.items():
        open_page(desktop, site / page)
        canvas = desktop.find_element(By.ID, "mynetwork")
        assert canvas.get_attribute("role") == "img", kind
        assert canvas.get_attribute("aria-describedby") == "graph-list"
        listed = desktop.find_elements(By.CSS_SELECTOR, "#graph-list ul li")
        assert len(listed) == desktop.execute_script("return NODES.length"), kind
        rows = desktop.find_elements(By.CSS_SELECTOR, "#graph-list table tbody tr")
        assert len(rows) == desktop.execute_script("return EDGES.length"), kind
    open_page(desktop, site / GRAPH_KINDS["lineage"])
    desktop.find_element(By.CSS_SELECTOR, "#graph-list summary").click()
    link = desktop.find_element(By.LINK_TEXT, "LLaVA-1.5")
    link.send_keys(Keys.ENTER)  # from the keyboard
    WebDriverWait(desktop, 5).until(
        lambda d: d.execute_script("return network.getSelectedNodes()") == [MODEL + "llava-1.5"]
    )


def test_box_labels_contrast_with_their_colour(desktop, site: Path) -> None:  # noqa: ANN001
    assert label_colour("#0072b2") == "#ffffff" and label_colour("#e69f00") == "#000000"
    for kind in ("architecture", "component-families", "ego"):
        open_page(desktop, site / GRAPH_KINDS[kind])
        boxes = desktop.execute_script(
            "return NODES.filter(n => n.shape === 'box' || n.shape === 'ellipse')"
        )
        assert boxes
        for node in boxes:
            assert contrast(node["font"]["color"], node["color"]) >= 4.5, node["label"]


@pytest.mark.parametrize("size", [(1366, 900), (390, 844)])
def test_screenshots_of_every_kind_of_graph_page(
    tmp_path_factory: pytest.TempPathFactory,
    site: Path,
    size: tuple[int, int],
) -> None:
    browser = start_driver(tmp_path_factory, *size)
    try:
        ARTIFACTS.mkdir(exist_ok=True)
        for kind, page in GRAPH_KINDS.items():
            report = open_page(browser, site / page)
            assert report["errors"] == [], kind
            first = browser.execute_script(IN_VIEW)
            # a laptop opens on the whole graph; a phone on labels of 10 px: the whole graph when
            # it reads whole, else its top left, unenlarged so the labels do not overlap
            if size[0] >= 600:
                assert first["outside"] == [], kind
            else:
                assert first["label"] >= 10, kind
            if size[0] < 600 and first["outside"]:
                assert browser.execute_script("return fontSize") == pytest.approx(
                    browser.execute_script("return BASE_FONT"), abs=1.5
                ), kind
            browser.save_screenshot(str(ARTIFACTS / f"graph-{kind}-{size[0]}x{size[1]}.png"))
            browser.find_element(By.ID, "fit").click()  # "Show all" fits every drawn node
            assert browser.execute_script(IN_VIEW)["outside"] == [], kind
    finally:
        browser.quit()


def test_a_model_page_links_to_itself_in_the_lineage(desktop, site: Path) -> None:  # noqa: ANN001
    open_page(desktop, site / "models/llava-1.5.html")
    desktop.find_element(By.LINK_TEXT, "see it in the lineage").click()
    WebDriverWait(desktop, 10).until(
        lambda d: "graphs/lineage.html#node=llava-1.5" in d.current_url
    )
    WebDriverWait(desktop, 10).until(
        lambda d: d.execute_script("return network.getSelectedNodes()") == [MODEL + "llava-1.5"]
    )
    open_page(desktop, site / "models/llava-1.5.html")
    family = desktop.find_element(By.LINK_TEXT, "lineage family").get_attribute("href")
    assert family.endswith("graphs/family/llava.html#node=llava-1.5")


def _component_tree() -> nx.DiGraph:
    """Two families of two components each, one derived from the other."""
    tree = nx.DiGraph()
    for family in ("llama", "vicuna"):
        tree.add_node(f"f/{family}", kind="family", label=family.title())
        for size in ("7b", "13b"):
            tree.add_node(f"c/{family}-{size}", kind="component", label=f"{family}-{size}")
            tree.add_edge(f"f/{family}", f"c/{family}-{size}", kind="member")
    tree.add_edge("c/llama-7b", "c/vicuna-7b", kind="derived from")
    return tree


def _family_url(iri: str) -> str:
    folder = "component-families" if iri.startswith("f/") else "components"
    return f"{folder}/{iri.split('/')[1]}.html"


@pytest.mark.parametrize("limit", [500, 1], ids=["one-node-per-component", "overview"])
def test_a_component_family_node_opens_its_family_page(limit: int) -> None:
    tree = _component_tree()
    if limit > len(tree):
        page = component_families_page(tree, _family_url)
    else:
        page = aggregated_component_families_page(tree, _family_url, limit)
    assert page.url_for("f/vicuna") == "component-families/vicuna.html"
    assert page.url_for("f/llama") == "component-families/llama.html"


def _two_root_family() -> nx.MultiDiGraph:
    """A family of three models with two roots: Alpha and Beta both lead to Gamma."""
    lineage = nx.MultiDiGraph()
    for month, name in enumerate(("Alpha", "Beta", "Gamma"), start=1):
        lineage.add_node(name.lower(), label=name, year=2024, month=month, organisations=["Org"])
    for root in ("alpha", "beta"):
        lineage.add_edge(root, "gamma", kind="fineTunedFrom", label="fine-tuned from")
    return lineage


@pytest.mark.parametrize("overview", [False, True], ids=["one-node-per-model", "overview"])
def test_a_family_with_two_roots_is_not_said_to_descend_from_one(overview: bool) -> None:
    lineage = _two_root_family()
    nodes = set(lineage)
    if overview:
        page = aggregated_family_page(lineage, "alpha", nodes, "alpha", "Alpha", limit=1)
    else:
        page = family_lineage_page(lineage, "alpha", nodes, "alpha", {}, lambda _: None)
    assert "descend" not in page.intro
    assert page.intro.startswith(
        "3 models in the Alpha family (models joined by lineage links), by "
    )


def test_the_analyses_page_states_the_approximation_thresholds_in_force(site: Path) -> None:
    # the explanations of hubs and communities are written from the constants they describe
    text = re.sub(r"\s+", " ", (site / "analyses.html").read_text(encoding="utf-8"))
    assert f"betweenness is exact up to {BETWEENNESS_EXACT_MAX:,} nodes" in text
    assert f"estimated from {BETWEENNESS_SAMPLE} sampled start nodes" in text
    assert f"Exact (greedy modularity) up to {EXACT_MAX_MODELS:,} models" in text
    for name in ("hubs", "communities"):
        for number in re.findall(r"\d{1,3}(?:,\d{3})+|\d{2,}", EXPLANATIONS[name]):
            value = int(number.replace(",", ""))
            assert value in {BETWEENNESS_EXACT_MAX, BETWEENNESS_SAMPLE, EXACT_MAX_MODELS}


def test_the_explanations_follow_the_constants(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    from mmkg.render import explanations

    hubs = importlib.import_module("mmkg.analysis.hubs")
    communities = importlib.import_module("mmkg.analysis.communities")

    monkeypatch.setattr(hubs, "BETWEENNESS_EXACT_MAX", 2500)
    monkeypatch.setattr(hubs, "BETWEENNESS_SAMPLE", 128)
    monkeypatch.setattr(communities, "EXACT_MAX_MODELS", 400)
    try:
        reloaded = importlib.reload(explanations).EXPLANATIONS
    finally:
        monkeypatch.undo()
        importlib.reload(explanations)
    assert "exact up to 2,500 nodes" in reloaded["hubs"] and "from 128 sampled" in reloaded["hubs"]
    assert "up to 400 models" in reloaded["communities"]
