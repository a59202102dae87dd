"""Output folders replaced all at once, only where the same command wrote them before."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from conftest import HOSTILE
from mmkg.build import SERIALISATIONS, write_build
from mmkg.cli import app
from mmkg.errors import OutputError
from mmkg.outputs import (
    MARKER,
    UNMARKED_OUTPUTS,
    check_output_file,
    check_output_folder,
    staged_file,
    staged_folder,
)
from mmkg.paths import DATA_DIR, ONTOLOGY_FILE, PROJECT_ROOT, QUERIES_DIR
from mmkg.reason import Inference, write_inferred
from mmkg.release import LAYERS

SRC = str(PROJECT_ROOT / "src")


def written(out: Path, command: str, **files: str) -> Path:
    """*out* as *command* writes it, holding *files* (name -> text)."""
    with staged_folder(out, command) as staging:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under *folder*, hidden ones too, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- replacing all at once ----------------------------------------------------------------


def test_failure_leaves_the_old_folder_and_no_staging(tmp_path: Path) -> None:
    out = written(tmp_path / "out", "site", **{"old.txt": "old"})
    before = snapshot(out)
    with pytest.raises(RuntimeError), staged_folder(out, "site") as staging:
        (staging / "new.txt").write_text("new", encoding="utf-8")
        raise RuntimeError("boom")
    assert names(tmp_path) == ["out"]
    assert snapshot(out) == before


def test_keyboard_interrupt_in_the_block_leaves_the_old_folder(tmp_path: Path) -> None:
    out = written(tmp_path / "out", "site", **{"old.txt": "old"})
    before = snapshot(out)
    with pytest.raises(KeyboardInterrupt), staged_folder(out, "site") as staging:
        (staging / "new.txt").write_text("new", encoding="utf-8")
        raise KeyboardInterrupt
    assert names(tmp_path) == ["out"]
    assert snapshot(out) == before


def test_a_ctrl_c_during_the_swap_waits_until_the_swap_is_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = written(tmp_path / "out", "site", **{"old.txt": "old"})
    rename = os.rename

    def interrupted_rename(src: str | Path, dst: str | Path) -> None:
        if Path(src) == out:  # the old folder moves aside: the new one is not in place yet
            signal.raise_signal(signal.SIGINT)
        rename(src, dst)

    monkeypatch.setattr(os, "rename", interrupted_rename)
    with pytest.raises(KeyboardInterrupt), staged_folder(out, "site") as staging:
        (staging / "new.txt").write_text("new", encoding="utf-8")
    assert names(out) == sorted([MARKER, "new.txt"])
    assert names(tmp_path) == ["out"]


def test_replace_drops_old_entries_unless_carried_over(tmp_path: Path) -> None:
    out = written(tmp_path / "out", "build", **{"graph.ttl": "old"})
    written(out / "release", "release", VERSION="1\n")
    with staged_folder(out, "build", carry_over=True) as staging:
        (staging / "graph.ttl").write_text("new", encoding="utf-8")
    assert names(out) == sorted([MARKER, "graph.ttl", "release"])
    assert (out / "graph.ttl").read_text(encoding="utf-8") == "new"
    assert (out / "release" / "VERSION").read_text(encoding="utf-8") == "1\n"
    with staged_folder(out, "build") as staging:
        (staging / "only.txt").write_text("x", encoding="utf-8")
    assert names(out) == sorted([MARKER, "only.txt"])
    assert names(tmp_path) == ["out"]


# --- the marker: a folder is replaced only by the command that wrote it ---------------------


def test_every_folder_is_marked_with_the_command_that_wrote_it(tmp_path: Path) -> None:
    out = written(tmp_path / "out", "release", VERSION="1\n")
    assert json.loads((out / MARKER).read_text(encoding="utf-8"))["command"] == "release"


def test_refuses_to_empty_a_folder_it_did_not_write(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "thesis.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError) as caught, staged_folder(notes, "release"):
        pytest.fail("the block must not run")
    message = str(caught.value)
    assert f"{notes}/: not a release written by mmkg" in message
    assert MARKER in message and "thesis.txt" in message
    assert "choose another --out or remove it yourself" in message
    assert names(notes) == ["thesis.txt"] and names(tmp_path) == ["notes"]


def test_cli_release_refuses_a_folder_of_notes(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "thesis.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(app, ["release", "--out", str(notes)])
    assert result.exit_code == 1
    assert "not a release written by mmkg" in result.output and "Traceback" not in result.output
    assert (notes / "thesis.txt").read_text(encoding="utf-8") == "mine"


def _refused_without_writing(args: list[str], monkeypatch: pytest.MonkeyPatch) -> str:
    """Run `mmkg ARGS` with every swap and removal disarmed; it must exit 1 without a trace."""
    import shutil

    import mmkg.build
    import mmkg.release
    import mmkg.render.site

    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a refused --out reached the swap or a removal")

    for module in (mmkg.build, mmkg.release, mmkg.render.site):
        monkeypatch.setattr(module, "staged_folder", never)
    monkeypatch.setattr(shutil, "rmtree", never)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "unexpected" not in result.output
    return " ".join(result.output.split())


@pytest.mark.parametrize("command", ["build", "release", "site"])
def test_cli_refuses_the_project_folder_as_out(
    command: str, monkeypatch: pytest.MonkeyPatch, hostile_graph: Path
) -> None:
    # `--out .` run from the project: the folder holding data/ and ontology/
    monkeypatch.chdir(PROJECT_ROOT)
    before = names(PROJECT_ROOT)
    extra = ["--graph", str(hostile_graph)] if command == "site" else []
    shown = _refused_without_writing([command, *extra, "--out", "."], monkeypatch)
    assert "choose another --out" in shown, shown
    assert names(PROJECT_ROOT) == before


@pytest.mark.parametrize("command", ["release", "site"])
def test_cli_refuses_a_file_as_out(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hostile_graph: Path
) -> None:
    record = tmp_path / "thesis.txt"
    record.write_text("mine", encoding="utf-8")
    extra = ["--graph", str(hostile_graph)] if command == "site" else []
    shown = _refused_without_writing([command, *extra, "--out", str(record)], monkeypatch)
    assert "is a file, not a folder" in shown, shown
    assert record.read_text(encoding="utf-8") == "mine"


def test_an_empty_folder_may_be_used(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    written(out, "site", **{"index.html": "x"})
    assert names(out) == sorted([MARKER, "index.html"])


def test_refuses_a_folder_another_command_wrote(tmp_path: Path) -> None:
    out = written(tmp_path / "build", "build", **{"mmkg.ttl": "graph"})
    before = snapshot(out)
    with pytest.raises(OutputError, match="not a site written by mmkg.*`mmkg build` wrote it"):
        check_output_folder(out, "site")
    with pytest.raises(OutputError, match="not a release written by mmkg"):
        written(out, "release")
    assert snapshot(out) == before


def test_refuses_a_folder_whose_marker_cannot_be_read(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / MARKER).write_text("not json", encoding="utf-8")
    with pytest.raises(OutputError, match="cannot be read"):
        check_output_folder(out, "site")


# --- folders written by versions without the marker ---------------------------------------


def test_the_unmarked_lists_name_what_the_commands_write() -> None:
    assert set(SERIALISATIONS) | {"mmkg-inferred.ttl", "release"} <= UNMARKED_OUTPUTS["build"]
    release_files = {name for files in LAYERS.values() for name in files}
    assert release_files | {"catalog-v001.xml", "docs", "VERSION"} <= UNMARKED_OUTPUTS["release"]


def test_adopts_an_unmarked_build_folder_of_an_earlier_version(tmp_path: Path) -> None:
    out = tmp_path / "build"
    out.mkdir()
    for name in SERIALISATIONS:
        (out / name).write_text("old", encoding="utf-8")
    (out / "mmkg-inferred.ttl").write_text("inferred", encoding="utf-8")
    (out / "release").mkdir()
    (out / "release" / "VERSION").write_text("0.4.0\n", encoding="utf-8")
    write_build(Graph(), out)
    assert json.loads((out / MARKER).read_text(encoding="utf-8"))["command"] == "build"
    assert (out / "mmkg-inferred.ttl").read_text(encoding="utf-8") == "inferred"
    assert (out / "release" / "VERSION").read_text(encoding="utf-8") == "0.4.0\n"
    assert (out / "mmkg.ttl").read_text(encoding="utf-8") != "old"


def test_refuses_an_unmarked_build_folder_holding_a_foreign_file(tmp_path: Path) -> None:
    out = tmp_path / "build"
    out.mkdir()
    (out / "mmkg.ttl").write_text("old", encoding="utf-8")
    (out / "thesis.txt").write_text("mine", encoding="utf-8")
    before = snapshot(out)
    with pytest.raises(OutputError, match="not a build folder written by mmkg.*thesis.txt"):
        write_build(Graph(), out)
    assert snapshot(out) == before and names(tmp_path) == ["build"]


def test_adopts_an_unmarked_site_only_with_its_old_marker(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "models").mkdir(parents=True)
    (site / "index.html").write_text("old", encoding="utf-8")
    with pytest.raises(OutputError, match="not a site written by mmkg"):
        check_output_folder(site, "site")
    (site / ".mmkg-site").write_text("written by `mmkg site`\n", encoding="utf-8")
    written(site, "site", **{"index.html": "new"})
    assert names(site) == sorted([MARKER, "index.html"])


def test_adopts_an_unmarked_release_folder(tmp_path: Path) -> None:
    out = tmp_path / "release"
    (out / "docs").mkdir(parents=True)
    for name in ("mmkg.owl", "VERSION", "CHANGELOG.md", "void.ttl"):
        (out / name).write_text("old", encoding="utf-8")
    written(out, "release", VERSION="2\n")
    assert names(out) == sorted([MARKER, "VERSION"])


# --- places that are never an output folder -----------------------------------------------


@pytest.mark.parametrize(
    "where",
    [
        PROJECT_ROOT,
        DATA_DIR,
        DATA_DIR / "models",
        DATA_DIR / "new-folder",
        ONTOLOGY_FILE.parent,
        QUERIES_DIR,
        PROJECT_ROOT / "src",
        PROJECT_ROOT / "src" / "mmkg" / "new-folder",
        PROJECT_ROOT / "tests",
        PROJECT_ROOT / ".git",
        PROJECT_ROOT.parent,
        Path("/"),
        Path.home(),
    ],
)
def test_refuses_the_project_its_sources_and_what_holds_them(where: Path) -> None:
    with pytest.raises(OutputError, match="choose another --out"):
        check_output_folder(where, "build")


def test_refuses_a_folder_inside_data_before_creating_it() -> None:
    target = DATA_DIR / "scratch-output"
    with pytest.raises(OutputError, match="data/"), staged_folder(target, "build"):
        pytest.fail("the block must not run")
    assert not target.exists()


def test_refuses_a_file(data_copy: Path) -> None:
    record = data_copy / "models" / "llava.yaml"
    before = record.read_bytes()
    with pytest.raises(OutputError, match="is a file, not a folder"):
        write_build(Graph(), record)
    assert record.is_file() and record.read_bytes() == before


def test_cli_build_refuses_a_record_file_as_out(data_copy: Path) -> None:
    record = data_copy / "models" / "llava.yaml"
    before = record.read_bytes()
    result = CliRunner().invoke(app, ["build", "--data", str(data_copy), "--out", str(record)])
    assert result.exit_code == 1 and "is a file, not a folder" in result.output
    assert record.is_file() and record.read_bytes() == before


def test_cli_build_checks_out_before_reading_the_data(data_copy: Path) -> None:
    # a refused --out is reported at once, not after every check of the data has run
    (data_copy / "models" / "flamingo.yaml").write_text("name: [\n", encoding="utf-8")
    record = data_copy / "models" / "llava.yaml"
    result = CliRunner().invoke(app, ["build", "--data", str(data_copy), "--out", str(record)])
    assert result.exit_code == 1 and "is a file, not a folder" in result.output
    assert "flamingo.yaml" not in result.output


# --- single files -------------------------------------------------------------------------


def test_staged_file_replaces_the_file_only_when_the_block_succeeds(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), staged_file(path) as staging:
        staging.write_text("half", encoding="utf-8")
        raise RuntimeError("boom")
    assert path.read_text(encoding="utf-8") == "old" and names(tmp_path) == ["report.txt"]
    with staged_file(path) as staging:
        staging.write_text("new", encoding="utf-8")
    assert path.read_text(encoding="utf-8") == "new" and names(tmp_path) == ["report.txt"]
    assert path.stat().st_mode & 0o644 == 0o644


def test_staged_file_refuses_a_folder_and_the_project_sources(tmp_path: Path) -> None:
    (tmp_path / "report.txt").mkdir()
    with pytest.raises(OutputError, match="is a folder"):
        check_output_file(tmp_path / "report.txt")
    for path in (DATA_DIR / "mmkg-inferred.ttl", DATA_DIR / "models" / "llava.yaml"):
        with pytest.raises(OutputError, match="data/"):
            check_output_file(path)


def test_write_inferred_refuses_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "mmkg-inferred.ttl"
    folder.mkdir()
    (folder / "mine.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="is a folder"):
        write_inferred(Graph(), Inference(), folder)
    assert names(folder) == ["mine.txt"] and names(tmp_path) == ["mmkg-inferred.ttl"]


# --- concurrent runs and Ctrl-C, in real processes ----------------------------------------

CONCURRENT_WRITER = """
import sys
from pathlib import Path
from mmkg.outputs import staged_file, staged_folder

