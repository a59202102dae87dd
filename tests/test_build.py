"""The built graph: every model, the detailed architectures, the files, atomic writes."""

from __future__ import annotations

from pathlib import Path

import owlready2
import pyoxigraph
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from expected import MODELS
from mmkg.build import SERIALISATIONS, build, iri
from mmkg.errors import DataError
from mmkg.load import Facts
from mmkg.namespaces import MMKG, PROV
from mmkg.paths import ONTOLOGY_FILE

ROLE_PROPERTIES = {
    "modality-encoder": MMKG.hasModalityEncoder,
    "input-projector": MMKG.hasInputProjector,
    "llm-backbone": MMKG.hasLLMBackbone,
    "output-projector": MMKG.hasOutputProjector,
    "modality-generator": MMKG.hasModalityGenerator,
}
NONE: set[str] = set()

# The exact components per role, as the survey's Table 1 and the website give them.
EXPECTED_ARCHITECTURES = {
    "flamingo": {
        "modality-encoder": {"nfnet-f6"},
        "input-projector": {"cross-attention"},
        "llm-backbone": {"chinchilla-1.4b", "chinchilla-7b", "chinchilla-70b"},
        "output-projector": NONE,
        "modality-generator": NONE,
    },
    "blip-2": {
        "modality-encoder": {"clip-vit", "eva-clip-vit"},
        "input-projector": {"q-former-linear-projector"},
        "llm-backbone": {"flan-t5", "opt"},
        "output-projector": NONE,
        "modality-generator": NONE,
    },
    "llava": {
        "modality-encoder": {"clip-vit-l-14"},
        "input-projector": {"linear-projector"},
        "llm-backbone": {"vicuna-7b", "vicuna-13b"},
        "output-projector": NONE,
        "modality-generator": NONE,
    },
    "minigpt-4": {
        "modality-encoder": {"eva-clip-vit-g-14"},
        "input-projector": {"q-former-linear-projector"},
        "llm-backbone": {"vicuna-13b"},
        "output-projector": NONE,
        "modality-generator": NONE,
    },
    "x-llm": {
        "modality-encoder": {"vit-g", "c-former"},
        "input-projector": {"q-former-linear-projector"},
        "llm-backbone": {"chatglm-6b"},
        "output-projector": NONE,
        "modality-generator": NONE,
    },
    "next-gpt": {
        "modality-encoder": {"imagebind"},
        "input-projector": {"linear-projector"},
        "llm-backbone": {"vicuna-7b"},
        "output-projector": {"tiny-transformer"},
        "modality-generator": {"stable-diffusion", "zeroscope", "audioldm"},
    },
    "qwen-vl": {
        "modality-encoder": {"vit-init-openclip-vit-bigg"},
        "input-projector": {"cross-attention"},
        "llm-backbone": {"qwen-7b"},
        "output-projector": NONE,
        "modality-generator": NONE,
    },
    "llava-1.5": {
        "modality-encoder": {"clip-vit-l"},
        "input-projector": {"mlp"},
        "llm-backbone": {"vicuna-v1.5-7b", "vicuna-v1.5-13b"},
        "output-projector": NONE,
        "modality-generator": NONE,
    },
    "codi-2": {
        "modality-encoder": {"imagebind"},
        "input-projector": {"mlp"},
        "llm-backbone": {"llama-2-chat-7b"},
        "output-projector": {"mlp"},
        "modality-generator": {"stable-diffusion-2.1", "zeroscope-v2", "audioldm-2"},
    },
    "minigpt-5": {
        "modality-encoder": {"eva-clip-vit-g-14"},
        "input-projector": {"q-former-linear-projector"},
        "llm-backbone": {"vicuna-7b"},
        "output-projector": {"tiny-transformer-mlp"},
        "modality-generator": {"stable-diffusion-2"},
    },
    "vila": {
        "modality-encoder": {"vit"},
        "input-projector": {"linear-projector"},
        "llm-backbone": {"llama-2-7b", "llama-2-13b"},
        "output-projector": NONE,
        "modality-generator": NONE,
    },
    "cogvlm": {
        "modality-encoder": {"eva-2-clip-vit"},
        "input-projector": {"mlp"},
        "llm-backbone": {"vicuna-v1.5-7b"},
        "output-projector": NONE,
        "modality-generator": NONE,
    },
}


