"""The site's entity pages, honest counts, benchmark pages and comparison page, in Chromium."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from browser import ARTIFACTS, open_page, start_driver
from mmkg.profiles import compare_models
from mmkg.render.comparepage import SHOWN_CHOICES
from mmkg.tables import render

PICKED = ["llava-1.5", "vila", "qwen-vl"]
COMPARE_FILE_BYTES = 4_000  # one model's comparison data
KINDS = ("families", "component-families", "organisations", "datasets", "modalities")
HREF = re.compile(r'href="([^"#]*)(?:#[^"]*)?"')


def _compare(driver, site: Path, slugs: list[str]) -> None:  # noqa: ANN001
    report = open_page(driver, site / "compare.html")
    assert not report["errors"], report["errors"]
    driver.execute_script("location.hash = arguments[0]", "models=" + ",".join(slugs))
    # each picked model's data file is loaded when it is picked
    WebDriverWait(driver, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#compare-table tbody tr")
    )


def _choices(driver) -> list[str]:  # noqa: ANN001
    return [
        label.text.strip()
        for label in driver.find_elements(By.CSS_SELECTOR, "#compare-choices label")
    ]


def test_comparison_picker_lists_few_names_and_loads_only_the_picked(driver, site: Path) -> None:  # noqa: ANN001
    report = open_page(driver, site / "compare.html")
    assert not report["errors"], report["errors"]
    assert not any("/data/compare/" in url for url in report["requests"])
    assert 0 < len(_choices(driver)) <= SHOWN_CHOICES
    assert "Showing 50 of" in driver.find_element(By.ID, "compare-more").text
    box = driver.find_element(By.ID, "compare-filter")
    box.send_keys("qwen")
    names = _choices(driver)
    assert names and all("qwen" in n.lower() for n in names)
    qwen = next(
        label
        for label in driver.find_elements(By.CSS_SELECTOR, "#compare-choices label")
        if label.text.strip() == "Qwen-VL"
    )
    qwen.find_element(By.TAG_NAME, "input").click()
    assert driver.execute_script("return location.hash") == "#models=qwen-vl"
    box.clear()
    box.send_keys("vila")
    vila = next(
        label
        for label in driver.find_elements(By.CSS_SELECTOR, "#compare-choices label")
        if label.text.strip() == "VILA"
    )
    # the picked model stays listed, ticked, whatever the filter
    assert _choices(driver)[0] == "Qwen-VL"
    vila.find_element(By.TAG_NAME, "input").click()
    assert driver.execute_script("return location.hash") == "#models=qwen-vl,vila"
    WebDriverWait(driver, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#compare-table tbody tr")
    )
    loaded = driver.execute_script(
        "return Array.from(document.querySelectorAll('script[src*=\"data/compare/\"]'))"
        ".map(function (s) { return s.src; })"
    )
    assert sorted(url.rsplit("/", 1)[-1] for url in loaded) == ["qwen-vl.js", "vila.js"]


def test_comparison_files_are_one_small_file_per_model(site: Path, store) -> None:  # noqa: ANN001
    files = sorted((site / "data" / "compare").glob("*.js"))
    assert len(files) == len(list((site / "models").glob("*.html")))
    assert not (site / "data" / "compare.js").exists()
    assert max(f.stat().st_size for f in files) <= COMPARE_FILE_BYTES
    vila = (site / "data" / "compare" / "vila.js").read_text(encoding="utf-8")
    assert vila.startswith("window.MMKG_COMPARE_ADD({") and '"name": "VILA"' in vila


def _data_url_text(driver, element_id: str) -> str:  # noqa: ANN001
    href = driver.find_element(By.ID, element_id).get_attribute("href")
    head, _, body = href.partition(",")
    assert head.startswith("data:")
    return unquote(body)


def test_comparison_page_shows_what_mmkg_compare_prints(driver, site: Path, store) -> None:  # noqa: ANN001
    expected = compare_models(store, PICKED)
    _compare(driver, site, PICKED)
    table = driver.find_element(By.ID, "compare-table")
    columns = [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    assert columns == expected.columns
    rows = [
        [cell.text for cell in tr.find_elements(By.CSS_SELECTOR, "th, td")]
        for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")
    ]
    assert len(rows) == len(expected.rows)
    for shown, wanted in zip(rows, expected.rows, strict=True):
        assert shown == [str(v) for v in wanted]
    assert driver.execute_script("return location.hash") == "#models=llava-1.5,vila,qwen-vl"


def test_comparison_downloads_equal_the_command_output(
    driver,  # noqa: ANN001
    site: Path,
    graph_file: Path,
) -> None:
    # the graph the site was made from (a fresh clone has no build/ for the default)
    command = [sys.executable, "-m", "mmkg", "compare", *PICKED, "--graph", str(graph_file)]
    csv_text = subprocess.run(
        [*command, "-F", "csv"], capture_output=True, text=True, check=True
    ).stdout
    latex_text = subprocess.run(
        [*command, "-F", "latex"], capture_output=True, text=True, check=True
    ).stdout
    _compare(driver, site, PICKED)
    assert _data_url_text(driver, "download-csv") == csv_text
    assert _data_url_text(driver, "download-latex") == latex_text


def test_comparison_latex_escapes_special_characters(driver, site: Path, store) -> None:  # noqa: ANN001
    _compare(driver, site, PICKED[:2])
    escaped = driver.execute_script(
        "var t = {columns: ['a&b', '50%'], rows: [['x_y', '#1 {z} ~^\\\\']]};"
        "return window.COMPARE_FORMATS.latex(t);"
    )
    from mmkg.tables import Table

    assert escaped == render(Table(["a&b", "50%"], [["x_y", "#1 {z} ~^\\"]]), "latex")
    assert r"a\&b & 50\%" in escaped and r"x\_y & \#1 \{z\}" in escaped


def test_model_page_links_to_the_comparison(site: Path) -> None:
    page = (site / "models" / "vila.html").read_text(encoding="utf-8")
    assert 'href="../compare.html#models=vila"' in page
    assert 'href="../organisations/nvidia.html"' in page


@pytest.mark.parametrize("kind", KINDS)
def test_entity_pages_list_members_with_working_links(site: Path, kind: str) -> None:
    pages = sorted((site / kind).glob("*.html"))
    assert len(pages) > 1, kind
    members = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for href in HREF.findall(text):
            if href.startswith(("http:", "https:", "data:")) or not href:
                continue
            target = Path(urlsplit(urljoin(page.as_uri(), href)).path)
            assert target.exists(), f"{page.name} links to missing {href}"
        members += text.count("<li><a ")
    assert members > 0, kind


def test_vicuna_component_page_shows_family_count(site: Path) -> None:
    text = (site / "components" / "vicuna.html").read_text(encoding="utf-8")
    counts = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))
    assert "6 models using this exact component" in counts
    assert "23 models using any member of its family" in counts
    assert 'href="../component-families/vicuna.html"' in text


def test_no_benchmark_page_is_empty_and_best_is_per_metric(site: Path) -> None:
    pages = [p for p in (site / "benchmarks").glob("*.html") if p.name != "index.html"]
    assert pages
    for page in pages:
        assert '<h2 id="col-' in page.read_text(encoding="utf-8"), page.name
    index = (site / "benchmarks" / "index.html").read_text(encoding="utf-8")
    linked = set(re.findall(r'href="([^"]+\.html)"', index)) - {"index.html"}
    assert all((site / "benchmarks" / name).exists() for name in linked)
    mme = re.search(r'href="mme\.html">MME</a>.*?</tr>', index, re.S).group(0)
    assert "MME-P: " in mme and "MME-C: " in mme


def test_every_internal_link_resolves(site: Path) -> None:
    missing = []
    for page in site.rglob("*.html"):
        for href in HREF.findall(page.read_text(encoding="utf-8")):
            if not href or href.startswith(("http:", "https:", "data:", "mailto:")):
                continue
            target = Path(urlsplit(urljoin(page.as_uri(), href)).path)
            if not target.exists():
                missing.append(f"{page.relative_to(site)} -> {href}")
    assert not missing, missing[:20]


SHOTS = {
    "lineage-family": "families/{}",
    "component-family": "component-families/vicuna.html",
    "organisation": "organisations/nvidia.html",
    "dataset": "datasets/{}",
    "modality": "modalities/image.html",
    "comparison": "compare.html",
    "benchmark": "benchmarks/mme.html",
    "benchmarks": "benchmarks/index.html",
    "component": "components/vicuna.html",
}


@pytest.mark.parametrize("size", [(1366, 900), (390, 844)])
def test_screenshots_of_new_page_kinds(site: Path, tmp_path_factory, size) -> None:  # noqa: ANN001
    ARTIFACTS.mkdir(exist_ok=True)
    width, height = size
    browser = start_driver(tmp_path_factory, width, height)
    try:
        for kind, path in SHOTS.items():
            if "{}" in path:
                folder = site / path.split("/")[0]
                first = sorted(p.name for p in folder.glob("*.html") if p.name != "index.html")
                path = path.format(first[0])
            report = open_page(browser, site / path)
            if kind == "comparison":
                browser.execute_script("location.hash = 'models=llava-1.5,vila,qwen-vl'")
                WebDriverWait(browser, 10).until(
                    lambda d: d.find_elements(By.CSS_SELECTOR, "#compare-table tbody tr")
                )
            assert not report["errors"], (kind, report["errors"])
            scroll = browser.execute_script(
                "return document.documentElement.scrollWidth - window.innerWidth"
            )
            browser.save_screenshot(str(ARTIFACTS / f"{kind}-{width}x{height}.png"))
            assert scroll <= 1, f"{kind} scrolls sideways by {scroll}px at {width}px"
    finally:
        browser.quit()


def test_a_lineage_family_page_says_which_model_it_is_named_after(site: Path) -> None:
    """The root is a model with no recorded parent, linked by its own name; the index lists
    each family by the name its page gives it."""
    page = (site / "families/llava.html").read_text(encoding="utf-8")
    assert re.search(
        r"<th>named after \(a model with no recorded parent\)</th><td>\s*"
        r'<a href="../models/llava.html">LLaVA</a>',
        page,
    )
    assert "earliest model" not in page
    index = (site / "families/index.html").read_text(encoding="utf-8")
    assert '<a href="llava.html">LLaVA family</a>' in index
