package jp.clinsgateway.ig;

import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import jp.clinsgateway.profiles.ClinicalValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every example of our guide is valid against the profile it declares, with the guide's own
 * definitions loaded as the server loads them; the demo data and the test builders start from
 * these examples, so an invalid one would break both.
 */
class ExamplesAreValidTest {

    private static final Path GUIDE = GuideFiles.GUIDE;
    private static ClinicalValidator validator;

    @BeforeAll
    static void loadValidator() {
        validator = GuideFiles.validator();
    }

    static Stream<Path> examples() {
        return GuideFiles.examples();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleHasNoValidationErrors(Path file) {
        List<SingleValidationMessage> errors = validator.validate(parse(file)).getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .toList();
        assertTrue(errors.isEmpty(), () -> file.getFileName() + " has errors:\n" + errors.stream()
                .map(m -> m.getLocationString() + ": " + m.getMessage()).collect(Collectors.joining("\n")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleIdIsItsFileName(Path file) {
        Resource resource = parse(file);
        assertEquals(resource.fhirType() + "-" + resource.getIdElement().getIdPart() + ".json", file.getFileName().toString());
    }

    @Test
    void theDemoDataCoversEveryItemTypeAndDocument() {
        List<Bundle> bundles = examples().map(ExamplesAreValidTest::parse).map(Bundle.class::cast).toList();
        for (String itemType : List.of("Condition", "AllergyIntolerance", "Observation", "MedicationRequest")) {
            assertTrue(bundles.stream().anyMatch(b -> b.getMeta().getTag().stream().map(Coding::getCode).anyMatch(itemType::equals)),
                    "no CLINS example of " + itemType);
        }
        for (String documentType : List.of("57133-1", "18842-5", "53576-5")) {
            assertTrue(bundles.stream().filter(b -> b.getType() == Bundle.BundleType.DOCUMENT)
                            .anyMatch(b -> b.getEntryFirstRep().getResource().getNamedProperty("type").getValues().stream()
                                    .flatMap(t -> ((org.hl7.fhir.r4.model.CodeableConcept) t).getCoding().stream())
                                    .anyMatch(c -> documentType.equals(c.getCode()))),
                    "no document example of type " + documentType);
        }
    }

    @Test
    void theBenchmarkBundleHoldsTenItems() {
        Bundle labs = (Bundle) parse(GUIDE.resolve("example/Bundle-clins-lab-yoshida-tokyo.json"));
        assertEquals(11, labs.getEntry().size(), "the submission benchmark sends the Patient and ten lab results");
    }

    private static Resource parse(Path file) {
        return GuideFiles.parse(file);
    }
}
