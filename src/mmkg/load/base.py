"""What every merging step shares: references, sources, graph checks and a post's facts.

A reference is checked against the kind of record it must name, and a miss says what the
slug is if it names a record of another kind. A record whose file exists but failed to load
is reported once, in its own file: references to it, and names it would have given (a
variant's Table 2 row, an organisation's site spellings), are not reported again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mmkg.load.facts import EntryFacts, Paper, arxiv_id, closest, parse_post_date, parse_scale
from mmkg.load.reading import _Collector
from mmkg.records import (
    RawPost,
    SourceRef,
)

#: The longest cycle a message spells out in full; a longer one is shortened in the middle.
CYCLE_SHOWN = 8
POST_LOCATOR = re.compile(r"^posts/(.+)\.md$")


class Lost:
    """What the records of one kind that failed to load would have given, as far as known.

    ``everything`` is set when one of them could not be read at all: then any name may be
    one of theirs, and a miss is not reported until that record loads.
    """

    def __init__(self, names: Iterable[Any] = (), everything: bool = False) -> None:
        self.names: set[Any] = set(names)
        self.everything = everything

    def __contains__(self, name: object) -> bool:
        return self.everything or (isinstance(name, Hashable) and name in self.names)

    def __bool__(self) -> bool:
        return self.everything or bool(self.names)


class Known(set):
    """Known slugs, plus those of records that failed to load (any slug, if one is unread)."""

    def __init__(self, known: Iterable[str], lost: Lost | None = None) -> None:
        super().__init__(known)
        self.lost = lost or Lost()

    def __contains__(self, slug: object) -> bool:
        return super().__contains__(slug) or slug in self.lost


def _a(what: str) -> str:
    return ("an " if what[:1] in "aeiou" else "a ") + what


def show_chain(nodes: list[str]) -> str:
    """A chain of slugs as 'a -> b -> c', a long one shortened in the middle."""
    if len(nodes) <= CYCLE_SHOWN:
        return " -> ".join(nodes)
    head, tail = nodes[:3], nodes[-3:]
    return " -> ".join(head) + f" -> … ({len(nodes) - 6} more) … -> " + " -> ".join(tail)


class LoaderBase:
    """References, source checks, graph checks and website-post facts, shared by every step."""

    def __init__(self, data_dir: Path) -> None:
        self.dir = data_dir
        self.survey_dir = data_dir / "external" / "survey"
        self.col = _Collector(data_dir)
        #: slug -> (kind, what it is, the record to name instead) for every loaded record
        self.kinds: dict[str, list[tuple[str, str, str | None]]] = {}
        #: kind -> the slugs of records whose files exist but failed to load
        self.broken: dict[str, Lost] = {}
        #: kind -> what could be read of each of those records (None: nothing)
        self.salvaged: dict[str, list[dict[str, Any] | None]] = {}
        #: (record, field) whose sources could not be read whole: not compared ("*": any)
        self.tainted: set[tuple[str, str]] = set()
        self.raw: dict[str, RawPost] = {}
        #: (record, role, spelling) of each per-model resolution a source's spelling used
        self.resolved: set[tuple[str, str, str]] = set()
        #: the survey tables that lost rows to errors (a name missing from them is not one)
        self.damaged_tables: set[str] = set()

    # records that failed to load ---------------------------------------------

    def lost(self, kind: str, names: Callable[[dict[str, Any]], Iterable[Any]]) -> Lost:
        """The *names* the records of *kind* that failed to load would have given."""
        out = Lost(everything=self.broken.get(kind, Lost()).everything)
        for raw in self.salvaged.get(kind, []):
            if raw is None:
                out.everything = True
                continue
            try:
                out.names.update(n for n in names(raw) if isinstance(n, Hashable))
            except (AttributeError, KeyError, TypeError):  # a shape the record does not have
                out.everything = True
        return out

    def taint(self, record: str, fld: str) -> None:
        """Mark a field of a record as read incompletely: its sources are not compared."""
        self.tainted.add((record, fld))

    # references -----------------------------------------------------------

    def ref(
        self,
        known: dict[str, Any] | set[str],
        slug: str,
        what: str,
        file: str,
        record: str,
        fld: str,
        hint_from: Iterable[str] | None = None,
        *,
        origin: str | None = None,
    ) -> bool:
        """Whether *slug* names a *what* of *known*; if not, report it (once, at its root).

        *origin* is the slug of the record that links (by default *record*): a hint never
        tells it to link itself.
        """
        if slug in known:
            return True
        if slug in self.broken.get(what, Lost()):
            return False  # the record exists but has errors, reported in its own file
        near = closest(slug, known if hint_from is None else hint_from)
        hint = f"did you mean '{near}'?" if near else f"no {what} of that name exists"
        other = next((k for k in self.kinds.get(slug, []) if k[0] != what), None)
        if other is None:
            message = f"refers to unknown {what} '{slug}'"
        else:
            _, description, instead = other
            message = f"refers to '{slug}', which is {description}, not {_a(what)}"
            if (
                instead is not None
                and instead in known
                and instead != (record if origin is None else origin)
            ):
                hint = f"link the {what} '{instead}' instead"
        self.col.add(file, record, fld, message, hint)
        return False

    def check_sources(self, refs: Iterable[SourceRef], file: str, record: str, fld: str) -> None:
        """Each source reference names a source document (and a website post that exists)."""
        lost_posts = self.broken.get("post", Lost())
        for i, ref in enumerate(refs):
            self.ref(self.sources, ref.source, "source", file, record, f"{fld}.{i}.source")
            match = POST_LOCATOR.match(ref.locator or "")
            if ref.source == "mm-llms-site" and match and self.raw:
                post = match.group(1)
                if post not in self.raw and post not in lost_posts:
                    near = closest(post, self.raw)
                    self.col.add(
                        file,
                        record,
                        f"{fld}.{i}.locator",
                        f"names the website post '{post}', which is not in the raw layer",
                        f"did you mean 'posts/{near}.md'?" if near else "run `mmkg import-site`",
                    )

    # graph checks (iterative: a chain of any length is fine) -----------------

    def check_derivations(
        self, derived: list, known: dict[str, Any], what: str, file: str, record: str, kind: str
    ) -> None:
        """Each derivation names another record of its kind, once, by a link kind for it."""
        applicable = {s for s, k in self.link_kinds.items() if kind in k.applies_to}
        seen: dict[tuple[str, str], int] = {}
        for i, link in enumerate(derived):
            fld = f"derived_from.{i}"
            if link.target == record:
                self.col.add(file, record, f"{fld}.target", f"a {what} cannot derive from itself")
            else:
                self.ref(known, link.target, what, file, record, f"{fld}.target")
            if link.kind in self.link_kinds:
                if link.kind not in applicable:
                    self.col.add(
                        file,
                        record,
                        f"{fld}.kind",
                        f"link kind '{link.kind}' does not apply to a {kind}",
                        f"the link kinds for a {kind}: {', '.join(sorted(applicable))}",
                    )
            else:
                self.ref(applicable, link.kind, "link kind", file, record, f"{fld}.kind")
            key = (link.kind, link.target)
            if key in seen:
                self.col.add(
                    file,
                    record,
                    fld,
                    f"repeats derived_from.{seen[key]}: the same {link.kind} link to "
                    f"'{link.target}'",
                    "remove one of the two (merge their sources and notes into the other)",
                )
            seen.setdefault(key, i)
            self.check_sources(link.sources, file, record, f"{fld}.sources")

    def check_repeats(self, targets: list[str], file: str, record: str, fld: str) -> None:
        """Report a target listed twice in one list of links (part_of, sub_family_of)."""
        seen: dict[str, int] = {}
        for i, target in enumerate(targets):
            if target in seen:
                self.col.add(
                    file,
                    record,
                    f"{fld}.{i}",
                    f"repeats {fld}.{seen[target]}: '{target}' is listed twice",
                    "remove one of the two (merge their sources into the other)",
                )
            seen.setdefault(target, i)

    def check_cycles(
        self, edges: dict[str, list[str]], files: dict[str, str], fld: str = "derived_from"
    ) -> None:
        """Report each cycle of links (a depth-first walk with its own stack, no recursion)."""
        state: dict[str, int] = {}  # 1: on the current path, 2: done
        for root in edges:
            if root in state:
                continue
            path, position = [root], {root: 0}
            stack = [iter(edges[root])]
            state[root] = 1
            while stack:
                node = path[-1]
                for target in stack[-1]:
                    if target == node:
                        continue  # reported as a self-link
                    if state.get(target) == 1:
                        cycle = [*path[position[target] :], target]
                        self.col.add(
                            files.get(node, "?"),
                            node,
                            fld,
                            "links form a cycle: " + show_chain(cycle),
                            "remove one of the links",
                        )
                    elif target in edges and target not in state:
                        state[target] = 1
                        position[target] = len(path)
                        path.append(target)
                        stack.append(iter(edges[target]))
                        break
                else:
                    state[node] = 2
                    del position[node]
                    path.pop()
                    stack.pop()

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
            self.taint(record, "venue")  # read incompletely: not compared with other sources
        if venue is None and name not in self.lost("venue", lambda r: r.get("site_spellings", [])):
            known = [s for v in self.venues.values() for s in v.site_spellings]
            near = closest(name, known)
            self.col.add(
                file,
                record,
                "site_post",
                f"the post's venue '{category}' is not in data/vocab/venues.yaml",
                "add it to site_spellings" + (f", or did you mean '{near}'?" if near else ""),
            )
        target.venue, target.venue_year = venue, int(year) if year else None

    def organisations_of(
        self, target: EntryFacts, affiliation: str, file: str, record: str
    ) -> None:
        lost = self.lost("organisation", lambda r: r.get("site_spellings", []))
        for token in (t.strip() for t in re.split(r"\s+&\s+", affiliation)):
            if token not in self.affiliations:
                self.taint(record, "organisations")  # read incompletely: not compared
            if token not in self.affiliations and token in lost:
                continue  # its organisation's file has errors, reported there
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

    def lost_codes(self) -> Lost:
        """The modality codes of modalities whose entries failed to load."""
        return self.lost(
            "modality", lambda r: [*r.get("site_codes", []), *r.get("survey_codes", [])]
        )

    def codes(
        self,
        codes: Iterable[str],
        table: dict[str, str],
        file: str,
        record: str,
        fld: str,
        merged: str = "",
    ) -> list[str]:
        """The modalities that codes such as 'I' or 'I/V' stand for; *merged*: their field."""
        out: list[str] = []
        lost = self.lost_codes()
        for code in codes:
            for part in code.split("/"):
                part = part.strip()
                if part in table:
                    if table[part] not in out:
                        out.append(table[part])
                    continue
                self.taint(record, merged or fld)
                if part not in lost:
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
