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
#: the headless Chromium of the site's browser tests (its `driver` fixture)
pytest_plugins = ["browser"]


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


@pytest.fixture(scope="session")
def inference(graph: Graph):  # noqa: ANN201 - mmkg.reason.Inference
    """HermiT's classification of the real graph through `mmkg.reason`, run once."""
    from mmkg.reason import reason

    return reason(graph)


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


HOSTILE = FIXTURES / "hostile" / "hostile.ttl"


def hostile_store():  # noqa: ANN201 - pyoxigraph.Store
    """The ontology plus the hostile ABox (labels full of markup), as a reading store."""
    import pyoxigraph as ox

    from mmkg.paths import ONTOLOGY_FILE

    store = ox.Store()
    store.bulk_load(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE)
    store.bulk_load(path=str(HOSTILE), format=ox.RdfFormat.TURTLE)
    return store


@pytest.fixture(scope="session")
def site(store, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: ANN001
    """The site of the real graph, built once per run."""
    from mmkg.render import build_site

    out = tmp_path_factory.getbasetemp() / "site-real"
    build_site(store, out)
    return out


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the hostile graph, built once per run."""
    from mmkg.render import build_site

    out = tmp_path_factory.getbasetemp() / "site-hostile"
    build_site(hostile_store(), out)
    return out
