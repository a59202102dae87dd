"""The static site: escaping, links, pages and counts, atomic writes, hostile labels, the CLI."""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from conftest import HOSTILE, hostile_store
from expected import MODELS
from mmkg.cli import app
from mmkg.graphview import lineage_graph, model_facts
from mmkg.paths import ONTOLOGY_FILE, QUERIES_DIR
from mmkg.queries import QueryError, run_sparql
from mmkg.render import MARKER, SiteError, build_site
from mmkg.render.assets import vis_script
from mmkg.render.html import SlugMap, file_slug, js_literal, safe_href
from mmkg.render.scripts import PAGE_SIZE

RESOURCE_TAGS = {"script": "src", "link": "href", "img": "src", "iframe": "src"}


class Page(HTMLParser):
    """Tags with their attributes, and the text of each inline script."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._script = False
        self.feed(text.replace(vis_script(), "/* vis-network */"))
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = False

    def handle_data(self, data: str) -> None:
        if self._script:
            self.scripts[-1] += data


def pages(folder: Path) -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.html"))}


def page_data(text: str, name: str) -> object:
    """The JSON literal assigned to ``var NAME`` in a graph page's script."""
    match = re.search(rf"^var {name} = (.*);$", text, flags=re.MULTILINE)
    assert match, f"no var {name} in the page"
    return json.loads(match.group(1))


def test_js_literal_cannot_end_a_script() -> None:
    text = str(js_literal(["</script><script>alert(1)</script>", "<!--", "a\u2028b", "&"]))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == ["</script><script>alert(1)</script>", "<!--", "a\u2028b", "&"]


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "/etc/passwd", "x y", ""],
)
def test_safe_href_refuses_anything_but_web_addresses(url: str) -> None:
    assert safe_href(url) is None


def test_safe_href_keeps_web_addresses() -> None:
    assert safe_href("https://arxiv.org/abs/2401.13601") == "https://arxiv.org/abs/2401.13601"


def test_slugs_are_safe_file_names_and_unique() -> None:
    assert file_slug("https://w3id.org/mmkg/id/model/a'b&c(d)") == "a-b-c-d"
    assert file_slug("https://w3id.org/mmkg/id/model/..").startswith("x")
    slugs = SlugMap()
    first, second = slugs("https://x/model/A-B"), slugs("https://x/model/a'b")
    assert first == "A-B" and second.startswith("a-b-") and first.lower() != second.lower()
    assert slugs("https://x/model/A-B") == first


def test_site_has_a_page_per_model_component_and_benchmark(site: Path, store: ox.Store) -> None:
    models = model_facts(store)
    assert len(list((site / "models").glob("*.html"))) == len(models) == MODELS
    components = run_sparql(
        store,
        "PREFIX mmkg: <https://w3id.org/mmkg/ontology#> "
        "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a mmkg:Component }",
    ).rows[0][0]
    assert len(list((site / "components").glob("*.html"))) == components
    benchmarks = list((site / "benchmarks").glob("*.html"))
    scored = run_sparql(
        store,
        "PREFIX mmkg: <https://w3id.org/mmkg/ontology#> "
        "SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { ?r mmkg:onBenchmark ?b }",
    ).rows[0][0]
    # a page for each benchmark with results (17 of the 25), and their index
    assert len(benchmarks) == scored + 1 == 17 + 1
    assert (site / MARKER).exists()
    for name in ("index.html", "queries.html", "charts/index.html", "graphs/lineage.html"):
        assert (site / name).exists(), name
    assert (site / "graphs/architecture.html").exists()
    assert (site / "graphs/component-families.html").exists()
    # one page per lineage family: the stated links' connected parts of two or more models
    # (links only the names suggest make no family)
    families = [
        part for part in nx.weakly_connected_components(lineage_graph(store)) if len(part) > 1
    ]
    assert len(families) == 7
    assert len(list((site / "graphs/family").glob("*.html"))) == len(families)
    assert (site / "graphs/ego/llava-1.5.html").exists()
    assert len(list((site / "charts").glob("*.svg"))) >= 4 + 18


