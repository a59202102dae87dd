// Loads an ontology document through the OWL API, as Protégé does, and reports on it.
//
// Usage: java -cp <owlapi jars>:<dir> OwlCheck FILE [--catalog catalog-v001.xml] [--iri IRI]
//        java -cp <owlapi jars>:<dir> OwlCheck --together FILE FILE... [--catalog ...]
//
// FILE is the document to load; with --iri, FILE is ignored and the ontology is loaded by its
// IRI through the catalog (which checks the catalog itself). Imports are resolved only through
// the catalog: any other http(s) IRI is mapped to a file that does not exist, so a missing
// catalog entry fails the load instead of reaching the network.
//
// Output: one JSON object per line: the loaded ontology, each import and where it was read
// from, each OWL 2 DL profile violation, each unparsed triple, each guessed declaration, then
// a "summary" line with the counts. The exit status is 0 when the load succeeded, whatever the
// counts (the caller judges them), and 2 when it failed.
//
// With --together, every FILE is loaded into one manager, as Protégé does when a user opens
// several ontologies in one window; for each it prints the ontology, its version IRI and its
// profile violations and unparsed triples, then a "together" summary. A load that fails
// (e.g. OWLOntologyAlreadyExistsException: two files claiming one identity) exits 2.

import java.io.File;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.OWLOntologyLoaderMetaData;
import org.semanticweb.owlapi.io.RDFParserMetaData;
import org.semanticweb.owlapi.model.AxiomType;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.OWLDeclarationAxiom;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLEntity;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyIRIMapper;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.model.parameters.Imports;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public final class OwlCheck {
    private OwlCheck() {}

    /** Maps IRIs through an OASIS XML catalog; any other web IRI to a file that does not exist. */
    static final class CatalogMapper implements OWLOntologyIRIMapper {
        private final Map<String, IRI> entries = new HashMap<>();

        CatalogMapper(File catalog) throws Exception {
            if (catalog == null) {
                return;
            }
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            Document doc = factory.newDocumentBuilder().parse(catalog);
            NodeList uris = doc.getElementsByTagNameNS("*", "uri");
            File base = catalog.getAbsoluteFile().getParentFile();
            for (int i = 0; i < uris.getLength(); i++) {
                Element uri = (Element) uris.item(i);
                File target = new File(base, uri.getAttribute("uri"));
                entries.put(uri.getAttribute("name"), IRI.create(target));
            }
        }

        int size() {
            return entries.size();
        }

        @Override
        public IRI getDocumentIRI(IRI ontologyIRI) {
            IRI mapped = entries.get(ontologyIRI.toString());
            if (mapped != null) {
                return mapped;
            }
            String scheme = ontologyIRI.getScheme();
            if ("http".equals(scheme) || "https".equals(scheme)) {
                return IRI.create(new File("/nonexistent-offline/" + ontologyIRI.hashCode()));
            }
            return null;
        }
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    static void line(String key, String value) {
        System.out.println("{" + quote(key) + ": " + quote(value) + "}");
    }

    static long unparsedTriples(OWLOntologyManager manager, OWLOntology o) {
        OWLDocumentFormat format = manager.getOntologyFormat(o);
        if (format == null || !format.getOntologyLoaderMetaData().isPresent()) {
            return 0;
        }
        OWLOntologyLoaderMetaData meta = format.getOntologyLoaderMetaData().get();
        return meta instanceof RDFParserMetaData rdf ? rdf.getUnparsedTriples().count() : 0;
    }

    static void together(java.util.List<String> files, File catalog) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        manager.getIRIMappers().set(new CatalogMapper(catalog));
        long violations = 0;
        long unparsed = 0;
        for (String file : files) {
            OWLOntology ont;
            try {
                ont = manager.loadOntologyFromOntologyDocument(new File(file));
            } catch (Exception e) {
                line("error", file + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
                System.exit(2);
                return;
            }
            line("ontology", ont.getOntologyID().getOntologyIRI().map(IRI::toString).orElse(""));
            line("version", ont.getOntologyID().getVersionIRI().map(IRI::toString).orElse(""));
            for (OWLProfileViolation v : new OWL2DLProfile().checkOntology(ont).getViolations()) {
                line("violation", file + ": " + v);
                violations++;
            }
            unparsed += unparsedTriples(manager, ont);
        }
        System.out.println("{\"summary\": {\"ontologies\": " + manager.getOntologies().size()
            + ", \"violations\": " + violations + ", \"unparsed_triples\": " + unparsed + "}}");
    }

    public static void main(String[] args) throws Exception {
        String file = null;
        File catalog = null;
        String iri = null;
        boolean together = false;
        java.util.List<String> files = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--catalog" -> catalog = new File(args[++i]);
                case "--iri" -> iri = args[++i];
                case "--together" -> together = true;
                default -> {
                    file = args[i];
                    files.add(args[i]);
                }
            }
        }
        if (together) {
            together(files, catalog);
            return;
        }
        if (file == null && iri == null) {
            System.err.println("usage: OwlCheck FILE [--catalog catalog-v001.xml] [--iri IRI]");
            System.exit(64);
        }
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        CatalogMapper mapper = new CatalogMapper(catalog);
        manager.getIRIMappers().set(mapper);
        OWLOntology ont;
        try {
            ont = iri != null
                ? manager.loadOntology(IRI.create(iri))
                : manager.loadOntologyFromOntologyDocument(new File(file));
        } catch (Exception e) {
            line("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        line("ontology", ont.getOntologyID().getOntologyIRI().map(IRI::toString).orElse(""));
        line("version", ont.getOntologyID().getVersionIRI().map(IRI::toString).orElse(""));
        line("document", manager.getOntologyDocumentIRI(ont).toString());
        for (OWLOntology imported : ont.importsClosure().collect(Collectors.toList())) {
            if (!imported.equals(ont)) {
                line("import", imported.getOntologyID().getOntologyIRI().map(IRI::toString)
                    .orElse("") + " <- " + manager.getOntologyDocumentIRI(imported));
            }
        }

        OWLProfileReport report = new OWL2DLProfile().checkOntology(ont);
        for (OWLProfileViolation violation : report.getViolations()) {
            line("violation", violation.toString());
        }

        long unparsed = 0;
        long guessed = 0;
        String header = "";
        long triples = 0;
        for (OWLOntology o : ont.importsClosure().collect(Collectors.toList())) {
            OWLDocumentFormat format = manager.getOntologyFormat(o);
            if (o.equals(ont) && format != null) {
                line("format", format.getKey());
            }
            if (format == null || !format.getOntologyLoaderMetaData().isPresent()) {
                continue;
            }
            OWLOntologyLoaderMetaData meta = format.getOntologyLoaderMetaData().get();
            if (meta instanceof RDFParserMetaData rdf) {
                for (Object triple : rdf.getUnparsedTriples().collect(Collectors.toList())) {
                    line("unparsed", triple.toString());
                    unparsed++;
                }
                for (var entry : rdf.getGuessedDeclarations().entries()) {
                    line("guessed", entry.getKey() + " " + entry.getValue().getSimpleName());
                    guessed++;
                }
                if (o.equals(ont)) {
                    header = rdf.getHeaderState().toString();
                    triples = rdf.getTripleCount();
                }
            }
        }

        Set<OWLEntity> declared = ont.importsClosure()
            .flatMap(o -> o.axioms(AxiomType.DECLARATION, Imports.EXCLUDED))
            .map(OWLDeclarationAxiom::getEntity)
            .collect(Collectors.toSet());
        Map<String, Long> counts = new TreeMap<>();
        counts.put("classes", declared.stream().filter(OWLEntity::isOWLClass).count());
        counts.put("object_properties",
            declared.stream().filter(OWLEntity::isOWLObjectProperty).count());
        counts.put("data_properties",
            declared.stream().filter(OWLEntity::isOWLDataProperty).count());
        counts.put("annotation_properties",
            declared.stream().filter(OWLEntity::isOWLAnnotationProperty).count());
        counts.put("individuals",
            declared.stream().filter(OWLEntity::isOWLNamedIndividual).count());
        counts.put("datatypes", declared.stream().filter(OWLEntity::isOWLDatatype).count());

        StringBuilder summary = new StringBuilder("{\"summary\": {");
        summary.append("\"violations\": ").append(report.getViolations().size());
        summary.append(", \"unparsed_triples\": ").append(unparsed);
        summary.append(", \"guessed_declarations\": ").append(guessed);
        summary.append(", \"catalog_entries\": ").append(mapper.size());
        summary.append(", \"imports\": ").append(ont.importsClosure().count() - 1);
        summary.append(", \"axioms\": ").append(ont.getAxiomCount(Imports.INCLUDED));
        summary.append(", \"triples\": ").append(triples);
        summary.append(", \"header\": ").append(quote(header));
        for (Map.Entry<String, Long> count : counts.entrySet()) {
            summary.append(", ").append(quote(count.getKey())).append(": ")
                .append(count.getValue());
        }
        System.out.println(summary.append("}}"));
    }
}
