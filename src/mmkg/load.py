"""Data files -> validated records; references resolved by slug; layers merged.

Reads the hand-curated files of ``data/``, the raw layer written by
``mmkg import-site`` and the survey's tables, checks every record and every
reference, and returns one :class:`Facts` object. Every problem found is
collected and raised together as a :class:`~mmkg.errors.DataError` naming the
file, the record and the field.
"""

from __future__ import annotations

import csv
import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from mmkg.errors import DataError, Problem
from mmkg.records import (
    Component,
    ComponentChoice,
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
    SpellingTable,
    Venue,
)

__all__ = ["Facts", "load_facts", "parse_scale", "closest", "curated_posts"]

R = TypeVar("R", bound=BaseModel)

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
_PREFIX = re.compile(r"^([A-Za-z0-9_]+(?:/[A-Za-z0-9_]+)*):\s*(.*)$")
_SCALE = re.compile(r"^[∼~]?\s*(\d+(?:\.\d+)?)\s*([KMB]?)\s*(†?)$")
_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})(v\d+)?", re.I)


# --- facts -----------------------------------------------------------------


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
    architecture: dict[str, list[Usage]] | None = None
    pretraining_scale: float | None = None
    instruction_tuning_scale: float | None = None
    in_house_data: bool = False

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


# --- helpers ---------------------------------------------------------------


def closest(word: str, candidates: Iterable[str]) -> str:
    """The nearest known name to *word*, for hints; empty when nothing is near."""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.5)
    return matches[0] if matches else ""


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
    match = _SCALE.match(value)
    if not match:
        raise ValueError(f"'{text}' is not a scale such as 600K, 0.6M or 1.4B")
    number = float(match.group(1)) * {"": 1, "K": 1e3, "M": 1e6, "B": 1e9}[match.group(2)]
    return number, bool(match.group(3))


def parse_post_date(text: str) -> datetime:
    """Parse the website's date ('2023-04-17 00:00:00 +0800')."""
    return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S %z")


def arxiv_id(url: str) -> str | None:
    """The arXiv identifier in a paper URL, without its version."""
    match = _ARXIV.search(url)
    return match.group(1) if match else None


