"""Shared fixtures: the real data loaded once, the graph built once, scratch copies of data/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph

from mmkg.build import build_graph, write_build
from mmkg.load import Facts, load_facts
from mmkg.paths import DATA_DIR, ONTOLOGY_FILE

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def facts() -> Facts:
    """The real data, loaded and validated."""
    return load_facts(DATA_DIR)


@pytest.fixture(scope="session")
def built(facts: Facts, tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, dict, Path]:
    """The real graph, its counts, and a build folder holding its serialisations."""
    graph, counts = build_graph(facts, ONTOLOGY_FILE)
    out = tmp_path_factory.mktemp("build") / "build"
    write_build(graph, out)
    return graph, counts, out


@pytest.fixture(scope="session")
def graph(built: tuple[Graph, dict, Path]) -> Graph:
    """The real graph."""
    return built[0]


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A scratch copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.fixture(scope="session")
def store(built: tuple[Graph, dict, Path]):  # noqa: ANN201 - pyoxigraph.Store
    """The real graph in a pyoxigraph store, as the reading commands use it."""
    from mmkg.queries import load_store

    return load_store(built[2] / "mmkg.nt")


@pytest.fixture(scope="session")
def graph_file(built: tuple[Graph, dict, Path]) -> Path:
    """The real graph's N-Triples file."""
    return built[2] / "mmkg.nt"
