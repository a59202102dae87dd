"""The record models: text, slugs, URLs, dates and numbers are checked as they are read."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from mmkg.errors import DataError
from mmkg.load import load_facts
from mmkg.records import (
    Component,
    Metric,
    Organisation,
    RawPost,
    SourceDocument,
    Statement,
    Variant,
)

SOURCES = [{"source": "survey", "locator": "Table 1"}]


def _error(cls: type, data: dict) -> str:
    with pytest.raises(ValidationError) as info:
        cls.model_validate(data)
    return "\n".join(e["msg"] for e in info.value.errors())


def _organisation(name: str) -> dict:
    return {"name": name, "sources": SOURCES}


# --- labels ----------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "LLaVA-ϕ",  # the survey's own spelling: a Greek letter as a word of its own
        "α-UMi",
        "Qwen-VL (通义千问)",
        "University of Wisconsin–Madison",
        "Universitat Politècnica de Catalunya",
        "Flamingo 🦩",
    ],
)
def test_real_world_labels_are_accepted(name: str) -> None:
    assert Organisation.model_validate(_organisation(name)).name == name


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("LL\u0430VA", "mixes Latin and Cyrillic letters in 'LLаVA'"),
        ("G\u03bfogle", "mixes Latin and Greek letters"),
        ("Meta \u0410\u0406", "'АІ' is written in Cyrillic letters that look Latin"),
        ("\uff2c\uff2c\uff41\uff36\uff21", "'Ｌ' is a styled form of 'L'"),
        ("\U0001d40b\U0001d40b\U0001d41a\U0001d415\U0001d400", "a styled form of 'L'"),
        ("Some\u200bModel", "U+200B ZERO WIDTH SPACE"),
        ("Some\u200dModel", "U+200D ZERO WIDTH JOINER"),
        ("Some\ufeffModel", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ("Some\u2060Model", "U+2060 WORD JOINER"),
        ("Some \u202eModel", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("Some \u2066Model\u2069", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("Some\x85Model", "U+0085, a control character"),
        ("Some\u2028Model", "U+2028 LINE SEPARATOR"),
        ("Some\u2029Model", "U+2029 PARAGRAPH SEPARATOR"),
        ("Some\tModel", "U+0009, a control character"),
        ("Some\nModel", "U+000A, a control character"),
        ("Some\u00a0Model", "U+00A0 NO-BREAK SPACE"),
        ("Some\ue000Model", "U+E000, a private-use"),
        ("\u3164", "U+3164 HANGUL FILLER, an invisible filler"),
        ("\u2800", "U+2800 BRAILLE PATTERN BLANK, an invisible filler"),
        ("\u0301\u0301", "has no visible character"),
        ("Cafe\u0301", "is not in Unicode NFC form"),
        (" ", "must not be empty"),
    ],
)
def test_a_label_with_a_look_alike_or_invisible_character_is_refused(name: str, words: str) -> None:
    assert words in _error(Organisation, _organisation(name))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("a line\u2028another", "U+2028 LINE SEPARATOR"),
        ("tab\tseparated", "U+0009, a control character"),
        ("Caf\u0065\u0301 description", "is not in Unicode NFC form"),
        ("\u200b", "U+200B"),
    ],
)
def test_a_description_is_checked_as_text(text: str, words: str) -> None:
    data = {"name": "X", "family": "clip", "roles": ["x"], "sources": SOURCES, "definition": text}
    assert words in _error(Component, data)


def test_a_description_may_hold_line_breaks_and_greek_letters() -> None:
    data = {"name": "X", "family": "clip", "roles": ["x"], "sources": SOURCES}
    text = "The α-UMi planner.\nIt is a Greek letter: φ."
    assert Component.model_validate({**data, "definition": text}).definition == text


# --- slugs and URLs --------------------------------------------------------


@pytest.mark.parametrize("slug", ["llava\n", "llava\n\n", "\nllava", "llava-1.5\n"])
def test_a_slug_with_a_line_break_is_refused(slug: str) -> None:
    data = {"slug": slug, "name": "X", "sources": SOURCES}
    assert "is not a slug" in _error(Variant, data)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript://%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.org/x",
        "file:///etc/passwd",
        "https://example.org/\n",
        "https://",
        "https:///path",
        "https://user:secret@example.org/",
        "https://example.org:99999/",
        "//example.org/x",
    ],
)
def test_a_url_must_be_http_or_https_with_a_host(url: str) -> None:
    data = {"source": "survey", "locator": "x", "project_url": url}
    assert "is not an http(s) URL" in _error(Statement, data)


def test_an_http_url_is_accepted() -> None:
    data = {"source": "survey", "locator": "x", "project_url": "https://x.org/a?b=c#d"}
    assert Statement.model_validate(data).project_url == "https://x.org/a?b=c#d"


# --- dates -----------------------------------------------------------------


def _statement(released: str) -> dict:
    return {"source": "survey", "locator": "x", "released": released}


@pytest.mark.parametrize("released", ["2019-01", "2023-04-17", "2024-02-29"])
def test_a_plausible_release_date_is_accepted(released: str) -> None:
    assert Statement.model_validate(_statement(released)).released == released


@pytest.mark.parametrize(
    ("released", "words"),
    [
        ("2023-02-30", "'2023-02-30' is not a real date"),
        ("2023-02-29", "is not a real date"),
        ("0001-01-01", "'0001-01-01' is before 1990-01-01"),
        ("1989-12", "is before 1990-01-01"),
        ((date.today() + timedelta(days=800)).isoformat(), "more than a year from today"),
        ("2023-4-17", "YYYY-MM-DD or YYYY-MM"),
        ("2023-04-17\n", "YYYY-MM-DD or YYYY-MM"),
    ],
)
def test_an_implausible_release_date_is_refused(released: str, words: str) -> None:
    assert words in _error(Statement, _statement(released))


def test_an_access_date_is_a_real_date() -> None:
    data = {"slug": "x", "label": "X", "kind": "paper", "url": "https://x.org"}
    assert "is not a real date" in _error(SourceDocument, {**data, "accessed": "2024-02-30"})
    assert SourceDocument.model_validate({**data, "accessed": "2024-02-29"}).accessed


@pytest.mark.parametrize("year", [1989, date.today().year + 2, 2100])
def test_a_venue_year_is_plausible(year: int) -> None:
    data = {"source": "survey", "locator": "x", "venue_year": year}
    assert "venue year" in _error(Statement, data)


# --- numbers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "words"),
    [
        ([10**30], "less than or equal to 10000000000000"),
        ([7], "7 parameters is below 10^6, a unit slip"),
        ([-7], "greater than 0"),
        (["7000000000"], "valid integer"),
        ([7e9], "valid integer"),
        ([True], "valid integer"),
    ],
)
def test_a_stated_parameter_count_is_an_integer_in_range(counts: list, words: str) -> None:
    data = {"source": "survey", "locator": "x", "parameter_counts": counts}
    assert words in _error(Statement, data)


@pytest.mark.parametrize("scale", [float("nan"), float("inf"), "1e9", "4_4.7", True])
def test_a_stated_scale_is_a_finite_number(scale: object) -> None:
    data = {"source": "survey", "locator": "x", "pretraining_scale": scale}
    assert _error(Statement, data)


def test_a_patch_size_is_plausible() -> None:
    data = {"name": "X", "family": "clip", "roles": ["x"], "sources": SOURCES}
    assert Component.model_validate({**data, "patch_size": 14}).patch_size == 14
    assert "less than or equal to 1024" in _error(Component, {**data, "patch_size": 5000})


def _metric(**values: object) -> dict:
    return {"slug": "m", "label": "M", "definition": "A metric.", **values}


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"minimum": float("nan")}, "finite number"),
        ({"minimum": "nan"}, "valid number"),
        ({"minimum": 0, "maximum": float("inf")}, "finite number"),
        ({"minimum": "4_4.7"}, "valid number"),
        ({"minimum": 0, "maximum": 1e300}, "less than or equal to 1000000"),
        ({"minimum": 10, "maximum": 5}, "maximum 5 is not above the minimum 10"),
    ],
)
def test_a_metric_range_is_finite_and_ordered(values: dict, words: str) -> None:
    assert words in _error(Metric, _metric(**values))


def test_a_metric_nan_in_the_vocabulary_is_refused(data_copy: Path) -> None:
    path = data_copy / "vocab" / "metrics.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("minimum: 0", "minimum: .nan", 1),
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        load_facts(data_copy)
    assert any(
        p.file.endswith("vocab/metrics.yaml") and p.field == "minimum" for p in info.value.problems
    )


# --- the raw layer ---------------------------------------------------------


def _post(**values: object) -> dict:
    base = {
        "post": "2023-04-17-LLaVA",
        "kind": "model",
        "title": "LLaVA",
        "date": "2023-04-17 00:00:00 +0800",
        "category": "NeurIPS 2023",
    }
    return {**base, **values}


def test_a_raw_post_keeps_its_strings_verbatim() -> None:
    post = RawPost.model_validate(_post(title="LLaVA–ϕ  (v1)"))
    assert post.title == "LLaVA–ϕ  (v1)"


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"project_url": "javascript:alert(1)"}, "is not an http(s) URL"),
        ({"paper": {"title": "T", "url": "data:text/html,x"}}, "is not an http(s) URL"),
        ({"title": "LL\u202eaVA"}, "U+202E"),
        ({"affiliation": "Meta\u200b"}, "U+200B"),
        ({"date": "0001-01-01 00:00:00 +0800"}, "is before 1990-01-01"),
    ],
)
def test_a_raw_post_is_refused_where_it_is_unsafe(values: dict, words: str) -> None:
    assert words in _error(RawPost, _post(**values))


def test_a_raw_date_in_another_format_is_left_to_the_loader() -> None:
    """The loader reports a malformed post date on the model that uses the post."""
    assert RawPost.model_validate(_post(date="2023-02-30 00:00:00 +0800")).date
