"""Rules from the ontology: each class axiom of the graph translated into SPARQL.

Each class axiom is read from the graph and translated, in the manner of the OWL 2 RL rules,
into SPARQL updates that add class (and property) assertions to the inferred graph, and into
check queries that must match nothing. A defined class (``C owl:equivalentClass E``) gives a
rule "members of E are members of C"; its class expression is translated construct by
construct. A construct or axiom the translation does not know stops the run with its name,
so a new definition is never silently left out.
"""

from __future__ import annotations

import graphlib
import itertools
from dataclasses import dataclass

import pyoxigraph as ox

from mmkg.reason.errors import ReasoningError
from mmkg.reason.rules import (
    LISTED,
    NOTHING,
    OWL,
    RDF,
    RDFS,
    THING,
    Check,
    Rule,
    RuleSet,
    short,
)
from mmkg.reason.store import ASSERTED

__all__ = ["Expr", "UNSUPPORTED", "compile_rules"]

#: Axioms the translation does not know: any of them in the graph stops the rules engine.
UNSUPPORTED = (
    "propertyChainAxiom",
    "hasKey",
    "disjointUnionOf",
    "propertyDisjointWith",
    "sameAs",
    "sourceIndividual",
    "hasSelf",
    "onDataRange",
    "ReflexiveProperty",
    "IrreflexiveProperty",
    "AsymmetricProperty",
    "InverseFunctionalProperty",
    "AllDisjointProperties",
)


@dataclass(frozen=True)
class Expr:
    """An OWL class expression: its kind, property or class IRI, value, parts and number."""

    kind: str  # class, and, or, one-of, has-value, some, at-least, at-most, only, not
    iri: str = ""
    value: str = ""
    parts: tuple[Expr, ...] = ()
    n: int = 0


