"""mmkg.index: the on-disk store of a graph file that the reading commands open."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from mmkg.cli import app
from mmkg.index import GraphIndexError, index_folder, index_state, open_index, write_index
from mmkg.paths import QUERIES_DIR
from mmkg.queries import find_queries, load_store, run_query

runner = CliRunner()


@pytest.fixture(scope="module")
def indexed(graph_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the real graph's N-Triples file with its index beside it."""
    copy = tmp_path_factory.mktemp("indexed") / "mmkg.nt"
    shutil.copy2(graph_file, copy)
    write_index(copy)
    return copy


def _copy(graph_file: Path, folder: Path) -> Path:
    copy = folder / "mmkg.nt"
    shutil.copy2(graph_file, copy)
    return copy


def _ground_triples(store: ox.Store) -> set[str]:
    """The triples without a blank node (a load names blank nodes anew)."""
    return {
        str(ox.Triple(q.subject, q.predicate, q.object))
        for q in store
        if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
    }


def test_the_index_holds_the_graph_file(indexed: Path) -> None:
    folder = index_folder(indexed)
    assert folder == indexed.parent / "mmkg.nt.oxigraph"
    assert sorted(p.name for p in folder.iterdir()) == [".mmkg-output", "graph.json", "store"]
    stamp = json.loads((folder / "graph.json").read_text(encoding="utf-8"))
    in_memory = load_store(indexed, indexed=False)
    assert stamp["graph"] == "mmkg.nt" and stamp["size"] == indexed.stat().st_size
    assert stamp["triples"] == len(in_memory) > 10_000
    index = open_index(indexed)
    assert index is not None and len(index) == len(in_memory)
    assert _ground_triples(index) == _ground_triples(in_memory)


def test_every_competency_question_answers_the_same_from_the_index(indexed: Path) -> None:
    index, in_memory = load_store(indexed), load_store(indexed, indexed=False)
    with pytest.raises(RuntimeError, match="read-write"):  # the read-only index, not a copy
        index.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    for name, query in find_queries(QUERIES_DIR).items():
        if query.cq is None:
            continue
        from_index, from_memory = run_query(index, query), run_query(in_memory, query)
        assert from_index.columns == from_memory.columns, name
        assert from_index.rows == from_memory.rows, name  # in the same order: ORDER BY decides
        assert from_index.rows, name


def test_a_changed_graph_file_is_read_again_not_answered_from_the_index(
    graph_file: Path, tmp_path: Path
) -> None:
    copy = _copy(graph_file, tmp_path)
    write_index(copy)
    assert index_state(copy) == "fresh"
    with copy.open("a", encoding="utf-8") as handle:
        handle.write("<urn:test:new> <urn:test:p> <urn:test:o> .\n")
    assert index_state(copy) == "stale" and open_index(copy) is None
    asked = "ASK { <urn:test:new> ?p ?o }"
    assert load_store(copy).query(asked)
    result = runner.invoke(app, ["sparql", "--graph", str(copy), asked, "-F", "csv"])
    assert result.exit_code == 0, result.output
    assert "is not used; `mmkg index` makes it again" in result.stderr
    assert runner.invoke(app, ["index", "--graph", str(copy)]).exit_code == 0
    assert index_state(copy) == "fresh" and open_index(copy).query(asked)


def test_the_index_command_and_a_query_through_it(graph_file: Path, tmp_path: Path) -> None:
    copy = _copy(graph_file, tmp_path)
    result = runner.invoke(app, ["index", "--graph", str(copy)])
    assert result.exit_code == 0, result.output
    assert f"wrote {index_folder(copy)} (" in result.output and " triples, " in result.output
    with_index = runner.invoke(app, ["query", "cq-04-ancestors", "--graph", str(copy)])
    os.utime(copy)  # the file looks changed: the index is not used
    without = runner.invoke(app, ["query", "cq-04-ancestors", "--graph", str(copy)])
    assert with_index.exit_code == without.exit_code == 0
    assert with_index.stdout == without.stdout and "LLaVA" in with_index.stdout
    assert "is not used" in without.stderr and "is not used" not in with_index.stderr


def test_indexing_a_missing_or_broken_file_is_an_error_that_keeps_the_old_index(
    graph_file: Path, tmp_path: Path
) -> None:
    missing = runner.invoke(app, ["index", "--graph", str(tmp_path / "nothing.nt")])
    assert missing.exit_code == 1 and "nothing.nt: no such graph file" in missing.output
    copy = _copy(graph_file, tmp_path)
    write_index(copy)
    store = index_folder(copy) / "store"
    before = sorted(p.name for p in store.iterdir())
    copy.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    with pytest.raises(GraphIndexError, match="cannot be read as RDF"):
        write_index(copy)
    assert sorted(p.name for p in store.iterdir()) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_folder_the_index_did_not_write_is_never_replaced(
    graph_file: Path, tmp_path: Path
) -> None:
    copy = _copy(graph_file, tmp_path)
    folder = index_folder(copy)
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = runner.invoke(app, ["index", "--graph", str(copy)])
    assert result.exit_code == 1
    assert "not a graph index written by mmkg" in result.output
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert index_state(copy) == "stale" and load_store(copy).query("ASK { ?s ?p ?o }")


def test_a_new_build_makes_an_index_it_had_again(data_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    assert runner.invoke(app, ["build", "--data", str(data_copy), "--out", str(out)]).exit_code == 0
    graph = out / "mmkg.nt"
    assert index_state(graph) == "absent"
    assert runner.invoke(app, ["index", "--graph", str(graph)]).exit_code == 0
    first = json.loads((index_folder(graph) / "graph.json").read_text(encoding="utf-8"))
    again = runner.invoke(app, ["build", "--data", str(data_copy), "--out", str(out)])
    assert again.exit_code == 0, again.output
    assert "indexed again in" in again.output and index_state(graph) == "fresh"
    second = json.loads((index_folder(graph) / "graph.json").read_text(encoding="utf-8"))
    assert second["mtime_ns"] != first["mtime_ns"] and second["triples"] == first["triples"]