def _slugs(graph: Graph, subject: URIRef, prop: URIRef) -> set[str]:
    return {str(o).rsplit("/", 1)[-1] for o in graph.objects(subject, prop)}


@pytest.mark.parametrize("model", sorted(EXPECTED_ARCHITECTURES))
def test_exact_components(graph: Graph, model: str) -> None:
    node = iri("model", model)
    for role, expected in EXPECTED_ARCHITECTURES[model].items():
        assert _slugs(graph, node, ROLE_PROPERTIES[role]) == expected, role
        lacks = (node, MMKG.lacksRole, iri("role", role)) in graph
        assert lacks == (not expected), f"{model} {role}: explicit none"


def test_per_modality_usage_in_graph(graph: Graph) -> None:
    rows = graph.query(
        """SELECT ?component ?modality WHERE {
             ?model mmkg:hasComponentUsage ?use . ?use mmkg:usesComponent ?component ;
               mmkg:inRole ?role ; mmkg:forModality ?modality .
             FILTER(?role = <https://w3id.org/mmkg/id/role/modality-encoder>) }""",
        initNs={"mmkg": MMKG._NS},
        initBindings={"model": iri("model", "x-llm")},
    )
    found = {(str(c).rsplit("/", 1)[-1], str(m).rsplit("/", 1)[-1]) for c, m in rows}
    assert found == {("vit-g", "image"), ("vit-g", "video"), ("c-former", "audio")}


def test_resolution_is_kept_on_the_usage(graph: Graph) -> None:
    uses = list(graph.objects(iri("model", "llava-1.5"), MMKG.hasComponentUsage))
    resolutions = {int(r) for u in uses for r in graph.objects(u, MMKG.inputResolution)}
    assert resolutions == {336}


def test_every_usage_read_from_a_table_or_post_keeps_its_text(graph: Graph) -> None:
    # the shape allows a usage without mmkg:verbatim (a source's structured statement has
    # no text); every usage read from the survey's tables or a website post keeps its text
    read = [
        use
        for use in graph.subjects(RDF.type, MMKG.ComponentUsage)
        if any(
            "arxiv.org/abs/2401.13601" in str(src) or "mm-llms.github.io" in str(src)
            for src in graph.objects(use, DCTERMS.source)
        )
    ]
    assert len(read) > 150  # 187 today
    assert [u for u in read if (u, MMKG.verbatim, None) not in graph] == []


def test_every_model_has_modalities_and_divisions(graph: Graph, facts: Facts) -> None:
    models = set(graph.subjects(RDF.type, MMKG.MultimodalLLM))
    assert len(models) == len(facts.models) == MODELS
    # the divisions are the survey's and its website's: models from other sources may lack them
    surveyed = {s for s, m in facts.models.items() if m.post or m.taxonomy_category or m.period}
    assert len(surveyed) == 155
    # modalities: every model whose sources state them; the rest are data gaps (cq-15)
    stated = {s for s, m in facts.models.items() if m.input_modalities and m.output_modalities}
    assert surveyed <= stated and len(models) - len(stated) == 1  # nemotron-3.5-transcribe
    for model in models:
        if str(model).rsplit("/", 1)[-1] in stated:
            assert (model, MMKG.hasInputModality, None) in graph, model
            assert (model, MMKG.hasOutputModality, None) in graph, model
        else:
            assert (model, MMKG.hasInputModality, None) not in graph, model
        if str(model).rsplit("/", 1)[-1] not in surveyed:
            continue
        assert (model, MMKG.hasFunctionalDivision, None) in graph or str(model).endswith(
            tuple(s for s, m in facts.models.items() if m.functional_division is None)
        ), model
        assert (model, MMKG.hasDesignDivision, None) in graph, model
        assert (model, RDFS.label, None) in graph


