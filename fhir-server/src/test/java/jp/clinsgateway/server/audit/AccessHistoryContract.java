package jp.clinsgateway.server.audit;

import jp.clinsgateway.server.support.ClinsBundleBuilder;
import jp.clinsgateway.server.support.ConsentBuilder;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.GatewayTest;
import jp.clinsgateway.server.support.TestPatient;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;

import static jp.clinsgateway.server.support.Institutions.OSAKA_CLINIC;
import static jp.clinsgateway.server.support.Institutions.TOKYO_CENTRAL;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The patient's access history says what each access actually returned, recorded when it happened:
 * the categories and counts shown, "searched, nothing shown", a count only, or a refusal; checks that
 * read nothing are not in it. Runs on each database.
 */
abstract class AccessHistoryContract extends GatewayTest {

    @Autowired
    private DataSource dataSource;

    private TestPatient person;
    private String patient;
    private String firstLab;

    @BeforeEach
    void tokyoSubmitsTwoDiagnosesAndThreeLabResults() {
        person = TestPatient.aPatient();
        patient = versionless(located(accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person)
                .withItems("D1", "D2").build()), "Patient"));
        firstLab = versionless(located(accepted(TOKYO_CENTRAL, ClinsBundleBuilder.labResults().forPatient(person)
                .withItems("L1", "L2", "L3").build()), "Observation"));
    }

    @Test
    void eachAccessSaysWhatItReturnedAtTheTime() {
        FhirHttp osaka = fhir.asInstitution(OSAKA_CLINIC);
        String insurer = person.memberId().split(":")[0];
        fhir.asInsurer(insurer).get("Condition?patient=" + patient);                 // searched, nothing shown
        osaka.get("Observation?patient=" + patient);                                 // before any consent: nothing shown
        assertEquals(404, osaka.get(firstLab).status());                              // refused
        consentAsPatient(ConsentBuilder.permit().to(OSAKA_CLINIC).only("lab-result"));
        osaka.get("Observation?patient=" + patient);                                 // three lab results
        osaka.get(firstLab);                                                          // one lab result
        osaka.get("Observation?patient=" + patient + "&_summary=count");            // a count only
        osaka.get("$consent-check?patient=" + patient);                              // reads nothing: not in the history

        List<AuditEvent> history = historyOldestFirst();
        assertEquals(List.of("nothing", "nothing", "refused", "changed", "shown", "shown", "count-only"),
                history.stream().map(AccessHistoryContract::returned).toList(), "one entry per access, what it returned");
        assertEquals(Map.of(), AccessAudit.shownOf(history.get(0)), "the insurer's diagnoses search showed nothing");
        assertEquals(Map.of("lab-result", 3), AccessAudit.shownOf(history.get(4)));
        assertEquals(Map.of("lab-result", 1), AccessAudit.shownOf(history.get(5)));
        assertEquals(List.of("nothing", "nothing", "refused", "changed", "shown", "shown", "count-only"),
                new JdbcTemplate(dataSource).queryForList("select returned from gateway_access_log where patient = ? order by id",
                        String.class, patient), "kept in its own column too");
    }

    private void consentAsPatient(ConsentBuilder consent) {
        assertEquals(201, fhir.asPatient(patient).create(consent.forPatient(patient).build()).status());
    }

    private List<AuditEvent> historyOldestFirst() {
        Bundle log = searchAs(fhir.asPatient(patient), "AuditEvent?_count=50");
        List<AuditEvent> events = new java.util.ArrayList<>(log.getEntry().stream().map(e -> (AuditEvent) e.getResource()).toList());
        java.util.Collections.reverse(events);
        return events;
    }

    private static String returned(AuditEvent event) {
        return event.getEntity().stream().flatMap(e -> e.getDetail().stream())
                .filter(d -> AccessAudit.RETURNED_DETAIL.equals(d.getType())).map(d -> d.getValue().primitiveValue())
                .findFirst().orElse("?");
    }
}
