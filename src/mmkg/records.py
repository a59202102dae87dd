"""Typed records for every kind of data file; unknown keys are rejected.

The hand-curated files under ``data/`` and the machine-written raw layer under
``data/raw/`` are parsed into these classes. Field names are the YAML keys.
``data/README.md`` documents each field for people; the docstrings here are the
short form.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from mmkg.field_rules import (
    MAX_PARAMETERS,
    check_date,
    check_day,
    check_label,
    check_parameters,
    check_post_date,
    check_slug,
    check_text,
    check_url,
    check_verbatim,
    check_year,
)

Slug = Annotated[str, AfterValidator(check_slug)]
Label = Annotated[str, AfterValidator(check_label)]
Text = Annotated[str, AfterValidator(check_text)]
Url = Annotated[str, AfterValidator(check_url)]
Verbatim = Annotated[str, AfterValidator(check_verbatim)]
SiteCode = Annotated[str, Field(pattern=r"^[A-Za-z0-9_()+]+$")]
#: A website post's file stem, e.g. 2023-04-17-LLaVA.
PostStem = Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}-[^/\s]+$")]
ParameterCount = Annotated[int, Field(gt=0, le=MAX_PARAMETERS), AfterValidator(check_parameters)]
#: Bounds of a metric's range: no benchmark's scale reaches a million (MME's totals: 2800).
MetricBound = Annotated[float, Field(ge=-(10**6), le=10**6)]


class Strict(BaseModel):
    """A record that rejects unknown keys and is immutable once read.

    Values are taken as typed (strict): no text is read as a number ("4_4.7"), no boolean
    as an integer, and no number may be infinite or NaN.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=False,
        strict=True,
        allow_inf_nan=False,
    )


# --- sources ---------------------------------------------------------------


class SourceRef(Strict):
    """Where a fact comes from: a source document and a place in it."""

    source: Slug
    locator: Text | None = None


class SourceDocument(Strict):
    """A document facts are taken from (data/sources.yaml)."""

    slug: Slug
    label: Label
    kind: Literal["survey", "website", "paper", "model-card", "repository", "library"]
    url: Url
    citation: Text | None = None
    accessed: Annotated[str, AfterValidator(check_day)] | None = None


# --- closed vocabularies (data/vocab/*.yaml) -------------------------------


class VocabularyTerm(Strict):
    """A term of a closed vocabulary: label and definition in our own words."""

    slug: Slug
    label: Label
    definition: Text
    alt_labels: list[Label] = []


class Modality(VocabularyTerm):
    """A modality a model reads or writes; site_codes are the website's letters."""

    site_codes: list[SiteCode] = []
    survey_codes: list[SiteCode] = []
    output_form_of: Slug | None = None


class Role(VocabularyTerm):
    """One of the five architectural roles of an MM-LLM."""

    site_heading: Label
    position: int = Field(ge=1, le=5)


class Division(VocabularyTerm):
    """A value of the survey's functional or design division."""

    axis: Literal["functional", "design"]
    site_label: Label
    survey_label: Label


class Venue(VocabularyTerm):
    """A place of publication; site_spellings are the website's category names."""

    site_spellings: list[Label] = []
    kind: Literal["conference", "journal", "preprint-server", "website"]


class Metric(VocabularyTerm):
    """What a score measures, its range, and the Table 2 columns that report it."""

    minimum: MetricBound
    maximum: MetricBound | None = None
    survey_columns: list[Label] = []

    @model_validator(mode="after")
    def _ordered(self) -> Metric:
        if self.maximum is not None and self.maximum <= self.minimum:
            raise ValueError(
                f"the maximum {self.maximum:g} is not above the minimum {self.minimum:g}"
            )
        return self


class LinkKind(VocabularyTerm):
    """A kind of derivation between two models or two components."""

    applies_to: list[Literal["model", "component", "family", "dataset"]]


# --- shared entities -------------------------------------------------------


class ParentOrganisation(Strict):
    """An organisation this one is a unit of, as a source states it."""

    organisation: Slug
    sources: list[SourceRef] = Field(min_length=1)


class Organisation(Strict):
    """An organisation that authors models or datasets (data/organisations/<slug>.yaml).

    No kind (university, company, ...) is recorded: no source of the project states one.
    """

    name: Label
    alt_labels: list[Label] = []
    site_spellings: list[Label] = Field(
        default_factory=list,
        description="exact strings of the website's affiliation field that name it",
    )
    part_of: list[ParentOrganisation] = []
    sources: list[SourceRef] = Field(min_length=1)


