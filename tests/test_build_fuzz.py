"""Property-based: `mmkg build` on mutated records and survey rows (issue 11, part 6).

Hypothesis breaks one file of a scratch copy of data/ at a time (a record's fields, a record's
text, a row of a survey CSV) and runs `mmkg build` through its real entry point. Whatever the
input, the build either exits 0 and writes a graph that parses, or exits 1 with a message that
names the broken file; it never exits 2 (the catch-all for bugs) or prints a traceback, and a
failed build leaves the previous output byte for byte as it was, with nothing beside it.
Fixed seed (derandomize) and a bounded number of examples: CI sees the same cases every run.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from entry_point import run_entry_point
from mmkg.paths import DATA_DIR

RECORDS = [
    "models/llava-1.5.yaml",
    "models/next-gpt.yaml",
    "components/vicuna-13b.yaml",
    "families/vicuna.yaml",
    "datasets/mme.yaml",
    "organisations/deepmind.yaml",
    "sources.yaml",
    "raw/mm-llms-site/model/2023-04-17-LLaVA.yaml",  # a website post as import-site wrote it
    "curation/transformers-types.yaml",
]
SURVEY = sorted(p.name for p in (DATA_DIR / "external" / "survey").glob("*.csv"))
HOSTILE = [
    "",
    " ",
    "\t",
    "–",
    "nan",
    "Infinity",
    "4_4.7",
    "-1",
    "1" * 400,
    "2023-02-30",
    "0001-01-01",
    "javascript:alert(1)",
    "<script>x</script>",
    "llava\n",
    "LLaVA",
    "Vicuna-13B",
    "I+T→T",
    "\u202e",
    "\u200b",
    "\x85",
    '"',
    ",",
    "*a",
    "&a",
    "{",
    "- x",
    "key: value",
    "!!python/object:os.system",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(HOSTILE),
    st.text(max_size=30),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=6,
)
FUZZ = settings(
    derandomize=True,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a failure is reported as drawn
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _mutate_record(data: object, draw: st.DataObject) -> object:
    """Drop, replace, add or nest one field of a record, or replace the record itself."""
    if not isinstance(data, dict) or not data:
        return draw.draw(values)
    action = draw.draw(st.sampled_from(["drop", "replace", "add", "nested", "whole"]))
    key = draw.draw(st.sampled_from(sorted(data)))
    if action == "drop":
        data.pop(key)
    elif action == "replace":
        data[key] = draw.draw(values)
    elif action == "add":
        data[draw.draw(st.text(min_size=1, max_size=12))] = draw.draw(values)
    elif action == "nested":
        inner = data[key]
        if isinstance(inner, list) and inner:
            inner[draw.draw(st.integers(0, len(inner) - 1))] = draw.draw(values)
        elif isinstance(inner, dict) and inner:
            inner[draw.draw(st.sampled_from(sorted(inner)))] = draw.draw(values)
        else:
            data[key] = [draw.draw(values)]
    else:
        return draw.draw(values)
    return data


def _mutate_text(text: str, draw: st.DataObject) -> str:
    """Insert a hostile fragment into a record's text, or repeat or drop one of its lines."""
    lines = text.split("\n")
    at = draw.draw(st.integers(0, len(lines) - 1))
    action = draw.draw(st.sampled_from(["insert", "repeat", "drop"]))
    if action == "insert":
        cut = draw.draw(st.integers(0, len(lines[at])))
        fragment = draw.draw(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=8)))
        lines[at] = lines[at][:cut] + fragment + lines[at][cut:]
    elif action == "repeat":
        lines.insert(at, lines[at])
    else:
        lines.pop(at)
    return "\n".join(lines)


def _mutate_rows(text: str, draw: st.DataObject) -> str:
    """Change one row of a survey CSV: a cell, its width, a copy of it, or the header."""
    rows = list(csv.reader(io.StringIO(text)))
    at = draw.draw(st.integers(0, len(rows) - 1))
    row = rows[at]
    action = draw.draw(st.sampled_from(["cell", "short", "long", "copy", "drop", "header"]))
    if action == "cell" and row:
        row[draw.draw(st.integers(0, len(row) - 1))] = draw.draw(
            st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12))
        )
    elif action == "short" and row:
        row.pop(draw.draw(st.integers(0, len(row) - 1)))
    elif action == "long":
        row.append(draw.draw(st.sampled_from(HOSTILE)))
    elif action == "copy":
        rows.insert(at, list(row))
    elif action == "drop" and at > 0:
        rows.pop(at)
    else:
        header = rows[0]
        header[draw.draw(st.integers(0, len(header) - 1))] = draw.draw(st.sampled_from(HOSTILE))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _fingerprint(folder: Path) -> dict[str, str]:
    """Every file under *folder* (marker included) with a hash of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory, built) -> Path:  # noqa: ANN001
    """A scratch copy of data/ and, beside it, a copy of a good build as the previous output."""
    root = tmp_path_factory.mktemp("build-fuzz")
    shutil.copytree(DATA_DIR, root / "data")
    shutil.copytree(built[2], root / "out" / "build")
    return root


def _build_ends_in_a_graph_or_a_located_message(
    root: Path, relative: str, broken: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    path = root / "data" / relative
    original = path.read_bytes()
    out = root / "out" / "build"
    before = _fingerprint(out)
    path.write_bytes(broken)
    try:
        args = ["build", "--data", str(root / "data"), "--out", str(out)]
        code, err = run_entry_point(args, capsys)
    finally:
        path.write_bytes(original)
    assert "Traceback" not in err and "error: unexpected" not in err, (relative, err)
    assert code in (0, 1), (relative, code, err)
    assert sorted(p.name for p in out.parent.iterdir()) == ["build"], "litter beside build/"
    if code == 0:
        store = ox.Store()
        store.bulk_load(path=str(out / "mmkg.nt"), format=ox.RdfFormat.N_TRIPLES)
        assert len(store) > 10_000
        return
    message = " ".join(err.split())
    count = re.match(r"error: (\d+) problem\(s\) in the data:", message)
    assert message.count(": record '") >= (int(count[1]) if count else 1), err
    assert "''?" not in message and "nearest: ''" not in message, err  # no empty suggestion
    assert Path(relative).name in message, (relative, err)
    assert _fingerprint(out) == before, f"a failed build changed the output ({relative})"


@settings(FUZZ, max_examples=12)
@given(draw=st.data())
def test_a_mutated_record_builds_or_is_a_located_message(
    scratch: Path, draw: st.DataObject, capsys: pytest.CaptureFixture[str]
) -> None:
    relative = draw.draw(st.sampled_from(RECORDS))
    original = (DATA_DIR / relative).read_text(encoding="utf-8")
    if draw.draw(st.booleans()):
        mutated = _mutate_record(yaml.safe_load(original), draw)
        broken = yaml.safe_dump(mutated, allow_unicode=True).encode("utf-8")
    else:
        broken = _mutate_text(original, draw).encode("utf-8", "surrogatepass")
    _build_ends_in_a_graph_or_a_located_message(scratch, relative, broken, capsys)


@settings(FUZZ, max_examples=10)
@given(draw=st.data())
def test_a_mutated_survey_row_builds_or_is_a_located_message(
    scratch: Path, draw: st.DataObject, capsys: pytest.CaptureFixture[str]
) -> None:
    relative = "external/survey/" + draw.draw(st.sampled_from(SURVEY))
    original = (DATA_DIR / relative).read_text(encoding="utf-8")
    broken = _mutate_rows(original, draw).encode("utf-8", "surrogatepass")
    _build_ends_in_a_graph_or_a_located_message(scratch, relative, broken, capsys)
