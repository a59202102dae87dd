"""`mmkg build` runs the checks of `mmkg validate`: it never writes what validation rejects.

Issue 11, part 3. Every case breaks a scratch copy of data/ (or the ontology), runs both
commands through the CLI, and asserts that each exits 1 with a located message, and that
the build left its previous output as it was.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mmkg.build import build
from mmkg.cli import app
from mmkg.paths import ONTOLOGY_FILE
from mmkg.validate import GraphCheckError, checked_build
from test_load import CASES as INVALID_CASES
from test_load import INVALID

runner = CliRunner()
ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of the real data: the output a failed build must leave as it was."""
    from mmkg.paths import DATA_DIR

    out = tmp_path_factory.mktemp("previous") / "build"
    build(DATA_DIR, ONTOLOGY_FILE, out)
    return out


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _flat(text: str) -> str:
    return " ".join(text.split())  # the console wraps long lines


def _build_fails(data: Path, out_dir: Path, *words: str, ontology: Path = ONTOLOGY_FILE) -> str:
    """Run `mmkg build` and assert: exit 1, no traceback, *words* shown, output untouched."""
    before = _snapshot(out_dir)
    args = ["build", "--data", str(data), "--ontology", str(ontology), "--out", str(out_dir)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    for word in words:
        assert _flat(word) in _flat(result.output), result.output
    assert _snapshot(out_dir) == before
    assert not [p for p in out_dir.parent.iterdir() if p.name.startswith(".build-")]
    return _flat(result.output)


def _scratch_build(previous: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out" / "build"
    shutil.copytree(previous, out)
    return out


@pytest.mark.parametrize("fixture", sorted(INVALID_CASES))
def test_build_rejects_every_invalid_fixture_that_validate_rejects(
    data_copy: Path, previous: Path, tmp_path: Path, fixture: str
) -> None:
    # test_validate.py shows that validate rejects each fixture; here build must reject it too
    target, fld, message, _ = INVALID_CASES[fixture]
    shutil.copyfile(INVALID / fixture, data_copy / target)
    out = _scratch_build(previous, tmp_path)
    where = "models/llava.yaml" if target.startswith("raw/") else target
    record = "llava" if target.startswith("raw/") else Path(target).stem
    located = f"{where}: record '{record}'" + (f", field '{fld}'" if fld else "")
    shown = _build_fails(data_copy, out, located, message.split("'")[0][:40])
    assert "unexpected" not in shown


def _rename_component_as_a_model(data: Path) -> None:
    path = data / "components" / "vicuna-7b.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("name: Vicuna-7B", "name: LLaVA"),
        encoding="utf-8",
    )


def _derive_from_a_later_model(data: Path) -> None:
    path = data / "models" / "flamingo.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "derived_from:\n  - target: vila\n    kind: builds-on\n    confidence: paper\n"
        "    sources: [{source: survey, locator: x}]\n",
        encoding="utf-8",
    )


# Data that every record check accepts, and only a check of the built graph rejects.
GRAPH_CASES: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "duplicate label": (
        _rename_component_as_a_model,
        "robot:duplicate_label",
        "data/components/vicuna-7b.yaml",
    ),
    "derived from a later model": (
        _derive_from_a_later_model,
        "query:checks/derivation-to-later-model-violation",
        "data/models/flamingo.yaml",
    ),
}


