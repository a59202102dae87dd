"""Reading data files: one file per record, regular files of bounded size, checked survey CSVs.

Each test breaks a scratch copy of data/ and loads it through `load_facts`, the loader's public
entry; the problem must name the file, the record and the field, and be reported once.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from mmkg.errors import DataError, Problem
from mmkg.load import load_facts

INVALID = Path(__file__).parent / "fixtures" / "invalid"
TABLE2 = "external/survey/table2.csv"
FIRST_RESULT = "Flamingo,Chinchilla-7B,OKVQA,44.7,"
RAW_LLAVA = "raw/mm-llms-site/model/2023-04-17-LLaVA.yaml"


def _problems(data: Path) -> list[Problem]:
    with pytest.raises(DataError) as info:
        load_facts(data)
    return info.value.problems


def _about(problems: list[Problem], file: str) -> list[Problem]:
    return [p for p in problems if p.file.endswith(file)]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- each problem once ------------------------------------------------------


@pytest.mark.parametrize("fixture", ["Model-yaml-syntax.yaml", "Model-empty.yaml"])
def test_an_unreadable_file_is_reported_once(data_copy: Path, fixture: str) -> None:
    shutil.copyfile(INVALID / fixture, data_copy / "models" / "bad-model.yaml")
    problems = _about(_problems(data_copy), "models/bad-model.yaml")
    assert len(problems) == 1, "\n".join(map(str, problems))
    assert "NoneType" not in problems[0].message


def test_a_document_that_is_not_a_mapping_says_what_it_is(data_copy: Path) -> None:
    (data_copy / "models" / "bad-model.yaml").write_text("- a\n- b\n", encoding="utf-8")
    [problem] = _about(_problems(data_copy), "models/bad-model.yaml")
    assert problem.message == "must be a mapping of fields, not a list"


# --- one file per record ----------------------------------------------------


def test_a_yml_record_must_be_renamed(data_copy: Path) -> None:
    models = data_copy / "models"
    (models / "otter.yaml").rename(models / "otter.yml")
    [problem] = _about(_problems(data_copy), "models/otter.yml")
    assert problem.record == "otter" and "has the extension '.yml'" in problem.message
    assert "rename it to otter.yaml" in problem.hint


def test_a_stale_yml_beside_the_record_is_not_read(data_copy: Path) -> None:
    models = data_copy / "models"
    (models / "otter.yml").write_text("name: Stale Otter\nsurvey: {taxonomy: Otter}\n")
    problems = _problems(data_copy)
    [problem] = _about(problems, "models/otter.yml")
    assert "is a second file for record 'otter'" in problem.message
    assert "data/models/otter.yaml" in problem.message
    assert not _about(problems, "models/otter.yaml")


def test_a_file_name_with_a_trailing_newline_is_not_a_slug(data_copy: Path) -> None:
    models = data_copy / "models"
    shutil.copyfile(models / "otter.yaml", models / "otter\n.yaml")
    problems = [p for p in _problems(data_copy) if "not a valid slug" in p.message]
    assert problems and problems[0].record == "otter\\n"
    assert problems[0].file.endswith("models/otter\\n.yaml")
    assert "\n" not in str(problems[0])


# --- regular files of bounded size ------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_named_like_a_record_is_refused_without_reading_it(data_copy: Path) -> None:
    os.mkfifo(data_copy / "models" / "fifo-model.yaml")  # reading it would block forever
    [problem] = _about(_problems(data_copy), "models/fifo-model.yaml")
    assert problem.record == "fifo-model"
    assert "is not a regular file (a FIFO)" in problem.message


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_a_record_linked_to_a_device_is_refused_without_reading_it(data_copy: Path) -> None:
    (data_copy / "models" / "zero-model.yaml").symlink_to("/dev/zero")  # endless bytes
    [problem] = _about(_problems(data_copy), "models/zero-model.yaml")
    assert "is not a regular file (a character device)" in problem.message


def test_a_dangling_link_is_reported(data_copy: Path) -> None:
    (data_copy / "models" / "gone-model.yaml").symlink_to(data_copy / "nowhere.yaml")
    [problem] = _about(_problems(data_copy), "models/gone-model.yaml")
    assert "does not exist" in problem.message


def test_a_record_file_over_the_size_limit_is_refused(data_copy: Path) -> None:
    text = "name: Big Model\nsurvey: {taxonomy: Otter}\ndescription: " + "word " * 220_000
    (data_copy / "models" / "big-model.yaml").write_text(text + "\n", encoding="utf-8")
    [problem] = _about(_problems(data_copy), "models/big-model.yaml")
    assert "bytes; a data file holds at most 1000000" in problem.message
    assert problem.hint


# --- the survey's CSV tables ------------------------------------------------


def test_a_csv_that_is_not_utf8_is_located(data_copy: Path) -> None:
    path = data_copy / "external" / "survey" / "taxonomy.csv"
    lines = path.read_bytes().split(b"\n")
    lines[4] = lines[4].replace(b"MM", b"M\xffM", 1)
    path.write_bytes(b"\n".join(lines))
    [problem] = _about(_problems(data_copy), "survey/taxonomy.csv")
    assert problem.record == "line 5" and "is not UTF-8 text" in problem.message
    assert "UTF-8" in problem.hint


def test_a_table_longer_than_a_record_file_is_read_line_by_line(tmp_path: Path) -> None:
    """A table of results may hold millions of rows: the size limit is per line."""
    from mmkg.load.reading import MAX_FILE_BYTES, _Collector

    path = tmp_path / "external" / "survey" / "scores.csv"
    path.parent.mkdir(parents=True)
    rows = [f"model-{i},benchmark-{i % 7},{i / 10}" for i in range(60_000)]
    path.write_text("model,benchmark,score\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert path.stat().st_size > 1.5 * MAX_FILE_BYTES
    collector = _Collector(tmp_path)
    read = collector.read_csv_lines(path)
    assert not collector.problems
    assert len(read) == 60_000 and read[-1] == (
        60_001,
        {"model": "model-59999", "benchmark": "benchmark-2", "score": "5999.9"},
    )
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[30_000] = "model-x,benchmark-x," + "9" * MAX_FILE_BYTES
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    collector = _Collector(tmp_path)
    assert collector.read_csv_lines(path) == []
    [problem] = collector.problems
    assert problem.file.endswith("external/survey/scores.csv") and problem.record == "line 30001"
    assert f"longer than {MAX_FILE_BYTES} bytes" in problem.message


def test_a_multi_line_cell_keeps_the_line_its_row_ends_on(data_copy: Path) -> None:
    path = data_copy / TABLE2
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("Flamingo", '"Flamingo\nwith a break"', 1)
    lines[3] = "Flamingo,Chinchilla-7B,OKVQA\r\n"  # short row: now on line 5 of the file
    path.write_text("".join(lines), encoding="utf-8")
    [short] = [p for p in _about(_problems(data_copy), "survey/table2.csv") if "cells" in p.message]
    assert short.record == "line 5"


def test_a_short_csv_row_names_its_line_and_missing_column(data_copy: Path) -> None:
    path = data_copy / TABLE2
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = "Flamingo,Chinchilla-7B,OKVQA,44.7\r\n"
    path.write_text("".join(lines), encoding="utf-8")
    [problem] = _about(_problems(data_copy), TABLE2)
    assert (problem.record, problem.field) == ("line 2", "flag")
    assert "has 4 cells; the header has 6" in problem.message


def test_a_long_csv_row_is_refused(data_copy: Path) -> None:
    _edit(data_copy / TABLE2, FIRST_RESULT, FIRST_RESULT + "extra,")
    [problem] = _about(_problems(data_copy), TABLE2)
    assert problem.record == "line 2" and "has 7 cells; the header has 6" in problem.message


def test_a_renamed_csv_column_is_named(data_copy: Path) -> None:
    _edit(data_copy / TABLE2, "benchmark,score,flag", "benchmark,scores,flag")
    problems = _about(_problems(data_copy), TABLE2)
    by_field = {p.field: p for p in problems}
    assert by_field["scores"].record == "line 1"
    assert "is not a column of table2.csv" in by_field["scores"].message
    assert "did you mean 'score'" in by_field["scores"].hint
    assert "the column is missing" in by_field["score"].message


@pytest.mark.parametrize("cell", ["nan", "NaN", "Infinity", "-inf", "4_4.7", "1e2", "", " 44.7"])
def test_a_score_must_be_a_plain_decimal(data_copy: Path, cell: str) -> None:
    _edit(data_copy / TABLE2, FIRST_RESULT, f"Flamingo,Chinchilla-7B,OKVQA,{cell},")
    [problem] = _about(_problems(data_copy), TABLE2)
    assert (problem.record, problem.field) == ("line 2", "score")
    assert "is not a plain decimal number" in problem.message


@pytest.mark.parametrize(
    ("char", "words"),
    [("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"), ("\u200b", "U+200B ZERO WIDTH SPACE")],
)
def test_a_csv_cell_with_an_invisible_character_is_refused(
    data_copy: Path, char: str, words: str
) -> None:
    _edit(data_copy / TABLE2, FIRST_RESULT, f"Flami{char}ngo,Chinchilla-7B,OKVQA,44.7,")
    [problem] = _about(_problems(data_copy), TABLE2)
    assert (problem.record, problem.field) == ("line 2", "model") and words in problem.message


def test_a_missing_survey_table_is_reported(data_copy: Path) -> None:
    (data_copy / "external" / "survey" / "timeline.csv").unlink()
    [problem] = _about(_problems(data_copy), "survey/timeline.csv")
    assert "does not exist" in problem.message


# --- the raw layer ----------------------------------------------------------


def test_a_raw_url_must_be_http(data_copy: Path) -> None:
    _edit(data_copy / RAW_LLAVA, "https://llava-vl.github.io", "'javascript:alert(1)'")
    [problem] = _about(_problems(data_copy), RAW_LLAVA)
    assert problem.field == "project_url" and "is not an http(s) URL" in problem.message


def test_a_raw_date_before_1990_is_refused(data_copy: Path) -> None:
    _edit(data_copy / RAW_LLAVA, "date: 2023-04-17", "date: 0001-01-01")
    problems = _about(_problems(data_copy), RAW_LLAVA)
    assert any(p.field == "date" and "is before 1990-01-01" in p.message for p in problems)


def test_a_raw_string_with_a_bidi_override_is_refused(data_copy: Path) -> None:
    _edit(data_copy / RAW_LLAVA, "title: LLaVA", 'title: "LL\\u202eaVA"')
    [problem] = _about(_problems(data_copy), RAW_LLAVA)
    assert problem.field == "title" and "U+202E" in problem.message


@pytest.mark.parametrize("markup", ["<script>alert(1)</script>", "LLaVA<br>", "</b>LLaVA"])
def test_a_raw_string_with_html_markup_is_refused(data_copy: Path, markup: str) -> None:
    # the site escapes it, but the graph would keep the markup as the model's title
    _edit(data_copy / RAW_LLAVA, "title: LLaVA", f"title: '{markup}'")
    [problem] = _about(_problems(data_copy), RAW_LLAVA)
    assert problem.field == "title" and "looks like HTML markup" in problem.message
