"""The loader's cross-record checks: duplicates, references of the right kind, no cascades.

Issue 11, part 3 ("nothing lost, nothing wrongly accepted"): every case breaks a scratch
copy of data/ and loads it through :func:`mmkg.load.load_facts`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mmkg.errors import DataError, Problem
from mmkg.load import load_facts

TABLE2 = "external/survey/table2.csv"
TIMELINE = "external/survey/timeline.csv"


def _problems(data: Path) -> list[Problem]:
    with pytest.raises(DataError) as info:
        load_facts(data)
    return info.value.problems


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _shown(problems: list[Problem]) -> str:
    return "\n".join(str(p) for p in problems)


def _only(problems: list[Problem], **where: str) -> Problem:
    """The one problem whose file ends with `file` and whose other attributes contain the rest."""
    file = where.pop("file")
    hits = [
        p
        for p in problems
        if p.file.endswith(file) and all(text in getattr(p, k) for k, text in where.items())
    ]
    assert len(hits) == 1, _shown(problems)
    return hits[0]


# --- the survey's tables -----------------------------------------------------------------


def _insert_line(path: Path, after: int, line: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(after, line)
    path.write_text("".join(lines), encoding="utf-8")


def test_table2_row_repeated_with_another_score_is_rejected(data_copy: Path) -> None:
    table = data_copy / TABLE2
    second = table.read_text(encoding="utf-8").splitlines(keepends=True)[1]
    assert second.startswith("Flamingo,Chinchilla-7B,OKVQA,44.7,")
    _insert_line(table, 2, second.replace("44.7", "50.1"))
    problem = _only(_problems(data_copy), file=TABLE2, record="row 3")
    assert problem.record == "row 3" and problem.field == "benchmark"
    assert "line 2" in problem.message and "another score" in problem.message
    assert "44.7" in problem.message and "50.1" in problem.message
    assert problem.hint


def test_table2_row_repeated_identically_is_reported(data_copy: Path) -> None:
    table = data_copy / TABLE2
    _insert_line(table, 2, table.read_text(encoding="utf-8").splitlines(keepends=True)[1])
    problem = _only(_problems(data_copy), file=TABLE2, record="row 3")
    assert "repeats line 2" in problem.message and "remove" in problem.hint


def test_table2_key_of_a_variant_must_name_a_row(data_copy: Path) -> None:
    _replace(
        data_copy / "models" / "llava-1.5.yaml",
        "table2: {model: LLaVA-1.5, llm_backbone: Vicuna-1.5-7B}",
        "table2: {model: LLaVA-1.5, llm_backbone: Vicuna-1.5-7b}",
    )
    problems = _problems(data_copy)
    problem = _only(problems, file="models/llava-1.5.yaml", field="variants.0.table2")
    assert "no row of Table 2" in problem.message and "Vicuna-1.5-7B" in problem.hint


@pytest.mark.parametrize("table", ["timeline.csv", "taxonomy.csv", "pt_datasets.csv"])
def test_survey_table_row_given_twice_is_reported(data_copy: Path, table: str) -> None:
    path = data_copy / "external" / "survey" / table
    second = path.read_text(encoding="utf-8").splitlines(keepends=True)[1]
    _insert_line(path, 2, second)
    problem = _only(_problems(data_copy), file=table, record="row 3")
    key = second.split(",")[0]
    assert f"repeats the {problem.field} '{key}' of line 2" in problem.message


@pytest.mark.parametrize(
    ("period", "words"),
    [("2022-13", "month 13"), ("2022-00", "month 0"), ("2023-05~02", "ends before it starts")],
)
def test_timeline_period_with_an_impossible_month_is_located(
    data_copy: Path, period: str, words: str
) -> None:
    _replace(data_copy / TIMELINE, "Flamingo,2022-04,", f"Flamingo,{period},")
    problems = _problems(data_copy)
    problem = _only(problems, file=TIMELINE, record="row 2")
    assert problem.field == "period" and words in problem.message
    assert f"'{period}'" in problem.message
    assert len(problems) == 1, _shown(problems)


# --- derivations ---------------------------------------------------------------------


DRESS = "datasets/dress-it.yaml"


@pytest.mark.parametrize(
    ("target", "message", "hint"),
    [
        ("llava-itt", "refers to unknown dataset 'llava-itt'", "did you mean 'llava-it'?"),
        ("dress-it", "a dataset cannot derive from itself", ""),
        ("llava", "refers to 'llava', which is a model, not a dataset", "did you mean 'llava-it'?"),
    ],
)
def test_dataset_derivation_target_is_checked(
    data_copy: Path, target: str, message: str, hint: str
) -> None:
    _replace(data_copy / DRESS, "target: llava-it", f"target: {target}")
    problems = _problems(data_copy)
    problem = _only(problems, file=DRESS, field="derived_from.0.target")
    assert message in problem.message and hint in problem.hint
    assert len(problems) == 1, _shown(problems)


def test_unknown_dataset_link_kind_is_located_with_the_closest_kind(data_copy: Path) -> None:
    _replace(data_copy / DRESS, "kind: builds-on", "kind: builds-onn")
    problems = _problems(data_copy)
    problem = _only(problems, file=DRESS, field="derived_from.0.kind")
    assert "unknown link kind 'builds-onn'" in problem.message
    assert "did you mean 'builds-on'?" in problem.hint


def test_link_kind_that_does_not_apply_to_a_dataset_names_those_that_do(data_copy: Path) -> None:
    _replace(data_copy / DRESS, "kind: builds-on", "kind: fine-tuned-from")
    problem = _only(_problems(data_copy), file=DRESS, field="derived_from.0.kind")
    assert "does not apply to a dataset" in problem.message and "builds-on" in problem.hint


def test_dataset_derivation_cycle_is_rejected(data_copy: Path) -> None:
    path = data_copy / "datasets" / "llava-it.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "derived_from:\n- target: dress-it\n  kind: builds-on\n  sources:\n"
        "  - source: survey\n    locator: x\n",
        encoding="utf-8",
    )
    problems = _problems(data_copy)
    assert any("links form a cycle" in p.message for p in problems), _shown(problems)


def test_identical_lineage_link_twice_is_reported(data_copy: Path) -> None:
    # llava-1.5 links to llava as trend-successor-of (derived_from.0) and new-version-of (1)
    _replace(
        data_copy / "models" / "llava-1.5.yaml",
        "  - target: llava\n    kind: new-version-of",
        "  - target: llava\n    kind: trend-successor-of",
    )
    problems = _problems(data_copy)
    problem = _only(problems, file="models/llava-1.5.yaml", field="derived_from.1")
    assert "derived_from.0" in problem.message and "trend-successor-of" in problem.message
    assert "remove" in problem.hint
    assert len(problems) == 1, _shown(problems)


def test_identical_component_derivation_twice_is_reported(data_copy: Path) -> None:
    path = data_copy / "components" / "vicuna-7b.yaml"
    text = path.read_text(encoding="utf-8")
    link = "- target: llama-7b\n  kind: fine-tuned-from\n  sources:\n  - source: survey\n"
    path.write_text(text + "derived_from:\n" + link + link, encoding="utf-8")
    problems = _problems(data_copy)
    assert any(p.field == "derived_from.1" and "derived_from.0" in p.message for p in problems), (
        _shown(problems)
    )


def test_lineage_link_to_a_variant_names_its_model(data_copy: Path) -> None:
    _replace(data_copy / "models" / "llava-mole.yaml", "target: llava-1.5", "target: llava-1.5-7b")
    problems = _problems(data_copy)
    problem = _only(problems, file="models/llava-mole.yaml", field="derived_from.0.target")
    assert "'llava-1.5-7b', which is a variant of model 'llava-1.5', not a model" in (
        problem.message
    )
    assert "link the model 'llava-1.5'" in problem.hint
    assert len(problems) == 1, _shown(problems)


# --- every reference checked against the kind it must point to ----------------------------


@pytest.mark.parametrize(
    ("file", "old", "new", "field", "message", "hint"),
    [
        (
            "components/vicuna-7b.yaml",
            "family: vicuna",
            "family: vicuna-7b",
            "family",
            "refers to 'vicuna-7b', which is a component, not a family",
            "did you mean 'vicuna'?",
        ),
        (
            "models/llava-1.5.yaml",
            "llm_backbone: vicuna-v1.5-7b",
            "llm_backbone: chinchilla",
            "variants.0.llm_backbone",
            "refers to 'chinchilla', which is a component family, not a component",
            "did you mean 'chinchilla-",
        ),
        (
            "models/llava-1.5.yaml",
            "llm_backbone: vicuna-v1.5-7b",
            "llm_backbone: clip-vit-l-14",
            "variants.0.llm_backbone",
            "component 'clip-vit-l-14' is not listed in the role llm-backbone",
            "an LLM backbone",
        ),
        (
            "datasets/dress-it.yaml",
            "target: llava-it",
            "target: microsoft-research",
            "derived_from.0.target",
            "refers to 'microsoft-research', which is an organisation, not a dataset",
            "",
        ),
    ],
)
def test_reference_of_the_wrong_kind_says_what_it_is(
    data_copy: Path, file: str, old: str, new: str, field: str, message: str, hint: str
) -> None:
    _replace(data_copy / file, old, new)
    problem = _only(_problems(data_copy), file=file, field=field)
    assert message in problem.message and hint in problem.hint


def test_variant_trained_on_a_model_says_it_is_a_model(data_copy: Path) -> None:
    _replace(
        data_copy / "models" / "llava-1.5.yaml",
        "trained_on: [sharegpt4v-it]",
        "trained_on: [sharegpt4v]",
    )
    problem = _only(
        _problems(data_copy), file="models/llava-1.5.yaml", field="variants.2.trained_on.0"
    )
    assert "'sharegpt4v', which is a model, not a dataset" in problem.message
    assert "did you mean 'sharegpt4v-it'?" in problem.hint


def test_library_curation_naming_a_variant_names_its_model(data_copy: Path) -> None:
    _replace(
        data_copy / "curation" / "transformers-types.yaml",
        "model: llava\n",
        "model: llava-vicuna-13b\n",
    )
    problems = _problems(data_copy)
    problem = _only(problems, file="curation/transformers-types.yaml", field=".model")
    assert "'llava-vicuna-13b', which is a variant of model 'llava', not a model" in problem.message
    assert "link the model 'llava' instead" in problem.hint
    assert len(problems) == 1, _shown(problems)


def test_base_variant_of_another_model_names_that_model(data_copy: Path) -> None:
    _replace(
        data_copy / "models" / "llava-1.5.yaml",
        "base_variant: llava-1.5-7b",
        "base_variant: vila-7b",
    )
    problems = _problems(data_copy)
    problem = next(p for p in problems if p.field.endswith("base_variant"))
    assert "'vila-7b', which is a variant of model 'vila'" in problem.message, _shown(problems)


# --- one record in two files --------------------------------------------------------------


def test_same_arxiv_id_with_two_titles_names_both_files(data_copy: Path) -> None:
    path = data_copy / "models" / "glm-v.yaml"
    text = path.read_text(encoding="utf-8")
    new = re.sub(r"title: 'GLM-4\.5V and[^']*'", "title: 'GLM-4.5V: a different title'", text)
    assert new != text
    path.write_text(new, encoding="utf-8")
    problems = _problems(data_copy)
    hits = [p for p in problems if "2507.01006" in p.message]
    assert len(hits) == 1, _shown(problems)
    text = str(hits[0])
    assert "data/models/glm-v.yaml" in text and "data/models/glm-4.6v.yaml" in text
    assert "GLM-4.5V: a different title" in text
    assert hits[0].hint


def test_same_arxiv_id_with_and_without_title_is_reported(data_copy: Path) -> None:
    path = data_copy / "datasets" / "llava-it.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "rejected_post_fields:\n- field: paper_title\n  reason: A test says so.\n",
        encoding="utf-8",
    )
    problems = _problems(data_copy)
    hits = [p for p in problems if "2304.08485" in p.message]
    assert len(hits) == 1, _shown(problems)
    assert "llava-it.yaml" in str(hits[0]) and "models/llava.yaml" in str(hits[0])


def test_one_organisation_in_two_files_is_reported(data_copy: Path) -> None:
    (data_copy / "organisations" / "baidu-inc.yaml").write_text(
        "name: baidu\nsources:\n- source: survey\n  locator: x\n", encoding="utf-8"
    )
    problems = _problems(data_copy)
    hits = [p for p in problems if "organisations/baidu" in p.file and p.field == "name"]
    assert len(hits) == 1, _shown(problems)
    assert "baidu.yaml" in str(hits[0]) and "baidu-inc.yaml" in str(hits[0])
    assert "one organisation, one file" in hits[0].hint


# --- graph checks are iterative ----------------------------------------------------------


def _chain(data: Path, length: int, *, closed: bool = False) -> None:
    """`length` families, each a sub-family of and derived from the next (zero-padded slugs)."""
    source = "sources: [{source: survey, locator: chain}]"
    for i in range(length):
        text = f"name: Chain {i}\ndefinition: One family of a long chain.\n{source}\n"
        nxt = i + 1 if i + 1 < length else (0 if closed else None)
        if nxt is not None:
            parent = f"chain-{nxt:04d}"
            text += f"sub_family_of: [{{family: {parent}, {source}}}]\n"
            text += f"derived_from: [{{target: {parent}, kind: builds-on, {source}}}]\n"
        (data / "families" / f"chain-{i:04d}.yaml").write_text(text, encoding="utf-8")


def test_a_long_valid_derivation_chain_loads(data_copy: Path) -> None:
    _chain(data_copy, 1500)
    facts = load_facts(data_copy)
    assert facts.families["chain-0000"].sub_family_of[0].family == "chain-0001"


def test_a_long_cycle_is_reported_once_per_kind_of_link(data_copy: Path) -> None:
    _chain(data_copy, 1500, closed=True)
    problems = _problems(data_copy)
    cycles = [p for p in problems if "links form a cycle" in p.message]
    assert sorted(p.field for p in cycles) == ["derived_from", "sub_family_of"], _shown(problems)
    assert all(p.file.endswith(".yaml") and "chain-" in p.record for p in cycles)
    assert all(len(p.message) < 400 for p in cycles)


# --- one broken record is reported once, at its root -------------------------------------


BROKEN_TARGETS = [
    "models/llava.yaml",
    "models/llava-1.5.yaml",
    "datasets/gqa.yaml",
    "datasets/llava-it.yaml",
    "organisations/microsoft-research.yaml",
    "components/vicuna-7b.yaml",
    "families/clip.yaml",
    "curation/component-spellings.yaml",
    "vocab/modalities.yaml",
    "vocab/link-kinds.yaml",
    "vocab/venues.yaml",
    "vocab/divisions.yaml",
    "vocab/roles.yaml",
    "vocab/metrics.yaml",
    "sources.yaml",
    "raw/mm-llms-site/model/2023-04-17-LLaVA.yaml",
]


def _invalidate(path: Path) -> None:
    """Give one record of the file an unknown key: the YAML still reads, the record fails."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if re.match(r"^- \w+:", line):  # the first entry of a list file
            lines.insert(i + 1, "  nmae: x\n")
            break
    else:
        lines.append("nmae: x\n")
    path.write_text("".join(lines), encoding="utf-8")