def test_every_relative_link_resolves_and_nothing_loads_from_the_network(site: Path) -> None:
    for path, text in pages(site).items():
        page = Page(text)
        for tag, attrs in page.tags:
            for name in ("href", "src"):
                value = attrs.get(name)
                if value is None:
                    continue
                if tag in RESOURCE_TAGS and name == RESOURCE_TAGS[tag]:
                    assert not re.match(r"^(https?:)?//", value), f"{path}: {tag} loads {value}"
                if re.match(r"^[a-z]+:", value) or value.startswith("#"):
                    continue
                target = (path.parent / value.split("#", 1)[0]).resolve()
                assert target.exists(), f"{path}: broken link {value}"
        assert "url(http" not in text and "@import" not in text, path


def test_every_graph_node_page_and_table_entry_resolves(site: Path) -> None:
    for path in (site / "graphs").rglob("*.html"):
        for url in page_data(path.read_text(encoding="utf-8"), "PAGES").values():
            assert (path.parent / url.split("#", 1)[0]).resolve().exists(), (path, url)
    for row in models_data(site)["rows"]:
        assert (site / "models" / f"{row[0]}.html").exists(), row


def test_shared_scripts_and_styles_are_written_once(site: Path) -> None:
    signature = vis_script()[:2000]
    files = [p for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".js", ".css")]
    holding = [p.relative_to(site).as_posix() for p in files if signature in p.read_text("utf-8")]
    assert holding == ["assets/vis-network.min.js"]
    assert (site / "assets/vis-network.min.js").read_text("utf-8") == vis_script()
    for path, text in pages(site).items():
        page = Page(text)
        assert not any(tag == "style" for tag, _ in page.tags), path
        sources = [a["src"] for tag, a in page.tags if tag == "script" and a.get("src")]
        root = "../" * (len(path.relative_to(site).parts) - 1)
        if path.parent.name in ("graphs", "ego", "family"):
            assert sources == [
                f"{root}assets/search.js",
                f"{root}assets/vis-network.min.js",
                f"{root}assets/graph.js",
            ]
    assert 2_000_000 < sum(p.stat().st_size for p in files) < 10_000_000  # was 47 MB


def test_model_pages_say_what_mmkg_show_says(site: Path, store: ox.Store) -> None:
    """The facts read for all pages at once are those of model_profile, model by model."""
    from mmkg.profiles import find_model, model_profile
    from mmkg.render.details import model_details

    models = sorted(model_facts(store))
    details = model_details(store, models)
    for iri in models[::3]:  # a third of them: model_profile reads the graph some 30 times
        slug = iri.rsplit("/", 1)[-1]
        if find_model(store, slug)[0] != iri:
            continue  # the slug is another model's alternative name: show finds that one
        profile = model_profile(store, slug)
        assert details[iri].facts == profile.facts, iri
        assert details[iri].results == [tuple(r) for r in profile.results.rows], iri
        assert details[iri].sources == profile.sources and details[iri].notes == profile.notes


def test_lineage_page_holds_every_model_and_links_each_to_its_page(
    site: Path, store: ox.Store
) -> None:
    text = (site / "graphs/lineage.html").read_text(encoding="utf-8")
    nodes = page_data(text, "NODES")
    lineage = lineage_graph(store)
    assert {n["id"] for n in nodes} == set(lineage)
    assert len(nodes) == lineage.number_of_nodes() == MODELS
    assert all(isinstance(n["x"], int | float) and isinstance(n["y"], int | float) for n in nodes)
    graph_js = (site / "assets/graph.js").read_text(encoding="utf-8")
    assert '"physics": {"enabled": false}' in graph_js
    pages_ = page_data(text, "PAGES")
    assert set(pages_) == set(lineage)
    for url in pages_.values():
        assert (site / "graphs" / url).resolve().exists()
    tooltip = next(n["title"] for n in nodes if n["id"].endswith("/model/llava-1.5"))
    assert tooltip.splitlines()[:2] == ["LLaVA-1.5", "date: 2023-10-05"]
    assert "<" not in tooltip and "LLM backbone: Vicuna-v1.5-13B, Vicuna-v1.5-7B" in tooltip


def models_data(site: Path) -> dict:
    """The model table's data file (``window.MMKG_MODELS = {...};``)."""
    text = (site / "data/models.js").read_text(encoding="utf-8")
    assert text.startswith("window.MMKG_MODELS = ") and text.endswith(";\n")
    assert not re.search("[<>&\u2028\u2029]", text)  # nothing that could end a script
    return json.loads(text[len("window.MMKG_MODELS = ") : -2])


