"""JSON Lines record files (mmkg.load.bulk): the same records, the same graph, located errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml
from rdflib import Graph

from mmkg.build import build_graph
from mmkg.errors import DataError
from mmkg.load import curated_posts, load_facts
from mmkg.outputs import canonical_graph
from mmkg.paths import ONTOLOGY_FILE, PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))
from synthetic import generate  # noqa: E402

FOLDERS = ("models", "datasets", "components", "families", "organisations")


def _to_json_lines(data: Path, folder: str, name: str = "bulk.jsonl") -> int:
    """Move every YAML record of *folder* into one JSON Lines file; the number moved."""
    paths = sorted((data / folder).glob("*.yaml"))
    with (data / folder / name).open("w", encoding="utf-8") as out:
        for path in paths:
            record = yaml.safe_load(path.read_text(encoding="utf-8"))
            out.write(json.dumps({"slug": path.stem, **record}, ensure_ascii=False) + "\n")
            path.unlink()
    return len(paths)


def _problems(data: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_facts(data)
    return [str(p) for p in caught.value.problems]


def test_the_real_data_as_json_lines_builds_the_same_graph(data_copy: Path, graph: Graph) -> None:
    moved = {folder: _to_json_lines(data_copy, folder) for folder in FOLDERS}
    assert moved["models"] > 150 and all(moved.values())
    assert not list(data_copy.glob("models/*.yaml"))
    bulk_graph, _ = build_graph(load_facts(data_copy), ONTOLOGY_FILE)
    assert set(canonical_graph(bulk_graph)) == set(canonical_graph(graph))
    assert curated_posts(data_copy) >= {"2023-04-17-LLaVA"}


def test_1k_synthetic_models_as_json_lines_build_the_same_graph(tmp_path: Path) -> None:
    as_yaml = load_facts(generate(1000, tmp_path / "yaml"))
    as_lines = load_facts(generate(1000, tmp_path / "lines", jsonl=True))
    assert len(list((tmp_path / "lines" / "data" / "models").glob("*.yaml"))) < 300
    assert set(as_lines.models) == set(as_yaml.models)
    graphs = [build_graph(facts, ONTOLOGY_FILE)[0] for facts in (as_yaml, as_lines)]
    assert set(canonical_graph(graphs[0])) == set(canonical_graph(graphs[1]))


def test_a_record_line_is_located_by_file_line_record_and_field(data_copy: Path) -> None:
    _to_json_lines(data_copy, "organisations")
    path = data_copy / "organisations" / "bulk.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[2])
    record["nmae"] = record.pop("name")
    lines[2] = json.dumps(record)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = _problems(data_copy)
    where = f"data/organisations/bulk.jsonl:3: record '{record['slug']}'"
    assert any(p.startswith(where + ", field 'nmae': is not a known field") for p in problems)
    assert any("did you mean 'name'" in p for p in problems)
    # a model naming the broken organisation is told it is broken, not unknown
    assert not any(f"unknown organisation '{record['slug']}'" in p for p in problems)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"slug": "acme", "name": "A", "name": "B"}', "has the key 'name' twice"),
        ('{"slug": "acme", "name": "A"', "is not valid JSON at column"),
        ('["acme"]', "must be a JSON object of fields, not list"),
        ('{"slug": "acme", "name": "A", "x": NaN}', "has NaN, which is not a number"),
        ('{"slug": "acme", "name": "A", "x": 1e999}', "which is not finite"),
        ('{"slug": "acme", "name": "A", "x": ' + "1" * 120 + "}", "more than 100 digits"),
        ('{"slug": "acme", "x": ' + "[" * 30 + "]" * 30 + "}", "more than 20 deep"),
        ('{"name": "A"}', "field 'slug': is missing or not a slug"),
        ('{"slug": "Not A Slug", "name": "A"}', "is missing or not a slug (got 'Not A Slug')"),
        ('{"slug": "openai", "name": "OpenAI again"}', "is the slug of a record read before"),
    ],
)
def test_a_line_that_is_not_a_record_is_a_located_problem(
    data_copy: Path, line: str, message: str
) -> None:
    (data_copy / "organisations" / "more.jsonl").write_text(
        '{"slug": "ok", "name": "OK", "sources": [{"source": "survey", "locator": "x"}]}\n\n'
        + line
        + "\n",
        encoding="utf-8",
    )
    problems = _problems(data_copy)
    located = [p for p in problems if p.startswith("data/organisations/more.jsonl:3")]
    assert located and message in located[0], problems


def test_a_json_lines_file_that_is_a_fifo_is_not_opened(data_copy: Path) -> None:
    import os

    os.mkfifo(data_copy / "organisations" / "pipe.jsonl")
    problems = _problems(data_copy)
    assert any("pipe.jsonl" in p and "not a regular file" in p for p in problems)


def test_a_json_lines_file_that_cannot_be_opened_is_a_located_problem(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data_copy / "organisations" / "locked.jsonl"
    path.write_text('{"slug": "x", "name": "X"}\n', encoding="utf-8")
    real_open = Path.open

    def refuse(self: Path, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if self.name == "locked.jsonl":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    problems = _problems(data_copy)
    assert any("locked.jsonl" in p and "cannot be read: Permission denied" in p for p in problems)