class Derivation(Strict):
    """A stated derivation of this entity from another of the same kind."""

    target: Slug
    kind: Slug
    sources: list[SourceRef] = Field(min_length=1)
    note: Text | None = None


class ParentFamily(Strict):
    """A wider family this family is a variant of, as a source states it."""

    family: Slug
    sources: list[SourceRef] = Field(min_length=1)


class ComponentFamily(Strict):
    """A family of components (data/families/<slug>.yaml), e.g. CLIP, Vicuna, Q-Former."""

    name: Label
    definition: Text
    alt_labels: list[Label] = []
    sub_family_of: list[ParentFamily] = []
    derived_from: list[Derivation] = []
    sources: list[SourceRef] = Field(min_length=1)


class Component(Strict):
    """A concrete component that fills a role (data/components/<slug>.yaml)."""

    name: Label
    family: Slug
    roles: list[Slug] = Field(min_length=1)
    alt_labels: list[Label] = []
    parameter_count: ParameterCount | None = Field(
        default=None, description="only where the component's name states it"
    )
    # a patch is a square of the input image: ViTs use 14 to 32 pixels
    patch_size: int | None = Field(default=None, gt=0, le=1024)
    derived_from: list[Derivation] = []
    definition: Text | None = None
    sources: list[SourceRef] = Field(min_length=1)


class ComponentChoice(Strict):
    """One component a spelling names, optionally at an input resolution in pixels."""

    component: Slug
    resolution: int | None = Field(default=None, gt=0, le=10000)


class Spelling(Strict):
    """How one verbatim architecture string maps to canonical components."""

    spelling: Label
    components: list[ComponentChoice] = Field(min_length=1)
    note: Text | None = None


class SpellingTable(Strict):
    """data/curation/component-spellings.yaml."""

    spellings: list[Spelling]


# --- curation shared by models and datasets --------------------------------


class RejectedPostField(Strict):
    """A value of the website post that curation leaves out, because it is wrong."""

    field: Literal["date", "venue", "paper", "paper_title", "project_url", "affiliation"]
    reason: Text


# --- datasets --------------------------------------------------------------


class Dataset(Strict):
    """A pre-training, instruction-tuning or benchmark dataset (data/datasets/<slug>.yaml)."""

    name: Label
    kinds: list[Literal["pre-training", "instruction-tuning", "benchmark"]] = Field(min_length=1)
    alt_labels: list[Label] = []
    site_posts: list[PostStem] = []
    survey_pt_name: Label | None = None
    survey_it_name: Label | None = None
    survey_it_type: Literal["SFT", "RLHF"] | None = Field(
        default=None, description="picks one row where the IT table lists a name twice"
    )
    survey_benchmark_names: list[Label] = []
    organisations: list[Slug] | None = None
    rejected_post_fields: list[RejectedPostField] = []
    derived_from: list[Derivation] = []
    description: Text | None = None
    sources: list[SourceRef] = []


# --- models ----------------------------------------------------------------

OVERRIDABLE_FIELDS = (
    "released",
    "venue",
    "paper",
    "project_url",
    "code_url",
    "organisations",
    "input_modalities",
    "output_modalities",
    "functional_division",
    "design_division",
    "modality-encoder",
    "input-projector",
    "llm-backbone",
    "output-projector",
    "modality-generator",
    "pretraining_scale",
    "instruction_tuning_scale",
)


class Decision(Strict):
    """Which source's value is kept where two sources give different values for one field.

    ``use`` is ``site`` (the website post), ``survey`` (the survey's figures and tables) or
    the slug of a source document of one of the record's own statements (``stated``).
    """

    field: Literal[OVERRIDABLE_FIELDS]  # type: ignore[valid-type]
    use: Slug
    reason: Text


class ModelLink(Strict):
    """An evolution link from this model to an earlier one, with its basis and sources."""

    target: Slug
    kind: Slug
    confidence: Literal["survey", "paper", "name"] = Field(
        description="survey: stated in the survey; paper: stated in this model's own paper; "
        "name: suggested only by the names (lowest)"
    )
    sources: list[SourceRef] = Field(min_length=1)
    note: Text | None = None


class Table2Row(Strict):
    """The row of the survey's Table 2 that a variant's results are read from."""

    model: Label
    llm_backbone: Label


