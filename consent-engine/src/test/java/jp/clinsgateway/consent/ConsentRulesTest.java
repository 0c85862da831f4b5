package jp.clinsgateway.consent;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static jp.clinsgateway.consent.Consents.VISIT;
import static jp.clinsgateway.consent.Consents.comprehensive;
import static jp.clinsgateway.consent.Consents.noEmergencyAccess;
import static jp.clinsgateway.consent.Consents.only;
import static jp.clinsgateway.consent.Consents.refusal;
import static jp.clinsgateway.consent.Consents.refusalOfEveryone;
import static jp.clinsgateway.consent.Consents.revoked;
import static jp.clinsgateway.consent.ShareCategory.CHECKUP_REPORT;
import static jp.clinsgateway.consent.ShareCategory.DIAGNOSIS;
import static jp.clinsgateway.consent.ShareCategory.LAB_RESULT;
import static jp.clinsgateway.consent.ShareCategory.PRESCRIPTION;
import static jp.clinsgateway.consent.ShareCategory.REFERRAL_LETTER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seven rules of the consent engine, one observable behaviour each. */
class ConsentRulesTest {

    static final String TOKYO = "1311234567";
    static final String OSAKA = "2711234568";
    static final String YOKOHAMA = "1412345670";
    static final String PATIENT = "Patient/7";
    static final Instant DURING_VISIT = VISIT.plus(Duration.ofHours(3));

    private final ConsentEngine engine = new ConsentEngine(true);

    private Decision osakaReads(RecordFacts record, List<PatientConsent> consents) {
        return engine.decide(AccessRequest.byInstitution(OSAKA, Purpose.TREATMENT, PATIENT), record, consents, DURING_VISIT);
    }

    @Test
    void theAuthorReadsItsOwnRecordsWithoutConsentEvenUndelivered() {
        Decision decision = engine.decide(AccessRequest.byInstitution(TOKYO, Purpose.TREATMENT, PATIENT),
                RecordFacts.of(DIAGNOSIS, TOKYO, ItemFlag.UNDELIVERED), List.of(refusalOfEveryone()), DURING_VISIT);
        assertEquals(Reason.AUTHOR, decision.reason());
    }

    @Test
    void otherInstitutionCannotReadDiagnosisWithoutConsent() {
        assertEquals(Reason.NO_CONSENT, osakaReads(RecordFacts.of(DIAGNOSIS, TOKYO), List.of()).reason());
    }

    @Test
    void comprehensiveConsentOpensEveryCategoryForThatViewerOnTheDayOfTheVisit() {
        PatientConsent consent = comprehensive(OSAKA);
        for (ShareCategory category : ShareCategory.values()) {
            RecordFacts record = category == REFERRAL_LETTER ? RecordFacts.referralLetter(TOKYO, OSAKA) : RecordFacts.of(category, TOKYO);
            Decision decision = osakaReads(record, List.of(consent));
            assertEquals(Reason.CONSENT_PERMITTED, decision.reason(), category.code());
            assertEquals(Optional.of(consent.id()), decision.consentId());
        }
        Instant nextDay = VISIT.plus(Duration.ofDays(2));
        assertFalse(engine.decide(AccessRequest.byInstitution(OSAKA, Purpose.TREATMENT, PATIENT),
                RecordFacts.of(DIAGNOSIS, TOKYO), List.of(consent), nextDay).permits(), "expired the next day");
        assertFalse(engine.decide(AccessRequest.byInstitution(YOKOHAMA, Purpose.TREATMENT, PATIENT),
                RecordFacts.of(DIAGNOSIS, TOKYO), List.of(consent), DURING_VISIT).permits(), "another viewer");
    }

