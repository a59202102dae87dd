"""Records + ontology -> a Protégé-ready release folder, written atomically.

The release holds the ontology alone (``mmkg-ontology.owl``, ``.ttl``) and the whole graph
(``mmkg.owl``, ``.ttl``, ``.jsonld``), an XML catalog so that the ontology IRI resolves to the
local file, the SHACL shapes, HTML documentation of the ontology made with pyLODE, a VoID/DCAT
description of the dataset, ``VERSION`` and ``CHANGELOG.md``.

The whole-graph files are one self-contained ontology, ``https://w3id.org/mmkg/data``: they hold
the ontology's axioms and the data and import nothing, so any OWL tool loads them offline
without the catalog. The ontology's own header is replaced by the data's, so that the two files
never claim the same ontology IRI. The catalog serves ontologies that import
``https://w3id.org/mmkg/ontology``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import quoteattr

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, RDFS, VOID, XSD

from mmkg import __version__
from mmkg.build import build_graph
from mmkg.errors import MmkgError, relative
from mmkg.load import load_facts
from mmkg.namespaces import DATA, ONTOLOGY_IRI, PROV, SKOS, VANN
from mmkg.outputs import staged_folder
from mmkg.paths import BUILD_DIR, ONTOLOGY_FILE, PROJECT_ROOT

__all__ = [
    "ReleaseError",
    "ReleaseReport",
    "release",
    "declared_counts",
    "changelog_entry",
    "catalog_xml",
    "DATA_IRI",
    "RELEASE_DIR",
    "CHANGELOG_FILE",
    "SHAPES_FILE",
]

DATA_IRI = "https://w3id.org/mmkg/data"
RELEASE_DIR = BUILD_DIR / "release"
CHANGELOG_FILE = PROJECT_ROOT / "CHANGELOG.md"
SHAPES_FILE = ONTOLOGY_FILE.parent / "shapes.ttl"

ADMS = Namespace("http://www.w3.org/ns/adms#")
DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3; not in rdflib's DCAT namespace
SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA = "https://www.iana.org/assignments/media-types/"
MEDIA_TYPES = {
    ".owl": "application/rdf+xml",
    ".ttl": "text/turtle",
    ".jsonld": "application/ld+json",
    ".xml": "application/xml",
    ".html": "text/html",
    ".md": "text/markdown",
    "": "text/plain",
}
DESCRIPTIONS = {
    "mmkg-ontology.owl": "The ontology (TBox) alone, in RDF/XML.",
    "mmkg-ontology.ttl": "The ontology (TBox) alone, in Turtle: the hand-edited source.",
    "mmkg.owl": "The whole graph, ontology and data, in RDF/XML: open this one in Protégé.",
    "mmkg.ttl": "The whole graph, ontology and data, in Turtle.",
    "mmkg.jsonld": "The whole graph, ontology and data, in JSON-LD.",
    "shapes.ttl": "SHACL shapes that the data is validated against.",
    "catalog-v001.xml": "XML catalog mapping the ontology and data IRIs to these files.",
    "docs/index.html": "HTML documentation of the ontology, made with pyLODE.",
    "VERSION": "The release's version number.",
    "CHANGELOG.md": "What changed in each release.",
}
DECLARED_TYPES = {
    "classes": OWL.Class,
    "object_properties": OWL.ObjectProperty,
    "data_properties": OWL.DatatypeProperty,
    "annotation_properties": OWL.AnnotationProperty,
    "individuals": OWL.NamedIndividual,
}
_HEADING = re.compile(r"^##\s+\[?v?(?P<version>\d+\.\d+\.\d+[^\]\s]*)\]?")


class ReleaseError(MmkgError):
    """A release that cannot be made: no changelog entry, a missing input, a bad ontology."""


@dataclass
class ReleaseReport:
    """What a release wrote: files with their sizes, declared entities, notes and time taken."""

    version: str
    out_dir: Path
    files: list[Path]
    declared: dict[str, int]
    ontology_declared: dict[str, int]
    triples: int
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


def declared_counts(graph: Graph) -> dict[str, int]:
    """Count the IRIs typed owl:Class, the three property kinds and owl:NamedIndividual.

    These are the entities the OWL API reads as declared.

    >>> g = Graph().parse(data="<urn:a> a <http://www.w3.org/2002/07/owl#Class> .", format="ttl")
    >>> declared_counts(g)["classes"]
    1
    """
    return {
        name: len({s for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef)})
        for name, kind in DECLARED_TYPES.items()
    }


def changelog_entry(changelog: Path, version: str) -> str:
    """Return the text of *changelog*'s section for *version*, or raise ReleaseError.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "CHANGELOG.md"
    >>> _ = path.write_text("# Changelog\\n## [1.0.0] - 2026-01-01\\n- First.\\n")
    >>> changelog_entry(path, "1.0.0")
    '- First.'
    """
    hint = f"add a section '## [{version}] - YYYY-MM-DD' that says what changed"
    try:
        lines = changelog.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ReleaseError(
            f"{relative(changelog)}: cannot read the changelog ({exc.strerror}) (hint: {hint})"
        ) from exc
    body: list[str] | None = None
    for line in lines:
        heading = _HEADING.match(line) if line.startswith("## ") else None
        if body is not None and line.startswith("## "):
            break
        if heading and heading["version"] == version:
            body = []
        elif body is not None:
            body.append(line)
    text = "\n".join(body or []).strip()
    if body is None or not text:
        what = "has no entry" if body is None else "has an empty entry"
        raise ReleaseError(
            f"{relative(changelog)} {what} for version {version}, the version being released "
            f"(hint: {hint})"
        )
    return text


def catalog_xml(entries: dict[str, str]) -> str:
    """An OASIS XML catalog (as Protégé writes ``catalog-v001.xml``) mapping IRIs to files.

    >>> print(catalog_xml({"https://example.org/o": "o.owl"}).splitlines()[3].strip())
    <uri name="https://example.org/o" uri="o.owl"/>
    """
    rows = "".join(
        f"    <uri name={quoteattr(name)} uri={quoteattr(uri)}/>\n" for name, uri in entries.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        '<catalog prefer="public" xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">\n'
        "    <!-- written by mmkg release: resolves these IRIs to the files beside it -->\n"
        f"{rows}"
        "</catalog>\n"
    )


def release(
    data_dir: Path,
    ontology: Path,
    out_dir: Path = RELEASE_DIR,
    *,
    changelog: Path = CHANGELOG_FILE,
    shapes: Path | None = None,
    version: str = __version__,
) -> ReleaseReport:
    """Load the data, build the graph and write the release folder, replacing it atomically."""
    start = time.perf_counter()
    entry = changelog_entry(changelog, version)
    shapes = SHAPES_FILE if shapes is None else shapes
    tbox = Graph().parse(ontology, format="turtle")
    header = _ontology_header(tbox, ontology)
    facts = load_facts(data_dir)
    graph, _ = build_graph(facts, ontology)
    issued = _issued()
    _replace_header(graph, header, version, issued)
    notes: list[str] = []

    out_dir = out_dir.resolve()
    with staged_folder(out_dir) as staging:
        shutil.copyfile(ontology, staging / "mmkg-ontology.ttl")
        tbox.serialize(staging / "mmkg-ontology.owl", format="xml", encoding="utf-8")
        graph.serialize(staging / "mmkg.owl", format="xml", encoding="utf-8")
        graph.serialize(staging / "mmkg.ttl", format="turtle", encoding="utf-8")
        graph.serialize(staging / "mmkg.jsonld", format="json-ld", encoding="utf-8")
        if shapes.exists():
            shutil.copyfile(shapes, staging / "shapes.ttl")
        else:
            notes.append(f"no shapes.ttl: {relative(shapes)} does not exist yet")
        catalog = {ONTOLOGY_IRI: "mmkg-ontology.owl"}
        if header.version_iri:
            catalog[header.version_iri] = "mmkg-ontology.owl"
        catalog[DATA_IRI] = "mmkg.owl"
        catalog[f"{DATA_IRI}/{version}"] = "mmkg.owl"
        (staging / "catalog-v001.xml").write_text(catalog_xml(catalog), encoding="utf-8")
        _write_docs(tbox, staging / "docs" / "index.html")
        (staging / "VERSION").write_text(version + "\n", encoding="utf-8")
        shutil.copyfile(changelog, staging / "CHANGELOG.md")
        void = _void(graph, staging, header, version, issued, entry)
        void.serialize(staging / "void.ttl", format="turtle", encoding="utf-8")
        files = sorted(p.relative_to(staging) for p in staging.rglob("*") if p.is_file())
    return ReleaseReport(
        version=version,
        out_dir=out_dir,
        files=[out_dir / f for f in files],
        declared=declared_counts(graph),
        ontology_declared=declared_counts(tbox),
        triples=len(graph),
        notes=notes,
        seconds=time.perf_counter() - start,
    )


# --- the parts ----------------------------------------------------------------------------


@dataclass
class _Header:
    version_iri: str
    version_info: str
    license: URIRef | None
    creators: list[Literal | URIRef]
    sources: list[URIRef]


def _ontology_header(tbox: Graph, ontology: Path) -> _Header:
    node = URIRef(ONTOLOGY_IRI)
    if (node, RDF.type, OWL.Ontology) not in tbox:
        raise ReleaseError(
            f"{relative(ontology)}: no owl:Ontology header for <{ONTOLOGY_IRI}> "
            "(hint: the ontology's IRI is set in mmkg.namespaces.ONTOLOGY_IRI)"
        )
    version_iri = tbox.value(node, OWL.versionIRI)
    version_info = tbox.value(node, OWL.versionInfo)
    license_ = tbox.value(node, DCTERMS.license)
    return _Header(
        version_iri=str(version_iri) if version_iri else "",
        version_info=str(version_info) if version_info else "",
        license=license_ if isinstance(license_, URIRef) else None,
        creators=list(tbox.objects(node, DCTERMS.creator)),  # type: ignore[arg-type]
        sources=[o for o in tbox.objects(node, DCTERMS.source) if isinstance(o, URIRef)],
    )


def _issued() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when it is set (for reproducible releases)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(UTC).replace(microsecond=0)


def _replace_header(graph: Graph, header: _Header, version: str, issued: datetime) -> None:
    """Give the whole graph its own ontology header in place of the ontology's."""
    old = URIRef(ONTOLOGY_IRI)
    graph.remove((old, None, None))
    node = URIRef(DATA_IRI)
    graph.add((node, RDF.type, OWL.Ontology))
    graph.add((node, OWL.versionIRI, URIRef(f"{DATA_IRI}/{version}")))
    graph.add((node, OWL.versionInfo, Literal(version)))
    graph.add((node, RDFS.label, Literal("mmkg knowledge graph", lang="en")))
    graph.add((node, DCTERMS.title, Literal(_TITLE, lang="en")))
    graph.add((node, DCTERMS.description, Literal(_DESCRIPTION, lang="en")))
    graph.add(
        (
            node,
            RDFS.comment,
            Literal(
                f"Holds every axiom of the mmkg ontology <{ONTOLOGY_IRI}> "
                f"(version {header.version_info or 'unversioned'}) together with the data, and "
                "imports nothing, so that it loads on its own and offline.",
                lang="en",
            ),
        )
    )
    if header.license is not None:
        graph.add((node, DCTERMS.license, header.license))
    for creator in header.creators:
        graph.add((node, DCTERMS.creator, creator))
    for source in header.sources:
        graph.add((node, DCTERMS.source, source))