class Variant(Strict):
    """A configuration of a model that the sources tell apart, e.g. by backbone size."""

    slug: Slug
    name: Label
    llm_backbone: Slug | None = None
    base_variant: Slug | None = Field(
        default=None, description="the variant this one equals but for added training data"
    )
    trained_on: list[Slug] = []
    table2: Table2Row | None = None
    sources: list[SourceRef] = Field(min_length=1)


class SurveyNames(Strict):
    """The model's name in each of the survey's figures and tables."""

    taxonomy: Label | None = None
    timeline: Label | None = None
    table1: Label | None = None


class ArchitectureItem(Strict):
    """A per-model resolution of one architecture cell entry (overrides the spelling table)."""

    role: Slug
    spelling: Label
    components: list[ComponentChoice] = Field(min_length=1)
    reason: Text


DateText = Annotated[str, AfterValidator(check_date)]


class StatedPaper(Strict):
    """The paper (or report page) a statement says presents the model."""

    title: Label | None = None
    url: Url
    arxiv_id: Annotated[str, Field(pattern=r"^[0-9]{4}\.[0-9]{4,5}$")] | None = None


class StatedUsage(Strict):
    """One component a statement says the model uses in a role, optionally per modality."""

    component: Slug
    modalities: list[Slug] = []
    resolution: int | None = Field(default=None, gt=0, le=10000)


#: The facts a statement can give; each is the same field the website and survey fill.
STATED_FIELDS = (
    "released",
    "venue",
    "venue_year",
    "paper",
    "project_url",
    "code_url",
    "organisations",
    "functional_division",
    "design_division",
    "input_modalities",
    "output_modalities",
    "architecture",
    "pretraining_scale",
    "instruction_tuning_scale",
    "parameter_counts",
)


class Statement(Strict):
    """The facts one source states about a model, and where in the source it states them.

    Every fact of a model that comes neither from the website nor from the survey is
    given in a statement, so it carries its source and locator (a paper's section or
    table, a model card, a repository file at a commit, a library version).
    """

    source: Slug
    locator: Text
    released: DateText | None = Field(default=None, description="YYYY-MM-DD or YYYY-MM")
    venue: Slug | None = None
    venue_year: Annotated[int, AfterValidator(check_year)] | None = None
    paper: StatedPaper | None = None
    project_url: Url | None = None
    code_url: Url | None = None
    organisations: list[Slug] | None = None
    functional_division: Slug | None = None
    design_division: Slug | None = None
    input_modalities: list[Slug] | None = None
    output_modalities: list[Slug] | None = None
    architecture: dict[Slug, list[StatedUsage]] | None = Field(
        default=None, description="per role slug; an empty list states that the role is absent"
    )
    pretraining_scale: float | None = Field(default=None, gt=0, lt=1e15, allow_inf_nan=False)
    instruction_tuning_scale: float | None = Field(default=None, gt=0, lt=1e15, allow_inf_nan=False)
    parameter_counts: list[ParameterCount] = Field(
        default=[], description="the parameter sizes the source states, e.g. 7000000000"
    )

    @model_validator(mode="after")
    def _states_something(self) -> Statement:
        if not any(getattr(self, f) not in (None, []) for f in STATED_FIELDS):
            raise ValueError("a statement must give at least one fact")
        return self


class Model(Strict):
    """The curation of one MM-LLM (data/models/<slug>.yaml), applied on top of the raw layer.

    Facts come from the website post (``site_post``), the survey (``survey``) and the
    record's own statements (``stated``), each with its source; where two of them give
    different values for one field, a decision says which is kept.
    """

    name: Label
    alt_labels: list[Label] = []
    site_post: PostStem | None = None
    survey: SurveyNames = SurveyNames()
    organisations: list[Slug] | None = Field(
        default=None, description="replaces the organisations read from the site's affiliation"
    )
    resolutions: list[ArchitectureItem] = []
    rejected_post_fields: list[RejectedPostField] = []
    decisions: list[Decision] = []
    derived_from: list[ModelLink] = []
    variants: list[Variant] = []
    stated: list[Statement] = []
    description: Text | None = None
    sources: list[SourceRef] = []

    @model_validator(mode="before")
    @classmethod
    def _facts_need_sources(cls, data: object) -> object:
        if isinstance(data, dict):
            loose = [f for f in STATED_FIELDS if f in data and f not in cls.model_fields]
            if loose:
                raise ValueError(
                    f"field '{loose[0]}' states a fact without a source: give it inside a "
                    "'stated' entry with its source and locator, e.g. "
                    "stated: [{source: paper-x, locator: 'Section 3', " + loose[0] + ": ...}]"
                )
        return data

    @model_validator(mode="after")
    def _needs_a_source(self) -> Model:
        if (
            not self.site_post
            and not self.stated
            and not self.sources
            and not any((self.survey.taxonomy, self.survey.timeline, self.survey.table1))
        ):
            raise ValueError(
                "a model needs a website post (site_post), a survey name (survey), its "
                "own statements (stated) or a source that names it (sources) to take its "
                "facts from"
            )
        fields = [d.field for d in self.decisions]
        dupes = sorted({f for f in fields if fields.count(f) > 1})
        if dupes:
            raise ValueError(f"more than one decision for {', '.join(dupes)}")
        return self