    @Test
    void itemByItemConsentOpensOnlyTheChosenCategories() {
        List<PatientConsent> consents = List.of(only(OSAKA, LAB_RESULT, PRESCRIPTION));
        assertTrue(osakaReads(RecordFacts.of(LAB_RESULT, TOKYO), consents).permits());
        assertTrue(osakaReads(RecordFacts.of(PRESCRIPTION, TOKYO), consents).permits());
        assertEquals(Reason.NO_CONSENT, osakaReads(RecordFacts.of(DIAGNOSIS, TOKYO), consents).reason());
    }

    @Test
    void aRefusalBeatsAnyPermit() {
        PatientConsent no = refusal(OSAKA, DIAGNOSIS);
        List<PatientConsent> consents = List.of(comprehensive(OSAKA), no);
        Decision decision = osakaReads(RecordFacts.of(DIAGNOSIS, TOKYO), consents);
        assertEquals(Reason.CONSENT_REFUSED, decision.reason());
        assertEquals(Optional.of(no.id()), decision.consentId());
        assertTrue(osakaReads(RecordFacts.of(LAB_RESULT, TOKYO), consents).permits(), "the refusal names diagnoses only");
        assertFalse(osakaReads(RecordFacts.of(LAB_RESULT, TOKYO), List.of(comprehensive(OSAKA), refusalOfEveryone())).permits());
    }

    @Test
    void aRevokedConsentNoLongerPermits() {
        PatientConsent consent = comprehensive(OSAKA);
        assertTrue(osakaReads(RecordFacts.of(DIAGNOSIS, TOKYO), List.of(consent)).permits());
        assertFalse(osakaReads(RecordFacts.of(DIAGNOSIS, TOKYO), List.of(revoked(consent))).permits());
        assertTrue(osakaReads(RecordFacts.of(DIAGNOSIS, TOKYO), List.of(comprehensive(OSAKA), revoked(refusal(OSAKA)))).permits(),
                "a revoked refusal no longer refuses");
    }

    @Test
    void aReferralLetterIsReadOnlyByItsAddresseeAndOnlyOnceTheDestinationIsConsented() {
        RecordFacts letter = RecordFacts.referralLetter(TOKYO, OSAKA);
        assertEquals(Reason.REFERRAL_ON_HOLD, osakaReads(letter, List.of()).reason());
        assertTrue(osakaReads(letter, List.of(only(OSAKA, REFERRAL_LETTER))).permits());
        Decision yokohama = engine.decide(AccessRequest.byInstitution(YOKOHAMA, Purpose.TREATMENT, PATIENT), letter,
                List.of(comprehensive(YOKOHAMA)), DURING_VISIT);
        assertEquals(Reason.NOT_ADDRESSED, yokohama.reason());
    }

    @Test
    void undeliveredRecordsAreSeenByTheirAuthorOnly() {
        RecordFacts hidden = RecordFacts.of(DIAGNOSIS, TOKYO, ItemFlag.UNDELIVERED);
        assertEquals(Reason.UNDELIVERED, osakaReads(hidden, List.of(comprehensive(OSAKA))).reason());
        assertEquals(Reason.UNDELIVERED, engine.decide(new AccessRequest(new Requester.PatientSelf(PATIENT), Purpose.PATIENT_REQUEST,
                PATIENT, Optional.empty()), hidden, List.of(), DURING_VISIT).reason());
    }

    @Test
    void uninformedDiagnosesAreHiddenFromThePatientButFollowConsentForInstitutions() {
        RecordFacts uninformed = RecordFacts.of(DIAGNOSIS, TOKYO, ItemFlag.UNINFORMED);
        AccessRequest patient = new AccessRequest(new Requester.PatientSelf(PATIENT), Purpose.PATIENT_REQUEST, PATIENT, Optional.empty());
        assertEquals(Reason.UNINFORMED, engine.decide(patient, uninformed, List.of(), DURING_VISIT).reason());
        assertEquals(Reason.PATIENT_SELF, engine.decide(patient, RecordFacts.of(DIAGNOSIS, TOKYO), List.of(), DURING_VISIT).reason());
        assertTrue(osakaReads(uninformed, List.of(comprehensive(OSAKA))).permits());
    }

