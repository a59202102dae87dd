"""Models: the website post, the survey figures and tables, and the record's own facts."""

from __future__ import annotations

import re
from typing import Any

from mmkg.load.facts import (
    EMPTY_CELLS,
    ITEM_PREFIX,
    ROLES,
    TABLE1_COLUMNS,
    Claim,
    ModelFacts,
    Usage,
    did_you_mean,
)
from mmkg.load.merge import FieldMerger, same_date, same_paper, same_set, same_usages
from mmkg.load.statements import StatementReader
from mmkg.records import (
    ComponentChoice,
    Model,
    RawPost,
    SourceRef,
)

#: The survey table each `survey` name of a model record is looked up in.
SURVEY_FILES = {
    "survey.taxonomy": "taxonomy.csv",
    "survey.timeline": "timeline.csv",
    "survey.table1": "table1_v5.csv",
}


class ModelMerger(StatementReader):
    """Merges every source of one model into its facts."""

    # models ---------------------------------------------------------------

    def model(self, slug: str, rec: Model, file: str) -> ModelFacts:
        facts = ModelFacts(slug=slug, record=rec, file=file)
        post = None
        if rec.site_post:
            post = self.raw.get(rec.site_post)
            if post is None and rec.site_post in self.broken["post"]:
                self.taint(slug, "*")  # the raw post has errors, reported in its file
            elif post is None:
                self.col.add(
                    file,
                    slug,
                    "site_post",
                    f"no raw post '{rec.site_post}'",
                    did_you_mean(rec.site_post, self.raw, "run `mmkg import-site`"),
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

        site_ref = (
            SourceRef(source="mm-llms-site", locator=f"posts/{post.post}.md") if post else None
        )
        site_claims = self.site_entry_claims(facts, site_ref)
        merger = FieldMerger(self, facts, file, slug)

        # survey figures
        tax = self.survey_row(self.taxonomy, rec.survey.taxonomy, file, slug, "survey.taxonomy")
        tl = self.survey_row(self.timeline, rec.survey.timeline, file, slug, "survey.timeline")
        t1 = self.survey_row(self.table1, rec.survey.table1, file, slug, "survey.table1")
        tax_ref = SourceRef(source="survey", locator="Figure 2 (taxonomy)")
        tl_ref = SourceRef(source="survey", locator="timeline figure")
        t1_ref = SourceRef(source="survey", locator=f"Table 1, row {t1['row']}") if t1 else None
        if tax or tl:
            facts.sources.append(
                SourceRef(source="survey", locator="Figure 2 (taxonomy) and timeline figure")
            )
        if tax:
            facts.taxonomy_category = tax["category_path"]
            facts.io_category = tax["io_category"] or None
            facts.provenance["taxonomy_category"] = [tax_ref]
        if tl:
            facts.period = self.timeline_periods.get(tl["model"])
            if facts.period is not None:
                self.periods[facts.period.slug] = facts.period
                facts.provenance["period"] = [tl_ref]
            if tl.get("confidence") and tl["confidence"] != "high":
                facts.period_confidence = tl["confidence"]
        stated = self.stated_claims(rec, file, slug)
        facts.sources.extend(SourceRef(source=s.source, locator=s.locator) for s in rec.stated)

        def site(fld: str, value: Any) -> list[Claim]:
            return [Claim("site", value, (site_ref,))] if site_ref and value is not None else []

        def survey(value: Any, ref: SourceRef | None) -> list[Claim]:
            return [Claim("survey", value, (ref,))] if ref and value is not None else []

        # what models and datasets share (the website post, or the record's statements)
        for fld, same in (
            ("released", same_date),
            ("venue", _eq),
            ("paper", same_paper),
            ("project_url", _eq),
            ("code_url", _eq),
            ("organisations", same_set),
        ):
            value = merger.choose(fld, site_claims.get(fld, []) + stated.get(fld, []), same)
            if fld == "released":
                facts.released, facts.released_precision = value or (None, "day")
            elif fld == "venue":
                facts.venue, facts.venue_year = value or (None, None)
            else:
                setattr(facts, fld, value if value is not None or fld != "organisations" else [])

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
        for fld, site_value, survey_value in (
            ("functional_division", site_fun, tax_fun),
            ("design_division", site_des, tax_des),
        ):
            claims = site(fld, site_value) + survey(survey_value, tax_ref if tax else None)
            setattr(facts, fld, merger.choose(fld, claims + stated.get(fld, []), _eq))

        # modalities
        site_in = site_out = None
        if post and post.io:
            facts.io_text = post.io
            site_in = self.codes(
                post.inputs, self.site_codes, file, slug, "site_post (inputs)", "input_modalities"
            )
            site_out = self.codes(
                post.outputs,
                self.site_codes,
                file,
                slug,
                "site_post (outputs)",
                "output_modalities",
            )
        sv_in = sv_out = None
        if tax and tax["io_category"]:
            sv_in, sv_out = self.taxonomy_io(tax, file, slug)
        t1_in = t1_out = None
        if t1:
            t1_in, t1_out = self.table1_io(t1["io_modalities"], file, slug)
            facts.sources.append(SourceRef(source="survey", locator=f"Table 1, row {t1['row']}"))
        for fld, site_value, t1_value, tax_value in (
            ("input_modalities", site_in, t1_in, sv_in),
            ("output_modalities", site_out, t1_out, sv_out),
        ):
            claims = site(fld, site_value)
            claims += (
                survey(t1_value, t1_ref) if t1_value is not None else survey(tax_value, tax_ref)
            )
            value = merger.choose(fld, claims + stated.get(fld, []), self.io_compatible)
            setattr(facts, fld, value or [])
        if facts.io_text is None and t1:
            facts.io_text = t1["io_modalities"]

        # architecture
        site_arch = (
            self.site_architecture(post, rec, file, slug) if post and post.architecture else None
        )
        t1_arch = self.table1_architecture(t1, rec, file, slug) if t1 else None
        stated_arch = stated.get("architecture", [])
        if site_arch is not None or t1_arch is not None or stated_arch:
            arch: dict[str, list[Usage]] = {}
            for role in ROLES:
                claims = site(role, site_arch.get(role) if site_arch else None)
                claims += survey(t1_arch.get(role) if t1_arch else None, t1_ref)
                claims += [
                    Claim(c.origin, c.value[role], c.refs) for c in stated_arch if role in c.value
                ]
                arch[role] = merger.choose(role, claims, same_usages) or []
            facts.architecture = arch

        # data scale
        site_pt = self.scale(post.pretraining_scale if post else None, file, slug, "site_post")
        site_it = self.scale(
            post.instruction_tuning_scale if post else None, file, slug, "site_post"
        )
        t1_pt = self.scale(t1["num_pt"] if t1 else None, file, slug, "survey.table1")
        t1_it = self.scale(t1["num_it"] if t1 else None, file, slug, "survey.table1")
        facts.in_house_data = bool(t1_pt[1] or t1_it[1])
        for fld, site_value, t1_value in (
            ("pretraining_scale", site_pt[0], t1_pt[0]),
            ("instruction_tuning_scale", site_it[0], t1_it[0]),
        ):
            claims = site(fld, site_value) + survey(t1_value, t1_ref)
            setattr(facts, fld, merger.choose(fld, claims + stated.get(fld, []), _eq))
        counts = merger.choose("parameter_counts", stated.get("parameter_counts", []), same_set)
        facts.parameter_counts = sorted(counts or [])
        merger.report_unused()
        for i, item in enumerate(rec.resolutions):
            if item.role not in ROLES:
                self.ref(self.roles, item.role, "role", file, slug, f"resolutions.{i}.role")
            for j, choice in enumerate(item.components):
                where = f"resolutions.{i}.components.{j}.component"
                if self.ref(self.components, choice.component, "component", file, slug, where):
                    self.check_role(choice.component, item.role, file, slug, where)
            used = (slug, item.role, item.spelling) in self.resolved
            if not used and not {(slug, "*"), (slug, item.role)} & self.tainted:
                self.col.add(
                    file,
                    slug,
                    f"resolutions.{i}.spelling",
                    f"no source of this model gives '{item.spelling}' as its {item.role}",
                    "remove the resolution, or write the spelling exactly as the website post "
                    "or Table 1 gives it (without its modality prefix)",
                )
        return facts

    def check_role(self, component: str, role: str, file: str, record: str, fld: str) -> None:
        """A component used in a role lists that role in its catalogue entry."""
        if role in ROLES and role not in self.components[component].roles:
            self.col.add(
                file,
                record,
                fld,
                f"component '{component}' is used as {role} but its "
                "catalogue entry does not list that role",
                f"add '{role}' to its roles in data/components",
            )

    def survey_row(
        self, table: dict[str, dict[str, str]], name: str | None, file: str, record: str, fld: str
    ) -> dict[str, str] | None:
        if name is None:
            return None
        if name not in table and SURVEY_FILES.get(fld) in self.damaged_tables:
            self.taint(record, "*")  # the table lost rows to errors reported there
            return None
        if name not in table:
            self.col.add(
                file,
                record,
                fld,
                f"'{name}' is not a model of that survey table "
                f"({self.col.rel(self.survey_dir / SURVEY_FILES[fld])})",
                did_you_mean(name, table, "name a value of the table's 'model' column"),
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
        lost = self.lost("division", lambda r: [r.get("site_label"), r.get("survey_label")])
        if len(found) != 1:
            self.taint(record, f"{axis}_division")  # not compared with other sources
            if not any(label in lost for label in labels):  # else: reported in its entry
                self.col.add(
                    file,
                    record,
                    f"{axis}_division",
                    f"the {source} gives {labels!r}, which is not one {axis} division",
                )
            return None
        return found[0]

    def taxonomy_io(
        self, tax: dict[str, str], file: str, record: str
    ) -> tuple[list[str] | None, list[str] | None]:
        left, _, right = tax["io_category"].partition("→")

        def side(text: str, merged: str) -> list[str] | None:
            if "Many" in text:
                return None  # the figure only says "several"; nothing exact to compare
            return self.codes(
                [c for c in text.split("+") if c],
                self.survey_codes,
                file,
                record,
                "survey.taxonomy (io_category)",
                merged,
            )

        ins, outs = side(left, "input_modalities"), side(right, "output_modalities")
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
                self.taint(record, "input_modalities")
                self.taint(record, "output_modalities")
                if code not in self.lost_codes():
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
            "input_modalities",
        )
        outs = self.codes(
            [c for c in right.split("+") if c],
            self.site_codes,
            file,
            record,
            "survey.table1 (io_modalities)",
            "output_modalities",
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
        match = ITEM_PREFIX.match(item)
        modalities: list[str] = []
        spelling = item.strip()
        lost_codes = self.lost_codes()
        if match and all(p in self.site_codes for p in match.group(1).split("/")):
            modalities = self.codes([match.group(1)], self.site_codes, file, record, fld, role)
            spelling = match.group(2).strip()
        elif match and any(p in lost_codes for p in match.group(1).split("/")):
            self.taint(record, role)  # its modality's entry has errors, reported there
            return []
        choices: list[ComponentChoice] | None = None
        for resolution in rec.resolutions:
            if resolution.role == role and resolution.spelling == spelling:
                choices = resolution.components  # checked once, in model()
                self.resolved.add((record, role, spelling))
        if choices is None:
            entry = self.spellings.get(spelling)
            if entry is None:
                self.taint(record, role)  # read incompletely: not compared with other sources
            if entry is None and spelling in self.broken["spelling"]:
                return []  # its entry of the spelling table has errors, reported there
            if entry is None:
                self.col.add(
                    file,
                    record,
                    fld,
                    f"component spelling '{spelling}' is not in "
                    "data/curation/component-spellings.yaml",
                    "add it there, or "
                    + did_you_mean(spelling, self.spellings, "check the spelling"),
                )
                return []
            choices = entry.components
        usages = []
        for choice in choices:
            if (
                choice.component in self.components
                and (record, role, spelling) not in self.resolved
            ):
                self.check_role(choice.component, role, file, record, fld)
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


def _eq(a: Any, b: Any) -> bool:
    return a == b
