package jp.clinsgateway.server.access;

import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.server.patient.JpIdentifiers;
import jp.clinsgateway.server.support.ClinsBundleBuilder;
import jp.clinsgateway.server.support.ConsentBuilder;
import jp.clinsgateway.server.support.DocumentBuilder;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.GatewayTest;
import jp.clinsgateway.server.support.TestPatient;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static jp.clinsgateway.server.support.Institutions.OSAKA_CLINIC;
import static jp.clinsgateway.server.support.Institutions.TOKYO_CENTRAL;
import static jp.clinsgateway.server.support.Institutions.YOKOHAMA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an attacker tries around the consent rules, each as the request they would send and the
 * assertion that it gets nothing. Tokyo Central submits a patient's diagnoses; Yokohama is an
 * institution with no relation to the patient; Osaka is one the patient consents to. Runs on each database.
 */
abstract class AttacksOnTheAccessPolicyContract extends GatewayTest {

    private TestPatient person;
    private String patient;
    private List<String> diagnoses;

    @BeforeEach
    void tokyoSubmitsThreeDiagnoses() {
        person = TestPatient.aPatient();
        Bundle receipt = accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person).withItems("D1", "D2", "D3").build());
        patient = versionless(located(receipt, "Patient"));
        diagnoses = receipt.getEntry().stream().map(e -> e.getResponse().getLocation())
                .filter(l -> l.startsWith("Condition/")).map(GatewayTest::versionless).toList();
    }

    // ---------------------------------------------------------------- 1. consent forgery

    @Test
    void anInstitutionCannotGrantItselfConsent() {
        FhirHttp yokohama = fhir.asInstitution(YOKOHAMA);
        assertRefused(403, yokohama.create(ConsentBuilder.permit().to(YOKOHAMA).forPatient(patient).build()));
        assertRefused(403, yokohama.create(ConsentBuilder.permit().forPatient(patient).build()), "nor for everyone");
        assertRefused(403, yokohama.create(ConsentBuilder.permit().to(OSAKA_CLINIC).forPatient(patient).build()), "nor for another");
        assertEquals(0, total(yokohama, "Condition?patient=" + patient), "still nothing to read");
    }

    @Test
    void anInstitutionCannotUseACodeIssuedForAnotherInstitutionOrPatientOrTwice() {
        String forOsaka = consentCode(patient, OSAKA_CLINIC);
        assertRefused(403, fhir.asInstitution(YOKOHAMA).create(ConsentBuilder.permit().to(YOKOHAMA).forPatient(patient).withCode(forOsaka).build()),
                "Osaka's code");
        String otherPatient = newPatientOfTokyo();
        String othersCode = consentCode(otherPatient, YOKOHAMA);
        assertRefused(403, fhir.asInstitution(YOKOHAMA).create(ConsentBuilder.permit().to(YOKOHAMA).forPatient(patient).withCode(othersCode).build()),
                "another patient's code");
        assertRefused(403, fhir.asInstitution(YOKOHAMA).create(ConsentBuilder.permit().to(YOKOHAMA).forPatient(patient).withCode("0000-0000").build()),
                "a guessed code");
        assertEquals(201, fhir.asInstitution(OSAKA_CLINIC).create(ConsentBuilder.permit().to(OSAKA_CLINIC).forPatient(patient).withCode(forOsaka).build()).status());
        assertRefused(403, fhir.asInstitution(OSAKA_CLINIC).create(ConsentBuilder.permit().to(OSAKA_CLINIC).forPatient(patient).withCode(forOsaka).build()),
                "a spent code");
        assertRefused(403, fhir.asInstitution(YOKOHAMA).post("$consent-code", null, codeRequest(YOKOHAMA), "application/fhir+json"),
                "only the patient issues codes");
    }

    @Test
    void anInstitutionRecordsTheConsentThePatientProvedAtItsReceptionWithProvenanceItCannotForge() {
        String code = consentCode(patient, OSAKA_CLINIC);
        Consent sent = ConsentBuilder.permit().to(OSAKA_CLINIC).forPatient(patient).withCode(code.toLowerCase().replace("-", " ")).build();
        sent.getMeta().addTag(GatewayCanonical.CONSENT_RECORDER, "patient", null); // a lie the gateway must not keep
        FhirHttp.Response recorded = fhir.asInstitution(OSAKA_CLINIC).create(sent);
        assertEquals(201, recorded.status(), recorded::toString);
        assertEquals(3, total(fhir.asInstitution(OSAKA_CLINIC), "Condition?patient=" + patient));
        Consent stored = fhir.asPatient(patient).get(versionless(recorded.resource(Consent.class).getIdElement().getValue())).resource(Consent.class);
        assertEquals(List.of(OSAKA_CLINIC), stored.getMeta().getTag().stream()
                .filter(t -> GatewayCanonical.CONSENT_RECORDER.equals(t.getSystem())).map(t -> t.getCode()).toList());
        assertEquals(OSAKA_CLINIC, stored.getOrganizationFirstRep().getIdentifier().getValue());
        assertTrue(stored.getVerificationFirstRep().getVerified());
        assertTrue(stored.getExtensionsByUrl(GatewayCanonical.ONE_TIME_CONSENT_CODE).isEmpty(), "the code is not kept");
    }

    @Test
    void anInstitutionCannotRevokeAConsentItDidNotRecord() {
        String consent = patientConsents(ConsentBuilder.permit().to(OSAKA_CLINIC));
        for (String institution : List.of(YOKOHAMA, OSAKA_CLINIC, TOKYO_CENTRAL)) {
            Consent revoked = fhir.asPatient(patient).get(consent).resource(Consent.class).setStatus(Consent.ConsentState.INACTIVE);
            assertRefused(403, fhir.asInstitution(institution).update(revoked), institution);
        }
        assertEquals(3, total(fhir.asInstitution(OSAKA_CLINIC), "Condition?patient=" + patient), "the patient's consent stands");
    }

    @Test
    void anInstitutionRevokesWhatItRecordedAndThePatientSeesBothSteps() {
        FhirHttp osaka = fhir.asInstitution(OSAKA_CLINIC);
        Consent recorded = osaka.create(ConsentBuilder.permit().to(OSAKA_CLINIC).forPatient(patient).withCode(consentCode(patient, OSAKA_CLINIC)).build())
                .resource(Consent.class);
        String id = versionless(recorded.getIdElement().getValue());
        Consent revoked = osaka.get(id).resource(Consent.class).setStatus(Consent.ConsentState.INACTIVE);
        assertEquals(200, osaka.update(revoked).status());
        assertEquals(0, total(osaka, "Condition?patient=" + patient));

        List<AuditEvent> log = accessLog();
        assertTrue(log.stream().anyMatch(e -> by(e, OSAKA_CLINIC) && e.getAction() == AuditEvent.AuditEventAction.C && names(e, id)),
                "the patient sees that Osaka recorded the consent");
        assertTrue(log.stream().anyMatch(e -> by(e, OSAKA_CLINIC) && e.getAction() == AuditEvent.AuditEventAction.U && names(e, id)),
                "and that Osaka revoked it");
        patientConsents(ConsentBuilder.refusal().to(YOKOHAMA));
        assertTrue(accessLog().stream().anyMatch(e -> e.getAction() == AuditEvent.AuditEventAction.C
                && patient.equals(e.getAgentFirstRep().getWho().getReference())), "the patient's own decisions are in the log too");
    }

    @Test
    void aConsentCannotBeWidenedOrRevivedByAnUpdate() {
        String id = patientConsents(ConsentBuilder.permit().to(OSAKA_CLINIC).only("lab-result"));
        Consent widened = fhir.asPatient(patient).get(id).resource(Consent.class);
        widened.getProvision().getCode().clear();
        assertRefused(422, fhir.asPatient(patient).update(widened));
        Consent revoked = fhir.asPatient(patient).get(id).resource(Consent.class).setStatus(Consent.ConsentState.INACTIVE);
        assertEquals(200, fhir.asPatient(patient).update(revoked).status());
        Consent revived = fhir.asPatient(patient).get(id).resource(Consent.class).setStatus(Consent.ConsentState.ACTIVE);
        assertRefused(422, fhir.asPatient(patient).update(revived));
        Consent invented = ConsentBuilder.permit().to(YOKOHAMA).forPatient(patient).build();
        invented.setId("Consent/invented-by-put");
        assertRefused(422, fhir.asPatient(patient).update(invented), "PUT does not create consents");
    }

    @Test
    void aLetterAuthorRecordsConsentOnlyForItsLettersDestinationAndOnlyForLetters() {
        accepted(TOKYO_CENTRAL, DocumentBuilder.referralLetter().to(OSAKA_CLINIC).forPatient(person).build());
        FhirHttp tokyo = fhir.asInstitution(TOKYO_CENTRAL);
        assertRefused(403, tokyo.create(ConsentBuilder.permit().to(YOKOHAMA).only("referral-letter").forPatient(patient).build()), "not its letter's destination");
        assertRefused(403, tokyo.create(ConsentBuilder.permit().to(OSAKA_CLINIC).forPatient(patient).build()), "not everything");
        assertEquals(0, total(fhir.asInstitution(OSAKA_CLINIC), "DocumentReference?patient=" + patient), "on hold");
        assertEquals(201, tokyo.create(ConsentBuilder.permit().to(OSAKA_CLINIC).only("referral-letter").forPatient(patient).build()).status());
        assertEquals(1, total(fhir.asInstitution(OSAKA_CLINIC), "DocumentReference?patient=" + patient), "the letter reaches its destination");
        assertEquals(0, total(fhir.asInstitution(OSAKA_CLINIC), "Condition?patient=" + patient), "and nothing else");
    }

    // ---------------------------------------------------------------- 2. stale labels

    @Test
    void reflaggingAnItemHidesItOnTheNextRequest() {
        patientConsents(ConsentBuilder.permit().to(OSAKA_CLINIC));
        assertEquals(3, total(fhir.asPatient(patient), "Condition?patient=" + patient));
        accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person).withItems("D1").flagged("UNINFORMED").build());
        assertEquals(2, total(fhir.asPatient(patient), "Condition?patient=" + patient), "UNINFORMED: hidden from the patient at once");
        assertEquals(404, fhir.asPatient(patient).get(diagnoses.get(0)).status());
        assertEquals(3, total(fhir.asInstitution(OSAKA_CLINIC), "Condition?patient=" + patient), "institutions still follow consent");

        accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person).withItems("D2").flagged("UNDELIVERED").build());
        assertEquals(2, total(fhir.asInstitution(OSAKA_CLINIC), "Condition?patient=" + patient), "UNDELIVERED: hidden from Osaka at once");
        assertEquals(404, fhir.asInstitution(OSAKA_CLINIC).get(diagnoses.get(1)).status());
        assertEquals(3, total(fhir.asInstitution(TOKYO_CENTRAL), "Condition?patient=" + patient), "the author still reads all");
        Condition stored = fhir.asInstitution(TOKYO_CENTRAL).get(diagnoses.get(1)).resource(Condition.class);
        assertTrue(stored.getMeta().getTag().stream().noneMatch(t -> GatewayCanonical.SHARE_CATEGORY.equals(t.getSystem())
                || GatewayCanonical.PATIENT_VISIBILITY.equals(t.getSystem())), () -> "no stale label survives: " + stored.getMeta().getTag());

        accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person).withItems("D2").build());
        assertEquals(3, total(fhir.asInstitution(OSAKA_CLINIC), "Condition?patient=" + patient), "unflagged again: shared again");
    }

    // ---------------------------------------------------------------- 3. writing into another chart

    @Test
    void aSubmissionCannotWriteIntoAnotherPatientsChart() {
        TestPatient mine = TestPatient.aPatient();
        Bundle bundle = ClinsBundleBuilder.diagnoses().from(OSAKA_CLINIC).forPatient(mine).withItems("X1").build();
        ((Condition) bundle.getEntry().get(1).getResource()).setSubject(new Reference(patient));
        FhirHttp.Response refused = fhir.submit(OSAKA_CLINIC, bundle);
        assertRefused(422, refused);
        assertTrue(refused.outcome().getIssueFirstRep().getExpression().get(0).getValue().startsWith("Bundle.entry[1].resource.subject"),
                refused::toString);
        Bundle another = ClinsBundleBuilder.diagnoses().from(OSAKA_CLINIC).forPatient(mine).withItems("X2").build();
        ((Condition) another.getEntry().get(1).getResource()).addEvidence().addDetail(new Reference(diagnoses.get(0)));
        assertRefused(422, fhir.submit(OSAKA_CLINIC, another), "nor point at another stored record");
        assertEquals(3, total(fhir.asPatient(patient), "Condition?patient=" + patient), "the other chart is untouched");
        assertEquals(0, total(fhir.asInstitution(OSAKA_CLINIC), "Condition?patient=" + patient));
    }

    // ---------------------------------------------------------------- 4. the patient directory

    @Test
    void anInstitutionCannotListOrBrowsePatientsItHasNoRelationWith() {
        FhirHttp yokohama = fhir.asInstitution(YOKOHAMA);
        String id = patient.substring("Patient/".length());
        for (String browse : List.of("Patient?_count=50", "Patient?_id=" + id, "Patient?_id=" + id + "&birthdate=ge1900-01-01",
                "Patient?_id=" + id + "&name=" + encode(person.family()))) {
            assertFalse(ids(searchAs(yokohama, browse)).contains(patient), browse);
        }
        assertRefused(404, yokohama.get(patient), "not even by id");
        assertTrue(ids(searchAs(fhir.asInstitution(TOKYO_CENTRAL), "Patient?_id=" + id + "&name=" + encode(person.family()))).contains(patient),
                "Tokyo finds the patients it treats");
        patientConsents(ConsentBuilder.permit().to(YOKOHAMA).only("allergy"));
        assertEquals(200, yokohama.get(patient).status(), "and the patient's consent relates Yokohama");
    }

    @Test
    void anInstitutionFindsAPatientByExactMemberIdSeesNoOtherInstitutionAndTheLookupIsLogged() {
        accepted(OSAKA_CLINIC, ClinsBundleBuilder.diagnoses().from(OSAKA_CLINIC).forPatient(person).withItems("O1").build());
        Bundle found = searchAs(fhir.asInstitution(YOKOHAMA), "Patient?" + byMemberId(person));
        assertEquals(1, found.getEntry().size());
        Patient shown = (Patient) found.getEntryFirstRep().getResource();
        assertTrue(shown.getIdentifier().stream().noneMatch(i -> i.getSystem().startsWith(JpIdentifiers.LOCAL_PATIENT_ID_PREFIX)),
                () -> "no local patient ID tells where else the person is treated: " + shown.getIdentifier());
        assertTrue(shown.getMeta().getTag().stream().noneMatch(t -> GatewayCanonical.AUTHOR_INSTITUTION.equals(t.getSystem())));
        Patient tokyosView = fhir.asInstitution(TOKYO_CENTRAL).get(patient).resource(Patient.class);
        assertEquals(List.of(JpIdentifiers.localPatientIdSystem(TOKYO_CENTRAL)), tokyosView.getIdentifier().stream().map(i -> i.getSystem())
                .filter(s -> s.startsWith(JpIdentifiers.LOCAL_PATIENT_ID_PREFIX)).toList(), "Tokyo sees its own local ID only");
        assertTrue(accessLog().stream().anyMatch(e -> by(e, YOKOHAMA) && e.getEntity().stream().anyMatch(en ->
                en.getDescription() != null && en.getDescription().startsWith("Patient"))), "the lookup is in the patient's access log");
        assertEquals(0, searchAs(fhir.asInstitution(YOKOHAMA), "Patient?identifier=" + encode(JpIdentifiers.INSURANCE_MEMBER_ID + "|"
                + person.memberId()) + "&birthdate=ge1900-01-01").getEntry().size(), "anything more than the ID is a search of its own patients");
    }

    @Test
    void theOperatorFindsPatientsOnlyByMemberIdAndSeesNothingButTheirIdentifiers() {
        FhirHttp operator = fhir.asOperator();
        assertRefused(404, operator.get(patient));
        assertRefused(403, operator.get("Patient?_count=10"));
        Patient shown = (Patient) searchAs(operator, "Patient?" + byMemberId(person)).getEntryFirstRep().getResource();
        assertFalse(shown.hasName() || shown.hasBirthDate() || shown.hasAddress() || shown.hasTelecom(), "identifiers only");
        assertEquals(person.memberId(), shown.getIdentifierFirstRep().getValue());
    }

    // ---------------------------------------------------------------- 5. old versions

    @Test
    void oldVersionsAndWithdrawnRecordsAreServedToNobody() {
        String diagnosis = diagnoses.get(0);
        accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person).withItems("D1").flagged("UNINFORMED").build());
        assertRefused(404, fhir.asPatient(patient).get(diagnosis + "/_history/1"), "the version from before it was flagged");
        assertRefused(404, fhir.asInstitution(TOKYO_CENTRAL).get(diagnosis + "/_history/1"), "not even to the author");
        FhirHttp.Response current = fhir.asInstitution(TOKYO_CENTRAL).get(diagnosis);
        String version = current.resource(Condition.class).getMeta().getVersionId();
        assertEquals(200, fhir.asInstitution(TOKYO_CENTRAL).get(diagnosis + "/_history/" + version).status(), "the current version is served");

        String allergy = versionless(located(accepted(TOKYO_CENTRAL, ClinsBundleBuilder.allergies().forPatient(person).withItems("A1").build()),
                "AllergyIntolerance"));
        accepted(TOKYO_CENTRAL, ClinsBundleBuilder.allergies().forPatient(person).withoutItems().build());
        FhirHttp.Response withdrawn = fhir.asInstitution(TOKYO_CENTRAL).get(allergy);
        FhirHttp.Response missing = fhir.asInstitution(TOKYO_CENTRAL).get("AllergyIntolerance/999999999");
        assertRefused(404, withdrawn, "withdrawn: as if it never existed, not 410 with its deletion time");
        assertEquals(missing.outcome().getIssueFirstRep().getDiagnostics().replace("999999999", "X"),
                withdrawn.outcome().getIssueFirstRep().getDiagnostics().replaceAll("AllergyIntolerance/[0-9]+", "AllergyIntolerance/X"));
        assertRefused(404, fhir.asPatient(patient).get(allergy + "/_history/1"));
    }

    // ---------------------------------------------------------------- 6. consent leaks

    @Test
    void consentsAreReadOnlyByTheirPatientTheirRecorderAndTheOperator() {
        String consent = patientConsents(ConsentBuilder.permit().to(OSAKA_CLINIC));
        for (String institution : List.of(YOKOHAMA, OSAKA_CLINIC, TOKYO_CENTRAL)) {
            assertEquals(0, total(fhir.asInstitution(institution), "Consent?patient=" + patient), institution);
            assertRefused(404, fhir.asInstitution(institution).get(consent), institution);
        }
        String stranger = newPatientOfTokyo();
        assertEquals(0, total(fhir.asPatient(stranger), "Consent?patient=" + patient));
        assertRefused(404, fhir.asPatient(stranger).get(consent));
        assertRefused(403, fhir.asInsurer(person.memberId().split(":")[0]).get("Consent?patient=" + patient));
        assertEquals(1, total(fhir.asOperator(), "Consent?patient=" + patient));
    }

    @Test
    void aConditionalCreateRevealsNothingAboutAnotherPatientsConsents() {
        String consent = patientConsents(ConsentBuilder.permit().to(OSAKA_CLINIC));
        String stranger = newPatientOfTokyo();
        String body = FhirHttp.FHIR.newJsonParser().encodeResourceToString(ConsentBuilder.permit().to(YOKOHAMA).forPatient(stranger).build());
        for (String condition : List.of("_id=" + consent.substring("Consent/".length()), "patient=" + patient)) {
            FhirHttp.Response answer = fhir.asPatient(stranger).send(HttpRequest.newBuilder(URI.create(fhir.base() + "Consent"))
                    .header("Content-Type", "application/fhir+json").header("If-None-Exist", condition)
                    .header("Prefer", "return=representation").POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
            assertRefused(400, answer, condition);
            assertFalse(answer.body().contains(OSAKA_CLINIC), "nothing of the other consent");
        }
        FhirHttp.Response conditionalUpdate = fhir.asPatient(stranger).send(HttpRequest.newBuilder(URI.create(fhir.base() + "Consent?patient=" + patient))
                .header("Content-Type", "application/fhir+json").PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
        assertRefused(400, conditionalUpdate);
    }

    // ---------------------------------------------------------------- 7. purpose limitation

    @Test
    void theOperatorReadsWhoWhenWhatCategoryAndOutcomeButNeverTheQuerysValues() {
        patientConsents(ConsentBuilder.permit().to(OSAKA_CLINIC));
        searchAs(fhir.asInstitution(OSAKA_CLINIC), "Condition?patient=" + patient + "&code=" + encode("http://example.org/icd10|B20"));
        FhirHttp.Response log = fhir.asOperator().get("AuditEvent?patient=" + patient + "&_count=50");
        assertEquals(200, log.status());
        assertFalse(log.body().contains("B20"), "no clinical value in the log");
        AuditEvent search = log.resource(Bundle.class).getEntry().stream().map(e -> (AuditEvent) e.getResource())
                .filter(e -> by(e, OSAKA_CLINIC) && e.getAction() == AuditEvent.AuditEventAction.E).findFirst().orElseThrow();
        AuditEvent.AuditEventEntityComponent query = search.getEntity().stream().filter(e -> "24".equals(e.getRole().getCode())).findFirst().orElseThrow();
        assertEquals("Condition?code&patient", query.getDescription(), "the parameters' names only");
        assertFalse(query.hasQuery());
    }

    @Test
    void aReadAnsweredAsHtmlIsLoggedLikeAnyOther() {
        patientConsents(ConsentBuilder.permit().to(OSAKA_CLINIC));
        int before = total(fhir.asOperator(), "AuditEvent?_total=accurate&patient=" + patient);
        FhirHttp.Response html = fhir.asInstitution(OSAKA_CLINIC).get(diagnoses.get(0) + "?_format=html", "text/html");
        assertEquals(200, html.status());
        assertEquals(before + 1, total(fhir.asOperator(), "AuditEvent?_total=accurate&patient=" + patient));
    }

    // ---------------------------------------------------------------- 8. anonymous work

    @Test
    void anonymousCallersCannotMakeTheServerValidate() {
        String body = FhirHttp.FHIR.newJsonParser().encodeResourceToString(ClinsBundleBuilder.diagnoses().forPatient(person).withItems("V1").build());
        assertRefused(401, fhir.post("Bundle/$validate", null, body, "application/fhir+json"));
        assertEquals(200, fhir.post("Bundle/$validate", TOKYO_CENTRAL, body, "application/fhir+json").status());
    }

    // ---------------------------------------------------------------- 9. the patient and the institutional documents

    @Test
    void thePatientReadsCheckupReportsButNotTheLettersAndSummariesWrittenForInstitutions() {
        Bundle letter = accepted(TOKYO_CENTRAL, DocumentBuilder.referralLetter().to(OSAKA_CLINIC).forPatient(person).build());
        accepted(TOKYO_CENTRAL, DocumentBuilder.dischargeSummary().forPatient(person).build());
        accepted(TOKYO_CENTRAL, DocumentBuilder.checkupReport().forPatient(person).build());
        Bundle index = searchAs(fhir.asPatient(patient), "DocumentReference?patient=" + patient);
        assertEquals(1, index.getTotal());
        assertEquals("checkup-report", ((DocumentReference) index.getEntryFirstRep().getResource()).getCategoryFirstRep().getCodingFirstRep().getCode());
        assertRefused(404, fhir.asPatient(patient).get(versionless(located(letter, "Bundle"))));
    }

    // ---------------------------------------------------------------- 10. the access log under load

    @Test
    void aHundredConcurrentConsentedReadersAreAllServedAndAllLogged() throws Exception {
        patientConsents(ConsentBuilder.permit().to(OSAKA_CLINIC));
        int before = total(fhir.asOperator(), "AuditEvent?_total=accurate&patient=" + patient);
        int readers = 100;
        int readsEach = 3;
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(readers);
        List<Future<?>> done = new ArrayList<>();
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        FhirHttp osaka = fhir.asInstitution(OSAKA_CLINIC);
        for (int r = 0; r < readers; r++) {
            int reader = r;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < readsEach; i++) {
                    FhirHttp.Response answer = (reader + i) % 2 == 0 ? osaka.get("Condition?patient=" + patient)
                            : osaka.get(diagnoses.get(i % diagnoses.size()));
                    statuses.computeIfAbsent(answer.status(), s -> new AtomicInteger()).incrementAndGet();
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : done) {
            future.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
        assertEquals(Map.of(200, readers * readsEach), Map.of(200, statuses.getOrDefault(200, new AtomicInteger()).get()),
                () -> "every answer: " + statuses);
        assertEquals(1, statuses.size(), () -> "no other status at all: " + statuses);
        assertEquals(before + readers * readsEach, total(fhir.asOperator(), "AuditEvent?_total=accurate&patient=" + patient), "every read is in the log");
    }

    // ---------------------------------------------------------------- 11. smaller doors

    @Test
    void consentCheckRefusesAPatientItCannotName() {
        FhirHttp self = fhir.asPatient(patient);
        assertRefused(400, self.get("$consent-check"));
        assertRefused(400, self.get("$consent-check?patient=&viewer=" + OSAKA_CLINIC));
        assertRefused(400, self.get("$consent-check?patient=Patient/null&viewer=" + OSAKA_CLINIC));
        assertRefused(404, fhir.asOperator().get("$consent-check?patient=Patient/999999999&viewer=" + OSAKA_CLINIC));
    }

    @Test
    void aPageOfAnotherCallersSearchRevealsNothingNotEvenItsTotal() {
        patientConsents(ConsentBuilder.permit().to(OSAKA_CLINIC));
        Bundle first = searchAs(fhir.asInstitution(OSAKA_CLINIC), "Condition?patient=" + patient + "&_count=1");
        String next = first.getLink("next").getUrl();
        String relative = next.substring(next.indexOf("/fhir") + "/fhir".length());
        String page = relative.startsWith("/") ? relative.substring(1) : relative;
        for (FhirHttp other : List.of(fhir.asInstitution(YOKOHAMA), fhir.asInstitution(TOKYO_CENTRAL), fhir.asPatient(patient))) {
            FhirHttp.Response stolen = other.get(page);
            assertRefused(404, stolen);
            assertFalse(stolen.body().contains("\"total\""), stolen::toString);
        }
        assertEquals(200, fhir.asInstitution(OSAKA_CLINIC).get(page).status(), "the searcher pages on");
    }

    @Test
    void searchParametersOutsideTheAllowListAreRefusedNotIgnored() {
        FhirHttp tokyo = fhir.asInstitution(TOKYO_CENTRAL);
        for (String trick : List.of("&_has:Condition:patient:code=x", "&_contained=true", "&_list=x", "&_text=x", "&patient.name=x",
                "&_include=Condition:subject", "&_revinclude=Provenance:target", "&_filter=x", "&unknown-parameter=1")) {
            assertRefused(400, tokyo.get("Condition?patient=" + patient + trick), trick);
        }
        assertRefused(400, tokyo.get("Condition?patient:Patient=" + patient.substring(8)), "no modifier on the patient named");
        assertEquals(3, total(tokyo, "Condition?patient=" + patient + "&_count=10&_sort=-recorded-date"), "the offered ones work");
    }

    // ---------------------------------------------------------------- helpers

    private String patientConsents(ConsentBuilder consent) {
        FhirHttp.Response response = fhir.asPatient(patient).create(consent.forPatient(patient).build());
        assertEquals(201, response.status(), response::toString);
        return versionless(response.resource(Consent.class).getIdElement().toUnqualifiedVersionless().getValue());
    }

    private String newPatientOfTokyo() {
        return versionless(located(accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(TestPatient.aPatient())
                .withItems("S1").build()), "Patient"));
    }

    private static List<String> ids(Bundle bundle) {
        return bundle.getEntry().stream().map(e -> "Patient/" + e.getResource().getIdElement().getIdPart()).toList();
    }

    private List<AuditEvent> accessLog() {
        return searchAs(fhir.asPatient(patient), "AuditEvent?_count=200").getEntry().stream().map(e -> (AuditEvent) e.getResource()).toList();
    }

    private static String codeRequest(String institution) {
        org.hl7.fhir.r4.model.Parameters ask = new org.hl7.fhir.r4.model.Parameters();
        ask.addParameter().setName("institution").setValue(new org.hl7.fhir.r4.model.StringType(institution));
        return FhirHttp.FHIR.newJsonParser().encodeResourceToString(ask);
    }

    private static boolean by(AuditEvent event, String institution) {
        return event.getAgent().stream().anyMatch(a -> a.getRequestor() && a.getWho().hasIdentifier()
                && institution.equals(a.getWho().getIdentifier().getValue()));
    }

    private static boolean names(AuditEvent event, String reference) {
        return event.getEntity().stream().anyMatch(e -> reference.equals(e.getWhat().getReference()));
    }

    private int total(FhirHttp reader, String query) {
        return searchAs(reader, query).getTotal();
    }



}