    @Test
    void emergencyAccessReadsWithoutConsentUnlessRefusedOrSwitchedOff() {
        AccessRequest emergency = AccessRequest.byInstitution(OSAKA, Purpose.EMERGENCY, PATIENT);
        RecordFacts allergy = RecordFacts.of(ShareCategory.ALLERGY, TOKYO);
        assertEquals(Reason.EMERGENCY, engine.decide(emergency, allergy, List.of(), DURING_VISIT).reason());
        assertEquals(Reason.CONSENT_REFUSED, engine.decide(emergency, allergy, List.of(noEmergencyAccess()), DURING_VISIT).reason());
        assertEquals(Reason.EMERGENCY_DISABLED, new ConsentEngine(false).decide(emergency, allergy, List.of(), DURING_VISIT).reason());
        assertFalse(engine.decide(AccessRequest.byInstitution(OSAKA, Purpose.TREATMENT, PATIENT), allergy,
                List.of(noEmergencyAccess(), comprehensive(OSAKA)), DURING_VISIT).reason() == Reason.CONSENT_REFUSED,
                "refusing emergency access does not refuse ordinary consented reads");
    }

    @Test
    void anInsurerReadsOnlyItsOwnMembersCheckupReports() {
        AccessRequest member = new AccessRequest(new Requester.Insurer("06139991"), Purpose.HEALTH_PROMOTION, PATIENT, Optional.of("06139991"));
        AccessRequest notMember = new AccessRequest(new Requester.Insurer("01130012"), Purpose.HEALTH_PROMOTION, PATIENT, Optional.of("06139991"));
        RecordFacts insurerRun = checkup(CheckupKind.INSURER_RUN, false);
        assertEquals(Reason.INSURER_MEMBER_CHECKUP, engine.decide(member, insurerRun, List.of(), DURING_VISIT).reason());
        assertEquals(Reason.INSURER_OUT_OF_SCOPE, engine.decide(member, RecordFacts.of(DIAGNOSIS, TOKYO), List.of(), DURING_VISIT).reason());
        assertEquals(Reason.INSURER_OUT_OF_SCOPE, engine.decide(notMember, insurerRun, List.of(), DURING_VISIT).reason());
        assertEquals(Reason.INSURER_OUT_OF_SCOPE, engine.decide(member, RecordFacts.of(CHECKUP_REPORT, TOKYO), List.of(), DURING_VISIT).reason(),
                "a report submitted before it was classified reaches no insurer");
    }

    @Test
    void anInsurerReceivesOnlyTheSpecifiedItemsOfAnEmployerCheckupAndNothingOfAComprehensiveOneWithoutAgreement() {
        AccessRequest member = new AccessRequest(new Requester.Insurer("06139991"), Purpose.HEALTH_PROMOTION, PATIENT, Optional.of("06139991"));
        AccessPolicy policy = new AccessPolicy(PolicySettings.DEFAULTS);
        Requester insurer = member.requester();
        record Expected(RecordFacts record, Reason reason, InsurerView view) {
        }
        for (Expected expected : List.of(
                new Expected(checkup(CheckupKind.INSURER_RUN, false), Reason.INSURER_MEMBER_CHECKUP, InsurerView.WHOLE),
                new Expected(checkup(CheckupKind.EMPLOYER_RUN, false), Reason.INSURER_SPECIFIED_ITEMS, InsurerView.SPECIFIED_ITEMS),
                new Expected(checkup(CheckupKind.COMPREHENSIVE, true), Reason.INSURER_SPECIFIED_ITEMS, InsurerView.SPECIFIED_ITEMS),
                new Expected(checkup(CheckupKind.COMPREHENSIVE, false), Reason.INSURER_NOT_AGREED, InsurerView.NOTHING),
                new Expected(checkup(CheckupKind.UNCLASSIFIED, true), Reason.INSURER_UNCLASSIFIED, InsurerView.NOTHING))) {
            assertEquals(expected.reason(), engine.decide(member, expected.record(), List.of(), DURING_VISIT).reason(), expected::toString);
            assertEquals(expected.view(), policy.checkupView(insurer, Label.of(expected.record())), expected::toString);
        }
        assertTrue(policy.showsResult(InsurerView.SPECIFIED_ITEMS, SpecifiedCheckupItems.SYSTEM, "3D046000001906202"), "HbA1c");
        assertFalse(policy.showsResult(InsurerView.SPECIFIED_ITEMS, SpecifiedCheckupItems.SYSTEM, "9N521000000000049"), "医師の意見");
        assertFalse(policy.showsResult(InsurerView.SPECIFIED_ITEMS, SpecifiedCheckupItems.SYSTEM, "9N051000000000049"), "業務歴");
        assertFalse(policy.showsResult(InsurerView.SPECIFIED_ITEMS, "http://loinc.org", "3D046000001906202"), "only MHLW's item codes");
        assertEquals(InsurerView.WHOLE, policy.checkupView(new Requester.Institution(OSAKA), Label.of(checkup(CheckupKind.EMPLOYER_RUN, false))),
                "an institution with consent reads the report as submitted");
    }

