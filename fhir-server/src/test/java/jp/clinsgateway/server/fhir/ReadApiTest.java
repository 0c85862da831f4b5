package jp.clinsgateway.server.fhir;

import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.GatewayOnH2;
import jp.clinsgateway.server.support.GatewayTest;
import jp.clinsgateway.server.support.Institutions;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading what is stored: the demo data, standard searches, $validate and the CapabilityStatement. */
@GatewayOnH2
class ReadApiTest extends GatewayTest {

    @Test
    void theDemoDataIsLoadedWithItsRareCharacters() {
        Bundle yoshida = search("Patient?name=" + encode("吉田"));
        assertTrue(yoshida.getEntry().stream().map(e -> ((Patient) e.getResource()).getNameFirstRep().getFamily())
                .anyMatch("𠮷田"::equals), "𠮷田 found by 吉田");
        Bundle takahashi = search("Patient?name=" + encode("高橋"));
        assertTrue(takahashi.getEntry().stream().map(e -> ((Patient) e.getResource()).getNameFirstRep().getFamily())
                .anyMatch("髙橋"::equals), "髙橋 found by 高橋");
        List<String> demoPatients = search("Patient?_count=50").getEntry().stream()
                .map(e -> "Patient/" + e.getResource().getIdElement().getIdPart()).toList();
        for (String type : List.of("57133-1", "18842-5", "53576-5")) {
            // Read by their author: referral letters and discharge summaries are written for institutions, not the patient.
            assertTrue(demoPatients.stream().anyMatch(p -> fhir.asInstitution(Institutions.TOKYO_CENTRAL)
                            .get("DocumentReference?patient=" + p + "&type=" + type).resource(Bundle.class).getTotal() >= 1),
                    "a demo document of type " + type);
        }
        for (String category : List.of("diagnosis", "infection", "allergy", "contraindication", "lab-result", "prescription")) {
            assertTrue(demoPatients.stream().anyMatch(p -> total(categoryQuery(category) + "&patient=" + p) >= 1),
                    "demo items of category " + category);
        }
    }

    @Test
    void patientScopedSearchesByCategoryCodeAndDate() {
        Patient demo = (Patient) search("Patient?name=" + encode("吉田")).getEntryFirstRep().getResource();
        String patient = "Patient/" + demo.getIdElement().getIdPart();
        Bundle conditions = search("Condition?patient=" + patient);
        assertTrue(conditions.getTotal() >= 1);
        Condition first = (Condition) conditions.getEntryFirstRep().getResource();
        String category = first.getCategoryFirstRep().getCodingFirstRep().getSystem() + "|" + first.getCategoryFirstRep().getCodingFirstRep().getCode();
        String code = first.getCode().getCodingFirstRep().getSystem() + "|" + first.getCode().getCodingFirstRep().getCode();
        assertTrue(total("Condition?patient=" + patient + "&category=" + encode(category)) >= 1);
        assertTrue(total("Condition?patient=" + patient + "&code=" + encode(code)) >= 1);
        assertTrue(total("Condition?patient=" + patient + "&date=ge2000-01-01") >= 1, "our Condition date parameter");
        assertEquals(0, total("Condition?patient=" + patient + "&date=ge2100-01-01"));
        assertTrue(total("Observation?patient=" + patient + "&date=ge2000-01-01&category=laboratory") >= 1);
        assertTrue(total("MedicationRequest?patient=" + patient) >= 1);
    }

    @Test
    void theCapabilityStatementListsWhatTheGatewaySupports() {
        CapabilityStatement statement = fhir.get("metadata").resource(CapabilityStatement.class);
        assertTrue(statement.getImplementationGuide().stream().anyMatch(c -> GatewayCanonical.IMPLEMENTATION_GUIDE.equals(c.getValue())));
        Set<String> types = statement.getRestFirstRep().getResource().stream()
                .map(CapabilityStatementRestResourceComponent::getType).collect(Collectors.toSet());
        assertTrue(types.containsAll(Set.of("Patient", "Condition", "AllergyIntolerance", "Observation",
                "MedicationRequest", "Bundle", "DocumentReference")), types.toString());
        assertFalse(types.contains("Task") || types.contains("Group"), "only what we serve");
        // Subscription is served (insurers' rest-hooks, from the gateway's own table), with its writes and nothing more.
        assertTrue(types.contains("Subscription"), types.toString());
        assertTrue(statement.getRestFirstRep().getOperation().stream().anyMatch(o -> o.getName().equals("submit")));
        CapabilityStatementRestResourceComponent documentReference = statement.getRestFirstRep().getResource().stream()
                .filter(r -> r.getType().equals("DocumentReference")).findFirst().orElseThrow();
        assertTrue(documentReference.getSearchParam().stream().anyMatch(p -> p.getName().equals("recipient-institution")));
        assertTrue(documentReference.getInteraction().stream().noneMatch(i -> i.getCode() == CapabilityStatement.TypeRestfulInteraction.CREATE));
    }

    @Test
    void validateChecksAgainstTheJpProfiles() {
        String broken = "{\"resourceType\":\"Patient\",\"meta\":{\"profile\":[\"http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Patient_eCS\"]},\"gender\":\"female\"}";
        FhirHttp.Response response = fhir.post("Patient/$validate", Institutions.TOKYO_CENTRAL, broken, "application/fhir+json");
        OperationOutcome outcome = response.outcome();
        assertTrue(outcome.getIssue().stream().anyMatch(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                && i.getDiagnostics().contains("R1012")), response::toString);
    }

    private static String categoryQuery(String category) {
        String type = switch (category) {
            case "diagnosis" -> "Condition";
            case "allergy", "contraindication" -> "AllergyIntolerance";
            case "infection", "lab-result" -> "Observation";
            default -> "MedicationRequest";
        };
        return type + "?_tag=" + encode(GatewayCanonical.SHARE_CATEGORY + "|" + category);
    }
}