# --- the raw layer (written by `mmkg import-site`, never by hand) ----------


class RawPaper(Strict):
    """The paper link of a post (checked as part of its post: see RawPost)."""

    title: str
    url: str


class RawPost(Strict):
    """One website post as read, strings verbatim (data/raw/mm-llms-site/<kind>/<stem>.yaml).

    Verbatim, but never with invisible characters, and URLs are http(s) only.
    """

    post: Verbatim
    kind: Literal["model", "it-dataset", "benchmark", "survey"]
    title: Verbatim
    date: Annotated[Verbatim, AfterValidator(check_post_date)]
    category: Verbatim
    publisher: Verbatim | None = None
    paper: RawPaper | None = None
    project_url: Url | None = None
    affiliation: Verbatim | None = None
    functional: list[Verbatim] = []
    design: list[Verbatim] = []
    io: Verbatim | None = None
    inputs: list[Verbatim] = []
    outputs: list[Verbatim] = []
    architecture: dict[Verbatim, list[Verbatim]] = {}
    pretraining_scale: Verbatim | None = None
    instruction_tuning_scale: Verbatim | None = None
    it_type: list[Verbatim] = []
    multi_turn: bool | None = None
    it_source: list[Verbatim] = []
    it_method: list[Verbatim] = []
    it_scale: dict[Verbatim, Verbatim] = {}
    dialog_turns: Verbatim | None = None
    instance_scale: Verbatim | None = None

    @field_validator("paper")
    @classmethod
    def _paper_link(cls, paper: RawPaper | None) -> RawPaper | None:
        # here rather than in RawPaper, so the importer, which builds a RawPaper first,
        # reports a bad link as a bad post
        if paper is not None:
            check_verbatim(paper.title)
            check_url(paper.url)
        return paper


# --- the transformers raw layer (written by `mmkg import-transformers`) -----


class RawSubModel(Strict):
    """One sub-model of a composite configuration: its key and default model type."""

    key: str
    model_type: str | None = None


class RawModelType(Strict):
    """One model type of the transformers library, as read (data/raw/transformers/<type>.yaml)."""

    model_type: str
    config_class: str
    module: str
    model_classes: dict[str, list[str]] = {}
    sub_models: list[RawSubModel] = []
    projector_classes: list[str] = []


class RawLibrary(Strict):
    """The library version a transformers raw layer was read from (_library.yaml)."""

    package: Literal["transformers"]
    version: str
    tables: list[str]
    # the library has fewer than a thousand model types (540 in the raw layer)
    model_types: int = Field(ge=0, le=100_000)


class TransformersType(Strict):
    """The curation of one model type of the transformers raw layer.

    It names the model the type implements, or says why the type is not an MM-LLM
    architecture (data/curation/transformers-types.yaml).
    """

    model_type: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")]
    model: Slug | None = None
    not_an_mm_llm: Text | None = None
    sources: list[SourceRef] = Field(min_length=1)

    @model_validator(mode="after")
    def _model_or_reason(self) -> TransformersType:
        if (self.model is None) == (self.not_an_mm_llm is None):
            raise ValueError("give exactly one of 'model' and 'not_an_mm_llm'")
        return self


class TransformersTypeTable(Strict):
    """data/curation/transformers-types.yaml."""

    types: list[TransformersType]


class TransformersSubModel(Strict):
    """The component a sub-model type of the library is: its role and its family.

    One entry of data/curation/transformers-submodels.yaml, e.g. `siglip_vision_model`
    is a modality encoder of the SigLIP family.
    """

    model_type: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")]
    name: Label
    role: Slug
    family: Slug
    sources: list[SourceRef] = Field(min_length=1)


class TransformersSubModelTable(Strict):
    """data/curation/transformers-submodels.yaml."""

    submodels: list[TransformersSubModel]