    @Test
    void anInsurerSearchesAcrossItsMembersOnlyThroughTheDocumentIndex() {
        AccessPolicy policy = new AccessPolicy(PolicySettings.DEFAULTS);
        VisibleSet across = policy.acrossPatients(new Requester.Insurer("06139991"), "DocumentReference").orElseThrow();
        assertTrue(across.admits(Label.of(checkup(CheckupKind.EMPLOYER_RUN, false))));
        assertFalse(across.admits(Label.of(checkup(CheckupKind.COMPREHENSIVE, false))));
        assertFalse(across.admits(Label.of(RecordFacts.of(CHECKUP_REPORT, TOKYO).withCheckup(
                new CheckupDelivery("01130012", CheckupKind.INSURER_RUN, false)))), "another insurer's member");
        assertTrue(policy.acrossPatients(new Requester.Insurer("06139991"), "Observation").isEmpty());
        assertTrue(policy.acrossPatients(new Requester.Institution(OSAKA), "DocumentReference").isEmpty());
    }

    @Test
    void anEmergencyReadNeedsTheRoleAReasonAndAnOpenWindow() {
        AccessPolicy policy = new AccessPolicy(PolicySettings.DEFAULTS);
        Requester osaka = new Requester.Institution(OSAKA);
        EmergencyWindow window = policy.emergencyWindow(OSAKA, PATIENT, EmergencyReason.PATIENT_CANNOT_CONSENT, "意識障害で搬送", DURING_VISIT);
        assertEquals(DURING_VISIT.plus(java.time.Duration.ofHours(2)), window.until(), "two hours by default");
        assertEquals(Reason.EMERGENCY, policy.emergencyRead(osaka, true, Optional.of(window), DURING_VISIT.plusSeconds(60)).reason());
        assertEquals(Reason.EMERGENCY, policy.emergencyRead(osaka, true, Optional.of(window), DURING_VISIT.minusNanos(500)).reason(),
                "a node whose clock is a little behind, or an opening time the database rounded up, still finds it open");
        assertEquals(Reason.EMERGENCY_ROLE_MISSING, policy.emergencyRead(osaka, false, Optional.of(window), DURING_VISIT).reason());
        assertEquals(Reason.EMERGENCY_REASON_MISSING, policy.emergencyRead(osaka, true, Optional.empty(), DURING_VISIT).reason());
        assertEquals(Reason.EMERGENCY_WINDOW_CLOSED, policy.emergencyRead(osaka, true, Optional.of(window), window.until()).reason());
        assertEquals(Reason.EMERGENCY_REASON_MISSING, policy.emergencyRead(new Requester.Institution(TOKYO), true, Optional.of(window),
                DURING_VISIT).reason(), "a window is the opener's only");
        assertEquals(Reason.BREAK_GLASS_OPENED, policy.openEmergencyWindow(osaka, true, Optional.of(EmergencyReason.OTHER), "理由").reason());
        assertEquals(Reason.BREAK_GLASS_REASON_NEEDED, policy.openEmergencyWindow(osaka, true, Optional.empty(), "理由").reason());
        assertEquals(Reason.BREAK_GLASS_REASON_NEEDED, policy.openEmergencyWindow(osaka, true, Optional.of(EmergencyReason.OTHER), " ").reason());
        assertEquals(Reason.EMERGENCY_ROLE_MISSING, policy.openEmergencyWindow(osaka, false, Optional.of(EmergencyReason.OTHER), "理由").reason());
        assertEquals(Reason.CALLER_NOT_ALLOWED, policy.openEmergencyWindow(new Requester.Insurer("06139991"), true,
                Optional.of(EmergencyReason.OTHER), "理由").reason());
        assertEquals(DURING_VISIT.plus(java.time.Duration.ofMinutes(30)), new AccessPolicy(new PolicySettings(true, false, true,
                java.time.Duration.ofMinutes(30))).emergencyWindow(OSAKA, PATIENT, EmergencyReason.OTHER, "x", DURING_VISIT).until(), "configurable");
    }