class _Collector:
    """Collects problems so one run reports all of them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def rel(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.root.resolve().parent))
        except ValueError:
            return str(path)

    def add(self, file: str, record: str, fld: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(file, record, fld, message, hint))

    def read_yaml(self, path: Path, record: str) -> Any:
        file = self.rel(path)
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            self.add(
                file, record, "", f"is not UTF-8 text (byte {exc.start})", "save the file as UTF-8"
            )
            return None
        if not text.strip():
            self.add(file, record, "", "is empty", "write the record's fields or delete the file")
            return None
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            self.add(file, record, "", f"is not valid YAML{where}: {problem}")
            return None

    def validate(self, cls: type[R], data: Any, file: str, record: str) -> R | None:
        if not isinstance(data, dict):
            self.add(file, record, "", f"must be a mapping of fields, not {type(data).__name__}")
            return None
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            known = list(cls.model_fields)
            for err in exc.errors():
                loc = ".".join(str(p) for p in err["loc"])
                hint = ""
                if err["type"] == "extra_forbidden":
                    near = closest(str(err["loc"][-1]), known)
                    message = "is not a known field"
                    hint = (
                        f"did you mean '{near}'?" if near else f"known fields: {', '.join(known)}"
                    )
                elif err["type"] == "missing":
                    message = "is required but missing"
                else:
                    message = err["msg"].removeprefix("Value error, ")
                    if "input" in err and err["type"] not in {"value_error"}:
                        message += f" (got {err['input']!r})"
                self.add(file, record, loc, message, hint)
            return None


def _load_dir(col: _Collector, folder: Path, cls: type[R]) -> dict[str, tuple[R, str]]:
    out: dict[str, tuple[R, str]] = {}
    if not folder.is_dir():
        return out
    for path in sorted(folder.iterdir()):
        if path.suffix not in {".yaml", ".yml"}:
            continue
        slug = path.stem
        file = col.rel(path)
        if not re.match(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$", slug):
            col.add(
                file,
                slug,
                "",
                "the file name is not a valid slug",
                "rename it with lower-case letters, digits, '-' and '.'",
            )
            continue
        record = col.validate(cls, col.read_yaml(path, slug), file, slug)
        if record is not None:
            out[slug] = (record, file)
    return out


def _load_list(col: _Collector, path: Path, cls: type[R]) -> dict[str, R]:
    out: dict[str, R] = {}
    file = col.rel(path)
    data = col.read_yaml(path, path.stem)
    if data is None:
        return out
    if not isinstance(data, list):
        col.add(file, path.stem, "", "must be a list of entries")
        return out
    for i, entry in enumerate(data):
        name = entry.get("slug", f"entry {i + 1}") if isinstance(entry, dict) else f"entry {i + 1}"
        record = col.validate(cls, entry, file, str(name))
        if record is None:
            continue
        slug = record.slug  # type: ignore[attr-defined]
        if slug in out:
            col.add(file, slug, "slug", "is used by two entries", "give each entry its own slug")
        out[slug] = record
    return out


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- the loader ------------------------------------------------------------


class _Loader:
    def __init__(self, data_dir: Path) -> None:
        self.dir = data_dir
        self.col = _Collector(data_dir)

    # references -----------------------------------------------------------

    def ref(
        self, known: dict[str, Any], slug: str, what: str, file: str, record: str, fld: str
    ) -> bool:
        if slug in known:
            return True
        near = closest(slug, known)
        self.col.add(
            file,
            record,
            fld,
            f"refers to unknown {what} '{slug}'",
            f"did you mean '{near}'?" if near else f"no {what} of that name exists",
        )
        return False

    def check_sources(self, refs: Iterable[SourceRef], file: str, record: str, fld: str) -> None:
        for i, ref in enumerate(refs):
            self.ref(self.sources, ref.source, "source", file, record, f"{fld}.{i}.source")

    # run ------------------------------------------------------------------

    def run(self) -> Facts:
        col, d = self.col, self.dir
        self.sources = _load_list(col, d / "sources.yaml", SourceDocument)
        self.modalities = _load_list(col, d / "vocab" / "modalities.yaml", Modality)
        self.roles = _load_list(col, d / "vocab" / "roles.yaml", Role)
        self.divisions = _load_list(col, d / "vocab" / "divisions.yaml", Division)
        self.venues = _load_list(col, d / "vocab" / "venues.yaml", Venue)
        self.link_kinds = _load_list(col, d / "vocab" / "link-kinds.yaml", LinkKind)
        self.metrics = _load_list(col, d / "vocab" / "metrics.yaml", Metric)
        orgs = _load_dir(col, d / "organisations", Organisation)
        families = _load_dir(col, d / "families", ComponentFamily)
        components = _load_dir(col, d / "components", Component)
        datasets = _load_dir(col, d / "datasets", Dataset)
        models = _load_dir(col, d / "models", Model)
        self.raw = self.load_raw(d / "raw" / "mm-llms-site")
        self.organisations = {k: v for k, (v, _) in orgs.items()}
        self.families = {k: v for k, (v, _) in families.items()}
        self.components = {k: v for k, (v, _) in components.items()}
        self.spellings = self.load_spellings(d / "curation" / "component-spellings.yaml")
        self.site_codes = {c: m.slug for m in self.modalities.values() for c in m.site_codes}
        self.survey_codes = {c: m.slug for m in self.modalities.values() for c in m.survey_codes}
        self.affiliations: dict[str, list[str]] = {}
        for slug, org in self.organisations.items():
            for spelling in org.site_spellings:
                self.affiliations.setdefault(spelling, []).append(slug)

        self.check_vocab()
        self.check_organisations(orgs)
        self.check_catalogue(families, components)
        survey = d / "external" / "survey"
        self.taxonomy = {r["model"]: r for r in _read_csv(survey / "taxonomy.csv")}
        self.timeline = {r["model"]: r for r in _read_csv(survey / "timeline.csv")}
        self.table1 = {r["model"]: r for r in _read_csv(survey / "table1_v5.csv")}
        self.pt_table = {r["dataset"]: r for r in _read_csv(survey / "pt_datasets.csv")}
        self.it_table = _read_csv(survey / "it_datasets.csv")
        self.benchmarks = {r["benchmark"] for r in _read_csv(survey / "table2.csv")}
        self.periods: dict[str, Period] = {}
        self.dataset_records = {slug: rec for slug, (rec, _) in datasets.items()}
        self.dataset_slugs = set(datasets)
        model_facts = {slug: self.model(slug, rec, file) for slug, (rec, file) in models.items()}
        dataset_facts = {
            slug: self.dataset(slug, rec, file) for slug, (rec, file) in datasets.items()
        }
        self.check_uniqueness(models, datasets)
        self.check_model_links(models)
        results = self.results(models, survey / "table2.csv")
        if col.problems:
            raise DataError(col.problems)
        return Facts(
            sources=self.sources,
            modalities=self.modalities,
            roles=self.roles,
            divisions=self.divisions,
            venues=self.venues,
            link_kinds=self.link_kinds,
            organisations=self.organisations,
            families=self.families,
            components=self.components,
            spellings=self.spellings,
            datasets=dataset_facts,
            models=model_facts,
            raw_posts=self.raw,
            periods=self.periods,
            metrics=self.metrics,
            results=results,
        )

    def load_raw(self, folder: Path) -> dict[str, RawPost]:
        out: dict[str, RawPost] = {}
        if not folder.is_dir():
            return out
        for path in sorted(folder.glob("*/*.yaml")):
            file = self.col.rel(path)
            record = self.col.validate(
                RawPost, self.col.read_yaml(path, path.stem), file, path.stem
            )
            if record is not None:
                out[record.post] = record
        return out

    def load_spellings(self, path: Path) -> dict[str, Spelling]:
        file = self.col.rel(path)
        if not path.exists():
            return {}
        table = self.col.validate(
            SpellingTable, self.col.read_yaml(path, "spellings"), file, "spellings"
        )
        out: dict[str, Spelling] = {}
        if table is None:
            return out
        for i, entry in enumerate(table.spellings):
            if entry.spelling in out:
                self.col.add(
                    file,
                    entry.spelling,
                    f"spellings.{i}.spelling",
                    "is listed twice",
                    "merge the two entries",
                )
            out[entry.spelling] = entry
            for j, choice in enumerate(entry.components):
                self.ref(
                    self.components,
                    choice.component,
                    "component",
                    file,
                    entry.spelling,
                    f"spellings.{i}.components.{j}.component",
                )
        return out

    # checks of shared entities ---------------------------------------------

    def check_vocab(self) -> None:
        file = "data/vocab/modalities.yaml"
        for slug, modality in self.modalities.items():
            if modality.output_form_of:
                self.ref(
                    self.modalities,
                    modality.output_form_of,
                    "modality",
                    file,
                    slug,
                    "output_form_of",
                )
        if set(self.roles) != set(ROLES):
            self.col.add(
                "data/vocab/roles.yaml",
                "roles",
                "slug",
                f"must list exactly the five roles {', '.join(ROLES)}",
            )

    def check_organisations(self, orgs: dict[str, tuple[Organisation, str]]) -> None:
        for slug, (org, file) in orgs.items():
            self.check_sources(org.sources, file, slug, "sources")

    def check_derivations(
        self, derived: list, known: dict[str, Any], what: str, file: str, record: str, kind: str
    ) -> None:
        for i, link in enumerate(derived):
            fld = f"derived_from.{i}"
            self.ref(known, link.target, what, file, record, f"{fld}.target")
            if link.target == record:
                self.col.add(file, record, f"{fld}.target", f"a {what} cannot derive from itself")
            if self.ref(self.link_kinds, link.kind, "link kind", file, record, f"{fld}.kind"):
                if kind not in self.link_kinds[link.kind].applies_to:
                    self.col.add(
                        file,
                        record,
                        f"{fld}.kind",
                        f"link kind '{link.kind}' does not apply to a {kind}",
                    )
            self.check_sources(link.sources, file, record, f"{fld}.sources")

    def check_catalogue(
        self,
        families: dict[str, tuple[ComponentFamily, str]],
        components: dict[str, tuple[Component, str]],
    ) -> None:
        for slug, (fam, file) in families.items():
            self.check_sources(fam.sources, file, slug, "sources")
            self.check_derivations(fam.derived_from, self.families, "family", file, slug, "family")
        self.check_cycles(
            {k: [d.target for d in f.derived_from] for k, (f, _) in families.items()},
            {k: f for k, (_, f) in families.items()},
        )
        for slug, (comp, file) in components.items():
            self.ref(self.families, comp.family, "family", file, slug, "family")
            for i, role in enumerate(comp.roles):
                self.ref(self.roles, role, "role", file, slug, f"roles.{i}")
            self.check_sources(comp.sources, file, slug, "sources")
            self.check_derivations(
                comp.derived_from, self.components, "component", file, slug, "component"
            )
        self.check_cycles(
            {k: [d.target for d in c.derived_from] for k, (c, _) in components.items()},
            {k: f for k, (_, f) in components.items()},
        )

    def check_cycles(self, edges: dict[str, list[str]], files: dict[str, str]) -> None:
        state: dict[str, int] = {}

        def visit(node: str, path: list[str]) -> None:
            state[node] = 1
            for target in edges.get(node, []):
                if target == node:
                    continue  # reported as a self-link
                if state.get(target) == 1:
                    cycle = (
                        path[path.index(target) :] + [target] if target in path else [node, target]
                    )
                    self.col.add(
                        files.get(node, "?"),
                        node,
                        "derived_from",
                        "derivations form a cycle: " + " -> ".join(cycle),
                        "remove one of the links",
                    )
                elif target in edges and state.get(target) is None:
                    visit(target, [*path, target])
            state[node] = 2

        for node in edges:
            if state.get(node) is None:
                visit(node, [node])

    def check_uniqueness(self, models: dict, datasets: dict) -> None:
        by_name: dict[str, list[tuple[str, str, str]]] = {}
        groups: list[tuple[str, dict[str, tuple[Any, str]]]] = [
            ("model", models),
            ("dataset", datasets),
        ]
        for _, group in groups:
            for slug, (record, file) in group.items():
                by_name.setdefault(record.name.casefold(), []).append((slug, file, record.name))
        for entries in by_name.values():
            for slug, file, name in entries if len(entries) > 1 else []:
                others = ", ".join(f for _, f, _ in entries if f != file)
                self.col.add(
                    file,
                    slug,
                    "name",
                    f"'{name}' is also the name of {others}",
                    "names must be unique; add a distinguishing word",
                )
        posts: dict[str, list[tuple[str, str]]] = {}
        for _, group in groups:
            for slug, (record, file) in group.items():
                stems = record.site_posts if isinstance(record, Dataset) else [record.site_post]
                for stem in filter(None, stems):
                    posts.setdefault(stem, []).append((slug, file))
        for stem, entries in posts.items():
            for slug, file in entries if len(entries) > 1 else []:
                others = ", ".join(f for _, f in entries if f != file)
                self.col.add(
                    file,
                    slug,
                    "site_post",
                    f"post '{stem}' is also curated by {others}",
                    "one post, one record",
                )

    # evolution links, variants and results ---------------------------------

    def check_model_links(self, models: dict[str, tuple[Model, str]]) -> None:
        for slug, (rec, file) in models.items():
            self.check_derivations(rec.derived_from, models, "model", file, slug, "model")
        self.check_cycles(
            {k: [d.target for d in r.derived_from] for k, (r, _) in models.items()},
            {k: f for k, (_, f) in models.items()},
        )

    def results(self, models: dict[str, tuple[Model, str]], table: Path) -> list[Result]:
        variants: dict[str, tuple[str, str]] = {}
        rows: dict[tuple[str, str], str] = {}
        datasets = set(self.dataset_slugs)
        uses = Counter(v.slug for rec, _ in models.values() for v in rec.variants)
        for slug, (rec, file) in models.items():
            own = {v.slug for v in rec.variants}
            for i, variant in enumerate(rec.variants):
                fld = f"variants.{i}"
                if uses[variant.slug] > 1 or variant.slug in models:
                    self.col.add(
                        file,
                        slug,
                        f"{fld}.slug",
                        f"variant slug '{variant.slug}' is already used",
                        "variant slugs are unique across all models",
                    )
                variants[variant.slug] = (slug, file)
                if variant.llm_backbone:
                    self.ref(
                        self.components,
                        variant.llm_backbone,
                        "component",
                        file,
                        slug,
                        f"{fld}.llm_backbone",
                    )
                if variant.base_variant:
                    if variant.base_variant == variant.slug:
                        self.col.add(
                            file, slug, f"{fld}.base_variant", "a variant cannot be its own base"
                        )
                    else:
                        self.ref(
                            {v: 1 for v in own},
                            variant.base_variant,
                            "variant of this model",
                            file,
                            slug,
                            f"{fld}.base_variant",
                        )
                for j, dataset in enumerate(variant.trained_on):
                    self.ref(
                        {d: 1 for d in datasets},
                        dataset,
                        "dataset",
                        file,
                        slug,
                        f"{fld}.trained_on.{j}",
                    )
                self.check_sources(variant.sources, file, slug, f"{fld}.sources")
                if variant.table2:
                    key = (variant.table2.model, variant.table2.llm_backbone)
                    if key in rows:
                        self.col.add(
                            file,
                            slug,
                            f"{fld}.table2",
                            f"Table 2 row {key} is already the row of {rows[key]}",
                        )
                    rows[key] = variant.slug
        file = self.col.rel(table)
        columns = {c: m.slug for m in self.metrics.values() for c in m.survey_columns}
        benchmarks = {
            name: slug
            for slug, rec in self.dataset_records.items()
            for name in rec.survey_benchmark_names
        }
        out: list[Result] = []
        for n, row in enumerate(_read_csv(table), start=2):
            record = f"row {n}"
            key = (row["model"], row["llm_backbone"])
            variant = rows.get(key)
            if variant is None:
                self.col.add(
                    file,
                    record,
                    "model",
                    f"no variant curates the Table 2 row {key}",
                    "add a variant with this table2 key to the model's file",
                )
                continue
            column = row["benchmark"]
            if column not in benchmarks:
                self.col.add(
                    file,
                    record,
                    "benchmark",
                    f"no dataset names '{column}' in its survey_benchmark_names",
                    f"nearest: '{closest(column, benchmarks)}'",
                )
                continue
            if column not in columns:
                self.col.add(
                    file,
                    record,
                    "benchmark",
                    f"no metric in data/vocab/metrics.yaml lists column '{column}'",
                )
                continue
            metric = self.metrics[columns[column]]
            try:
                score = float(row["score"])
            except ValueError:
                self.col.add(file, record, "score", f"'{row['score']}' is not a number")
                continue
            if score < metric.minimum or (metric.maximum is not None and score > metric.maximum):
                top = f"{metric.maximum:g}" if metric.maximum is not None else "no maximum"
                self.col.add(
                    file,
                    record,
                    "score",
                    f"{score:g} is outside the range of {metric.label} "
                    f"({metric.minimum:g} to {top})",
                )
                continue
            flags = {f.strip() for f in row["flag"].split(";") if f.strip()}
            unknown = flags - {"train_images_seen", "reimplemented"}
            if unknown:
                self.col.add(
                    file,
                    record,
                    "flag",
                    f"unknown flag(s) {sorted(unknown)}",
                    "known flags: train_images_seen, reimplemented",
                )
            out.append(
                Result(
                    model=variants[variant][0],
                    variant=variant,
                    benchmark=benchmarks[column],
                    metric=metric.slug,
                    column=column,
                    score=score,
                    train_images_seen="train_images_seen" in flags,
                    reimplemented="reimplemented" in flags,
                    source=SourceRef(source="survey", locator="Table 2"),
                )
            )
        return out

    # common parts of models and datasets -----------------------------------

    def post_facts(self, target: EntryFacts, post: RawPost, file: str, record: str) -> None:
        target.sources.append(SourceRef(source="mm-llms-site", locator=f"posts/{post.post}.md"))
        rejected = {r.field: r.reason for r in target.record.rejected_post_fields}
        for fld, reason in rejected.items():
            target.notes.append(f"the website post's {fld.replace('_', ' ')} is left out: {reason}")
        if "date" not in rejected:
            self.release_date(target, post.date, file, record)
        if "venue" not in rejected:
            self.venue(target, post.category, file, record)
        if post.paper and "paper" not in rejected:
            title = None if "paper_title" in rejected else post.paper.title
            target.paper = Paper(title, post.paper.url, arxiv_id(post.paper.url))
        if "project_url" not in rejected:
            target.project_url = post.project_url
        if post.affiliation and "affiliation" not in rejected:
            target.affiliation = post.affiliation
            self.organisations_of(target, post.affiliation, file, record)

    def release_date(self, target: EntryFacts, date: str, file: str, record: str) -> None:
        try:
            target.released = parse_post_date(date)
        except ValueError:
            self.col.add(
                file,
                record,
                "site_post",
                f"the post's date '{date}' is not 'YYYY-MM-DD HH:MM:SS +ZZZZ'",
            )
            return
        if target.released > datetime.now(UTC):
            self.col.add(file, record, "site_post", f"the post's date {date} is in the future")

    def venue(self, target: EntryFacts, category: str, file: str, record: str) -> None:
        category = category.strip()
        match = re.match(r"^(.*?)\s*(\d{4})?$", category)
        name, year = (match.group(1), match.group(2)) if match else (category, None)
        venue = next((v.slug for v in self.venues.values() if name in v.site_spellings), None)
        if venue is None:
            known = [s for v in self.venues.values() for s in v.site_spellings]
            self.col.add(
                file,
                record,
                "site_post",
                f"the post's venue '{category}' is not in data/vocab/venues.yaml",
                f"add it to site_spellings, or did you mean '{closest(name, known)}'?",
            )
        target.venue, target.venue_year = venue, int(year) if year else None

    def organisations_of(
        self, target: EntryFacts, affiliation: str, file: str, record: str
    ) -> None:
        for token in (t.strip() for t in re.split(r"\s+&\s+", affiliation)):
            if token not in self.affiliations:
                near = closest(token, self.affiliations)
                self.col.add(
                    file,
                    record,
                    "site_post",
                    f"the post's affiliation '{token}' names no known organisation",
                    "add it to the site_spellings of an organisation in data/organisations"
                    + (f" (nearest: '{near}')" if near else ""),
                )
                continue
            for org in self.affiliations[token]:
                if org not in target.organisations:
                    target.organisations.append(org)

    def codes(
        self, codes: Iterable[str], table: dict[str, str], file: str, record: str, fld: str
    ) -> list[str]:
        out: list[str] = []
        for code in codes:
            for part in code.split("/"):
                part = part.strip()
                if part in table:
                    if table[part] not in out:
                        out.append(table[part])
                else:
                    self.col.add(
                        file,
                        record,
                        fld,
                        f"modality code '{part}' is unknown",
                        f"known codes: {', '.join(sorted(table))}",
                    )
        return out

    # models ---------------------------------------------------------------

    def model(self, slug: str, rec: Model, file: str) -> ModelFacts:
        facts = ModelFacts(slug=slug, record=rec, file=file)
        post = None
        if rec.site_post:
            post = self.raw.get(rec.site_post)
            if post is None:
                self.col.add(
                    file,
                    slug,
                    "site_post",
                    f"no raw post '{rec.site_post}'",
                    f"run `mmkg import-site`; nearest: '{closest(rec.site_post, self.raw)}'",
                )
            elif post.kind != "model":
                self.col.add(
                    file,
                    slug,
                    "site_post",
                    f"post '{rec.site_post}' is a {post.kind} post, not a model",
                )
                post = None
        facts.post = post
        if post:
            self.post_facts(facts, post, file, slug)
        for ref in rec.sources:
            facts.sources.append(ref)
        self.check_sources(rec.sources, file, slug, "sources")
        if rec.organisations is not None:
            for i, org in enumerate(rec.organisations):
                self.ref(self.organisations, org, "organisation", file, slug, f"organisations.{i}")
            facts.organisations = list(rec.organisations)

        decisions = {d.field: d for d in rec.decisions}
        used: set[str] = set()

        def choose(fld: str, site: Any, survey: Any, same: Callable[[Any, Any], bool]) -> Any:
            if site is None or survey is None:
                if fld in decisions:
                    self.col.add(
                        file,
                        slug,
                        f"decisions ({fld})",
                        "a decision is recorded but only one source gives a value",
                        "remove the decision",
                    )
                    used.add(fld)
                return site if site is not None else survey
            if same(site, survey):
                if fld in decisions:
                    used.add(fld)
                    self.col.add(
                        file,
                        slug,
                        f"decisions ({fld})",
                        "a decision is recorded but the sources agree",
                        "remove the decision",
                    )
                return site
            decision = decisions.get(fld)
            if decision is None:
                self.col.add(
                    file,
                    slug,
                    fld,
                    f"the website says {_show(site)} but the survey says {_show(survey)}",
                    "add a decision {field: " + fld + ", use: site|survey, reason: ...}",
                )
                return site
            used.add(fld)
            facts.notes.append(f"{fld}: the {decision.use} value is kept ({decision.reason})")
            return site if decision.use == "site" else survey

        # survey figures
        tax = self.survey_row(self.taxonomy, rec.survey.taxonomy, file, slug, "survey.taxonomy")
        tl = self.survey_row(self.timeline, rec.survey.timeline, file, slug, "survey.timeline")
        t1 = self.survey_row(self.table1, rec.survey.table1, file, slug, "survey.table1")
        if tax or tl:
            facts.sources.append(
                SourceRef(source="survey", locator="Figure 2 (taxonomy) and timeline figure")
            )
        if tax:
            facts.taxonomy_category = tax["category_path"]
            facts.io_category = tax["io_category"] or None
        if tl:
            facts.period = self.period(tl["period"], file, slug)

        # divisions
        site_fun = (
            self.division(post.functional, "functional", "site", file, slug) if post else None
        )
        site_des = self.division(post.design, "design", "site", file, slug) if post else None
        tax_fun = (
            self.division([tax["functional_division"]], "functional", "survey", file, slug)
            if tax
            else None
        )
        tax_des = (
            self.division([tax["design_division"]], "design", "survey", file, slug) if tax else None
        )
        facts.functional_division = choose("functional_division", site_fun, tax_fun, _eq)
        facts.design_division = choose("design_division", site_des, tax_des, _eq)

        # modalities
        site_in = site_out = None
        if post and post.io:
            facts.io_text = post.io
            site_in = self.codes(post.inputs, self.site_codes, file, slug, "site_post (inputs)")
            site_out = self.codes(post.outputs, self.site_codes, file, slug, "site_post (outputs)")
        sv_in = sv_out = None
        if tax and tax["io_category"]:
            sv_in, sv_out = self.taxonomy_io(tax, file, slug)
        t1_in = t1_out = None
        if t1:
            t1_in, t1_out = self.table1_io(t1["io_modalities"], file, slug)
            facts.sources.append(SourceRef(source="survey", locator=f"Table 1, row {t1['row']}"))
        survey_in = t1_in if t1_in is not None else sv_in
        survey_out = t1_out if t1_out is not None else sv_out
        facts.input_modalities = (
            choose("input_modalities", site_in, survey_in, self.io_compatible) or []
        )
        facts.output_modalities = (
            choose("output_modalities", site_out, survey_out, self.io_compatible) or []
        )
        if facts.io_text is None and t1:
            facts.io_text = t1["io_modalities"]

        # architecture
        site_arch = (
            self.site_architecture(post, rec, file, slug) if post and post.architecture else None
        )
        t1_arch = self.table1_architecture(t1, rec, file, slug) if t1 else None
        if site_arch is not None or t1_arch is not None:
            arch: dict[str, list[Usage]] = {}
            for role in ROLES:
                arch[role] = (
                    choose(
                        role,
                        site_arch.get(role) if site_arch else None,
                        t1_arch.get(role) if t1_arch else None,
                        _same_usages,
                    )
                    or []
                )
            facts.architecture = arch

        # data scale
        site_pt = self.scale(post.pretraining_scale if post else None, file, slug, "site_post")
        site_it = self.scale(
            post.instruction_tuning_scale if post else None, file, slug, "site_post"
        )
        t1_pt = self.scale(t1["num_pt"] if t1 else None, file, slug, "survey.table1")
        t1_it = self.scale(t1["num_it"] if t1 else None, file, slug, "survey.table1")
        facts.in_house_data = bool(t1_pt[1] or t1_it[1])
        facts.pretraining_scale = choose("pretraining_scale", site_pt[0], t1_pt[0], _eq)
        facts.instruction_tuning_scale = choose(
            "instruction_tuning_scale", site_it[0], t1_it[0], _eq
        )
        for fld in decisions:
            if fld not in used:
                self.col.add(
                    file,
                    slug,
                    f"decisions ({fld})",
                    "a decision is recorded but the sources do not disagree here",
                    "remove the decision",
                )
        for i, item in enumerate(rec.resolutions):
            if item.role not in ROLES:
                self.ref(self.roles, item.role, "role", file, slug, f"resolutions.{i}.role")
        return facts

    def survey_row(
        self, table: dict[str, dict[str, str]], name: str | None, file: str, record: str, fld: str
    ) -> dict[str, str] | None:
        if name is None:
            return None
        if name not in table:
            self.col.add(
                file,
                record,
                fld,
                f"'{name}' is not a model of that survey table",
                f"did you mean '{closest(name, table)}'?",
            )
            return None
        return table[name]

    def division(
        self, labels: list[str], axis: str, source: str, file: str, record: str
    ) -> str | None:
        attr = "site_label" if source == "site" else "survey_label"
        found = [
            d.slug for d in self.divisions.values() if d.axis == axis and getattr(d, attr) in labels
        ]
        if not labels or labels == ["(not placed in functional division)"]:
            return None
        if len(found) != 1:
            self.col.add(
                file,
                record,
                f"{axis}_division",
                f"the {source} gives {labels!r}, which is not one {axis} division",
            )
            return None
        return found[0]

    def period(self, text: str, file: str, record: str) -> Period | None:
        match = re.match(r"^(\d{4})-(\d{2})(?:~(\d{2}))?(?: \((first|second) half\))?$", text)
        if not match:
            self.col.add(file, record, "survey.timeline", f"period '{text}' is not understood")
            return None
        year, start = int(match.group(1)), int(match.group(2))
        end = int(match.group(3) or start)
        half = match.group(4)
        slug = (
            f"{year}-{start:02d}"
            + (f"-{end:02d}" if end != start else "")
            + (f"-{half}-half" if half else "")
        )
        months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
        label = (
            f"{months[start - 1]}"
            + (f"–{months[end - 1]}" if end != start else "")
            + (f" {year}")
            + (f" ({half} half)" if half else "")
        )
        period = Period(slug, label, year, start, end)
        self.periods[slug] = period
        return period

    def taxonomy_io(
        self, tax: dict[str, str], file: str, record: str
    ) -> tuple[list[str] | None, list[str] | None]:
        left, _, right = tax["io_category"].partition("→")

        def side(text: str) -> list[str] | None:
            if "Many" in text:
                return None  # the figure only says "several"; nothing exact to compare
            return self.codes(
                [c for c in text.split("+") if c],
                self.survey_codes,
                file,
                record,
                "survey.taxonomy (io_category)",
            )

        ins, outs = side(left), side(right)
        # The figure files grounding and segmentation models under "I+T→I+T" with a tag
        # ([IB], [IM], [IR]) and document models under "I+T→T [ID]": the tag says what
        # the "I" stands for, so the tagged form replaces plain image on that side. A tag
        # that starts with "+" ([+IB&IM]) adds the forms to a real image output instead.
        tag = tax["output_tag"]
        replaced: set[int] = set() if not tag.startswith("+") else {id(ins), id(outs)}
        tag = tag.strip("+")
        for code in filter(None, re.split(r"[&+]", tag)):
            slug = self.survey_codes.get(code)
            if slug is None:
                self.col.add(
                    file, record, "survey.taxonomy (output_tag)", f"tag '{code}' is unknown"
                )
                continue
            target = ins if slug == "document" else outs
            if target is None:
                continue
            if "image" in target and id(target) not in replaced:
                target.remove("image")
                replaced.add(id(target))
            if slug not in target:
                target.append(slug)
        return ins, outs

    def table1_io(self, text: str, file: str, record: str) -> tuple[list[str], list[str]]:
        left, _, right = text.partition("→")
        ins = self.codes(
            [c for c in left.split("+") if c],
            self.site_codes,
            file,
            record,
            "survey.table1 (io_modalities)",
        )
        outs = self.codes(
            [c for c in right.split("+") if c],
            self.site_codes,
            file,
            record,
            "survey.table1 (io_modalities)",
        )
        return ins, outs

    def io_compatible(self, site: list[str], survey: list[str] | None) -> bool:
        """Site modalities agree with the survey's (where the survey says 'Many', any do)."""
        if survey is None:
            return True
        return set(site) == set(survey)

    def parse_item(
        self, role: str, item: str, file: str, record: str, fld: str, rec: Model, source: SourceRef
    ) -> list[Usage]:
        match = _PREFIX.match(item)
        modalities: list[str] = []
        spelling = item.strip()
        if match and all(p in self.site_codes for p in match.group(1).split("/")):
            modalities = self.codes([match.group(1)], self.site_codes, file, record, fld)
            spelling = match.group(2).strip()
        choices: list[ComponentChoice] | None = None
        for resolution in rec.resolutions:
            if resolution.role == role and resolution.spelling == spelling:
                choices = resolution.components
                for j, choice in enumerate(choices):
                    self.ref(
                        self.components,
                        choice.component,
                        "component",
                        file,
                        record,
                        f"resolutions ({spelling}).components.{j}",
                    )
        if choices is None:
            entry = self.spellings.get(spelling)
            if entry is None:
                self.col.add(
                    file,
                    record,
                    fld,
                    f"component spelling '{spelling}' is not in "
                    "data/curation/component-spellings.yaml",
                    f"add it there; nearest: '{closest(spelling, self.spellings)}'",
                )
                return []
            choices = entry.components
        usages = []
        for choice in choices:
            if (
                choice.component in self.components
                and role not in self.components[choice.component].roles
            ):
                self.col.add(
                    file,
                    record,
                    fld,
                    f"component '{choice.component}' is used as {role} but its "
                    "catalogue entry does not list that role",
                    f"add '{role}' to its roles in data/components",
                )
            usages.append(
                Usage(role, choice.component, tuple(modalities), choice.resolution, item, source)
            )
        return usages

    def site_architecture(
        self, post: RawPost, rec: Model, file: str, record: str
    ) -> dict[str, list[Usage]]:
        source = SourceRef(source="mm-llms-site", locator=f"posts/{post.post}.md")
        arch: dict[str, list[Usage]] = {}
        for role in ROLES:
            items = post.architecture.get(role)
            if items is None:
                self.col.add(
                    file, record, "site_post", f"the post's architecture has no '{role}' entry"
                )
                continue
            arch[role] = [
                u
                for item in items
                for u in self.parse_item(
                    role, item, file, record, f"site_post ({role})", rec, source
                )
            ]
        return arch

    def table1_architecture(
        self, row: dict[str, str], rec: Model, file: str, record: str
    ) -> dict[str, list[Usage]]:
        source = SourceRef(source="survey", locator=f"Table 1, row {row['row']}")
        arch: dict[str, list[Usage]] = {}
        for role, column in TABLE1_COLUMNS.items():
            cell = row[column].strip()
            items = [] if cell in EMPTY_CELLS else [i.strip() for i in cell.split("; ")]
            arch[role] = [
                u
                for item in items
                for u in self.parse_item(
                    role, item, file, record, f"survey.table1 ({role})", rec, source
                )
            ]
        return arch

    def scale(
        self, text: str | None, file: str, record: str, fld: str
    ) -> tuple[float | None, bool]:
        try:
            return parse_scale(text)
        except ValueError as exc:
            self.col.add(file, record, fld, str(exc))
            return None, False

    # datasets -------------------------------------------------------------

    def dataset(self, slug: str, rec: Dataset, file: str) -> DatasetFacts:
        facts = DatasetFacts(slug=slug, record=rec, file=file)
        for i, stem in enumerate(rec.site_posts):
            post = self.raw.get(stem)
            if post is None:
                self.col.add(
                    file,
                    slug,
                    f"site_posts.{i}",
                    f"no raw post '{stem}'",
                    f"nearest: '{closest(stem, self.raw)}'",
                )
            elif post.kind not in {"it-dataset", "benchmark"}:
                self.col.add(
                    file,
                    slug,
                    f"site_posts.{i}",
                    f"post '{stem}' is a {post.kind} post, not a dataset",
                )
            elif facts.post is not None:
                facts.sources.append(
                    SourceRef(source="mm-llms-site", locator=f"posts/{post.post}.md")
                )
            else:
                facts.post = post
                self.post_facts(facts, post, file, slug)
                self.site_dataset_facts(facts, post, file, slug)
        if rec.survey_pt_name:
            row = self.pt_table.get(rec.survey_pt_name)
            if row is None:
                self.col.add(
                    file,
                    slug,
                    "survey_pt_name",
                    f"'{rec.survey_pt_name}' is not in the pre-training table",
                    f"did you mean '{closest(rec.survey_pt_name, self.pt_table)}'?",
                )
            else:
                facts.sources.append(
                    SourceRef(source="survey", locator="pre-training dataset table (Table 3)")
                )
                modality = self.codes_by_label(row["x_modality"])
                if modality and modality not in facts.modalities:
                    facts.modalities.append(modality)
                for key, column in (
                    ("item", "num_x"),
                    ("text", "num_text"),
                    ("pair", "num_x_text_pairs"),
                ):
                    try:
                        number = parse_scale(row[column])[0]
                    except ValueError:
                        number = None  # e.g. a size in GB, not a count
                    if number is not None:
                        facts.counts[key] = number
        if rec.survey_it_name:
            rows = [
                r
                for r in self.it_table
                if r["dataset"] == rec.survey_it_name
                and (rec.survey_it_type is None or r["type"] == rec.survey_it_type)
            ]
            if not rows:
                names = {r["dataset"] for r in self.it_table}
                self.col.add(
                    file,
                    slug,
                    "survey_it_name",
                    f"'{rec.survey_it_name}' is not in the instruction-tuning table"
                    + (f" with type {rec.survey_it_type}" if rec.survey_it_type else ""),
                    f"did you mean '{closest(rec.survey_it_name, names)}'?",
                )
            else:
                # A name listed twice (an SFT part and an RLHF part) keeps both types; its
                # numbers are kept only where the rows agree.
                merged = {k: v if all(r[k] == v for r in rows) else "–" for k, v in rows[0].items()}
                for row in rows:
                    if row["type"] not in facts.tuning_types:
                        facts.tuning_types.append(row["type"])
                self.it_facts(facts, merged, file, slug)
        for i, name in enumerate(rec.survey_benchmark_names):
            if name not in self.benchmarks:
                self.col.add(
                    file,
                    slug,
                    f"survey_benchmark_names.{i}",
                    f"'{name}' is not a benchmark of Table 2",
                    f"did you mean '{closest(name, self.benchmarks)}'?",
                )
        if rec.survey_benchmark_names:
            facts.sources.append(SourceRef(source="survey", locator="Table 2"))
        if rec.organisations is not None:
            for i, org in enumerate(rec.organisations):
                self.ref(self.organisations, org, "organisation", file, slug, f"organisations.{i}")
            facts.organisations = list(rec.organisations)
        self.check_sources(rec.sources, file, slug, "sources")
        facts.sources.extend(rec.sources)
        if not facts.sources:
            self.col.add(
                file,
                slug,
                "sources",
                "the dataset has no source",
                "link a site_post or a survey table name, or list sources",
            )
        return facts

    def site_dataset_facts(self, facts: DatasetFacts, post: RawPost, file: str, slug: str) -> None:
        facts.io_text = post.io
        facts.tuning_types = list(post.it_type)
        facts.multi_turn = post.multi_turn
        facts.source_text = ", ".join(post.it_source) or None
        facts.method = ", ".join(post.it_method) or None
        for code, value in post.it_scale.items():
            key = {"I": "image", "V": "video", "A": "audio"}.get(code)
            number = self.site_number(facts, value, f"{code} scale")
            if key and number is not None:
                facts.counts[key] = number
        number = self.site_number(facts, post.instance_scale, "instance scale")
        if number is not None:
            facts.counts["instance"] = number
        if post.dialog_turns:
            try:
                facts.dialog_turns = parse_scale(post.dialog_turns)[0]
            except ValueError:
                facts.notes.append(f"dialog turns given as '{post.dialog_turns}'")

    @staticmethod
    def site_number(facts: DatasetFacts, text: str | None, what: str) -> float | None:
        """A number from a post; one the site wrote in another form is noted, not guessed."""
        try:
            return parse_scale(text)[0]
        except ValueError:
            facts.notes.append(f"the website gives the {what} as '{text}'")
            return None

    def codes_by_label(self, label: str) -> str | None:
        for modality in self.modalities.values():
            if modality.label.casefold() == label.strip().casefold():
                return modality.slug
        return None

    def it_facts(self, facts: DatasetFacts, row: dict[str, str], file: str, slug: str) -> None:
        facts.sources.append(
            SourceRef(source="survey", locator="instruction-tuning dataset table (Table 4)")
        )
        if row["type"] not in EMPTY_CELLS and row["type"] not in facts.tuning_types:
            facts.tuning_types.append(row["type"])
        facts.io_text = facts.io_text or row["io_modalities"]
        facts.source_text = facts.source_text or row["source"] or None
        facts.method = facts.method or row["method"] or None
        parts = row["num_images_videos_audios"].split("/")
        for key, value in zip(("image", "video", "audio"), parts, strict=False):
            number = self.scale(value, file, slug, "survey_it_name (#.I/V/A)")[0]
            if number is not None:
                facts.counts.setdefault(key, number)
        for key, column in (("instance", "num_instances"),):
            number = self.scale(row[column], file, slug, f"survey_it_name ({column})")[0]
            if number is not None:
                facts.counts.setdefault(key, number)
        turns = self.scale(row["dialog_turns"], file, slug, "survey_it_name (dialog_turns)")[0]
        if turns is not None and facts.dialog_turns is None:
            facts.dialog_turns = turns


