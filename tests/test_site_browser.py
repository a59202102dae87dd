"""The static site in a real headless Chromium, over file:// with no network.

Needs Debian's `chromium` and `chromium-driver` (scripts/install-system-deps.sh installs them)
and the `selenium` package; the tests are skipped, saying why, when either is missing.
Screenshots of the index, the whole lineage and a model page go to test-artifacts/.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from mmkg.graphview import lineage_graph
from mmkg.paths import PROJECT_ROOT

webdriver = pytest.importorskip("selenium.webdriver")
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip(
        "needs /usr/bin/chromium and /usr/bin/chromedriver (sh scripts/install-system-deps.sh)",
        allow_module_level=True,
    )

from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from expected import MODELS  # noqa: E402

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
)
# Recorded instead of shown, so a dialog a hostile label might open is caught and cannot block.
TRAP_DIALOGS = """
window.__dialogs = [];
["alert", "confirm", "prompt"].forEach(function (name) {
  window[name] = function (message) { window.__dialogs.push(name + ": " + message); };
});
"""
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
    "queries.html",
    "charts/index.html",
    "charts/trend-input-projectors.svg",
]
LLAVA = "https://w3id.org/mmkg/id/model/llava"


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """One headless Chromium for the module, with a fresh profile and browser logs on."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    options.set_capability("unhandledPromptBehavior", "ignore")
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": TRAP_DIALOGS})
    yield browser
    browser.quit()


def open_page(driver, path: Path) -> dict:  # noqa: ANN001 - a selenium WebDriver
    """Load *path* over file:// and report console errors, requests and failed loads."""
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get(path.as_uri())
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )
    errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    requests, failed = [], []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requests.append(message["params"]["request"]["url"])
        elif message["method"] == "Network.loadingFailed":
            failed.append(message["params"])
    return {"errors": errors, "requests": requests, "failed": failed}


def dialogs(driver) -> list[str]:  # noqa: ANN001 - a selenium WebDriver
    """Dialogs the page tried to open (trapped), plus any real one still showing."""
    try:
        alert = driver.switch_to.alert
        text = alert.text
        alert.dismiss()
        return [f"dialog shown: {text}"]
    except NoAlertPresentException:
        pass
    return driver.execute_script("return window.__dialogs || []")


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


def test_model_table_filters_and_sorts(driver, site: Path) -> None:  # noqa: ANN001
    open_page(driver, site / "index.html")
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "index.png"))
    visible = "return Array.from(document.querySelectorAll('#models-table tbody tr'))" + (
        ".filter(r => !r.hidden).map(r => r.textContent.toLowerCase())"
    )
    assert len(driver.execute_script(visible)) == MODELS
    box = driver.find_element(By.ID, "model-filter")
    box.send_keys("Q-Former")
    rows = driver.execute_script(visible)
    assert 0 < len(rows) < MODELS and all("q-former" in r for r in rows)
    assert driver.find_element(By.ID, "model-count").text == str(len(rows))
    box.send_keys(" video")
    narrower = driver.execute_script(visible)
    assert 0 < len(narrower) < len(rows) and all("video" in r for r in narrower)
    box.clear()
    box.send_keys(" ")
    assert len(driver.execute_script(visible)) == MODELS
    driver.find_element(By.XPATH, "//table[@id='models-table']//th[text()='date']").click()
    dates = driver.execute_script(
        "return Array.from(document.querySelectorAll('#models-table tbody tr td:nth-child(2)'))"
        ".map(c => c.textContent)"
    )
    filled = [d for d in dates if d]
    assert filled == sorted(filled) and dates[: len(filled)] == filled  # unknown dates last


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
