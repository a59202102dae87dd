"""The project's namespaces; its terms form a closed namespace, so a misspelt term raises."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

ONTOLOGY_IRI = "https://w3id.org/mmkg/ontology"
TERMS = ONTOLOGY_IRI + "#"
DATA = "https://w3id.org/mmkg/id/"

ID = Namespace(DATA)
PROV = Namespace("http://www.w3.org/ns/prov#")
ORG = Namespace("http://www.w3.org/ns/org#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
VANN = Namespace("http://purl.org/vocab/vann/")


class MMKG(DefinedNamespace):
    """Terms of the mmkg ontology (ontology/mmkg.ttl declares each one)."""

    _fail = True
    _NS = Namespace(TERMS)

    # classes
    Model: URIRef
    MultimodalLLM: URIRef
    ModelVariant: URIRef
    Component: URIRef
    ModalityEncoder: URIRef
    InputProjector: URIRef
    LLMBackbone: URIRef
    OutputProjector: URIRef
    ModalityGenerator: URIRef
    ComponentFamily: URIRef
    ComponentUsage: URIRef
    ModalityEncoderUsage: URIRef
    ModelWithoutModalityEncoder: URIRef
    InputProjectorUsage: URIRef
    ModelWithoutInputProjector: URIRef
    LLMBackboneUsage: URIRef
    ModelWithoutLLMBackbone: URIRef
    OutputProjectorUsage: URIRef
    ModelWithoutOutputProjector: URIRef
    ModalityGeneratorUsage: URIRef
    ModelWithoutModalityGenerator: URIRef
    listedInRole: URIRef
    ArchitecturalRole: URIRef
    Modality: URIRef
    OutputForm: URIRef
    Division: URIRef
    FunctionalDivision: URIRef
    DesignDivision: URIRef
    Dataset: URIRef
    PretrainingDataset: URIRef
    InstructionTuningDataset: URIRef
    Benchmark: URIRef
    EvaluationResult: URIRef
    Publication: URIRef
    Citation: URIRef
    Implementation: URIRef
    Venue: URIRef
    Organisation: URIRef
    TimelinePeriod: URIRef
    Metric: URIRef
    LinkConfidence: URIRef
    SuggestedLink: URIRef
    NonTextModality: URIRef
    GenerationModel: URIRef
    AnyToAnyModel: URIRef
    MediaModality: URIRef
    QFormerBasedModel: URIRef
    VideoUnderstandingModel: URIRef
    LLaMALineageFamily: URIRef
    LLaMALineageComponent: URIRef
    LLaMABackboneModel: URIRef
    ToolUsingModel: URIRef
    DetailedModel: URIRef

    # object properties: architecture
    hasComponent: URIRef
    hasModalityEncoder: URIRef
    hasInputProjector: URIRef
    hasLLMBackbone: URIRef
    hasOutputProjector: URIRef
    hasModalityGenerator: URIRef
    hasComponentUsage: URIRef
    usesComponent: URIRef
    inRole: URIRef
    forModality: URIRef
    lacksRole: URIRef
    inFamily: URIRef
    # object properties: modalities, divisions, context
    hasInputModality: URIRef
    hasOutputModality: URIRef
    isOutputFormOf: URIRef
    hasFunctionalDivision: URIRef
    hasDesignDivision: URIRef
    hasPublication: URIRef
    publishedAt: URIRef
    developedBy: URIRef
    inTimelinePeriod: URIRef
    hasVariant: URIRef
    evaluatesModel: URIRef
    onBenchmark: URIRef
    usesMetric: URIRef
    trainedOn: URIRef
    hasBaseVariant: URIRef
    # object properties: evolution links; derivations refine prov:wasDerivedFrom and
    # descendsFrom, influences (replicates, isTrendSuccessorOf, inspiredBy) prov:wasInfluencedBy
    isNewVersionOf: URIRef
    fineTunedFrom: URIRef
    initialisedFrom: URIRef
    buildsOn: URIRef
    usesBackbone: URIRef
    replicates: URIRef
    isVariantOf: URIRef
    extendsModalitiesOf: URIRef
    isTrendSuccessorOf: URIRef
    inspiredBy: URIRef
    quantizedFrom: URIRef
    isAdapterOf: URIRef
    mergedFrom: URIRef
    linkConfidence: URIRef
    hasSuggestedLink: URIRef
    suggestedTarget: URIRef
    suggestedProperty: URIRef
    readingConfidence: URIRef
    statedIn: URIRef
    locator: URIRef
    implementsModel: URIRef
    hasSubModel: URIRef
    implementsComponent: URIRef
    subFamilyOf: URIRef
    descendsFrom: URIRef

    # datatype properties
    releaseDate: URIRef
    releaseYear: URIRef
    releaseMonth: URIRef
    venueYear: URIRef
    arxivId: URIRef
    paperUrl: URIRef
    projectUrl: URIRef
    codeUrl: URIRef
    releasedSize: URIRef
    modelType: URIRef
    configClass: URIRef
    modelClass: URIRef
    subModelKey: URIRef
    libraryVersion: URIRef
    affiliationText: URIRef
    taxonomyCategory: URIRef
    ioCategory: URIRef
    pretrainingScale: URIRef
    instructionTuningScale: URIRef
    scaleIncludesInHouseData: URIRef
    inputResolution: URIRef
    verbatim: URIRef
    patchSize: URIRef
    parameterCount: URIRef
    siteCode: URIRef
    rolePosition: URIRef
    periodYear: URIRef
    periodStartMonth: URIRef
    periodEndMonth: URIRef
    itemCount: URIRef
    imageCount: URIRef
    videoCount: URIRef
    audioCount: URIRef
    textCount: URIRef
    pairCount: URIRef
    instanceCount: URIRef
    dialogTurns: URIRef
    isMultiTurn: URIRef
    tuningType: URIRef
    constructionMethod: URIRef
    dataSourceText: URIRef
    ioText: URIRef
    score: URIRef
    trainImagesSeen: URIRef
    reimplemented: URIRef
    surveyColumn: URIRef
    minimumValue: URIRef
    maximumValue: URIRef


def _cache_terms(namespace: type[DefinedNamespace]) -> None:
    """Make each declared term a class attribute, so `MMKG.term` is a dict read.

    A closed namespace otherwise checks the name and makes a new URIRef at every lookup,
    which cost seconds in code that names terms millions of times.
    """
    for name in namespace.__annotations__:
        setattr(namespace, name, namespace[name])


_cache_terms(MMKG)


# The properties that link one model to an earlier one it was derived from: reused
# weights, code, data or design (sub-properties of prov:wasDerivedFrom and descendsFrom).
MODEL_DERIVATION_TERMS = (
    "isNewVersionOf",
    "fineTunedFrom",
    "initialisedFrom",
    "buildsOn",
    "extendsModalitiesOf",
    "quantizedFrom",
    "isAdapterOf",
    "mergedFrom",
)

# The properties that link one model to an earlier one that influenced it without being
# reused (sub-properties of prov:wasInfluencedBy only: never ancestry).
MODEL_INFLUENCE_TERMS = (
    "replicates",
    "isTrendSuccessorOf",
    "inspiredBy",
)

# Every evolution link a source states between two models.
MODEL_LINK_TERMS = MODEL_DERIVATION_TERMS + MODEL_INFLUENCE_TERMS