def _eq(a: Any, b: Any) -> bool:
    return a == b


def _same_usages(a: list[Usage], b: list[Usage]) -> bool:
    def key(usages: list[Usage]) -> set[tuple]:
        return {(u.component, u.resolution, frozenset(u.modalities)) for u in usages}

    return key(a) == key(b)


def _show(value: Any) -> str:
    if isinstance(value, list):
        if value and isinstance(value[0], Usage):
            parts = []
            for u in value:
                text = u.component
                if u.modalities:
                    text = "/".join(u.modalities) + ": " + text
                if u.resolution:
                    text += f"@{u.resolution}"
                parts.append(text)
            return "[" + ", ".join(parts) + "]"
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:g}"
    return repr(value)


def load_facts(data_dir: Path) -> Facts:
    """Load, validate and merge every data file under *data_dir*; raise DataError on problems."""
    loader = _Loader(data_dir)
    return loader.run()


def curated_posts(data_dir: Path) -> set[str]:
    """The website posts that a model or dataset file already curates (by site_post)."""
    posts: set[str] = set()
    for folder in ("models", "datasets"):
        for path in sorted((data_dir / folder).glob("*.yaml")):
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, yaml.YAMLError):
                continue
            if not isinstance(data, dict):
                continue
            for key in ("site_post", "site_posts"):
                value = data.get(key)
                for stem in value if isinstance(value, list) else [value]:
                    if isinstance(stem, str):
                        posts.add(stem)
    return posts
