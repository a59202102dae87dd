"""The loader: every kind of bad input is rejected with file, record, field and a hint."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from expected import MODELS
from mmkg.errors import DataError
from mmkg.load import Facts, load_facts, parse_scale

INVALID = Path(__file__).parent / "fixtures" / "invalid"
RAW_LLAVA = "raw/mm-llms-site/model/2023-04-17-LLaVA.yaml"  # a raw fixture replaces LLaVA's post

# fixture file -> (where it goes in data/, the field named, words of the message, words of the hint)
CASES = {
    "Model-yaml-syntax.yaml": (
        "models/bad-model.yaml",
        "",
        "is not valid YAML at line 2, column 10",
        "",
    ),
    "Model-empty.yaml": ("models/bad-model.yaml", "", "is empty", ""),
    "Model-not-utf8.yaml": ("models/bad-model.yaml", "", "is not UTF-8", "save the file as UTF-8"),
    "Model-unknown-key.yaml": (
        "models/bad-model.yaml",
        "nmae",
        "is not a known field",
        "did you mean 'name'",
    ),
    "Model-missing-name.yaml": ("models/bad-model.yaml", "name", "is required but missing", ""),
    "Model-wrong-type.yaml": ("models/bad-model.yaml", "alt_labels", "valid list", ""),
    "Model-no-source.yaml": ("models/bad-model.yaml", "", "needs a website post", ""),
    "Model-dangling-organisation.yaml": (
        "models/bad-model.yaml",
        "organisations.0",
        "unknown organisation 'microsoft-reserch'",
        "did you mean 'microsoft-research'",
    ),
    "Model-unknown-post.yaml": (
        "models/bad-model.yaml",
        "site_post",
        "no raw post",
        "2023-04-17-LLaVA",
    ),
    "Model-duplicate-post.yaml": (
        "models/bad-model.yaml",
        "site_post",
        "is also curated by data/models/",
        "",
    ),
    "Model-duplicate-name.yaml": (
        "models/bad-model.yaml",
        "name",
        "is also the name of",
        "names must be unique",
    ),
    "Model-unknown-survey-name.yaml": (
        "models/bad-model.yaml",
        "survey.taxonomy",
        "is not a model of that survey table",
        "did you mean 'LLaVA-1.5'",
    ),
    "Model-html-label.yaml": ("models/bad-model.yaml", "name", "looks like HTML", ""),
    "Model-control-character.yaml": ("models/bad-model.yaml", "name", "control character", ""),
    "Model-label-too-long.yaml": ("models/bad-model.yaml", "name", "300 characters long", ""),
    "Model-unknown-source.yaml": (
        "models/bad-model.yaml",
        "sources.0.source",
        "unknown source 'wikipedia'",
        "",
    ),
    "Model-unknown-decision-field.yaml": (
        "models/bad-model.yaml",
        "decisions.0.field",
        "Input should be",
        "",
    ),
    "Model-decision-without-disagreement.yaml": (
        "models/llava.yaml",
        "decisions (input_modalities)",
        "the sources agree",
        "remove the decision",
    ),
    "Model-missing-decision.yaml": (
        "models/videochat.yaml",
        "modality-encoder",
        "the website says [video: vit-g] but the survey says [image: vit-g]",
        "add a decision",
    ),
    "Model bad file name.yaml": ("models/Bad Model.yaml", "", "file name is not a valid slug", ""),
    "Component-dangling-family.yaml": (
        "components/bad-component.yaml",
        "family",
        "unknown family 'clipp'",
        "did you mean 'clip'",
    ),
    "Component-unknown-role.yaml": (
        "components/bad-component.yaml",
        "roles.0",
        "unknown role 'encoder'",
        "",
    ),
    "Component-negative-parameter-count.yaml": (
        "components/bad-component.yaml",
        "parameter_count",
        "greater than 0",
        "",
    ),
    "Component-self-link.yaml": (
        "components/component-self-link.yaml",
        "derived_from.0.target",
        "cannot derive from itself",
        "",
    ),
    "Dataset-unknown-survey-name.yaml": (
        "datasets/bad-dataset.yaml",
        "survey_pt_name",
        "is not in the pre-training table",
        "did you mean 'MS-COCO'",
    ),
    "Dataset-unknown-kind.yaml": ("datasets/bad-dataset.yaml", "kinds.0", "Input should be", ""),
    "Raw-date-in-future.yaml": (RAW_LLAVA, "site_post", "is in the future", ""),
    "Raw-impossible-date.yaml": (RAW_LLAVA, "site_post", "'2023-02-30 00:00:00 +0800' is not", ""),
    "Raw-unknown-modality.yaml": (
        RAW_LLAVA,
        "site_post (inputs)",
        "modality code 'Z' is unknown",
        "known codes",
    ),
    "Raw-unparsable-scale.yaml": (RAW_LLAVA, "site_post", "'lots' is not a scale", ""),
    "Raw-negative-scale.yaml": (RAW_LLAVA, "site_post", "'-5M' is not a scale", ""),
    "Raw-unknown-venue.yaml": (
        RAW_LLAVA,
        "site_post",
        "venue 'NeurIPZ 2023' is not in",
        "did you mean 'NeurIPS'",
    ),
    "Raw-unknown-affiliation.yaml": (
        RAW_LLAVA,
        "site_post",
        "affiliation 'Columbia Universty' names no known",
        "nearest: 'Columbia University'",
    ),
    "Model-variant-slug-breaks-iri.yaml": (
        "models/bad-model.yaml",
        "variants.0.slug",
        "is not a slug",
        "",
    ),
    "Model-variant-without-base.yaml": (
        "models/bad-model.yaml",
        "variants.0.base_variant",
        "unknown variant of this model 'some-model-base'",
        "",
    ),
    "Model-duplicate-variant-slug.yaml": (
        "models/bad-model.yaml",
        "variants.0.slug",
        "variant slug 'llava-1.5-7b' is already used",
        "",
    ),
    "Model-unknown-rejected-field.yaml": (
        "models/bad-model.yaml",
        "rejected_post_fields.0.field",
        "Input should be",
        "",
    ),
    "Dataset-unknown-benchmark-name.yaml": (
        "datasets/bad-dataset.yaml",
        "survey_benchmark_names.0",
        "'MM-Vett' is not a benchmark of Table 2",
        "did you mean 'MM-Vet'",
    ),
    "Organisation-missing-sources.yaml": (
        "organisations/bad-organisation.yaml",
        "sources",
        "is required but missing",
        "",
    ),
    # issue 11, part 2: nothing wrongly accepted, no crash without a location
    "Model-second-file-yml.yaml": (
        "models/llava.yml",
        "",
        "is a second file for record 'llava'",
        "delete the stale file",
    ),
    "Model-duplicate-key.yaml": (
        "models/bad-model.yaml",
        "",
        "is not valid YAML at line 3, column 1: the key 'name' is given twice (first at line 1)",
        "remove one",
    ),
    "Model-yaml-anchor.yaml": (
        "models/bad-model.yaml",
        "",
        "at line 3, column 7: defines the anchor '&l1'",
        "write the value out",
    ),
    "Model-deep-nesting.yaml": (
        "models/bad-model.yaml",
        "",
        "nests lists and mappings more than 20 deep",
        "",
    ),
    "Model-huge-integer.yaml": ("models/bad-model.yaml", "", "a number of 5000 digits", ""),
    "Model-lone-surrogate.yaml": ("models/bad-model.yaml", "", "a lone surrogate", ""),
    "Model-unquoted-impossible-date.yaml": (
        "models/bad-model.yaml",
        "stated.0.released",
        "'2023-02-30' is not a real date",
        "",
    ),
    "Model-implausible-date.yaml": (
        "models/bad-model.yaml",
        "stated.0.released",
        "'0001-01-01' is before 1990-01-01",
        "",
    ),
    "Model-slug-trailing-newline.yaml": (
        "models/bad-model.yaml",
        "variants.0.slug",
        "is not a slug",
        "",
    ),
    "Model-cyrillic-lookalike.yaml": (
        "models/bad-model.yaml",
        "name",
        "mixes Latin and Cyrillic letters in 'LLаVA'",
        "",
    ),
    "Model-cyrillic-word.yaml": (
        "models/bad-model.yaml",
        "name",
        "'Море' is written in Cyrillic letters that look Latin",
        "",
    ),
    "Model-zero-width.yaml": ("models/bad-model.yaml", "name", "U+200B ZERO WIDTH SPACE", ""),
    "Model-bidi-override.yaml": (
        "models/bad-model.yaml",
        "name",
        "U+202E RIGHT-TO-LEFT OVERRIDE",
        "",
    ),
    "Model-next-line.yaml": ("models/bad-model.yaml", "name", "U+0085, a control character", ""),
    "Model-line-separator.yaml": ("models/bad-model.yaml", "name", "U+2028 LINE SEPARATOR", ""),
    "Model-tab.yaml": ("models/bad-model.yaml", "name", "U+0009, a control character", ""),
    "Model-invisible-name.yaml": ("models/bad-model.yaml", "name", "invisible", ""),
    "Model-not-nfc.yaml": ("models/bad-model.yaml", "name", "is not in Unicode NFC form", ""),
    "Model-javascript-url.yaml": (
        "models/bad-model.yaml",
        "stated.0.project_url",
        "is not an http(s) URL",
        "",
    ),
    "Model-url-trailing-newline.yaml": (
        "models/bad-model.yaml",
        "stated.0.code_url",
        "is not an http(s) URL",
        "",
    ),
    "Component-parameter-count-too-large.yaml": (
        "components/bad-component.yaml",
        "parameter_count",
        "less than or equal to 10000000000000",
        "",
    ),
    "Component-parameter-count-underscore.yaml": (
        "components/bad-component.yaml",
        "parameter_count",
        "valid integer",
        "",
    ),
    "Component-parameter-count-boolean.yaml": (
        "components/bad-component.yaml",
        "parameter_count",
        "valid integer",
        "",
    ),
}


def _break(data: Path, fixture: str, target: str) -> None:
    shutil.copyfile(INVALID / fixture, data / target)


@pytest.mark.parametrize("fixture", sorted(CASES))
def test_invalid_fixture_is_rejected_with_file_record_field(data_copy: Path, fixture: str) -> None:
    target, fld, message, hint = CASES[fixture]
    _break(data_copy, fixture, target)
    with pytest.raises(DataError) as info:
        load_facts(data_copy)
    record = "llava" if target == RAW_LLAVA else Path(target).stem
    where = "models/llava.yaml" if target == RAW_LLAVA else target
    matching = [
        p
        for p in info.value.problems
        if p.file.endswith(where)
        and p.record == record
        and p.field == fld
        and message in p.message
        and hint in p.hint
    ]
    assert matching, "\n".join(str(p) for p in info.value.problems)
    text = str(matching[0])
    assert where in text and f"record '{record}'" in text


def test_every_invalid_fixture_has_a_case() -> None:
    assert sorted(p.name for p in INVALID.iterdir() if p.suffix == ".yaml") == sorted(
        [*CASES, "Family-cycle-a.yaml", "Family-cycle-b.yaml"]
    )


def test_derivation_cycle_is_rejected(data_copy: Path) -> None:
    _break(data_copy, "Family-cycle-a.yaml", "families/family-cycle-a.yaml")
    _break(data_copy, "Family-cycle-b.yaml", "families/family-cycle-b.yaml")
    with pytest.raises(DataError) as info:
        load_facts(data_copy)
    cycles = [p for p in info.value.problems if "links form a cycle" in p.message]
    assert (
        cycles and "family-cycle-a" in cycles[0].message and "family-cycle-b" in (cycles[0].message)
    )


def test_unknown_spelling_is_rejected_with_nearest_hint(data_copy: Path) -> None:
    spellings = data_copy / "curation" / "component-spellings.yaml"
    text = spellings.read_text(encoding="utf-8")
    spellings.write_text(
        text.replace("- spelling: ChatGLM-6B", "- spelling: ChatGLM-6b"), encoding="utf-8"
    )
    with pytest.raises(DataError) as info:
        load_facts(data_copy)
    problems = [p for p in info.value.problems if p.record == "x-llm"]
    assert problems and "component spelling 'ChatGLM-6B'" in problems[0].message
    assert "ChatGLM-6b" in problems[0].hint


def test_unknown_affiliation_is_rejected(data_copy: Path) -> None:
    org = data_copy / "organisations" / "deepmind.yaml"
    org.write_text(
        org.read_text(encoding="utf-8").replace("- DeepMind", "- Deep Mind"), encoding="utf-8"
    )
    with pytest.raises(DataError) as info:
        load_facts(data_copy)
    assert any(
        p.record == "flamingo" and "affiliation 'DeepMind'" in p.message
        for p in info.value.problems
    )


def test_all_problems_are_reported_together(data_copy: Path) -> None:
    _break(data_copy, "Model-empty.yaml", "models/bad-model.yaml")
    _break(data_copy, "Component-dangling-family.yaml", "components/bad-component.yaml")
    with pytest.raises(DataError) as info:
        load_facts(data_copy)
    assert {p.record for p in info.value.problems} >= {"bad-model", "bad-component"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("129M", (129e6, False)),
        ("0.6M", (6e5, False)),
        ("1.4B†", (1.4e9, True)),
        ("600K", (6e5, False)),
        ("∼4", (4.0, False)),
        ("Not report", (None, False)),
        ("–", (None, False)),
        (None, (None, False)),
    ],
)
def test_parse_scale(text: str | None, expected: tuple) -> None:
    assert parse_scale(text) == expected


@pytest.mark.parametrize(
    "text", ["lots", "-5M", "12 GB", "1.2.3M", "١٢٩M", "1_000K", "9" * 400, "5000000B"]
)
def test_parse_scale_rejects_what_is_not_a_scale(text: str) -> None:
    with pytest.raises(ValueError, match="is not a scale"):
        parse_scale(text)


def test_real_data_counts(facts: Facts) -> None:
    assert len(facts.models) == MODELS
    assert sum(1 for m in facts.models.values() if m.post) == 154
    assert sum(1 for m in facts.models.values() if m.taxonomy_category) == 126
    assert sum(1 for m in facts.models.values() if m.period) == 126
    assert sum(1 for m in facts.models.values() if m.architecture is not None) == 44
    kinds = [k for d in facts.datasets.values() for k in d.record.kinds]
    assert kinds.count("pre-training") == 46
    assert kinds.count("benchmark") == 25  # 26 posts: MME has a perception and a cognition post


def test_decisions_record_the_known_disagreements(facts: Facts) -> None:
    videochat = facts.models["videochat"]
    assert [u.modalities for u in videochat.architecture["modality-encoder"]] == [("video",)]
    minigpt5 = facts.models["minigpt-5"]
    assert [u.component for u in minigpt5.architecture["output-projector"]] == [
        "tiny-transformer-mlp"
    ]
    assert facts.models["3d-llm"].functional_division == "understanding"
    assert any("kept" in n for n in facts.models["fromage"].notes)


def test_qwen_vl_scale_is_marked_in_house(facts: Facts) -> None:
    qwen = facts.models["qwen-vl"]
    assert qwen.pretraining_scale == 1.4e9 and qwen.instruction_tuning_scale == 50e6
    assert qwen.in_house_data is True


def test_per_modality_use_is_kept(facts: Facts) -> None:
    encoders = facts.models["x-llm"].architecture["modality-encoder"]
    assert {(u.component, u.modalities) for u in encoders} == {
        ("vit-g", ("image", "video")),
        ("c-former", ("audio",)),
    }


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


LINK = """derived_from:
  - target: {target}
    kind: {kind}
    confidence: name
    sources: [{{source: survey, locator: Table 1}}]