_TITLE = "mmkg: a knowledge graph of multimodal large language models"
_DESCRIPTION = (
    "The multimodal large language models of the MM-LLMs survey (Zhang et al., arXiv "
    "2401.13601) and its tracking website: their components and the role each plays, the "
    "modalities they read and write, their lineage, the datasets they were trained and tested "
    "on, their benchmark scores, and the papers, venues and organisations behind them. Every "
    "fact names its source."
)


def _write_docs(tbox: Graph, target: Path) -> None:
    """HTML documentation of the ontology with pyLODE; self-contained (no scripts from a CDN)."""
    graph = _docs_graph(tbox)
    # pyLODE calls logging.basicConfig(level=DEBUG) when imported and logs through the root
    # logger; a handler on the root logger makes basicConfig a no-op, and the level is restored.
    root = logging.getLogger()
    level = root.level
    guard = logging.NullHandler()
    root.addHandler(guard)
    try:
        from pylode import OntPub  # heavy; imported only here

        html = OntPub(ontology=graph).make_html()
    except Exception as exc:  # noqa: BLE001 - pyLODE raises anything; report it as ours
        raise ReleaseError(
            f"pyLODE could not document the ontology: {type(exc).__name__}: {exc}"
        ) from exc
    finally:
        root.removeHandler(guard)
        root.setLevel(level)
    # pyLODE links terms of the page by their IRI in some places; point those at the page.
    anchors = dict(
        (m["iri"], m["id"])
        for m in re.finditer(
            r'id="(?P<id>[^"]+)">\s*<h3>.*?<th>IRI</th>\s*<td>\s*<code>(?P<iri>[^<]+)</code>',
            html,
            flags=re.S,
        )
    )
    html = re.sub(
        r'href="([^"#][^"]*)"',
        lambda m: f'href="#{anchors[m[1]]}"' if m[1] in anchors else m[0],
        html,
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")


def _docs_graph(tbox: Graph) -> Graph:
    """A copy of *tbox* whose class expressions are written out in Manchester syntax.

    pyLODE (3.x, issue #231) fails on nested class expressions such as a union inside an
    intersection, and renders no complement or enumeration; so every class definition
    (owl:equivalentClass, rdfs:subClassOf) and any domain or range it could not render is given
    to it as Markdown text, the way Protégé shows it.
    """
    graph = Graph()
    for prefix, namespace in tbox.namespaces():
        graph.bind(prefix, namespace)
    for triple in tbox:
        graph.add(triple)
    for prop in (OWL.equivalentClass, RDFS.subClassOf, RDFS.domain, RDFS.range):
        for subject, expression in list(graph.subject_objects(prop)):
            if not isinstance(expression, BNode):
                continue
            if prop in (RDFS.domain, RDFS.range) and _flat(graph, expression):
                continue
            text = _manchester(graph, expression, top=True)
            graph.remove((subject, prop, expression))
            _remove_tree(graph, expression)
            graph.add((subject, prop, Literal(text)))
    return graph


def _flat(graph: Graph, node: BNode) -> bool:
    """Whether pyLODE renders this expression: a union or intersection of named classes."""
    members = graph.value(node, OWL.unionOf) or graph.value(node, OWL.intersectionOf)
    return members is not None and all(
        isinstance(m, URIRef)
        for m in Collection(graph, members)  # type: ignore[arg-type]
    )


_RESTRICTIONS = {
    OWL.someValuesFrom: "some",
    OWL.allValuesFrom: "only",
    OWL.hasValue: "value",
    OWL.minQualifiedCardinality: "min",
    OWL.maxQualifiedCardinality: "max",
    OWL.qualifiedCardinality: "exactly",
    OWL.minCardinality: "min",
    OWL.maxCardinality: "max",
    OWL.cardinality: "exactly",
}


def _manchester(graph: Graph, node: object, top: bool = False) -> str:
    """A class expression in Manchester syntax, as Markdown with links to the terms."""
    if isinstance(node, URIRef):
        label = graph.value(node, RDFS.label)
        name = str(label) if label else re.split(r"[#/]", str(node).rstrip("/#"))[-1]
        return f"[{name}]({node})"
    if isinstance(node, Literal):
        return str(node)
    text = "?"
    for prop, word in ((OWL.intersectionOf, "and"), (OWL.unionOf, "or")):
        members = graph.value(node, prop)
        if members is not None:
            parts = [_manchester(graph, m) for m in Collection(graph, members)]  # type: ignore
            text = f" **{word}** ".join(parts)
    if (members := graph.value(node, OWL.oneOf)) is not None:
        items = ", ".join(_manchester(graph, m) for m in Collection(graph, members))  # type: ignore
        return "{" + items + "}"
    if (inner := graph.value(node, OWL.complementOf)) is not None:
        return f"**not** {_manchester(graph, inner)}"
    on_property = graph.value(node, OWL.onProperty)
    if on_property is not None:
        for prop, word in _RESTRICTIONS.items():
            value = graph.value(node, prop)
            if value is None:
                continue
            filler = graph.value(node, OWL.onClass) or graph.value(node, OWL.onDataRange)
            if isinstance(value, Literal) and prop not in (OWL.hasValue,):
                text = f"{_manchester(graph, on_property)} **{word}** {value}"
                text += f" {_manchester(graph, filler)}" if filler is not None else ""
            else:
                text = f"{_manchester(graph, on_property)} **{word}** {_manchester(graph, value)}"
            break
    return text if top else f"({text})"


def _remove_tree(graph: Graph, node: BNode) -> None:
    """Remove a blank node's triples and, recursively, those of the blank nodes it uses."""
    for _, _, obj in list(graph.triples((node, None, None))):
        graph.remove((node, None, obj))
        if isinstance(obj, BNode) and not any(graph.subjects(None, obj)):
            _remove_tree(graph, obj)


def _void(
    graph: Graph, folder: Path, header: _Header, version: str, issued: datetime, entry: str
) -> Graph:
    """A VoID and DCAT description of the dataset and of every file of the release."""
    void = Graph()
    for prefix, ns in (
        ("void", VOID),
        ("dcat", DCAT),
        ("dcterms", DCTERMS),
        ("adms", ADMS),
        ("spdx", SPDX),
        ("owl", OWL),
        ("xsd", XSD),
    ):
        void.bind(prefix, ns)
    node = URIRef(DATA_IRI)
    for kind in (DCAT.Dataset, VOID.Dataset):
        void.add((node, RDF.type, kind))
    void.add((node, DCTERMS.title, Literal(_TITLE, lang="en")))
    void.add((node, DCTERMS.description, Literal(_DESCRIPTION, lang="en")))
    if header.license is not None:
        void.add((node, DCTERMS.license, header.license))
    for creator in header.creators:
        void.add((node, DCTERMS.creator, creator))
    for source in header.sources:
        void.add((node, DCTERMS.source, source))
    void.add((node, DCAT_VERSION, Literal(version)))
    void.add((node, OWL.versionInfo, Literal(version)))
    void.add((node, ADMS.versionNotes, Literal(entry, lang="en")))
    void.add((node, DCTERMS.issued, Literal(issued.isoformat(), datatype=XSD.dateTime)))
    void.add((node, DCTERMS.conformsTo, URIRef(ONTOLOGY_IRI)))
    void.add((node, VOID.uriSpace, Literal(DATA)))
    for vocabulary in (ONTOLOGY_IRI + "#", str(PROV), str(SKOS), str(DCTERMS), str(VANN)):
        void.add((node, VOID.vocabulary, URIRef(vocabulary)))

    individuals = {s for s in graph.subjects(RDF.type, OWL.NamedIndividual)}
    classes: dict[URIRef, set] = {}
    for s, o in graph.subject_objects(RDF.type):
        if s in individuals and isinstance(o, URIRef) and o != OWL.NamedIndividual:
            classes.setdefault(o, set()).add(s)
    properties: dict[URIRef, int] = {}
    for p in graph.predicates():
        properties[p] = properties.get(p, 0) + 1  # type: ignore[index]
    _count(void, node, VOID.triples, len(graph))
    _count(void, node, VOID.entities, len(individuals))
    _count(void, node, VOID.classes, len(classes))
    _count(void, node, VOID.properties, len(properties))
    _count(void, node, VOID.distinctSubjects, len(set(graph.subjects())))
    _count(void, node, VOID.distinctObjects, len(set(graph.objects())))
    for cls in sorted(classes):
        part = BNode()
        void.add((node, VOID.classPartition, part))
        void.add((part, VOID["class"], cls))
        _count(void, part, VOID.entities, len(classes[cls]))
    for prop in sorted(properties):
        part = BNode()
        void.add((node, VOID.propertyPartition, part))
        void.add((part, VOID.property, prop))
        _count(void, part, VOID.triples, properties[prop])

    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        dist = BNode()
        void.add((node, DCAT.distribution, dist))
        void.add((dist, RDF.type, DCAT.Distribution))
        void.add((dist, DCTERMS.title, Literal(name)))
        if name in DESCRIPTIONS:
            void.add((dist, DCTERMS.description, Literal(DESCRIPTIONS[name], lang="en")))
        void.add((dist, DCAT.downloadURL, URIRef(name)))
        void.add((dist, DCAT.mediaType, URIRef(IANA + MEDIA_TYPES[path.suffix])))
        void.add(
            (dist, DCAT.byteSize, Literal(path.stat().st_size, datatype=XSD.nonNegativeInteger))
        )
        checksum = BNode()
        void.add((dist, SPDX.checksum, checksum))
        void.add((checksum, RDF.type, SPDX.Checksum))
        void.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        void.add((checksum, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary)))
        if name in {"mmkg.owl", "mmkg.ttl", "mmkg.jsonld"}:
            void.add((node, VOID.dataDump, URIRef(name)))
    return void


def _count(graph: Graph, node: URIRef | BNode, prop: URIRef, number: int) -> None:
    graph.add((node, prop, Literal(number, datatype=XSD.integer)))
