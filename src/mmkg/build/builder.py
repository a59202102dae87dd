"""Records + ontology -> one rdflib Graph with stable IRIs; serialisations written atomically."""

from __future__ import annotations

import hashlib
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, XSD

from mmkg.errors import MmkgError, relative
from mmkg.layers import set_full_header
from mmkg.load import (
    DatasetFacts,
    EntryFacts,
    Facts,
    ModelFacts,
    Paper,
    Result,
)
from mmkg.load.facts import SITE_POST_URL
from mmkg.load.library import library_source
from mmkg.namespaces import ID, MMKG, ORG, PROV, SKOS
from mmkg.outputs import canonical_graph, check_output_folder, staged_folder, write_graph
from mmkg.records import Derivation, ModelLink, SourceRef, Variant

__all__ = ["BuildReport", "build_graph", "write_build", "build", "parse_turtle", "SERIALISATIONS"]

SERIALISATIONS = {
    "mmkg.ttl": "turtle",
    "mmkg.owl": "xml",
    "mmkg.nt": "nt",
    "mmkg.jsonld": "json-ld",
}
ROLE_PROPERTY = {
    "modality-encoder": MMKG.hasModalityEncoder,
    "input-projector": MMKG.hasInputProjector,
    "llm-backbone": MMKG.hasLLMBackbone,
    "output-projector": MMKG.hasOutputProjector,
    "modality-generator": MMKG.hasModalityGenerator,
}
#: The properties that carry each model field, for field-level provenance.
FIELD_PROPERTIES = {
    "released": [MMKG.releaseDate, MMKG.releaseYear, MMKG.releaseMonth],
    "paper": [MMKG.hasPublication],
    "project_url": [MMKG.projectUrl],
    "code_url": [MMKG.codeUrl],
    "organisations": [MMKG.developedBy],
    "functional_division": [MMKG.hasFunctionalDivision],
    "design_division": [MMKG.hasDesignDivision],
    "input_modalities": [MMKG.hasInputModality],
    "output_modalities": [MMKG.hasOutputModality],
    "taxonomy_category": [MMKG.taxonomyCategory],
    "period": [MMKG.inTimelinePeriod],
    "pretraining_scale": [MMKG.pretrainingScale],
    "instruction_tuning_scale": [MMKG.instructionTuningScale],
    "parameter_counts": [MMKG.releasedSize],
}
LINK_PROPERTY = {
    "new-version-of": MMKG.isNewVersionOf,
    "fine-tuned-from": MMKG.fineTunedFrom,
    "initialised-from": MMKG.initialisedFrom,
    "builds-on": MMKG.buildsOn,
    "uses-backbone": MMKG.usesBackbone,
    "replicates": MMKG.replicates,
    "is-variant-of": MMKG.isVariantOf,
    "extends-modalities-of": MMKG.extendsModalitiesOf,
    "trend-successor-of": MMKG.isTrendSuccessorOf,
    "inspired-by": MMKG.inspiredBy,
    "quantized-from": MMKG.quantizedFrom,
    "adapter-of": MMKG.isAdapterOf,
    "merged-from": MMKG.mergedFrom,
}
DATASET_CLASS = {
    "pre-training": MMKG.PretrainingDataset,
    "instruction-tuning": MMKG.InstructionTuningDataset,
    "benchmark": MMKG.Benchmark,
}
COUNT_PROPERTY = {
    "item": MMKG.itemCount,
    "text": MMKG.textCount,
    "pair": MMKG.pairCount,
    "instance": MMKG.instanceCount,
    "image": MMKG.imageCount,
    "video": MMKG.videoCount,
    "audio": MMKG.audioCount,
}


def iri(kind: str, slug: str) -> URIRef:
    """The stable IRI of an individual of *kind* with *slug*."""
    return ID[f"{kind}/{slug}"]


@dataclass
class BuildReport:
    """What a build produced: counts per kind, triples, files, time taken, checks' warnings."""

    counts: dict[str, int]
    triples: int
    files: list[Path]
    seconds: float
    warnings: int = 0


