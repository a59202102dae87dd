"""The terms of a build: IRIs, properties per field and link kind, literal forms, blank nodes."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from mmkg.errors import MmkgError, relative
from mmkg.namespaces import ID, MMKG

Triple = tuple[Any, Any, Any]

SERIALISATIONS = {
    "mmkg.ttl": "turtle",
    "mmkg.owl": "xml",
    "mmkg.nt": "nt",
    "mmkg.jsonld": "json-ld",
}
ROLE_PROPERTY = {
    "modality-encoder": MMKG.hasModalityEncoder,
    "input-projector": MMKG.hasInputProjector,
    "llm-backbone": MMKG.hasLLMBackbone,
    "output-projector": MMKG.hasOutputProjector,
    "modality-generator": MMKG.hasModalityGenerator,
}
#: The properties that carry each model field, for field-level provenance.
FIELD_PROPERTIES = {
    "released": [MMKG.releaseDate, MMKG.releaseYear, MMKG.releaseMonth],
    "paper": [MMKG.hasPublication],
    "project_url": [MMKG.projectUrl],
    "code_url": [MMKG.codeUrl],
    "organisations": [MMKG.developedBy],
    "functional_division": [MMKG.hasFunctionalDivision],
    "design_division": [MMKG.hasDesignDivision],
    "input_modalities": [MMKG.hasInputModality],
    "output_modalities": [MMKG.hasOutputModality],
    "taxonomy_category": [MMKG.taxonomyCategory],
    "period": [MMKG.inTimelinePeriod],
    "pretraining_scale": [MMKG.pretrainingScale],
    "instruction_tuning_scale": [MMKG.instructionTuningScale],
    "parameter_counts": [MMKG.releasedSize],
}
LINK_PROPERTY = {
    "new-version-of": MMKG.isNewVersionOf,
    "fine-tuned-from": MMKG.fineTunedFrom,
    "initialised-from": MMKG.initialisedFrom,
    "builds-on": MMKG.buildsOn,
    "uses-backbone": MMKG.usesBackbone,
    "replicates": MMKG.replicates,
    "is-variant-of": MMKG.isVariantOf,
    "extends-modalities-of": MMKG.extendsModalitiesOf,
    "trend-successor-of": MMKG.isTrendSuccessorOf,
    "inspired-by": MMKG.inspiredBy,
    "quantized-from": MMKG.quantizedFrom,
    "adapter-of": MMKG.isAdapterOf,
    "merged-from": MMKG.mergedFrom,
}
DATASET_CLASS = {
    "pre-training": MMKG.PretrainingDataset,
    "instruction-tuning": MMKG.InstructionTuningDataset,
    "benchmark": MMKG.Benchmark,
}
COUNT_PROPERTY = {
    "item": MMKG.itemCount,
    "text": MMKG.textCount,
    "pair": MMKG.pairCount,
    "instance": MMKG.instanceCount,
    "image": MMKG.imageCount,
    "video": MMKG.videoCount,
    "audio": MMKG.audioCount,
}


def iri(kind: str, slug: str) -> URIRef:
    """The stable IRI of an individual of *kind* with *slug*."""
    return ID[f"{kind}/{slug}"]


def parse_turtle(path: Path, what: str = "ontology") -> Graph:
    """The Turtle file *path* as a graph; a missing or broken file is an MmkgError naming it.

    The message names the file and, for a syntax error, the line and its text.
    """
    from rdflib.plugins.parsers.notation3 import BadSyntax

    file = relative(path)
    try:
        return Graph().parse(path, format="turtle")
    except FileNotFoundError as exc:
        raise MmkgError(f"{file}: no such {what} file") from exc
    except OSError as exc:
        raise MmkgError(f"{file}: the {what} file cannot be read: {exc.strerror or exc}") from exc
    except BadSyntax as exc:
        number = getattr(exc, "lines", None)
        line = number + 1 if isinstance(number, int) else None
        why = getattr(exc, "_why", None) or str(exc).splitlines()[0]
        where = f"{file}, line {line}" if line else file
        text = ""
        if line:
            try:
                text = path.read_text(encoding="utf-8").splitlines()[line - 1].strip()
            except (OSError, UnicodeDecodeError, IndexError):
                text = ""
        near = f"; the line reads: {text[:120]!r}" if text else ""
        raise MmkgError(
            f"{where}: the {what} is not valid Turtle: {why}{near} "
            "(hint: fix the Turtle syntax there, e.g. a missing '.', ';' or closing bracket)"
        ) from exc
    except (SyntaxError, ValueError) as exc:  # e.g. not UTF-8, or a bad IRI
        raise MmkgError(f"{file}: the {what} is not valid Turtle: {exc}") from exc


def axiom_node(node: URIRef, prop: URIRef, target: Any) -> BNode:
    """The blank node of the axiom annotating one triple, named from the triple.

    A fixed name makes two builds of the same data write the same N-Triples, and lets
    sources that annotate one triple share one axiom.
    """
    key = f"{node.n3()} {prop.n3()} {target.n3()}".encode()
    return BNode("ax" + hashlib.sha1(key).hexdigest())


def rdf_list(add: Callable[[Triple], None], name: str, items: list[URIRef]) -> BNode:
    """An rdf:List of *items*, added through *add*, with cells named after *name* and position."""
    rest: URIRef | BNode = RDF.nil
    for position in reversed(range(len(items))):
        cell = BNode(f"{name}-{position}")
        add((cell, RDF.first, items[position]))
        add((cell, RDF.rest, rest))
        rest = cell
    return rest  # type: ignore[return-value]


def decimal(number: float) -> Literal:
    """The xsd:decimal literal of *number*, always with a decimal point ('9000.0', '1.5').

    rdflib's Turtle writer gives a decimal without a point one ('9000' becomes 9000.0), so
    this form keeps the RDF/XML and Turtle files of one ontology holding the very same
    literals (the OWL API refuses two files of one ontology whose literals differ).

    >>> [str(decimal(n)) for n in (9000.0, 1.5, 0.25, 7e9, 0)]
    ['9000.0', '1.5', '0.25', '7000000000.0', '0.0']
    """
    text = f"{number:.6f}".rstrip("0")
    return Literal(text + "0" if text.endswith(".") else text, datatype=XSD.decimal)


#: The prefixes the serialisations use: the ontology's terms and one per kind of individual.
PREFIXES = {
    "mmkg": str(MMKG),
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    **{
        kind: f"{ID}{kind}/"
        for kind in (
            "model",
            "component",
            "family",
            "organisation",
            "dataset",
            "modality",
            "role",
            "division",
            "venue",
            "publication",
            "period",
            "usage",
        )
    },
}