@pytest.mark.parametrize("how", ["unreadable", "invalid"])
@pytest.mark.parametrize("target", BROKEN_TARGETS)
def test_one_broken_file_is_reported_in_that_file_only(
    data_copy: Path, target: str, how: str
) -> None:
    path = data_copy / target
    if how == "unreadable":
        path.write_text("name: [broken\n", encoding="utf-8")
    else:
        _invalidate(path)
    problems = _problems(data_copy)
    assert problems
    where = target if not target.startswith("raw/") else "raw/mm-llms-site/model/"
    elsewhere = [p for p in problems if where not in p.file]
    assert not elsewhere, _shown(problems)


def test_a_nan_resolution_in_the_spelling_table_is_one_problem(data_copy: Path) -> None:
    _replace(
        data_copy / "curation" / "component-spellings.yaml",
        "    resolution: 224",
        "    resolution: .nan",
    )
    problems = _problems(data_copy)
    assert len(problems) == 1, _shown(problems)
    assert problems[0].file.endswith("curation/component-spellings.yaml")
    assert problems[0].field.endswith("components.0.resolution")


def test_a_nan_resolution_in_a_model_is_reported_in_that_model_only(data_copy: Path) -> None:
    _replace(
        data_copy / "models" / "llava-1.5.yaml",
        "variants:",
        "stated:\n  - source: survey\n    locator: x\n    architecture:\n      modality-encoder:\n"
        "        - {component: clip-vit-l-14, resolution: .nan}\nvariants:",
    )
    problems = _problems(data_copy)
    assert problems and all(p.file.endswith("models/llava-1.5.yaml") for p in problems), _shown(
        problems
    )