def parse_turtle(path: Path, what: str = "ontology") -> Graph:
    """The Turtle file *path* as a graph; a missing or broken file is an MmkgError naming it.

    The message names the file and, for a syntax error, the line and its text.
    """
    from rdflib.plugins.parsers.notation3 import BadSyntax

    file = relative(path)
    try:
        return Graph().parse(path, format="turtle")
    except FileNotFoundError as exc:
        raise MmkgError(f"{file}: no such {what} file") from exc
    except OSError as exc:
        raise MmkgError(f"{file}: the {what} file cannot be read: {exc.strerror or exc}") from exc
    except BadSyntax as exc:
        number = getattr(exc, "lines", None)
        line = number + 1 if isinstance(number, int) else None
        why = getattr(exc, "_why", None) or str(exc).splitlines()[0]
        where = f"{file}, line {line}" if line else file
        text = ""
        if line:
            try:
                text = path.read_text(encoding="utf-8").splitlines()[line - 1].strip()
            except (OSError, UnicodeDecodeError, IndexError):
                text = ""
        near = f"; the line reads: {text[:120]!r}" if text else ""
        raise MmkgError(
            f"{where}: the {what} is not valid Turtle: {why}{near} "
            "(hint: fix the Turtle syntax there, e.g. a missing '.', ';' or closing bracket)"
        ) from exc
    except (SyntaxError, ValueError) as exc:  # e.g. not UTF-8, or a bad IRI
        raise MmkgError(f"{file}: the {what} is not valid Turtle: {exc}") from exc