class _Compiler:
    """Reads the axioms of the asserted graph and translates them into rules and checks."""

    def __init__(self, store: ox.Store, inferred_supers: dict[str, set[str]]) -> None:
        self.store = store
        self.names = (f"?v{i}" for i in itertools.count())
        self.out = RuleSet()
        self.supers = self._hierarchy(inferred_supers)

    # reading the graph -----------------------------------------------------------------

    def _objects(self, subject: ox.Term, predicate: str) -> list[ox.Term]:
        quads = self.store.quads_for_pattern(subject, ox.NamedNode(predicate), None, ASSERTED)
        return [q.object for q in quads]

    def _pairs(self, predicate: str) -> list[tuple[ox.Term, ox.Term]]:
        quads = self.store.quads_for_pattern(None, ox.NamedNode(predicate), None, ASSERTED)
        return [(q.subject, q.object) for q in quads]

    def _typed(self, cls: str) -> list[ox.Term]:
        rdf_type, node = ox.NamedNode(RDF + "type"), ox.NamedNode(cls)
        return [q.subject for q in self.store.quads_for_pattern(None, rdf_type, node, ASSERTED)]

    def _list(self, head: ox.Term) -> list[ox.Term]:
        items: list[ox.Term] = []
        while head != ox.NamedNode(RDF + "nil"):
            first, rest = self._objects(head, RDF + "first"), self._objects(head, RDF + "rest")
            if len(first) != 1 or len(rest) != 1:
                raise ReasoningError("the rules engine cannot read a malformed RDF list")
            items.append(first[0])
            head = rest[0]
        return items

    def _hierarchy(self, inferred: dict[str, set[str]]) -> dict[str, set[str]]:
        edges: dict[str, set[str]] = {c: set(s) for c, s in inferred.items()}
        for sub, sup in self._pairs(RDFS + "subClassOf"):
            if isinstance(sub, ox.NamedNode) and isinstance(sup, ox.NamedNode):
                edges.setdefault(sub.value, set()).add(sup.value)
        for one, other in self._pairs(OWL + "equivalentClass"):
            if isinstance(one, ox.NamedNode) and isinstance(other, ox.NamedNode):
                edges.setdefault(one.value, set()).add(other.value)
                edges.setdefault(other.value, set()).add(one.value)
        return {c: sups - {THING} for c, sups in _closure(edges).items()}

    def _expr(self, node: ox.Term, where: str) -> Expr:
        """The class expression at *node*; *where* names the axiom, for messages."""
        if isinstance(node, ox.NamedNode):
            return Expr("class", node.value)
        if not isinstance(node, ox.BlankNode):
            raise ReasoningError(f"the rules engine cannot read {node} as a class ({where})")
        for kind, predicate in (("and", "intersectionOf"), ("or", "unionOf")):
            for head in self._objects(node, OWL + predicate):
                return Expr(kind, parts=tuple(self._expr(p, where) for p in self._list(head)))
        for head in self._objects(node, OWL + "oneOf"):
            members = self._list(head)
            if not all(isinstance(m, ox.NamedNode) for m in members):
                raise ReasoningError(f"the rules engine cannot translate a data oneOf ({where})")
            return Expr("one-of", parts=tuple(Expr("class", m.value) for m in members))
        for inner in self._objects(node, OWL + "complementOf"):
            return Expr("not", parts=(self._expr(inner, where),))
        props = self._objects(node, OWL + "onProperty")
        if len(props) != 1 or not isinstance(props[0], ox.NamedNode):
            raise ReasoningError(
                f"the rules engine cannot translate a class expression in {where} "
                "(only intersection, union, oneOf, complementOf and restrictions on a named "
                "property are translated); use --engine hermit"
            )
        prop = props[0].value
        for value in self._objects(node, OWL + "hasValue"):
            return Expr("has-value", prop, value=str(value))
        filler = self._filler(node, where)
        for kind, predicate in (("some", "someValuesFrom"), ("only", "allValuesFrom")):
            for cls in self._objects(node, OWL + predicate):
                return Expr(kind, prop, parts=(self._expr(cls, where),))
        for kind, predicates in (
            ("at-least", ("minQualifiedCardinality", "minCardinality")),
            ("at-most", ("maxQualifiedCardinality", "maxCardinality")),
        ):
            for predicate in predicates:
                for number in self._objects(node, OWL + predicate):
                    return Expr(kind, prop, parts=(filler,), n=int(number.value))
        for predicate in ("qualifiedCardinality", "cardinality"):
            for number in self._objects(node, OWL + predicate):
                n = int(number.value)
                return Expr(
                    "and",
                    parts=(
                        Expr("at-least", prop, parts=(filler,), n=n),
                        Expr("at-most", prop, parts=(filler,), n=n),
                    ),
                )
        raise ReasoningError(f"the rules engine cannot translate a restriction in {where}")

    def _filler(self, node: ox.Term, where: str) -> Expr:
        for cls in self._objects(node, OWL + "onClass"):
            return self._expr(cls, where)
        return Expr("class", THING)

    # translating -----------------------------------------------------------------------

    def _var(self) -> str:
        return next(self.names)

    def _type(self, var: str, cls: str, skip: set[str] | frozenset[str] = frozenset()) -> str:
        """Triples that put *var* in *cls* and every superclass of it not in *skip*."""
        names = [cls, *sorted(self.supers.get(cls, set()) - skip)]
        return " ".join(f"{var} a <{c}> ." for c in names if c != THING)

    def _required(self, e: Expr) -> set[str]:
        """The named classes (and their superclasses) every member of *e* is stated to be in."""
        if e.kind == "class":
            return {e.iri} | self.supers.get(e.iri, set())
        if e.kind == "and":
            return set().union(*(self._required(p) for p in e.parts))
        return set()

    def _different(self, a: str, b: str) -> str:
        """A filter that holds when *a* and *b* are known to be different individuals."""
        branches = [
            f"{a} <{LISTED}> ?ad_ . {b} <{LISTED}> ?ad_ .",
            f"{a} <{OWL}differentFrom> {b} .",
            f"{b} <{OWL}differentFrom> {a} .",
        ]
        if self.out.disjoint:
            pairs = " ".join(f"(<{c}> <{d}>)" for c, d in sorted(self.out.disjoint))
            branches.append(f"{a} a ?dc1_ . {b} a ?dc2_ . VALUES (?dc1_ ?dc2_) {{ {pairs} }}")
        union = " UNION ".join("{ " + b_ + " }" for b_ in branches)
        return f"FILTER(!sameTerm({a}, {b}) && EXISTS {{ {union} }})"

    def _values(self, var: str, prop: str, n: int, filler: Expr) -> str:
        """A pattern for *n* pairwise different values of *prop* on *var* in *filler*."""
        ys = [self._var() for _ in range(n)]
        text = [f"{var} <{prop}> {y} . {self.pattern(filler, y, bound=True)}" for y in ys]
        text += [self._different(a, b) for a, b in itertools.combinations(ys, 2)]
        return " ".join(text)

    def pattern(self, e: Expr, var: str, bound: bool = False) -> str:
        """A SPARQL pattern that matches when *var* is a member of *e* (what suffices)."""
        if e.kind == "class":
            if e.iri == THING:
                if not bound:
                    raise ReasoningError("the rules engine cannot translate owl:Thing alone")
                return ""
            return "FILTER(false)" if e.iri == NOTHING else f"{var} a <{e.iri}> ."
        if e.kind == "and":
            text = []
            for part in sorted(e.parts, key=lambda p: p.kind == "not"):
                text.append(self.pattern(part, var, bound))
                bound = True
            return " ".join(text)
        if e.kind == "or":
            return " UNION ".join("{ " + self.pattern(p, var, bound) + " }" for p in e.parts)
        if e.kind == "one-of":
            return f"VALUES {var} {{ {' '.join(f'<{p.iri}>' for p in e.parts)} }}"
        if e.kind == "has-value":
            return f"{var} <{e.iri}> {e.value} ."
        if e.kind == "some":
            y = self._var()
            return f"{var} <{e.iri}> {y} . {self.pattern(e.parts[0], y, bound=True)}"
        if e.kind == "at-least" and e.n >= 1:
            return self._values(var, e.iri, e.n, e.parts[0])
        if e.kind == "not" and bound:
            inner = e.parts[0]
            if inner.kind == "one-of":
                return " ".join(self._different(var, f"<{m.iri}>") for m in inner.parts)
            if inner.kind == "class":  # a member of a class disjoint with it or a superclass
                above = {inner.iri} | self.supers.get(inner.iri, set())
                others = {d for c, d in self.out.disjoint if c in above}
                if others:
                    values = " ".join(f"<{d}>" for d in sorted(others))
                    y = self._var()
                    return f"{var} a {y} . VALUES {y} {{ {values} }}"
        raise ReasoningError(
            f"the rules engine cannot translate a '{e.kind}' class expression as a sufficient "
            "condition (it would need reasoning the OWL 2 RL rules do not do); "
            "use --engine hermit"
        )

    def necessary(self, e: Expr, where: str, var: str, source: str) -> None:
        """Rules and checks for what follows when *where* puts *var* in *e*."""
        if e.kind == "class" and e.iri == NOTHING:
            self.out.checks.append(Check(source, where))
        elif e.kind == "class" and e.iri != THING:
            self.out.rules.append(Rule(source, where, self._type(var, e.iri)))
        elif e.kind == "and":
            for part in e.parts:
                self.necessary(part, where, var, source)
        elif e.kind == "has-value":
            self.out.rules.append(Rule(source, where, f"{var} <{e.iri}> {e.value} ."))
        elif e.kind == "at-most":
            self.out.checks.append(
                Check(source, f"{where} {self._values(var, e.iri, e.n + 1, e.parts[0])}")
            )
        elif e.kind == "only":
            y = self._var()
            self.necessary(e.parts[0], f"{where} {var} <{e.iri}> {y} .", y, source)
        elif e.kind == "not":
            self.out.checks.append(Check(source, f"{where} {self.pattern(e.parts[0], var, True)}"))
        elif e.kind == "one-of":  # another member would be the same as a listed one
            listed = ", ".join(f"<{m.iri}>" for m in e.parts)
            why = (
                f"{source}: a member other than those listed would be the same individual as "
                "one of them, which the rules engine does not conclude; use --engine hermit"
            )
            self.out.checks.append(Check(source, f"{where} FILTER({var} NOT IN ({listed}))", why))
        # some, at-least, or: a member has an unnamed or unknown witness; nothing to add

    # the axioms ------------------------------------------------------------------------

    def refuse_unsupported(self) -> None:
        """Stop when the graph uses an axiom the translation does not know."""
        found = [
            name
            for name in UNSUPPORTED
            if any(True for _ in self._pairs(OWL + name)) or self._typed(OWL + name)
        ]
        if found:
            raise ReasoningError(
                "the rules engine does not translate "
                + ", ".join(f"owl:{n}" for n in found)
                + "; use --engine hermit"
            )

    def compile(self) -> RuleSet:
        """Translate every axiom of the asserted graph."""
        self.refuse_unsupported()
        out = self.out
        for one, other in self._pairs(OWL + "disjointWith"):
            out.disjoint |= {(one.value, other.value), (other.value, one.value)}
            out.disjoint_groups.append([one.value, other.value])
        for axiom in self._typed(OWL + "AllDisjointClasses"):
            for head in self._objects(axiom, OWL + "members"):
                members = [m.value for m in self._list(head)]
                out.disjoint |= set(itertools.permutations(members, 2))
                out.disjoint_groups.append(members)
        out.rules.append(
            Rule(
                "owl:AllDifferent",
                f"?ad a <{OWL}AllDifferent> ; "
                f"(<{OWL}members>|<{OWL}distinctMembers>)/<{RDF}rest>*/<{RDF}first> ?m .",
                f"?m <{LISTED}> ?ad .",
            )
        )
        self._properties()
        hierarchy = " ".join(
            f"(<{c}> <{s}>)" for c, sups in sorted(self.supers.items()) for s in sorted(sups)
        )
        if hierarchy:
            out.rules.append(
                Rule("class hierarchy", f"?x a ?c . VALUES (?c ?s) {{ {hierarchy} }}", "?x a ?s .")
            )
        self._definitions()
        for sub, sup in self._pairs(RDFS + "subClassOf"):
            if isinstance(sub, ox.NamedNode) and isinstance(sup, ox.NamedNode):
                continue  # in the hierarchy
            source = f"{short(sub)} subClassOf {short(sup)}"
            self.necessary(
                self._expr(sup, source), self.pattern(self._expr(sub, source), "?x"), "?x", source
            )
        out.checks.append(Check("owl:Nothing has no member", f"?x a <{NOTHING}> ."))
        return out

    def _properties(self) -> None:
        out = self.out
        kinds = {p.value: True for p in self._typed(OWL + "ObjectProperty")}
        kinds |= {p.value: False for p in self._typed(OWL + "DatatypeProperty")}
        edges: dict[str, set[str]] = {}
        for sub, sup in self._pairs(RDFS + "subPropertyOf"):
            edges.setdefault(sub.value, set()).add(sup.value)
        for one, other in self._pairs(OWL + "equivalentProperty"):
            edges.setdefault(one.value, set()).add(other.value)
            edges.setdefault(other.value, set()).add(one.value)
        pairs = sorted((p, q) for p, sups in _closure(edges).items() for q in sups)
        if pairs:
            values = " ".join(f"(<{p}> <{q}>)" for p, q in pairs)
            out.rules.append(
                Rule("subPropertyOf", f"?x ?p ?y . VALUES (?p ?q) {{ {values} }}", "?x ?q ?y .")
            )
        for one, other in self._pairs(OWL + "inverseOf"):
            for p, q in ((one, other), (other, one)):
                out.rules.append(
                    Rule(
                        f"{short(p.value)} inverseOf",
                        f"?x <{p.value}> ?y .",
                        f"?y <{q.value}> ?x .",
                    )
                )
        for prop in self._typed(OWL + "SymmetricProperty"):
            out.rules.append(
                Rule(
                    f"{short(prop.value)} symmetric",
                    f"?x <{prop.value}> ?y .",
                    f"?y <{prop.value}> ?x .",
                )
            )
        for prop in self._typed(OWL + "TransitiveProperty"):
            out.rules.append(
                Rule(
                    f"{short(prop.value)} transitive",
                    f"?x <{prop.value}> ?y . ?y <{prop.value}>+ ?z .",
                    f"?x <{prop.value}> ?z .",
                )
            )
        for prop in self._typed(OWL + "FunctionalProperty"):
            out.functional[prop.value] = kinds.get(prop.value, True)
        for axiom, role in (("domain", "?x {p} ?y ."), ("range", "?y {p} ?x .")):
            named: set[tuple[str, str]] = set()  # (property, class), in one rule per axiom
            for prop, cls in self._pairs(RDFS + axiom):
                if prop.value not in kinds or (axiom == "range" and not kinds[prop.value]):
                    continue  # annotation properties have no logical force; datatypes unchecked
                if isinstance(cls, ox.NamedNode):
                    above = {cls.value} | self.supers.get(cls.value, set())
                    named |= {(prop.value, c) for c in above - {THING}}
                    continue
                source = f"{short(prop.value)} {axiom} {short(cls)}"
                where = role.format(p=f"<{prop.value}>")
                self.necessary(self._expr(cls, source), where, "?x", source)
            if named:
                values = " ".join(f"(<{p}> <{c}>)" for p, c in sorted(named))
                where = f"{role.format(p='?p')} VALUES (?p ?c) {{ {values} }}"
                out.rules.append(Rule(f"rdfs:{axiom}", where, "?x a ?c ."))

    def _definitions(self) -> None:
        definitions: dict[str, Expr] = {}
        for one, other in self._pairs(OWL + "equivalentClass"):
            for named, node in ((one, other), (other, one)):
                if isinstance(named, ox.NamedNode) and not isinstance(node, ox.NamedNode):
                    definitions[named.value] = self._expr(node, f"{short(named.value)} ≡ …")
        # the rule of D must run before that of C when it writes a class C's definition reads
        writes = {
            d: ({d} | self.supers.get(d, set())) - self._required(e) for d, e in definitions.items()
        }
        order = graphlib.TopologicalSorter(
            {
                c: {d for d in definitions if d != c and writes[d] & _classes(e)}
                for c, e in definitions.items()
            }
        )
        try:
            ordered = list(order.static_order())
        except graphlib.CycleError:  # any order reaches the fixpoint, in more rounds
            ordered = sorted(definitions)
        for cls in ordered:
            source = f"{short(cls)} ≡ …"
            then = self._type("?x", cls, skip=self._required(definitions[cls]))
            rule = Rule(source, self.pattern(definitions[cls], "?x"), then)
            self.out.defined[cls] = rule
            self.out.rules.append(rule)
            self.necessary(definitions[cls], f"?x a <{cls}> .", "?x", source)


def _closure(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    """Everything reachable from each node of *edges*, the node itself left out."""
    closed: dict[str, set[str]] = {}
    for start in edges:
        seen: set[str] = set()
        stack = list(edges[start])
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(edges.get(node, ()))
        closed[start] = seen - {start}
    return closed


def _classes(e: Expr) -> set[str]:
    found = {e.iri} if e.kind == "class" else set()
    for part in e.parts:
        found |= _classes(part)
    return found


def compile_rules(store: ox.Store, inferred_supers: dict[str, set[str]] | None = None) -> RuleSet:
    """The rules and checks of the ontology in *store*'s asserted graph."""
    return _Compiler(store, inferred_supers or {}).compile()
