"""The table of every model: a data file for the browser, and static pages for no-JS readers.

The front page never holds one row per model: it holds the first :data:`PAGE_SIZE` rows as
plain HTML, and ``assets/model-table.js`` pages, sorts and filters the whole table from
``data/models.js`` (a script, not JSON read by ``fetch``, which ``file://`` pages may not do).
Repeated labels (organisations, modalities, divisions, components, lineage families) are
written once in lists and referred to by number, so the file holds some 120 bytes per model.
``list/models-<k>.html`` hold the same rows, :data:`PAGE_SIZE` a page, by name.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from mmkg.queries import select
from mmkg.render.html import js_literal
from mmkg.render.scripts import PAGE_SIZE

__all__ = ["DATA_FILE", "PAGE_SIZE", "ModelTable", "list_page_url"]

DATA_FILE = "data/models.js"
#: the size facet's classes of stated parameter counts: (label, from, below)
SIZE_CLASSES = [
    ("under 3B", 0.0, 3e9),
    ("3B to 10B", 3e9, 10e9),
    ("10B to 30B", 10e9, 30e9),
    ("30B to 100B", 30e9, 100e9),
    ("100B or more", 100e9, float("inf")),
]
NEAR = 3  # page numbers shown on each side of the current one


def list_page_url(page: int, root: str) -> str:
    """The static page *page* of the model list, from a page whose root prefix is *root*."""
    return f"{root}index.html#models" if page == 1 else f"{root}list/models-{page}.html"


class _Index:
    """Labels numbered in order of first use."""

    def __init__(self) -> None:
        self.labels: list[str] = []
        self._number: dict[str, int] = {}

    def __call__(self, label: str | None) -> int:
        if label is None or label == "":
            return -1
        if label not in self._number:
            self._number[label] = len(self.labels)
            self.labels.append(label)
        return self._number[label]


class ModelTable:
    """The rows of the model table, read from the site's data (a :class:`SiteData`)."""

    def __init__(self, site: Any) -> None:
        self.site = site
        self.models = sorted(site.facts, key=lambda m: (site.facts[m]["label"].casefold(), m))

    @property
    def pages(self) -> int:
        """The number of pages of :data:`PAGE_SIZE` rows."""
        return max(1, math.ceil(len(self.models) / PAGE_SIZE))

    def rows(self, page: int) -> list[dict]:
        """The rows of one page (from 1) as text for the templates."""
        site = self.site
        rows = []
        for iri in self.models[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]:
            data = site.facts[iri]
            inputs = "+".join(data.get("inputs") or [])
            outputs = "+".join(data.get("outputs") or [])
            rows.append(
                {
                    "url": site.url(iri),
                    "name": data["label"],
                    "date": data.get("date") or "",
                    "organisations": ", ".join(data.get("organisations") or []),
                    "io": f"{inputs} → {outputs}" if inputs or outputs else "",
                    "functional": data.get("functional") or "",
                    "design": data.get("design") or "",
                    "projector": site.role_labels(iri, "input-projector"),
                    "backbone": site.role_labels(iri, "llm-backbone"),
                }
            )
        return rows

    def pager(self, page: int, root: str) -> dict:
        """Links to the other static pages, from page *page* (root prefix *root*)."""
        pages, total = self.pages, len(self.models)
        links: list[tuple[int | None, str | None]] = []
        shown = sorted({1, pages, *range(max(1, page - NEAR), min(pages, page + NEAR) + 1)})
        for i, number in enumerate(shown):
            if i and number != shown[i - 1] + 1:
                links.append((None, None))
            links.append((number, None if number == page else list_page_url(number, root)))
        return {
            "page": page,
            "pages": pages,
            "total": total,
            "first": (page - 1) * PAGE_SIZE + 1,
            "last": min(page * PAGE_SIZE, total),
            "prev": list_page_url(page - 1, root) if page > 1 else None,
            "next": list_page_url(page + 1, root) if page < pages else None,
            "links": links,
        }

    def data(self) -> dict:
        """Every row, labels by number; see ``MODEL_TABLE_JS`` for the order of a row."""
        site = self.site
        organisations, modalities = _Index(), _Index()
        functional, design, families = _Index(), _Index(), _Index()
        for index, keys in (
            (organisations, ("organisations",)),
            (modalities, ("inputs", "outputs")),
            (functional, ("functional",)),
            (design, ("design",)),
        ):  # numbered in alphabetical order, as the filters list them
            labels = set()
            for data in site.facts.values():
                for key in keys:
                    value = data.get(key)
                    labels.update(value if isinstance(value, list) else [value] if value else [])
            for label in sorted(labels, key=lambda text: (text.casefold(), text)):
                index(label)
        components = {iri: i for i, iri in enumerate(sorted(site.component_info))}
        component_families = _Index()
        component_family = [
            component_families(site.component_info[iri].get("family_label"))
            for iri in sorted(site.component_info)
        ]
        family_number = {}
        for root, _ in site.families:
            family_number[root] = families(site.lineage.nodes[root]["label"])
        roles = {role.rsplit("/", 1)[-1]: role for role, _, _ in site.roles}
        size_classes: dict[str, set[int]] = {}
        for model, size in select(site.store, "SELECT ?m ?v WHERE { ?m mmkg:releasedSize ?v }"):
            number = float(size)
            size_classes.setdefault(model, set()).update(
                i for i, (_, low, high) in enumerate(SIZE_CLASSES) if low <= number < high
            )
        rows = []
        for iri in self.models:
            data = site.facts[iri]
            uses = site.pipelines.get(iri, {}).get("uses", {})

            def used(role_slug: str, uses: dict = uses) -> list[int]:
                role = roles.get(role_slug)
                return [components[u["iri"]] for u in uses.get(role, []) if u["iri"] in components]

            every = sorted(
                {components[u["iri"]] for us in uses.values() for u in us if u["iri"] in components}
            )
            root = site.family_root_of.get(iri)
            rows.append(
                [
                    site.model_slug(iri),
                    data["label"],
                    data.get("date") or "",
                    int(data["year"]) if data.get("year") else 0,
                    [organisations(o) for o in data.get("organisations") or []],
                    [modalities(m) for m in data.get("inputs") or []],
                    [modalities(m) for m in data.get("outputs") or []],
                    functional(data.get("functional")),
                    design(data.get("design")),
                    used("input-projector"),
                    used("llm-backbone"),
                    every,
                    family_number[root] if root else -1,
                    sorted(size_classes.get(iri, ())),
                ]
            )
        return {
            "pageSize": PAGE_SIZE,
            "lists": {
                "organisations": organisations.labels,
                "modalities": modalities.labels,
                "functional": functional.labels,
                "design": design.labels,
                "years": sorted({r[3] for r in rows if r[3]}),
                "components": [site.component_info[iri]["label"] for iri in sorted(components)],
                "componentFamilies": component_families.labels,
                "componentFamily": component_family,
                "families": families.labels,
                "sizes": [label for label, _, _ in SIZE_CLASSES],
            },
            "rows": rows,
        }

    def write_data(self, out: Path) -> Path:
        """``data/models.js``: ``window.MMKG_MODELS = {...};``, safe to load as a script."""
        path = out / DATA_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"window.MMKG_MODELS = {js_literal(self.data())};\n", encoding="utf-8")
        return path
