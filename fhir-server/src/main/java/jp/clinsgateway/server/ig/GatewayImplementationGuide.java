package jp.clinsgateway.server.ig;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.utilities.npm.NpmPackage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Our implementation guide, as the FHIR package the {@code ig} module builds
 * ({@code classpath:ig/clins-gateway.tgz}): the conformance resources that define our API
 * (search parameters, operations, profiles, code systems) and the worked examples, which the
 * gateway also loads as demo data.
 */
public final class GatewayImplementationGuide {

    public static final String PACKAGE = "ig/clins-gateway.tgz";

    private final List<Resource> conformanceResources;
    private final Map<String, Resource> examples;

    private GatewayImplementationGuide(List<Resource> conformanceResources, Map<String, Resource> examples) {
        this.conformanceResources = conformanceResources;
        this.examples = examples;
    }

    public static GatewayImplementationGuide load(FhirContext fhirContext) {
        try (InputStream in = GatewayImplementationGuide.class.getClassLoader().getResourceAsStream(PACKAGE)) {
            if (in == null) {
                throw new IllegalStateException(PACKAGE + " is missing from the classpath: build the ig module");
            }
            NpmPackage npm = NpmPackage.fromPackage(in);
            List<Resource> conformance = new ArrayList<>();
            for (String file : npm.getFolders().get("package").listFiles()) {
                if (file.endsWith(".json") && !file.equals("package.json") && !file.startsWith(".")) {
                    conformance.add(parse(fhirContext, npm.getFolders().get("package").fetchFile(file)));
                }
            }
            Map<String, Resource> examples = new TreeMap<>();
            NpmPackage.NpmPackageFolder exampleFolder = npm.getFolders().get("example");
            if (exampleFolder != null) {
                for (String file : exampleFolder.listFiles()) {
                    if (file.endsWith(".json") && !file.startsWith(".")) {
                        examples.put(file, parse(fhirContext, exampleFolder.fetchFile(file)));
                    }
                }
            }
            return new GatewayImplementationGuide(List.copyOf(conformance), examples);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + PACKAGE, e);
        }
    }

    private static Resource parse(FhirContext fhirContext, byte[] json) {
        return (Resource) fhirContext.newJsonParser().parseResource(new String(json, StandardCharsets.UTF_8));
    }

    public List<Resource> conformanceResources() {
        return conformanceResources;
    }

    /** The worked examples by file name, in file-name order. */
    public Map<String, Resource> examples() {
        return examples;
    }

    public <T extends Resource> List<T> conformanceResources(Class<T> type) {
        return conformanceResources.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