"""


def _problems(data: Path) -> list:
    with pytest.raises(DataError) as info:
        load_facts(data)
    return info.value.problems


def test_model_self_link_is_rejected(data_copy: Path) -> None:
    _append(data_copy / "models" / "otter.yaml", LINK.format(target="otter", kind="builds-on"))
    assert any(
        p.record == "otter" and "cannot derive from itself" in p.message
        for p in _problems(data_copy)
    )


def test_model_lineage_cycle_is_rejected(data_copy: Path) -> None:
    _append(data_copy / "models" / "otter.yaml", LINK.format(target="lynx", kind="builds-on"))
    _append(data_copy / "models" / "lynx.yaml", LINK.format(target="otter", kind="builds-on"))
    assert any(
        "links form a cycle" in p.message and "otter" in p.message for p in _problems(data_copy)
    )


def test_link_kind_must_apply_to_models(data_copy: Path) -> None:
    _append(data_copy / "models" / "otter.yaml", LINK.format(target="lynx", kind="uses-backbone"))
    assert any(
        p.record == "otter" and "does not apply to a model" in p.message
        for p in _problems(data_copy)
    )


def test_dangling_model_link(data_copy: Path) -> None:
    _append(data_copy / "models" / "otter.yaml", LINK.format(target="lynxx", kind="builds-on"))
    assert any(
        p.field == "derived_from.0.target" and "did you mean 'lynx'" in p.hint
        for p in _problems(data_copy)
    )


def test_score_outside_its_metric_range(data_copy: Path) -> None:
    table = data_copy / "external" / "survey" / "table2.csv"
    table.write_text(
        table.read_text(encoding="utf-8").replace(
            "Flamingo,Chinchilla-7B,OKVQA,44.7", "Flamingo,Chinchilla-7B,OKVQA,144.7"
        ),
        encoding="utf-8",
    )
    problems = [p for p in _problems(data_copy) if p.field == "score"]
    assert problems and "144.7 is outside the range of Table 2 score" in problems[0].message
    assert problems[0].file.endswith("table2.csv") and problems[0].record == "row 2"


def test_result_for_an_uncurated_row(data_copy: Path) -> None:
    path = data_copy / "models" / "shikra.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("variants:")], encoding="utf-8")
    uncurated = [p for p in _problems(data_copy) if "no variant curates" in p.message]
    # once per Table 2 key (not once per score of it), at the first of its rows, and the hint
    # names the file of the model whose Table 1 name the row gives
    assert len(uncurated) == 1, uncurated
    assert "no variant curates the Table 2 row ('Shikra', 'Vicuna-13B')" in uncurated[0].message
    assert "rows" in uncurated[0].message and "models/shikra.yaml" in uncurated[0].hint


def test_result_for_an_unknown_benchmark(data_copy: Path) -> None:
    path = data_copy / "datasets" / "vsr.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("- VSR", "- VSRR"), encoding="utf-8")
    problems = _problems(data_copy)
    assert any(p.field == "benchmark" and "no dataset names 'VSR'" in p.message for p in problems)


def test_variant_with_unknown_backbone(data_copy: Path) -> None:
    path = data_copy / "models" / "shikra.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "llm_backbone: vicuna-13b", "llm_backbone: vicuna-31b"
        ),
        encoding="utf-8",
    )
    assert any(
        p.field == "variants.0.llm_backbone" and "vicuna-13b" in p.hint
        for p in _problems(data_copy)
    )


def test_rejected_post_fields_leave_the_values_out(facts: Facts) -> None:
    okvqa = facts.datasets["ok-vqa"]
    assert okvqa.paper is None and okvqa.project_url is None and okvqa.released is None
    assert okvqa.organisations == [] and okvqa.affiliation is None
    assert any("paper is left out" in n for n in okvqa.notes)
    rtvlm = facts.datasets["rtvlm"]
    assert rtvlm.paper is not None and rtvlm.paper.title is None
    assert rtvlm.paper.arxiv_id == "2401.12915"


def test_a_sub_family_names_a_known_family_and_forms_no_cycle(data_copy: Path) -> None:
    q_former = data_copy / "families" / "q-former.yaml"
    q_former.write_text(
        q_former.read_text(encoding="utf-8")
        + "sub_family_of:\n- family: mq-former\n  sources:\n  - source: survey\n    locator: x\n"
        + "- family: q-formr\n  sources:\n  - source: survey\n    locator: x\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        load_facts(data_copy)
    problems = {(p.record, p.field): p for p in info.value.problems}
    assert "did you mean 'q-former'" in problems[("q-former", "sub_family_of.1.family")].hint
    cycle = [p for p in info.value.problems if p.field == "sub_family_of"]
    assert cycle and "mq-former" in cycle[0].message and "q-former" in cycle[0].message


def test_the_mq_former_is_a_sub_family_of_the_q_former(facts: Facts) -> None:
    parents = [p.family for p in facts.families["mq-former"].sub_family_of]
    assert parents == ["q-former"]


def test_a_sub_model_curation_names_known_roles_and_families(data_copy: Path) -> None:
    path = data_copy / "curation" / "transformers-submodels.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("family: siglip\n", "family: siglipp\n", 1), encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_facts(data_copy)
    [problem] = [p for p in info.value.problems if p.record == "siglip_vision_model"]
    assert problem.file.endswith("transformers-submodels.yaml")
    assert problem.field.endswith(".family") and "did you mean 'siglip'" in problem.hint


def test_an_organisation_is_part_of_a_known_organisation(data_copy: Path) -> None:
    meta = data_copy / "organisations" / "meta.yaml"
    meta.write_text(
        meta.read_text(encoding="utf-8")
        + "part_of:\n  - organisation: fair\n    sources:\n      - {source: survey, locator: x}\n"
        + "  - organisation: metta\n    sources:\n      - {source: survey, locator: x}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        load_facts(data_copy)
    problems = {(p.record, p.field): p for p in info.value.problems}
    assert "did you mean 'meta'" in problems[("meta", "part_of.1.organisation")].hint
    assert any(p.field == "part_of" and "cycle" in p.message for p in info.value.problems)


def test_an_organisation_kind_is_no_longer_accepted(data_copy: Path) -> None:
    fair = data_copy / "organisations" / "fair.yaml"
    fair.write_text(fair.read_text(encoding="utf-8") + "kind: company\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_facts(data_copy)
    assert any(p.record == "fair" and p.field == "kind" for p in info.value.problems)
