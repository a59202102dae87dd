"""The site-wide search box: its index, its ranking, keyboard and screen-reader use, in Chromium."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from browser import ARTIFACTS, dialogs, open_page, start_driver
from mmkg.render.search import (
    EXACT,
    KINDS,
    SHARD_BYTES,
    SHARD_FOLDER,
    SHARDS_FILE,
    normalise,
    query_shard,
    search_entries,
    search_shards,
    shard_file,
    shard_key,
    word_keys,
)
from mmkg.render.sitedata import SiteData, select

CLASSES = {
    "organisation": "mmkg:Organisation",
    "component family": "mmkg:ComponentFamily",
    "dataset": "mmkg:Dataset",
}


def shard_listing(site: Path) -> dict:
    """The split keys and shard keys the site's shard list names."""
    text = (site / SHARDS_FILE).read_text(encoding="utf-8")
    prefix = "window.MMKG_SEARCH_SHARDS = "
    assert text.startswith(prefix)
    return json.loads(text[len(prefix) :].strip().rstrip(";"))


def read_shards(site: Path) -> dict[str, list[list]]:
    """Each shard the site ships, by key, as its file registers it."""
    shards = {}
    for key in shard_listing(site)["keys"]:
        text = (site / shard_file(key)).read_text(encoding="utf-8")
        prefix = "MMKG_SEARCH_SHARD("
        assert text.startswith(prefix) and text.endswith(");\n")
        registered, rows = json.loads("[" + text[len(prefix) : -3] + "]")
        assert registered == key
        shards[key] = rows
    return shards


def index_rows(site: Path) -> list[list]:
    """The rows of the search index the site ships, each once."""
    rows = {row[2]: row for row in shard_listing(site)["short"]}
    for shard in read_shards(site).values():
        for row in shard:
            rows.setdefault(row[2], row)
    return sorted(rows.values(), key=lambda row: row[2])


def status_text(driver) -> str:  # noqa: ANN001 - a selenium WebDriver
    """What the search's live region says."""
    status = driver.find_element(By.CSS_SELECTOR, ".site-search [role=status]")
    return status.get_attribute("textContent")


def shard_scripts(driver) -> list[str]:  # noqa: ANN001 - a selenium WebDriver
    """The shard scripts the page has added, by their src, in order."""
    return driver.execute_script(
        "return Array.from(document.scripts, s => s.getAttribute('src') || '')"
        f".filter(src => src.indexOf('{SHARD_FOLDER}/') >= 0)"
    )


def named_in_graph(store, site: Path, kind: str) -> list:  # noqa: ANN001 - pyoxigraph.Store
    """The first (by label) member of the kind's class whose label no other entity shares."""
    rows = index_rows(site)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row[0].casefold()] = counts.get(row[0].casefold(), 0) + 1
    by_label = {(row[0], row[1]): row for row in rows}
    query = f"SELECT ?x ?l WHERE {{ ?x a {CLASSES[kind]} ; rdfs:label ?l }} ORDER BY ?l"
    for _, label in select(store, query):
        if counts.get(label.casefold()) == 1 and (label, kind) in by_label:
            return by_label[(label, kind)]
    pytest.fail(f"no {kind} of the graph is in the search index (has it a page yet?)")


def search(driver, text: str) -> list[tuple[str, str]]:  # noqa: ANN001 - a selenium WebDriver
    """Type *text* in the header's search box; the results shown, as (label, kind)."""
    box = driver.find_element(By.ID, "site-search-input")
    box.clear()
    box.send_keys(text)
    WebDriverWait(driver, 10).until(
        lambda d: (
            d.find_element(By.ID, "site-search-input").get_attribute("aria-expanded") == "true"
        )
    )
    return [
        (o.find_element(By.CLASS_NAME, "name").text, o.find_element(By.CLASS_NAME, "kind").text)
        for o in driver.find_elements(By.CSS_SELECTOR, "#site-search-results [role=option]")
    ]


def first_label(option_text: str) -> str:
    """The entity's label in an option's link text (an other name matched follows in ())."""
    return option_text.split(" (")[0] if option_text.endswith(")") else option_text


def search_errors(report: dict) -> list[dict]:
    """The console errors of a page that come from the search's scripts."""
    return [e for e in report["errors"] if "assets/search" in e["message"]]


