"""Datasets: the website posts and the survey's dataset tables merged."""

from __future__ import annotations

from mmkg.load.base import LoaderBase
from mmkg.load.facts import EMPTY_CELLS, DatasetFacts, did_you_mean, parse_scale
from mmkg.records import (
    Dataset,
    RawPost,
    SourceRef,
)


class DatasetMerger(LoaderBase):
    """Merges the website posts and survey tables of one dataset."""

    # datasets -------------------------------------------------------------

    def dataset(self, slug: str, rec: Dataset, file: str) -> DatasetFacts:
        facts = DatasetFacts(slug=slug, record=rec, file=file)
        for i, stem in enumerate(rec.site_posts):
            post = self.raw.get(stem)
            if post is None and stem in self.broken["post"]:
                continue  # the raw post has errors, reported in its file
            if post is None:
                self.col.add(
                    file,
                    slug,
                    f"site_posts.{i}",
                    f"no raw post '{stem}'",
                    did_you_mean(stem, self.raw, "run `mmkg import-site`"),
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
            if row is None and "pt_datasets.csv" in self.damaged_tables:
                pass  # the table lost rows to errors reported there
            elif row is None:
                self.col.add(
                    file,
                    slug,
                    "survey_pt_name",
                    f"'{rec.survey_pt_name}' is not in the pre-training table "
                    f"({self.col.rel(self.survey_dir / 'pt_datasets.csv')})",
                    did_you_mean(
                        rec.survey_pt_name, self.pt_table, "name a row of its 'dataset' column"
                    ),
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
            if not rows and "it_datasets.csv" in self.damaged_tables:
                pass  # the table lost rows to errors reported there
            elif not rows:
                names = {r["dataset"] for r in self.it_table}
                self.col.add(
                    file,
                    slug,
                    "survey_it_name",
                    f"'{rec.survey_it_name}' is not in the instruction-tuning table "
                    f"({self.col.rel(self.survey_dir / 'it_datasets.csv')})"
                    + (f" with type {rec.survey_it_type}" if rec.survey_it_type else ""),
                    did_you_mean(rec.survey_it_name, names, "name a row of its 'dataset' column"),
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
            if name not in self.benchmarks and "table2.csv" not in self.damaged_tables:
                self.col.add(
                    file,
                    slug,
                    f"survey_benchmark_names.{i}",
                    f"'{name}' is not a benchmark of Table 2",
                    did_you_mean(name, self.benchmarks, "name a value of its 'benchmark' column"),
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

    def check_dataset_links(self, datasets: dict[str, tuple[Dataset, str]]) -> None:
        """Each dataset derives from other datasets, by link kinds for datasets, without cycles."""
        for slug, (rec, file) in datasets.items():
            self.check_derivations(
                rec.derived_from, self.dataset_records, "dataset", file, slug, "dataset"
            )
        self.check_cycles(
            {k: [d.target for d in r.derived_from] for k, (r, _) in datasets.items()},
            {k: f for k, (_, f) in datasets.items()},
        )

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
