package jp.clinsgateway.server.support;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Resource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One realistic resource of each type the JP profiles define, as a vendor would check it with
 * {@code $validate} before sending: taken from the implementation guide's validated example
 * Bundles (their entries and contained resources; JP-CLINS profiles before the checkup report's),
 * and for the types the examples hold none of
 * (PractitionerRole, Coverage, Binary) from JAMI-style files under {@code validate/}.
 */
public final class ProfiledExamples {

    private static final List<String> OWN_FILES = List.of(
            "PractitionerRole-author-tokyo.json", "Coverage-insurance-yoshida.json", "Binary-checkup-attachment.json");

    private ProfiledExamples() {
    }

    /** By resource type: the first of that type found in the examples, declaring a JP profile. */
    public static Map<String, Resource> byType() {
        Map<String, Resource> byType = new TreeMap<>();
        for (Resource example : Examples.all().values()) {
            if (example instanceof Bundle bundle) {
                bundle.getEntry().forEach(entry -> collect(entry.getResource(), byType));
            }
        }
        for (String file : OWN_FILES) {
            Resource resource = (Resource) FhirHttp.FHIR.newJsonParser().parseResource(read("validate/" + file));
            byType.putIfAbsent(resource.fhirType(), resource);
        }
        return byType;
    }

    public static Optional<Resource> ofType(String type) {
        return Optional.ofNullable(byType().get(type)).map(Resource::copy);
    }

    private static void collect(Resource resource, Map<String, Resource> byType) {
        if (resource == null) {
            return;
        }
        if (resource.getMeta().hasProfile()) {
            // JP-CLINS' own profiles first: the checkup report's variants come from another guide.
            Resource earlier = byType.get(resource.fhirType());
            if (earlier == null || (isCheckupProfile(earlier) && !isCheckupProfile(resource))) {
                byType.put(resource.fhirType(), resource.copy());
            }
        }
        if (resource instanceof DomainResource domain) {
            domain.getContained().forEach(contained -> collect(contained, byType));
        }
    }

    private static boolean isCheckupProfile(Resource resource) {
        return resource.getMeta().getProfile().stream().anyMatch(p -> p.getValue().contains("/eCheckup/"));
    }

    private static String read(String name) {
        try (InputStream in = ProfiledExamples.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