def enter_opens(driver, page: str) -> None:  # noqa: ANN001 - a selenium WebDriver
    """Press Enter in the search box and wait for *page* (relative to the site root)."""
    driver.find_element(By.ID, "site-search-input").send_keys(Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("/" + page))
    assert driver.execute_script("return document.readyState") == "complete"


# The index, without a browser


def test_index_holds_every_entity_with_a_page_and_its_other_names(store) -> None:  # noqa: ANN001
    rows = search_entries(SiteData(store))
    by_url = {row[2]: row for row in rows}
    assert by_url["models/blip-2.html"][:2] == ["BLIP-2", "model"]
    assert by_url["models/gpt-4.html"][:2] == ["GPT-4", "model"]
    assert by_url["components/clip-vit-l.html"][:2] == ["CLIP ViT-L", "component"]
    assert by_url["benchmarks/mmbench.html"][:2] == ["MMBench", "benchmark"]
    for label, kind, url, others in rows:
        assert url.split("/")[0] in KINDS and KINDS[url.split("/")[0]] == kind
        assert label not in others and others == sorted(set(others))
    assert len(by_url) == len(rows)  # one row per page
    # each lineage family, by the name its page gives it
    assert by_url["families/llava.html"][:2] == ["LLaVA family", "lineage family"]
    assert {row[1] for row in rows if row[2].startswith("component-families/")} == {
        "component family"
    }
    assert sum(1 for url in by_url if url.startswith("families/")) == len(SiteData(store).families)
    # the graph's skos:altLabel of an entity with a page are among its other names
    alternatives = select(
        store, "SELECT ?s ?alt WHERE { ?s skos:altLabel ?alt ; a mmkg:MultimodalLLM }"
    )
    site = SiteData(store)
    assert alternatives
    for iri, alt in alternatives:
        row = by_url[site.url(iri)]
        assert alt in row[3] or alt == row[0]


def test_the_site_ships_the_index_and_every_result_page_exists(site: Path) -> None:
    rows = index_rows(site)
    kinds = {row[1] for row in rows}
    assert {"model", "component", "benchmark", "lineage family"} <= kinds
    assert {"organisation", "component family", "dataset"} <= kinds
    missing = [row[2] for row in rows if not (site / row[2]).is_file()]
    assert missing == []
    assert (site / "assets/search.js").is_file()
    assert not (site / "assets/search-index.js").exists()  # no one file of every row
    assert 'src="../assets/search.js" data-root="../"' in (
        site / "models/llava-1.5.html"
    ).read_text(encoding="utf-8")


def test_word_keys_start_at_words_and_case_changes() -> None:
    assert word_keys("BLIP-2") == {"blip2"}  # "2" alone is under two characters
    assert word_keys("CLIP ViT-L") == {"clipvitl", "vitl", "tl"}
    assert word_keys("MiniGPT-4") == {"minigpt4", "gpt4"}
    assert word_keys("MMBench") == {"mmbench", "bench"}
    assert word_keys("LLaVA-1.5") == {"llava15", "lava15", "va15", "15"}
    assert normalise("Éva_Net.2 x") == "evanet2x"
    assert word_keys("V*") == {"v"}  # a one-character name keys on its character


def every_query_of(row: list) -> set[str]:
    """The queries a row must be found by: each name's word keys and their starts (two chars+)."""
    return {
        key[:n]
        for name in [row[0], *row[3]]
        for key in word_keys(name)
        for n in range(2, len(key) + 1)
    }


def assert_each_row_in_its_shards(
    rows: list[list], shards: dict, split: set[str], cut: bool = False
) -> None:
    """Each row is in the shard of each word key, and in the shard of every query starting one
    (*cut*: a key's own shard of a split key may hold only the first found)."""
    members = {key: {row[2] for row in shard} for key, shard in shards.items()}
    for row in rows:
        for name in [row[0], *row[3]]:
            for key in word_keys(name):
                shard = shard_key(key, split)
                assert row[2] in members[shard] or (cut and shard.endswith(EXACT)), (row, key)
        for query in every_query_of(row):
            key = query_shard(query, split)
            if not key.endswith(EXACT):  # a split key typed exactly: only names equal to it
                assert row[2] in members[key], (row, query)