def test_detailed_models_fill_all_five_roles(graph: Graph, facts: Facts) -> None:
    detailed = [s for s, m in facts.models.items() if m.architecture is not None]
    assert len(detailed) == 44
    assert "internvl" in detailed and "skyeyegpt" in detailed
    for slug in detailed:
        node = iri("model", slug)
        for role, prop in ROLE_PROPERTIES.items():
            has = (node, prop, None) in graph
            lacks = (node, MMKG.lacksRole, iri("role", role)) in graph
            assert has != lacks, f"{slug} {role}: needs a component or an explicit none"


def test_model_facts_in_graph(graph: Graph) -> None:
    llava = iri("model", "llava")
    assert {str(o) for o in graph.objects(llava, MMKG.developedBy)} == {
        str(iri("organisation", s))
        for s in ("university-of-wisconsin-madison", "microsoft-research", "columbia-university")
    }
    pub = next(graph.objects(llava, MMKG.hasPublication))
    assert str(next(graph.objects(pub, MMKG.arxivId))) == "2304.08485"
    assert (pub, MMKG.publishedAt, iri("venue", "neurips")) in graph
    assert int(next(graph.objects(pub, MMKG.venueYear))) == 2023
    assert str(next(graph.objects(llava, MMKG.releaseDate))).startswith("2023-04-17T00:00:00")
    assert (llava, MMKG.inTimelinePeriod, iri("period", "2023-03-04")) in graph


def test_component_derivations_carry_sources(graph: Graph) -> None:
    assert (iri("family", "vicuna"), MMKG.fineTunedFrom, iri("family", "llama")) in graph
    axioms = graph.query(
        """SELECT ?source WHERE { ?a owl:annotatedSource ?s ; owl:annotatedProperty ?p ;
             owl:annotatedTarget ?t ; dcterms:source ?source }""",
        initBindings={
            "s": iri("family", "vicuna"),
            "p": MMKG.fineTunedFrom,
            "t": iri("family", "llama"),
        },
    )
    assert [str(r[0]) for r in axioms] == ["https://arxiv.org/abs/2401.13601v5"]


