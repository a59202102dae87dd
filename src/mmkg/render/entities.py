"""The pages of the entities that group models: lineage families, component families,
organisations, datasets and modalities.

Each page lists its members as links, with how many there are (lists stop at
:data:`~mmkg.render.sitedata.LIST_MAX` links, the rest counted), and what the graph states of
the entity itself: its literal facts, its links to other entities and its sources.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mmkg.render.html import safe_href
from mmkg.render.sitedata import LIST_MAX, SiteData, item, select
from mmkg.tables import cell_text

# ruff: noqa: E501 - HTML lines of the templates

__all__ = ["EntityPages", "ENTITY_TEMPLATES", "KIND_NAMES"]

#: What one entity of each folder is called on its page.
KIND_NAMES = {
    "families": "Lineage family",
    "component-families": "Component family",
    "organisations": "Organisation",
    "datasets": "Dataset",
    "modalities": "Modality",
}
#: How a lineage family's page names the model it is named after: a model of the family with
#: no recorded parent in it (the earliest dated such model; see layout.lineage_families)
ROOT_FACT = "named after (a model with no recorded parent)"
#: Properties a page shows elsewhere (its heading, sources, results) or that say nothing.
_SKIPPED = (
    "rdf:type",
    "rdfs:label",
    "dcterms:source",
    "mmkg:onBenchmark",
    "owl:annotatedSource",
    "owl:annotatedTarget",
)

ENTITY = """{% extends "base.html" %}
{% from "macros.html" import link %}
{% block content %}
<p class="muted">{{ kind }}</p>
<h1>{{ name }}</h1>
{% if counts %}<div class="counts">
{% for label, number in counts %}<div><b>{{ number }}</b>{{ label }}</div>{% endfor %}
</div>{% endif %}
{% if facts %}<table class="facts">
{% for key, values in facts %}<tr><th>{{ key }}</th><td>
{% for value in values %}{{ link(value) }}{{ ", " if not loop.last }}{% endfor %}</td></tr>
{% endfor %}
</table>{% endif %}
{% if graph_url %}<p>Graph: <a href="{{ graph_url }}">{{ graph_label }}</a></p>{% endif %}
{% for section in sections %}
<h2>{{ section.title }} ({{ section.count }})</h2>
{% if section.note %}<p class="muted">{{ section.note }}</p>{% endif %}
<ul class="plain members">{% for member in section["items"] %}<li>{{ link(member) }}{% if member.detail %} <span class="muted">({{ member.detail }})</span>{% endif %}</li>{% endfor %}</ul>
{% if section.count > section["items"]|length %}<p class="muted">and {{ section.count - section["items"]|length }} more{% if section.more_url %}: see <a href="{{ section.more_url }}">the model table</a>{% endif %}.</p>{% endif %}
{% else %}<p class="muted">Nothing in the graph links to it.</p>
{% endfor %}
{% if sources %}<h2>Sources</h2>
<ul class="plain">{% for source in sources %}<li>{{ link(source) }}</li>{% endfor %}</ul>{% endif %}
{% endblock %}
"""

ENTITY_INDEX = """{% extends "base.html" %}
{% block content %}
<h1>{{ title }}</h1>
<p class="muted">{{ rows|length }} {{ title|lower }}; the count is of the models each one groups.</p>
<table class="sortable">
<thead><tr><th>name</th><th>models</th></tr></thead>
<tbody>
{% for row in rows %}<tr><td><a href="{{ row.url }}">{{ row.name }}</a></td><td class="num">{{ row.models }}</td></tr>
{% endfor %}
</tbody></table>
{% endblock %}
{% block scripts %}<script src="{{ root }}assets/site.js"></script>{% endblock %}
"""

ENTITY_TEMPLATES = {"entity.html": ENTITY, "entity-index.html": ENTITY_INDEX}


def _section(title: str, items: list[dict], note: str = "", more_url: str = "") -> dict:
    """A list of member links, sorted by label, cut at LIST_MAX (the count stays whole)."""
    ordered = sorted(({"detail": "", **i} for i in items), key=lambda i: i["label"].casefold())
    return {
        "title": title,
        "items": ordered[:LIST_MAX],
        "count": len(items),
        "note": note,
        "more_url": more_url,
    }


class EntityPages:
    """Writers of the entity pages, from the site's data (a :class:`SiteData`)."""

    def __init__(self, site: SiteData, render: Callable[..., None]) -> None:
        self.site = site
        self.render = render
        #: per component family: its components (by IRI) and the models using any of them
        self.members: dict[str, list[str]] = defaultdict(list)
        self.users: dict[str, set[str]] = defaultdict(set)
        for component, info in sorted(site.component_info.items()):
            family = info.get("family")
            if family:
                self.members[family].append(component)
                if component in site.components:
                    self.users[family].update(site.components.neighbors(component))

    def family_users(self, family: str) -> set[str]:
        """The models that use any component of the component family *family*."""
        return self.users.get(family, set())

    def _model_items(self, models: set[str] | list[str]) -> list[dict]:
        labels = self.site.facts
        return [
            self.site.link(m, labels[m]["label"], "../", detail=labels[m].get("date") or "")
            for m in models
            if m in labels
        ]

    def _statements(self, iri: str) -> list[tuple[str, list[dict]]]:
        """What the graph states of *iri*: per property, its values (linked where a page is)."""
        facts: dict[str, list[dict]] = {}
        skipped = ", ".join(_SKIPPED)
        for _, prop_label, value, value_label in select(
            self.site.store,
            f"""SELECT ?p ?plabel ?o ?olabel WHERE {{ <{iri}> ?p ?o .
                FILTER(?p NOT IN ({skipped})) FILTER(!isBlank(?o))
                OPTIONAL {{ ?p rdfs:label ?plabel }} OPTIONAL {{ ?o rdfs:label ?olabel }} }}
              ORDER BY ?p ?olabel ?o""",
        ):
            key = prop_label or ""
            if not key:
                continue
            if isinstance(value, str) and value.startswith(("http://", "https://")):
                if value_label is None:
                    item_ = item(value, safe_href(value))
                else:
                    item_ = self.site.link(value, value_label, "../")
            else:
                item_ = item(cell_text(value), None)
            if item_ not in facts.setdefault(key, []):
                facts[key].append(item_)
        return list(facts.items())

    def _incoming(self, iri: str, name: str, skip: tuple[str, ...] = ()) -> list[dict]:
        """The entities that link to *iri*, a section per property (the *skip* ones left)."""
        by_prop: dict[str, list[dict]] = {}
        skipped = ", ".join(_SKIPPED + skip)
        for subject, label, prop_label in select(
            self.site.store,
            f"""SELECT DISTINCT ?s ?slabel ?plabel WHERE {{ ?s ?p <{iri}> ;
                rdfs:label ?slabel . ?p rdfs:label ?plabel .
                FILTER(?p NOT IN ({skipped})) FILTER(!isBlank(?s))
                FILTER NOT EXISTS {{ ?s a mmkg:ComponentUsage }} }} ORDER BY ?plabel ?slabel""",
        ):
            by_prop.setdefault(prop_label, []).append(self.site.link(subject, label, "../"))
        return [_section(f"{prop.capitalize()} {name}", items) for prop, items in by_prop.items()]

    def _entity(self, out: Path, iri: str, folder: str, name: str, **context: Any) -> None:
        self.render(
            out,
            self.site.url(iri),
            "entity.html",
            **{
                "title": name,
                "name": name,
                "kind": KIND_NAMES[folder],
                "facts": self._statements(iri),
                "sources": self.site.sources(iri),
                "graph_url": None,
                "graph_label": "",
                **context,
            },
        )

    def lineage_family(self, out: Path, root: str, nodes: set[str]) -> None:
        """A lineage family's page: its root, its models, their organisations."""
        name = self.site.family_name(root)
        models = self._model_items(nodes)
        orgs: dict[str, int] = {}
        for model in nodes:
            for org in self.site.model_links.get(model, {}).get("developedBy", []):
                orgs[org] = orgs.get(org, 0) + 1
        org_items = [
            self.site.link(
                o, self.site.entities["organisations"].get(o, o), "../", detail=f"{n} models"
            )
            for o, n in orgs.items()
        ]
        edges = self.site.lineage.subgraph(nodes).number_of_edges()
        self.render(
            out,
            self.site.family_page(root),
            "entity.html",
            title=name,
            name=name,
            kind=KIND_NAMES["families"],
            counts=[("models", len(nodes)), ("evolution links", edges)],
            facts=[
                (ROOT_FACT, [self.site.link(root, self.site.lineage.nodes[root]["label"], "../")])
            ],
            graph_url="../" + self.site.family_graph(root),
            graph_label="the family's lineage graph",
            sections=[
                _section("Models", models, "Models linked to one another by evolution links."),
                _section("Organisations", org_items),
            ],
            sources=[],
        )

    def component_family(self, out: Path, iri: str) -> None:
        """A component family's page: its components and the models using any of them."""
        name = self.site.entities["component-families"][iri]
        members = [
            self.site.link(c, self.site.component_info[c]["label"], "../")
            for c in self.members[iri]
        ]
        users = self.family_users(iri)
        self._entity(
            out,
            iri,
            "component-families",
            name,
            counts=[("components", len(members)), ("models using one", len(users))],
            graph_url="../graphs/component-families.html",
            graph_label="component families",
            sections=[
                _section("Components", members),
                _section("Models using a component of the family", self._model_items(users)),
                *self._incoming(iri, name, ("mmkg:inFamily",)),
            ],
        )

    def organisation(self, out: Path, iri: str) -> None:
        """An organisation's page: the models, datasets and components it developed."""
        name = self.site.entities["organisations"][iri]
        self._entity(out, iri, "organisations", name, counts=[], sections=self._incoming(iri, name))

    def dataset(self, out: Path, iri: str) -> None:
        """A dataset's page: its facts and what builds on it or was trained on it."""
        name = self.site.entities["datasets"][iri]
        self._entity(out, iri, "datasets", name, counts=[], sections=self._incoming(iri, name))

    def modality(self, out: Path, iri: str) -> None:
        """A modality's page: the models and datasets taking or giving it, the components
        used for it."""
        name = self.site.entities["modalities"][iri]
        components = select(
            self.site.store,
            f"""SELECT DISTINCT ?c ?label WHERE {{ ?u mmkg:forModality <{iri}> ;
                mmkg:usesComponent ?c . ?c rdfs:label ?label }}""",
        )
        sections = self._incoming(iri, name)
        sections.append(
            _section(
                "Components used for it",
                [self.site.link(c, label, "../") for c, label in components],
            )
        )
        self._entity(out, iri, "modalities", name, counts=[], sections=sections)

    def entity_pages(self, out: Path) -> dict[str, int]:
        """Every entity page and the index of each folder; the number written per folder."""
        written: dict[str, int] = {}
        for root, nodes in self.site.families:
            self.lineage_family(out, root, nodes)
        written["families"] = len(self.site.families)
        writers = {
            "component-families": self.component_family,
            "organisations": self.organisation,
            "datasets": self.dataset,
            "modalities": self.modality,
        }
        for folder, members in self.site.entities.items():
            own = [i for i in sorted(members) if (self.site.url(i) or "").startswith(folder + "/")]
            for iri in own:
                writers[folder](out, iri)
            written[folder] = len(own)
        self._indexes(out)
        return written

    def _indexes(self, out: Path) -> None:
        """A list page per folder, each entity with the number of models it groups."""
        users: dict[str, set[str]] = {}
        for model, links in self.site.model_links.items():
            for targets in links.values():
                for target in targets:
                    users.setdefault(target, set()).add(model)
        tables: dict[str, list[dict]] = {
            "families": [
                {
                    "name": self.site.family_name(root),
                    "url": self.site.family_page(root).removeprefix("families/"),
                    "models": len(nodes),
                }
                for root, nodes in self.site.families
            ]
        }
        for folder, members in self.site.entities.items():
            rows = []
            for iri, label in members.items():
                url = self.site.url(iri) or ""
                if not url.startswith(folder + "/"):
                    continue
                count = (
                    len(self.family_users(iri))
                    if folder == "component-families"
                    else len(users.get(iri, ()))
                )
                rows.append({"name": label, "url": url.removeprefix(folder + "/"), "models": count})
            tables[folder] = rows
        for folder, rows in tables.items():
            rows.sort(key=lambda r: (-r["models"], r["name"].casefold()))
            self.render(
                out,
                f"{folder}/index.html",
                "entity-index.html",
                title=_PLURALS[folder],
                rows=rows,
            )


_PLURALS = {
    "families": "Lineage families",
    "component-families": "Component families",
    "organisations": "Organisations",
    "datasets": "Datasets",
    "modalities": "Modalities",
}
