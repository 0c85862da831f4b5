package jp.clinsgateway.consent;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static jp.clinsgateway.consent.ConsentRulesTest.OSAKA;
import static jp.clinsgateway.consent.ConsentRulesTest.PATIENT;
import static jp.clinsgateway.consent.ConsentRulesTest.TOKYO;
import static jp.clinsgateway.consent.ConsentRulesTest.YOKOHAMA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every combination of reader × purpose × category × flags × author × consent state × time:
 * the per-record decision and the per-request visible set agree (so narrowing a query by labels
 * gives exactly what per-record checks would), and the rules that must never bend do not.
 */
class EveryCombinationTest {

    private static final Instant DURING = Consents.VISIT.plus(Duration.ofHours(2));
    private static final Instant AFTER = Consents.VISIT.plus(Duration.ofDays(3));

    @TestFactory
    Stream<DynamicTest> decisionsAndVisibleSetsAgree() {
        List<DynamicTest> tests = new ArrayList<>();
        for (PolicySettings settings : List.of(PolicySettings.DEFAULTS, new PolicySettings(false, false, true),
                new PolicySettings(true, true, true))) {
            ConsentEngine engine = new ConsentEngine(settings);
            for (AccessRequest request : requests()) {
                for (List<PatientConsent> consents : consentStates()) {
                    for (Instant now : List.of(DURING, AFTER)) {
                        VisibleSet visible = engine.visibleSet(request, consents, now);
                        List<RecordFacts> records = records();
                        tests.add(DynamicTest.dynamicTest(request + " " + consents.size() + " consents " + now, () -> {
                            for (RecordFacts record : records) {
                                Decision decision = engine.decide(request, record, consents, now);
                                assertEquals(decision.permits(), visible.admits(ConsentEngine.labelsOf(record)),
                                        () -> record + " decided " + decision);
                                assertInvariants(settings, request, record, consents, decision);
                            }
                        }));
                    }
                }
            }
        }
        return tests.stream();
    }

    private static void assertInvariants(PolicySettings settings, AccessRequest request, RecordFacts record, List<PatientConsent> consents, Decision decision) {
        Requester requester = request.requester();
        boolean author = requester instanceof Requester.Institution i && i.code().equals(record.authorInstitution());
        if (author) {
            assertTrue(decision.permits(), "the author always reads");
            return;
        }
        if (record.has(ItemFlag.UNDELIVERED) || requester instanceof Requester.Operator) {
            assertFalse(decision.permits());
        }
        if (requester instanceof Requester.Institution i && decision.permits()) {
            assertFalse(consents.stream().anyMatch(c -> c.effect() == Effect.DENY
                    && c.covers(i.code(), record.category(), request.purpose(), DURING)
                    && c.end().isEmpty()), "a standing refusal is never overridden: " + decision);
            if (record.category() == ShareCategory.REFERRAL_LETTER) {
                assertEquals(Optional.of(i.code()), record.addressedInstitution(), "only the addressee reads a referral letter");
            }
        }
        if (record.cancelled() && decision.permits()) {
            assertTrue(requester instanceof Requester.Institution i && record.category() == ShareCategory.REFERRAL_LETTER
                    && record.fetchedByAddressee() && record.addressedInstitution().equals(Optional.of(i.code())),
                    () -> "a cancelled document is read by its author and by a letter's addressee that fetched it, nobody else: " + decision);
        }
        if (requester instanceof Requester.Insurer insurer && decision.permits()) {
            assertEquals(ShareCategory.CHECKUP_REPORT, record.category());
            assertEquals(insurer.insurerNumber(), record.checkup().orElseThrow().insurer(), "only its own members' reports");
            assertTrue(record.checkup().get().kind() != CheckupKind.UNCLASSIFIED, "never an unclassified report");
            assertTrue(record.checkup().get().kind() != CheckupKind.COMPREHENSIVE || record.checkup().get().agreedOnQuestionnaire(),
                    "a comprehensive checkup only with the questionnaire's agreement");
        }
        if (requester instanceof Requester.PatientSelf && record.has(ItemFlag.UNINFORMED)) {
            assertFalse(decision.permits());
        }
        boolean institutional = record.category() == ShareCategory.REFERRAL_LETTER || record.category() == ShareCategory.DISCHARGE_SUMMARY;
        if (requester instanceof Requester.PatientSelf && institutional && !settings.patientReadsInstitutionalDocuments()) {
            assertFalse(decision.permits(), "the patient reads the six items and checkup reports, not letters or summaries");
        }
        if (requester instanceof Requester.PatientSelf self && !self.patientId().equals(request.patientId())) {
            assertFalse(decision.permits(), "a patient never reads another patient's records");
        }
    }

