package jp.clinsgateway.server.emergency;

import jp.clinsgateway.server.support.ClinsBundleBuilder;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.GatewayTest;
import jp.clinsgateway.server.support.MovableClock;
import jp.clinsgateway.server.support.TestPatient;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.List;

import static jp.clinsgateway.server.support.Institutions.OSAKA_CLINIC;
import static jp.clinsgateway.server.support.Institutions.TOKYO_CENTRAL;
import static jp.clinsgateway.server.support.Institutions.YOKOHAMA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Emergency reads over HTTP: Tokyo Central submits a patient's diagnoses; Osaka, with no consent,
 * reads them in an emergency only with the emergency-access role, a stated reason and within the
 * window; the operator and Osaka's privacy officer work through the review queue. Time is the
 * gateway's injected clock. Runs on each database.
 */
abstract class BreakGlassContract extends GatewayTest {

    private static final String REASON_SYSTEM = "http://clinsgateway.jp/fhir/CodeSystem/emergency-reason";

    @Autowired
    private MovableClock clock;

    private String patient;

    @BeforeEach
    void tokyoSubmitsDiagnoses() {
        Bundle receipt = accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(TestPatient.aPatient()).withItems("D1", "D2").build());
        patient = versionless(located(receipt, "Patient"));
    }

    private FhirHttp osakaInAnEmergency() {
        return fhir.asInstitution(OSAKA_CLINIC, "ETREAT").withRoles("emergency-access");
    }

    private static FhirHttp.Response breakGlass(FhirHttp reader, String patient, String reason, String text) {
        Parameters ask = new Parameters();
        ask.addParameter().setName("patient").setValue(new Reference(patient));
        if (reason != null) {
            ask.addParameter().setName("reason").setValue(new Coding(REASON_SYSTEM, reason, null));
        }
        if (text != null) {
            ask.addParameter().setName("text").setValue(new StringType(text));
        }
        return reader.post("$break-glass", null, FhirHttp.FHIR.newJsonParser().encodeResourceToString(ask), "application/fhir+json");
    }

    private String opened(FhirHttp reader) {
        FhirHttp.Response opened = breakGlass(reader, patient, "patient-cannot-consent", "意識障害で救急搬送、既往歴の確認のため");
        assertEquals(200, opened.status(), opened::toString);
        return opened.resource(Parameters.class).getParameter("window").getValue().primitiveValue();
    }

    @Test
    void anEmergencyReadWithTheRoleAndAStatedReasonIsServedWithinTheWindowAndRefusedAfterIt() {
        FhirHttp osaka = osakaInAnEmergency();
        opened(osaka);
        assertEquals(2, searchAs(osaka, "Condition?patient=" + patient).getTotal(), "read without consent, in the window");
        clock.advance(Duration.ofMinutes(119));
        assertEquals(2, searchAs(osaka, "Condition?patient=" + patient).getTotal(), "still open just before two hours");
        clock.advance(Duration.ofMinutes(2));
        assertRefused(403, osaka.get("Condition?patient=" + patient), "after the window");
        assertTrue(osaka.get("Condition?patient=" + patient).outcome().getIssueFirstRep().getDiagnostics().contains("closed"));
        opened(osaka);
        assertEquals(2, searchAs(osaka, "Condition?patient=" + patient).getTotal(), "a new window, with the reason stated again");
    }

    @Test
    void anEmergencyReadWithoutTheRoleOrWithoutAStatedReasonIsRefusedAndTheRefusalLogged() {
        FhirHttp withoutRole = fhir.asInstitution(OSAKA_CLINIC, "ETREAT");
        assertRefused(403, withoutRole.get("Condition?patient=" + patient), "no emergency-access role");
        assertRefused(403, breakGlass(withoutRole, patient, "other", "理由"), "no role, no window either");

        FhirHttp osaka = osakaInAnEmergency();
        assertRefused(403, osaka.get("Condition?patient=" + patient), "the role but no stated reason");
        FhirHttp.Response noReason = breakGlass(osaka, patient, null, "理由");
        assertRefused(422, noReason, "a window needs a coded reason");
        assertTrue(noReason.outcome().getIssueFirstRep().getExpression().stream().anyMatch(e -> e.getValue().contains("reason")));
        assertRefused(422, breakGlass(osaka, patient, "patient-cannot-consent", "  "), "and a text");
        assertRefused(422, breakGlass(osaka, patient, "not-a-reason", "理由"), "a code of the emergency-reason CodeSystem");
        assertRefused(403, osaka.get("Condition?patient=" + patient), "still no window");

        opened(fhir.asInstitution(YOKOHAMA).withRoles("emergency-access"));
        assertRefused(403, osaka.get("Condition?patient=" + patient), "another institution's window is not Osaka's");

        List<AuditEvent> log = searchAs(fhir.asPatient(patient), "AuditEvent?patient=" + patient).getEntry().stream()
                .map(e -> (AuditEvent) e.getResource()).toList();
        assertTrue(log.stream().filter(e -> e.getOutcome() == AuditEvent.AuditEventOutcome._4)
                .filter(e -> "ETREAT".equals(e.getPurposeOfEventFirstRep().getCodingFirstRep().getCode())).count() >= 3,
                "each refused emergency read is in the patient's access log");
    }

    @Test
    void everyEmergencyReadIsMarkedForThePatientAndItsWindowQueuedForReview() {
        FhirHttp osaka = osakaInAnEmergency();
        String window = opened(osaka);
        searchAs(osaka, "Condition?patient=" + patient);
        List<AuditEvent> log = searchAs(fhir.asPatient(patient), "AuditEvent?patient=" + patient).getEntry().stream()
                .map(e -> (AuditEvent) e.getResource()).toList();
        assertTrue(log.stream().anyMatch(e -> e.getOutcome() == AuditEvent.AuditEventOutcome._0
                && "ETREAT".equals(e.getPurposeOfEventFirstRep().getCodingFirstRep().getCode())
                && e.getOutcomeDesc().contains("Emergency")), "the patient's history shows the emergency read as such");

        Parameters.ParametersParameterComponent queued = unreviewed(fhir.asOperator(), window);
        assertEquals(OSAKA_CLINIC, part(queued, "institution"));
        assertEquals("patient-cannot-consent", part(queued, "reason"));
        assertEquals("意識障害で救急搬送、既往歴の確認のため", part(queued, "text"));

        assertRefused(403, fhir.asInstitution(OSAKA_CLINIC).get("$emergency-reviews"), "not without the privacy-officer role");
        assertRefused(403, fhir.asPatient(patient).get("$emergency-reviews"));
        assertRefused(403, fhir.asInsurer("06139991").get("$emergency-reviews"));
        FhirHttp yokohamaOfficer = fhir.asInstitution(YOKOHAMA).withRoles("privacy-officer");
        assertFalse(windows(yokohamaOfficer, "").contains(window), "another institution's officer does not see it");
        assertEquals(404, review(yokohamaOfficer, window, "見た").status(), "nor review it");

        FhirHttp osakaOfficer = fhir.asInstitution(OSAKA_CLINIC).withRoles("privacy-officer");
        assertTrue(windows(osakaOfficer, "?reviewed=false").contains(window));
        FhirHttp.Response reviewed = review(osakaOfficer, window, "救急外来記録と照合、妥当");
        assertEquals(200, reviewed.status(), reviewed::toString);
        assertFalse(windows(fhir.asOperator(), "?reviewed=false").contains(window), "no longer unreviewed");
        Parameters.ParametersParameterComponent done = fhir.asOperator().get("$emergency-reviews?reviewed=true").resource(Parameters.class)
                .getParameter().stream().filter(p -> window.equals(part(p, "id"))).findFirst().orElseThrow();
        assertEquals("救急外来記録と照合、妥当", part(done, "note"));
        assertEquals("privacy-officer of " + OSAKA_CLINIC, part(done, "reviewer"));
        assertEquals(409, review(fhir.asOperator(), window, "again").status(), "reviewed once");
    }

    private static FhirHttp.Response review(FhirHttp reviewer, String window, String note) {
        Parameters ask = new Parameters();
        ask.addParameter().setName("window").setValue(new StringType(window));
        ask.addParameter().setName("note").setValue(new StringType(note));
        return reviewer.post("$review-emergency", null, FhirHttp.FHIR.newJsonParser().encodeResourceToString(ask), "application/fhir+json");
    }

    private static List<String> windows(FhirHttp reviewer, String query) {
        FhirHttp.Response listed = reviewer.get("$emergency-reviews" + query);
        assertEquals(200, listed.status(), listed::toString);
        return listed.resource(Parameters.class).getParameter().stream().map(p -> part(p, "id")).toList();
    }

    private static Parameters.ParametersParameterComponent unreviewed(FhirHttp reviewer, String window) {
        return reviewer.get("$emergency-reviews?reviewed=false").resource(Parameters.class).getParameter().stream()
                .filter(p -> window.equals(part(p, "id"))).findFirst().orElseThrow(() -> new AssertionError("window " + window + " not queued"));
    }

    private static String part(Parameters.ParametersParameterComponent parameter, String name) {
        return parameter.getPart().stream().filter(p -> p.getName().equals(name)).findFirst()
                .map(p -> p.getValue() instanceof Coding c ? c.getCode() : p.getValue().primitiveValue()).orElse(null);
    }
}
