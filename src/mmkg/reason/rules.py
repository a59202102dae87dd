"""The rules engine's rules and checks, and their run to a fixpoint in Oxigraph.

A rule is one SPARQL update that adds triples to the inferred graph when its pattern matches
the asserted and inferred graphs; a check is a pattern that must match nothing. They come
from the ontology's own axioms (:mod:`mmkg.reason.translate`). The rules run until none adds
a triple; a rule runs again only when a class or property it reads gained triples after it ran.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from mmkg.reason.errors import ReasoningError
from mmkg.reason.store import ASSERTED, INFERRED

__all__ = ["Rule", "Check", "RuleSet", "run_rules", "CHECKED"]

OWL = "http://www.w3.org/2002/07/owl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
THING, NOTHING = OWL + "Thing", OWL + "Nothing"
#: A helper property of the inferred graph: an individual is listed in an owl:AllDifferent.
LISTED = "urn:mmkg:reason:listedInAllDifferent"
MAX_ROUNDS = 50
_IRI = re.compile(r"<([^<>\s]+)>")
_GENERIC = re.compile(r"\?\w+ (?:a )?\?\w+")  # a variable property, or class after "a"
#: The consistency checks the rules engine makes (besides HermiT on the ontology alone).
CHECKED = (
    "disjoint classes (owl:disjointWith, owl:AllDisjointClasses): no individual is in two",
    "at-most and complement restrictions, e.g. no model that lacks a role has a usage in it",
    "functional properties: no two values that differ",
)


@dataclass(frozen=True)
class Rule:
    """When *where* matches, add the triples of *then* to the inferred graph."""

    source: str
    where: str
    then: str

    @property
    def reads(self) -> frozenset[str]:
        """The classes and properties the rule's pattern mentions."""
        return frozenset(_IRI.findall(self.where))

    @property
    def writes(self) -> frozenset[str]:
        """The classes and properties of the triples it adds (those of its pattern too when
        the class or property it adds is a variable)."""
        if _GENERIC.search(self.then):
            return self.reads | frozenset(_IRI.findall(self.then))
        return frozenset(_IRI.findall(self.then))

    def update(self) -> str:
        """The SPARQL update of this rule."""
        return (
            f"INSERT {{ GRAPH {INFERRED} {{ {self.then} }} }} "
            f"USING {ASSERTED} USING {INFERRED} WHERE {{ {self.where} }}"
        )


@dataclass(frozen=True)
class Check:
    """A pattern that must not match: each match of ``?x`` is a contradiction."""

    source: str
    where: str
    why: str = ""  # the message, when a match is not a contradiction but beyond the rules


@dataclass
class RuleSet:
    """The rules and checks of one ontology, and the rule of each defined class."""

    rules: list[Rule] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    defined: dict[str, Rule] = field(default_factory=dict)
    functional: dict[str, bool] = field(default_factory=dict)  # property -> is it an object one
    disjoint: set[tuple[str, str]] = field(default_factory=set)  # both orders
    disjoint_groups: list[list[str]] = field(default_factory=list)  # pairwise disjoint classes


def short(term: ox.Term | str) -> str:
    """A term as it reads in a message: mmkg:Model, owl:Thing, <iri>."""
    if isinstance(term, ox.BlankNode):
        return "a class expression"
    iri = term.value if isinstance(term, ox.NamedNode) else str(term)
    for prefix, ns in (("mmkg:", "https://w3id.org/mmkg/ontology#"), ("owl:", OWL)):
        if iri.startswith(ns):
            return prefix + iri[len(ns) :]
    return f"<{iri}>"


def _count(store: ox.Store) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {INFERRED} {{ ?s ?p ?o }} }}"
    return int(next(iter(store.query(query)))["n"].value)


def run_rules(store: ox.Store, rules: RuleSet) -> int:
    """Run the rules to a fixpoint, then the checks; return the passes over the rules.

    A rule runs again only when a rule that ran after it added triples that mention a class
    or property it reads (semi-naive at the level of terms, so the last pass is short).
    """
    store.update(f"CLEAR SILENT GRAPH {INFERRED}")
    changed: dict[str, int] = {}  # term -> the step at which a rule last added triples with it
    last_run: dict[int, int] = {}
    step, size, passes = 0, 0, 0
    while True:
        due = [
            i
            for i, rule in enumerate(rules.rules)
            if i not in last_run or any(changed.get(t, -1) >= last_run[i] for t in rule.reads)
        ]
        if not due:
            _check(store, rules)
            return passes
        passes += 1
        if passes > MAX_ROUNDS:
            raise ReasoningError(f"the rules did not reach a fixpoint in {MAX_ROUNDS} passes")
        for i in due:
            rule = rules.rules[i]
            if i in last_run and not any(changed.get(t, -1) >= last_run[i] for t in rule.reads):
                continue  # nothing it reads changed since it ran in this pass
            step += 1
            last_run[i] = step
            store.update(rule.update())
            if (new := _count(store)) != size:
                size = new
                changed.update(dict.fromkeys(rule.writes, step))


def _select(store: ox.Store, query: str) -> list[ox.QuerySolution]:
    return list(store.query(query, default_graph=[ASSERTED, INFERRED]))  # type: ignore[arg-type]


def _inconsistent(what: str, found: list[ox.QuerySolution], var: str = "x") -> ReasoningError:
    names = ", ".join(sorted({str(s[var]) for s in found}))
    return ReasoningError(f"the rules find the graph inconsistent: {what} ({names})")


def _check(store: ox.Store, rules: RuleSet) -> None:
    for group in rules.disjoint_groups:
        values = " ".join(f"<{c}>" for c in group)
        found = _select(
            store,
            f"SELECT ?x (GROUP_CONCAT(STR(?c); separator=' and ') AS ?classes) "
            f"WHERE {{ VALUES ?c {{ {values} }} ?x a ?c . }} "
            "GROUP BY ?x HAVING (COUNT(DISTINCT ?c) > 1) LIMIT 3",
        )
        if found:
            which = found[0]["classes"].value
            raise _inconsistent(f"a member of the disjoint classes {which}", found)
    for check in rules.checks:
        found = _select(store, f"SELECT DISTINCT ?x WHERE {{ {check.where} }} LIMIT 3")
        if found and check.why:
            names = ", ".join(sorted({str(s["x"]) for s in found}))
            raise ReasoningError(f"{check.why} ({names})")
        if found:
            raise _inconsistent(f"against {check.source}", found)
    for prop, is_object in sorted(rules.functional.items()):
        differ = "FILTER(!sameTerm(?a, ?b) && !COALESCE(?a = ?b, false))"
        if is_object:
            differ = "FILTER(STR(?a) < STR(?b))"
        found = _select(
            store, f"SELECT ?x ?a ?b WHERE {{ ?x <{prop}> ?a . ?x <{prop}> ?b . {differ} }} LIMIT 3"
        )
        if found:
            raise ReasoningError(
                f"{short(prop)} is functional but {found[0]['x']} has two values, "
                f"{found[0]['a']} and {found[0]['b']}: inconsistent, or (for individuals not "
                "known to differ) the same individual, which the rules engine does not "
                "conclude; fix the data or use --engine hermit"
            )
