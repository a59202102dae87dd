"""Loaded facts -> the triples of the data (ABox), handed one at a time to a sink."""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

from mmkg.build.terms import (
    COUNT_PROPERTY,
    DATASET_CLASS,
    DCTERMS,
    FIELD_PROPERTIES,
    IDS,
    LINK_PROPERTY,
    MMKG,
    ORG,
    OWL,
    RDF,
    RDFS,
    ROLE_PROPERTY,
    SKOS,
    XSD,
    Triple,
    axiom_node,
    decimal,
    literal,
    named,
    rdf_list,
)
from mmkg.load import DatasetFacts, EntryFacts, Facts, ModelFacts, Paper, Result
from mmkg.load.facts import SITE_POST_URL
from mmkg.load.library import library_source
from mmkg.records import Derivation, ModelLink, SourceRef, Variant

__all__ = ["Builder"]


class Builder:
    """Turns loaded facts into triples, handed one at a time to *emit* (a graph or a store).

    The builder reads nothing back from where the triples go: what it must know of triples it
    made earlier (a model's usages, a publication's venue) it keeps itself, for the model being
    built or per publication, so the triples can stream into any sink.
    """

    def __init__(self, facts: Facts, emit: Callable[[Triple], None]) -> None:
        self.facts = facts
        self.emit = emit
        #: the objects of each (subject, property) added while one model is built
        self.current: defaultdict[tuple[Any, Any], list[Any]] | None = None
        #: each publication's venue and venue year, as (property, target) pairs
        self.venue_of: defaultdict[ox.NamedNode, list[tuple[ox.NamedNode, Any]]] = defaultdict(list)
        self.links: Counter[str] = Counter()
        self.citations: set[ox.NamedNode] = set()
        self.entry_names = {
            e.record.name.casefold() for e in (*facts.models.values(), *facts.datasets.values())
        }

    # small helpers ----------------------------------------------------------

    def add(self, triple: Triple) -> None:
        """Hand one triple on, and index it while a model is being built."""
        self.emit(triple)
        if self.current is not None:
            self.current[triple[0], triple[1]].append(triple[2])

    def objects(self, subject: Any, prop: ox.NamedNode) -> list[Any]:  # noqa: ANN401 - an RDF term
        """The objects of (*subject*, *prop*) added while building the current model."""
        return list(self.current.get((subject, prop), ())) if self.current is not None else []

    def individual(self, node: ox.NamedNode, cls: ox.NamedNode, label: str) -> ox.NamedNode:
        self.add((node, RDF.type, OWL.NamedIndividual))
        self.add((node, RDF.type, cls))
        self.add((node, RDFS.label, literal(label, lang="en")))
        return node

    def source_iri(self, ref: SourceRef) -> ox.NamedNode:
        if ref.source == "mm-llms-site" and ref.locator and ref.locator.startswith("posts/"):
            post = ref.locator.removeprefix("posts/").removesuffix(".md")
            return ox.NamedNode(SITE_POST_URL.format(post=post))
        return ox.NamedNode(self.facts.sources[ref.source].url)

    def add_sources(self, node: ox.NamedNode, refs: list[SourceRef]) -> None:
        for ref in refs:
            self.add((node, DCTERMS.source, self.source_iri(ref)))

    def citation(self, ref: SourceRef) -> ox.NamedNode:
        """The citation individual of one place in one source document (made once)."""
        locator = ref.locator or ""
        key = re.sub(r"[^a-z0-9]+", "-", locator.lower()).strip("-")[:60] or "document"
        digest = hashlib.sha1(locator.encode("utf-8")).hexdigest()[:8]
        node = named("citation", f"{ref.source}/{key}-{digest}")
        if node not in self.citations:
            self.citations.add(node)
            doc = self.facts.sources[ref.source]
            self.individual(node, MMKG.Citation, f"{doc.slug}: {locator}" if locator else doc.slug)
            self.add((node, DCTERMS.source, self.source_iri(ref)))
            if locator:
                self.add((node, MMKG.locator, literal(locator)))
        return node

    def cite(
        self, node: ox.NamedNode, prop: ox.NamedNode, target: Any, refs: list[SourceRef]
    ) -> None:
        """Annotate the asserted triple (node, prop, target) with the places that state it."""
        axiom = axiom_node(node, prop, target)
        self.add((axiom, RDF.type, OWL.Axiom))
        self.add((axiom, OWL.annotatedSource, node))
        self.add((axiom, OWL.annotatedProperty, prop))
        self.add((axiom, OWL.annotatedTarget, target))
        for ref in refs:
            self.add((axiom, MMKG.statedIn, self.citation(ref)))

    def cite_model_facts(self, node: ox.NamedNode, facts: ModelFacts) -> None:
        """Field-level provenance: every asserted fact of a model cites its sources."""
        add = self.add
        for fld, refs in facts.provenance.items():
            if fld in ROLE_PROPERTY:
                role = named("role", fld)
                for use in self.objects(node, MMKG.hasComponentUsage):
                    if role in self.objects(use, MMKG.inRole):
                        for ref in refs:
                            add((use, MMKG.statedIn, self.citation(ref)))
                if role in self.objects(node, MMKG.lacksRole):
                    self.cite(node, MMKG.lacksRole, role, refs)
                continue
            if fld == "venue":
                for pub in self.objects(node, MMKG.hasPublication):
                    for prop, target in list(self.venue_of[pub]):
                        self.cite(pub, prop, target, refs)
                continue
            for prop in FIELD_PROPERTIES[fld]:
                for target in self.objects(node, prop):
                    self.cite(node, prop, target, refs)

    def derivation(self, node: ox.NamedNode, link: Derivation | ModelLink, kind: str) -> None:
        """An evolution link as a cited axiom; one suggested only by names is kept apart."""
        prop = LINK_PROPERTY[link.kind]
        target = named(kind, link.target)
        if isinstance(link, ModelLink) and link.confidence == "name":
            self.suggested_link(node, prop, target, link)
            return
        self.add((node, prop, target))
        axiom = axiom_node(node, prop, target)
        self.add((axiom, RDF.type, OWL.Axiom))
        self.add((axiom, OWL.annotatedSource, node))
        self.add((axiom, OWL.annotatedProperty, prop))
        self.add((axiom, OWL.annotatedTarget, target))
        for ref in link.sources:
            self.add((axiom, DCTERMS.source, self.source_iri(ref)))
        if link.note:
            self.add((axiom, SKOS.note, literal(link.note, lang="en")))
        if isinstance(link, ModelLink):
            self.add((axiom, MMKG.linkConfidence, IDS[f"confidence/{link.confidence}"]))
        self.links[kind] += 1

    def suggested_link(
        self, node: ox.NamedNode, prop: ox.NamedNode, target: ox.NamedNode, link: ModelLink
    ) -> None:
        """A link only the names suggest: its own individual, never the link's triple."""
        later = node.value.rsplit("/", 1)[-1]
        names = self.facts.models
        suggestion = self.individual(
            named("suggested-link", f"{later}--{link.kind}--{link.target}"),
            MMKG.SuggestedLink,
            f"{names[later].record.name} {link.kind.replace('-', ' ')} "
            f"{names[link.target].record.name}? (suggested by the names)",
        )
        self.add((node, MMKG.hasSuggestedLink, suggestion))
        self.add((suggestion, MMKG.suggestedTarget, target))
        self.add((suggestion, MMKG.suggestedProperty, prop))
        self.add((suggestion, MMKG.linkConfidence, IDS["confidence/name"]))
        for ref in link.sources:
            self.add((suggestion, DCTERMS.source, self.source_iri(ref)))
        if link.note:
            self.add((suggestion, SKOS.note, literal(link.note, lang="en")))
        self.links["suggested"] += 1

    def publication(self, paper: Paper) -> ox.NamedNode:
        key = paper.arxiv_id or re.sub(r"[^a-z0-9]+", "-", paper.url.lower().split("//", 1)[-1])
        node = named("publication", key.strip("-"))
        label = paper.title or f"Paper at {paper.url}"
        if label.casefold() in self.entry_names:  # one label, one entity (ROBOT duplicate_label)
            label = f"{label} (publication)"
        self.individual(node, MMKG.Publication, label)
        if paper.title:
            self.add((node, DCTERMS.title, literal(paper.title, lang="en")))
        self.add((node, MMKG.paperUrl, literal(paper.url, datatype=XSD.anyURI)))
        if paper.arxiv_id:
            self.add((node, MMKG.arxivId, literal(paper.arxiv_id)))
        return node

    def entry(self, node: ox.NamedNode, facts: EntryFacts) -> None:
        """What models and datasets share: labels, release, paper, links, notes, sources."""
        add, rec = self.add, facts.record
        for alt in rec.alt_labels:
            add((node, SKOS.altLabel, literal(alt, lang="en")))
        if rec.description:
            add((node, DCTERMS.description, literal(rec.description, lang="en")))
        if facts.io_text:
            add((node, MMKG.ioText, literal(facts.io_text)))
        for note in facts.notes:
            add((node, SKOS.editorialNote, literal(note, lang="en")))
        self.add_sources(node, facts.sources)
        if facts.released and getattr(facts, "released_precision", "day") == "day":
            add((node, MMKG.releaseDate, literal(facts.released, datatype=XSD.dateTime)))
        if facts.released:
            add((node, MMKG.releaseYear, literal(facts.released.year, datatype=XSD.integer)))
            add((node, MMKG.releaseMonth, literal(facts.released.month, datatype=XSD.integer)))
        if facts.paper:
            pub = self.publication(facts.paper)
            add((node, MMKG.hasPublication, pub))
            venue = []
            if facts.venue:
                venue.append((MMKG.publishedAt, named("venue", facts.venue)))
            if facts.venue_year:
                venue.append((MMKG.venueYear, literal(facts.venue_year, datatype=XSD.integer)))
            for prop, target in venue:
                add((pub, prop, target))
                if (prop, target) not in self.venue_of[pub]:
                    self.venue_of[pub].append((prop, target))
        if facts.project_url:
            add((node, MMKG.projectUrl, literal(facts.project_url, datatype=XSD.anyURI)))
        if facts.affiliation:
            add((node, MMKG.affiliationText, literal(facts.affiliation)))
        for org in facts.organisations:
            add((node, MMKG.developedBy, named("organisation", org)))

    # the parts ------------------------------------------------------------

    def build(self) -> None:
        """Hand on every triple of the data (the ABox), the ontology not included."""
        self.vocabularies()
        self.catalogue()
        for facts in self.facts.datasets.values():
            self.dataset(facts)
        for facts in self.facts.models.values():
            self.model(facts)
        for result in self.facts.results:
            self.result(result)
        self.implementations()

    def implementations(self) -> None:
        """The transformers model types the curation links to models, and their parts."""
        lib = self.facts.library
        if lib is None or lib.library is None:
            return
        add, version = self.add, lib.library.version
        library_ref = library_source(lib)
        made: set[str] = set()

        def implementation(model_type: str) -> ox.NamedNode:
            node = named("implementation", f"transformers/{model_type}")
            if model_type in made:
                return node
            made.add(model_type)
            raw = lib.types[model_type]
            self.individual(node, MMKG.Implementation, f"transformers {model_type}")
            add((node, MMKG.modelType, literal(model_type)))
            add((node, MMKG.configClass, literal(raw.config_class)))
            add((node, MMKG.libraryVersion, literal(version)))
            for name in raw.model_classes:
                add((node, MMKG.modelClass, literal(name)))
            for sub in raw.sub_models:
                if sub.model_type:
                    add((node, MMKG.subModelKey, literal(f"{sub.key}={sub.model_type}")))
                    if sub.model_type in lib.types:
                        add((node, MMKG.hasSubModel, implementation(sub.model_type)))
            add((node, MMKG.statedIn, self.citation(library_ref)))
            if model_type in lib.submodels:
                add((node, MMKG.implementsComponent, self.library_component(model_type)))
            return node

        for model_type, entry in sorted(lib.curated.items()):
            if entry.model is None:
                continue
            node = implementation(model_type)
            add((node, MMKG.implementsModel, named("model", entry.model)))
            self.cite(node, MMKG.implementsModel, named("model", entry.model), entry.sources)

    def library_component(self, model_type: str) -> ox.NamedNode:
        """The catalogue component a curated sub-model type of the library is."""
        entry = self.facts.library.submodels[model_type]
        node = self.individual(
            named("component", f"transformers/{model_type}"), MMKG.Component, entry.name
        )
        self.add((node, MMKG.listedInRole, named("role", entry.role)))
        family = named("family", entry.family)
        self.add((node, MMKG.inFamily, family))
        self.cite(node, MMKG.inFamily, family, entry.sources)
        self.add_sources(node, entry.sources)
        return node

    def vocabularies(self) -> None:
        add, f = self.add, self.facts
        for m in f.metrics.values():
            node = self.individual(named("metric", m.slug), MMKG.Metric, m.label)
            add((node, SKOS.definition, literal(m.definition, lang="en")))
            add((node, MMKG.minimumValue, decimal(m.minimum)))
            if m.maximum is not None:
                add((node, MMKG.maximumValue, decimal(m.maximum)))
        for m in f.modalities.values():
            node = self.individual(named("modality", m.slug), MMKG.Modality, m.label)
            add((node, SKOS.definition, literal(m.definition, lang="en")))
            for code in m.site_codes:
                add((node, MMKG.siteCode, literal(code)))
            if m.output_form_of:
                add((node, RDF.type, MMKG.OutputForm))
                add((node, MMKG.isOutputFormOf, named("modality", m.output_form_of)))
            for alt in m.alt_labels:
                add((node, SKOS.altLabel, literal(alt, lang="en")))
        for r in f.roles.values():
            node = self.individual(named("role", r.slug), MMKG.ArchitecturalRole, r.label)
            add((node, SKOS.definition, literal(r.definition, lang="en")))
            add((node, MMKG.rolePosition, literal(r.position, datatype=XSD.integer)))
        for d in f.divisions.values():
            cls = MMKG.FunctionalDivision if d.axis == "functional" else MMKG.DesignDivision
            node = self.individual(named("division", d.slug), cls, d.label)
            add((node, SKOS.definition, literal(d.definition, lang="en")))
        self.all_different("modalities", [named("modality", m) for m in f.modalities])
        self.all_different("roles", [named("role", r) for r in f.roles])
        self.all_different("divisions", [named("division", d) for d in f.divisions])
        for v in f.venues.values():
            node = self.individual(named("venue", v.slug), MMKG.Venue, v.label)
            add((node, SKOS.definition, literal(v.definition, lang="en")))
        for p in f.periods.values():
            node = self.individual(
                named("period", p.slug), MMKG.TimelinePeriod, f"Timeline period {p.label}"
            )
            add((node, MMKG.periodYear, literal(p.year, datatype=XSD.integer)))
            add((node, MMKG.periodStartMonth, literal(p.start_month, datatype=XSD.integer)))
            add((node, MMKG.periodEndMonth, literal(p.end_month, datatype=XSD.integer)))
        for slug, org in f.organisations.items():
            node = self.individual(named("organisation", slug), MMKG.Organisation, org.name)
            for alt in org.alt_labels:
                add((node, SKOS.altLabel, literal(alt, lang="en")))
            for parent in org.part_of:
                whole = named("organisation", parent.organisation)
                add((node, ORG.subOrganizationOf, whole))
                self.cite(node, ORG.subOrganizationOf, whole, parent.sources)
            self.add_sources(node, org.sources)

    def all_different(self, name: str, members: list[ox.NamedNode]) -> None:
        """State that the members of one closed vocabulary are distinct individuals.

        OWL makes no unique-name assumption: without this axiom a reasoner cannot tell that
        image is not text, and the classes defined by "a modality other than text" stay empty.
        The blank nodes are named, so two builds of the same data write the same triples.
        """
        if len(members) < 2:
            return
        axiom = ox.BlankNode(f"alldifferent-{name}")
        self.add((axiom, RDF.type, OWL.AllDifferent))
        self.add((axiom, OWL.members, rdf_list(self.add, f"alldifferent-{name}", members)))

    def catalogue(self) -> None:
        add, f = self.add, self.facts
        for slug, fam in f.families.items():
            node = self.individual(named("family", slug), MMKG.ComponentFamily, fam.name)
            add((node, SKOS.definition, literal(fam.definition, lang="en")))
            for alt in fam.alt_labels:
                add((node, SKOS.altLabel, literal(alt, lang="en")))
            for link in fam.derived_from:
                self.derivation(node, link, "family")
            for parent in fam.sub_family_of:
                wider = named("family", parent.family)
                add((node, MMKG.subFamilyOf, wider))
                self.cite(node, MMKG.subFamilyOf, wider, parent.sources)
            self.add_sources(node, fam.sources)
        for slug, comp in f.components.items():
            node = self.individual(named("component", slug), MMKG.Component, comp.name)
            for role in comp.roles:
                add((node, MMKG.listedInRole, named("role", role)))
            add((node, MMKG.inFamily, named("family", comp.family)))
            for alt in comp.alt_labels:
                add((node, SKOS.altLabel, literal(alt, lang="en")))
            if comp.parameter_count:
                add((node, MMKG.parameterCount, decimal(comp.parameter_count)))
            if comp.patch_size:
                add((node, MMKG.patchSize, literal(comp.patch_size, datatype=XSD.integer)))
            if comp.definition:
                add((node, SKOS.definition, literal(comp.definition, lang="en")))
            for link in comp.derived_from:
                self.derivation(node, link, "component")
            self.add_sources(node, comp.sources)

    def dataset(self, facts: DatasetFacts) -> None:
        add, rec = self.add, facts.record
        node = self.individual(named("dataset", facts.slug), MMKG.Dataset, rec.name)
        for kind in rec.kinds:
            add((node, RDF.type, DATASET_CLASS[kind]))
        self.entry(node, facts)
        for modality in facts.modalities:
            add((node, MMKG.hasInputModality, named("modality", modality)))
        for kind in facts.tuning_types:
            add((node, MMKG.tuningType, literal(kind)))
        if facts.multi_turn is not None:
            add((node, MMKG.isMultiTurn, literal(facts.multi_turn)))
        if facts.source_text:
            add((node, MMKG.dataSourceText, literal(facts.source_text)))
        if facts.method:
            add((node, MMKG.constructionMethod, literal(facts.method)))
        for key, number in facts.counts.items():
            add((node, COUNT_PROPERTY[key], decimal(number)))
        if facts.dialog_turns is not None:
            add((node, MMKG.dialogTurns, decimal(facts.dialog_turns)))
        for link in rec.derived_from:
            self.derivation(node, link, "dataset")

    def model(self, facts: ModelFacts) -> None:
        self.current = defaultdict(list)
        add, rec = self.add, facts.record
        node = self.individual(named("model", facts.slug), MMKG.MultimodalLLM, rec.name)
        self.entry(node, facts)
        self.source_names(node, facts)
        if facts.functional_division:
            add((node, MMKG.hasFunctionalDivision, named("division", facts.functional_division)))
        if facts.design_division:
            add((node, MMKG.hasDesignDivision, named("division", facts.design_division)))
        for modality in facts.input_modalities:
            add((node, MMKG.hasInputModality, named("modality", modality)))
        for modality in facts.output_modalities:
            add((node, MMKG.hasOutputModality, named("modality", modality)))
        if facts.taxonomy_category:
            add((node, MMKG.taxonomyCategory, literal(facts.taxonomy_category)))
        if facts.io_category:
            add((node, MMKG.ioCategory, literal(facts.io_category)))
        if facts.period:
            add((node, MMKG.inTimelinePeriod, named("period", facts.period.slug)))
            if facts.period_confidence:
                self.cite(node, MMKG.inTimelinePeriod, named("period", facts.period.slug), [])
                axiom = axiom_node(node, MMKG.inTimelinePeriod, named("period", facts.period.slug))
                add((axiom, MMKG.readingConfidence, literal(facts.period_confidence)))
        if facts.architecture is not None:
            self.architecture(node, facts)
        if facts.pretraining_scale is not None:
            add((node, MMKG.pretrainingScale, decimal(facts.pretraining_scale)))
        if facts.instruction_tuning_scale is not None:
            add((node, MMKG.instructionTuningScale, decimal(facts.instruction_tuning_scale)))
        if facts.in_house_data:
            add((node, MMKG.scaleIncludesInHouseData, literal(True)))
        if facts.code_url:
            add((node, MMKG.codeUrl, literal(facts.code_url, datatype=XSD.anyURI)))
        for count in facts.parameter_counts:
            add((node, MMKG.releasedSize, decimal(count)))
        for link in rec.derived_from:
            self.derivation(node, link, "model")
        for variant in rec.variants:
            self.variant(node, variant)
        self.cite_model_facts(node, facts)
        self.current = None

    def source_names(self, node: ox.NamedNode, facts: ModelFacts) -> None:
        """The other names the sources give the model, as alternative labels with their source.

        The survey's spellings (Table 1 writes 'IntrenVL', the timeline 'LLaVA-Phi') and the
        model types of the library that implement it, so a search by any of them finds it.
        """
        rec, lib = facts.record, self.facts.library
        names: dict[str, list[SourceRef]] = {}
        for fld, locator in (
            ("table1", "Table 1"),
            ("taxonomy", "Figure 2 (taxonomy)"),
            ("timeline", "timeline figure"),
        ):
            spelling = getattr(rec.survey, fld)
            if spelling:
                names.setdefault(spelling, []).append(SourceRef(source="survey", locator=locator))
        if lib is not None:
            for model_type, entry in sorted(lib.curated.items()):
                if entry.model == facts.slug:
                    names.setdefault(model_type, []).extend(entry.sources)
        known = {rec.name.casefold(), *(a.casefold() for a in rec.alt_labels)}
        for name, refs in names.items():
            if name.casefold() in known:
                continue
            label = literal(name, lang="en")
            self.add((node, SKOS.altLabel, label))
            self.cite(node, SKOS.altLabel, label, refs)

    def variant(self, model: ox.NamedNode, variant: Variant) -> None:
        add = self.add
        node = self.individual(named("variant", variant.slug), MMKG.ModelVariant, variant.name)
        add((model, MMKG.hasVariant, node))
        if variant.llm_backbone:
            add((node, MMKG.hasLLMBackbone, named("component", variant.llm_backbone)))
        if variant.base_variant:
            add((node, MMKG.hasBaseVariant, named("variant", variant.base_variant)))
        for dataset in variant.trained_on:
            add((node, MMKG.trainedOn, named("dataset", dataset)))
        self.add_sources(node, variant.sources)

    def result(self, result: Result) -> None:
        add = self.add
        column = re.sub(r"[^a-z0-9]+", "-", result.column.lower()).strip("-")
        node = named("result", f"{result.variant}/{column}")
        variant = next(
            v for v in self.facts.models[result.model].record.variants if v.slug == result.variant
        )
        self.individual(
            node, MMKG.EvaluationResult, f"{variant.name} on {result.column}: {result.score:g}"
        )
        add((node, MMKG.evaluatesModel, named("variant", result.variant)))
        add((node, MMKG.onBenchmark, named("dataset", result.benchmark)))
        add((node, MMKG.usesMetric, named("metric", result.metric)))
        add((node, MMKG.score, decimal(result.score)))
        add((node, MMKG.trainImagesSeen, literal(result.train_images_seen)))
        add((node, MMKG.reimplemented, literal(result.reimplemented)))
        add((node, MMKG.surveyColumn, literal(result.column)))
        add((node, DCTERMS.source, self.source_iri(result.source)))

    def architecture(self, node: ox.NamedNode, facts: ModelFacts) -> None:
        add = self.add
        assert facts.architecture is not None
        for role, usages in facts.architecture.items():
            role_node = named("role", role)
            if not usages:
                add((node, MMKG.lacksRole, role_node))
                continue
            for n, usage in enumerate(usages, start=1):
                use = named("usage", f"{facts.slug}/{role}/{n}")
                component = self.facts.components[usage.component]
                label = f"{facts.name} {self.facts.roles[role].label.lower()}: {component.name}"
                if usage.modalities:
                    label += " for " + ", ".join(
                        self.facts.modalities[m].label.lower() for m in usage.modalities
                    )
                if usage.resolution:
                    label += f" at {usage.resolution} px"
                if n > 1 and any(
                    u.component == usage.component
                    and u.modalities == usage.modalities
                    and u.resolution == usage.resolution
                    for u in usages[: n - 1]
                ):
                    label += f" ({n})"
                self.individual(use, MMKG.ComponentUsage, label)
                comp_node = named("component", usage.component)
                add((node, MMKG.hasComponentUsage, use))
                add((node, ROLE_PROPERTY[role], comp_node))
                add((use, MMKG.usesComponent, comp_node))
                add((use, MMKG.inRole, role_node))
                for modality in usage.modalities:
                    add((use, MMKG.forModality, named("modality", modality)))
                if usage.resolution:
                    add(
                        (use, MMKG.inputResolution, literal(usage.resolution, datatype=XSD.integer))
                    )
                if usage.verbatim:
                    add((use, MMKG.verbatim, literal(usage.verbatim)))
                add((use, DCTERMS.source, self.source_iri(usage.source)))
