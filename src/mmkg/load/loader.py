"""The loader: reads every layer, runs every check, and returns one Facts object."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mmkg.errors import DataError
from mmkg.load.datasets import DatasetMerger
from mmkg.load.facts import ROLES, Facts, Period
from mmkg.load.library import read_library_layer
from mmkg.load.models import ModelMerger
from mmkg.load.reading import _load_dir, _load_list, _read_csv
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
        library = read_library_layer(
            col,
            d / "raw" / "transformers",
            d / "curation" / "transformers-types.yaml",
            {
                "models": set(models),
                "sources": set(self.sources),
                "roles": set(self.roles),
                "families": set(self.families),
            },
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

    def load_raw(self, folder: Path) -> dict[str, RawPost]:
        out: dict[str, RawPost] = {}
        if not folder.is_dir():
            return out
        for path in sorted(folder.glob("*/*.yaml")):
            file = self.col.rel(path)
            record = self.col.validate(
                RawPost, self.col.read_yaml(path, path.stem), file, path.stem
            )
            if record is None:
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
                continue
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
            for i, parent in enumerate(org.part_of):
                fld = f"part_of.{i}"
                self.ref(
                    self.organisations,
                    parent.organisation,
                    "organisation",
                    file,
                    slug,
                    f"{fld}.organisation",
                )
                if parent.organisation == slug:
                    self.col.add(
                        file, slug, f"{fld}.organisation", "an organisation cannot contain itself"
                    )
                self.check_sources(parent.sources, file, slug, f"{fld}.sources")
        self.check_cycles(
            {k: [p.organisation for p in o.part_of] for k, (o, _) in orgs.items()},
            {k: f for k, (_, f) in orgs.items()},
            "part_of",
        )

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
            for i, parent in enumerate(fam.sub_family_of):
                fld = f"sub_family_of.{i}"
                self.ref(self.families, parent.family, "family", file, slug, f"{fld}.family")
                if parent.family == slug:
                    self.col.add(file, slug, f"{fld}.family", "a family cannot contain itself")
                self.check_sources(parent.sources, file, slug, f"{fld}.sources")
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

    def check_cycles(
        self, edges: dict[str, list[str]], files: dict[str, str], fld: str = "derived_from"
    ) -> None:
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
                        fld,
                        "links form a cycle: " + " -> ".join(cycle),
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
