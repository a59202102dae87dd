"""The merged facts the loader returns, and small parsers shared by its steps."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mmkg.records import (
    Component,
    ComponentFamily,
    Dataset,
    Division,
    LinkKind,
    Metric,
    Modality,
    Model,
    Organisation,
    RawPost,
    Role,
    SourceDocument,
    SourceRef,
    Spelling,
    Venue,
)

SITE_POST_URL = "https://github.com/MM-LLMs/mm-llms.github.io/blob/1135ff3/_posts/{post}.md"
ROLES = (
    "modality-encoder",
    "input-projector",
    "llm-backbone",
    "output-projector",
    "modality-generator",
)
TABLE1_COLUMNS = {
    "modality-encoder": "modality_encoder",
    "input-projector": "input_projector",
    "llm-backbone": "llm_backbone",
    "output-projector": "output_projector",
    "modality-generator": "modality_generator",
}
EMPTY_CELLS = {"", "–", "-", "—"}
ITEM_PREFIX = re.compile(r"^([A-Za-z0-9_]+(?:/[A-Za-z0-9_]+)*):\s*(.*)$")
# ASCII digits only: \d also matches other scripts' digits, which float() reads ('١٢٩' is 129)
SCALE_PATTERN = re.compile(r"[∼~]?\s*([0-9]{1,15}(?:\.[0-9]{1,6})?)\s*([KMB]?)\s*(†?)")
#: More items than any data set holds (the largest count in the data is MMC4's 4.3 * 10^10); the
#: same bound as a stated scale in mmkg.records.
MAX_SCALE = 1e15
ARXIV_PATTERN = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})(v\d+)?", re.I)


# --- facts -----------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """One source's value for one field of a model, with the places that state it."""

    origin: str
    value: Any
    refs: tuple[SourceRef, ...]


@dataclass(frozen=True)
class Usage:
    """One component used by a model in one role, for some modalities, at a resolution."""

    role: str
    component: str
    modalities: tuple[str, ...]
    resolution: int | None
    verbatim: str
    source: SourceRef


@dataclass(frozen=True)
class Paper:
    """A paper (or web page) that presents a model or dataset."""

    title: str | None
    url: str
    arxiv_id: str | None


@dataclass(frozen=True)
class Period:
    """A period of the survey's timeline figure."""

    slug: str
    label: str
    year: int
    start_month: int
    end_month: int


@dataclass(kw_only=True)
class EntryFacts:
    """What a model and a dataset share: the facts their website post gives, and notes."""

    slug: str
    file: str
    post: RawPost | None = None
    sources: list[SourceRef] = field(default_factory=list)
    released: datetime | None = None
    venue: str | None = None
    venue_year: int | None = None
    paper: Paper | None = None
    project_url: str | None = None
    affiliation: str | None = None
    organisations: list[str] = field(default_factory=list)
    io_text: str | None = None
    notes: list[str] = field(default_factory=list)
    record: Model | Dataset


@dataclass(kw_only=True)
class ModelFacts(EntryFacts):
    """Everything known about one model after merging the raw layer, survey and curation."""

    record: Model
    functional_division: str | None = None
    design_division: str | None = None
    input_modalities: list[str] = field(default_factory=list)
    output_modalities: list[str] = field(default_factory=list)
    taxonomy_category: str | None = None
    io_category: str | None = None
    period: Period | None = None
    period_confidence: str | None = None
    architecture: dict[str, list[Usage]] | None = None
    pretraining_scale: float | None = None
    instruction_tuning_scale: float | None = None
    in_house_data: bool = False
    code_url: str | None = None
    released_precision: str = "day"
    parameter_counts: list[int] = field(default_factory=list)
    #: the sources (with locators) of each fact kept, by field (a role slug for architecture)
    provenance: dict[str, list[SourceRef]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The model's display name."""
        return self.record.name


@dataclass(kw_only=True)
class DatasetFacts(EntryFacts):
    """Everything known about one dataset after merging the site post and survey tables."""

    record: Dataset
    modalities: list[str] = field(default_factory=list)
    tuning_types: list[str] = field(default_factory=list)
    multi_turn: bool | None = None
    source_text: str | None = None
    method: str | None = None
    counts: dict[str, float] = field(default_factory=dict)
    dialog_turns: float | None = None


@dataclass(frozen=True)
class Result:
    """One score of the survey's Table 2, attached to the variant that obtained it."""

    model: str
    variant: str
    benchmark: str
    metric: str
    column: str
    score: float
    train_images_seen: bool
    reimplemented: bool
    source: SourceRef


@dataclass
class Facts:
    """All curated facts, validated and resolved, ready to build a graph from."""

    sources: dict[str, SourceDocument]
    modalities: dict[str, Modality]
    roles: dict[str, Role]
    divisions: dict[str, Division]
    venues: dict[str, Venue]
    link_kinds: dict[str, LinkKind]
    organisations: dict[str, Organisation]
    families: dict[str, ComponentFamily]
    components: dict[str, Component]
    spellings: dict[str, Spelling]
    datasets: dict[str, DatasetFacts]
    models: dict[str, ModelFacts]
    raw_posts: dict[str, RawPost]
    periods: dict[str, Period]
    metrics: dict[str, Metric] = field(default_factory=dict)
    results: list[Result] = field(default_factory=list)
    library: Any = None  # mmkg.load.library.Library: the transformers layer and its curation


# --- helpers ---------------------------------------------------------------


def closest(word: str, candidates: Iterable[str]) -> str:
    """The nearest known name to *word*, for hints; empty when nothing is near."""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.5)
    return matches[0] if matches else ""


def did_you_mean(word: str, candidates: Iterable[str], otherwise: str) -> str:
    """A hint naming the nearest known name to *word*, or *otherwise* when none is near."""
    near = closest(word, candidates)
    return f"did you mean '{near}'?" if near else otherwise


def parse_scale(text: str | None) -> tuple[float | None, bool]:
    """Parse a data scale such as '129M', '0.6M', '1.4B†', '∼4'; return (number, in-house flag).

    >>> parse_scale("1.4B†")
    (1400000000.0, True)
    >>> parse_scale("Not report")
    (None, False)
    """
    if text is None:
        return None, False
    value = text.strip()
    if value in EMPTY_CELLS or value in {"Not report", "None"}:
        return None, False
    match = SCALE_PATTERN.fullmatch(value)
    if not match:
        raise ValueError(f"'{text}' is not a scale such as 600K, 0.6M or 1.4B")
    number = float(match.group(1)) * {"": 1, "K": 1e3, "M": 1e6, "B": 1e9}[match.group(2)]
    if number >= MAX_SCALE:
        raise ValueError(f"'{text}' is not a scale a data set can have: at most 10^15 items")
    return number, bool(match.group(3))


def parse_post_date(text: str) -> datetime:
    """Parse the website's date ('2023-04-17 00:00:00 +0800')."""
    return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S %z")


def arxiv_id(url: str) -> str | None:
    """The arXiv identifier in a paper URL, without its version."""
    match = ARXIV_PATTERN.search(url)
    return match.group(1) if match else None
