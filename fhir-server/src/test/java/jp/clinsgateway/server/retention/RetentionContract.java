package jp.clinsgateway.server.retention;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import jp.clinsgateway.server.audit.AccessLog;
import jp.clinsgateway.server.support.ClinsBundleBuilder;
import jp.clinsgateway.server.support.DocumentBuilder;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.GatewayTest;
import jp.clinsgateway.server.support.Institutions;
import jp.clinsgateway.server.support.MovableClock;
import jp.clinsgateway.server.support.TestPatient;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retention against the running gateway, with the gateway's clock set by the test: records whose
 * period is over are expunged (every version), everything else stays; a dry run changes nothing;
 * two runs at once do the work once; only the operator may ask.
 */
abstract class RetentionContract extends GatewayTest {

    /** The moment the test judges at: far enough ahead that the demo data's dates are no concern of the assertions. */
    private static final ZonedDateTime NOW = ZonedDateTime.of(2031, 6, 1, 12, 0, 0, 0, ZoneId.of("Asia/Tokyo"));

    @Autowired
    private MovableClock clock;
    @Autowired
    private DaoRegistry daoRegistry;
    @Autowired
    private AccessLog accessLog;
    @Autowired
    private RetentionLease lease;

    /** What the scenario stored, by name, and which of them must go. */
    private final Map<String, String> stored = new HashMap<>();
    private final Set<String> expected = new java.util.HashSet<>();

    @Test
    void retentionExpungesExactlyTheExpiredRecordsWithTheirVersions() {
        storeTheScenario();
        Parameters answer = retention(false);
        for (Map.Entry<String, String> record : stored.entrySet()) {
            boolean gone = expected.contains(record.getKey());
            assertEquals(gone, isExpunged(record.getValue()), () -> record.getKey() + " (" + record.getValue() + ") expunged?");
        }
        // The lab result had two versions: neither may be read any more, even by the system.
        assertTrue(isExpunged(stored.get("lab ended 13 months ago") + "/_history/1"));
        Set<String> removed = records(answer, "record");
        assertTrue(removed.isEmpty(), "a real run lists no records, only counts");
        assertTrue(count(answer, "lab-result") >= 1 && count(answer, "prescription") >= 2 && count(answer, "diagnosis") >= 1
                && count(answer, "checkup-report") >= 1 && count(answer, "infection") >= 1, answer::toString);
    }

    @Test
    void aDryRunSaysWhatWouldGoAndChangesNothing() {
        storeTheScenario();
        Parameters answer = retention(true);
        Set<String> wouldGo = records(answer, "record");
        for (Map.Entry<String, String> record : stored.entrySet()) {
            assertEquals(expected.contains(record.getKey()), wouldGo.contains(record.getValue()), record::getKey);
            assertFalse(isExpunged(record.getValue()), () -> record.getKey() + " must survive a dry run");
        }
        Parameters again = retention(true);
        assertEquals(wouldGo, records(again, "record"), "a dry run is repeatable: it removed nothing");
    }

    @Test
    void runningAgainRemovesNothingMore() {
        storeTheScenario();
        retention(false);
        Parameters second = retention(false);
        Set<String> mine = Set.copyOf(stored.values());
        assertTrue(records(retention(true), "record").stream().noneMatch(mine::contains), second::toString);
    }

    @Test
    void twoRunsAtOnceDoTheWorkOnce() throws Exception {
        storeTheScenario();
        CompletableFuture<FhirHttp.Response> first = CompletableFuture.supplyAsync(() -> post(false));
        CompletableFuture<FhirHttp.Response> second = CompletableFuture.supplyAsync(() -> post(false));
        List<FhirHttp.Response> answers = List.of(first.get(), second.get());
        int prescriptions = 0;
        for (FhirHttp.Response response : answers) {
            assertTrue(response.status() == 200 || response.status() == 409, response::toString);
            if (response.status() == 200) {
                prescriptions += count(response.resource(Parameters.class), "prescription");
            }
        }
        assertTrue(answers.stream().anyMatch(r -> r.status() == 200));
        assertEquals(2, prescriptions - prescriptionsExpiredBefore, "each expired prescription expunged exactly once");
        for (Map.Entry<String, String> record : stored.entrySet()) {
            assertEquals(expected.contains(record.getKey()), isExpunged(record.getValue()), record::getKey);
        }
    }