def table_rows(text: str) -> list[str]:
    """The model links of the models table of a page, in order."""
    body = text.split('<table id="models-table"', 1)[1].split("</table>", 1)[0]
    assert body.count("<tr>") == len(re.findall(r"<td><a href=", body)) + 1
    return re.findall(r'<tr><td><a href="(?:\.\./)?(models/[^"]+)">', body)


def test_index_pages_every_model_in_a_filterable_table(site: Path, store: ox.Store) -> None:
    text = (site / "index.html").read_text(encoding="utf-8")
    data = models_data(site)
    assert data["pageSize"] == PAGE_SIZE < MODELS
    rows = data["rows"]
    assert len(rows) == MODELS and len({r[0] for r in rows}) == MODELS
    assert all((site / f"models/{r[0]}.html").exists() for r in rows)
    # the first page is plain HTML, the same rows as the script's first page
    first = table_rows(text)
    assert first == [f"models/{r[0]}.html" for r in rows[:PAGE_SIZE]]
    assert '<script src="data/models.js"></script>' in text
    assert '<script src="assets/model-table.js"></script>' in text
    for control in ("model-filter", "filter-in", "filter-out", "filter-functional"):
        assert f'id="{control}"' in text
    for control in ("filter-design", "filter-year", "filter-org", "filter-uses"):
        assert f'id="{control}"' in text
    # the static pages hold the others, PAGE_SIZE a page, for readers without JavaScript
    pages = sorted((site / "list").glob("models-*.html"), key=lambda p: int(p.stem[7:]))
    assert len(pages) == math.ceil(MODELS / PAGE_SIZE) - 1
    listed = first + [row for page in pages for row in table_rows(page.read_text("utf-8"))]
    assert listed == [f"models/{r[0]}.html" for r in rows]
    assert 'href="list/models-2.html"' in text
    # the lists of labels the rows refer to
    lists = data["lists"]
    llava = next(r for r in rows if r[0] == "llava-1.5")
    assert [lists["modalities"][i] for i in llava[5]] == ["Image", "Text"]
    assert [lists["components"][i] for i in llava[9]] == ["MLP"]
    assert "LLaVA" in [lists["families"][llava[12]]] or llava[12] >= 0
    assert lists["years"] == sorted(lists["years"])


def test_model_page_draws_the_pipeline_in_role_order(site: Path) -> None:
    text = (site / "models/llava-1.5.html").read_text(encoding="utf-8")
    roles = re.findall(r'<span class="role">([^<]+)</span>', text)
    assert roles == [
        "Modality encoder",
        "Input projector",
        "LLM backbone",
        "Output projector",
        "Modality generator",
    ]
    assert text.count('<div class="stage none">') == 2
    assert '<a href="../components/mlp.html">MLP</a>' in text
    assert '<a href="../models/llava.html">LLaVA</a>' in text  # lineage up
    assert '<a href="../benchmarks/mmbench.html">MMB</a>' in text  # results
    assert "https://arxiv.org/abs/2401.13601v5" in text  # sources


def test_model_without_architecture_says_so(site: Path, store: ox.Store) -> None:
    text = (site / "models/3d-llm.html").read_text(encoding="utf-8")
    assert "not detailed" in text and '<span class="role">' in text


def test_benchmark_page_ranks_variants_with_flags(site: Path, store: ox.Store) -> None:
    best = run_sparql(
        store,
        """PREFIX mmkg: <https://w3id.org/mmkg/ontology#>
        SELECT (MAX(?s) AS ?best) WHERE { ?r mmkg:surveyColumn "MMB" ; mmkg:score ?s }""",
    ).rows[0][0]
    text = (site / "benchmarks/mmbench.html").read_text(encoding="utf-8")
    first = text.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">1</td>' in first and f'<td class="num">{best:g}</td>' in first
    assert "<th>training images seen</th>" in text and "<th>re-implemented</th>" in text
    assert '<img src="../charts/benchmark-MMB-mmbench.svg"' in text


def test_queries_page_answers_every_competency_question(site: Path) -> None:
    text = (site / "queries.html").read_text(encoding="utf-8")
    numbers = sorted(path.name[3:5] for path in (QUERIES_DIR / "cq").glob("cq-*.rq"))
    assert len(numbers) >= 21
    assert re.findall(r'<h2 id="cq-(\d\d)"', text) == numbers
    assert '<span class="badge">error</span>' not in text
    assert "shown (<code>mmkg query" not in text  # the real answers fit the page's 300 rows
    assert "SELECT" in text and "&lt;https://w3id.org/mmkg/ontology#&gt;" in text


