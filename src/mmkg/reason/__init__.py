"""Consistency and classification: HermiT at survey size, rules from the ontology above it.

Two engines fill the ontology's defined classes (``owl:equivalentClass``) and write the same
inferred graph (`build/mmkg-inferred.ttl`: the graph plus the inferred class assertions):

- ``hermit``: HermiT (through owlready2) checks that the whole graph is consistent in OWL 2 DL
  and classifies every individual. Its time grows steeply with the data.
- ``rules``: HermiT checks the ontology alone (consistent, every class can have members) and
  classifies its classes; then rules derived from the ontology's axioms (OWL 2 RL style, see
  :mod:`mmkg.reason.translate`) run as SPARQL updates in Oxigraph to a fixpoint, and check queries
  look for contradictions. Tests require identical memberships from both engines for every
  class on the real graph and on synthetic graphs.

``auto`` takes HermiT up to :data:`HERMIT_LIMIT` triples and the rules above.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mmkg.reason.errors import ReasoningError

if TYPE_CHECKING:  # the engines are imported when they run, so `mmkg --help` stays fast
    from rdflib import Graph, URIRef

    from mmkg.reason.store import Asserted

__all__ = [
    "ENGINES",
    "HERMIT_LIMIT",
    "Inference",
    "ReasoningError",
    "check_engine",
    "choose_engine",
    "java_available",
    "load_graph",
    "reason",
    "write_inferred",
]

ENGINES = ("auto", "hermit", "rules")
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
#: ``auto`` runs HermiT on graphs of at most this many triples, and the rules on larger ones.
HERMIT_LIMIT = 60_000

#: What the rules engine does not check (HermiT does, on graphs it runs on).
UNCHECKED = (
    "datatypes: literals well formed and of each property's range (mmkg validate's SHACL "
    "shapes check them)",
    "equality: no owl:sameAs is concluded (two values of a functional property stop the run)",
    "contradictions that need reasoning by cases or about unnamed individuals (OWL 2 DL "
    "beyond the OWL 2 RL rules), e.g. one reached only through a union or an existential",
)


@dataclass
class Inference:
    """What a reasoner inferred: new class assertions, members per class, and how."""

    added: list[tuple[str, str]] = field(default_factory=list)
    per_class: dict[str, list[str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    engine: str = "hermit"
    triples: int = 0
    checked: tuple[str, ...] = ()
    unchecked: tuple[str, ...] = ()

    def members(self, cls: URIRef | str) -> set[str]:
        """IRIs of the individuals that are members of *cls* after reasoning."""
        return set(self.per_class.get(str(cls), []))


def java_available() -> bool:
    """Whether a Java runtime is on the PATH (HermiT needs one)."""
    return shutil.which("java") is not None


def load_graph(source: Graph | Path) -> Asserted:
    """Read *source* (an rdflib graph or a graph file) once, for :func:`reason` and
    :func:`write_inferred`."""
    from mmkg.reason.store import Asserted

    return Asserted(source)


def check_engine(engine: str) -> str:
    """*engine* if it names an engine (or auto); otherwise a ReasoningError that lists them."""
    if engine not in ENGINES:
        raise ReasoningError(f"unknown engine '{engine}'; choose one of {', '.join(ENGINES)}")
    return engine


def choose_engine(triples: int, engine: str = "auto") -> str:
    """The engine to run: *engine* itself, or for ``auto`` HermiT up to HERMIT_LIMIT triples.

    >>> choose_engine(40_000), choose_engine(1_000_000), choose_engine(10, "rules")
    ('hermit', 'rules', 'rules')
    """
    if check_engine(engine) != "auto":
        return engine
    return "hermit" if triples <= HERMIT_LIMIT else "rules"


def reason(source: Graph | Path | Asserted, engine: str = "auto") -> Inference:
    """Check the graph's consistency and return the class assertions the chosen engine infers.

    *source* is an rdflib graph, a graph file, or what :func:`load_graph` read.
    """
    from mmkg.reason.hermit import classify, classify_ontology
    from mmkg.reason.rules import CHECKED, run_rules
    from mmkg.reason.store import (
        ASSERTED,
        INFERRED,
        Asserted,
        asserted_triples,
        memberships,
        ontology_triples,
    )
    from mmkg.reason.translate import compile_rules

    start = time.perf_counter()
    graph = source if isinstance(source, Asserted) else Asserted(source)
    store = graph.store
    triples = asserted_triples(store)
    chosen = choose_engine(triples, engine)
    asserted = memberships(store, [ASSERTED])
    if chosen == "hermit":
        found = classify(graph.ntriples)
        checked = ("the whole graph is consistent in OWL 2 DL (HermiT)",)
        unchecked: tuple[str, ...] = ()
    else:
        supers = classify_ontology(ontology_triples(store))
        run_rules(store, compile_rules(store, supers))
        found = memberships(store, [ASSERTED, INFERRED])
        checked = ("the ontology alone is consistent and no class is empty (HermiT)", *CHECKED)
        unchecked = UNCHECKED
    result = Inference(engine=chosen, triples=triples, checked=checked, unchecked=unchecked)
    result.added = sorted(found - asserted)
    for subject, cls in sorted(found):
        result.per_class.setdefault(cls, []).append(subject)
    labels = f"SELECT ?s ?l WHERE {{ GRAPH {ASSERTED} {{ ?s <{_LABEL}> ?l }} }}"
    for solution in store.query(labels):
        result.labels.setdefault(solution["s"].value, solution["l"].value)  # type: ignore[index]
    result.seconds = time.perf_counter() - start
    return result


def write_inferred(source: Graph | Path | Asserted, inference: Inference, path: Path) -> int:
    """Write the graph with the inferred class assertions added (Turtle), replacing *path*.

    Returns the number of triples written. The file depends only on the graph and the
    assertions, so two engines that infer the same write the same triples.
    """
    from mmkg.reason.store import Asserted, write_triples

    graph = source if isinstance(source, Asserted) else Asserted(source)
    return write_triples(graph.ntriples, inference.added, path)
