"""What every merging step shares: references, sources and the facts of a website post."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mmkg.load.facts import EntryFacts, Paper, arxiv_id, closest, parse_post_date, parse_scale
from mmkg.load.reading import _Collector
from mmkg.records import (
    RawPost,
    SourceRef,
)


class LoaderBase:
    """References, source checks and website-post facts, shared by every step."""

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

    def scale(
        self, text: str | None, file: str, record: str, fld: str
    ) -> tuple[float | None, bool]:
        try:
            return parse_scale(text)
        except ValueError as exc:
            self.col.add(file, record, fld, str(exc))
            return None, False
