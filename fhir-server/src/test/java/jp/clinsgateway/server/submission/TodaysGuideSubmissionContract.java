package jp.clinsgateway.server.submission;

import jp.clinsgateway.profiles.JpProfiles;
import jp.clinsgateway.server.support.ClinsBundleBuilder;
import jp.clinsgateway.server.support.DeclaredVersions;
import jp.clinsgateway.server.support.DocumentBuilder;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.GatewayTest;
import jp.clinsgateway.server.support.TestPatient;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;

import static jp.clinsgateway.server.support.Institutions.OSAKA_CLINIC;
import static jp.clinsgateway.server.support.Institutions.TOKYO_CENTRAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An EMR built to today's guides (JP-CLINS 1.11.0, JP Core 1.2.0, eCheckupReport 1.4.0) submits
 * what those guides ask for, and the gateway, which holds the 1.5.2 packages, accepts it and says
 * which version it validated against. Runs on each database.
 */
abstract class TodaysGuideSubmissionContract extends GatewayTest {

    @ParameterizedTest(name = "{0} items declaring today''s profile versions are accepted with the version note")
    @ValueSource(strings = {"Condition", "AllergyIntolerance", "Observation", "MedicationRequest"})
    void itemsDeclaringTodaysProfileVersionsAreAcceptedWithTheVersionNote(String type) {
        TestPatient patient = TestPatient.aPatient();
        Bundle bundle = DeclaredVersions.ofTodaysGuides(ClinsBundleBuilder.itemsOf(type).forPatient(patient).withItems("V1", "V2").build());

        Bundle receipt = accepted(TOKYO_CENTRAL, bundle);

        assertEquals(2, total(type + "?patient=" + versionless(located(receipt, "Patient"))));
        OperationOutcome outcome = outcomeOf(receipt);
        for (String path : List.of("Bundle.entry[0].resource.meta.profile[0]", "Bundle.entry[1].resource.meta.profile[0]",
                "Bundle.entry[2].resource.meta.profile[0]")) {
            OperationOutcomeIssueComponent note = issueAt(outcome, path, IssueSeverity.INFORMATION)
                    .orElseThrow(() -> new AssertionError("no version note at " + path + ": " + encode(outcome)));
            assertTrue(note.getDiagnostics().contains("|" + DeclaredVersions.JP_CLINS)
                    && note.getDiagnostics().contains("JP-CLINS 1.5.2"), note.getDiagnostics());
        }
    }

    @Test
    void prescriptionsAndWithdrawalsDeclaringTodaysJpBundleClinsAreAccepted() {
        // JP_Bundle_CLINS refuses both (R02142); the gateway checks them against its stand-ins whatever version is declared.
        TestPatient patient = TestPatient.aPatient();
        Bundle prescriptions = ClinsBundleBuilder.prescriptions().forPatient(patient).withItems("P1").build();
        prescriptions.getMeta().getProfile().clear();
        prescriptions.getMeta().addProfile(JpProfiles.BUNDLE_CLINS + "|" + DeclaredVersions.JP_CLINS);
        String patientId = versionless(located(accepted(TOKYO_CENTRAL, DeclaredVersions.ofTodaysGuides(prescriptions)), "Patient"));
        assertEquals(1, total("MedicationRequest?patient=" + patientId));

        Bundle withdrawal = ClinsBundleBuilder.prescriptions().forPatient(patient).withoutItems().build();
        withdrawal.getMeta().getProfile().clear();
        withdrawal.getMeta().addProfile(JpProfiles.BUNDLE_CLINS + "|" + DeclaredVersions.JP_CLINS);
        accepted(TOKYO_CENTRAL, DeclaredVersions.ofTodaysGuides(withdrawal));
        assertEquals(0, total("MedicationRequest?patient=" + patientId));
    }

    @ParameterizedTest(name = "document type {0} declaring today''s profile versions is accepted with the version note")
    @ValueSource(strings = {"57133-1", "18842-5", "53576-5"})
    void eachDocumentDeclaringTodaysVersionsIsAcceptedWithTheVersionNote(String typeCode) {
        DocumentBuilder builder = switch (typeCode) {
            case "57133-1" -> DocumentBuilder.referralLetter().to(OSAKA_CLINIC);
            case "18842-5" -> DocumentBuilder.dischargeSummary().withSectionCodesOf154();
            default -> DocumentBuilder.checkupReport();
        };
        Bundle document = DeclaredVersions.ofTodaysGuides(builder.forPatient(TestPatient.aPatient()).build());

        Bundle receipt = accepted(TOKYO_CENTRAL, document);

        OperationOutcomeIssueComponent note = issueAt(outcomeOf(receipt), "Bundle.meta.profile[0]", IssueSeverity.INFORMATION)
                .orElseThrow(() -> new AssertionError(encode(outcomeOf(receipt))));
        assertTrue(note.getDiagnostics().contains("validated against the "), note.getDiagnostics());
    }

