"""The loader: reads every layer, runs every check, and returns one Facts object."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from mmkg.errors import DataError
from mmkg.field_rules import name_skeleton
from mmkg.load.base import Known, Lost
from mmkg.load.bulk import BULK_SUFFIX, read_json_lines
from mmkg.load.datasets import DatasetMerger
from mmkg.load.facts import ROLES, EntryFacts, Facts, Period
from mmkg.load.library import read_library_layer
from mmkg.load.models import ModelMerger
from mmkg.load.reading import R, _Collector, _load_dir, _load_list
from mmkg.load.results import ResultReader
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
    Spelling,
    SpellingTable,
    Venue,
)


class _Loader(ModelMerger, DatasetMerger, ResultReader):
    """Reads, checks and merges the whole data folder."""

    # run ------------------------------------------------------------------

    def run(self) -> Facts:
        col, d = self.col, self.dir
        self.sources = self.load_list("source", d / "sources.yaml", SourceDocument)
        vocab = d / "vocab"
        self.modalities = self.load_list("modality", vocab / "modalities.yaml", Modality)
        self.roles = self.load_list("role", vocab / "roles.yaml", Role)
        self.divisions = self.load_list("division", vocab / "divisions.yaml", Division)
        self.venues = self.load_list("venue", vocab / "venues.yaml", Venue)
        self.link_kinds = self.load_list("link kind", vocab / "link-kinds.yaml", LinkKind)
        self.metrics = self.load_list("metric", vocab / "metrics.yaml", Metric)
        orgs = self.load_dir("organisation", d / "organisations", Organisation)
        families = self.load_dir("family", d / "families", ComponentFamily)
        components = self.load_dir("component", d / "components", Component)
        datasets = self.load_dir("dataset", d / "datasets", Dataset)
        models = self.load_dir("model", d / "models", Model)
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
        self.index_kinds(datasets, models)

        self.check_vocab()
        self.check_organisations(orgs)
        self.check_catalogue(families, components)
        survey = self.survey_dir
        self.taxonomy = self.keyed_table(survey / "taxonomy.csv", ("model",))
        timeline = self.numbered_rows(survey / "timeline.csv")
        self.timeline = self.keyed(survey / "timeline.csv", timeline, ("model",))
        self.timeline_periods = self.timeline_periods_of(survey / "timeline.csv", timeline)
        self.table1 = self.keyed_table(survey / "table1_v5.csv", ("model",))
        self.pt_table = self.keyed_table(survey / "pt_datasets.csv", ("dataset",))
        it_rows = self.keyed_table(survey / "it_datasets.csv", ("dataset", "type"))
        self.it_table = list(it_rows.values())
        self.table2_rows = self.numbered_rows(survey / "table2.csv")
        self.benchmarks = {r["benchmark"] for _, r in self.table2_rows}
        self.periods: dict[str, Period] = {}
        self.dataset_records = {slug: rec for slug, (rec, _) in datasets.items()}
        self.dataset_slugs = set(datasets)
        model_facts = {slug: self.model(slug, rec, file) for slug, (rec, file) in models.items()}
        dataset_facts = {
            slug: self.dataset(slug, rec, file) for slug, (rec, file) in datasets.items()
        }
        self.check_uniqueness(models, datasets)
        self.check_papers([*model_facts.values(), *dataset_facts.values()])
        self.check_model_links(models)
        self.check_dataset_links(datasets)
        results = self.results(models, survey / "table2.csv")
        library = read_library_layer(
            col,
            d / "raw" / "transformers",
            d / "curation" / "transformers-types.yaml",
            {
                "models": Known(models, self.broken.get("model")),
                "sources": Known(self.sources, self.broken.get("source")),
                "roles": Known(self.roles, self.broken.get("role")),
                "families": Known(self.families, self.broken.get("family")),
            },
            partial(self.ref, origin=""),  # a curation entry is no model: it cannot link itself
        )
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
            library=library,
        )

    # reading, and keeping track of what failed to load ------------------------

    def load_dir(self, kind: str, folder: Path, cls: type[R]) -> dict[str, tuple[R, str]]:
        """The records of a folder; the slugs (and what can be read) of those that failed."""
        records = _load_dir(self.col, folder, cls)
        lost, salvaged = Lost(), []
        scratch = _Collector(self.dir)  # reads a broken file again, reporting nothing
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            if path.stem in records:
                continue
            lost.names.add(path.stem)
            data = scratch.read_yaml(path, path.stem)
            salvaged.append(data if isinstance(data, dict) else None)
        taken = set(records) | lost.names
        for path in sorted(folder.glob(f"*{BULK_SUFFIX}")) if folder.is_dir() else []:
            more, broken = read_json_lines(self.col, path, cls, taken)
            records.update(more)
            for slug, data in broken:
                lost.names.add(slug)
                salvaged.append(data)
        self.broken[kind], self.salvaged[kind] = lost, salvaged
        return records

    def load_list(self, kind: str, path: Path, cls: type[R]) -> dict[str, R]:
        """The entries of a vocabulary file; the slugs (and contents) of those that failed."""
        records = _load_list(self.col, path, cls)
        lost, salvaged = Lost(), []
        data = _Collector(self.dir).read_yaml(path, path.stem)
        if not isinstance(data, list):
            lost.everything = True
        for entry in data if isinstance(data, list) else []:
            slug = entry.get("slug") if isinstance(entry, dict) else None
            if isinstance(slug, str) and slug in records:
                continue
            if isinstance(slug, str):
                lost.names.add(slug)
                salvaged.append(entry)
            else:
                lost.everything = True
                salvaged.append(None)
        self.broken[kind], self.salvaged[kind] = lost, salvaged
        return records

    def index_kinds(self, datasets: dict, models: dict) -> None:
        """Record what each slug names, so a reference to the wrong kind can say so."""
        groups: list[tuple[str, str, Iterable[str]]] = [
            ("source", "a source document", self.sources),
            ("modality", "a modality", self.modalities),
            ("role", "a role", self.roles),
            ("division", "a division", self.divisions),
            ("venue", "a venue", self.venues),
            ("link kind", "a link kind", self.link_kinds),
            ("metric", "a metric", self.metrics),
            ("organisation", "an organisation", self.organisations),
            ("family", "a component family", self.families),
            ("component", "a component", self.components),
            ("dataset", "a dataset", datasets),
            ("model", "a model", models),
        ]
        for kind, description, slugs in groups:
            for slug in slugs:
                self.kinds.setdefault(slug, []).append((kind, description, None))
        for slug, (rec, _) in models.items():
            for variant in rec.variants:
                description = f"a variant of model '{slug}'"
                self.kinds.setdefault(variant.slug, []).append(("variant", description, slug))

    def load_raw(self, folder: Path) -> dict[str, RawPost]:
        """The website posts of the raw layer; the stems of those that failed to load."""
        out: dict[str, RawPost] = {}
        self.broken["post"] = lost = Lost()
        if not folder.is_dir():
            return out
        for path in sorted(folder.glob("*/*.yaml")):
            file = self.col.rel(path)
            record = self.col.validate(
                RawPost, self.col.read_yaml(path, path.stem), file, path.stem
            )
            if record is None:
                lost.names.add(path.stem)
                continue
            if (record.post, record.kind) != (path.stem, path.parent.name):
                self.col.add(
                    file,
                    path.stem,
                    "post" if record.post != path.stem else "kind",
                    f"holds the post '{record.post}' ({record.kind}); a raw file must hold the "
                    f"post its name says ('{path.stem}', {path.parent.name})",
                    "the raw layer is written by `mmkg import-site`: delete the file and "
                    "import the posts again",
                )
                lost.names.add(path.stem)
                continue
            out[record.post] = record
        return out

    def load_spellings(self, path: Path) -> dict[str, Spelling]:
        """The spelling table, entry by entry: one bad entry loses only that spelling."""
        file = self.col.rel(path)
        self.broken["spelling"] = lost = Lost()
        if not path.exists():
            return {}
        data = self.col.read_yaml(path, "spellings")
        entries = data.get("spellings") if isinstance(data, dict) else None
        if not isinstance(entries, list) or set(data) != {"spellings"}:
            table = self.col.validate(SpellingTable, data, file, "spellings")
            if table is None:
                lost.everything = True
                return {}
            entries = [entry.model_dump() for entry in table.spellings]
        out: dict[str, Spelling] = {}
        for i, raw in enumerate(entries):
            before = len(self.col.problems)
            entry = self.col.validate(Spelling, raw, file, "spellings")
            for problem in self.col.problems[before:]:  # where the whole table would say
                problem.field = f"spellings.{i}" + (f".{problem.field}" if problem.field else "")
            if entry is None:
                name = raw.get("spelling") if isinstance(raw, dict) else None
                if isinstance(name, str):
                    lost.names.add(name)
                else:
                    lost.everything = True
                continue
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
        """Modalities' output forms name modalities; the roles are exactly the five."""
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
        if set(self.roles) != set(ROLES) and not self.broken["role"]:
            self.col.add(
                "data/vocab/roles.yaml",
                "roles",
                "slug",
                f"must list exactly the five roles {', '.join(ROLES)}",
            )

    def check_organisations(self, orgs: dict[str, tuple[Organisation, str]]) -> None:
        """Parents, sources, no cycles, and one organisation in one file only."""
        for slug, (org, file) in orgs.items():
            self.check_sources(org.sources, file, slug, "sources")
            for i, parent in enumerate(org.part_of):
                fld = f"part_of.{i}"
                if parent.organisation == slug:
                    self.col.add(
                        file, slug, f"{fld}.organisation", "an organisation cannot contain itself"
                    )
                else:
                    self.ref(
                        self.organisations,
                        parent.organisation,
                        "organisation",
                        file,
                        slug,
                        f"{fld}.organisation",
                    )
                self.check_sources(parent.sources, file, slug, f"{fld}.sources")
            self.check_repeats([p.organisation for p in org.part_of], file, slug, "part_of")
        self.check_cycles(
            {k: [p.organisation for p in o.part_of] for k, (o, _) in orgs.items()},
            {k: f for k, (_, f) in orgs.items()},
            "part_of",
        )
        named: dict[str, tuple[str, str]] = {}  # a name as compared -> (slug, file)
        for slug, (org, file) in orgs.items():
            reported: set[str] = set()
            labels = [("name", org.name)]
            labels += [(f"alt_labels.{i}", label) for i, label in enumerate(org.alt_labels)]
            for fld, label in labels:
                key = _name_key(label)
                other = named.setdefault(key, (slug, file))
                if other[0] == slug or other[0] in reported:
                    continue
                reported.add(other[0])
                self.col.add(
                    file,
                    slug,
                    fld,
                    f"'{label}' also names the organisation '{other[0]}' of {other[1]}",
                    "one organisation, one file: keep one of the two files and move the "
                    "other's alt_labels, site_spellings and sources into it",
                )

    def check_catalogue(
        self,
        families: dict[str, tuple[ComponentFamily, str]],
        components: dict[str, tuple[Component, str]],
    ) -> None:
        """Families and components: their references, derivations and cycles."""
        for slug, (fam, file) in families.items():
            self.check_sources(fam.sources, file, slug, "sources")
            self.check_derivations(fam.derived_from, self.families, "family", file, slug, "family")
            for i, parent in enumerate(fam.sub_family_of):
                fld = f"sub_family_of.{i}"
                if parent.family == slug:
                    self.col.add(file, slug, f"{fld}.family", "a family cannot contain itself")
                else:
                    self.ref(self.families, parent.family, "family", file, slug, f"{fld}.family")
                self.check_sources(parent.sources, file, slug, f"{fld}.sources")
            self.check_repeats([p.family for p in fam.sub_family_of], file, slug, "sub_family_of")
        self.check_cycles(
            {k: [d.target for d in f.derived_from] for k, (f, _) in families.items()},
            {k: f for k, (_, f) in families.items()},
        )
        self.check_cycles(
            {k: [p.family for p in f.sub_family_of] for k, (f, _) in families.items()},
            {k: f for k, (_, f) in families.items()},
            "sub_family_of",
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

    def check_uniqueness(self, models: dict, datasets: dict) -> None:
        """No two models or datasets share a name or a website post."""
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
        self.check_confusable_names(groups)
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

    def check_confusable_names(self, groups: list[tuple[str, dict[str, tuple[Any, str]]]]) -> None:
        """No name looks like another one: same UTS #39 skeleton, different spelling."""
        by_skeleton: dict[str, list[tuple[str, str, str]]] = {}
        for _, group in groups:
            for slug, (record, file) in group.items():
                key = name_skeleton(record.name)
                by_skeleton.setdefault(key, []).append((slug, file, record.name))
        for entries in by_skeleton.values():
            for slug, file, name in entries if len(entries) > 1 else []:
                for _, other_file, other in entries:
                    if other.casefold() == name.casefold():
                        continue  # the same name (or only its case): reported above
                    self.col.add(
                        file,
                        slug,
                        "name",
                        f"'{name}' looks like '{other}', the name of {other_file} (the two "
                        "differ only in characters that look alike)",
                        "write the name in plain characters, or choose a distinguishable one",
                    )
                    break

    def check_papers(self, entries: list[EntryFacts]) -> None:
        """Records that present one paper give it one title, one URL and one venue.

        The graph has one publication per paper (by arXiv id, else URL): two titles would be
        two labels, and two URLs, venues or years break its shapes.
        """
        first: dict[str, EntryFacts] = {}
        for entry in entries:
            paper = entry.paper
            if paper is None:
                continue
            url_key = re.sub(r"[^a-z0-9]+", "-", paper.url.lower().split("//", 1)[-1])
            other = first.setdefault(paper.arxiv_id or url_key.strip("-"), entry)
            if other is entry or other.paper is None:
                continue
            shown = f"arXiv {paper.arxiv_id}" if paper.arxiv_id else paper.url
            for what, mine, theirs, optional in (
                ("title", paper.title, other.paper.title, False),
                ("URL", paper.url, other.paper.url, False),
                ("venue", entry.venue, other.venue, True),
                ("venue year", entry.venue_year, other.venue_year, True),
            ):
                if mine == theirs or (optional and None in (mine, theirs)):
                    continue
                self.col.add(
                    entry.file,
                    entry.slug,
                    "paper" if what in ("title", "URL") else what.replace(" ", "_"),
                    f"gives the paper {shown} "
                    + (f"the {what} '{mine}'" if mine else f"no {what}")
                    + f", but {other.file} (record '{other.slug}') gives it "
                    + (f"the {what} '{theirs}'" if theirs else f"no {what}"),
                    f"one paper, one {what}: correct one of the two records (a wrong value "
                    "of the website is left out with rejected_post_fields)",
                )


def _name_key(name: str) -> str:
    """A name as two files are compared by: case, punctuation and spacing ignored."""
    return re.sub(r"[\W_]+", " ", name.casefold()).strip()
