"""The data-file YAML reader: YAML 1.2 scalars, no anchors, aliases or tags, bounded work."""

from __future__ import annotations

import pytest
import yaml

from mmkg.safe_yaml import MAX_DEPTH, DataYamlError, load_data_yaml


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("44.7", 44.7),
        ("-3", -3),
        ("0", 0),
        ("1.0e+20", 1e20),
        ("true", True),
        ("False", False),
        ("~", None),
        ("null", None),
        ("", None),
        # YAML 1.1 reads these as numbers, booleans or dates; YAML 1.2 (and this reader) as text
        ("4_4.7", "4_4.7"),
        ("7_000_000_000", "7_000_000_000"),
        ("1:20", "1:20"),
        ("017", "017"),
        ("0x1f", "0x1f"),
        ("0b101", "0b101"),
        ("yes", "yes"),
        ("off", "off"),
        (".nan", ".nan"),
        (".inf", ".inf"),
        ("2023-02-30", "2023-02-30"),
        ("2023-04-17", "2023-04-17"),
        ("<<", "<<"),
        ("=", "="),
    ],
)
def test_scalars_are_read_as_yaml_1_2(text: str, value: object) -> None:
    assert load_data_yaml(f"a: {text}\n") == {"a": value}


def test_what_yaml_safe_dump_writes_reads_back_the_same() -> None:
    data = {"s": ["09", "017", "yes", "1:20", "4_4", "1e3", "2023-04-17", "<<"], "f": [44.7, 1e20]}
    assert load_data_yaml(yaml.safe_dump(data)) == data


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("a: 1\nb: 2\na: 3\n", "the key 'a' is given twice (first at line 1)"),
        ("x: {a: 1, a: 1}\n", "the key 'a' is given twice"),
        ("a: &x 1\n", "defines the anchor '&x'"),
        ("a: *x\n", "uses the alias '*x'"),
        ("a: !!binary aGVsbG8=\n", "has the tag '!!binary'"),
        ("a: !!python/object:os.system x\n", "has the tag '!!python/object:os.system'"),
        ("a: !!timestamp 2023-02-30\n", "has the tag '!!timestamp'"),
        ("a: !!str 5\n", "has the tag '!!str'"),
        ("a: !local x\n", "has the tag '!local'"),
        ("a: ! x\n", "has the tag '!'"),
        ("a: " + "9" * 5000 + "\n", "a number of 5000 digits"),
        ("a: -" + "9" * 101 + "\n", "a number of 101 digits"),
        ('a: "\\ud800"\n', "a lone surrogate (U+D800)"),
        ('"\\udfff": 1\n', "a lone surrogate (U+DFFF)"),
    ],
)
def test_what_data_files_never_need_is_refused_with_its_line(text: str, words: str) -> None:
    with pytest.raises(DataYamlError) as info:
        load_data_yaml(text)
    assert words in info.value.problem
    assert info.value.problem_mark is not None and info.value.hint


def test_the_error_is_a_yaml_error_with_a_line_and_column() -> None:
    with pytest.raises(yaml.YAMLError) as info:
        load_data_yaml("a: 1\nb:\n  c: 2\n  c: 3\n")
    mark = info.value.problem_mark  # type: ignore[attr-defined]
    assert (mark.line + 1, mark.column + 1) == (4, 3)


def test_nesting_is_bounded_not_recursive() -> None:
    inner = MAX_DEPTH - 1  # the top-level mapping is the first level
    assert load_data_yaml("a: " + "[" * inner + "]" * inner)
    with pytest.raises(DataYamlError, match=f"more than {MAX_DEPTH} deep"):
        load_data_yaml("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    with pytest.raises(DataYamlError, match=f"more than {MAX_DEPTH} deep"):
        load_data_yaml("a: " + "[" * 100_000 + "]" * 100_000)
    with pytest.raises(DataYamlError, match=f"more than {MAX_DEPTH} deep"):
        load_data_yaml("".join(f"{'  ' * i}k:\n" for i in range(MAX_DEPTH + 1)) + "  " * 99 + "v")


def test_a_billion_laughs_is_refused_at_its_first_anchor() -> None:
    """Refused by construction: no alias is ever expanded, whatever the document's size."""
    rows = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    rows += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 30)]
    with pytest.raises(DataYamlError) as info:
        load_data_yaml("\n".join(rows))
    assert "defines the anchor '&a0'" in info.value.problem
    assert info.value.problem_mark.line == 0


def test_a_second_document_is_refused() -> None:
    with pytest.raises(yaml.YAMLError):
        load_data_yaml("a: 1\n---\nb: 2\n")


def test_the_libyaml_reader_reads_every_data_file_as_the_python_reader_does() -> None:
    from mmkg.paths import DATA_DIR
    from mmkg.safe_yaml import _LibyamlDataLoader, _PythonDataLoader, _read

    files = sorted(DATA_DIR.rglob("*.yaml"))
    assert len(files) > 1000
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert _read(_LibyamlDataLoader, text) == _read(_PythonDataLoader, text), path


def test_a_file_libyaml_refuses_is_explained_by_the_python_reader() -> None:
    # libyaml words these its own way; the message is the one this module gives
    with pytest.raises(DataYamlError, match="lone surrogate"):
        load_data_yaml('a: "\\ud800"\n')
    with pytest.raises(DataYamlError, match="more than 20 deep"):
        load_data_yaml("a: " + "[" * 1200 + "]" * 1200 + "\n")