def test_the_queries_page_reads_answers_as_mmkg_query_does(store: ox.Store) -> None:
    """The streamed head of each answer: the rows and count of run_query, values alike."""
    from mmkg.queries import find_queries, run_query
    from mmkg.render.answers import answer_head

    for name, query in find_queries(QUERIES_DIR).items():
        if query.cq is None:
            continue
        full = run_query(store, query)
        head, total = answer_head(store, query, 5)
        assert head.columns == full.columns, name
        assert total == len(full.rows), name
        assert head.rows == full.rows[:5], name


def test_an_answer_too_big_or_too_slow_for_the_page_is_stopped(store: ox.Store) -> None:
    from mmkg.queries import find_queries, parse_query_text
    from mmkg.render.answers import answer_head, guarded_answer_head

    queries = find_queries(QUERIES_DIR)
    for name in ("cq-04-ancestors", "cq-07-most-reused-components", "cq-17-architectural-twins"):
        assert guarded_answer_head(store, queries[name], 5) == answer_head(store, queries[name], 5)
    every_pair = parse_query_text(
        "pairs", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d ?c ?f", QUERIES_DIR
    )
    with pytest.raises(QueryError, match="needed more than 64 MB of memory and was stopped"):
        guarded_answer_head(store, every_pair, 5, memory_mb=64)
    with pytest.raises(QueryError, match="took longer than 0.2 s and was stopped; `mmkg query"):
        guarded_answer_head(store, every_pair, 5, timeout=0.2)