class _Builder:
    def __init__(self, facts: Facts, ontology: Path) -> None:
        self.facts = facts
        self.g = parse_turtle(ontology, "ontology")
        self.bind()
        self.links: Counter[str] = Counter()
        self.citations: set[URIRef] = set()
        self.entry_names = {
            e.record.name.casefold() for e in (*facts.models.values(), *facts.datasets.values())
        }

    def bind(self) -> None:
        g = self.g
        g.bind("mmkg", str(MMKG))
        g.bind("prov", str(PROV))
        g.bind("skos", str(SKOS))
        g.bind("dcterms", str(DCTERMS))
        g.bind("owl", str(OWL))
        for kind in (
            "model",
            "component",
            "family",
            "organisation",
            "dataset",
            "modality",
            "role",
            "division",
            "venue",
            "publication",
            "period",
            "usage",
        ):
            g.bind(kind, str(ID) + kind + "/")

    # small helpers ----------------------------------------------------------

    def individual(self, node: URIRef, cls: URIRef, label: str) -> URIRef:
        self.g.add((node, RDF.type, OWL.NamedIndividual))
        self.g.add((node, RDF.type, cls))
        self.g.add((node, RDFS.label, Literal(label, lang="en")))
        return node

    def source_iri(self, ref: SourceRef) -> URIRef:
        if ref.source == "mm-llms-site" and ref.locator and ref.locator.startswith("posts/"):
            post = ref.locator.removeprefix("posts/").removesuffix(".md")
            return URIRef(SITE_POST_URL.format(post=post))
        return URIRef(self.facts.sources[ref.source].url)

    def add_sources(self, node: URIRef, refs: list[SourceRef]) -> None:
        for ref in refs:
            self.g.add((node, DCTERMS.source, self.source_iri(ref)))

    def citation(self, ref: SourceRef) -> URIRef:
        """The citation individual of one place in one source document (made once)."""
        locator = ref.locator or ""
        key = re.sub(r"[^a-z0-9]+", "-", locator.lower()).strip("-")[:60] or "document"
        digest = hashlib.sha1(locator.encode("utf-8")).hexdigest()[:8]
        node = iri("citation", f"{ref.source}/{key}-{digest}")
        if node not in self.citations:
            self.citations.add(node)
            doc = self.facts.sources[ref.source]
            self.individual(node, MMKG.Citation, f"{doc.slug}: {locator}" if locator else doc.slug)
            self.g.add((node, DCTERMS.source, self.source_iri(ref)))
            if locator:
                self.g.add((node, MMKG.locator, Literal(locator)))
        return node

    def cite(self, node: URIRef, prop: URIRef, target: Any, refs: list[SourceRef]) -> None:
        """Annotate the asserted triple (node, prop, target) with the places that state it."""
        axiom = _axiom_node(node, prop, target)
        self.g.add((axiom, RDF.type, OWL.Axiom))
        self.g.add((axiom, OWL.annotatedSource, node))
        self.g.add((axiom, OWL.annotatedProperty, prop))
        self.g.add((axiom, OWL.annotatedTarget, target))
        for ref in refs:
            self.g.add((axiom, MMKG.statedIn, self.citation(ref)))

    def cite_model_facts(self, node: URIRef, facts: ModelFacts) -> None:
        """Field-level provenance: every asserted fact of a model cites its sources."""
        g = self.g
        for fld, refs in facts.provenance.items():
            if fld in ROLE_PROPERTY:
                for use in g.objects(node, MMKG.hasComponentUsage):
                    if (use, MMKG.inRole, iri("role", fld)) in g:
                        for ref in refs:
                            g.add((use, MMKG.statedIn, self.citation(ref)))
                if (node, MMKG.lacksRole, iri("role", fld)) in g:
                    self.cite(node, MMKG.lacksRole, iri("role", fld), refs)
                continue
            if fld == "venue":
                subjects = list(g.objects(node, MMKG.hasPublication))
                props = [MMKG.publishedAt, MMKG.venueYear]
            else:
                subjects, props = [node], FIELD_PROPERTIES[fld]
            for subject in subjects:
                for prop in props:
                    for target in list(g.objects(subject, prop)):
                        self.cite(subject, prop, target, refs)

    def derivation(self, node: URIRef, link: Derivation | ModelLink, kind: str) -> None:
        """An evolution link as a cited axiom; one suggested only by names is kept apart."""
        prop = LINK_PROPERTY[link.kind]
        target = iri(kind, link.target)
        if isinstance(link, ModelLink) and link.confidence == "name":
            self.suggested_link(node, prop, target, link)
            return
        self.g.add((node, prop, target))
        axiom = _axiom_node(node, prop, target)
        self.g.add((axiom, RDF.type, OWL.Axiom))
        self.g.add((axiom, OWL.annotatedSource, node))
        self.g.add((axiom, OWL.annotatedProperty, prop))
        self.g.add((axiom, OWL.annotatedTarget, target))
        for ref in link.sources:
            self.g.add((axiom, DCTERMS.source, self.source_iri(ref)))
        if link.note:
            self.g.add((axiom, SKOS.note, Literal(link.note, lang="en")))
        if isinstance(link, ModelLink):
            self.g.add((axiom, MMKG.linkConfidence, ID[f"confidence/{link.confidence}"]))
        self.links[kind] += 1

    def suggested_link(self, node: URIRef, prop: URIRef, target: URIRef, link: ModelLink) -> None:
        """A link only the names suggest: its own individual, never the link's triple."""
        later = node.rsplit("/", 1)[-1]
        names = self.facts.models
        suggestion = self.individual(
            iri("suggested-link", f"{later}--{link.kind}--{link.target}"),
            MMKG.SuggestedLink,
            f"{names[later].record.name} {link.kind.replace('-', ' ')} "
            f"{names[link.target].record.name}? (suggested by the names)",
        )
        self.g.add((node, MMKG.hasSuggestedLink, suggestion))
        self.g.add((suggestion, MMKG.suggestedTarget, target))
        self.g.add((suggestion, MMKG.suggestedProperty, prop))
        self.g.add((suggestion, MMKG.linkConfidence, ID["confidence/name"]))
        for ref in link.sources:
            self.g.add((suggestion, DCTERMS.source, self.source_iri(ref)))
        if link.note:
            self.g.add((suggestion, SKOS.note, Literal(link.note, lang="en")))
        self.links["suggested"] += 1

    def publication(self, paper: Paper) -> URIRef:
        key = paper.arxiv_id or re.sub(r"[^a-z0-9]+", "-", paper.url.lower().split("//", 1)[-1])
        node = iri("publication", key.strip("-"))
        label = paper.title or f"Paper at {paper.url}"
        if label.casefold() in self.entry_names:  # one label, one entity (ROBOT duplicate_label)
            label = f"{label} (publication)"
        self.individual(node, MMKG.Publication, label)
        if paper.title:
            self.g.add((node, DCTERMS.title, Literal(paper.title, lang="en")))
        self.g.add((node, MMKG.paperUrl, Literal(paper.url, datatype=XSD.anyURI)))
        if paper.arxiv_id:
            self.g.add((node, MMKG.arxivId, Literal(paper.arxiv_id)))
        return node

    def entry(self, node: URIRef, facts: EntryFacts) -> None:
        """What models and datasets share: labels, release, paper, links, notes, sources."""
        g, rec = self.g, facts.record
        for alt in rec.alt_labels:
            g.add((node, SKOS.altLabel, Literal(alt, lang="en")))
        if rec.description:
            g.add((node, DCTERMS.description, Literal(rec.description, lang="en")))
        if facts.io_text:
            g.add((node, MMKG.ioText, Literal(facts.io_text)))
        for note in facts.notes:
            g.add((node, SKOS.editorialNote, Literal(note, lang="en")))
        self.add_sources(node, facts.sources)
        if facts.released and getattr(facts, "released_precision", "day") == "day":
            g.add(
                (node, MMKG.releaseDate, Literal(facts.released.isoformat(), datatype=XSD.dateTime))
            )
        if facts.released:
            g.add((node, MMKG.releaseYear, Literal(facts.released.year, datatype=XSD.integer)))
            g.add((node, MMKG.releaseMonth, Literal(facts.released.month, datatype=XSD.integer)))
        if facts.paper:
            pub = self.publication(facts.paper)
            g.add((node, MMKG.hasPublication, pub))
            if facts.venue:
                g.add((pub, MMKG.publishedAt, iri("venue", facts.venue)))
            if facts.venue_year:
                g.add((pub, MMKG.venueYear, Literal(facts.venue_year, datatype=XSD.integer)))
        if facts.project_url:
            g.add((node, MMKG.projectUrl, Literal(facts.project_url, datatype=XSD.anyURI)))
        if facts.affiliation:
            g.add((node, MMKG.affiliationText, Literal(facts.affiliation)))
        for org in facts.organisations:
            g.add((node, MMKG.developedBy, iri("organisation", org)))

    # the parts ------------------------------------------------------------

    def build(self) -> Graph:
        self.vocabularies()
        self.catalogue()
        for facts in self.facts.datasets.values():
            self.dataset(facts)
        for facts in self.facts.models.values():
            self.model(facts)
        for result in self.facts.results:
            self.result(result)
        self.implementations()
        set_full_header(self.g)
        return self.g

    def implementations(self) -> None:
        """The transformers model types the curation links to models, and their parts."""
        lib = self.facts.library
        if lib is None or lib.library is None:
            return
        g, version = self.g, lib.library.version
        library_ref = library_source(lib)
        made: set[str] = set()

        def implementation(model_type: str) -> URIRef:
            node = iri("implementation", f"transformers/{model_type}")
            if model_type in made:
                return node
            made.add(model_type)
            raw = lib.types[model_type]
            self.individual(node, MMKG.Implementation, f"transformers {model_type}")
            g.add((node, MMKG.modelType, Literal(model_type)))
            g.add((node, MMKG.configClass, Literal(raw.config_class)))
            g.add((node, MMKG.libraryVersion, Literal(version)))
            for name in raw.model_classes:
                g.add((node, MMKG.modelClass, Literal(name)))
            for sub in raw.sub_models:
                if sub.model_type:
                    g.add((node, MMKG.subModelKey, Literal(f"{sub.key}={sub.model_type}")))
                    if sub.model_type in lib.types:
                        g.add((node, MMKG.hasSubModel, implementation(sub.model_type)))
            g.add((node, MMKG.statedIn, self.citation(library_ref)))
            if model_type in lib.submodels:
                g.add((node, MMKG.implementsComponent, self.library_component(model_type)))
            return node

        for model_type, entry in sorted(lib.curated.items()):
            if entry.model is None:
                continue
            node = implementation(model_type)
            g.add((node, MMKG.implementsModel, iri("model", entry.model)))
            self.cite(node, MMKG.implementsModel, iri("model", entry.model), entry.sources)

    def library_component(self, model_type: str) -> URIRef:
        """The catalogue component a curated sub-model type of the library is."""
        entry = self.facts.library.submodels[model_type]
        node = self.individual(
            iri("component", f"transformers/{model_type}"), MMKG.Component, entry.name
        )
        self.g.add((node, MMKG.listedInRole, iri("role", entry.role)))
        family = iri("family", entry.family)
        self.g.add((node, MMKG.inFamily, family))
        self.cite(node, MMKG.inFamily, family, entry.sources)
        self.add_sources(node, entry.sources)
        return node

    def vocabularies(self) -> None:
        g, f = self.g, self.facts
        for m in f.metrics.values():
            node = self.individual(iri("metric", m.slug), MMKG.Metric, m.label)
            g.add((node, SKOS.definition, Literal(m.definition, lang="en")))
            g.add((node, MMKG.minimumValue, _decimal(m.minimum)))
            if m.maximum is not None:
                g.add((node, MMKG.maximumValue, _decimal(m.maximum)))
        for m in f.modalities.values():
            node = self.individual(iri("modality", m.slug), MMKG.Modality, m.label)
            g.add((node, SKOS.definition, Literal(m.definition, lang="en")))
            for code in m.site_codes:
                g.add((node, MMKG.siteCode, Literal(code)))
            if m.output_form_of:
                g.add((node, RDF.type, MMKG.OutputForm))
                g.add((node, MMKG.isOutputFormOf, iri("modality", m.output_form_of)))
            for alt in m.alt_labels:
                g.add((node, SKOS.altLabel, Literal(alt, lang="en")))
        for r in f.roles.values():
            node = self.individual(iri("role", r.slug), MMKG.ArchitecturalRole, r.label)
            g.add((node, SKOS.definition, Literal(r.definition, lang="en")))
            g.add((node, MMKG.rolePosition, Literal(r.position, datatype=XSD.integer)))
        for d in f.divisions.values():
            cls = MMKG.FunctionalDivision if d.axis == "functional" else MMKG.DesignDivision
            node = self.individual(iri("division", d.slug), cls, d.label)
            g.add((node, SKOS.definition, Literal(d.definition, lang="en")))
        self.all_different("modalities", [iri("modality", m) for m in f.modalities])
        self.all_different("roles", [iri("role", r) for r in f.roles])
        self.all_different("divisions", [iri("division", d) for d in f.divisions])
        for v in f.venues.values():
            node = self.individual(iri("venue", v.slug), MMKG.Venue, v.label)
            g.add((node, SKOS.definition, Literal(v.definition, lang="en")))
        for p in f.periods.values():
            node = self.individual(
                iri("period", p.slug), MMKG.TimelinePeriod, f"Timeline period {p.label}"
            )
            g.add((node, MMKG.periodYear, Literal(p.year, datatype=XSD.integer)))
            g.add((node, MMKG.periodStartMonth, Literal(p.start_month, datatype=XSD.integer)))
            g.add((node, MMKG.periodEndMonth, Literal(p.end_month, datatype=XSD.integer)))
        for slug, org in f.organisations.items():
            node = self.individual(iri("organisation", slug), MMKG.Organisation, org.name)
            for alt in org.alt_labels:
                g.add((node, SKOS.altLabel, Literal(alt, lang="en")))
            for parent in org.part_of:
                whole = iri("organisation", parent.organisation)
                g.add((node, ORG.subOrganizationOf, whole))
                self.cite(node, ORG.subOrganizationOf, whole, parent.sources)
            self.add_sources(node, org.sources)

    def all_different(self, name: str, members: list[URIRef]) -> None:
        """State that the members of one closed vocabulary are distinct individuals.

        OWL makes no unique-name assumption: without this axiom a reasoner cannot tell that
        image is not text, and the classes defined by "a modality other than text" stay empty.
        The blank nodes are named, so two builds of the same data write the same triples.
        """
        if len(members) < 2:
            return
        axiom = BNode(f"alldifferent-{name}")
        self.g.add((axiom, RDF.type, OWL.AllDifferent))
        self.g.add((axiom, OWL.members, _rdf_list(self.g, f"alldifferent-{name}", members)))

    def catalogue(self) -> None:
        g, f = self.g, self.facts
        for slug, fam in f.families.items():
            node = self.individual(iri("family", slug), MMKG.ComponentFamily, fam.name)
            g.add((node, SKOS.definition, Literal(fam.definition, lang="en")))
            for alt in fam.alt_labels:
                g.add((node, SKOS.altLabel, Literal(alt, lang="en")))
            for link in fam.derived_from:
                self.derivation(node, link, "family")
            for parent in fam.sub_family_of:
                wider = iri("family", parent.family)
                g.add((node, MMKG.subFamilyOf, wider))
                self.cite(node, MMKG.subFamilyOf, wider, parent.sources)
            self.add_sources(node, fam.sources)
        for slug, comp in f.components.items():
            node = self.individual(iri("component", slug), MMKG.Component, comp.name)
            for role in comp.roles:
                g.add((node, MMKG.listedInRole, iri("role", role)))
            g.add((node, MMKG.inFamily, iri("family", comp.family)))
            for alt in comp.alt_labels:
                g.add((node, SKOS.altLabel, Literal(alt, lang="en")))
            if comp.parameter_count:
                g.add((node, MMKG.parameterCount, _decimal(comp.parameter_count)))
            if comp.patch_size:
                g.add((node, MMKG.patchSize, Literal(comp.patch_size, datatype=XSD.integer)))
            if comp.definition:
                g.add((node, SKOS.definition, Literal(comp.definition, lang="en")))
            for link in comp.derived_from:
                self.derivation(node, link, "component")
            self.add_sources(node, comp.sources)

    def dataset(self, facts: DatasetFacts) -> None:
        g, rec = self.g, facts.record
        node = self.individual(iri("dataset", facts.slug), MMKG.Dataset, rec.name)
        for kind in rec.kinds:
            g.add((node, RDF.type, DATASET_CLASS[kind]))
        self.entry(node, facts)
        for modality in facts.modalities:
            g.add((node, MMKG.hasInputModality, iri("modality", modality)))
        for kind in facts.tuning_types:
            g.add((node, MMKG.tuningType, Literal(kind)))
        if facts.multi_turn is not None:
            g.add((node, MMKG.isMultiTurn, Literal(facts.multi_turn)))
        if facts.source_text:
            g.add((node, MMKG.dataSourceText, Literal(facts.source_text)))
        if facts.method:
            g.add((node, MMKG.constructionMethod, Literal(facts.method)))
        for key, number in facts.counts.items():
            g.add((node, COUNT_PROPERTY[key], _decimal(number)))
        if facts.dialog_turns is not None:
            g.add((node, MMKG.dialogTurns, _decimal(facts.dialog_turns)))
        for link in rec.derived_from:
            self.derivation(node, link, "dataset")

    def model(self, facts: ModelFacts) -> None:
        g, rec = self.g, facts.record
        node = self.individual(iri("model", facts.slug), MMKG.MultimodalLLM, rec.name)
        self.entry(node, facts)
        self.source_names(node, facts)
        if facts.functional_division:
            g.add((node, MMKG.hasFunctionalDivision, iri("division", facts.functional_division)))
        if facts.design_division:
            g.add((node, MMKG.hasDesignDivision, iri("division", facts.design_division)))
        for modality in facts.input_modalities:
            g.add((node, MMKG.hasInputModality, iri("modality", modality)))
        for modality in facts.output_modalities:
            g.add((node, MMKG.hasOutputModality, iri("modality", modality)))
        if facts.taxonomy_category:
            g.add((node, MMKG.taxonomyCategory, Literal(facts.taxonomy_category)))
        if facts.io_category:
            g.add((node, MMKG.ioCategory, Literal(facts.io_category)))
        if facts.period:
            g.add((node, MMKG.inTimelinePeriod, iri("period", facts.period.slug)))
            if facts.period_confidence:
                self.cite(node, MMKG.inTimelinePeriod, iri("period", facts.period.slug), [])
                axiom = _axiom_node(node, MMKG.inTimelinePeriod, iri("period", facts.period.slug))
                g.add((axiom, MMKG.readingConfidence, Literal(facts.period_confidence)))
        if facts.architecture is not None:
            self.architecture(node, facts)
        if facts.pretraining_scale is not None:
            g.add((node, MMKG.pretrainingScale, _decimal(facts.pretraining_scale)))
        if facts.instruction_tuning_scale is not None:
            g.add((node, MMKG.instructionTuningScale, _decimal(facts.instruction_tuning_scale)))
        if facts.in_house_data:
            g.add((node, MMKG.scaleIncludesInHouseData, Literal(True)))
        if facts.code_url:
            g.add((node, MMKG.codeUrl, Literal(facts.code_url, datatype=XSD.anyURI)))
        for count in facts.parameter_counts:
            g.add((node, MMKG.releasedSize, _decimal(count)))
        for link in rec.derived_from:
            self.derivation(node, link, "model")
        for variant in rec.variants:
            self.variant(node, variant)
        self.cite_model_facts(node, facts)

    def source_names(self, node: URIRef, facts: ModelFacts) -> None:
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
            label = Literal(name, lang="en")
            self.g.add((node, SKOS.altLabel, label))
            self.cite(node, SKOS.altLabel, label, refs)

    def variant(self, model: URIRef, variant: Variant) -> None:
        g = self.g
        node = self.individual(iri("variant", variant.slug), MMKG.ModelVariant, variant.name)
        g.add((model, MMKG.hasVariant, node))
        if variant.llm_backbone:
            g.add((node, MMKG.hasLLMBackbone, iri("component", variant.llm_backbone)))
        if variant.base_variant:
            g.add((node, MMKG.hasBaseVariant, iri("variant", variant.base_variant)))
        for dataset in variant.trained_on:
            g.add((node, MMKG.trainedOn, iri("dataset", dataset)))
        self.add_sources(node, variant.sources)

    def result(self, result: Result) -> None:
        g = self.g
        column = re.sub(r"[^a-z0-9]+", "-", result.column.lower()).strip("-")
        node = iri("result", f"{result.variant}/{column}")
        variant = next(
            v for v in self.facts.models[result.model].record.variants if v.slug == result.variant
        )
        self.individual(
            node, MMKG.EvaluationResult, f"{variant.name} on {result.column}: {result.score:g}"
        )
        g.add((node, MMKG.evaluatesModel, iri("variant", result.variant)))
        g.add((node, MMKG.onBenchmark, iri("dataset", result.benchmark)))
        g.add((node, MMKG.usesMetric, iri("metric", result.metric)))
        g.add((node, MMKG.score, _decimal(result.score)))
        g.add((node, MMKG.trainImagesSeen, Literal(result.train_images_seen)))
        g.add((node, MMKG.reimplemented, Literal(result.reimplemented)))
        g.add((node, MMKG.surveyColumn, Literal(result.column)))
        g.add((node, DCTERMS.source, self.source_iri(result.source)))

    def architecture(self, node: URIRef, facts: ModelFacts) -> None:
        g = self.g
        assert facts.architecture is not None
        for role, usages in facts.architecture.items():
            role_node = iri("role", role)
            if not usages:
                g.add((node, MMKG.lacksRole, role_node))
                continue
            for n, usage in enumerate(usages, start=1):
                use = iri("usage", f"{facts.slug}/{role}/{n}")
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
                comp_node = iri("component", usage.component)
                g.add((node, MMKG.hasComponentUsage, use))
                g.add((node, ROLE_PROPERTY[role], comp_node))
                g.add((use, MMKG.usesComponent, comp_node))
                g.add((use, MMKG.inRole, role_node))
                for modality in usage.modalities:
                    g.add((use, MMKG.forModality, iri("modality", modality)))
                if usage.resolution:
                    g.add(
                        (use, MMKG.inputResolution, Literal(usage.resolution, datatype=XSD.integer))
                    )
                if usage.verbatim:
                    g.add((use, MMKG.verbatim, Literal(usage.verbatim)))
                g.add((use, DCTERMS.source, self.source_iri(usage.source)))


