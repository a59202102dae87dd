"""Consistency and classification with HermiT (through owlready2, the only module that uses it).

The built graph is handed to owlready2 as N-Triples, HermiT checks that it is consistent and
classifies every individual; the class assertions it adds are written back as an inferred
graph (`build/mmkg-inferred.ttl`), and counted per class.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from mmkg.errors import MmkgError
from mmkg.namespaces import TERMS
from mmkg.outputs import staged_file

__all__ = ["ReasoningError", "Inference", "reason", "java_available", "write_inferred"]


class ReasoningError(MmkgError):
    """The reasoner could not run, or found the graph inconsistent."""


@dataclass
class Inference:
    """What HermiT inferred: new class assertions, per class, and the time taken."""

    added: list[tuple[str, str]] = field(default_factory=list)
    per_class: dict[str, list[str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    def members(self, cls: URIRef | str) -> set[str]:
        """IRIs of the individuals that are members of *cls* after reasoning."""
        return set(self.per_class.get(str(cls), []))


def java_available() -> bool:
    """Whether a Java runtime is on the PATH (HermiT needs one)."""
    return shutil.which("java") is not None


def reason(graph: Graph) -> Inference:
    """Check the graph's consistency with HermiT and return the class assertions it infers."""
    import owlready2

    if not java_available():
        raise ReasoningError(
            "HermiT needs a Java runtime and none was found; run "
            "scripts/install-system-deps.sh (or `make build`) to install one"
        )
    start = time.perf_counter()
    asserted = {(str(s), str(o)) for s, o in graph.subject_objects(RDF.type)}
    with tempfile.TemporaryDirectory(prefix="mmkg-reason-") as tmp:
        path = Path(tmp) / "graph.nt"
        graph.serialize(destination=path, format="nt", encoding="utf-8")
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            raise ReasoningError(
                "HermiT finds the graph inconsistent: no model of the data "
                "satisfies the ontology's axioms"
            ) from exc
        except (OSError, owlready2.OwlReadyJavaError) as exc:
            raise ReasoningError(f"HermiT could not run: {exc}") from exc
        inferred: set[tuple[str, str]] = set()
        for individual in world.individuals():
            for cls in individual.INDIRECT_is_a:
                iri = getattr(cls, "iri", None)
                if iri and iri.startswith(TERMS):
                    inferred.add((individual.iri, iri))
    result = Inference(seconds=time.perf_counter() - start)
    result.added = sorted(inferred - asserted)
    for subject, cls in sorted(inferred):
        result.per_class.setdefault(cls, []).append(subject)
    for subject, label in graph.subject_objects(RDFS.label):
        result.labels.setdefault(str(subject), str(label))
    return result


def write_inferred(graph: Graph, inference: Inference, path: Path) -> Graph:
    """Write the graph with the inferred class assertions added, replacing *path* atomically."""
    out = Graph()
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace)
    for triple in graph:
        out.add(triple)
    for subject, cls in inference.added:
        out.add((URIRef(subject), RDF.type, URIRef(cls)))
    with staged_file(path) as staging:
        out.serialize(destination=staging, format="turtle", encoding="utf-8")
    return out
