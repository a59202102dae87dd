"""`mmkg serve`'s front: the result limit, the catalogue of competency questions, YASGUI.

Each test starts `mmkg serve` on a free port of 127.0.0.1 and stops it by its process id;
the browser test runs Debian's headless Chromium (scripts/install-system-deps.sh).
"""

from __future__ import annotations

import html
import io
import json
import re
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib.query import Result

from mmkg.paths import QUERIES_DIR
from mmkg.queries import find_queries
from serving import start_serve

QUERIES = find_queries(QUERIES_DIR)
EVERY_TRIPLE = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def limited(graph_file: Path) -> Iterator[str]:
    """An endpoint that cuts every answer at 5 rows."""
    process, url = start_serve(graph_file, 10, "--result-limit", "5")
    yield url
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def _post(url: str, query: str, accept: str) -> tuple[bytes, dict[str, str]]:
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - local
        return response.read(), {k.lower(): v for k, v in response.headers.items()}


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "xml"),
        ("text/csv", "csv"),
        ("text/tab-separated-values", "tsv"),
    ],
)
def test_the_result_limit_cuts_every_results_format(limited, accept, rdflib_format) -> None:  # noqa: ANN001
    body, headers = _post(limited, EVERY_TRIPLE, accept)
    assert headers["content-type"].startswith(accept)
    assert headers["x-sparql-maxrows"] == "5"
    assert len(list(Result.parse(io.BytesIO(body), format=rdflib_format))) == 5


def test_the_result_limit_cuts_a_graph_answer_and_spares_a_short_one(limited) -> None:  # noqa: ANN001
    import pyoxigraph as ox

    body, headers = _post(limited, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
    assert headers["x-sparql-maxrows"] == "5"
    assert len(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))) == 5
    body, headers = _post(
        limited, "SELECT ?m WHERE { VALUES ?m { 1 2 3 } }", "application/sparql-results+json"
    )
    assert "x-sparql-maxrows" not in headers
    assert len(json.loads(body)["results"]["bindings"]) == 3
    body, _ = _post(limited, "ASK { ?s ?p ?o }", "application/sparql-results+json")
    assert json.loads(body)["boolean"] is True


def test_the_default_result_limit_is_ten_thousand_rows(graph_file: Path) -> None:
    process, url = start_serve(graph_file, 10)
    try:
        body, headers = _post(url, EVERY_TRIPLE, "application/sparql-results+json")
        assert headers["x-sparql-maxrows"] == "10000"
        assert len(json.loads(body)["results"]["bindings"]) == 10_000
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    process, url = start_serve(graph_file, 10, "--result-limit", "0")
    try:
        body, headers = _post(url, EVERY_TRIPLE, "application/sparql-results+json")
        assert "x-sparql-maxrows" not in headers
        assert len(json.loads(body)["results"]["bindings"]) > 10_000
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.headings: list[str] = []
        self._in_h3 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("class"):
            self.links.append((found["class"] or "", found.get("href") or ""))
        self._in_h3 = tag == "h3"

    def handle_data(self, data: str) -> None:
        if self._in_h3:
            self.headings.append(data)
            self._in_h3 = False


def _get(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - local
            return response.status, response.read(), response.headers["Content-Type"]
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers["Content-Type"]


def test_the_catalogue_page_offers_every_query_in_yasgui(limited) -> None:  # noqa: ANN001
    """Each link opens YASGUI (its share-link form) on the published text and this endpoint."""
    base = limited.removesuffix("/query")
    status, body, content_type = _get(base + "/queries")
    assert status == 200 and content_type.startswith("text/html")
    page = _Links()
    page.feed(body.decode("utf-8"))
    runs = [href for kind, href in page.links if kind == "run"]
    files = [href for kind, href in page.links if kind == "file"]
    assert len(runs) == len(files) == len(QUERIES)
    opened = {}
    for href in runs:
        assert href.startswith("/#")
        fields = urllib.parse.parse_qs(href[2:])
        assert fields["endpoint"] == [limited]
        opened[fields["query"][0]] = href
    assert set(opened) == {q.text for q in QUERIES.values()}
    for query in QUERIES.values():
        if query.cq:
            assert f"CQ {query.cq}: {query.summary}" in page.headings
    for href in files:
        status, text, content_type = _get(base + href)
        name = urllib.parse.unquote(href.removeprefix("/queries/")).removesuffix(".rq")
        assert status == 200 and text.decode("utf-8") == QUERIES[name].text
        assert content_type.startswith("application/sparql-query")
    assert _get(base + "/queries/no-such-query.rq")[0] == 404


def test_the_catalogue_escapes_what_it_shows() -> None:
    from mmkg.queries import parse_query_text
    from mmkg.server import catalogue_page

    hostile = parse_query_text(
        "cq-99-x",
        '#+ summary: <script>alert(1)</script>\n#+ cq: 99\nSELECT * { ?s ?p "</pre><b>" }\n',
    )
    page = catalogue_page({"cq-99-x": hostile}, 'http://h/"><script>')
    assert "<script>" not in page and "</pre><b>" not in page
    assert html.escape("<script>alert(1)</script>") in page


def test_a_catalogue_link_opens_yasgui_with_the_query_and_runs_it(limited) -> None:  # noqa: ANN001
    """In headless Chromium: the link fills YASGUI's editor; its run button answers rows."""
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    base = limited.removesuffix("/query")
    page = _Links()
    page.feed(_get(base + "/queries")[1].decode("utf-8"))
    query = QUERIES["cq-11-models-per-organisation"]
    href = next(
        h
        for kind, h in page.links
        if kind == "run" and urllib.parse.parse_qs(h[2:])["query"] == [query.text]
    )
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        browser.get(base + href)
        editor = "return document.querySelector('.CodeMirror').CodeMirror.getValue()"
        WebDriverWait(browser, 20).until(lambda b: b.execute_script(editor) == query.text)
        browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
        WebDriverWait(browser, 20).until(
            lambda b: "results in" in b.find_element(By.CSS_SELECTOR, ".yasr").text
        )
        shown = re.search(r"(\d+) results? in", browser.find_element(By.CSS_SELECTOR, ".yasr").text)
        assert shown and shown.group(1) == "5"  # the front's limit: cq-11 has more rows
    finally:
        browser.quit()


def test_a_query_stopped_by_the_timeout_is_an_error_not_a_cut_answer(graph_file: Path) -> None:
    process, url = start_serve(graph_file, 2)
    try:
        started = time.monotonic()
        with pytest.raises(urllib.error.HTTPError) as caught:
            _post(url, "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f }", "text/csv")
        assert caught.value.code in (500, 503) and time.monotonic() - started < 30
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    assert subprocess.run(["pgrep", "-P", str(process.pid)], check=False).returncode == 1
