"""Integrity of all of data/: one case per file; every record valid, referenced and sourced."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mmkg.load.facts import ITEM_PREFIX, TABLE1_COLUMNS, Facts
from mmkg.paths import DATA_DIR

CURATED = sorted(
    p
    for folder in ("models", "datasets", "components", "families", "organisations")
    for p in (DATA_DIR / folder).glob("*.yaml")
)


def test_data_loads_without_problems(facts: Facts) -> None:
    assert facts.models  # load_facts raises DataError on any problem


@pytest.mark.parametrize("path", CURATED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_curated_file_is_loaded_and_sourced(facts: Facts, path: Path) -> None:
    slug, folder = path.stem, path.parent.name
    if folder == "models":
        model = facts.models[slug]
        assert model.sources, f"{path}: no source"
        if model.architecture is not None:
            for usages in model.architecture.values():
                assert all(u.source for u in usages), f"{path}: a component use without source"
    elif folder == "datasets":
        assert facts.datasets[slug].sources, f"{path}: no source"
    else:
        record = {
            "components": facts.components,
            "families": facts.families,
            "organisations": facts.organisations,
        }[folder][slug]
        assert record.sources, f"{path}: no source"
        for link in getattr(record, "derived_from", []):
            assert link.sources, f"{path}: derivation to {link.target} has no source"


@pytest.mark.parametrize("path", CURATED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_machine_fields_in_curated_files(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    machine = {"post", "date", "category", "architecture", "inputs", "outputs", "io"}
    assert not machine & set(data), f"{path}: raw-layer fields belong in data/raw"


def test_every_survey_model_is_curated(facts: Facts) -> None:
    import csv

    survey = DATA_DIR / "external" / "survey"
    for table, key in (
        ("taxonomy.csv", "taxonomy"),
        ("timeline.csv", "timeline"),
        ("table1_v5.csv", "table1"),
    ):
        names = {r["model"] for r in csv.DictReader((survey / table).open(encoding="utf-8"))}
        curated = {getattr(m.record.survey, key) for m in facts.models.values()} - {None}
        assert curated == names, table


def test_every_spelling_and_component_is_used(facts: Facts) -> None:
    import csv

    strings = [
        s
        for post in facts.raw_posts.values()
        for items in post.architecture.values()
        for s in items
    ]
    table1 = DATA_DIR / "external" / "survey" / "table1_v5.csv"
    for row in csv.DictReader(table1.open(encoding="utf-8")):
        for column in TABLE1_COLUMNS.values():
            strings += [i.strip() for i in row[column].split("; ") if i.strip() not in "–"]
    written = set()
    for text in strings:
        match = ITEM_PREFIX.match(text)
        written.add(match.group(2).strip() if match else text)
    unused = set(facts.spellings) - written
    assert not unused, f"spellings that no source writes: {sorted(unused)}"
    used_components = {
        u.component
        for m in facts.models.values()
        for us in (m.architecture or {}).values()
        for u in us
    }
    spelled = {c.component for s in facts.spellings.values() for c in s.components}
    spelled |= {v.llm_backbone for m in facts.models.values() for v in m.record.variants}
    derivation_targets = {d.target for c in facts.components.values() for d in c.derived_from}
    unused = set(facts.components) - used_components - spelled - derivation_targets
    assert not unused, f"components neither used nor a derivation target: {sorted(unused)}"


def test_survey_and_site_disagreements_all_carry_a_reason(facts: Facts) -> None:
    decided = {(m.slug, d.field) for m in facts.models.values() for d in m.record.decisions}
    assert ("videochat", "modality-encoder") in decided
    assert ("minigpt-5", "output-projector") in decided
    for model in facts.models.values():
        for decision in model.record.decisions:
            assert len(decision.reason) > 20, f"{model.file}: reason too thin"


def test_link_confidence_counts_match_the_data_readme(facts: Facts) -> None:
    from collections import Counter

    counts = Counter(
        link.confidence for m in facts.models.values() for link in m.record.derived_from
    )
    text = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert (
        f"{counts['survey']} stated in the survey, {counts['paper']} stated in the model's "
        f"own paper, {counts['name']} suggested only by the names"
    ) in text
