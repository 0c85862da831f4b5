package jp.clinsgateway.server.submission;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.server.patient.JpIdentifiers;
import jp.clinsgateway.server.support.ClinsBundleBuilder;
import jp.clinsgateway.server.support.ConsentBuilder;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.GatewayTest;
import jp.clinsgateway.server.support.TestPatient;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static jp.clinsgateway.server.support.Institutions.OSAKA_CLINIC;
import static jp.clinsgateway.server.support.Institutions.TOKYO_CENTRAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A CLINS report sent again under the same Bundle.identifier replaces the earlier report whole, as
 * the readers and the sending EMR see it. Runs on each database.
 */
abstract class ReportReplacementContract extends GatewayTest {

    @Autowired
    private IInterceptorService storageHooks;

    @Test
    void anItemLeftOutOfAResentReportIsHiddenFromEveryReaderOnTheNextRequest() {
        TestPatient person = TestPatient.aPatient();
        Bundle first = accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person).asReport("HIDE")
                .withItems("HIDE-1", "HIDE-2", "HIDE-3").build());
        String patient = patientOf(first);
        String struckOff = versionless(first.getEntry().get(3).getResponse().getLocation());
        consentToOsaka(patient);
        Map<String, FhirHttp> readers = Map.of("the author", fhir.asInstitution(TOKYO_CENTRAL),
                "the patient", fhir.asPatient(patient), "a consented institution", fhir.asInstitution(OSAKA_CLINIC));
        readers.forEach((who, reader) -> assertEquals(Set.of("HIDE-1", "HIDE-2", "HIDE-3"), seenBy(reader, "Condition", patient), who));

        accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person).asReport("HIDE").withItems("HIDE-1", "HIDE-2").build());

        readers.forEach((who, reader) -> {
            assertEquals(Set.of("HIDE-1", "HIDE-2"), seenBy(reader, "Condition", patient), who);
            assertRefused(404, reader.get(struckOff), who + " reads the withdrawn diagnosis");
        });
    }

    @Test
    void aResentReportReplacesChangedItemsAddsNewOnesAndListsWhatItWithdrew() {
        TestPatient person = TestPatient.aPatient();
        Bundle first = accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person).asReport("LIST")
                .withItems("LIST-A", "LIST-B", "LIST-C").build());
        String patient = patientOf(first);
        String itemC = versionless(first.getEntry().get(3).getResponse().getLocation());
        Bundle again = ClinsBundleBuilder.diagnoses().forPatient(person).asReport("LIST").withItems("LIST-A", "LIST-B", "LIST-D").build();
        ((Condition) again.getEntry().get(1).getResource()).getCode().setText("高血圧症（訂正）");

        Bundle receipt = accepted(TOKYO_CENTRAL, again);

        assertEquals(List.of("200 OK", "200 OK", "200 OK", "201 Created", "204 No Content"),
                receipt.getEntry().stream().map(e -> e.getResponse().getStatus()).toList(),
                "patient matched; A and B replaced; D added; C withdrawn");
        BundleEntryComponent withdrawn = receipt.getEntry().get(4);
        assertEquals(itemC, withdrawn.getResponse().getLocation());
        String why = withdrawn.getResponse().getOutcome() instanceof org.hl7.fhir.r4.model.OperationOutcome outcome
                ? outcome.getIssueFirstRep().getDiagnostics() : "";
        assertTrue(why.contains(TOKYO_CENTRAL + "^2026^LIST-C") && why.contains(TOKYO_CENTRAL + "^2026^LIST"), why);
        assertEquals(Set.of("LIST-A", "LIST-B", "LIST-D"), seenBy(fhir.asPatient(patient), "Condition", patient));
        Condition replaced = (Condition) byItemId(patient, "Condition", "LIST-A");
        assertEquals("高血圧症（訂正）", replaced.getCode().getText());
        assertEquals("2", replaced.getMeta().getVersionId());
        assertEquals(TOKYO_CENTRAL + "^2026^LIST", replaced.getMeta().getTag(GatewayCanonical.REPORT, TOKYO_CENTRAL + "^2026^LIST").getCode());
    }

    @Test
    void aReportUnderANewIdentifierLeavesTheEarlierReportsItemsInPlace() {
        TestPatient person = TestPatient.aPatient();
        String patient = patientOf(accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person).asReport("NEW-1")
                .withItems("NEW-A", "NEW-B").build()));

        // B comes again in a new report: still one record, now held by the new report.
        Bundle second = accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person).asReport("NEW-2")
                .withItems("NEW-B", "NEW-C").build());
        assertEquals(0, withdrawnIn(second));
        assertEquals(Set.of("NEW-A", "NEW-B", "NEW-C"), seenBy(fhir.asPatient(patient), "Condition", patient));
        assertEquals("2", byItemId(patient, "Condition", "NEW-B").getMeta().getVersionId(), "replaced, not duplicated");

        // The first report sent again without B withdraws nothing: B is no longer in it.
        assertEquals(0, withdrawnIn(accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person).asReport("NEW-1")
                .withItems("NEW-A").build())));
        assertEquals(Set.of("NEW-A", "NEW-B", "NEW-C"), seenBy(fhir.asPatient(patient), "Condition", patient));

        // The second one sent again without B withdraws it.
        assertEquals(1, withdrawnIn(accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person).asReport("NEW-2")
                .withItems("NEW-C").build())));
        assertEquals(Set.of("NEW-A", "NEW-C"), seenBy(fhir.asPatient(patient), "Condition", patient));
    }

    @Test
    void theSameReportIdentifierForAnotherPatientIsAnotherReport() {
        TestPatient one = TestPatient.aPatient();
        TestPatient other = TestPatient.aPatient();
        String first = patientOf(accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(one).asReport("PAT")
                .withItems("PAT-1").build()));

        Bundle receipt = accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(other).asReport("PAT").withItems("PAT-2").build());

        assertEquals(0, withdrawnIn(receipt));
        assertEquals(Set.of("PAT-1"), seenBy(fhir.asPatient(first), "Condition", first));
    }

    @Test
    void anotherInstitutionCannotSendAReportUnderTheAuthorsIdentifier() {
        TestPatient person = TestPatient.aPatient();
        String patient = patientOf(accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person).asReport("OWN")
                .withItems("OWN-T1", "OWN-T2").build()));
        Bundle osaka = ClinsBundleBuilder.diagnoses().from(OSAKA_CLINIC).forPatient(person).withItems("OWN-O1").build();
        osaka.getIdentifier().setValue(TOKYO_CENTRAL + "^2026^OWN");

        FhirHttp.Response refused = fhir.submit(OSAKA_CLINIC, osaka);

        assertRefused(403, refused);
        assertEquals("Bundle.identifier.value", refused.outcome().getIssueFirstRep().getExpression().get(0).getValue());
        // Under its own code the same local part is Osaka's own report, which leaves Tokyo's alone.
        accepted(OSAKA_CLINIC, ClinsBundleBuilder.diagnoses().from(OSAKA_CLINIC).forPatient(person).asReport("OWN").withItems("OWN-O1").build());
        assertEquals(Set.of("OWN-T1", "OWN-T2", "OWN-O1"), seenBy(fhir.asPatient(patient), "Condition", patient));
    }

    @Test
    void anAllergyLeftOutOfAResentAllergyReportIsWithdrawnForEveryReader() {
        TestPatient person = TestPatient.aPatient();
        Bundle first = accepted(TOKYO_CENTRAL, ClinsBundleBuilder.allergies().forPatient(person).asReport("ALG")
                .withItems("ALG-1", "ALG-2").build());
        String patient = patientOf(first);
        consentToOsaka(patient);

        Bundle receipt = accepted(TOKYO_CENTRAL, ClinsBundleBuilder.allergies().forPatient(person).asReport("ALG").withItems("ALG-1").build());

        assertEquals(1, withdrawnIn(receipt));
        for (FhirHttp reader : List.of(fhir.asInstitution(TOKYO_CENTRAL), fhir.asPatient(patient), fhir.asInstitution(OSAKA_CLINIC))) {
            assertEquals(Set.of("ALG-1"), seenBy(reader, "AllergyIntolerance", patient));
        }
    }

    @Test
    void aBundleHoldingOnlyThePatientWithdrawsEveryReportOfThatType() {
        TestPatient person = TestPatient.aPatient();
        String patient = patientOf(accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person).asReport("ALL-1")
                .withItems("ALL-A").build()));
        accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person).asReport("ALL-2").withItems("ALL-B").build());
        accepted(TOKYO_CENTRAL, ClinsBundleBuilder.allergies().forPatient(person).asReport("ALL-3").withItems("ALL-C").build());

        Bundle receipt = accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person).withoutItems().build());

        assertEquals(2, withdrawnIn(receipt));
        assertTrue(receipt.getEntry().stream().filter(e -> e.getResponse().getStatus().startsWith("204"))
                .allMatch(e -> e.getResponse().getOutcome() != null), "each withdrawal says why");
        assertEquals(Set.of(), seenBy(fhir.asPatient(patient), "Condition", patient));
        assertEquals(Set.of("ALL-C"), seenBy(fhir.asPatient(patient), "AllergyIntolerance", patient));

        // The report sent again afterwards is stored anew.
        Bundle again = accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person).asReport("ALL-1").withItems("ALL-A").build());
        assertEquals(List.of("200 OK", "201 Created"), again.getEntry().stream().map(e -> e.getResponse().getStatus()).toList());
    }

    @Test
    void aResendThatFailsAtItsLastStepLeavesTheEarlierReportAsItWas() {
        TestPatient person = TestPatient.aPatient();
        String patient = patientOf(accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person).asReport("FAIL")
                .withItems("FAIL-1", "FAIL-2").build()));
        Bundle again = ClinsBundleBuilder.diagnoses().forPatient(person).asReport("FAIL").withItems("FAIL-1", "FAIL-3").build();
        ((Condition) again.getEntry().get(1).getResource()).getCode().setText("変更されないはず");
        // Withdrawing FAIL-2 comes last, after FAIL-1 is replaced and FAIL-3 added: the database refuses it.
        RefusedDeletion refusal = new RefusedDeletion();
        storageHooks.registerInterceptor(refusal);
        FhirHttp.Response response;
        try {
            response = fhir.submit(TOKYO_CENTRAL, again);
        } finally {
            storageHooks.unregisterInterceptor(refusal);
        }

        assertRefused(422, response);
        assertEquals(Set.of("FAIL-1", "FAIL-2"), seenBy(fhir.asPatient(patient), "Condition", patient));
        Resource unchanged = byItemId(patient, "Condition", "FAIL-1");
        assertEquals("1", unchanged.getMeta().getVersionId());
    }

    @Test
    void twoResendsOfOneReportAtOnceLeaveOneOfThemWhole() throws Exception {
        TestPatient person = TestPatient.aPatient();
        String patient = patientOf(accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person).asReport("RACE")
                .withItems("RACE-K", "RACE-0").build()));
        ExecutorService senders = Executors.newFixedThreadPool(2);
        try {
            for (int round = 1; round <= 10; round++) {
                Set<String> x = Set.of("RACE-K", "RACE-X" + round);
                Set<String> y = Set.of("RACE-K", "RACE-Y" + round);
                CountDownLatch start = new CountDownLatch(1);
                Future<FhirHttp.Response> sentX = senders.submit(sendWhen(start, person, "RACE", x));
                Future<FhirHttp.Response> sentY = senders.submit(sendWhen(start, person, "RACE", y));
                start.countDown();
                int statusX = sentX.get().status();
                int statusY = sentY.get().status();

                assertTrue(Set.of(200, 409).containsAll(List.of(statusX, statusY)), statusX + " " + statusY);
                assertTrue(statusX == 200 || statusY == 200, "at least one is stored");
                Set<String> stored = seenBy(fhir.asPatient(patient), "Condition", patient);
                Set<Set<String>> whole = statusX == 200 && statusY == 200 ? Set.of(x, y) : Set.of(statusX == 200 ? x : y);
                assertTrue(whole.contains(stored), "round " + round + ": " + stored + " is not one of " + whole);
            }
        } finally {
            senders.shutdownNow();
        }
    }

    @Test
    void aSubmissionThatWaitsTooLongForTheSameItemsIsToldToSendAgain() throws Exception {
        TestPatient person = TestPatient.aPatient();
        String patient = patientOf(accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person).asReport("WAIT")
                .withItems("WAIT-0").build()));
        SlowWrite slow = new SlowWrite("WAIT-1");
        storageHooks.registerInterceptor(slow);
        ExecutorService senders = Executors.newFixedThreadPool(2);
        try {
            Future<FhirHttp.Response> first = senders.submit(sendWhen(new CountDownLatch(0), person, "WAIT", Set.of("WAIT-1")));
            slow.started.await();
            FhirHttp.Response second = fhir.submit(TOKYO_CENTRAL,
                    ClinsBundleBuilder.diagnoses().forPatient(person).asReport("WAIT").withItems("WAIT-2").build());
            assertEquals(200, first.get().status());

            // PostgreSQL waits for the first to finish; the embedded database gives up after 2 s.
            if (second.status() == 200) {
                assertEquals(Set.of("WAIT-2"), seenBy(fhir.asPatient(patient), "Condition", patient));
            } else {
                assertRefused(409, second);
                assertEquals(org.hl7.fhir.r4.model.OperationOutcome.IssueType.LOCKERROR, second.outcome().getIssueFirstRep().getCode());
                assertEquals(Set.of("WAIT-1"), seenBy(fhir.asPatient(patient), "Condition", patient));
            }
        } finally {
            storageHooks.unregisterInterceptor(slow);
            senders.shutdownNow();
        }
    }

    @Test
    void aPrescriptionBundleNamesItsReportAsJpClinsDoes() {
        Bundle prescriptions = ClinsBundleBuilder.prescriptions().withItems("RX-1").build();
        prescriptions.getIdentifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + java.util.UUID.randomUUID());

        FhirHttp.Response refused = fhir.submit(TOKYO_CENTRAL, prescriptions);

        assertRefused(422, refused);
        assertTrue(refused.body().contains("Bundle.identifier"), refused::toString);
    }

    private Callable<FhirHttp.Response> sendWhen(CountDownLatch start, TestPatient person, String report, Set<String> items) {
        Bundle bundle = ClinsBundleBuilder.diagnoses().forPatient(person).asReport(report).withItems(items.toArray(String[]::new)).build();
        return () -> {
            start.await();
            return fhir.submit(TOKYO_CENTRAL, bundle);
        };
    }

    /** The database refusing to delete anything, as a failure at a submission's last step. */
    @Interceptor
    public static class RefusedDeletion {
        @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
        public void refuse(IBaseResource resource) {
            throw new UnprocessableEntityException("Test: the database refuses to delete " + resource.getIdElement().getValue());
        }
    }

    /** Holds the submission that writes one item for 3 s, as a slow database would. */
    @Interceptor
    public static class SlowWrite {
        private final String localId;
        final CountDownLatch started = new CountDownLatch(1);

        SlowWrite(String localId) {
            this.localId = localId;
        }

        @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
        public void slowly(IBaseResource resource) throws InterruptedException {
            if (resource instanceof Condition item && item.getIdentifier().stream()
                    .anyMatch(i -> (TOKYO_CENTRAL + "^2026^" + localId).equals(i.getValue()))) {
                started.countDown();
                Thread.sleep(3_000);
            }
        }
    }

    private void consentToOsaka(String patient) {
        FhirHttp.Response consent = fhir.asPatient(patient).create(ConsentBuilder.permit().to(OSAKA_CLINIC).forPatient(patient).build());
        assertEquals(201, consent.status(), consent::toString);
    }

    /** The local ids of the items a reader is shown in a search of the patient's records of one type. */
    private static Set<String> seenBy(FhirHttp reader, String type, String patient) {
        return searchAs(reader, type + "?patient=" + patient + "&_count=100").getEntry().stream()
                .map(e -> localIdOf(e.getResource()))
                .collect(Collectors.toSet());
    }

    private Resource byItemId(String patient, String type, String localId) {
        Bundle found = search(type + "?patient=" + patient + "&identifier="
                + encode(JpIdentifiers.RESOURCE_INSTANCE + "|" + TOKYO_CENTRAL + "^2026^" + localId));
        assertEquals(1, found.getTotal(), localId);
        return found.getEntryFirstRep().getResource();
    }

    private static String localIdOf(Resource item) {
        return item.getNamedProperty("identifier").getValues().stream()
                .map(Identifier.class::cast)
                .filter(i -> JpIdentifiers.RESOURCE_INSTANCE.equals(i.getSystem()))
                .map(i -> i.getValue().substring(i.getValue().lastIndexOf('^') + 1))
                .findFirst().orElseThrow();
    }

    private static long withdrawnIn(Bundle receipt) {
        return receipt.getEntry().stream().filter(e -> "204 No Content".equals(e.getResponse().getStatus())).count();
    }

    private static String patientOf(Bundle receipt) {
        return versionless(located(receipt, "Patient"));
    }
}
