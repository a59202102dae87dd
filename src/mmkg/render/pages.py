"""The site's data with a writer per kind of page: index, model, component, graph, and (in
their own modules) entities, benchmarks, the comparison, queries and analyses.

Every page is an autoescaped Jinja2 template (:mod:`mmkg.render.templates` and the modules'
own). A page holds a bounded number of rows whatever the number of models: lists of links stop
at :data:`LIST_MAX` (the rest are counted, and reachable from the model table), leaderboards
at :data:`BOARD_MAX` rows, charts at :data:`CHART_MAX` bars, query and analysis answers at
:data:`ANSWER_MAX` rows.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox

from mmkg.render.answerpages import (
    ANSWER_MAX,
    ANSWER_TEMPLATES,
    AnswerPages,
    analyses_available,
)
from mmkg.render.benchmarkpages import BENCHMARK_TEMPLATES, BOARD_MAX, CHART_MAX, BenchmarkPages
from mmkg.render.comparepage import COMPARE_TEMPLATES, write_compare_data
from mmkg.render.details import model_details
from mmkg.render.ego import Neighbourhoods
from mmkg.render.entities import ENTITY_TEMPLATES, EntityPages
from mmkg.render.graphpage import GraphPage
from mmkg.render.html import environment, safe_href
from mmkg.render.modeltable import ModelTable, list_page_url
from mmkg.render.overview import table_link
from mmkg.render.sitedata import LIST_MAX, SiteData, source_item
from mmkg.render.templates import TEMPLATES
from mmkg.render.words import COMPACT_MIN, compact_number, exact_number
from mmkg.tables import cell_text

__all__ = ["Pages", "analyses_available", "LIST_MAX", "BOARD_MAX", "CHART_MAX", "ANSWER_MAX"]

FAMILY_LINKS = 30  # lineage families linked from the front page


#: The model facts shown as links to entity pages, and the property each one follows.
_LINKED_FACTS = {
    "organisations": "developedBy",
    "input modalities": "hasInputModality",
    "output modalities": "hasOutputModality",
}


#: model facts that count data (samples, pairs) or parameters: written short (600K, 7B), the
#: exact number in a title
_SCALE_FACTS = ("pre-training scale", "instruction-tuning scale", "released sizes")


def _short_numbers(value: str) -> tuple[str, str | None]:
    """'600000, 1400000000' as ('600K, 1.4B', '600,000, 1,400,000,000'); other text as it is."""
    parts = value.split(", ")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        return value, None
    if all(abs(n) < COMPACT_MIN for n in numbers):
        return value, None
    return ", ".join(map(compact_number, numbers)), ", ".join(map(exact_number, numbers))


def _yes(value: Any) -> str:
    return "yes" if value else "no"


class Pages(SiteData):
    """The site's data plus a writer per kind of page."""

    def __init__(self, store: ox.Store, queries_dir: Path) -> None:
        super().__init__(store)
        self.env = environment(
            {
                **TEMPLATES,
                **ENTITY_TEMPLATES,
                **COMPARE_TEMPLATES,
                **ANSWER_TEMPLATES,
                **BENCHMARK_TEMPLATES,
            }
        )
        self.ego: set[str] = set()
        self.details = model_details(store, sorted(self.facts))
        self.hoods = Neighbourhoods(self.lineage, self.components)
        self.table = ModelTable(self)
        self.entity_writer = EntityPages(self, self.render)
        self.answer_writer = AnswerPages(self, self.render, queries_dir)
        self.benchmark_writer = BenchmarkPages(self, self.render)
        #: graph pages that draw groups of models, not a node per model (no #node= link there)
        self.aggregated: set[str] = set()
        self.has_analyses = analyses_available()
        self.warnings: list[str] = []

    def render(self, out: Path, path: str, template: str, **context: Any) -> None:
        """Render *template* with *context* into the page *path* (relative to the site root)."""
        values = {
            "root": "../" * path.count("/"),
            "wide": False,
            "has_analyses": self.has_analyses,
            **context,
        }
        html = self.env.get_template(template).render(**values)
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")

    def index(self, out: Path) -> None:
        """The front page (counts, links to every view, the model table's first page), the
        table's data file and its static pages."""
        detailed = sum(1 for m in self.facts if self.detailed(m))
        families = sum(1 for _, d in self.tree.nodes(data=True) if d.get("kind") == "family")
        counts = [
            ("models", len(self.facts)),
            ("with detailed architecture", detailed),
            ("components", len(self.component_info)),
            ("component families", families),
            ("evolution links", self.lineage.number_of_edges()),
            ("benchmarks", len(self.benchmarks)),
            ("benchmark results", len(self.results)),
        ]
        biggest = {r for r, _ in sorted(self.families, key=lambda f: -len(f[1]))[:FAMILY_LINKS]}
        family_links = [
            {
                "name": self.lineage.nodes[root]["label"],
                "url": self.family_graph(root),
                "size": len(nodes),
            }
            for root, nodes in self.families
            if root in biggest
        ]
        self.table.write_data(out)
        self.render(
            out,
            "index.html",
            "index.html",
            title="Models",
            counts=counts,
            rows=self.table.rows(1),
            pager=self.table.pager(1, ""),
            total=len(self.facts),
            families=family_links,
            more_families=len(self.families) - len(family_links),
        )
        for page in range(2, self.table.pages + 1):
            self.render(
                out,
                list_page_url(page, ""),
                "models-list.html",
                title=f"Models, page {page}",
                rows=self.table.rows(page),
                pager=self.table.pager(page, "../"),
            )

    def model(self, out: Path, iri: str) -> None:
        """A model's page: facts, architecture pipeline, lineage, results, sources."""
        slug = self.model_slug(iri)
        details = self.details[iri]
        facts = []
        for key, value in details.facts:
            if not value or key == "slug":
                continue
            url = None
            if key == "paper":
                match = re.fullmatch(r"(.*) <(\S+)>", value, flags=re.DOTALL)
                if match:
                    value, url = match.group(1), safe_href(match.group(2))
            elif key == "project":
                url = safe_href(value)
            elif key in _LINKED_FACTS:
                targets = self.model_links.get(iri, {}).get(_LINKED_FACTS[key], [])
                if targets:
                    value = [self.link(t, self._entity_label(t), "../") for t in targets]
            title = None
            if key in _SCALE_FACTS and isinstance(value, str):
                value, title = _short_numbers(value)
            facts.append((key, value, url, title))
        pipeline = self.pipelines.get(iri, {"uses": {}, "lacks": set()})
        stages = []
        for role, label, _ in self.roles:
            uses = pipeline["uses"].get(role, [])
            stages.append(
                {
                    "role": label,
                    "none": role in pipeline["lacks"] and not uses,
                    "items": [
                        self.link(u["iri"], u["label"], "../", detail=u["detail"]) for u in uses
                    ],
                }
            )
        results = []
        for variant, column, score, seen, reimplemented in details.results:
            bench = self._column_benchmark.get(column)
            results.append(
                {
                    "variant": variant,
                    "benchmark": self.link(bench, column, "../"),
                    "score": cell_text(score),
                    "seen": _yes(seen),
                    "reimplemented": _yes(reimplemented),
                }
            )
        ancestors, more_up = self.lineage_items(iri, up=True)
        descendants, more_down = self.lineage_items(iri, up=False)
        root = self.family_root_of.get(iri)
        self.render(
            out,
            f"models/{slug}.html",
            "model.html",
            title=self.facts[iri]["label"],
            name=self.facts[iri]["label"],
            facts=facts,
            detailed=self.detailed(iri),
            pipeline=stages,
            ancestors=ancestors,
            descendants=descendants,
            more_up=more_up,
            more_down=more_down,
            lineage_node=None if "graphs/lineage.html" in self.aggregated else slug,
            family_url="../" + self.family_graph(root) if root else None,
            family_node=None if root and self.family_graph(root) in self.aggregated else slug,
            family_page="../" + self.family_page(root) if root else None,
            compare_url="../compare.html#models=" + quote(self.model_slug(iri), safe=""),
            ego_url=f"../graphs/ego/{slug}.html" if iri in self.ego else None,
            results=results,
            sources=[source_item(s) for s in details.sources],
            notes=details.notes,
        )

    def _entity_label(self, iri: str) -> str:
        """The label of an organisation, modality or other entity with a page."""
        for members in self.entities.values():
            if iri in members:
                return members[iri]
        return iri.rsplit("/", 1)[-1]

    def component(self, out: Path, iri: str) -> None:
        """A component's page: family, derivations, the models using it per role."""
        info = self.component_info[iri]
        family = (
            self.link(info["family"], info.get("family_label") or "", "../")
            if info.get("family")
            else None
        )
        facts: list[tuple[str, Any]] = [("family", family or "none recorded")]
        if info.get("definition"):
            facts.append(("definition", info["definition"]))
        if info.get("params") is not None:
            facts.append(("parameters", f"{cell_text(info['params'])}"))
        if info.get("patch") is not None:
            facts.append(("patch size", cell_text(info["patch"])))
        siblings = [
            self.link(other, self.component_info[other]["label"], "../")
            for other in self.entity_writer.members.get(info.get("family") or "", [])
            if other != iri
        ]
        derived_from, derived_into = [], []
        if iri in self.tree:
            for other, _, data in self.tree.in_edges(iri, data=True):
                if data.get("kind") != "member":
                    label = self.tree.nodes[other].get("label", other)
                    derived_from.append(self.link(other, label, "../", how=data.get("kind")))
            for _, other, data in self.tree.out_edges(iri, data=True):
                label = self.tree.nodes[other].get("label", other)
                derived_into.append(self.link(other, label, "../", how=data.get("kind")))
        by_role: dict[str, list[dict]] = defaultdict(list)
        if iri in self.components:
            for _, model, data in self.components.edges(iri, data=True):
                label = self.components.nodes[model].get("label", model)
                detail = ", ".join(m.lower() for m in data.get("modalities", []))
                for role in data.get("roles", []):
                    by_role[role].append(self.link(model, label, "../", detail=detail))
        order = {label: pos for _, label, pos in self.roles}
        users = self.components.degree(iri) if iri in self.components else 0
        self.render(
            out,
            f"components/{self.component_slug(iri)}.html",
            "component.html",
            title=info["label"],
            name=info["label"],
            facts=facts,
            siblings=siblings,
            derived_from=sorted(derived_from, key=lambda i: i["label"].casefold()),
            derived_into=sorted(derived_into, key=lambda i: i["label"].casefold()),
            by_role=[
                (role, sorted(items, key=lambda i: i["label"].casefold())[:LIST_MAX], len(items))
                for role, items in sorted(by_role.items(), key=lambda kv: order.get(kv[0], 99))
            ],
            users=users,
            family=family,
            family_users=len(self.entity_writer.family_users(info["family"])) if family else 0,
            table_url="../" + table_link(uses=info["label"]),
            sources=self.sources(iri),
        )

    def compare(self, out: Path) -> None:
        """The comparison page and its data file."""
        write_compare_data(self.store, sorted(self.facts), out, self.model_slug)
        self.render(out, "compare.html", "compare.html", title="Compare models")

    def graph(self, out: Path, page: GraphPage) -> None:
        """An interactive graph page."""
        context = page.context()
        self.render(out, page.path, "graph.html", **{**context, "wide": True})