kind, out = sys.argv[1], Path(sys.argv[2])
for i in range(25):
    if kind == "build":
        with staged_folder(out, "build", carry_over=True) as staging:
            (staging / "graph.ttl").write_text(f"graph {i}", encoding="utf-8")
    elif kind == "release":
        with staged_folder(out / "release", "release") as staging:
            (staging / "VERSION").write_text(f"{i}", encoding="utf-8")
    else:
        with staged_file(out / "mmkg-inferred.ttl") as staging:
            staging.write_text(f"inferred {i}", encoding="utf-8")
"""


def run_all(commands: list[list[str]]) -> list[subprocess.CompletedProcess]:
    """Start every command at once and wait for all of them."""
    env = {**os.environ, "PYTHONPATH": SRC}
    started = [
        subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for c in commands
    ]
    finished = []
    for process in started:
        stdout, stderr = process.communicate(timeout=900)
        finished.append(
            subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
        )
    return finished


def test_concurrent_swaps_lose_nothing_and_leave_no_litter(tmp_path: Path) -> None:
    out = written(tmp_path / "build", "build", **{"graph.ttl": "first", "kept.txt": "kept"})
    written(out / "release", "release", VERSION="first")
    writer = [sys.executable, "-c", CONCURRENT_WRITER]
    kinds = ["build"] * 4 + ["release"] * 2 + ["inferred"]
    results = run_all([[*writer, kind, str(out)] for kind in kinds])
    assert [r.returncode for r in results] == [0] * len(kinds), [r.stderr for r in results]
    assert names(tmp_path) == ["build"]
    assert names(out) == sorted([MARKER, "graph.ttl", "kept.txt", "mmkg-inferred.ttl", "release"])
    assert (out / "kept.txt").read_text(encoding="utf-8") == "kept"
    assert (out / "graph.ttl").read_text(encoding="utf-8") == "graph 24"
    assert (out / "mmkg-inferred.ttl").read_text(encoding="utf-8") == "inferred 24"
    assert names(out / "release") == sorted([MARKER, "VERSION"])
    assert (out / "release" / "VERSION").read_text(encoding="utf-8") == "24"


def test_four_concurrent_builds_end_with_one_complete_folder(tmp_path: Path) -> None:
    out = tmp_path / "build"
    write_build(Graph(), out)
    (out / "mmkg-inferred.ttl").write_text("inferred", encoding="utf-8")
    written(out / "release", "release", VERSION="0.4.0\n")
    build = [sys.executable, "-m", "mmkg", "build", "--data", str(DATA_DIR), "--out", str(out)]
    results = run_all([build] * 4)
    assert [r.returncode for r in results] == [0] * 4, [r.stderr for r in results]
    assert names(tmp_path) == ["build"]
    assert names(out) == sorted([MARKER, *SERIALISATIONS, "mmkg-inferred.ttl", "release"])
    assert (out / "mmkg-inferred.ttl").read_text(encoding="utf-8") == "inferred"
    assert names(out / "release") == sorted([MARKER, "VERSION"])
    assert len(Graph().parse(out / "mmkg.nt", format="nt")) > 10_000


def test_four_concurrent_releases_end_with_one_complete_folder(tmp_path: Path) -> None:
    out = tmp_path / "release"
    release = [sys.executable, "-m", "mmkg", "release", "--out", str(out)]
    (first,) = run_all([release])
    assert first.returncode == 0, first.stderr
    expected = sorted(snapshot(out))
    results = run_all([release] * 4)
    assert [r.returncode for r in results] == [0] * 4, [r.stderr for r in results]
    assert names(tmp_path) == ["release"]  # no staging or old folder left
    assert sorted(snapshot(out)) == expected
    assert len(Graph().parse(out / "mmkg.ttl", format="turtle")) > 10_000


@pytest.fixture
def hostile_graph(tmp_path: Path) -> Path:
    """The ontology and the hostile ABox in one Turtle file, outside the output's parent."""
    graph = tmp_path / "in" / "hostile.ttl"
    graph.parent.mkdir()
    graph.write_text(
        ONTOLOGY_FILE.read_text(encoding="utf-8") + "\n" + HOSTILE.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    return graph


def test_four_concurrent_sites_end_with_one_complete_folder(
    tmp_path: Path, hostile_graph: Path
) -> None:
    out = tmp_path / "out" / "site"
    site = [sys.executable, "-m", "mmkg", "site", "--graph", str(hostile_graph)]
    (first,) = run_all([[*site, "--out", str(out)]])
    assert first.returncode == 0, first.stderr
    expected = sorted(snapshot(out))
    results = run_all([[*site, "--out", str(out)]] * 4)
    assert [r.returncode for r in results] == [0] * 4, [r.stderr for r in results]
    assert names(out.parent) == ["site"]
    assert sorted(snapshot(out)) == expected


STALLED_SITE = """
import signal
import sys

from mmkg.cli import run
from mmkg.render.answerpages import AnswerPages

queries = AnswerPages.queries


def stalled(self, out):
    queries(self, out)
    print("mid-run", flush=True)  # the staging folder is half written: wait for the Ctrl-C
    signal.pause()


AnswerPages.queries = stalled
sys.argv = ["mmkg", "site", "--graph", sys.argv[1], "--out", sys.argv[2]]
run()
"""


def test_ctrl_c_mid_site_leaves_the_previous_site_byte_identical(
    tmp_path: Path, hostile_graph: Path
) -> None:
    out = tmp_path / "out" / "site"
    command = ["--graph", str(hostile_graph), "--out", str(out)]
    assert CliRunner().invoke(app, ["site", *command]).exit_code == 0
    before = snapshot(out)
    process = subprocess.Popen(
        [sys.executable, "-c", STALLED_SITE, str(hostile_graph), str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": SRC},
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "mid-run\n"
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".site-new-")]
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert err.strip() == "mmkg: interrupted"
    assert names(out.parent) == ["site"]
    assert snapshot(out) == before


def test_a_check_waits_for_a_swap_under_way(tmp_path: Path) -> None:
    """A run checks a folder while another swaps it: it sees the folder before or after the
    swap, never half-way (a marker moved away for an instant refused a good folder)."""
    import threading
    import time

    from mmkg.outputs import _locked_folder

    out = tmp_path / "site"
    with staged_folder(out, "site") as staging:
        (staging / "index.html").write_text("old")
    outcome: list[object] = []
    with _locked_folder(tmp_path):  # the other run's swap holds the parent's lock
        (out / MARKER).rename(tmp_path / "marker-away")  # the instant inside a swap
        checker = threading.Thread(target=lambda: outcome.append(_check_or_error(out)), daemon=True)
        checker.start()
        time.sleep(0.5)
        assert outcome == []  # it waits for the swap
        (tmp_path / "marker-away").rename(out / MARKER)
    checker.join(10)
    assert outcome == [None]


def _check_or_error(out: Path) -> OutputError | None:
    try:
        check_output_folder(out, "site")
    except OutputError as error:
        return error
    return None


def test_an_out_folder_below_a_file_is_refused_with_its_name(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    with pytest.raises(OutputError, match=r"notes\.txt is a file, not a folder; choose another"):
        check_output_folder(notes / "site", "site")
    assert notes.read_text() == "mine"
