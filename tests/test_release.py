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
from mmkg.namespaces import MMKG, ONTOLOGY_IRI, SKOS
from mmkg.paths import DATA_DIR, ONTOLOGY_FILE
from mmkg.release import (
    CHANGELOG_FILE,
    DATA_IRI,
    SHAPES_FILE,
    ReleaseError,
    changelog_entry,
    declared_counts,
    release,
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
    "mmkg.owl",
    "mmkg.ttl",
    "mmkg.jsonld",
    "catalog-v001.xml",
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
    tbox = Graph().parse(ONTOLOGY_FILE, format="turtle")
    assert (out / "mmkg-ontology.ttl").read_bytes() == ONTOLOGY_FILE.read_bytes()
    owl = Graph().parse(out / "mmkg-ontology.owl", format="xml")
    assert len(owl) == len(tbox) and (URIRef(ONTOLOGY_IRI), RDF.type, OWL.Ontology) in owl


def test_whole_graph_has_its_own_header_and_imports_nothing(released: tuple[Path, str]) -> None:
    out, _ = released
    graph = Graph().parse(out / "mmkg.owl", format="xml")
    assert set(graph.subjects(RDF.type, OWL.Ontology)) == {URIRef(DATA_IRI)}
    assert graph.value(URIRef(DATA_IRI), OWL.versionIRI) == URIRef(f"{DATA_IRI}/{__version__}")
    assert not list(graph.triples((None, OWL.imports, None)))
    tbox = Graph().parse(ONTOLOGY_FILE, format="turtle")
    missing = [t for t in tbox if t[0] != URIRef(ONTOLOGY_IRI) and _ground(t) and t not in graph]
    assert not missing, f"{len(missing)} ontology triples not in the whole graph: {missing[:3]}"


def test_whole_graph_files_hold_the_same_triples(released: tuple[Path, str]) -> None:
    out, _ = released
    sizes = {
        name: len(Graph().parse(out / name, format=fmt))
        for name, fmt in (("mmkg.owl", "xml"), ("mmkg.ttl", "turtle"), ("mmkg.jsonld", "json-ld"))
    }
    assert len(set(sizes.values())) == 1, sizes


def _ground(triple: tuple) -> bool:
    return not any(type(node).__name__ == "BNode" for node in triple)


# --- the OWL API -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["mmkg.owl", "mmkg-ontology.owl", "mmkg.ttl"])
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
    expected = declared_counts(Graph().parse(out / name, format=fmt))
    assert {kind: summary[kind] for kind in expected} == expected
    iri = DATA_IRI if name.startswith("mmkg.") else ONTOLOGY_IRI
    assert check.values("ontology") == [iri]


def test_owl_api_counts_equal_the_release_report(
    released: tuple[Path, str], owlcheck: Callable[..., Check], tmp_path: Path
) -> None:
    out, _ = released
    report = release(DATA_DIR, ONTOLOGY_FILE, tmp_path / "release")
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
    version_iri = Graph().parse(ONTOLOGY_FILE).value(URIRef(ONTOLOGY_IRI), OWL.versionIRI)
    assert entries[ONTOLOGY_IRI] == entries[str(version_iri)] == "mmkg-ontology.owl"
    assert entries[DATA_IRI] == entries[f"{DATA_IRI}/{__version__}"] == "mmkg.owl"
    assert all((out / uri).is_file() for uri in entries.values())
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
        assert "Equivalent" in section and "<strong>" in section, cls
    # self-contained: nothing is fetched from the web when the page opens
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+rel=\"stylesheet\"[^>]+href=\"http", html)


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

    monkeypatch.setattr("mmkg.release._write_docs", broken)
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
    released: tuple[Path, str], graph: Graph, reasoner: str
) -> None:
    from mmkg.reason import reason

    expected = reason(graph)
    found = _classify_as_shipped(released[0] / "mmkg.owl", reasoner)
    for name in DEFINED_CLASSES:
        assert found[name] == expected.members(MMKG[name]), name
        assert found[name], f"{name} is empty for {reasoner}"
    next_gpt = "https://w3id.org/mmkg/id/model/next-gpt"
    assert next_gpt in found["AnyToAnyModel"] and next_gpt in found["GenerationModel"]