# --- a record naming a row that a survey table does not have ----------------------------


@pytest.mark.parametrize(
    ("table", "row", "record", "fld"),
    [
        ("it_datasets.csv", "MGVLID,", "datasets/mgvlid.yaml", "survey_it_name"),
        ("pt_datasets.csv", "LTIP,", "datasets/ltip.yaml", "survey_pt_name"),
        ("table1_v5.csv", "1,Flamingo,", "models/flamingo.yaml", "survey.table1"),
    ],
)
def test_a_row_missing_from_a_survey_table_names_the_table(
    data_copy: Path, table: str, row: str, record: str, fld: str
) -> None:
    path = data_copy / "external" / "survey" / table
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert any(line.startswith(row) for line in lines)
    path.write_text("".join(x for x in lines if not x.startswith(row)), encoding="utf-8")
    problems = _problems(data_copy)
    problem = _only(problems, file=record, field=fld)
    assert f"data/external/survey/{table}" in problem.message, _shown(problems)
    assert "''" not in problem.hint, problem.hint  # never an empty suggestion


# --- confusable duplicates of a name ----------------------------------------------------


@pytest.mark.parametrize(
    "lookalike",
    [
        "LLaVA\u20101.5",  # U+2010 HYPHEN for '-'
        "LLaVA-l.5",  # a letter l for the digit one
    ],
)
def test_a_confusable_duplicate_of_a_name_is_reported(data_copy: Path, lookalike: str) -> None:
    _rename(data_copy / "models" / "minigpt-4.yaml", lookalike)
    problems = _problems(data_copy)
    problem = _only(problems, file="models/minigpt-4.yaml", field="name")
    assert "looks like 'LLaVA-1.5', the name of data/models/llava-1.5.yaml" in problem.message


def test_a_name_in_lookalike_letters_of_another_script_is_reported(data_copy: Path) -> None:
    # every letter Cyrillic, none Latin: the label rules accept it, the skeleton does not
    _rename(data_copy / "datasets" / "mme.yaml", "\u0421\u041e\u0423\u041e")  # СОУО
    problems = _problems(data_copy)
    problem = _only(problems, file="datasets/mme.yaml", field="name")
    assert "looks like 'COYO', the name of data/datasets/coyo.yaml" in problem.message


def _rename(path: Path, name: str) -> None:
    text = path.read_text(encoding="utf-8")
    first = text.split("\n", 1)[0]
    assert first.startswith("name: ")
    path.write_text(text.replace(first, f'name: "{name}"', 1), encoding="utf-8")
