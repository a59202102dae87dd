"""An on-disk Oxigraph store of a graph file, so that a reading command opens it, not loads it.

A reading command (``mmkg query``, ``sparql``, ``show``, ``compare``, ``analyze``,
``site``) loads the graph file into memory on every call: 0.5 s at the survey's size, 3.5 s
at 10,000 models and ten times that at 100,000. ``mmkg index`` loads it once into an
Oxigraph (RocksDB) store in a folder beside the file (``build/mmkg.nt`` ->
``build/mmkg.nt.oxigraph/``); the commands then open that store read-only in a few
milliseconds. The folder records the size and modification time of the file it was made
from: once the file changes (a new ``mmkg build``), the store is stale, and the commands
read the file again, as they would without it.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from mmkg.errors import MmkgError
from mmkg.outputs import staged_folder

__all__ = [
    "GRAPH_FORMATS",
    "GraphIndexError",
    "IndexReport",
    "index_folder",
    "index_state",
    "open_index",
    "write_index",
]

GRAPH_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".owl": ox.RdfFormat.RDF_XML,
    ".rdf": ox.RdfFormat.RDF_XML,
}
#: The store's own folder inside the index folder (beside the stamp and the marker).
STORE = "store"
#: What the index folder says about the graph file it was made from.
STAMP = "graph.json"


class GraphIndexError(MmkgError):
    """The graph file cannot be indexed (missing, unreadable, not RDF)."""


@dataclass(frozen=True)
class IndexReport:
    """What ``mmkg index`` wrote."""

    folder: Path
    triples: int
    seconds: float
    megabytes: float


def index_folder(graph: Path) -> Path:
    """Where the index of *graph* lives: a folder beside it named after it."""
    return graph.with_name(graph.name + ".oxigraph")


def _stamp_of(graph: Path) -> dict[str, object]:
    status = graph.stat()
    return {"graph": graph.name, "size": status.st_size, "mtime_ns": status.st_mtime_ns}


def index_state(graph: Path) -> str:
    """``fresh`` (the index holds *graph* as it is now), ``stale`` or ``absent``."""
    folder = index_folder(graph)
    try:
        stamp = json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "stale" if folder.exists() else "absent"
    try:
        current = _stamp_of(graph)
    except OSError:
        return "stale"
    fresh = isinstance(stamp, dict) and all(stamp.get(k) == v for k, v in current.items())
    return "fresh" if fresh and (folder / STORE).is_dir() else "stale"


def open_index(graph: Path) -> ox.Store | None:
    """The index of *graph* opened read-only, or None when it is absent, stale or unreadable."""
    if index_state(graph) != "fresh":
        return None
    try:
        return ox.Store.read_only(str(index_folder(graph) / STORE))
    except OSError:
        return None


def write_index(graph: Path) -> IndexReport:
    """Load *graph* into an on-disk store in :func:`index_folder`, compacted.

    The folder is written beside and then put in the place of the old one (a failed or
    interrupted run leaves the old index); a folder that ``mmkg index`` did not write is
    refused, never replaced.
    """
    graph = Path(graph)
    if not graph.is_file():
        raise GraphIndexError(f"{graph}: no such graph file; run `mmkg build` first")
    started = time.perf_counter()
    stamp = _stamp_of(graph)
    folder = index_folder(graph).resolve()
    with staged_folder(folder, "index") as staging:
        store = ox.Store(str(staging / STORE))
        try:
            kind = GRAPH_FORMATS.get(graph.suffix, ox.RdfFormat.TURTLE)
            store.bulk_load(path=str(graph), format=kind)
        except (OSError, SyntaxError, ValueError) as error:
            raise GraphIndexError(f"{graph}: cannot be read as RDF: {error}") from error
        store.optimize()
        triples = len(store)
        store.flush()
        del store  # closes the database before its folder is moved
        if _stamp_of(graph) != stamp:
            raise GraphIndexError(f"{graph}: changed while it was being indexed; run again")
        (staging / STAMP).write_text(json.dumps({**stamp, "triples": triples}) + "\n", "utf-8")
        size = sum(f.stat().st_size for f in (staging / STORE).rglob("*") if f.is_file())
    return IndexReport(folder, triples, time.perf_counter() - started, size / 2**20)