    @Test
    void theLeaseAdmitsOneRunnerAtATime() {
        Optional<String> holder = lease.take();
        assertTrue(holder.isPresent());
        try {
            assertTrue(lease.take().isEmpty(), "a second runner waits for the first");
            FhirHttp.Response refused = post(false);
            assertRefused(409, refused, "a run while another holds the lease");
        } finally {
            lease.release(holder.get());
        }
        assertEquals(200, post(false).status());
    }

    @Test
    void eachRunIsInTheOperatorsLogWithCountsPerCategory() {
        storeTheScenario();
        Parameters answer = retention(false);
        AuditEvent entry = accessLog.page(new AccessLog.Query(Optional.of(""), Optional.empty(), Optional.empty()), 0, 20).stream()
                .filter(e -> e.getSubtype().stream().anyMatch(s -> RetentionRunLog.RUN.equals(s.getCode())))
                .findFirst().orElseThrow(() -> new AssertionError("no retention run in the log"));
        Map<String, Integer> logged = jp.clinsgateway.server.audit.AccessAudit.shownOf(entry);
        assertEquals(count(answer, "prescription"), logged.get("prescription"));
        assertEquals(count(answer, "lab-result"), logged.get("lab-result"));
        FhirHttp.Response asOperator = fhir.asOperator().get("AuditEvent/" + entry.getIdElement().getIdPart());
        assertEquals(200, asOperator.status(), asOperator::toString);
    }

    @Test
    void onlyTheOperatorRunsRetention() {
        String body = FhirHttp.FHIR.newJsonParser().encodeResourceToString(dryRunParameters(true));
        for (FhirHttp caller : List.of(fhir.asInstitution(Institutions.TOKYO_CENTRAL), fhir.asPatient("Patient/1"), fhir.asInsurer("06139991"))) {
            assertRefused(403, post(caller, body), "retention by a non-operator");
        }
        assertRefused(401, fhir.post("$retention", null, body, "application/fhir+json"), "anonymous retention");
    }

    @Test
    void aWithdrawnItemsStoredVersionsGoWhenTheItemWouldHaveGone() {
        TestPatient patient = TestPatient.aPatient();
        String tokyo = Institutions.TOKYO_CENTRAL;
        String old = versionless(located(accepted(tokyo, ClinsBundleBuilder.labResults().from(tokyo).forPatient(patient)
                .each(taken(NOW.minusMonths(13))).build()), "Observation"));
        String recent = versionless(located(accepted(tokyo, ClinsBundleBuilder.labResults().from(tokyo).forPatient(patient)
                .each(taken(NOW.minusMonths(11))).build()), "Observation"));
        // A Bundle holding only the Patient withdraws both: deleted, their versions still stored.
        accepted(tokyo, ClinsBundleBuilder.labResults().from(tokyo).forPatient(patient).withoutItems().build());
        assertFalse(isExpunged(old + "/_history/1"), "withdrawn, but its version is still stored");

        assertTrue(records(retention(true), "record").contains(old), "the dry run names the withdrawn item whose period is over");
        retention(false);

        assertTrue(isExpunged(old), "taken 13 months ago: its lab-result year is over, withdrawn or not");
        assertTrue(isExpunged(old + "/_history/1"));
        assertFalse(isExpunged(recent), "taken 11 months ago: withdrawn, its versions stay until its year is over");
        assertFalse(isExpunged(recent + "/_history/1"));
    }

