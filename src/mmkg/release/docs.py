"""HTML documentation of the ontology with pyLODE, written the same way every time."""

from __future__ import annotations

import logging
import re
from html import escape
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from mmkg.outputs import canonical_graph
from mmkg.release.changelog import ReleaseError

__all__ = ["write_docs"]


def write_docs(tbox: Graph, target: Path) -> None:
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

        html = OntPub(ontology=canonical_graph(graph)).make_html()
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
    html = _UNION_RUN.sub(_sorted_union, html)
    html = _polish(html, tbox, anchors)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")


# pyLODE lists the members of a union or intersection from a Python set of page elements, in
# an order that changes from run to run; the members of each such run are put in name order.
_UNION_ITEM = r"<span>\s*<a [^>]*>[^<]*</a>\s*(?:<sup [^>]*>[^<]*</sup>\s*)?</span>"
_UNION_SEPARATOR = r'\s*<span class="cardinality">(?:or|and)</span>\s*'
_UNION_RUN = re.compile(f"{_UNION_ITEM}(?:{_UNION_SEPARATOR}{_UNION_ITEM})+")


def _sorted_union(match: re.Match[str]) -> str:
    text = match[0]
    items = re.findall(_UNION_ITEM, text)
    separators = re.findall(_UNION_SEPARATOR, text)
    ordered = sorted(items, key=lambda item: re.sub(r"<[^>]+>|\s+", "", item).lower())
    out = ordered[0]
    for separator, item in zip(separators, ordered[1:], strict=True):
        out += separator + item
    return out


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
    # pyLODE writes the header's rdfs:label after its dcterms:title in one heading; one title
    for header in tbox.subjects(RDF.type, OWL.Ontology):
        if (header, DCTERMS.title, None) in graph:
            graph.remove((header, RDFS.label, None))
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


# --- what pyLODE leaves out ---------------------------------------------------------------

_CHARACTERISTICS = {
    OWL.TransitiveProperty: "transitive",
    OWL.FunctionalProperty: "functional",
    OWL.InverseFunctionalProperty: "inverse functional",
    OWL.SymmetricProperty: "symmetric",
    OWL.AsymmetricProperty: "asymmetric",
    OWL.ReflexiveProperty: "reflexive",
    OWL.IrreflexiveProperty: "irreflexive",
}


def _local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def _polish(html: str, tbox: Graph, anchors: dict[str, str]) -> str:
    """Stable anchors, disjointness, property characteristics and a class tree on the page.

    pyLODE names each section after the term's label, so an anchor changed whenever a label
    did; every term's anchor becomes its IRI's local name (``#AnyToAnyModel``). Each class
    gets a "Disjoint with" row and each property a "Characteristics" row (transitive,
    functional ...), which pyLODE does not render, and a class hierarchy opens the classes.
    """
    taken = {_local_name(iri) for iri in anchors}
    renames = {}
    for iri, old in anchors.items():
        new = _local_name(iri)
        if (
            new != old
            and len(taken) == len(anchors)
            and not re.search(rf'id="{re.escape(new)}"', html)
        ):
            renames[old] = new
    if renames:
        html = re.sub(
            r'(id="|href="#)([^"]+)"',
            lambda m: f'{m[1]}{renames.get(m[2], m[2])}"',
            html,
        )
        anchors = {iri: renames.get(old, old) for iri, old in anchors.items()}
    # pyLODE writes a functional property twice (among the properties and again among the
    # functional ones) under one id; the second section's id gets a suffix, links keep the first
    seen: set[str] = set()

    def unique(match: re.Match[str]) -> str:
        name = match[1]
        if name in seen:
            return f'id="{name}-functional"'
        seen.add(name)
        return match[0]

    html = re.sub(r'id="([^"]+)"', unique, html)
    disjoint: dict[URIRef, set[URIRef]] = {}
    for a, b in tbox.subject_objects(OWL.disjointWith):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            disjoint.setdefault(a, set()).add(b)
            disjoint.setdefault(b, set()).add(a)
    for axiom in tbox.subjects(RDF.type, OWL.AllDisjointClasses):
        members = [
            m for m in Collection(tbox, tbox.value(axiom, OWL.members)) if isinstance(m, URIRef)
        ]  # type: ignore[arg-type]
        for m in members:
            disjoint.setdefault(m, set()).update(x for x in members if x != m)

    def link(iri: URIRef) -> str:
        label = tbox.value(iri, RDFS.label) or _local_name(str(iri))
        target = f"#{anchors[str(iri)]}" if str(iri) in anchors else str(iri)
        return f'<a href="{escape(target)}">{escape(str(label))}</a>'

    def rows(match: re.Match[str]) -> str:
        iri = URIRef(match["iri"])
        extra = ""
        if iri in disjoint:
            links = ", ".join(link(o) for o in sorted(disjoint[iri]))
            extra += _row("Disjoint with", links)
        kinds = sorted(
            word for kind, word in _CHARACTERISTICS.items() if (iri, RDF.type, kind) in tbox
        )
        if kinds:
            extra += _row("Characteristics", escape(", ".join(kinds)))
        return match[0] + extra

    html = re.sub(
        r"<th>IRI</th>\s*<td>\s*<code>(?P<iri>[^<]+)</code>\s*</td>\s*</tr>",
        rows,
        html,
    )
    return html.replace(
        '<div class="section" id="classes">',
        _class_tree(tbox, link) + '\n      <div class="section" id="classes">',
        1,
    )


def _row(heading: str, cell: str) -> str:
    return (
        f"\n            <tr>\n              <th>{heading}</th>\n              <td>{cell}</td>"
        "\n            </tr>"
    )


def _class_tree(tbox: Graph, link) -> str:  # type: ignore[no-untyped-def]
    """The named classes as nested lists by rdfs:subClassOf, deprecated classes left out."""
    classes = {
        c
        for c in tbox.subjects(RDF.type, OWL.Class)
        if isinstance(c, URIRef) and (c, OWL.deprecated, None) not in tbox
    }
    parents: dict[URIRef, list[URIRef]] = {}
    for c in classes:
        named = set(tbox.objects(c, RDFS.subClassOf))
        for expression in tbox.objects(c, OWL.equivalentClass):  # a defined class's genus
            members = tbox.value(expression, OWL.intersectionOf)
            if members is not None:
                named |= set(Collection(tbox, members))  # type: ignore[arg-type]
        parents[c] = sorted(p for p in named if p in classes and p != c)
    children: dict[URIRef, list[URIRef]] = {}
    for c, ps in parents.items():
        for p_ in ps:
            children.setdefault(p_, []).append(c)

    def label(c: URIRef) -> str:
        return str(tbox.value(c, RDFS.label) or _local_name(str(c))).casefold()

    def branch(c: URIRef, seen: frozenset[URIRef]) -> str:
        below = [x for x in sorted(children.get(c, []), key=label) if x not in seen]
        inner = "".join(branch(x, seen | {x}) for x in below)
        return f"<li>{link(c)}" + (f"<ul>{inner}</ul>" if inner else "") + "</li>"

    roots = sorted((c for c in classes if not parents[c]), key=label)
    items = "".join(branch(c, frozenset({c})) for c in roots)
    return (
        '      <div class="section" id="class-hierarchy">\n'
        "        <h2>Class hierarchy</h2>\n"
        f'        <ul class="class-tree">{items}</ul>\n'
        "      </div>"
    )
