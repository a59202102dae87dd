"""Property-based test: random mutations of valid records give an error message, never a crash."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmkg.errors import DataError
from mmkg.load import load_facts
from mmkg.paths import DATA_DIR

TARGETS = [
    "models/llava-1.5.yaml",
    "components/vicuna-13b.yaml",
    "datasets/mme.yaml",
    "organisations/deepmind.yaml",
    "families/vicuna.yaml",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True),
    st.text(max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "<b>x</b>",
            "a\x07b",
            "llava",
            "x" * 5000,
            "2099-01-01",
            "-1",
            "../../etc",
            "Ω≈ç√",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=12), inner, max_size=3)
    ),
    max_leaves=8,
)


def _mutate(data: dict, draw: st.DataObject) -> object:
    action = draw.draw(st.sampled_from(["drop", "replace", "add", "whole", "nested"]))
    keys = list(data)
    if action == "drop" and keys:
        data.pop(draw.draw(st.sampled_from(keys)))
    elif action == "replace" and keys:
        data[draw.draw(st.sampled_from(keys))] = draw.draw(values)
    elif action == "add":
        data[draw.draw(st.text(min_size=1, max_size=15))] = draw.draw(values)
    elif action == "nested" and keys:
        key = draw.draw(st.sampled_from(keys))
        if isinstance(data[key], list) and data[key]:
            data[key][0] = draw.draw(values)
        else:
            data[key] = [draw.draw(values)]
    else:
        return draw.draw(values)
    return data


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(draw=st.data())
def test_mutated_record_is_rejected_with_a_message_or_accepted(
    scratch: Path, draw: st.DataObject
) -> None:
    target = draw.draw(st.sampled_from(TARGETS))
    path = scratch / target
    original = (DATA_DIR / target).read_text(encoding="utf-8")
    mutated = _mutate(yaml.safe_load(original), draw)
    try:
        path.write_text(yaml.safe_dump(mutated, allow_unicode=True), encoding="utf-8")
        try:
            load_facts(scratch)
        except DataError as error:
            text = str(error)
            assert text and all(p.file and p.message for p in error.problems)
    finally:
        path.write_text(original, encoding="utf-8")
