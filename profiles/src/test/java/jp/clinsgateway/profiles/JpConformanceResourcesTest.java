package jp.clinsgateway.profiles;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JpConformanceResourcesTest {

    private static Map<String, MetadataResource> byUrl;

    @BeforeAll
    static void load() {
        List<IBaseResource> resources = JpConformanceResources.load(FhirContext.forR4Cached());
        byUrl = resources.stream().map(MetadataResource.class::cast)
                .collect(Collectors.toMap(MetadataResource::getUrl, Function.identity()));
        assertEquals(resources.size(), byUrl.size(), "one definition per canonical URL");
    }

    @Test
    void allThreePackagesAreLoaded() {
        assertTrue(byUrl.containsKey(JpProfiles.BUNDLE_CLINS));
        assertTrue(byUrl.containsKey("http://jpfhir.jp/fhir/core/StructureDefinition/JP_Patient"));
        assertTrue(byUrl.containsKey(JpProfiles.BUNDLE_CHECKUP_CLINS));
    }

    @Test
    void jpClinsCopyWinsWhereTwoPackagesDefineOneUrl() {
        StructureDefinition patient = (StructureDefinition) byUrl.get(JpProfiles.PATIENT);
        // Only the JP-CLINS JP_Patient_eCS requires the insurance member ID (constraint R1012).
        assertTrue(patient.getDifferential().getElement().stream()
                .flatMap(e -> e.getConstraint().stream())
                .anyMatch(c -> c.getKey().equals("valid-system-insurance-patientIdentifier")));
    }

    @Test
    void documentTypeCodesHoldAllThreeDocuments() {
        CodeSystem types = (CodeSystem) byUrl.get("http://jpfhir.jp/fhir/Common/CodeSystem/doc-typecodes");
        List<String> codes = types.getConcept().stream().map(CodeSystem.ConceptDefinitionComponent::getCode).toList();
        assertTrue(codes.containsAll(List.of("57133-1", "18842-5", "53576-5", "56447-6")), codes.toString());
    }

    @Test
    void referralBundleLosesOnlyTheNestedSliceTheValidatorCannotWalk() {
        StructureDefinition referral = (StructureDefinition) byUrl.get(JpProfiles.BUNDLE_REFERRAL);
        assertFalse(referral.getSnapshot().getElement().stream()
                .anyMatch(e -> e.getId().startsWith("Bundle.entry:observation/laboratory")));
        assertTrue(referral.getSnapshot().getElement().stream().anyMatch(e -> e.getId().equals("Bundle.entry:observation")));
    }
}