def test_each_row_is_in_the_shard_of_each_of_its_word_starts(store) -> None:  # noqa: ANN001
    rows = search_entries(SiteData(store))
    shards, split = search_shards(rows)
    assert_each_row_in_its_shards(rows, shards, split)
    assert {row[2] for shard in shards.values() for row in shard} == {row[2] for row in rows}
    # split small: the same holds for shards cut down to a few rows each
    shards, split = search_shards(rows, limit=2_000)
    assert split and max(len(shard) for key, shard in shards.items()) < 40
    assert_each_row_in_its_shards(rows, shards, split, cut=True)


def test_a_split_key_typed_exactly_finds_the_names_equal_to_it() -> None:
    rows = [[f"Syn-{i:04d}", "model", f"models/syn-{i}.html", []] for i in range(400)]
    rows.append(["Syn", "model", "models/syn.html", []])
    shards, split = search_shards(rows, limit=2_000)
    assert {"sy", "syn"} <= split
    assert shards[query_shard("syn", split)] == [rows[-1]]
    assert query_shard("SYN-012", split) == "syn012"
    two_words = query_shard("syn 0123", split)  # "syn" alone is split: the whole query keys
    assert not two_words.endswith(EXACT) and rows[123] in shards[two_words]
    assert all(len(shard) * 30 < 2_000 for key, shard in shards.items())


def test_too_many_names_ending_in_one_word_keep_the_first_found() -> None:
    rows = [
        [f"Model{i:03d} family", "lineage family", f"families/{i}.html", []] for i in range(300)
    ]
    rows += [["Family of four", "model", "models/f.html", []]]
    rows += [["Family", "component family", "component-families/f.html", []]]
    shards, split = search_shards(rows, limit=2_000)
    key = query_shard("family", split)
    assert key == "family" + EXACT
    urls = [row[2] for row in shards[key]]
    assert sum(len(json.dumps(row)) + 1 for row in shards[key]) <= 2_000 and len(urls) > 10
    # the first found: the exact name, then the rest by label ("Family of four" goes on: it is
    # in the shard of "family o")
    assert {"component-families/f.html", "families/0.html"} <= set(urls)
    assert "families/299.html" not in urls and "models/f.html" not in urls
    assert rows[300] in shards[query_shard("family o", split)]


def test_the_site_ships_small_shards_and_a_list_of_them(site: Path, store) -> None:  # noqa: ANN001
    listing = shard_listing(site)
    shards = read_shards(site)
    expected, split = search_shards(search_entries(SiteData(store)))
    assert listing["split"] == sorted(split)
    short = {key: rows for key, rows in expected.items() if len(key.rstrip(EXACT)) == 1}
    assert {key: [row[2] for row in rows] for key, rows in shards.items()} == {
        key: [row[2] for row in rows] for key, rows in expected.items() if key not in short
    }
    assert listing["short"] == list(
        {row[2]: row for rows in short.values() for row in rows}.values()
    )
    files = sorted(p.relative_to(site).as_posix() for p in (site / SHARD_FOLDER).iterdir())
    assert files == sorted(shard_file(key) for key in listing["keys"])
    assert max((site / f).stat().st_size for f in files) <= SHARD_BYTES + 200


# In Chromium


@pytest.mark.parametrize("query", ["blip 2", "BLIP2", "blip-2", "Blip_2", "blip.2"])
def test_blip_2_is_found_however_written_and_enter_opens_it(driver, site: Path, query) -> None:  # noqa: ANN001
    report = open_page(driver, site / "index.html")
    results = search(driver, query)
    assert results[0] == ("BLIP-2", "model"), results
    enter_opens(driver, "models/blip-2.html")
    assert search_errors(report) == []


def test_gpt_4_comes_first_before_longer_names(driver, site: Path) -> None:  # noqa: ANN001
    open_page(driver, site / "index.html")
    labels = [label for label, _ in search(driver, "gpt-4")]
    assert labels[0] == "GPT-4", labels
    assert "TinyGPT-V" not in labels[:1] and "GPT-4V" not in labels[:1]
    prefixed = [i for i, label in enumerate(labels) if label.lower().startswith("gpt-4")]
    inside = [i for i, label in enumerate(labels) if "gpt-4" in label.lower()[1:]]
    assert not inside or not prefixed or max(prefixed) < min(inside), labels