def test_the_site_says_which_answers_were_stopped(
    store: ox.Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from mmkg.render import answers

    def slow_head(*args: object) -> None:
        time.sleep(5)

    monkeypatch.setattr(answers, "answer_head", slow_head)  # the child forked inherits it
    monkeypatch.setattr(answers, "ANSWER_SECONDS", 0.1)
    report = build_site(store, tmp_path / "site")
    text = (tmp_path / "site" / "queries.html").read_text(encoding="utf-8")
    stopped = text.count("took longer than 0.1 s and was stopped")
    assert stopped == len(re.findall(r'<h2 id="cq-\d\d"', text)) >= 21
    assert report.pages["model"] > 100  # the rest of the site was written


def test_charts_are_plain_svg(site: Path) -> None:
    for path in (site / "charts").glob("*.svg"):
        root = ET.parse(path).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert not root.findall(".//{http://www.w3.org/2000/svg}script"), path


def test_hostile_labels_reach_no_page_unescaped(hostile_site: Path) -> None:
    texts = pages(hostile_site)
    assert len(texts) >= 14
    for path, text in texts.items():
        assert "<script>alert" not in text and "<img src=x" not in text, path
        assert "</script><script>" not in text, path
        page = Page(text)
        for tag, attrs in page.tags:
            assert tag not in {"iframe", "object", "embed", "i"}, f"{path}: <{tag}>"
            # the one svg a page draws itself: a legend's line swatch, hidden from readers
            assert tag != "svg" or attrs.get("aria-hidden") == "true", f"{path}: <svg>"
            for name, value in attrs.items():
                assert not name.startswith("on"), f"{path}: <{tag} {name}>"
                if name in ("href", "src"):
                    assert not re.match(r"^\s*(javascript|data|vbscript):", value or "", re.I)
            if tag == "img":
                assert attrs["src"].endswith(".svg") and "://" not in attrs["src"], path
        assert not any(tag == "style" for tag, _ in page.tags), path
        sheets = [
            a["href"] for tag, a in page.tags if tag == "link" and a.get("rel") == "stylesheet"
        ]
        assert sheets == [
            "../" * (len(path.relative_to(hostile_site).parts) - 1) + "assets/site.css"
        ]
        for script in page.scripts:  # every alert is inside a JSON string literal
            assert "alert" not in re.sub(r'"(?:[^"\\]|\\.)*"', '""', script), path
    data = models_data(hostile_site)  # as a script file: escaped as in an inline script
    assert "<script>alert(1)</script>" in [row[1] for row in data["rows"]]
    model = texts[hostile_site / "models/evil.html"]
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in model
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in model
    assert "javascript:alert(8)" in model and 'href="javascript' not in model
    lineage = texts[hostile_site / "graphs/lineage.html"]
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in lineage
    ids = [n["id"] for n in page_data(lineage, "NODES")]
    assert "https://w3id.org/mmkg/id/model/a'b&c(d)" in ids
    assert page_data(lineage, "PAGES")["https://w3id.org/mmkg/id/model/a'b&c(d)"] == (
        "../models/a-b-c-d.html"
    )
    for path in (hostile_site / "charts").glob("*.svg"):
        text = path.read_text(encoding="utf-8")
        root = ET.fromstring(text)
        assert not root.findall(".//{http://www.w3.org/2000/svg}script"), path
        assert "<img" not in text and "<script>" not in text, path


def test_a_failed_build_leaves_the_old_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    store = hostile_store()
    build_site(store, out)
    before = (out / "index.html").read_text(encoding="utf-8")

    def boom(*_args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("mmkg.render.answerpages.AnswerPages.queries", boom)
    with pytest.raises(RuntimeError, match="boom"):
        build_site(store, out)
    assert (out / "index.html").read_text(encoding="utf-8") == before
    assert (out / "queries.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging folder left
    monkeypatch.undo()
    report = build_site(store, out)  # and a good build replaces it
    assert report.index == out / "index.html" and report.pages["model"] == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_refuses_to_replace_a_folder_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(SiteError, match="not a site written by mmkg"):
        build_site(hostile_store(), tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_cli_site_prints_the_index_path(tmp_path: Path) -> None:
    graph = tmp_path / "hostile.ttl"
    graph.write_text(
        ONTOLOGY_FILE.read_text(encoding="utf-8") + "\n" + HOSTILE.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    out = tmp_path / "site"
    result = CliRunner().invoke(app, ["site", "--graph", str(graph), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == str(out / "index.html")
    assert (out / "index.html").exists()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "x").write_text("x")
    result = CliRunner().invoke(
        app, ["site", "--graph", str(graph), "--out", str(tmp_path / "other")]
    )
    assert result.exit_code == 1
    assert "not a site written by mmkg" in result.output
    missing = CliRunner().invoke(app, ["site", "--graph", str(tmp_path / "none.nt")])
    assert missing.exit_code == 1 and "run `mmkg build` first" in missing.output


def test_a_site_under_a_memory_limit_still_answers(store: ox.Store) -> None:
    """A site run with a hard RLIMIT_AS of its own: the child keeps within it, not above."""
    import multiprocessing
    import resource

    from mmkg.queries import find_queries
    from mmkg.render.answers import answer_head, guarded_answer_head

    query = find_queries(QUERIES_DIR)["cq-04-ancestors"]

    def limited(connection: multiprocessing.connection.Connection) -> None:
        status = Path("/proc/self/status").read_text(encoding="ascii")
        mapped = int(next(x for x in status.splitlines() if x.startswith("VmSize:")).split()[1])
        limit = mapped * 1024 + (2048 << 20)  # less than the child's default 4 GB more
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        connection.send(guarded_answer_head(store, query, 5))
        connection.close()

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=limited, args=(sender,))
    process.start()
    sender.close()
    assert receiver.poll(120)
    assert receiver.recv() == answer_head(store, query, 5)
    process.join(10)


def test_model_page_writes_data_scales_short_with_the_exact_number_kept(site: Path) -> None:
    """600000 reads as 600K and 1400000000 as 1.4B, released sizes as 1B, 13B; the cell's title
    keeps the exact value."""
    llava = (site / "models/llava-1.5.html").read_text(encoding="utf-8")
    assert re.search(r'<td title="600,000">600K</td>', llava), "pre-training scale"
    assert re.search(r'<td title="700,000">700K</td>', llava), "instruction-tuning scale"
    qwen = (site / "models/qwen-vl.html").read_text(encoding="utf-8")
    assert re.search(r'<td title="1,400,000,000">1.4B</td>', qwen)
    gemma = (site / "models/gemma-3.html").read_text(encoding="utf-8")
    exact = "1,000,000,000, 13,000,000,000, 27,000,000,000"
    assert f'<th>released sizes</th><td title="{exact}">1B, 13B, 27B</td>' in gemma
