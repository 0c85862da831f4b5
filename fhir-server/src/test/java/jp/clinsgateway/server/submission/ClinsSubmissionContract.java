package jp.clinsgateway.server.submission;

import jp.clinsgateway.profiles.JpProfiles;
import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.server.support.ClinsBundleBuilder;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.GatewayTest;
import jp.clinsgateway.server.support.TestPatient;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static jp.clinsgateway.server.support.Institutions.OSAKA_CLINIC;
import static jp.clinsgateway.server.support.Institutions.TOKYO_CENTRAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an EMR sees when it submits information items. Runs on each database. */
abstract class ClinsSubmissionContract extends GatewayTest {

    @ParameterizedTest(name = "{0} items are accepted and stored on the gateway patient")
    @ValueSource(strings = {"Condition", "AllergyIntolerance", "Observation", "MedicationRequest"})
    void eachItemTypeIsAcceptedAndStoredAsItsOwnResource(String type) {
        TestPatient patient = TestPatient.aPatient();
        Bundle receipt = accepted(TOKYO_CENTRAL, ClinsBundleBuilder.itemsOf(type).forPatient(patient).withItems("A1", "A2").build());

        String patientId = versionless(located(receipt, "Patient"));
        assertEquals(3, receipt.getEntry().size(), "the patient and two items");
        Bundle stored = search(type + "?patient=" + patientId);
        assertEquals(2, stored.getTotal());
        for (Bundle.BundleEntryComponent entry : stored.getEntry()) {
            Resource item = entry.getResource();
            assertTrue(item.getMeta().getTag(GatewayCanonical.AUTHOR_INSTITUTION, TOKYO_CENTRAL) != null, "author label");
            assertTrue(item.getMeta().getTag().stream().anyMatch(t -> GatewayCanonical.SHARE_CATEGORY.equals(t.getSystem())),
                    "category label");
            List<Reference> references = FhirHttp.FHIR.newTerser().getAllPopulatedChildElementsOfType(item, Reference.class);
            assertTrue(references.stream().anyMatch(r -> patientId.equals(r.getReference())), "points at " + patientId);
            assertTrue(references.stream().noneMatch(r -> r.getReference() != null && r.getReference().startsWith("urn:uuid:")),
                    "no dangling bundle-internal references");
        }
    }

    @Test
    void prescriptionsAndWithdrawalsDeclaredAsJpBundleClinsAreAccepted() {
        // JP-CLINS 1.5.2's own rules refuse both; a sender following JP-CLINS still declares that profile.
        TestPatient patient = TestPatient.aPatient();
        Bundle prescriptions = ClinsBundleBuilder.prescriptions().forPatient(patient).withItems("P1").build();
        prescriptions.getMeta().getProfile().clear();
        prescriptions.getMeta().addProfile(JpProfiles.BUNDLE_CLINS);
        String patientId = versionless(located(accepted(TOKYO_CENTRAL, prescriptions), "Patient"));
        assertEquals(1, total("MedicationRequest?patient=" + patientId));

        Bundle withdrawal = ClinsBundleBuilder.prescriptions().forPatient(patient).withoutItems().build();
        withdrawal.getMeta().getProfile().clear();
        withdrawal.getMeta().addProfile(JpProfiles.BUNDLE_CLINS);
        accepted(TOKYO_CENTRAL, withdrawal);
        assertEquals(0, total("MedicationRequest?patient=" + patientId));
    }

    @Test
    void sendingAnItemIdentifierAgainReplacesTheEarlierItem() {
        TestPatient patient = TestPatient.aPatient();
        accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(patient).withItems("R1", "R2").build());
        Bundle again = ClinsBundleBuilder.diagnoses().forPatient(patient).withItems("R1").build();
        ((Condition) again.getEntry().get(1).getResource()).getCode().setText("2型糖尿病（再送）");
        Bundle receipt = accepted(TOKYO_CENTRAL, again);

