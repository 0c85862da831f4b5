package jp.clinsgateway.ig;

import ca.uhn.fhir.context.FhirContext;
import jp.clinsgateway.profiles.ClinicalValidator;
import org.hl7.fhir.r4.model.Resource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The guide's files, and one warm validator over the JP packages and the guide, shared by the tests. */
final class GuideFiles {

    static final Path GUIDE = Path.of("src/main/fhir");
    static final FhirContext FHIR = FhirContext.forR4Cached();
    private static ClinicalValidator validator;

    private GuideFiles() {
    }

    /** Built on first use (a cold validator takes seconds), as the server builds its own. */
    static synchronized ClinicalValidator validator() {
        if (validator == null) {
            List<Resource> definitions = jsonFiles(GUIDE).filter(f -> !f.endsWith("package.json")).map(GuideFiles::parse).toList();
            validator = ClinicalValidator.create(FHIR, definitions);
        }
        return validator;
    }

    static Stream<Path> examples() {
        return jsonFiles(GUIDE.resolve("example"));
    }

    /** The example with this id, parsed afresh, e.g. "clins-lab-yoshida-tokyo". */
    static <T extends Resource> T example(String id, Class<T> type) {
        return type.cast(parse(GUIDE.resolve("example").resolve(type.getSimpleName() + "-" + id + ".json")));
    }

    static Stream<Path> jsonFiles(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Resource parse(Path file) {
        try {
            return (Resource) FHIR.newJsonParser().parseResource(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