@pytest.mark.parametrize(
    ("query", "label", "kind", "page"),
    [
        ("clip vit-l", "CLIP ViT-L", "component", "components/clip-vit-l.html"),
        ("mmbench", "MMBench", "benchmark", "benchmarks/mmbench.html"),
    ],
)
def test_a_component_and_a_benchmark_are_found(
    driver, site: Path, query, label, kind, page
) -> None:  # noqa: ANN001, E501
    open_page(driver, site / "index.html")
    assert search(driver, query)[0] == (label, kind)
    enter_opens(driver, page)


@pytest.mark.parametrize("kind", ["organisation", "component family", "dataset"])
def test_an_organisation_a_family_and_a_dataset_are_found_by_name(
    driver,
    site: Path,
    store,
    kind: str,  # noqa: ANN001
) -> None:
    label, _, url, _ = named_in_graph(store, site, kind)
    open_page(driver, site / "models/llava-1.5.html")
    results = search(driver, label.lower())
    assert results[0] == (label, kind), results
    enter_opens(driver, url)


@pytest.mark.parametrize(
    "start", ["index.html", "models/llava-1.5.html", "graphs/lineage.html", "charts/index.html"]
)
def test_search_works_from_any_folder_depth(driver, site: Path, start: str) -> None:  # noqa: ANN001
    report = open_page(driver, site / start)
    assert search(driver, "blip 2")[0] == ("BLIP-2", "model")
    enter_opens(driver, "models/blip-2.html")
    assert search_errors(report) == []
    assert [u for u in report["requests"] if not u.startswith("file:")] == []


def test_arrow_keys_enter_escape_and_the_combobox_states(driver, site: Path) -> None:  # noqa: ANN001
    open_page(driver, site / "models/llava-1.5.html")
    box = driver.find_element(By.ID, "site-search-input")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "false"
    assert driver.find_element(By.CSS_SELECTOR, "label[for=site-search-input]").get_attribute(
        "textContent"
    )
    results = search(driver, "llava")
    assert len(results) > 2
    listbox = driver.find_element(By.ID, box.get_attribute("aria-controls"))
    assert listbox.get_attribute("role") == "listbox" and listbox.is_displayed()
    box.send_keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN)
    selected = driver.find_elements(By.CSS_SELECTOR, "[role=option][aria-selected=true]")
    assert len(selected) == 1
    assert box.get_attribute("aria-activedescendant") == selected[0].get_attribute("id")
    assert selected[0].find_element(By.CLASS_NAME, "name").text == results[1][0]
    box.send_keys(Keys.ARROW_UP)
    selected = driver.find_element(By.CSS_SELECTOR, "[role=option][aria-selected=true]")
    assert selected.find_element(By.CLASS_NAME, "name").text == results[0][0]
    box.send_keys(Keys.ESCAPE)
    assert box.get_attribute("aria-expanded") == "false"
    assert not listbox.is_displayed()
    assert box.get_attribute("aria-activedescendant") is None
    box.send_keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN)  # reopens, second result
    assert box.get_attribute("aria-expanded") == "true"
    pages = {(row[0], row[1]): row[2] for row in index_rows(site)}
    enter_opens(driver, pages[results[1]])


def test_slash_focuses_the_search_and_a_click_opens_a_result(driver, site: Path) -> None:  # noqa: ANN001
    open_page(driver, site / "benchmarks/index.html")
    driver.find_element(By.TAG_NAME, "body").send_keys("/")
    assert driver.switch_to.active_element.get_attribute("id") == "site-search-input"
    search(driver, "mmbench")
    driver.find_element(By.CSS_SELECTOR, "[role=option] .kind").click()
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("/benchmarks/mmbench.html"))


def test_no_match_says_so(driver, site: Path) -> None:  # noqa: ANN001
    open_page(driver, site / "index.html")
    box = driver.find_element(By.ID, "site-search-input")
    box.send_keys("zzqqxxnothing")
    status = driver.find_element(By.CSS_SELECTOR, ".site-search [role=status]")
    WebDriverWait(driver, 10).until(lambda d: status.get_attribute("textContent") == "0 matches")
    assert driver.find_element(By.CSS_SELECTOR, ".site-search .none").text == "No matches"
    assert box.get_attribute("aria-expanded") == "false"
    assert not driver.find_element(By.ID, "site-search-results").is_displayed()
    box.send_keys(Keys.ENTER)  # nothing to open: the page stays
    assert driver.current_url.endswith("/index.html")