    private static List<AccessRequest> requests() {
        List<AccessRequest> requests = new ArrayList<>();
        for (String institution : List.of(TOKYO, OSAKA, YOKOHAMA)) {
            for (Purpose purpose : List.of(Purpose.TREATMENT, Purpose.EMERGENCY)) {
                requests.add(AccessRequest.byInstitution(institution, purpose, PATIENT));
            }
        }
        requests.add(new AccessRequest(new Requester.PatientSelf(PATIENT), Purpose.PATIENT_REQUEST, PATIENT, Optional.empty()));
        requests.add(new AccessRequest(new Requester.PatientSelf("Patient/other"), Purpose.PATIENT_REQUEST, PATIENT, Optional.empty()));
        requests.add(new AccessRequest(new Requester.Insurer("06139991"), Purpose.HEALTH_PROMOTION, PATIENT, Optional.of("06139991")));
        requests.add(new AccessRequest(new Requester.Insurer("01130012"), Purpose.HEALTH_PROMOTION, PATIENT, Optional.of("06139991")));
        requests.add(new AccessRequest(new Requester.Operator(), Purpose.OPERATIONS, PATIENT, Optional.empty()));
        return requests;
    }

    private static List<RecordFacts> records() {
        List<RecordFacts> records = new ArrayList<>();
        for (String author : List.of(TOKYO, OSAKA)) {
            for (ShareCategory category : ShareCategory.values()) {
                for (Set<ItemFlag> flags : List.of(Set.<ItemFlag>of(), Set.of(ItemFlag.UNINFORMED), Set.of(ItemFlag.UNDELIVERED),
                        Set.of(ItemFlag.LTS), Set.of(ItemFlag.UNINFORMED, ItemFlag.UNDELIVERED))) {
                    List<RecordFacts> current = new ArrayList<>();
                    if (category == ShareCategory.REFERRAL_LETTER) {
                        for (String to : List.of(OSAKA, YOKOHAMA, TOKYO)) {
                            current.add(new RecordFacts(category, author, flags, Optional.of(to)));
                        }
                        current.add(new RecordFacts(category, author, flags, Optional.empty()));
                    } else {
                        current.add(new RecordFacts(category, author, flags, Optional.empty()));
                    }
                    if (category == ShareCategory.CHECKUP_REPORT) {
                        for (RecordFacts report : List.copyOf(current)) {
                            for (String insurer : List.of("06139991", "01130012")) {
                                for (CheckupKind kind : CheckupKind.values()) {
                                    for (boolean agreed : List.of(false, true)) {
                                        current.add(report.withCheckup(new CheckupDelivery(insurer, kind, agreed)));
                                    }
                                }
                            }
                        }
                    }
                    records.addAll(current);
                    if (category.kind() == ShareCategory.Kind.DOCUMENT) {
                        for (RecordFacts document : current) {
                            records.add(document.withCancelled(true, false));
                            records.add(document.withCancelled(true, true));
                        }
                    }
                }
            }
        }
        return records;
    }

    private static List<List<PatientConsent>> consentStates() {
        List<List<PatientConsent>> states = new ArrayList<>();
        states.add(List.of());
        for (String viewer : List.of(OSAKA, YOKOHAMA)) {
            states.add(List.of(Consents.comprehensive(viewer)));
            states.add(List.of(Consents.only(viewer, ShareCategory.LAB_RESULT, ShareCategory.REFERRAL_LETTER)));
            states.add(List.of(Consents.comprehensive(viewer), Consents.refusal(viewer, ShareCategory.DIAGNOSIS)));
            states.add(List.of(Consents.revoked(Consents.comprehensive(viewer))));
        }
        states.add(List.of(Consents.comprehensive(OSAKA), Consents.refusalOfEveryone()));
        states.add(List.of(Consents.noEmergencyAccess()));
        states.add(List.of(Consents.noEmergencyAccess(), Consents.only(OSAKA, ShareCategory.ALLERGY)));
        return states;
    }
}