    @Test
    void aVersionedBundleWithAGenuineProfileErrorIsStillRefusedWithTheElementPath() {
        TestPatient patient = TestPatient.aPatient();
        Bundle bundle = DeclaredVersions.ofTodaysGuides(ClinsBundleBuilder.diagnoses().forPatient(patient).withItems("E1", "E2").build());
        ((Condition) bundle.getEntry().get(2).getResource()).setCode(null);

        FhirHttp.Response response = fhir.submit(TOKYO_CENTRAL, bundle);

        assertEquals(422, response.status(), response::toString);
        assertTrue(response.outcome().getIssue().stream().filter(i -> i.getSeverity() == IssueSeverity.ERROR)
                .flatMap(i -> i.getExpression().stream())
                .anyMatch(e -> e.getValue().startsWith("Bundle.entry[2].resource")), response::toString);
        assertEquals(0, total("Patient?" + byMemberId(patient)), "nothing stored");
    }

    @Test
    void aProfileVersionOutsideTheAcceptedFamilyIsRefusedNamingTheAcceptedVersions() {
        TestPatient patient = TestPatient.aPatient();
        Bundle bundle = DeclaredVersions.asJpClins(ClinsBundleBuilder.diagnoses().forPatient(patient).build(), "2.0.0");

        FhirHttp.Response response = fhir.submit(TOKYO_CENTRAL, bundle);

        assertEquals(422, response.status(), response::toString);
        OperationOutcomeIssueComponent error = issueAt(response.outcome(), "Bundle.entry[1].resource.meta.profile[0]", IssueSeverity.ERROR)
                .orElseThrow(() -> new AssertionError(response.toString()));
        assertTrue(error.getDiagnostics().contains("JP-CLINS 1.5.2 to 1.13.x"), error.getDiagnostics());
    }

    @Test
    void aDischargeSummaryWithTheSectionCodesOf154IsAcceptedWithTheVersionNote() {
        Bundle summary = DeclaredVersions.ofTodaysGuides(DocumentBuilder.dischargeSummary().withSectionCodesOf154()
                .forPatient(TestPatient.aPatient()).build());

        Bundle receipt = accepted(TOKYO_CENTRAL, summary);

        assertTrue(issueAt(outcomeOf(receipt), "Bundle.entry[0].resource.meta.profile[0]", IssueSeverity.INFORMATION)
                .map(i -> i.getDiagnostics().contains("JP_Composition_eDischargeSummary|" + DeclaredVersions.JP_CLINS))
                .orElse(false), () -> encode(outcomeOf(receipt)));
    }

    @Test
    void aDischargeSummaryWithTheSectionCodesOf154AndNoPresentIllnessIsStillRefused() {
        Bundle summary = DocumentBuilder.dischargeSummary().withSectionCodesOf154().forPatient(TestPatient.aPatient()).build();
        Composition composition = (Composition) summary.getEntryFirstRep().getResource();
        composition.getSectionFirstRep().getSection()
                .removeIf(s -> s.getCode().getCoding().stream().anyMatch(c -> "360".equals(c.getCode())));

        FhirHttp.Response response = fhir.submit(TOKYO_CENTRAL, summary);

        assertEquals(422, response.status(), response::toString);
        assertTrue(response.outcome().getIssue().stream()
                .anyMatch(i -> i.getSeverity() == IssueSeverity.ERROR && i.getDiagnostics().contains("presentIllnessSection")
                        && i.getExpression().stream().anyMatch(e -> e.getValue().startsWith("Bundle.entry[0].resource.section[0]"))),
                response::toString);
    }

    @Test
    void aRuleOfALaterGuideComesBackAsAWarningWithItsVersion() {
        // The lab examples carry no performer, which JP-CLINS 1.6.0 requires in JP_Bundle_CLINS.
        Bundle receipt = accepted(TOKYO_CENTRAL, ClinsBundleBuilder.labResults().forPatient(TestPatient.aPatient()).withItems("W1").build());

        OperationOutcomeIssueComponent warning = issueAt(outcomeOf(receipt), "Bundle.entry[1].resource.performer", IssueSeverity.WARNING)
                .orElseThrow(() -> new AssertionError(encode(outcomeOf(receipt))));
        assertTrue(warning.getDiagnostics().contains("JP-CLINS 1.6.0"), warning.getDiagnostics());
    }

    private static OperationOutcome outcomeOf(Bundle receipt) {
        OperationOutcome outcome = (OperationOutcome) receipt.getEntryFirstRep().getResponse().getOutcome();
        assertTrue(outcome != null, "the receipt carries an outcome");
        return outcome;
    }

    private static Optional<OperationOutcomeIssueComponent> issueAt(OperationOutcome outcome, String path, IssueSeverity severity) {
        return outcome.getIssue().stream()
                .filter(i -> i.getSeverity() == severity && i.getExpression().stream().anyMatch(e -> path.equals(e.getValue())))
                .findFirst();
    }

    private static String encode(OperationOutcome outcome) {
        return FhirHttp.FHIR.newJsonParser().encodeResourceToString(outcome);
    }
}
