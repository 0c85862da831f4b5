package jp.clinsgateway.server.consent;

import jp.clinsgateway.server.support.ClinsBundleBuilder;
import jp.clinsgateway.server.support.ConsentBuilder;
import jp.clinsgateway.server.support.DocumentBuilder;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.GatewayTest;
import jp.clinsgateway.server.support.TestPatient;
import org.hl7.fhir.r4.model.AuditEvent;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;

import java.util.ArrayList;
import java.util.List;

import static jp.clinsgateway.server.support.Institutions.OSAKA_CLINIC;
import static jp.clinsgateway.server.support.Institutions.TOKYO_CENTRAL;
import static jp.clinsgateway.server.support.Institutions.YOKOHAMA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The consent rules as readers see them over HTTP: Tokyo Central submits a patient's records;
 * Osaka, Yokohama, the patient, insurers and the operator read them. Runs on each database.
 */
abstract class ConsentEnforcementContract extends GatewayTest {

    private TestPatient person;
    private String patient;
    private List<String> diagnoses;

    @BeforeEach
    void tokyoSubmitsFiveDiagnosesAndThreeLabResults() {
        person = TestPatient.aPatient();
        Bundle receipt = accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person)
                .withItems("D1", "D2", "D3", "D4", "D5").build());
        patient = versionless(located(receipt, "Patient"));
        diagnoses = receipt.getEntry().stream().map(e -> e.getResponse().getLocation())
                .filter(l -> l.startsWith("Condition/")).map(GatewayTest::versionless).toList();
        accepted(TOKYO_CENTRAL, ClinsBundleBuilder.labResults().forPatient(person).withItems("L1", "L2", "L3").build());
    }

    private int totalFor(FhirHttp reader, String query) {
        return searchAs(reader, query).getTotal();
    }


    private String consent(ConsentBuilder consent) {
        FhirHttp.Response response = fhir.asPatient(patient).create(consent.forPatient(patient).build());
        assertEquals(201, response.status(), response::toString);
        return versionless(response.resource(Consent.class).getIdElement().toUnqualifiedVersionless().getValue());
    }

    @Test
    void otherInstitutionCannotReadWithoutConsentAndADeniedReadLooksLikeAMissingOne() {
        FhirHttp osaka = fhir.asInstitution(OSAKA_CLINIC);
        assertEquals(0, totalFor(osaka, "Condition?patient=" + patient));
        FhirHttp.Response denied = osaka.get(diagnoses.get(0));
        FhirHttp.Response missing = osaka.get("Condition/999999999");
        assertEquals(404, denied.status(), denied::toString);
        assertEquals(404, missing.status());
        assertEquals(404, osaka.get(diagnoses.get(0) + "/_history/1").status(), "vread as well");
        assertEquals(missing.outcome().getIssueFirstRep().getDiagnostics().replace("999999999", "X"),
                denied.outcome().getIssueFirstRep().getDiagnostics().replaceAll("Condition/[0-9]+", "Condition/X"));
        assertEquals(5, totalFor(fhir.asInstitution(TOKYO_CENTRAL), "Condition?patient=" + patient), "the author reads its own");
    }

    @Test
    void aComprehensiveConsentGivesRightTotalsAndFullPages() {
        consent(ConsentBuilder.permit().to(OSAKA_CLINIC).forOneDay());
        FhirHttp osaka = fhir.asInstitution(OSAKA_CLINIC);
        assertEquals(5, totalFor(osaka, "Condition?patient=" + patient));
        assertEquals(3, totalFor(osaka, "Observation?patient=" + patient));
        List<Integer> pageSizes = new ArrayList<>();
        Bundle page = osaka.get("Condition?patient=" + patient + "&_count=2").resource(Bundle.class);
        while (true) {
            pageSizes.add(page.getEntry().size());
            if (page.getLink("next") == null) {
                break;
            }
            String next = page.getLink("next").getUrl();
            String relative = next.substring(next.indexOf("/fhir") + "/fhir".length());
            page = osaka.get(relative.startsWith("/") ? relative.substring(1) : relative).resource(Bundle.class);
        }
        assertEquals(List.of(2, 2, 1), pageSizes);
        assertEquals(200, osaka.get(diagnoses.get(0)).status());
        assertEquals(0, totalFor(fhir.asInstitution(YOKOHAMA), "Condition?patient=" + patient), "another viewer");
    }

    @Test
    void itemByItemConsentOpensOnlyTheChosenCategories() {
        consent(ConsentBuilder.permit().to(OSAKA_CLINIC).only("lab-result"));
        FhirHttp osaka = fhir.asInstitution(OSAKA_CLINIC);
        assertEquals(3, totalFor(osaka, "Observation?patient=" + patient));
        assertEquals(0, totalFor(osaka, "Condition?patient=" + patient));
    }

    @Test
    void aRefusalBeatsAComprehensiveConsent() {
        consent(ConsentBuilder.permit().to(OSAKA_CLINIC));
        consent(ConsentBuilder.refusal().to(OSAKA_CLINIC).only("diagnosis"));
        FhirHttp osaka = fhir.asInstitution(OSAKA_CLINIC);
        assertEquals(0, totalFor(osaka, "Condition?patient=" + patient));
        assertEquals(3, totalFor(osaka, "Observation?patient=" + patient));
        assertEquals(404, osaka.get(diagnoses.get(0)).status());
    }

    @Test
    void revokedConsentStopsAccessOnTheNextRequest() {
        String id = consent(ConsentBuilder.permit().to(OSAKA_CLINIC));
        FhirHttp osaka = fhir.asInstitution(OSAKA_CLINIC);
        assertEquals(5, totalFor(osaka, "Condition?patient=" + patient));
        Consent consent = fhir.asPatient(patient).get(id).resource(Consent.class);
        consent.setStatus(Consent.ConsentState.INACTIVE);
        FhirHttp.Response revoked = fhir.asPatient(patient).update(consent);
        assertEquals(200, revoked.status(), revoked::toString);
        assertEquals(0, totalFor(osaka, "Condition?patient=" + patient));
        assertEquals(404, osaka.get(diagnoses.get(0)).status());
    }

    @Test
    void aReferralLetterIsOnHoldUntilTheDestinationIsConsentedAndHiddenFromEveryoneElse() {
        Bundle receipt = accepted(TOKYO_CENTRAL, DocumentBuilder.referralLetter().to(OSAKA_CLINIC).forPatient(person).build());
        String letter = versionless(located(receipt, "Bundle"));
        FhirHttp osaka = fhir.asInstitution(OSAKA_CLINIC);
        FhirHttp yokohama = fhir.asInstitution(YOKOHAMA);
        consent(ConsentBuilder.permit().to(YOKOHAMA));
        assertEquals(0, totalFor(osaka, "DocumentReference?patient=" + patient), "on hold: not even its existence");
        assertEquals(404, osaka.get(letter).status());
        assertEquals(0, totalFor(yokohama, "DocumentReference?patient=" + patient), "not addressed to Yokohama");
        assertEquals(404, yokohama.get(letter).status());

        consent(ConsentBuilder.permit().to(OSAKA_CLINIC).only("referral-letter"));
        Bundle index = osaka.get("DocumentReference?patient=" + patient).resource(Bundle.class);
        assertEquals(1, index.getTotal());
        assertEquals(letter, ((DocumentReference) index.getEntryFirstRep().getResource()).getContentFirstRep().getAttachment().getUrl());
        assertEquals(200, osaka.get(letter).status());
        assertEquals(0, totalFor(osaka, "Condition?patient=" + patient), "the letter's consent opens nothing else");
    }

    @Test
    void undeliveredItemsAreSeenByTheirAuthorOnlyAndUninformedOnesAreHiddenFromThePatient() {
        // JP-CLINS 1.5.2 allows these two flags on diagnoses only (other items carry LTS at most).
        accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person).withItems("U1").flagged("UNDELIVERED").build());
        accepted(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(person).withItems("N1").flagged("UNINFORMED").build());
        consent(ConsentBuilder.permit().to(OSAKA_CLINIC));
        assertEquals(7, totalFor(fhir.asInstitution(TOKYO_CENTRAL), "Condition?patient=" + patient));
        assertEquals(6, totalFor(fhir.asInstitution(OSAKA_CLINIC), "Condition?patient=" + patient),
                "institutions follow consent for UNINFORMED, never see UNDELIVERED");
        assertEquals(5, totalFor(fhir.asPatient(patient), "Condition?patient=" + patient));
    }

    @Test
    void emergencyAccessReadsWithoutConsentUnlessThePatientRefusedIt() {
        FhirHttp emergency = fhir.asInstitution(OSAKA_CLINIC, "ETREAT").withRoles("emergency-access");
        breakGlass(emergency, patient);
        assertEquals(5, totalFor(emergency, "Condition?patient=" + patient));
        consent(ConsentBuilder.refusal().forPurpose("ETREAT"));
        assertEquals(0, totalFor(emergency, "Condition?patient=" + patient));
    }

    @Test
    void anInsurerReadsOnlyItsOwnMembersCheckupReports() {
        accepted(TOKYO_CENTRAL, DocumentBuilder.checkupReport().forPatient(person).build());
        accepted(TOKYO_CENTRAL, DocumentBuilder.dischargeSummary().forPatient(person).build());
        String insurer = person.memberId().split(":")[0];
        Bundle index = fhir.asInsurer(insurer).get("DocumentReference?patient=" + patient).resource(Bundle.class);
        assertEquals(1, index.getTotal());
        String report = ((DocumentReference) index.getEntryFirstRep().getResource()).getContentFirstRep().getAttachment().getUrl();
        assertEquals(200, fhir.asInsurer(insurer).get(report).status());
        assertEquals(0, totalFor(fhir.asInsurer(insurer), "Condition?patient=" + patient));
        assertEquals(0, totalFor(fhir.asInsurer("01130012"), "DocumentReference?patient=" + patient));
        assertEquals(404, fhir.asInsurer("01130012").get(report).status());
    }

    @Test
    void theOperatorReadsConsentsButNoClinicalContent() {
        consent(ConsentBuilder.permit().to(OSAKA_CLINIC));
        FhirHttp operator = fhir.asOperator();
        assertEquals(403, operator.get("Condition?patient=" + patient).status());
        assertEquals(404, operator.get(diagnoses.get(0)).status());
        assertEquals(1, totalFor(operator, "Consent?patient=" + patient));
    }

    @Test
    void thePatientReadsOnlyTheirOwnRecords() {
        TestPatient other = TestPatient.aPatient();
        String otherId = versionless(located(accepted(TOKYO_CENTRAL,
                ClinsBundleBuilder.diagnoses().forPatient(other).withItems("O1").build()), "Patient"));
        FhirHttp self = fhir.asPatient(patient);
        assertEquals(0, totalFor(self, "Condition?patient=" + otherId));
        assertEquals(404, self.get(otherId).status());
        assertEquals(1, totalFor(self, "Patient?_count=10"), "a patient search finds only oneself");
    }

    @Test
    void pathsTheNarrowingCannotCoverAreRefused() {
        consent(ConsentBuilder.permit().to(OSAKA_CLINIC));
        FhirHttp osaka = fhir.asInstitution(OSAKA_CLINIC);
        assertRefused(400, osaka.get("Condition?patient=" + patient + "&_include=Condition:subject"));
        assertRefused(400, osaka.get("Patient?_has:Condition:patient:code=x"));
        assertRefused(400, osaka.get("Condition?code=x"));
        assertRefused(400, osaka.get(diagnoses.get(0) + "/_history"));
        assertRefused(405, osaka.get(patient + "/$everything"));
        assertRefused(401, fhir.get("Condition?patient=" + patient));
        assertRefused(401, fhir.get(diagnoses.get(0)));
    }

    @Test
    void consentsAreValidatedAndPatientsDecideOnlyTheirOwn() {
        Consent broken = ConsentBuilder.permit().to(OSAKA_CLINIC).forPatient(patient).build();
        broken.getProvision().addCode().addCoding().setSystem("http://clinsgateway.jp/fhir/CodeSystem/share-category").setCode("everything");
        FhirHttp.Response invalid = fhir.asPatient(patient).create(broken);
        assertRefused(422, invalid);
        assertTrue(invalid.outcome().getIssue().stream().anyMatch(i -> i.getExpression().stream()
                .anyMatch(e -> e.getValue().startsWith("Consent.provision.code"))), invalid::toString);

        TestPatient other = TestPatient.aPatient();
        String otherId = versionless(located(accepted(TOKYO_CENTRAL,
                ClinsBundleBuilder.diagnoses().forPatient(other).withItems("O2").build()), "Patient"));
        assertRefused(403, fhir.asPatient(patient).create(ConsentBuilder.permit().to(OSAKA_CLINIC).forPatient(otherId).build()));
        assertRefused(403, fhir.asInsurer("06139991").create(ConsentBuilder.permit().to(OSAKA_CLINIC).forPatient(patient).build()));
        assertRefused(403, fhir.asInstitution(OSAKA_CLINIC).create(ConsentBuilder.permit().to(OSAKA_CLINIC).forPatient(patient).build()));
        assertEquals(201, fhir.asInstitution(OSAKA_CLINIC).create(ConsentBuilder.permit().to(OSAKA_CLINIC).forPatient(patient)
                        .withCode(consentCode(patient, OSAKA_CLINIC)).build()).status(),
                "an institution records the consent given at its reception, with the patient's one-time code");
    }

    @Test
    void thePatientSeesWhoReadWhatWhenAndWhyIncludingEmergencyReadsAndRefusals() {
        consent(ConsentBuilder.permit().to(OSAKA_CLINIC).only("lab-result"));
        FhirHttp osaka = fhir.asInstitution(OSAKA_CLINIC);
        osaka.get("Observation?patient=" + patient);
        assertEquals(404, osaka.get(diagnoses.get(0)).status());
        FhirHttp yokohamaInAnEmergency = fhir.asInstitution(YOKOHAMA, "ETREAT").withRoles("emergency-access");
        breakGlass(yokohamaInAnEmergency, patient);
        yokohamaInAnEmergency.get("Condition?patient=" + patient);

        Bundle log = searchAs(fhir.asPatient(patient), "AuditEvent?patient=" + patient + "&_count=50");
        List<AuditEvent> events = log.getEntry().stream().map(e -> (AuditEvent) e.getResource()).toList();
        assertTrue(events.stream().anyMatch(e -> by(e, OSAKA_CLINIC) && e.getOutcome() == AuditEvent.AuditEventOutcome._0
                && e.getOutcomeDesc().contains("lab-result: permit")), "Osaka's search, with why");
        assertTrue(events.stream().anyMatch(e -> by(e, OSAKA_CLINIC) && e.getOutcome() == AuditEvent.AuditEventOutcome._4
                && e.getEntity().stream().anyMatch(en -> diagnoses.get(0).equals(en.getWhat().getReference()))), "the refused read");
        assertTrue(events.stream().anyMatch(e -> by(e, YOKOHAMA)
                && e.getPurposeOfEventFirstRep().getCodingFirstRep().getCode().equals("ETREAT")), "the emergency read");
        assertRefused(403, osaka.get("AuditEvent?patient=" + patient));
        assertRefused(401, fhir.get("AuditEvent?patient=" + patient));
        assertEquals(0, totalFor(fhir.asPatient(patient), "AuditEvent?patient=Patient/999999"), "only the patient's own log");
        assertEquals(log.getTotal(), totalFor(fhir.asPatient(patient), "AuditEvent"), "a patient's search is of their own log");
        assertTrue(totalFor(fhir.asOperator(), "AuditEvent?patient=" + patient) >= 3, "the operator reads the log");

        String entry = "AuditEvent/" + events.get(0).getIdElement().getIdPart();
        assertEquals(200, fhir.asPatient(patient).get(entry).status());
        TestPatient stranger = TestPatient.aPatient();
        String strangerId = versionless(located(accepted(TOKYO_CENTRAL,
                ClinsBundleBuilder.diagnoses().forPatient(stranger).withItems("S1").build()), "Patient"));
        assertRefused(404, fhir.asPatient(strangerId).get(entry));
    }

    @Autowired
    private DataSource dataSource;

    @Test
    void aReadThatCannotBeLoggedIsRefused() {
        consent(ConsentBuilder.permit().to(OSAKA_CLINIC).only("lab-result"));
        JdbcTemplate database = new JdbcTemplate(dataSource);
        database.execute("alter table gateway_access_log rename to gateway_access_log_away");
        try {
            assertRefused(503, fhir.asInstitution(OSAKA_CLINIC).get("Observation?patient=" + patient));
            assertRefused(503, fhir.asInstitution(OSAKA_CLINIC).get(diagnoses.get(0)));
        } finally {
            database.execute("alter table gateway_access_log_away rename to gateway_access_log");
        }
        assertEquals(200, fhir.asInstitution(OSAKA_CLINIC).get("Observation?patient=" + patient).status());
    }

    @Test
    void theAccessLogPagesNewestFirstAndFiltersByDate() {
        consent(ConsentBuilder.permit().to(OSAKA_CLINIC).only("lab-result"));
        FhirHttp osaka = fhir.asInstitution(OSAKA_CLINIC);
        for (int i = 0; i < 3; i++) {
            osaka.get("Observation?patient=" + patient);
        }
        FhirHttp self = fhir.asPatient(patient);
        Bundle first = searchAs(self, "AuditEvent?_count=2");
        assertTrue(!first.hasTotal(), "a page that is not the last does not count the log");
        assertEquals(2, first.getEntry().size());
        assertTrue(first.getLink("next") != null, "a next link");
        assertEquals(4, searchAs(self, "AuditEvent?_count=2&_total=accurate").getTotal(),
                "counted when asked: the patient's consent and Osaka's three searches");
        Bundle second = searchAs(self, "AuditEvent?_count=2&_offset=2");
        assertEquals(2, second.getEntry().size());
        Bundle past = searchAs(self, "AuditEvent?_count=2&_offset=4");
        assertEquals(0, past.getEntry().size());
        assertEquals(4, past.getTotal(), "the last page knows the total without counting");
        assertTrue(past.getLink("next") == null, "no next link after the last entry");
        java.util.Set<String> ids = new java.util.HashSet<>();
        java.util.stream.Stream.of(first, second).flatMap(b -> b.getEntry().stream()).forEach(e -> ids.add(e.getResource().getIdElement().getIdPart()));
        assertEquals(4, ids.size(), "pages do not overlap");
        java.util.Date newest = ((AuditEvent) first.getEntryFirstRep().getResource()).getRecorded();
        java.util.Date oldest = ((AuditEvent) second.getEntryFirstRep().getResource()).getRecorded();
        assertTrue(!newest.before(oldest), "newest first");
        assertEquals(0, totalFor(self, "AuditEvent?date=lt2000-01-01"));
        assertEquals(4, totalFor(self, "AuditEvent?date=ge2000-01-01"));
    }

    @Test
    void consentCheckExplainsEachCategoryForAViewer() {
        String labs = consent(ConsentBuilder.permit().to(OSAKA_CLINIC).only("lab-result"));
        FhirHttp.Response response = fhir.asPatient(patient).get("$consent-check?patient=" + patient + "&viewer=" + OSAKA_CLINIC);
        assertEquals(200, response.status(), response::toString);
        Parameters answer = response.resource(Parameters.class);
        Parameters.ParametersParameterComponent labResult = answer.getParameter().stream()
                .filter(p -> p.getName().equals("category") && p.getPart().get(0).getValue() instanceof Coding c && c.getCode().equals("lab-result"))
                .findFirst().orElseThrow();
        assertEquals("permit", labResult.getPart().get(1).getValue().primitiveValue());
        assertEquals("consent-permitted", labResult.getPart().get(2).getValue().primitiveValue());
        assertEquals(labs, ((Reference) labResult.getPart().get(4).getValue()).getReference());
        assertEquals(9, answer.getParameter().stream().filter(p -> p.getName().equals("category")).count());
        assertEquals(200, fhir.asInstitution(OSAKA_CLINIC).get("$consent-check?patient=" + patient).status(), "about itself");
        assertRefused(403, fhir.asInstitution(YOKOHAMA).get("$consent-check?patient=" + patient + "&viewer=" + OSAKA_CLINIC));
    }

    private static boolean by(AuditEvent event, String institution) {
        return event.getAgent().stream().anyMatch(a -> a.getRequestor() && institution.equals(a.getWho().getIdentifier().getValue()));
    }

}