def test_serialisations_parse_with_rdflib_and_oxigraph(built: tuple) -> None:
    graph, _, out = built
    for name, fmt in SERIALISATIONS.items():
        reparsed = Graph().parse(out / name, format=fmt)
        assert len(reparsed) == len(graph), name
    store = pyoxigraph.Store()
    store.load(path=str(out / "mmkg.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(graph)
    count = store.query(
        "SELECT (COUNT(?m) AS ?n) WHERE { ?m a <https://w3id.org/mmkg/ontology#MultimodalLLM> }"
    )
    assert int(next(iter(count))["n"].value) == MODELS


def test_owlready2_loads_the_rdf_xml(built: tuple) -> None:
    _, _, out = built
    world = owlready2.World()
    onto = world.get_ontology((out / "mmkg.owl").as_uri()).load()
    names = {i.name for i in onto.individuals()}
    assert "llava-1.5" in names or any(n.endswith("llava-1.5") for n in names)
    llm = world.search_one(iri="https://w3id.org/mmkg/ontology#MultimodalLLM")
    assert llm is not None and len(list(llm.instances())) == MODELS


def test_counts(built: tuple) -> None:
    _, counts, _ = built
    assert counts["models"] == MODELS and counts["detailed models"] == 44
    assert counts["components"] >= 70 and counts["datasets"] >= 90
    assert counts["derivation links (components, families, datasets)"] > 20
    assert counts["variants"] == 19 and counts["evaluation results"] == 175


def test_failed_build_keeps_the_previous_output(tmp_path: Path, data_copy: Path) -> None:
    out = tmp_path / "build"
    build(data_copy, ONTOLOGY_FILE, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (data_copy / "models" / "llava.yaml").write_text("name: [broken\n", encoding="utf-8")
    with pytest.raises(DataError):
        build(data_copy, ONTOLOGY_FILE, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".build-")]


def test_build_is_deterministic_in_meaning(tmp_path: Path, data_copy: Path) -> None:
    first = build(data_copy, ONTOLOGY_FILE, tmp_path / "a")
    second = build(data_copy, ONTOLOGY_FILE, tmp_path / "b")
    assert first.triples == second.triples
    # axiom nodes are named from their triples, so the N-Triples are the same lines but
    # for the blank nodes the Turtle parser gives the ontology's class expressions
    lines = [sorted((tmp_path / d / "mmkg.nt").read_text().splitlines()) for d in "ab"]
    assert len(lines[0]) == len(lines[1]) == first.triples
    named = [[line for line in ls if "_:n" not in line] for ls in lines]
    assert named[0] == named[1] and len(named[0]) > first.triples - 3000


def test_timeline_periods_read_with_doubt_carry_their_confidence(graph: Graph) -> None:
    import csv

    from mmkg.paths import SURVEY_DIR

    rows = csv.DictReader((SURVEY_DIR / "timeline.csv").open(encoding="utf-8"))
    doubtful = {r["model"]: r["confidence"] for r in rows if r["confidence"] != "high"}
    found = {}
    for axiom in graph.subjects(MMKG.readingConfidence, None):
        assert (axiom, OWL.annotatedProperty, MMKG.inTimelinePeriod) in graph
        model = graph.value(axiom, OWL.annotatedSource)
        found[str(graph.value(model, RDFS.label))] = str(graph.value(axiom, MMKG.readingConfidence))
        target = graph.value(axiom, OWL.annotatedTarget)
        assert (model, MMKG.inTimelinePeriod, target) in graph
    assert len(doubtful) == 12 and len(found) == 12
    assert sorted(found.values()) == sorted(doubtful.values())


def test_no_ancestry_reaches_a_model_released_later(graph: Graph) -> None:
    """Every property under prov:wasDerivedFrom or descendsFrom, followed transitively."""
    import networkx as nx

    tops = (PROV.wasDerivedFrom, MMKG.descendsFrom)
    below = {
        p
        for p in set(graph.subjects(RDFS.subPropertyOf, None)) | set(tops)
        if any(
            t in graph.transitiveClosure(lambda n, _: graph.objects(n, RDFS.subPropertyOf), p)
            or p == t
            for t in tops
        )
    }
    # influence links and name-only suggestions are never ancestry
    for influence in (MMKG.isTrendSuccessorOf, MMKG.inspiredBy, MMKG.replicates):
        assert influence not in below
    assert (MMKG.isTrendSuccessorOf, RDFS.subPropertyOf, PROV.wasInfluencedBy) in graph
    assert (PROV.wasDerivedFrom, RDFS.subPropertyOf, None) not in graph  # not our term
    models = set(graph.subjects(RDF.type, MMKG.MultimodalLLM))
    ancestry = nx.DiGraph(
        (s, o) for p in below for s, o in graph.subject_objects(p) if s in models and o in models
    )
    assert ancestry.number_of_edges() == 11  # of the 21 stated links; 10 are influences
    released = {m: graph.value(m, MMKG.releaseDate) for m in models}
    for model in ancestry:
        for ancestor in nx.descendants(ancestry, model):
            if released[model] and released[ancestor]:
                assert released[ancestor].toPython() <= released[model].toPython(), (
                    model,
                    ancestor,
                )
    next_gpt = iri("model", "next-gpt")
    assert iri("model", "gpt-4") not in (
        nx.descendants(ancestry, next_gpt) if next_gpt in ancestry else set()
    )
    # the 19 links only the names suggest are kept apart, each with its target and kind
    suggestions = list(graph.subjects(RDF.type, MMKG.SuggestedLink))
    assert len(suggestions) == 19
    for s in suggestions:
        assert graph.value(s, MMKG.suggestedTarget) in models
        assert graph.value(s, MMKG.linkConfidence) == iri("confidence", "name")
        (later,) = graph.subjects(MMKG.hasSuggestedLink, s)
        assert (
            later,
            graph.value(s, MMKG.suggestedProperty),
            graph.value(s, MMKG.suggestedTarget),
        ) not in graph