@pytest.mark.parametrize("case", sorted(GRAPH_CASES))
def test_build_rejects_what_only_the_graph_checks_find(
    data_copy: Path, previous: Path, tmp_path: Path, case: str
) -> None:
    change, check, file = GRAPH_CASES[case]
    change(data_copy)
    result = runner.invoke(app, ["validate", "--data", str(data_copy), "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert any(f["check"] == check for f in report["findings"]), result.output
    assert not any(f["check"] == "records" for f in report["findings"]), result.output
    out = _scratch_build(previous, tmp_path)
    shown = _build_fails(data_copy, out, check, file, "nothing was written")
    assert "mmkg validate" in shown


def test_release_rejects_what_only_the_graph_checks_find(data_copy: Path, tmp_path: Path) -> None:
    # a release is a build too: it never ships a graph that `mmkg validate` rejects
    _derive_from_a_later_model(data_copy)
    out = tmp_path / "release"
    result = runner.invoke(app, ["release", "--data", str(data_copy), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    shown = _flat(result.output)
    assert "query:checks/derivation-to-later-model-violation" in shown, shown
    assert "data/models/flamingo.yaml" in shown and "mmkg validate" in shown
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # no release, no litter


def test_checked_build_raises_the_graph_errors(data_copy: Path) -> None:
    _derive_from_a_later_model(data_copy)
    with pytest.raises(GraphCheckError) as info:
        checked_build(data_copy, ONTOLOGY_FILE)
    errors = info.value.checked.report.errors
    assert [f.entity.rsplit("/", 1)[-1] for f in errors] == ["flamingo"]


BROKEN_TURTLE = (
    "@prefix mmkg: <https://w3id.org/mmkg/ontology#> .\nmmkg:A a mmkg:B .\nmmkg:C mmkg:D ;; . .\n"
)


def test_build_with_a_broken_ontology_names_file_and_line(previous: Path, tmp_path: Path) -> None:
    from mmkg.paths import DATA_DIR

    bad = tmp_path / "mmkg.ttl"
    bad.write_text(BROKEN_TURTLE, encoding="utf-8")
    out = _scratch_build(previous, tmp_path)
    shown = _build_fails(DATA_DIR, out, "mmkg.ttl, line 3", "not valid Turtle", ontology=bad)
    assert "mmkg:C mmkg:D" in shown


def test_build_with_a_missing_ontology_names_it(previous: Path, tmp_path: Path) -> None:
    from mmkg.paths import DATA_DIR

    out = _scratch_build(previous, tmp_path)
    _build_fails(DATA_DIR, out, "no such ontology file", ontology=tmp_path / "none.ttl")


def test_validate_with_a_broken_ontology_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "mmkg.ttl"
    bad.write_text(BROKEN_TURTLE, encoding="utf-8")
    result = runner.invoke(app, ["validate", "--ontology", str(bad)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "line 3" in result.output and "not valid Turtle" in result.output


def test_a_long_derivation_chain_builds(data_copy: Path, tmp_path: Path) -> None:
    from test_load_checks import _chain

    _chain(data_copy, 1500)
    result = runner.invoke(app, ["build", "--data", str(data_copy), "--out", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_build_runs_the_checking_build_and_make_validate_exists() -> None:
    def commands(target: str) -> str:
        done = subprocess.run(
            ["make", "-n", target], cwd=ROOT, capture_output=True, text=True, check=True
        )
        return done.stdout

    assert "mmkg build" in commands("build")
    assert "mmkg validate" in commands("validate")


def test_a_stated_architecture_builds(data_copy: Path) -> None:
    # a source's structured statement of a model's components (not read from a table's or a
    # post's text): its usages have a source but no verbatim text, and every check passes
    path = data_copy / "models" / "aria.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "  architecture:\n    llm-backbone:\n    - component: vicuna-13b\n",
        encoding="utf-8",
    )
    graph, _, _ = checked_build(data_copy, ONTOLOGY_FILE)
    rows = list(
        graph.query(
            """PREFIX mmkg: <https://w3id.org/mmkg/ontology#>
            SELECT ?use ?verbatim WHERE {
              ?model mmkg:hasComponentUsage ?use . ?use mmkg:usesComponent ?c .
              FILTER(STRENDS(STR(?model), "/model/aria") && STRENDS(STR(?c), "/vicuna-13b"))
              OPTIONAL { ?use mmkg:verbatim ?verbatim } }"""
        )
    )
    assert len(rows) == 1 and rows[0][1] is None, rows
