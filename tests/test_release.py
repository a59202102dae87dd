"""The release: its files, catalog, VoID, docs and changelog, atomic replacement, and a load
of its OWL files through the OWL API (Protégé's library), which must find them in OWL 2 DL."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, RDFS, VOID, XSD
from typer.testing import CliRunner

from mmkg import __version__
from mmkg.cli import app
from mmkg.layers import DATA_IRI, FULL_IRI, version_iri
from mmkg.namespaces import MMKG, ONTOLOGY_IRI, SKOS
from mmkg.paths import DATA_DIR, ONTOLOGY_FILE
from mmkg.release import (
    CHANGELOG_FILE,
    LAYERS,
    SHAPES_FILE,
    ReleaseError,
    changelog_entry,
    declared_counts,
    release,
    release_dates,
)

runner = CliRunner()

JAVA_DIR = Path("/usr/share/java")
CHECKER = Path(__file__).parent / "owlapi" / "OwlCheck.java"
# The OWL API distribution jar and the libraries it needs at run time (all installed by
# Debian's libowlapi-java); slf4j-nop keeps its logging quiet.
OWLAPI_JARS = (
    "owlapi-distribution",
    "guava",
    "caffeine",
    "commons-io",
    "commons-codec",
    "commons-logging",
    "commons-rdf-api",
    "jsr305",
    "atinject-jsr330-api",
    "hppcrt",
    "xz",
    "jackson-core",
    "jackson-databind",
    "jackson-annotations",
    "httpclient",
    "httpcore",
    "slf4j-api",
    "slf4j-nop",
)
RELEASE_FILES = (
    "mmkg-ontology.owl",
    "mmkg-ontology.ttl",
    "mmkg-data.owl",
    "mmkg-data.ttl",
    "mmkg.owl",
    "mmkg.ttl",
    "mmkg.jsonld",
    "catalog-v001.xml",
    "mmkg.sssom.tsv",
    "docs/index.html",
    "void.ttl",
    "VERSION",
    "CHANGELOG.md",
)
CATALOG_NS = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"


# --- fixtures ----------------------------------------------------------------------------


@dataclass
class Check:
    """What OwlCheck printed: its JSON lines and the summary."""

    returncode: int
    lines: list[dict]
    stderr: str

    @property
    def summary(self) -> dict:
        """The summary line's counts."""
        found = [line["summary"] for line in self.lines if "summary" in line]
        assert found, f"OwlCheck gave no summary: {self.lines} {self.stderr}"
        return found[0]

    def values(self, key: str) -> list[str]:
        """Every value printed under *key*, e.g. each violation."""
        return [line[key] for line in self.lines if key in line]


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """`mmkg release` run once into a scratch folder: the folder and what the command printed."""
    out = tmp_path_factory.mktemp("release") / "release"
    result = runner.invoke(app, ["release", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


@pytest.fixture(scope="module")
def released_again(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """A second release of the same input, made through the library: its folder and report."""
    out = tmp_path_factory.mktemp("release-again") / "release"
    return out, release(DATA_DIR, ONTOLOGY_FILE, out)


def _classpath() -> str:
    jars = [JAVA_DIR / f"{name}.jar" for name in OWLAPI_JARS]
    jars += sorted(p for p in JAVA_DIR.glob("rdf4j-*.jar") if not re.search(r"-\d", p.stem))
    missing = [str(j) for j in jars if not j.exists()]
    if missing or not shutil.which("javac") or not shutil.which("java"):
        pytest.fail(
            "the OWL API check needs java, javac and Debian's libowlapi-java "
            f"(missing: {missing or 'java/javac'}); run scripts/install-system-deps.sh "
            "(make test does)"
        )
    return ":".join(str(j) for j in jars)


@pytest.fixture(scope="module")
def owlcheck(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Check]:
    """OwlCheck compiled into a scratch folder; call it with its command-line arguments."""
    classpath = _classpath()
    classes = tmp_path_factory.mktemp("owlcheck")
    compiled = subprocess.run(
        ["javac", "-d", str(classes), "-cp", classpath, str(CHECKER)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert compiled.returncode == 0, compiled.stderr
    cache: dict[tuple[str, ...], Check] = {}

    def run(*args: str) -> Check:
        if args not in cache:
            proc = subprocess.run(
                ["java", "-cp", f"{classpath}:{classes}", "OwlCheck", *args],
                capture_output=True,
                text=True,
                timeout=600,
            )
            lines = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
            cache[args] = Check(proc.returncode, lines, proc.stderr)
        return cache[args]

    return run


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --- the files ---------------------------------------------------------------------------


def test_release_writes_every_file_and_reports_it(released: tuple[Path, str]) -> None:
    out, output = released
    for name in RELEASE_FILES:
        assert (out / name).is_file(), name
        size = f"{(out / name).stat().st_size:,}"
        assert re.search(rf"{re.escape(name)}\s+{re.escape(size)} bytes", output), name
    assert (out / "VERSION").read_text(encoding="utf-8") == f"{__version__}\n"
    assert f"mmkg {__version__}" in output and "released in" in output
    if SHAPES_FILE.exists():
        assert (out / "shapes.ttl").read_bytes() == SHAPES_FILE.read_bytes()
    else:
        assert "no shapes.ttl" in output
    assert not list(out.parent.glob(".release-*")), "staging folders left behind"


def test_release_reports_declared_counts(released: tuple[Path, str]) -> None:
    out, output = released
    whole = declared_counts(Graph().parse(out / "mmkg.ttl", format="turtle"))
    alone = declared_counts(Graph().parse(ONTOLOGY_FILE, format="turtle"))
    assert whole["classes"] == alone["classes"] > 0
    assert whole["individuals"] > 1000
    for kind in whole:
        label = kind.replace("_", " ")
        assert re.search(rf"{label}\W+{whole[kind]}\W+{alone[kind]}\b", output), kind


def test_ontology_files_hold_the_tbox_alone(released: tuple[Path, str]) -> None:
    out, _ = released
    source = Graph().parse(ONTOLOGY_FILE, format="turtle")
    owl = Graph().parse(out / "mmkg-ontology.owl", format="xml")
    ttl = Graph().parse(out / "mmkg-ontology.ttl", format="turtle")
    assert len(owl) == len(ttl)
    header = URIRef(ONTOLOGY_IRI)
    missing = [t for t in source if _ground(t) and t not in owl]
    assert not missing, missing[:3]
    added = [t for t in owl if _ground(t) and t not in source]
    assert {t[0] for t in added} == {header}
    assert {t[1] for t in added} == {OWL.versionIRI, OWL.versionInfo, OWL.priorVersion, *_DATES}
    assert sum(not _ground(t) for t in owl) == sum(not _ground(t) for t in source)
    assert not set(owl.subjects(RDF.type, MMKG.MultimodalLLM))


_DATES = (DCTERMS.created, DCTERMS.issued, DCTERMS.modified)
_DATE_IRI = re.compile(r"^https://w3id\.org/mmkg/releases/(?P<v>[^/]+)/(?P<d>\d{4}-\d\d-\d\d)/")


@pytest.mark.parametrize("iri", list(LAYERS))
def test_each_ontology_of_the_release_has_its_own_dated_versioned_header(
    released: tuple[Path, str], iri: str
) -> None:
    """Ontology, data and full graph: own IRI, version IRI from the package version and the
    changelog's date, prior version, creators as IRIs, created/issued/modified dates."""
    out, _ = released
    dates = release_dates(CHANGELOG_FILE, __version__)
    for name in LAYERS[iri]:
        graph = Graph().parse(out / name)
        node = URIRef(iri)
        assert set(graph.subjects(RDF.type, OWL.Ontology)) == {node}, name
        version = graph.value(node, OWL.versionIRI)
        assert version == version_iri(LAYERS[iri][0], __version__, dates.issued), name
        match = _DATE_IRI.match(str(version))
        assert match and match["v"] == __version__ and match["d"] == dates.issued
        assert graph.value(node, OWL.versionInfo) == Literal(__version__)
        assert dates.prior_version
        prior = version_iri(LAYERS[iri][0], dates.prior_version, dates.prior_issued or "")
        assert graph.value(node, OWL.priorVersion) == prior
        for prop in _DATES:
            value = graph.value(node, prop)
            assert value is not None and value.datatype == XSD.dateTime, (name, prop)
        assert graph.value(node, DCTERMS.created) <= graph.value(node, DCTERMS.issued)
        creators = list(graph.objects(node, DCTERMS.creator))
        assert creators and all(isinstance(c, URIRef) for c in creators), creators
        imports = set(graph.objects(node, OWL.imports))
        assert imports == ({URIRef(ONTOLOGY_IRI)} if iri == DATA_IRI else set()), name


def test_no_two_files_of_different_ontologies_share_an_ontology_or_version_iri(
    released: tuple[Path, str],
) -> None:
    out, _ = released
    seen: dict[URIRef, str] = {}
    for iri, names in LAYERS.items():
        graph = Graph().parse(out / names[0])
        for value in (URIRef(iri), graph.value(URIRef(iri), OWL.versionIRI)):
            assert value not in seen, f"{names[0]} and {seen.get(value)} both claim {value}"
            seen[value] = names[0]
    build_header = set(Graph().parse(out / "mmkg.ttl").subjects(RDF.type, OWL.Ontology))
    assert build_header == {URIRef(FULL_IRI)}


def test_data_holds_the_data_alone_and_with_the_ontology_makes_the_full_graph(
    released: tuple[Path, str],
) -> None:
    out, _ = released
    data = Graph().parse(out / "mmkg-data.ttl")
    tbox = Graph().parse(out / "mmkg-ontology.ttl")
    full = Graph().parse(out / "mmkg.ttl")
    assert not set(data.subjects(RDF.type, OWL.Class))
    assert not set(data.subjects(RDF.type, OWL.ObjectProperty))
    assert len(set(data.subjects(RDF.type, MMKG.MultimodalLLM))) == len(
        set(full.subjects(RDF.type, MMKG.MultimodalLLM))
    )
    headers = {URIRef(i) for i in LAYERS}
    merged = {t for g in (data, tbox) for t in g if _ground(t) and t[0] not in headers}
    expected = {t for t in full if _ground(t) and t[0] not in headers}
    assert merged == expected
    blank = sum(1 for g in (data, tbox) for t in g if not _ground(t))
    assert blank == sum(1 for t in full if not _ground(t))


def test_whole_graph_files_hold_the_same_triples(released: tuple[Path, str]) -> None:
    out, _ = released
    sizes = {
        name: len(Graph().parse(out / name, format=fmt))
        for name, fmt in (("mmkg.owl", "xml"), ("mmkg.ttl", "turtle"), ("mmkg.jsonld", "json-ld"))
    }
    assert len(set(sizes.values())) == 1, sizes


def test_two_releases_of_the_same_input_are_byte_identical(
    released: tuple[Path, str], released_again: tuple[Path, object]
) -> None:
    first, second = _snapshot(released[0]), _snapshot(released_again[0])
    differ = sorted(name for name in first if first[name] != second.get(name))
    assert set(first) == set(second) and not differ, differ


def test_release_dates_come_from_the_changelog(tmp_path: Path) -> None:
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text(
        "# Changelog\n\n## [2.0.0] - 2026-03-01\n\n- New.\n\n## [1.0.0] - 2025-01-02\n\n- Old.\n",
        encoding="utf-8",
    )
    dates = release_dates(changelog, "2.0.0")
    assert (dates.issued, dates.created, dates.prior_version) == (
        "2026-03-01",
        "2025-01-02",
        "1.0.0",
    )
    assert release_dates(changelog, "1.0.0").prior_version is None
    changelog.write_text("## [2.0.0]\n\n- Undated.\n", encoding="utf-8")
    with pytest.raises(ReleaseError, match=r"version 2\.0\.0 has no date.*YYYY-MM-DD"):
        release_dates(changelog, "2.0.0")


def _ground(triple: tuple) -> bool:
    return not any(type(node).__name__ == "BNode" for node in triple)


# --- the OWL API -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["mmkg.owl", "mmkg.ttl", "mmkg-ontology.owl", "mmkg-ontology.ttl", "mmkg-data.owl"]
)
def test_owl_api_loads_the_release_in_owl2_dl(
    released: tuple[Path, str], owlcheck: Callable[..., Check], name: str
) -> None:
    out, _ = released
    check = owlcheck(str(out / name), "--catalog", str(out / "catalog-v001.xml"))
    assert check.returncode == 0, check.lines
    summary = check.summary
    assert summary["violations"] == 0, "\n".join(check.values("violation"))
    assert summary["unparsed_triples"] == 0, "\n".join(check.values("unparsed"))
    assert summary["guessed_declarations"] == 0, "\n".join(check.values("guessed"))
    assert summary["header"] == "PARSED_ONE_HEADER"
    fmt = "xml" if name.endswith(".owl") else "turtle"
    graph = Graph().parse(out / name, format=fmt)
    if name.startswith("mmkg-data."):  # its terms are declared in the ontology it imports
        graph += Graph().parse(out / "mmkg-ontology.owl", format="xml")
        assert summary["imports"] == 1
    expected = declared_counts(graph)
    assert {kind: summary[kind] for kind in expected} == expected
    iri = next(iri for iri, names in LAYERS.items() if name in names)
    assert check.values("ontology") == [iri]


def test_owl_api_loads_every_release_file_together_in_one_manager(
    released: tuple[Path, str], owlcheck: Callable[..., Check]
) -> None:
    out, _ = released
    catalog = ("--catalog", str(out / "catalog-v001.xml"))
    files = [
        str(out / n) for names in LAYERS.values() for n in names if n.endswith((".owl", ".ttl"))
    ]
    runs = [files, *([a, b] for a in files[::2] for b in files[::2] if a != b)]
    for run in runs:
        check = owlcheck("--together", *run, *catalog)
        assert check.returncode == 0, (run, check.values("error"))
        assert check.summary["violations"] == 0, "\n".join(check.values("violation"))
        assert check.summary["unparsed_triples"] == 0, run
        layers = {Path(f).stem for f in run}
        if "mmkg-data" in layers:  # its import brings the ontology in
            layers.add("mmkg-ontology")
        assert check.summary["ontologies"] == len(layers), run


def test_owl_api_check_fails_two_files_that_claim_one_identity(
    owlcheck: Callable[..., Check], tmp_path: Path
) -> None:
    """The pair check is not blind: two different ontologies under one IRI fail to load."""
    for name, cls in (("a", "A"), ("b", "B")):
        (tmp_path / f"{name}.ttl").write_text(
            "<https://example.org/o> a <http://www.w3.org/2002/07/owl#Ontology> .\n"
            f"<https://example.org/{cls}> a <http://www.w3.org/2002/07/owl#Class> .\n",
            encoding="utf-8",
        )
    check = owlcheck("--together", str(tmp_path / "a.ttl"), str(tmp_path / "b.ttl"))
    assert check.returncode == 2
    assert any("AlreadyExists" in e for e in check.values("error")), check.lines


def test_an_ontology_importing_the_tbox_through_the_catalog_gets_the_terms_alone(
    released: tuple[Path, str], owlcheck: Callable[..., Check], tmp_path: Path
) -> None:
    out, _ = released
    importer = tmp_path / "importer.ttl"
    importer.write_text(
        "<https://example.org/uses-mmkg> a <http://www.w3.org/2002/07/owl#Ontology> ;\n"
        f"    <http://www.w3.org/2002/07/owl#imports> <{ONTOLOGY_IRI}> .\n",
        encoding="utf-8",
    )
    check = owlcheck(str(importer), "--catalog", str(out / "catalog-v001.xml"))
    assert check.returncode == 0, check.lines
    alone = owlcheck(str(out / "mmkg-ontology.owl"), "--catalog", str(out / "catalog-v001.xml"))
    assert check.summary["imports"] == 1
    assert check.values("import") == [f"{ONTOLOGY_IRI} <- file:{out / 'mmkg-ontology.owl'}"]
    assert check.summary["axioms"] == alone.summary["axioms"]
    assert check.summary["individuals"] == alone.summary["individuals"] < 20


def test_owl_api_counts_equal_the_release_report(
    released: tuple[Path, str], released_again: tuple[Path, object], owlcheck: Callable[..., Check]
) -> None:
    out, _ = released
    report = released_again[1]
    whole = owlcheck(str(out / "mmkg.owl"), "--catalog", str(out / "catalog-v001.xml"))
    alone = owlcheck(str(out / "mmkg-ontology.owl"), "--catalog", str(out / "catalog-v001.xml"))
    assert {kind: whole.summary[kind] for kind in report.declared} == report.declared
    assert {kind: alone.summary[kind] for kind in report.declared} == report.ontology_declared


def test_catalog_resolves_the_ontology_offline(
    released: tuple[Path, str], owlcheck: Callable[..., Check]
) -> None:
    out, _ = released
    root = ET.parse(out / "catalog-v001.xml").getroot()
    assert root.tag == f"{CATALOG_NS}catalog"
    entries = {e.get("name"): e.get("uri") for e in root.iter(f"{CATALOG_NS}uri")}
    for iri, names in LAYERS.items():
        versioned = Graph().parse(out / names[0]).value(URIRef(iri), OWL.versionIRI)
        assert entries[iri] == entries[str(versioned)] == names[0]
    assert len(entries) == 2 * len(LAYERS)
    assert all((out / uri).is_file() for uri in entries.values())
    version_iri = (
        Graph().parse(out / "mmkg-ontology.owl").value(URIRef(ONTOLOGY_IRI), OWL.versionIRI)
    )
    for iri in (ONTOLOGY_IRI, str(version_iri)):
        check = owlcheck("--iri", iri, "--catalog", str(out / "catalog-v001.xml"))
        assert check.returncode == 0, check.lines
        assert check.values("ontology") == [ONTOLOGY_IRI]
        assert check.values("document") == [f"file:{out / 'mmkg-ontology.owl'}"]


def test_owl_api_check_finds_violations_and_unparsed_triples(
    owlcheck: Callable[..., Check], tmp_path: Path
) -> None:
    """The checker is not blind: xsd:date and a stray class expression are reported."""
    bad = Graph().parse(
        format="turtle",
        data="""
        @prefix ex: <https://example.org/bad#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <https://example.org/bad> a owl:Ontology .
        ex:released a owl:DatatypeProperty . ex:a a owl:NamedIndividual .
        ex:a ex:released "2024-01-01"^^xsd:date .
        [] owl:unionOf ( ex:a ) .
        """,
    )
    bad.serialize(tmp_path / "bad.owl", format="xml")
    check = owlcheck(str(tmp_path / "bad.owl"))
    assert check.summary["violations"] > 0 and check.summary["unparsed_triples"] == 1
    assert any("xsd:date" in v for v in check.values("violation"))


# --- VoID, docs, changelog ----------------------------------------------------------------


def test_void_describes_the_dataset_and_every_file(released: tuple[Path, str]) -> None:
    out, _ = released
    void = Graph().parse(out / "void.ttl", format="turtle")
    node = URIRef(DATA_IRI)
    assert (node, RDF.type, DCAT.Dataset) in void and (node, RDF.type, VOID.Dataset) in void
    assert Literal(__version__) in set(void.objects(node, OWL.versionInfo))
    assert void.value(node, URIRef(str(DCAT) + "version")) == Literal(__version__)
    assert void.value(node, DCTERMS.issued).datatype == XSD.dateTime
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license):
        assert void.value(node, prop) is not None, prop
    graph = Graph().parse(out / "mmkg.ttl", format="turtle")
    assert void.value(node, VOID.triples).toPython() == len(graph)
    individuals = set(graph.subjects(RDF.type, OWL.NamedIndividual))
    assert void.value(node, VOID.entities).toPython() == len(individuals)
    partitions = {
        void.value(p, VOID["class"]): void.value(p, VOID.entities).toPython()
        for p in void.objects(node, VOID.classPartition)
    }
    assert partitions[MMKG.MultimodalLLM] == len(set(graph.subjects(RDF.type, MMKG.MultimodalLLM)))

    described = {}
    for dist in void.objects(node, DCAT.distribution):
        url = void.value(dist, DCAT.downloadURL)
        path = Path(url.removeprefix("file://"))  # relative IRIs resolve against void.ttl
        assert path.is_file() and path.parent.resolve() in {out, out / "docs"}, url
        assert void.value(dist, DCAT.byteSize).toPython() == path.stat().st_size
        assert str(void.value(dist, DCAT.mediaType)).startswith("https://www.iana.org/")
        described[path.relative_to(out).as_posix()] = dist
    expected = {name for name in _snapshot(out) if name != "void.ttl"}
    assert set(described) == expected


def test_docs_list_every_term_with_its_definition(released: tuple[Path, str]) -> None:
    out, _ = released
    html = (out / "docs" / "index.html").read_text(encoding="utf-8")
    text = _page_text(html)
    tbox = Graph().parse(ONTOLOGY_FILE, format="turtle")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    terms = {s for k in kinds for s in tbox.subjects(RDF.type, k) if str(s).startswith(str(MMKG))}
    assert len(terms) > 100
    missing = [
        f"{term}: {value}"
        for term in sorted(terms)
        for value in [*tbox.objects(term, RDFS.label), *tbox.objects(term, SKOS.definition)]
        if " ".join(str(value).split()) not in text
    ]
    assert not missing, "\n".join(missing)
    for cls in set(tbox.subjects(OWL.equivalentClass, None)):
        section = html[html.index(f"<code>{cls}</code>") :]
        section = section[: section.find('class="property entity"')]
        assert "Equivalent" in section and ("<strong>" in section or "}" in section), cls
    # self-contained: nothing is fetched from the web when the page opens
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+rel=\"stylesheet\"[^>]+href=\"http", html)


def test_docs_have_one_title_stable_anchors_a_class_tree_and_the_axioms_pylode_omits(
    released: tuple[Path, str],
) -> None:
    out, _ = released
    html = (out / "docs" / "index.html").read_text(encoding="utf-8")
    tbox = Graph().parse(ONTOLOGY_FILE, format="turtle")
    title = str(tbox.value(URIRef(ONTOLOGY_IRI), DCTERMS.title))
    assert re.findall(r"<h1[^>]*>\s*([^<]*?)\s*<", html) == [title]
    assert re.findall(r"<title>\s*([^<]*?)\s*</title>", html) == [title]
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    terms = {s for k in kinds for s in tbox.subjects(RDF.type, k) if str(s).startswith(str(MMKG))}
    ids = re.findall(r'id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "duplicate anchors"
    missing = sorted(t for t in terms if str(t).split("#")[1] not in ids)
    assert not missing, missing[:5]
    hrefs = set(re.findall(r'href="#([^"]+)"', html))
    assert hrefs <= set(ids), sorted(hrefs - set(ids))[:5]

    def section(name: str) -> str:
        start = html.index(f'id="{name}"')
        return html[start : html.find('class="property entity"', start + 10)]

    assert re.search(r"<th>Disjoint with</th>\s*<td>.*#Component\b", section("Model"), re.S)
    assert re.search(r"<th>Characteristics</th>\s*<td>transitive</td>", section("descendsFrom"))
    assert "functional" in section("usesComponent")
    tree = html[html.index('id="class-hierarchy"') : html.index('id="classes"')]
    live = {t for t in tbox.subjects(RDF.type, OWL.Class) if str(t).startswith(str(MMKG))}
    live -= set(tbox.subjects(OWL.deprecated, None))
    assert {str(t).split("#")[1] for t in live} <= set(re.findall(r'href="#([^"]+)"', tree))
    # a defined class sits under its genus
    assert re.search(r'href="#MultimodalLLM">[^<]*</a><ul>.*href="#AnyToAnyModel"', tree, re.S)


def _page_text(html: str) -> str:
    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    parser = Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def test_changelog_has_an_entry_for_this_version(released: tuple[Path, str]) -> None:
    out, _ = released
    assert changelog_entry(CHANGELOG_FILE, __version__)
    assert (out / "CHANGELOG.md").read_bytes() == CHANGELOG_FILE.read_bytes()


def test_release_refuses_a_version_without_changelog_entry(tmp_path: Path) -> None:
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text("# Changelog\n\n## [0.0.1] - 2020-01-01\n\n- Old.\n", encoding="utf-8")
    with pytest.raises(ReleaseError, match=r"no entry for version 9\.9\.9.*hint: add a section"):
        release(DATA_DIR, ONTOLOGY_FILE, tmp_path / "release", changelog=changelog, version="9.9.9")
    assert not (tmp_path / "release").exists()
    changelog.write_text("# Changelog\n\n## [9.9.9] - 2020-01-01\n\n## [0.0.1]\n", encoding="utf-8")
    with pytest.raises(ReleaseError, match="empty entry"):
        changelog_entry(changelog, "9.9.9")


# --- atomic replacement ---------------------------------------------------------------------


def test_failed_release_leaves_the_previous_release_untouched(
    released: tuple[Path, str], data_copy: Path, tmp_path: Path
) -> None:
    target = tmp_path / "release"
    shutil.copytree(released[0], target)
    before = _snapshot(target)
    (data_copy / "models" / "llava.yaml").write_text(
        "name: LLaVA\nsite_post: nope\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["release", "--data", str(data_copy), "--out", str(target)])
    assert result.exit_code == 1
    assert "record 'llava'" in result.output and "Traceback" not in result.output
    assert _snapshot(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "release"]


def test_release_failing_while_writing_leaves_the_previous_release_untouched(
    released: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "release"
    shutil.copytree(released[0], target)
    before = _snapshot(target)

    def broken(*_: object) -> None:
        raise ReleaseError("pyLODE could not document the ontology: boom")

    monkeypatch.setattr("mmkg.release.write_docs", broken)
    result = runner.invoke(app, ["release", "--out", str(target)])
    assert result.exit_code == 1 and "boom" in result.output
    assert _snapshot(target) == before
    assert [p.name for p in tmp_path.iterdir()] == ["release"]


# --- reasoning on the files as shipped ------------------------------------------------------

DEFINED_CLASSES = (
    "NonTextModality",
    "GenerationModel",
    "AnyToAnyModel",
    "QFormerBasedModel",
    "VideoUnderstandingModel",
    "LLaMABackboneModel",
    "ToolUsingModel",
    "DetailedModel",
)


def _classify_as_shipped(path: Path, reasoner: str) -> dict[str, set[str]]:
    """Members of each defined class after *reasoner* classifies *path*, opened as a user would."""
    import owlready2

    world = owlready2.World()
    onto = world.get_ontology(path.resolve().as_uri()).load()
    run = {"hermit": owlready2.sync_reasoner_hermit, "pellet": owlready2.sync_reasoner_pellet}
    with onto:
        run[reasoner](world, infer_property_values=False, debug=0)
    out = {}
    for name in DEFINED_CLASSES:
        cls = world.search_one(iri=str(MMKG[name]))
        assert cls is not None, name
        out[name] = {i.iri for i in cls.instances()}
    return out


@pytest.mark.parametrize("reasoner", ["hermit", "pellet"])
def test_reasoners_on_the_released_graph_agree_with_mmkg_reason(
    released: tuple[Path, str],
    inference,  # noqa: ANN001
    reasoner: str,
) -> None:
    expected = inference
    found = _classify_as_shipped(released[0] / "mmkg.owl", reasoner)
    for name in DEFINED_CLASSES:
        assert found[name] == expected.members(MMKG[name]), name
        assert found[name], f"{name} is empty for {reasoner}"
    next_gpt = "https://w3id.org/mmkg/id/model/next-gpt"
    assert next_gpt in found["AnyToAnyModel"] and next_gpt in found["GenerationModel"]