        assertEquals("200 OK", receipt.getEntry().get(1).getResponse().getStatus(), "replaced, not created");
        String patientId = versionless(located(receipt, "Patient"));
        Bundle byIdentifier = search("Condition?patient=" + patientId + "&identifier=" + encode(
                "http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier|" + TOKYO_CENTRAL + "^2026^R1"));
        assertEquals(1, byIdentifier.getTotal());
        Condition replaced = (Condition) byIdentifier.getEntryFirstRep().getResource();
        assertEquals("2型糖尿病（再送）", replaced.getCode().getText());
        assertEquals("2", replaced.getMeta().getVersionId());
        assertEquals(2, total("Condition?patient=" + patientId), "R2 is untouched");
    }

    @Test
    void aBundleHoldingOnlyThePatientWithdrawsThatInstitutionsItemsOfThatType() {
        TestPatient patient = TestPatient.aPatient();
        accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(patient).withItems("W1", "W2").build());
        accepted(TOKYO_CENTRAL, ClinsBundleBuilder.allergies().forPatient(patient).withItems("W3").build());
        Bundle osaka = accepted(OSAKA_CLINIC, ClinsBundleBuilder.diagnoses().from(OSAKA_CLINIC).forPatient(patient).withItems("W4").build());
        String patientId = versionless(located(osaka, "Patient"));

        Bundle receipt = accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(patient).withoutItems().build());

        assertEquals(2, receipt.getEntry().stream().filter(e -> e.getResponse().getStatus().startsWith("204")).count());
        Bundle left = search("Condition?patient=" + patientId);
        assertEquals(1, left.getTotal(), "only Osaka's diagnosis is left");
        assertTrue(left.getEntryFirstRep().getResource().getMeta().getTag(GatewayCanonical.AUTHOR_INSTITUTION, OSAKA_CLINIC) != null);
        assertEquals(1, total("AllergyIntolerance?patient=" + patientId), "other item types are not withdrawn");
    }

    @Test
    void aBundleThatFailsValidationStoresNothing() {
        TestPatient patient = TestPatient.aPatient();
        Bundle bundle = ClinsBundleBuilder.diagnoses().forPatient(patient).withItems("V1", "V2").build();
        ((Condition) bundle.getEntry().get(2).getResource()).setCode(null);

        FhirHttp.Response response = fhir.submit(TOKYO_CENTRAL, bundle);

        assertEquals(422, response.status(), response::toString);
        assertTrue(response.outcome().getIssue().stream()
                .flatMap(i -> i.getExpression().stream())
                .anyMatch(e -> e.getValue().startsWith("Bundle.entry[2].resource")), response::toString);
        assertEquals(0, total("Patient?" + byMemberId(patient)), "not even the patient was stored");
    }

    @Test
    void aBundleThatFailsWhileBeingStoredLeavesNothingBehind() {
        TestPatient patient = TestPatient.aPatient();
        Bundle bundle = ClinsBundleBuilder.diagnoses().forPatient(patient).withItems("T1", "T2").build();
        // Valid for the profile, but the database refuses it: the first item is already written
        // when the second one fails, so only a real rollback leaves nothing behind.
        ((Condition) bundle.getEntry().get(2).getResource()).setEncounter(new Reference("Encounter/no-such-encounter"));

        FhirHttp.Response response = fhir.submit(TOKYO_CENTRAL, bundle);

        assertTrue(response.status() >= 400 && response.status() < 500, response::toString);
        assertEquals("OperationOutcome", response.outcome().fhirType());
        assertEquals(0, total("Patient?" + byMemberId(patient)), "not even the Patient");

        // The same for a patient who already exists: the earlier item stays, nothing of the failed Bundle.
        String patientId = versionless(located(accepted(TOKYO_CENTRAL,
                ClinsBundleBuilder.diagnoses().forPatient(patient).withItems("T0").build()), "Patient"));
        assertTrue(fhir.submit(TOKYO_CENTRAL, bundle).status() >= 400);
        assertEquals(1, total("Condition?patient=" + patientId));
    }

    @Test
    void oneMemberIdIsOnePatientAcrossInstitutions() {
        TestPatient patient = TestPatient.aPatient();
        Bundle tokyo = accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(patient).withItems("M1").build());
        Bundle osaka = accepted(OSAKA_CLINIC, ClinsBundleBuilder.prescriptions().from(OSAKA_CLINIC).forPatient(patient).withItems("M2").build());

        String patientId = versionless(located(tokyo, "Patient"));
        assertEquals(patientId, versionless(located(osaka, "Patient")));
        assertEquals("200 OK", osaka.getEntryFirstRep().getResponse().getStatus(), "matched, not created");
        Bundle patients = search("Patient?" + byMemberId(patient));
        assertEquals(1, patients.getTotal());
        // The patient sees every institution's local ID; an institution only its own (see the access policy's attack tests).
        Patient gatewayPatient = fhir.asPatient(patientId).get(patientId).resource(Patient.class);
        Set<String> systems = gatewayPatient.getIdentifier().stream().map(i -> i.getSystem()).collect(Collectors.toSet());
        assertTrue(systems.contains("urn:oid:1.2.392.100495.20.3.51.1" + TOKYO_CENTRAL), systems.toString());
        assertTrue(systems.contains("urn:oid:1.2.392.100495.20.3.51.1" + OSAKA_CLINIC), systems.toString());
        assertEquals(1, total("Condition?patient=" + patientId));
        assertEquals(1, total("MedicationRequest?patient=" + patientId));
    }

    @Test
    void aCallerCannotSubmitAnotherInstitutionsItems() {
        TestPatient patient = TestPatient.aPatient();
        FhirHttp.Response response = fhir.submit(OSAKA_CLINIC, ClinsBundleBuilder.diagnoses().from(TOKYO_CENTRAL).forPatient(patient).build());
        assertEquals(403, response.status(), response::toString);
        assertEquals(0, total("Patient?" + byMemberId(patient)));
    }
}