    @Test
    void theOperatorReviewsEveryEmergencyWindowAPrivacyOfficerOnlyTheInstitutionsOwn() {
        AccessPolicy policy = new AccessPolicy(PolicySettings.DEFAULTS);
        assertEquals(SearchScope.Narrowing.NONE, policy.emergencyReviews(new Requester.Operator(), false).narrowing());
        SearchScope officer = policy.emergencyReviews(new Requester.Institution(OSAKA), true);
        assertEquals(SearchScope.Narrowing.OPENED_BY, officer.narrowing());
        assertEquals(OSAKA, officer.value());
        assertFalse(policy.emergencyReviews(new Requester.Institution(OSAKA), false).permits());
        assertFalse(policy.emergencyReviews(new Requester.Insurer("06139991"), true).permits());
        assertFalse(policy.emergencyReviews(new Requester.PatientSelf(PATIENT), true).permits());
    }

    private static RecordFacts checkup(CheckupKind kind, boolean agreed) {
        return RecordFacts.of(CHECKUP_REPORT, TOKYO).withCheckup(new CheckupDelivery("06139991", kind, agreed));
    }

    @Test
    void theOperatorReadsNoClinicalContent() {
        AccessRequest operator = new AccessRequest(new Requester.Operator(), Purpose.OPERATIONS, PATIENT, Optional.empty());
        for (ShareCategory category : ShareCategory.values()) {
            assertEquals(Reason.OPERATOR, engine.decide(operator, RecordFacts.of(category, TOKYO), List.of(), DURING_VISIT).reason());
        }
        assertTrue(engine.visibleSet(operator, List.of(), DURING_VISIT).labels().isEmpty());
    }

    @Test
    void theVisibleSetExplainsEachCategory() {
        PatientConsent labs = only(OSAKA, LAB_RESULT);
        VisibleSet visible = engine.visibleSet(AccessRequest.byInstitution(OSAKA, Purpose.TREATMENT, PATIENT),
                List.of(labs, refusal(OSAKA, DIAGNOSIS)), DURING_VISIT);
        assertEquals(Reason.CONSENT_PERMITTED, visible.decisions().get(LAB_RESULT).reason());
        assertEquals(Reason.CONSENT_REFUSED, visible.decisions().get(DIAGNOSIS).reason());
        assertEquals(Reason.NO_CONSENT, visible.decisions().get(PRESCRIPTION).reason());
        assertTrue(visible.labels().contains(new Label.Category(LAB_RESULT)));
        assertTrue(visible.labels().contains(new Label.Author(OSAKA)), "its own records, always");
        assertFalse(visible.labels().contains(new Label.Category(DIAGNOSIS)));
    }
}
