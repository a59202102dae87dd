"""The survey's tables read by key, variants and Table 2's results, and models' links."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from mmkg.load.base import LoaderBase
from mmkg.load.facts import Period, Result, closest, did_you_mean
from mmkg.records import (
    Model,
    SourceRef,
)


class ResultReader(LoaderBase):
    """Reads the survey's tables, checks variants and reads Table 2 into results."""

    # the survey's tables -----------------------------------------------------

    def numbered_rows(self, path: Path) -> list[tuple[int, dict[str, str]]]:
        """The checked rows of a survey table, each with the line it ends on."""
        before = len(self.col.problems)
        rows = self.col.read_csv_lines(path)
        if len(self.col.problems) > before:
            self.damaged_tables.add(path.name)  # rows were left out: a miss is not an error
        return rows

    def keyed_table(self, path: Path, key: tuple[str, ...]) -> dict[Any, dict[str, str]]:
        """The rows of a survey table by *key*; a key given by two rows is reported."""
        return self.keyed(path, self.numbered_rows(path), key)

    def keyed(
        self, path: Path, rows: list[tuple[int, dict[str, str]]], key: tuple[str, ...]
    ) -> dict[Any, dict[str, str]]:
        """Rows by *key* (one column: its value; more: a tuple); the first row of a key is kept."""
        file = self.col.rel(path)
        out: dict[Any, dict[str, str]] = {}
        first: dict[Any, int] = {}
        for line, row in rows:
            value = row[key[0]] if len(key) == 1 else tuple(row[k] for k in key)
            if value in out:
                shown = " and ".join(f"{k} '{row[k]}'" for k in key)
                same = "repeats" if row == out[value] else "gives a second row for"
                self.col.add(
                    file,
                    f"row {line}",
                    key[0],
                    f"{same} the {shown} of line {first[value]}",
                    "one row per " + " and ".join(key) + ": remove one, or merge the two",
                )
                continue
            out[value], first[value] = row, line
        return out

    def timeline_periods_of(
        self, path: Path, rows: list[tuple[int, dict[str, str]]]
    ) -> dict[str, Period | None]:
        """The period of each timeline row; one that is not a real period is reported here."""
        file = self.col.rel(path)
        out: dict[str, Period | None] = {}
        for line, row in rows:
            if row["model"] in out:
                continue  # a second row, reported by keyed()
            try:
                out[row["model"]] = parse_period(row["period"])
            except ValueError as exc:
                self.col.add(
                    file,
                    f"row {line}",
                    "period",
                    str(exc),
                    "write YYYY-MM, YYYY-MM~MM or 'YYYY-MM (first half)', months 01 to 12",
                )
                out[row["model"]] = None
        return out

    # evolution links, variants and results ---------------------------------

    def check_model_links(self, models: dict[str, tuple[Model, str]]) -> None:
        """Each evolution link names another model, once, by a link kind for models."""
        for slug, (rec, file) in models.items():
            self.check_derivations(rec.derived_from, models, "model", file, slug, "model")
        self.check_cycles(
            {k: [d.target for d in r.derived_from] for k, (r, _) in models.items()},
            {k: f for k, (_, f) in models.items()},
        )

    def _report_uncurated(
        self,
        uncurated: dict[tuple[str, str], list[int]],
        models: dict[str, tuple[Model, str]],
        file: str,
    ) -> None:
        """One problem per Table 2 key no variant curates, at its first row, hinting the file."""
        files: dict[str, str] = {}
        for rec, model_file in models.values():
            names = [
                rec.name,
                rec.survey.table1,
                *(v.table2.model for v in rec.variants if v.table2),
            ]
            files.update((name, model_file) for name in names if name)
        for key, lines in uncurated.items():
            where = files.get(key[0])
            self.col.add(
                file,
                f"row {lines[0]}",
                "model",
                f"no variant curates the Table 2 row {key} "
                f"(rows {', '.join(map(str, lines))}: {len(lines)} score(s))",
                f"add a variant with this table2 key to {where}"
                if where
                else "add a variant with this table2 key to the file of the model it belongs to",
            )

    def results(self, models: dict[str, tuple[Model, str]], table: Path) -> list[Result]:
        """Check every variant, and read each row of Table 2 into the result of a variant."""
        variants: dict[str, tuple[str, str]] = {}
        rows: dict[tuple[str, str], str] = {}
        keys: dict[tuple[str, str], tuple[str, str, str]] = {}  # -> (model, file, field)
        datasets = set(self.dataset_slugs)
        backbones = [s for s, c in self.components.items() if "llm-backbone" in c.roles]
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
                if variant.llm_backbone and self.ref(
                    self.components,
                    variant.llm_backbone,
                    "component",
                    file,
                    slug,
                    f"{fld}.llm_backbone",
                    hint_from=backbones,
                ):
                    if "llm-backbone" not in self.components[variant.llm_backbone].roles:
                        near = closest(variant.llm_backbone, backbones)
                        self.col.add(
                            file,
                            slug,
                            f"{fld}.llm_backbone",
                            f"component '{variant.llm_backbone}' is not listed in the role "
                            "llm-backbone",
                            "name an LLM backbone component"
                            + (f" (nearest: '{near}')" if near else "")
                            + ", or add 'llm-backbone' to its roles in data/components",
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
                    keys.setdefault(key, (slug, file, f"{fld}.table2"))
        file = self.col.rel(table)
        columns = {c: m.slug for m in self.metrics.values() for c in m.survey_columns}
        benchmarks = {
            name: slug
            for slug, rec in self.dataset_records.items()
            for name in rec.survey_benchmark_names
        }
        lost_rows = self.lost(
            "model",
            lambda r: [
                (v["table2"]["model"], v["table2"]["llm_backbone"])
                for v in r.get("variants", [])
                if v.get("table2")
            ],
        )
        lost_benchmarks = self.lost("dataset", lambda r: r.get("survey_benchmark_names", []))
        lost_columns = self.lost("metric", lambda r: r.get("survey_columns", []))
        out: list[Result] = []
        seen: dict[tuple[str, str, str], tuple[int, str]] = {}
        given: set[tuple[str, str]] = set()
        uncurated: dict[tuple[str, str], list[int]] = {}
        for n, row in self.table2_rows:
            record = f"row {n}"
            key = (row["model"], row["llm_backbone"])
            given.add(key)
            cell = (*key, row["benchmark"])
            if cell in seen:
                line, score = seen[cell]
                self.col.add(
                    file,
                    record,
                    "benchmark",
                    f"repeats line {line} ({', '.join(cell)})"
                    + (
                        ""
                        if row["score"] == score
                        else f" with another score: {row['score']}, where line {line} gives {score}"
                    ),
                    "one score per variant and benchmark: remove one of the two lines",
                )
                continue
            seen[cell] = (n, row["score"])
            variant = rows.get(key)
            if variant is None and key in lost_rows:
                continue  # the model that curates it has errors, reported in its file
            if variant is None:
                uncurated.setdefault(key, []).append(n)
                continue
            column = row["benchmark"]
            if column not in benchmarks and column in lost_benchmarks:
                continue  # the dataset that names it has errors, reported in its file
            if column not in benchmarks:
                self.col.add(
                    file,
                    record,
                    "benchmark",
                    f"no dataset names '{column}' in its survey_benchmark_names",
                    did_you_mean(column, benchmarks, "add it to a dataset's names"),
                )
                continue
            if column not in columns and column in lost_columns:
                continue  # the metric that lists it has errors, reported in its file
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
        self._report_uncurated(uncurated, models, file)
        if "table2.csv" not in self.damaged_tables:
            shown = [", ".join(k) for k in sorted(given)]
            for key, (slug, file, fld) in keys.items():
                if key not in given:
                    near = closest(", ".join(key), shown)
                    self.col.add(
                        file,
                        slug,
                        fld,
                        f"no row of Table 2 has the model '{key[0]}' and the LLM backbone "
                        f"'{key[1]}'",
                        f"write them as the table does: did you mean '{near}'?"
                        if near
                        else "remove the table2 key",
                    )
        return out


def parse_period(text: str) -> Period:
    """The timeline period a cell such as '2023-01~02' or '2023-07 (first half)' names.

    >>> parse_period("2023-01~02").label
    'Jan–Feb 2023'
    """
    match = re.match(r"^(\d{4})-(\d{2})(?:~(\d{2}))?(?: \((first|second) half\))?$", text)
    if not match:
        raise ValueError(f"period '{text}' is not understood")
    year, start = int(match.group(1)), int(match.group(2))
    end = int(match.group(3) or start)
    for month in (start, end):
        if not 1 <= month <= 12:
            raise ValueError(f"period '{text}' has month {month}; months are 01 to 12")
    if end < start:
        raise ValueError(f"period '{text}' ends before it starts")
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
    return Period(slug, label, year, start, end)
