"""Output folders replaced all at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from mmkg.outputs import staged_folder


def test_failure_leaves_the_old_folder_and_no_staging(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), staged_folder(out) as staging:
        (staging / "new.txt").write_text("new", encoding="utf-8")
        raise RuntimeError("boom")
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert [p.name for p in out.iterdir()] == ["old.txt"]


def test_replace_drops_old_entries_unless_carried_over(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "release").mkdir()
    (out / "graph.ttl").write_text("old", encoding="utf-8")
    with staged_folder(out, carry_over=True) as staging:
        (staging / "graph.ttl").write_text("new", encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == ["graph.ttl", "release"]
    assert (out / "graph.ttl").read_text(encoding="utf-8") == "new"
    with staged_folder(out) as staging:
        (staging / "only.txt").write_text("x", encoding="utf-8")
    assert [p.name for p in out.iterdir()] == ["only.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
