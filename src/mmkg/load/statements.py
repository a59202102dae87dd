"""A model record's own statements, and the website's entry facts, as claims per field."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mmkg.load.base import LoaderBase
from mmkg.load.facts import ROLES, Claim, ModelFacts, Paper, Usage, arxiv_id
from mmkg.records import STATED_FIELDS, Model, SourceRef, Statement


class StatementReader(LoaderBase):
    """Turns statements and website entry facts into claims for the field merger."""

    def site_entry_claims(
        self, facts: ModelFacts, site_ref: SourceRef | None
    ) -> dict[str, list[Claim]]:
        """What the website post gave (already read by post_facts), as claims; then cleared."""
        if site_ref is None:
            values: dict[str, Any] = {"organisations": facts.organisations or None}
        else:
            values = {
                "released": (facts.released, "day") if facts.released else None,
                "venue": (facts.venue, facts.venue_year) if facts.venue else None,
                "paper": facts.paper,
                "project_url": facts.project_url,
                "organisations": facts.organisations or None,
            }
        facts.released = facts.venue = facts.venue_year = facts.paper = None
        facts.project_url = None
        facts.organisations = []
        origin = "site" if site_ref else "curation"
        refs = (site_ref,) if site_ref else ()
        return {k: [Claim(origin, v, refs)] for k, v in values.items() if v is not None}

    def stated_claims(self, rec: Model, file: str, slug: str) -> dict[str, list[Claim]]:
        """The record's own statements as claims, each fact with its statement's source."""
        out: dict[str, list[Claim]] = {}
        given: dict[tuple[str, str], int] = {}
        for i, st in enumerate(rec.stated):
            fld = f"stated.{i}"
            self.ref(self.sources, st.source, "source", file, slug, f"{fld}.source")
            for key in STATED_FIELDS:
                if getattr(st, key) in (None, []):
                    continue
                first = given.setdefault((st.source, key), i)
                if first != i:
                    self.col.add(
                        file,
                        slug,
                        f"{fld}.{key}",
                        f"source '{st.source}' already gives {key} in stated.{first}",
                        "one source gives each field once: keep the value of one of its "
                        "versions, or record the other version as a source of its own",
                    )
            refs = (SourceRef(source=st.source, locator=st.locator),)

            def claim(
                key: str, value: Any, refs: tuple = refs, origin: str = st.source, i: int = i
            ) -> None:
                if given.get((origin, key), i) == i:  # a repeat is reported above, not kept
                    out.setdefault(key, []).append(Claim(origin, value, refs))

            if st.released:
                precision = "day" if len(st.released) == 10 else "month"
                text = st.released if precision == "day" else st.released + "-01"
                try:
                    date = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
                except ValueError:
                    self.col.add(
                        file, slug, f"{fld}.released", f"'{st.released}' is not a calendar date"
                    )
                    date = None
                if date is not None and date > datetime.now(UTC):
                    self.col.add(file, slug, f"{fld}.released", "is in the future")
                if date is not None:
                    claim("released", (date, precision))
            if st.venue:
                self.ref(self.venues, st.venue, "venue", file, slug, f"{fld}.venue")
                claim("venue", (st.venue, st.venue_year))
            if st.paper:
                arxiv = st.paper.arxiv_id or arxiv_id(st.paper.url)
                claim("paper", Paper(st.paper.title, st.paper.url, arxiv))
            for key in ("project_url", "code_url", "pretraining_scale", "instruction_tuning_scale"):
                if getattr(st, key) is not None:
                    claim(key, getattr(st, key))
            if st.parameter_counts:
                claim("parameter_counts", list(st.parameter_counts))
            if st.organisations is not None:
                for j, org in enumerate(st.organisations):
                    self.ref(
                        self.organisations,
                        org,
                        "organisation",
                        file,
                        slug,
                        f"{fld}.organisations.{j}",
                    )
                claim("organisations", list(st.organisations))
            for key in ("functional_division", "design_division"):
                value = getattr(st, key)
                if value is None:
                    continue
                axis = key.split("_")[0]
                if value in self.broken["division"]:
                    self.taint(slug, key)  # its entry has errors, reported there
                    continue
                if value not in self.divisions or self.divisions[value].axis != axis:
                    known = [d for d, v in self.divisions.items() if v.axis == axis]
                    self.col.add(
                        file,
                        slug,
                        f"{fld}.{key}",
                        f"'{value}' is not a {axis} division",
                        f"known: {', '.join(known)}",
                    )
                    continue
                claim(key, value)
            for key in ("input_modalities", "output_modalities"):
                values = getattr(st, key)
                if values is None:
                    continue
                for j, modality in enumerate(values):
                    self.ref(self.modalities, modality, "modality", file, slug, f"{fld}.{key}.{j}")
                claim(key, list(values))
            if st.architecture is not None:
                claim("architecture", self.stated_architecture(st, file, slug, f"{fld}"))
        return out

    def stated_architecture(
        self, st: Statement, file: str, slug: str, fld: str
    ) -> dict[str, list[Usage]]:
        """A statement's architecture, per role, as usages sourced to the statement."""
        source = SourceRef(source=st.source, locator=st.locator)
        arch: dict[str, list[Usage]] = {}
        for role, items in (st.architecture or {}).items():
            if role not in ROLES:
                self.ref({r: 1 for r in ROLES}, role, "role", file, slug, f"{fld}.architecture")
                continue
            usages = []
            for j, item in enumerate(items):
                where = f"{fld}.architecture.{role}.{j}"
                if self.ref(self.components, item.component, "component", file, slug, where):
                    if role not in self.components[item.component].roles:
                        self.col.add(
                            file,
                            slug,
                            where,
                            f"component '{item.component}' is used as {role} but its "
                            "catalogue entry does not list that role",
                            f"add '{role}' to its roles in data/components",
                        )
                for k, modality in enumerate(item.modalities):
                    self.ref(
                        self.modalities,
                        modality,
                        "modality",
                        file,
                        slug,
                        f"{where}.modalities.{k}",
                    )
                usages.append(
                    Usage(role, item.component, tuple(item.modalities), item.resolution, "", source)
                )
            arch[role] = usages
        return arch
