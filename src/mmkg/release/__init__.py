"""Records + ontology -> a Protégé-ready release folder, written atomically and reproducibly.

The release holds three ontologies, each under its own IRI (see :mod:`mmkg.layers`): the
ontology alone (``mmkg-ontology.owl``, ``.ttl``), the data alone (``mmkg-data.owl``, ``.ttl``,
which imports the ontology) and the full graph (``mmkg.owl``, ``.ttl``, ``.jsonld``: both
merged, importing nothing). Beside them: an XML catalog that resolves every ontology and
version IRI to its file offline, the SHACL shapes, HTML documentation of the ontology made with
pyLODE, a VoID/DCAT description of the dataset, ``VERSION`` and ``CHANGELOG.md``.

Each header carries a version IRI with the package version and the release date, the prior
version, and created/issued/modified dates, all read from the changelog, never from the clock;
graphs are written through :func:`mmkg.outputs.canonical_graph`, so two releases of the same
input are byte for byte the same.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from mmkg import __version__
from mmkg.errors import relative
from mmkg.layers import (
    DATA_IRI,
    FULL_IRI,
    OntologyHeader,
    data_layer,
    ontology_header,
    version_iri,
)
from mmkg.namespaces import ONTOLOGY_IRI
from mmkg.outputs import canonical_graph, check_output_folder, staged_folder, write_graph
from mmkg.paths import BUILD_DIR, ONTOLOGY_FILE, PROJECT_ROOT
from mmkg.release.changelog import ReleaseDates, ReleaseError, changelog_entry, release_dates
from mmkg.release.docs import write_docs
from mmkg.release.void import void_description
from mmkg.validate import checked_build

__all__ = [
    "ReleaseError",
    "ReleaseReport",
    "release",
    "declared_counts",
    "changelog_entry",
    "release_dates",
    "catalog_xml",
    "DATA_IRI",
    "FULL_IRI",
    "LAYERS",
    "RELEASE_DIR",
    "CHANGELOG_FILE",
    "SHAPES_FILE",
    "MAPPINGS_FILE",
]

RELEASE_DIR = BUILD_DIR / "release"
CHANGELOG_FILE = PROJECT_ROOT / "CHANGELOG.md"
SHAPES_FILE = ONTOLOGY_FILE.parent / "shapes.ttl"
MAPPINGS_FILE = ONTOLOGY_FILE.parent / "mappings.sssom.tsv"
# Each ontology of the release: its IRI and its files, the first one its version IRI names.
LAYERS = {
    ONTOLOGY_IRI: ("mmkg-ontology.owl", "mmkg-ontology.ttl"),
    DATA_IRI: ("mmkg-data.owl", "mmkg-data.ttl"),
    FULL_IRI: ("mmkg.owl", "mmkg.ttl", "mmkg.jsonld"),
}
FORMATS = {".owl": "xml", ".ttl": "turtle", ".jsonld": "json-ld"}
DECLARED_TYPES = {
    "classes": OWL.Class,
    "object_properties": OWL.ObjectProperty,
    "data_properties": OWL.DatatypeProperty,
    "annotation_properties": OWL.AnnotationProperty,
    "individuals": OWL.NamedIndividual,
}


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
    """Load, build and check the graph as `mmkg build` does; write the release folder atomically."""
    start = time.perf_counter()
    check_output_folder(out_dir, "release")  # before the work, not only before the swap
    entry = changelog_entry(changelog, version)
    dates = release_dates(changelog, version)
    shapes = SHAPES_FILE if shapes is None else shapes
    source = Graph().parse(ontology, format="turtle")
    if (URIRef(ONTOLOGY_IRI), RDF.type, OWL.Ontology) not in source:
        raise ReleaseError(
            f"{relative(ontology)}: no owl:Ontology header for <{ONTOLOGY_IRI}> "
            "(hint: the ontology's IRI is set in mmkg.namespaces.ONTOLOGY_IRI)"
        )
    header = ontology_header(source)
    # every check of `mmkg validate`, as `mmkg build` runs them: a release never ships what
    # validation rejects
    graph, _, _ = checked_build(data_dir, ontology, shapes if shapes.exists() else None)
    _release_header(source, ONTOLOGY_IRI, dates)
    _release_header(graph, FULL_IRI, dates)
    tbox = canonical_graph(source)
    full = canonical_graph(graph)
    data = data_layer(full, tbox)
    _data_header(data, header)
    _release_header(data, DATA_IRI, dates)
    notes: list[str] = []

    out_dir = out_dir.resolve()
    with staged_folder(out_dir, "release") as staging:
        for iri, layer in zip(LAYERS, (tbox, data, full), strict=True):
            for name in LAYERS[iri]:
                write_graph(layer, staging / name, FORMATS[Path(name).suffix])
        if shapes.exists():
            shutil.copyfile(shapes, staging / "shapes.ttl")
        else:
            notes.append(f"no shapes.ttl: {relative(shapes)} does not exist yet")
        if MAPPINGS_FILE.exists():
            shutil.copyfile(MAPPINGS_FILE, staging / "mmkg.sssom.tsv")
        catalog: dict[str, str] = {}
        for iri, (main, *_) in LAYERS.items():
            catalog[iri] = main
            catalog[str(version_iri(main, version, dates.issued))] = main
        (staging / "catalog-v001.xml").write_text(catalog_xml(catalog), encoding="utf-8")
        write_docs(source, staging / "docs" / "index.html")
        (staging / "VERSION").write_text(version + "\n", encoding="utf-8")
        shutil.copyfile(changelog, staging / "CHANGELOG.md")
        void = void_description(graph, staging, header, dates, entry)
        write_graph(canonical_graph(void), staging / "void.ttl", "turtle")
        files = sorted(p.relative_to(staging) for p in staging.rglob("*") if p.is_file())
    return ReleaseReport(
        version=version,
        out_dir=out_dir,
        files=[out_dir / f for f in files],
        declared=declared_counts(full),
        ontology_declared=declared_counts(tbox),
        triples=len(full),
        notes=notes,
        seconds=time.perf_counter() - start,
    )


def _release_header(graph: Graph, iri: str, dates: ReleaseDates) -> None:
    """Version IRI, version, prior version and dates on the header of one ontology."""
    node = URIRef(iri)
    main = LAYERS[iri][0]
    for prop in (OWL.versionIRI, OWL.versionInfo, OWL.priorVersion):
        graph.remove((node, prop, None))
    for prop in (DCTERMS.created, DCTERMS.issued, DCTERMS.modified):
        graph.remove((node, prop, None))
    graph.add((node, OWL.versionIRI, version_iri(main, dates.version, dates.issued)))
    graph.add((node, OWL.versionInfo, Literal(dates.version)))
    if dates.prior_version and dates.prior_issued:
        prior = version_iri(main, dates.prior_version, dates.prior_issued)
        graph.add((node, OWL.priorVersion, prior))
    graph.add((node, DCTERMS.created, dates.literal(dates.created)))
    graph.add((node, DCTERMS.issued, dates.literal(dates.issued)))
    graph.add((node, DCTERMS.modified, dates.literal(dates.modified)))


def _data_header(data: Graph, header: OntologyHeader) -> None:
    """The data's own header: it imports the ontology (the catalog resolves it offline)."""
    node = URIRef(DATA_IRI)
    data.add((node, RDF.type, OWL.Ontology))
    data.add((node, OWL.imports, URIRef(ONTOLOGY_IRI)))
    data.add((node, RDFS.label, Literal("mmkg knowledge graph (data)", lang="en")))
    data.add(
        (
            node,
            RDFS.comment,
            Literal(
                f"The data of the mmkg knowledge graph alone: its individuals and their facts. "
                f"It imports the ontology <{ONTOLOGY_IRI}> for the terms.",
                lang="en",
            ),
        )
    )
    if header.license is not None:
        data.add((node, DCTERMS.license, header.license))
    for creator in header.creators:
        data.add((node, DCTERMS.creator, creator))
    for source in header.sources:
        data.add((node, DCTERMS.source, source))
