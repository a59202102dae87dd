"""The synthetic data of benchmarks/synthetic.py passes every check, and is reproducible."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from mmkg.paths import DATA_DIR, ONTOLOGY_FILE, PROJECT_ROOT
from mmkg.validate import checked_build

sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))
from synthetic import generate  # noqa: E402


def _digest(folder: Path) -> str:
    hasher = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            hasher.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return hasher.hexdigest()


def test_synthetic_data_passes_every_check_of_a_build(tmp_path: Path) -> None:
    data = generate(60, tmp_path / "a")
    real = len(list(DATA_DIR.glob("models/*.yaml")))
    assert len(list(data.glob("models/*.yaml"))) == real + 60
    graph, counts, report = checked_build(data, ONTOLOGY_FILE)  # raises on any error
    synthetic = {
        str(s) for s in graph.subjects() if str(s).startswith("https://w3id.org/mmkg/id/model/syn-")
    }
    assert len(synthetic) == 60
    links = graph.query(
        """PREFIX mmkg: <https://w3id.org/mmkg/ontology#>
        SELECT (COUNT(*) AS ?n) WHERE {
          ?a mmkg:fineTunedFrom|mmkg:isAdapterOf|mmkg:quantizedFrom|mmkg:mergedFrom ?b
          FILTER(CONTAINS(STR(?a), "/model/syn-") && CONTAINS(STR(?b), "/model/syn-")) }"""
    )
    assert int(next(iter(links))[0]) >= 20  # a lineage forest, not isolated models
    assert _digest(data) == _digest(generate(60, tmp_path / "b"))  # same n and seed, same bytes


def test_the_generator_never_replaces_a_data_folder_it_did_not_write(tmp_path: Path) -> None:
    mine = tmp_path / "data" / "thesis.txt"
    mine.parent.mkdir()
    mine.write_text("mine", encoding="utf-8")
    with pytest.raises(SystemExit, match="was not written by benchmarks/synthetic.py"):
        generate(5, tmp_path)
    assert mine.read_text(encoding="utf-8") == "mine"
    generate(5, tmp_path / "again")
    generate(5, tmp_path / "again")  # its own folder is replaced
