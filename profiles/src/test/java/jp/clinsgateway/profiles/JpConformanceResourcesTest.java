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
    void theEntryProfileInvariantsAreFixedInMemoryWhileTheFilesStayAsPublished() throws Exception {
        StructureDefinition clins = (StructureDefinition) byUrl.get(JpProfiles.BUNDLE_CLINS);
        String inMemory = clins.getSnapshot().getElementFirstRep().getConstraint().stream()
                .filter(c -> c.getKey().equals("validEntryProfile-Condition")).findFirst().orElseThrow().getExpression();
        assertEquals(InMemoryRelaxations.entryProfileExpression("Condition", JpProfiles.CONDITION), inMemory);

        try (var in = getClass().getClassLoader().getResourceAsStream("jp-fhir/jp-clins-1.5.2/StructureDefinition-JP-Bundle-CLINS.json")) {
            String file = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(file.contains("meta.profile.where($this!='http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Condition_eCS')"),
                    "the CC BY-ND file keeps the 1.5.2 expression");
        }
    }

    @Test
    void eachCanonicalUrlKnowsWhichGuidesPublishIt() {
        JpDefinitions held = JpConformanceResources.read(FhirContext.forR4Cached());
        assertEquals(JpGuide.JP_CLINS, held.heldFrom(JpProfiles.PATIENT).orElseThrow());
        assertEquals(java.util.EnumSet.of(JpGuide.JP_CLINS, JpGuide.ECHECKUP_REPORT), held.publishedBy(JpProfiles.PATIENT));
        assertEquals(JpDefinitions.Declaration.Kind.SAME_FAMILY, held.declaration(JpProfiles.PATIENT + "|1.4.0").kind(),
                "eCheckupReport 1.4.0 also publishes JP_Patient_eCS");
        assertEquals(JpDefinitions.Declaration.Kind.HELD_VERSION, held.declaration(JpProfiles.BUNDLE_CLINS + "|1").kind());
        assertEquals(JpDefinitions.Declaration.Kind.OTHER_FAMILY, held.declaration(JpProfiles.CONDITION + "|2.0.0").kind());
        assertEquals(JpDefinitions.Declaration.Kind.NOT_HELD,
                held.declaration("http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_NoSuchProfile|1.11.0").kind());
    }

    @Test
    void referralBundleLosesOnlyTheNestedSliceTheValidatorCannotWalk() {
        StructureDefinition referral = (StructureDefinition) byUrl.get(JpProfiles.BUNDLE_REFERRAL);
        assertFalse(referral.getSnapshot().getElement().stream()
                .anyMatch(e -> e.getId().startsWith("Bundle.entry:observation/laboratory")));
        assertTrue(referral.getSnapshot().getElement().stream().anyMatch(e -> e.getId().equals("Bundle.entry:observation")));
    }
}
