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


# --- bad posts: each a located message, never a crash, nothing written ------------------

GOOD_FRONT = "---\ntitle: X\ndate: 2023-01-01\ncategories: [Arxiv]\ntags: [MM-LLMs]\n---\n"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("2023-01-01-Bad", "---\n- a\n- b\n---\n", "front matter must be a mapping"),
        (
            "2023-01-01-Bad",
            GOOD_FRONT.replace("2023-01-01", "2023-02-30"),
            "field 'date': is not a real date",
        ),
        ("2023-01-01-Two Words", GOOD_FRONT, "the file name"),
        ("2023-01-01-A>B", GOOD_FRONT, "the file name"),
        ("2023-13-01-Month", GOOD_FRONT, "the file name"),
        ("2023-01-01-Bad", GOOD_FRONT.replace("title: X", "title: [1, 2]"), "field 'title'"),
    ],
)
def test_a_malformed_post_is_a_located_message(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / f"{name}.md"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SiteImportError) as info:
        parse_post(path)
    assert str(path) in str(info.value) and message in str(info.value)


def test_a_post_that_is_not_a_regular_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "2023-01-01-Fifo.md"
    os.mkfifo(fifo)  # reading it would block forever
    with pytest.raises(SiteImportError, match="not a regular file"):
        parse_post(fifo)
    device = tmp_path / "2023-01-01-Zero.md"
    device.symlink_to("/dev/zero")
    with pytest.raises(SiteImportError, match="not a regular file"):
        parse_post(device)


def test_an_oversized_post_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "2023-01-01-Huge.md"
    path.write_text(GOOD_FRONT + "- Paper: x\n  continued\n" * 60_000, encoding="utf-8")
    with pytest.raises(SiteImportError, match="larger than 1,000,000 bytes"):
        parse_post(path)


def test_continuation_lines_are_joined_in_one_pass(tmp_path: Path) -> None:
    """A value continued over many lines is one value (joined once, not line by line)."""
    path = tmp_path / "2023-01-01-Long.md"
    lines = "".join(f"  part{i}\n" for i in range(2000))
    path.write_text(
        GOOD_FRONT + "- Author Affiliation: `A\n" + lines.replace("part1999", "part1999`"),
        encoding="utf-8",
    )
    post = parse_post(path)
    assert post.affiliation is not None and post.affiliation.startswith("A part0 part1 ")
    assert post.affiliation.endswith("part1999")


def test_every_bad_post_is_reported_at_once_and_nothing_is_written(tmp_path: Path) -> None:
    posts, raw = tmp_path / "posts", tmp_path / "raw"
    posts.mkdir()
    shutil.copy(SITE_POSTS_DIR / "2023-04-17-LLaVA.md", posts / "2023-04-17-LLaVA.md")
    (posts / "2023-01-01-One.md").write_text("no front matter\n", encoding="utf-8")
    (posts / "2023-01-01-Two.md").write_text("---\n- a\n---\n", encoding="utf-8")
    with pytest.raises(SiteImportError) as info:
        import_posts(posts, raw, set())
    text = str(info.value)
    assert "2 post(s) cannot be read" in text
    assert "2023-01-01-One.md" in text and "2023-01-01-Two.md" in text
    assert not raw.exists()


def test_a_raw_file_holds_the_post_its_name_says(data_copy: Path) -> None:
    """A raw file under another name that claims another post must not override that post."""
    from mmkg.errors import DataError
    from mmkg.load import load_facts

    raw = data_copy / "raw" / "mm-llms-site" / "model"
    text = (raw / "2023-04-17-LLaVA.yaml").read_text(encoding="utf-8")
    (raw / "2023-04-18-Other.yaml").write_text(
        text.replace("title: LLaVA", "title: Not LLaVA"), encoding="utf-8"
    )
    with pytest.raises(DataError) as info:
        load_facts(data_copy)
    found = [p for p in info.value.problems if p.field == "post"]
    assert len(found) == 1 and found[0].record == "2023-04-18-Other"
    assert "2023-04-17-LLaVA" in found[0].message and "mmkg import-site" in found[0].hint


def test_front_matter_is_read_as_data_only(tmp_path: Path) -> None:
    """No anchors (an alias bomb expands to billions), no duplicate keys: a located message."""
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\n'
    for name, front, message in (
        ("2023-01-01-Bomb", bomb, "anchor"),
        ("2023-01-01-Twice", "title: X\ntitle: Y\n", "twice"),
    ):
        path = tmp_path / f"{name}.md"
        path.write_text(f"---\n{front}---\n", encoding="utf-8")
        with pytest.raises(SiteImportError, match=message) as info:
            parse_post(path)
        assert str(path) in str(info.value)


def test_curated_posts_reads_no_fifo(data_copy: Path) -> None:
    import os

    os.mkfifo(data_copy / "models" / "zz-fifo.yaml")  # reading it would block forever
    assert "2023-04-17-LLaVA" in curated_posts(data_copy)
