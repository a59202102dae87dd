"""The command line: exit codes and the messages people see."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from mmkg.cli import app
from mmkg.paths import RAW_SITE_DIR, SITE_POSTS_DIR

runner = CliRunner()


def test_build_prints_counts_and_files(tmp_path: Path, data_copy: Path) -> None:
    out = tmp_path / "build"
    result = runner.invoke(app, ["build", "--data", str(data_copy), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "models" in result.output and "155" in result.output
    assert "triples" in result.output and "built in" in result.output
    assert (out / "mmkg.owl").exists() and (out / "mmkg.jsonld").exists()


def test_build_with_bad_data_exits_1_with_a_message(tmp_path: Path, data_copy: Path) -> None:
    (data_copy / "models" / "llava.yaml").write_text(
        "name: LLaVA\nsite_post: nope\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["build", "--data", str(data_copy), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "record 'llava'" in result.output and "site_post" in result.output
    assert "Traceback" not in result.output


def test_import_site_twice_reports_nothing_changed(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(RAW_SITE_DIR, raw)
    result = runner.invoke(app, ["import-site", str(SITE_POSTS_DIR), "--raw", str(raw)])
    assert result.exit_code == 0, result.output
    assert "0 new, 0 changed, 215 unchanged" in result.output
    assert "every post is curated" in result.output


def test_import_site_reports_uncurated_posts(tmp_path: Path) -> None:
    posts = tmp_path / "posts"
    posts.mkdir()
    shutil.copy(SITE_POSTS_DIR / "2023-04-17-LLaVA.md", posts / "2099-01-01-Future.md")
    result = runner.invoke(app, ["import-site", str(posts), "--raw", str(tmp_path / "raw")])
    assert result.exit_code == 0, result.output
    assert "1 new" in result.output and "model/2099-01-01-Future" in result.output
    assert "not yet curated" in result.output


def test_import_site_missing_folder_exits_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["import-site", str(tmp_path / "missing")])
    assert result.exit_code == 1
    assert "no such directory" in result.output and "Traceback" not in result.output


def test_version_and_help() -> None:
    assert runner.invoke(app, ["--version"]).output.startswith("mmkg ")
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0 and "build" in result.output and "import-site" in result.output
