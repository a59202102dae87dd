"""Every kind of page on a phone and a laptop screen, landmarks, dark mode and plain words.

Real headless Chromium (tests/browser.py). At 390x844 no page scrolls sideways and a graph's
canvas takes at least 90% of the width; every kind of page is screenshot at 390x844 and
1366x900 into test-artifacts/. The queries and analyses pages speak in plain words.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from browser import ARTIFACTS, open_page, start_driver
from mmkg.queries import Table
from mmkg.render.answertable import AnswerWords

SVG = "{http://www.w3.org/2000/svg}"


def _first(folder: Path) -> str:
    return sorted(p.name for p in folder.glob("*.html"))[0]


def page_kinds(site: Path) -> dict[str, Path]:
    """One page of every kind the site has, by kind."""
    return {
        "index": site / "index.html",
        "model": site / "models" / "llava-1.5.html",
        "component": site / "components" / "clip-vit-l-14.html",
        "benchmark": site / "benchmarks" / "mmbench.html",
        "benchmarks-index": site / "benchmarks" / "index.html",
        "lineage": site / "graphs" / "lineage.html",
        "family-lineage": site / "graphs" / "family" / _first(site / "graphs" / "family"),
        "architecture": site / "graphs" / "architecture.html",
        "component-families": site / "graphs" / "component-families.html",
        "ego-graph": site / "graphs" / "ego" / _first(site / "graphs" / "ego"),
        "list-page": site / "list" / "models-2.html",
        "queries": site / "queries.html",
        "analyses": site / "analyses.html",
        "charts-index": site / "charts" / "index.html",
        "lineage-family": site / "families" / "llava.html",
        "component-family": site / "component-families" / _first(site / "component-families"),
        "organisation": site / "organisations" / _first(site / "organisations"),
        "dataset": site / "datasets" / _first(site / "datasets"),
        "modality": site / "modalities" / _first(site / "modalities"),
        "entity-index": site / "organisations" / "index.html",
        "compare": site / "compare.html",
    }


KINDS = [
    "index",
    "model",
    "component",
    "benchmark",
    "benchmarks-index",
    "lineage",
    "family-lineage",
    "architecture",
    "component-families",
    "ego-graph",
    "list-page",
    "queries",
    "analyses",
    "charts-index",
    "lineage-family",
    "component-family",
    "organisation",
    "dataset",
    "modality",
    "entity-index",
    "compare",
]
GRAPH_KINDS = {"lineage", "family-lineage", "architecture", "component-families", "ego-graph"}


@pytest.fixture(scope="module")
def phone(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """A 390x844 Chromium (a phone held upright)."""
    browser = start_driver(tmp_path_factory, 390, 844)
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def laptop(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """A 1366x900 Chromium."""
    browser = start_driver(tmp_path_factory, 1366, 900)
    yield browser
    browser.quit()


def _open(driver, path: Path, kind: str) -> dict:  # noqa: ANN001 - a selenium WebDriver
    report = open_page(driver, path)
    if kind in GRAPH_KINDS:  # vis-network draws into a canvas once its data is read
        WebDriverWait(driver, 15).until(
            lambda d: d.execute_script("return !!document.querySelector('#mynetwork canvas')")
        )
    return report


def _screenshot(driver, name: str) -> None:  # noqa: ANN001
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # the whole page's height, so the screenshot shows what is below the fold too
    height = driver.execute_script("return document.documentElement.scrollHeight")
    width = driver.execute_script("return window.innerWidth")
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": min(height, 4000), "deviceScaleFactor": 1, "mobile": False},
    )
    try:
        driver.save_screenshot(str(ARTIFACTS / name))
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.parametrize("kind", KINDS)
def test_no_page_scrolls_sideways_on_a_phone(site: Path, phone, kind: str) -> None:  # noqa: ANN001
    path = page_kinds(site)[kind]
    _open(phone, path, kind)
    width = phone.execute_script("return window.innerWidth")
    assert width == 390
    scroll = phone.execute_script("return document.documentElement.scrollWidth")
    wide = phone.execute_script(
        """return Array.from(document.querySelectorAll('body *')).filter(function (e) {
             var r = e.getBoundingClientRect();
             return r.width > 0 && r.right > window.innerWidth + 1 && !e.closest('.tablewrap, pre');
           }).slice(0, 5).map(function (e) { return e.tagName + '.' + e.className; });"""
    )
    assert scroll <= width, f"{kind}: the page is {scroll} px wide; too wide: {wide}"
    if kind in GRAPH_KINDS:
        canvas = phone.execute_script(
            "return document.getElementById('mynetwork').getBoundingClientRect().width"
        )
        assert canvas >= 0.9 * width, f"{kind}: the graph is {canvas} px of {width}"
    _screenshot(phone, f"{kind}-390x844.png")


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_page_on_a_laptop(site: Path, laptop, kind: str) -> None:  # noqa: ANN001
    path = page_kinds(site)[kind]
    _open(laptop, path, kind)  # console errors are test_site_browser's to catch
    width = laptop.execute_script("return window.innerWidth")
    assert laptop.execute_script("return document.documentElement.scrollWidth") <= width
    _screenshot(laptop, f"{kind}-1366x900.png")


@pytest.mark.parametrize("kind", KINDS)
def test_landmarks_skip_link_and_heading_order(site: Path, phone, kind: str) -> None:  # noqa: ANN001
    _open(phone, page_kinds(site)[kind], kind)
    nav = phone.find_elements(By.CSS_SELECTOR, "nav[aria-label=Main]")
    assert len(nav) == 1
    links = {a.get_attribute("textContent").strip() for a in nav[0].find_elements(By.TAG_NAME, "a")}
    assert {"Models", "Lineage", "Architecture", "Benchmarks", "Charts", "Queries"} <= links
    assert len(phone.find_elements(By.TAG_NAME, "main")) == 1
    # the first Tab reaches the skip link, which shows, outlined, and leads to <main>
    phone.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    focused = phone.switch_to.active_element
    assert focused.text == "Skip to content"
    assert focused.get_attribute("href").endswith("#content")
    assert phone.execute_script("return document.getElementById('content').tagName") == "MAIN"
    style = phone.execute_script(
        "var e = document.activeElement, s = getComputedStyle(e);"
        "return [s.outlineStyle, s.outlineWidth, e.getBoundingClientRect().top]"
    )
    assert style[0] != "none" and float(style[1].rstrip("px")) >= 2 and style[2] >= 0
    levels = phone.execute_script(
        "return Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6'))"
        ".map(function (h) { return +h.tagName[1]; })"
    )
    assert levels[:1] == [1] and levels.count(1) == 1, levels
    jumps = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    assert not jumps, f"{kind}: headings skip a level: {jumps}"


def _luminance(rgb: str) -> float:
    channels = [int(x) / 255 for x in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_and_links_are_readable_in_light_and_dark_mode(site: Path, phone, scheme: str) -> None:  # noqa: ANN001
    phone.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
    )
    try:
        for kind in ("model", "analyses"):
            _open(phone, page_kinds(site)[kind], kind)
            colours = phone.execute_script(
                """var b = getComputedStyle(document.body);
                   var a = getComputedStyle(document.querySelector('main a'));
                   var m = document.querySelector('main .muted');
                   return [b.backgroundColor, b.color, a.color,
                           m ? getComputedStyle(m).color : b.color];"""
            )
            background, text, link, muted = colours
            assert (_luminance(background) < 0.1) == (scheme == "dark"), colours
            for colour in (text, link, muted):
                assert _contrast(colour, background) >= 4.5, (kind, scheme, colour, background)
    finally:
        phone.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def test_every_chart_is_a_titled_svg(site: Path) -> None:
    charts = sorted((site / "charts").glob("*.svg"))
    assert len(charts) > 10
    for path in charts:
        root = ET.parse(path).getroot()
        title = root.find(f"{SVG}title")
        assert title is not None and title.text and title.text.strip(), path
        assert list(root)[0] is title, path  # first, where readers look for it
        ids = root.get("aria-labelledby", "").split()
        assert title.get("id") in ids and root.get("role") == "img", path


def _section(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    following = re.search(r"<h[12] id=", html[start + 10 :])
    return html[start : start + 10 + following.start()] if following else html[start:]


def test_queries_page_headings_are_plain_words(site: Path) -> None:
    html = (site / "queries.html").read_text(encoding="utf-8")
    html = re.sub(r'<pre class="sparql">.*?</pre>', "", html, flags=re.S)
    headings = re.findall(r"<th>(.*?)</th>", html, flags=re.S)
    assert headings
    shown = [re.sub(r"<[^>]+>", "", h) for h in headings]
    raw = [h for h in shown if re.search(r"[a-z][A-Z]|_", h)]
    assert not raw, f"headings still in variable names: {raw}"
    # the variable is kept in a title
    assert '<th><span title="variable ?modelLabel">model</span></th>' in html
    cq19 = _section(html, "cq-19")
    assert '<td class="num" title="7,000,000,000" data-sort="7000000000">7B</td>' in cq19
    # property IRIs in answers are written as the ontology's labels
    cq04 = _section(html, "cq-04")
    assert "is new version of" in cq04 and "ontology#isNewVersionOf</td>" not in cq04


def test_analyses_page_explains_and_links(site: Path) -> None:
    html = (site / "analyses.html").read_text(encoding="utf-8")
    sections = re.findall(r'<h2 id="[^"]+">(.*?)</h2>\s*<p class="explanation">(.*?)</p>', html)
    assert len(sections) >= 6
    assert all(len(text) > 200 for _, text in sections), sections
    shown = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<th>(.*?)</th>", html)]
    raw = [h for h in shown if re.search(r"[a-z][A-Z]|_", h)]
    assert not raw, f"headings still in variable names: {raw}"
    cells = re.sub(r"<[^>]+>", "", " ".join(re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)))
    for name in ("initialisedFrom", "isTrendSuccessorOf", "isNewVersionOf", "-[", "_"):
        assert name not in cells, name
    # a chain reads "BLIP-2 → InstructBLIP (initialised from) → ...": each link said after
    # the model it leads to
    assert "BLIP-2 → InstructBLIP (initialised from)" in cells
    # names of models and components link to their pages
    hubs = _section(html, "hubs")
    assert '<a href="models/blip-2.html">BLIP-2</a>' in hubs
    assert re.search(r'<a href="components/[^"]+">Linear Projector</a>', hubs)


def test_sizes_are_written_short_with_the_exact_number_kept() -> None:
    site = SimpleNamespace(facts={}, component_info={}, benchmarks={}, url=lambda iri: None)
    words = AnswerWords(site, {"fineTunedFrom": "fine-tuned from"})
    table = Table(
        ["modelLabel", "pre_training_scale", "parameters", "models", "chain"],
        [["X", 600_000, 7_000_000_000, 123_456, "A -[fineTunedFrom]-> B"]],
    )
    answer = words.table(table, "", None, 10, 10**6)
    assert [c["text"] for c in answer["columns"]] == [
        "model",
        "pre-training scale",
        "parameters",
        "models",
        "chain",
    ]
    assert answer["columns"][1]["variable"] == "pre_training_scale"
    row = answer["rows"][0]
    assert (row[1]["pieces"][0]["text"], row[1]["title"]) == ("600K", "600,000")
    assert (row[2]["pieces"][0]["text"], row[2]["title"]) == ("7B", "7,000,000,000")
    assert row[3]["pieces"][0]["text"] == "123456" and row[3]["title"] == ""  # a count
    assert "".join(p["text"] for p in row[4]["pieces"]) == "A → B (fine-tuned from)"