def test_hostile_labels_are_shown_as_text_and_run_nothing(driver, hostile_site: Path) -> None:  # noqa: ANN001
    report = open_page(driver, hostile_site / "index.html")
    styles = driver.execute_script("return document.querySelectorAll('style').length")
    seen = []
    # ("b" would wait for a second character: "bold" finds the <b> labels)
    for query in ["script", "img", "bold", "style", "jerry", "family", "alert"]:
        seen += search(driver, query)
        time.sleep(0.05)
        assert dialogs(driver) == [], query
        assert driver.execute_script("return document.querySelectorAll('img[src=x]').length") == 0
        assert driver.execute_script("return document.querySelectorAll('style').length") == styles
    labels = {label for label, _ in seen}
    assert '"><img src=x onerror=alert(1)>' in labels
    assert "</script><script>alert(2)</script>" in labels
    assert search_errors(report) == []


@pytest.mark.parametrize(
    ("query", "label"),
    [("vit-l", "CLIP ViT-L"), ("lava-1.5", "LLaVA-1.5"), ("GPT-4", "MiniGPT-4")],
)
def test_a_word_inside_a_name_finds_it_and_one_shard_is_loaded(
    driver, site: Path, query: str, label: str
) -> None:  # noqa: ANN001
    report = open_page(driver, site / "models/llava-1.5.html")
    labels = [first_label(name) for name, _ in search(driver, query)]
    assert label in labels, labels
    split = set(shard_listing(site)["split"])
    assert shard_scripts(driver) == ["../" + shard_file(query_shard(query, split))]
    assert search_errors(report) == []


def test_one_character_waits_for_a_second(driver, site: Path) -> None:  # noqa: ANN001
    open_page(driver, site / "index.html")
    box = driver.find_element(By.ID, "site-search-input")
    box.send_keys("b")
    status = driver.find_element(By.CSS_SELECTOR, ".site-search [role=status]")
    WebDriverWait(driver, 10).until(
        lambda d: "second character" in status.get_attribute("textContent")
    )
    assert driver.find_element(By.CSS_SELECTOR, ".site-search .none").text == (
        "Type a second character to search"
    )
    assert shard_scripts(driver) == []
    box.send_keys("l")
    WebDriverWait(driver, 10).until(lambda d: box.get_attribute("aria-expanded") == "true")
    assert shard_scripts(driver) == ["assets/search/bl.js"]
    # a name of one character is found by it, from the shard list, with no shard loaded
    open_page(driver, site / "index.html")
    assert search(driver, "v")[0] == ("V*", "model")
    assert "second character" in status_text(driver) and shard_scripts(driver) == []


def test_component_and_lineage_families_are_told_apart(driver, site: Path) -> None:  # noqa: ANN001
    rows = index_rows(site)
    lineage = next(row for row in rows if row[1] == "lineage family")
    component = next(row for row in rows if row[1] == "component family")
    open_page(driver, site / "index.html")
    assert (lineage[0], "lineage family") in search(driver, lineage[0])
    assert (component[0], "component family") in search(driver, component[0])


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_open_results_screenshot_and_no_sideways_scroll(
    tmp_path_factory,
    site: Path,
    width: int,
    height: int,  # noqa: ANN001
) -> None:
    browser = start_driver(tmp_path_factory, width, height)
    try:
        open_page(browser, site / "models/llava-1.5.html")
        results = search(browser, "llava")
        assert results
        listbox = browser.find_element(By.ID, "site-search-results")
        rect = browser.execute_script(
            "return arguments[0].getBoundingClientRect().toJSON()", listbox
        )
        assert rect["left"] >= 0 and rect["right"] <= width
        assert browser.execute_script(
            "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
        ARTIFACTS.mkdir(exist_ok=True)
        browser.save_screenshot(str(ARTIFACTS / f"search-results-{width}x{height}.png"))
    finally:
        browser.quit()
