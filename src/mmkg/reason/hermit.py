"""HermiT through owlready2 (the only module that imports owlready2).

Two uses: classify every individual of a graph of survey size, and check the ontology alone
(its classes and axioms, without the data) at any size, which also gives the class hierarchy
HermiT infers for the rules engine.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mmkg.namespaces import TERMS
from mmkg.reason import java_available
from mmkg.reason.errors import ReasoningError

__all__ = ["classify", "classify_ontology"]


@contextmanager
def _hermit(triples: bytes, what: str) -> Iterator[object]:
    """Load N-Triples into a fresh owlready2 world, run HermiT on it and yield the world."""
    import owlready2

    if not java_available():
        raise ReasoningError(
            "HermiT needs a Java runtime and none was found; run "
            "scripts/install-system-deps.sh (or `make build`) to install one"
        )
    with tempfile.TemporaryDirectory(prefix="mmkg-reason-") as tmp:
        path = Path(tmp) / "graph.nt"
        path.write_bytes(triples)
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            raise ReasoningError(
                f"HermiT finds {what} inconsistent: no model of the data "
                "satisfies the ontology's axioms"
            ) from exc
        except (OSError, owlready2.OwlReadyJavaError) as exc:
            raise ReasoningError(f"HermiT could not run: {exc}") from exc
        yield world


def classify(triples: bytes) -> set[tuple[str, str]]:
    """(individual, class) for each individual of the graph and each class of mmkg it is in."""
    found: set[tuple[str, str]] = set()
    with _hermit(triples, "the graph") as world:
        for individual in world.individuals():  # type: ignore[attr-defined]
            for cls in individual.INDIRECT_is_a:
                iri = getattr(cls, "iri", None)
                if iri and iri.startswith(TERMS):
                    found.add((individual.iri, iri))
    return found


def classify_ontology(triples: bytes) -> dict[str, set[str]]:
    """The named superclasses HermiT infers for each class of the ontology given alone.

    Raises :class:`ReasoningError` if the ontology is inconsistent or a class can have no member.
    """
    supers: dict[str, set[str]] = {}
    with _hermit(triples, "the ontology") as world:
        empty = sorted(c.iri for c in world.inconsistent_classes())  # type: ignore[attr-defined]
        if empty:
            raise ReasoningError(
                "HermiT finds classes of the ontology that can have no member: " + ", ".join(empty)
            )
        for cls in world.classes():  # type: ignore[attr-defined]
            named = {a.iri for a in cls.ancestors() if a is not cls and hasattr(a, "iri")}
            supers[cls.iri] = named - {"http://www.w3.org/2002/07/owl#Thing"}
    return supers
