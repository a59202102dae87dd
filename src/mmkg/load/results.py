"""Variants and the survey's Table 2 results, and the evolution links between models."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from mmkg.load.base import LoaderBase
from mmkg.load.facts import Result, closest
from mmkg.load.reading import _read_csv
from mmkg.records import (
    Model,
    SourceRef,
)


class ResultReader(LoaderBase):
    """Checks variants and reads Table 2 into results."""

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