def _axiom_node(node: URIRef, prop: URIRef, target: Any) -> BNode:
    """The blank node of the axiom annotating one triple, named from the triple.

    A fixed name makes two builds of the same data write the same N-Triples, and lets
    sources that annotate one triple share one axiom.
    """
    key = f"{node.n3()} {prop.n3()} {target.n3()}".encode()
    return BNode("ax" + hashlib.sha1(key).hexdigest())


def _rdf_list(graph: Graph, name: str, items: list[URIRef]) -> BNode:
    """An rdf:List of *items* whose cells are blank nodes named after *name* and position."""
    rest: URIRef | BNode = RDF.nil
    for position in reversed(range(len(items))):
        cell = BNode(f"{name}-{position}")
        graph.add((cell, RDF.first, items[position]))
        graph.add((cell, RDF.rest, rest))
        rest = cell
    return rest  # type: ignore[return-value]


def _decimal(number: float) -> Literal:
    # the canonical lexical form (XSD 1.1: '9000.0', '1.5'), as Turtle writes a decimal, so
    # that the RDF/XML and Turtle files of one ontology hold the very same literals
    text = f"{number:.6f}".rstrip("0")
    return Literal(text + "0" if text.endswith(".") else text, datatype=XSD.decimal)


def build_graph(facts: Facts, ontology: Path) -> tuple[Graph, dict[str, int]]:
    """Turn loaded facts and the ontology into one graph; return it with counts per kind."""
    unmapped = sorted(set(facts.link_kinds) - set(LINK_PROPERTY))
    if unmapped:
        raise MmkgError(
            f"data/vocab/link-kinds.yaml: record '{unmapped[0]}', field 'slug': the link kind "
            "has no property of the ontology to state it with (hint: add the property to "
            "ontology/mmkg.ttl and the kind to LINK_PROPERTY in mmkg.build, or remove it)"
        )
    builder = _Builder(facts, ontology)
    graph = builder.build()
    types = Counter(o for o in graph.objects(None, RDF.type))
    counts = {
        "models": types[MMKG.MultimodalLLM],
        "detailed models": sum(1 for m in facts.models.values() if m.architecture is not None),
        "variants": types[MMKG.ModelVariant],
        "components": types[MMKG.Component],
        "component families": types[MMKG.ComponentFamily],
        "component usages": types[MMKG.ComponentUsage],
        "datasets": types[MMKG.Dataset],
        "organisations": types[MMKG.Organisation],
        "publications": types[MMKG.Publication],
        "evaluation results": types[MMKG.EvaluationResult],
        "evolution links (model to model)": builder.links["model"],
        "links suggested only by the names": builder.links["suggested"],
        "derivation links (components, families, datasets)": builder.links["component"]
        + builder.links["family"]
        + builder.links["dataset"],
    }
    return graph, counts


def write_build(graph: Graph, out_dir: Path) -> list[Path]:
    """Serialise *graph* into *out_dir*, replacing it only once every file is written."""
    canonical = canonical_graph(graph)
    with staged_folder(out_dir, "build", carry_over=True) as staging:
        for name, fmt in SERIALISATIONS.items():
            write_graph(canonical, staging / name, fmt)
    return [out_dir.resolve() / name for name in SERIALISATIONS]


def build(
    data_dir: Path,
    ontology: Path,
    out_dir: Path,
    shapes: Path | None = None,
    queries_dir: Path | None = None,
) -> BuildReport:
    """Load the data, build the graph, run every check of `mmkg validate`, write the files.

    The checks are those of :func:`mmkg.validate.validate`, run on the graph before it is
    written: a build never writes a graph that validation rejects, and on any error the
    previous output stays as it was.
    """
    from mmkg.validate import checked_build  # mmkg.validate imports this module

    start = time.perf_counter()
    check_output_folder(out_dir, "build")  # before the work, not only before the swap
    graph, counts, report = checked_build(data_dir, ontology, shapes, queries_dir)
    files = write_build(graph, out_dir)
    return BuildReport(counts, len(graph), files, time.perf_counter() - start, len(report.warnings))
