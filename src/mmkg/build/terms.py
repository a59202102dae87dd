"""The terms of a build: IRIs, properties per field and link kind, literal forms, blank nodes.

The builder makes Oxigraph terms (a store takes them as they are; an rdflib graph gets them
converted by its sink): a term made by rdflib and converted cost half a build's time.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rdflib_namespace
from rdflib.namespace import DefinedNamespace

from mmkg.errors import MmkgError, relative
from mmkg.namespaces import DATA, ID
from mmkg.namespaces import MMKG as MMKG_TERMS
from mmkg.namespaces import ORG as ORG_TERMS
from mmkg.namespaces import SKOS as SKOS_TERMS

Triple = tuple[Any, Any, Any]


class Terms:
    """The terms of one namespace as Oxigraph named nodes, each made once, on first use.

    >>> Terms("urn:x#").a == ox.NamedNode("urn:x#a")
    True
    >>> Terms("urn:x#", closed=rdflib_namespace.RDF).typo
    Traceback (most recent call last):
    ...
    AttributeError: term 'typo' not in namespace 'http://www.w3.org/1999/02/22-rdf-syntax-ns#'
    """

    def __init__(self, base: str, closed: type[DefinedNamespace] | None = None) -> None:
        self._base = str(closed) if closed is not None else base
        self._closed = closed

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._closed is not None and name not in self._closed.__annotations__:
            raise AttributeError(f"term {name!r} not in namespace {self._base!r}")
        node = ox.NamedNode(self._base + name)
        setattr(self, name, node)  # the next lookup is a plain attribute read
        return node

    def __getitem__(self, name: str) -> ox.NamedNode:
        return ox.NamedNode(self._base + name)


MMKG = Terms("", closed=MMKG_TERMS)
RDF = Terms("", closed=rdflib_namespace.RDF)
RDFS = Terms("", closed=rdflib_namespace.RDFS)
OWL = Terms("", closed=rdflib_namespace.OWL)
XSD = Terms("", closed=rdflib_namespace.XSD)
DCTERMS = Terms("", closed=rdflib_namespace.DCTERMS)
SKOS = Terms(str(SKOS_TERMS))
ORG = Terms(str(ORG_TERMS))
IDS = Terms(DATA)

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


def named(kind: str, slug: str) -> ox.NamedNode:
    """:func:`iri` as the builder's Oxigraph term."""
    return ox.NamedNode(f"{DATA}{kind}/{slug}")


def literal(
    value: str | bool | int | datetime.date,
    lang: str | None = None,
    datatype: ox.NamedNode | None = None,
) -> ox.Literal:
    """The literal rdflib's ``Literal(value, lang=, datatype=)`` makes, as an Oxigraph term.

    Only the forms the builder uses: a string (plain, tagged or typed), a boolean, an integer
    with its datatype, and a date as an xsd:dateTime at midnight (rdflib's normal form).

    >>> [str(literal(v)) for v in (True, "a")]
    ['"true"^^<http://www.w3.org/2001/XMLSchema#boolean>', '"a"']
    >>> literal(datetime.date(2023, 4, 17), datatype=XSD.dateTime).value
    '2023-04-17T00:00:00'
    """
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=XSD.boolean)
    if isinstance(value, datetime.date) and datatype == XSD.dateTime:
        lexical = str(Literal(value.isoformat(), datatype=URIRef(datatype.value)))
        return ox.Literal(lexical, datatype=datatype)
    if isinstance(value, int) and datatype == XSD.integer:
        return ox.Literal(str(value), datatype=datatype)
    if isinstance(value, str):
        if lang:
            return ox.Literal(value, language=lang)
        return ox.Literal(value, datatype=datatype) if datatype else ox.Literal(value)
    raise TypeError(f"no literal form for {value!r} with datatype {datatype}")


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


def _n3(term: ox.NamedNode | ox.Literal) -> str:
    """rdflib's N3 form of a term (it quotes a literal with a line break its own way)."""
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        plain = term.language or datatype == "http://www.w3.org/2001/XMLSchema#string"
        return Literal(
            term.value, lang=term.language, datatype=None if plain else URIRef(datatype)
        ).n3()
    return str(term)


def axiom_node(node: ox.NamedNode, prop: ox.NamedNode, target: Any) -> ox.BlankNode:  # noqa: ANN401
    """The blank node of the axiom annotating one triple, named from the triple.

    A fixed name makes two builds of the same data write the same N-Triples, and lets
    sources that annotate one triple share one axiom.
    """
    key = f"{node} {prop} {_n3(target)}".encode()
    return ox.BlankNode("ax" + hashlib.sha1(key).hexdigest())


def rdf_list(
    add: Callable[[Triple], None], name: str, items: list[ox.NamedNode]
) -> ox.NamedNode | ox.BlankNode:
    """An rdf:List of *items*, added through *add*, with cells named after *name* and position."""
    rest: ox.NamedNode | ox.BlankNode = RDF.nil
    for position in reversed(range(len(items))):
        cell = ox.BlankNode(f"{name}-{position}")
        add((cell, RDF.first, items[position]))
        add((cell, RDF.rest, rest))
        rest = cell
    return rest


def decimal(number: float) -> ox.Literal:
    """The xsd:decimal literal of *number*, always with a decimal point ('9000.0', '1.5').

    rdflib's Turtle writer gives a decimal without a point one ('9000' becomes 9000.0), so
    this form keeps the RDF/XML and Turtle files of one ontology holding the very same
    literals (the OWL API refuses two files of one ontology whose literals differ).

    >>> [decimal(n).value for n in (9000.0, 1.5, 0.25, 7e9, 0)]
    ['9000.0', '1.5', '0.25', '7000000000.0', '0.0']
    """
    text = f"{number:.6f}".rstrip("0")
    return ox.Literal(text + "0" if text.endswith(".") else text, datatype=XSD.decimal)


#: The prefixes the serialisations use: the ontology's terms and one per kind of individual.
PREFIXES = {
    "mmkg": str(MMKG_TERMS),
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
