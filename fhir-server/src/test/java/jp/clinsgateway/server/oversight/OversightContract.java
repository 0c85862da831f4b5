package jp.clinsgateway.server.oversight;

import jp.clinsgateway.server.support.ClinsBundleBuilder;
import jp.clinsgateway.server.support.ConsentBuilder;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.GatewayTest;
import jp.clinsgateway.server.support.Institutions;
import jp.clinsgateway.server.support.TestPatient;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's oversight against the running gateway: a scripted scan of 50 patients by one
 * institution shows up as signals with the log entries as evidence; a scripted month's consents
 * are counted exactly; nobody but the operator may ask.
 */
abstract class OversightContract extends GatewayTest {

    private static final String SCANNER = Institutions.YOKOHAMA;

    @Test
    void aScanOfFiftyPatientsByOneInstitutionIsSignalledWithItsEvidence() {
        Instant start = Instant.now().minusSeconds(1);
        List<String> diagnoses = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Bundle receipt = accepted(Institutions.TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(TestPatient.aPatient()).build());
            diagnoses.add(versionless(located(receipt, "Condition")));
        }
        FhirHttp scanner = fhir.asInstitution(SCANNER);
        for (String diagnosis : diagnoses) {
            assertEquals(404, scanner.get(diagnosis).status(), "no consent: answered as absent");
        }
        Parameters signals = signals(start);
        Parameters.ParametersParameterComponent scan = signal(signals, "many-patients", SCANNER);
        assertEquals(50, patients(scan), scan::toString);
        assertEquals(50, evidence(scan).size(), "every read of the scan is evidence");
        FhirHttp.Response entry = fhir.asOperator().get(evidence(scan).get(0));
        assertEquals(200, entry.status(), "the evidence is the operator's to read: " + entry);
        assertEquals(50, patients(signal(signals, "no-consent-or-relation", SCANNER)));
        assertTrue(patients(signal(signals, "refusal-burst", SCANNER)) >= 10);
        assertTrue(signals.getParameter().stream().filter(p -> "signal".equals(p.getName()))
                .noneMatch(p -> "many-patients".equals(kind(p)) && !caller(p).endsWith(SCANNER)), "nobody else scanned");
    }

    @Test
    void anEmergencyReadIsASignal() {
        Instant start = Instant.now().minusSeconds(1);
        Bundle receipt = accepted(Institutions.TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(TestPatient.aPatient()).build());
        String diagnosis = versionless(located(receipt, "Condition"));
        FhirHttp osaka = fhir.asInstitution(Institutions.OSAKA_CLINIC, "ETREAT").withRoles("emergency-access");
        org.hl7.fhir.r4.model.Parameters open = new org.hl7.fhir.r4.model.Parameters();
        open.addParameter().setName("patient").setValue(new org.hl7.fhir.r4.model.Reference(versionless(located(receipt, "Patient"))));
        open.addParameter().setName("reason").setValue(new org.hl7.fhir.r4.model.Coding(
                "http://clinsgateway.jp/fhir/CodeSystem/emergency-reason", "patient-cannot-consent", null));
        open.addParameter().setName("text").setValue(new org.hl7.fhir.r4.model.StringType("意識障害で救急搬送"));
        FhirHttp.Response opened = osaka.post("$break-glass", null, FhirHttp.FHIR.newJsonParser().encodeResourceToString(open),
                "application/fhir+json");
        assertEquals(200, opened.status(), opened::toString);
        FhirHttp.Response read = osaka.get(diagnosis);
        assertEquals(200, read.status(), read::toString);
        Parameters.ParametersParameterComponent emergency = signal(signals(start), "emergency-read", Institutions.OSAKA_CLINIC);
        assertEquals(1, patients(emergency));
    }

    @Test
    void aMonthsConsentFiguresAreExact() {
        String month = YearMonth.now(ZoneId.of("Asia/Tokyo")).toString();
        MeasureReport before = statistics(month);
        List<String> patients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Bundle receipt = accepted(Institutions.TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(TestPatient.aPatient()).build());
            patients.add(versionless(located(receipt, "Patient")));
        }
        String comprehensive = consent(patients.get(0), ConsentBuilder.permit().to(Institutions.OSAKA_CLINIC));
        consent(patients.get(1), ConsentBuilder.permit().to(Institutions.OSAKA_CLINIC).only("diagnosis", "allergy"));
        consent(patients.get(2), ConsentBuilder.refusal());
        consent(patients.get(3), ConsentBuilder.refusal().only("lab-result"));
        Consent revoked = fhir.asPatient(patients.get(0)).get(comprehensive).resource(Consent.class);
        revoked.setStatus(Consent.ConsentState.INACTIVE);
        assertEquals(200, fhir.asPatient(patients.get(0)).update(revoked).status());
        MeasureReport after = statistics(month);

        assertEquals(2, count(after, "granted", null) - count(before, "granted", null));
        assertEquals(1, count(after, "granted", "comprehensive") - count(before, "granted", "comprehensive"));
        assertEquals(1, count(after, "granted", "item-by-item") - count(before, "granted", "item-by-item"));
        assertEquals(1, count(after, "granted", "diagnosis") - count(before, "granted", "diagnosis"));
        assertEquals(1, count(after, "granted", "allergy") - count(before, "granted", "allergy"));
        assertEquals(0, count(after, "granted", "lab-result") - count(before, "granted", "lab-result"));
        assertEquals(2, count(after, "refused", null) - count(before, "refused", null));
        assertEquals(1, count(after, "refused", "comprehensive") - count(before, "refused", "comprehensive"));
        assertEquals(1, count(after, "refused", "lab-result") - count(before, "refused", "lab-result"));
        assertEquals(1, count(after, "revoked", null) - count(before, "revoked", null));
        assertEquals(1, count(after, "revoked", "comprehensive") - count(before, "revoked", "comprehensive"));
        String report = FhirHttp.FHIR.newJsonParser().encodeResourceToString(after);
        patients.forEach(p -> assertTrue(!report.contains(p), "no patient is named: " + p));
        assertTrue(!report.contains(Institutions.OSAKA_CLINIC), "no institution is named");
        assertEquals(0, count(statistics("2019-01"), "granted", null), "a month before the gateway: nothing");
    }

    @Test
    void onlyTheOperatorSeesSignalsAndFigures() {
        for (FhirHttp caller : List.of(fhir.asInstitution(Institutions.TOKYO_CENTRAL), fhir.asPatient("Patient/1"), fhir.asInsurer("06139991"))) {
            assertRefused(403, caller.get("$access-signals"), "signals for a non-operator");
            assertRefused(403, caller.get("$consent-statistics?month=2026-11"), "statistics for a non-operator");
        }
        assertRefused(401, fhir.get("$access-signals"), "anonymous signals");
        assertRefused(400, fhir.asOperator().get("$consent-statistics?month=November"), "a month that is no month");
    }

    // ------------------------------------------------------------------ asking and reading

    private Parameters signals(Instant since) {
        FhirHttp.Response response = fhir.asOperator().get("$access-signals?since=" + encode(since.toString())
                + "&until=" + encode(Instant.now().plusSeconds(60).toString()));
        assertEquals(200, response.status(), response::toString);
        return response.resource(Parameters.class);
    }

    private MeasureReport statistics(String month) {
        FhirHttp.Response response = fhir.asOperator().get("$consent-statistics?month=" + month);
        assertEquals(200, response.status(), response::toString);
        return response.resource(MeasureReport.class);
    }

    private String consent(String patient, ConsentBuilder consent) {
        FhirHttp.Response response = fhir.asPatient(patient).create(consent.forPatient(patient).build());
        assertEquals(201, response.status(), response::toString);
        return versionless(response.resource(Consent.class).getIdElement().toUnqualifiedVersionless().getValue());
    }

    /** A group's count (stratum null), or that of one stratum (a scope or a category code). */
    private static int count(MeasureReport report, String measure, String stratum) {
        MeasureReport.MeasureReportGroupComponent group = report.getGroup().stream()
                .filter(g -> measure.equals(g.getCode().getCodingFirstRep().getCode())).findFirst().orElseThrow();
        if (stratum == null) {
            return group.getPopulationFirstRep().getCount();
        }
        return group.getStratifier().stream().flatMap(s -> s.getStratum().stream())
                .filter(s -> stratum.equals(s.getValue().getCodingFirstRep().getCode()))
                .mapToInt(s -> s.getPopulationFirstRep().getCount()).sum();
    }

    private static Parameters.ParametersParameterComponent signal(Parameters signals, String kind, String institution) {
        return signals.getParameter().stream().filter(p -> "signal".equals(p.getName()))
                .filter(p -> kind.equals(kind(p)) && caller(p).endsWith("|" + institution))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " signal for " + institution + " in "
                        + FhirHttp.FHIR.newJsonParser().encodeResourceToString(signals)));
    }

    private static String kind(Parameters.ParametersParameterComponent signal) {
        return ((org.hl7.fhir.r4.model.Coding) part(signal, "kind")).getCode();
    }

    private static String caller(Parameters.ParametersParameterComponent signal) {
        return part(signal, "caller").primitiveValue();
    }

    private static int patients(Parameters.ParametersParameterComponent signal) {
        return Integer.parseInt(part(signal, "patients").primitiveValue());
    }

    private static List<String> evidence(Parameters.ParametersParameterComponent signal) {
        return signal.getPart().stream().filter(p -> "evidence".equals(p.getName()))
                .map(p -> ((Reference) p.getValue()).getReference()).toList();
    }

    private static org.hl7.fhir.r4.model.Type part(Parameters.ParametersParameterComponent signal, String name) {
        return signal.getPart().stream().filter(p -> name.equals(p.getName())).findFirst().orElseThrow().getValue();
    }
}