    @Test
    void aResolvedAllergyGoesFiveYearsAfterItWasStoredResolvedAndAnActiveOneStays() {
        TestPatient patient = TestPatient.aPatient();
        String tokyo = Institutions.TOKYO_CENTRAL;
        ZonedDateTime storedAt = ZonedDateTime.now(ZoneId.of("Asia/Tokyo"));
        String resolved = versionless(located(accepted(tokyo, ClinsBundleBuilder.allergies().from(tokyo).forPatient(patient)
                .each(i -> ((AllergyIntolerance) i).setClinicalStatus(new CodeableConcept(new Coding(
                        "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "resolved", null))))
                .build()), "AllergyIntolerance"));
        String active = versionless(located(accepted(tokyo, ClinsBundleBuilder.allergies().from(tokyo).forPatient(patient)
                .build()), "AllergyIntolerance"));

        clock.set(storedAt.plusYears(5).minusDays(2).toInstant());
        assertFalse(records(retention(true), "record").contains(resolved), "resolved less than 5 years ago: kept");
        clock.set(storedAt.plusYears(5).plusDays(2).toInstant());
        retention(false);

        assertTrue(isExpunged(resolved), "resolved more than 5 years ago (AllergyIntolerance has no end date: when it was stored resolved)");
        assertFalse(isExpunged(active), "an active allergy does not expire");
    }

    // ------------------------------------------------------------------ the scenario

    /** One patient's records around their retention limits, as of {@link #NOW}. */
    private void storeTheScenario() {
        TestPatient patient = TestPatient.aPatient();
        String tokyo = Institutions.TOKYO_CENTRAL;
        item("diagnosis ended 6 years ago", true, ClinsBundleBuilder.diagnoses().from(tokyo).forPatient(patient)
                .each(ended(NOW.minusYears(6))), "Condition");
        item("diagnosis ended 4 years ago", false, ClinsBundleBuilder.diagnoses().from(tokyo).forPatient(patient)
                .each(ended(NOW.minusYears(4))), "Condition");
        item("active diagnosis recorded 10 years ago", false, ClinsBundleBuilder.diagnoses().from(tokyo).forPatient(patient)
                .each(i -> ((Condition) i).setRecordedDateElement(day(NOW.minusYears(10)))), "Condition");
        item("LTS diagnosis ended 6 years ago", false, ClinsBundleBuilder.diagnoses().from(tokyo).forPatient(patient)
                .flagged("LTS").each(ended(NOW.minusYears(6))), "Condition");
        ClinsBundleBuilder oldLab = ClinsBundleBuilder.labResults().from(tokyo).forPatient(patient).asReport("retlab" + Integer.toHexString(patient.memberId().hashCode()))
                .withItems("LABOLD" + Integer.toHexString(patient.memberId().hashCode())).each(taken(NOW.minusMonths(13)));
        accepted(tokyo, oldLab.build());
        // sent again, changed: a second version, and the first must go too
        item("lab ended 13 months ago", true, oldLab.each(taken(NOW.minusMonths(13).plusMinutes(5))), "Observation");
        item("lab taken 11 months ago", false, ClinsBundleBuilder.labResults().from(tokyo).forPatient(patient)
                .each(taken(NOW.minusMonths(11))), "Observation");
        item("infection test 6 years ago", true, ClinsBundleBuilder.infectionTests().from(tokyo).forPatient(patient)
                .each(taken(NOW.minusYears(6))), "Observation");
        item("LTS infection test 6 years ago", false, ClinsBundleBuilder.infectionTests().from(tokyo).forPatient(patient)
                .flagged("LTS").each(taken(NOW.minusYears(6))), "Observation");
        for (int days : List.of(400, 300, 200, 150, 10)) {
            // the newest three (10, 150, 200 days) stay although 150 and 200 are past 100 days
            item("prescription " + days + " days ago", days >= 300, ClinsBundleBuilder.prescriptions().from(tokyo).forPatient(patient)
                    .each(i -> ((MedicationRequest) i).setAuthoredOnElement(day(NOW.minusDays(days)))), "MedicationRequest");
        }
        Bundle oldCheckup = accepted(tokyo, DocumentBuilder.checkupReport().from(tokyo).forPatient(patient)
                .dated(NOW.minusYears(5).minusDays(2).toInstant()).build());
        stored.put("checkup 5 years ago", versionless(located(oldCheckup, "DocumentReference")));
        stored.put("checkup 5 years ago (document)", versionless(located(oldCheckup, "Bundle")));
        expected.add("checkup 5 years ago");
        expected.add("checkup 5 years ago (document)");
        Bundle recentCheckup = accepted(tokyo, DocumentBuilder.checkupReport().from(tokyo).forPatient(patient)
                .dated(NOW.minusYears(4).toInstant()).build());
        stored.put("checkup 4 years ago", versionless(located(recentCheckup, "DocumentReference")));
    }

    private void item(String name, boolean expires, ClinsBundleBuilder builder, String type) {
        Bundle receipt = accepted(Institutions.TOKYO_CENTRAL, builder.build());
        stored.put(name, versionless(located(receipt, type)));
        if (expires) {
            expected.add(name);
        }
    }

    private static Consumer<org.hl7.fhir.r4.model.Resource> ended(ZonedDateTime when) {
        return i -> {
            Condition condition = (Condition) i;
            condition.setClinicalStatus(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "resolved", null)));
            condition.setAbatement(day(when));
            condition.setRecordedDateElement(day(when.minusYears(1)));
            condition.setOnset(day(when.minusYears(1)));
        };
    }

    private static Consumer<org.hl7.fhir.r4.model.Resource> taken(ZonedDateTime when) {
        return i -> ((Observation) i).setEffective(new DateTimeType(Date.from(when.toInstant()), TemporalPrecisionEnum.SECOND,
                TimeZone.getTimeZone("Asia/Tokyo")));
    }

    private static DateTimeType day(ZonedDateTime when) {
        return new DateTimeType(Date.from(when.toInstant()), TemporalPrecisionEnum.DAY, TimeZone.getTimeZone("Asia/Tokyo"));
    }

    // ------------------------------------------------------------------ asking and checking

    private Parameters retention(boolean dryRun) {
        FhirHttp.Response response = post(dryRun);
        assertEquals(200, response.status(), response::toString);
        return response.resource(Parameters.class);
    }

    private FhirHttp.Response post(boolean dryRun) {
        return post(fhir.asOperator(), FhirHttp.FHIR.newJsonParser().encodeResourceToString(dryRunParameters(dryRun)));
    }

    private static FhirHttp.Response post(FhirHttp caller, String body) {
        return caller.post("$retention", null, body, "application/fhir+json");
    }

    private static Parameters dryRunParameters(boolean dryRun) {
        Parameters parameters = new Parameters();
        parameters.addParameter().setName("dry-run").setValue(new BooleanType(dryRun));
        return parameters;
    }

    private static int count(Parameters answer, String category) {
        return answer.getParameter().stream().filter(p -> "count".equals(p.getName()))
                .filter(p -> category.equals(p.getPart().get(0).getValue().primitiveValue()))
                .mapToInt(p -> Integer.parseInt(p.getPart().get(1).getValue().primitiveValue())).sum();
    }

    private static Set<String> records(Parameters answer, String name) {
        return answer.getParameter().stream().filter(p -> name.equals(p.getName()))
                .map(p -> ((org.hl7.fhir.r4.model.Reference) p.getValue()).getReference()).collect(Collectors.toSet());
    }

    /** Prescriptions already past their period before the test stores its own (demo data, earlier tests' records). */
    private int prescriptionsExpiredBefore;

    @BeforeEach
    void countWhatHadExpiredBefore() {
        clock.set(NOW.toInstant());
        prescriptionsExpiredBefore = count(retention(true), "prescription");
    }

    /** Whether the resource (or version) is gone from the store for good: not even deleted, but unknown. */
    private boolean isExpunged(String reference) {
        IdType id = new IdType(reference);
        try {
            daoRegistry.getResourceDao(id.getResourceType()).read(id, new SystemRequestDetails());
            return false;
        } catch (ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException e) {
            return true;
        } catch (BaseServerResponseException e) {
            return false; // 410 Gone: deleted, but its versions are still stored
        }
    }
}
