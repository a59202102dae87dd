"""The importer: website posts -> the raw layer, verbatim and repeatable."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest

from mmkg.errors import SiteImportError
from mmkg.load import curated_posts
from mmkg.paths import DATA_DIR, RAW_SITE_DIR, SITE_POSTS_DIR
from mmkg.site_posts import dump_raw, import_posts, parse_post

POSTS = SITE_POSTS_DIR


def test_parse_model_post_keeps_strings_verbatim() -> None:
    post = parse_post(POSTS / "2023-04-17-LLaVA.md")
    assert post.kind == "model"
    assert post.title == "LLaVA"
    assert post.category == "NeurIPS 2023"
    assert post.paper is not None and post.paper.url == "https://arxiv.org/abs/2304.08485"
    assert post.affiliation == (
        "University of Wisconsin–Madison & Microsoft Research & Columbia University"
    )
    assert post.functional == ["Understanding"] and post.design == ["End-to-end"]
    assert (post.inputs, post.outputs) == (["I", "T"], ["T"])
    assert post.architecture["llm-backbone"] == ["Vicuna-7B/13B"]
    assert post.architecture["output-projector"] == []  # the site says "None"
    assert post.pretraining_scale is None  # "Not report"


def test_parse_keeps_per_modality_encoders() -> None:
    post = parse_post(POSTS / "2023-05-07-X-LLM.md")
    assert post.architecture["modality-encoder"] == ["I/V: ViT-G", "A: C-Former"]


def test_parse_splits_io_outside_parentheses() -> None:
    post = parse_post(POSTS / "2024-02-19-AnyGPT.md")
    assert "A(Speech+Music)" in post.inputs


def test_parse_dataset_post() -> None:
    post = parse_post(POSTS / "2023-04-17-LLaVA-IT.md")
    assert post.kind == "it-dataset"
    assert post.it_type == ["SFT"] and post.multi_turn is True
    assert post.it_scale == {"I": "81K"}
    assert post.instance_scale == "150K" and post.dialog_turns == "2.29"


def test_reimporting_the_same_posts_changes_nothing(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(RAW_SITE_DIR, raw)
    report = import_posts(POSTS, raw, curated_posts(DATA_DIR))
    assert report.created == [] and report.changed == []
    assert len(report.unchanged) == 215
    comparison = filecmp.dircmp(raw, RAW_SITE_DIR)
    assert not comparison.diff_files and not comparison.left_only
    for sub in comparison.subdirs.values():
        assert not sub.diff_files and not sub.left_only and not sub.right_only


def test_every_committed_raw_file_is_what_the_importer_writes() -> None:
    for path in sorted(POSTS.glob("*.md")):
        post = parse_post(path)
        raw = RAW_SITE_DIR / post.kind / f"{post.post}.yaml"
        assert raw.read_text(encoding="utf-8") == dump_raw(post), raw


def test_every_post_is_curated() -> None:
    report = import_posts(POSTS, RAW_SITE_DIR, curated_posts(DATA_DIR))
    assert report.uncurated == []


def test_new_post_is_reported_as_not_yet_curated(tmp_path: Path) -> None:
    posts = tmp_path / "posts"
    shutil.copytree(POSTS, posts)
    text = (POSTS / "2023-04-17-LLaVA.md").read_text(encoding="utf-8")
    (posts / "2026-01-01-NewModel.md").write_text(
        text.replace("title: LLaVA", "title: NewModel"), encoding="utf-8"
    )
    raw = tmp_path / "raw"
    shutil.copytree(RAW_SITE_DIR, raw)
    report = import_posts(posts, raw, curated_posts(DATA_DIR))
    assert report.created == ["model/2026-01-01-NewModel.yaml"]
    assert report.uncurated == ["model/2026-01-01-NewModel"]
    assert (raw / "model" / "2026-01-01-NewModel.yaml").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("no front matter here\n", "no YAML front matter"),
        ("---\ntitle: [x\n---\n", "front matter is not valid YAML"),
        (
            "---\ntitle: X\ndate: 2023-01-01\ncategories: [Arxiv]\ntags: [Blog]\n---\n",
            "expected exactly one of",
        ),
        ("---\ntitle: X\ntags: [MM-LLMs]\n---\n", "needs 'title', 'date' and 'categories'"),
    ],
)
def test_bad_post_is_rejected_with_the_file_named(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "2023-01-01-Bad.md"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SiteImportError) as info:
        parse_post(path)
    assert str(path) in str(info.value) and message in str(info.value)


def test_non_utf8_post_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "2023-01-01-Bad.md"
    path.write_bytes(b"---\ntitle: \xff\xfe\n---\n")
    with pytest.raises(SiteImportError, match="not UTF-8"):
        parse_post(path)


def test_missing_posts_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SiteImportError, match="no such directory"):
        import_posts(tmp_path / "nowhere", tmp_path / "raw", set())
