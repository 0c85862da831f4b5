package jp.clinsgateway.consent;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static jp.clinsgateway.consent.ConsentRulesTest.OSAKA;
import static jp.clinsgateway.consent.ConsentRulesTest.PATIENT;
import static jp.clinsgateway.consent.ConsentRulesTest.TOKYO;
import static jp.clinsgateway.consent.ConsentRulesTest.YOKOHAMA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The policy around the clinical records: patients, consents as data, the access log, pages, versions. */
class PolicyRulesTest {

    private static final AccessPolicy POLICY = new AccessPolicy(PolicySettings.DEFAULTS);
    private static final Requester TOKYO_CENTRAL = new Requester.Institution(TOKYO);
    private static final Requester OSAKA_CLINIC = new Requester.Institution(OSAKA);
    private static final Requester SELF = new Requester.PatientSelf(PATIENT);
    private static final Requester OTHER_PATIENT = new Requester.PatientSelf("Patient/8");
    private static final Requester INSURER = new Requester.Insurer("06139991");
    private static final Requester OPERATOR = new Requester.Operator();

    private static PatientConsent permitFor(String viewer, ShareCategory... categories) {
        return new PatientConsent("new", Effect.PERMIT, Optional.ofNullable(viewer), Set.of(categories), Set.of(),
                Consents.VISIT, Optional.empty(), true);
    }

    @Test
    void anInstitutionCannotGrantItselfConsentWithoutThePatientsCode() {
        ConsentWriteDecision forged = POLICY.recordConsent(OSAKA_CLINIC, new ConsentWrite(PATIENT, permitFor(OSAKA), false, Set.of()));
        assertEquals(Reason.CONSENT_PROOF_MISSING, forged.reason());
        ConsentWriteDecision proven = POLICY.recordConsent(OSAKA_CLINIC, new ConsentWrite(PATIENT, permitFor(OSAKA), true, Set.of()));
        assertEquals(Reason.CONSENT_AT_RECEPTION, proven.reason());
        assertEquals(Optional.of(ConsentRecorder.institution(ConsentRecorder.Basis.RECEPTION, OSAKA)), proven.recorder());
        assertTrue(new AccessPolicy(new PolicySettings(true, false, false))
                .recordConsent(OSAKA_CLINIC, new ConsentWrite(PATIENT, permitFor(OSAKA), false, Set.of())).permits(),
                "a deployment may switch the proof off (development only)");
    }

    @Test
    void anInstitutionCannotRecordAConsentForAnotherViewerOrForEveryone() {
        for (String viewer : new String[]{YOKOHAMA, null}) {
            assertEquals(Reason.INSTITUTION_CONSENTS_FOR_ITSELF,
                    POLICY.recordConsent(OSAKA_CLINIC, new ConsentWrite(PATIENT, permitFor(viewer), true, Set.of())).reason());
        }
    }

    @Test
    void aLetterAuthorRecordsConsentOnlyForItsLettersDestinationAndOnlyForReferralLetters() {
        Set<String> tokyosLetters = Set.of(OSAKA);
        assertEquals(Reason.CONSENT_FOR_LETTER_DESTINATION, POLICY.recordConsent(TOKYO_CENTRAL,
                new ConsentWrite(PATIENT, permitFor(OSAKA, ShareCategory.REFERRAL_LETTER), false, tokyosLetters)).reason());
        assertFalse(POLICY.recordConsent(TOKYO_CENTRAL,
                new ConsentWrite(PATIENT, permitFor(OSAKA, ShareCategory.REFERRAL_LETTER, ShareCategory.DIAGNOSIS), false, tokyosLetters)).permits(),
                "a letter opens nothing but letters");
        assertFalse(POLICY.recordConsent(TOKYO_CENTRAL, new ConsentWrite(PATIENT, permitFor(OSAKA), false, tokyosLetters)).permits(),
                "not a comprehensive consent");
        assertFalse(POLICY.recordConsent(TOKYO_CENTRAL,
                new ConsentWrite(PATIENT, permitFor(YOKOHAMA, ShareCategory.REFERRAL_LETTER), false, tokyosLetters)).permits(),
                "only the destination of a letter Tokyo wrote");
    }

    @Test
    void aPatientDecidesOnlyTheirOwnConsentsAndInsurersAndTheOperatorNone() {
        assertEquals(Reason.CONSENT_BY_PATIENT, POLICY.recordConsent(SELF, new ConsentWrite(PATIENT, permitFor(null), false, Set.of())).reason());
        assertEquals(Reason.NOT_YOUR_PATIENT, POLICY.recordConsent(OTHER_PATIENT, new ConsentWrite(PATIENT, permitFor(null), false, Set.of())).reason());
        assertFalse(POLICY.recordConsent(INSURER, new ConsentWrite(PATIENT, permitFor(null), true, Set.of())).permits());
        assertFalse(POLICY.recordConsent(OPERATOR, new ConsentWrite(PATIENT, permitFor(null), true, Set.of())).permits());
    }

    @Test
    void onlyThePatientRevokesAConsentAnotherPartyRecordedAndAnInstitutionOnlyWhatItRecorded() {
        PatientConsent active = permitFor(TOKYO);
        PatientConsent revoked = Consents.revoked(active);
        ConsentRecordFacts byPatient = new ConsentRecordFacts(PATIENT, ConsentRecorder.PATIENT);
        ConsentRecordFacts byTokyo = new ConsentRecordFacts(PATIENT, ConsentRecorder.institution(ConsentRecorder.Basis.RECEPTION, TOKYO));
        assertEquals(Reason.ONLY_THE_PATIENT_REVOKES, POLICY.reviseConsent(OSAKA_CLINIC, byPatient, active, revoked).reason());
        assertEquals(Reason.ONLY_THE_PATIENT_REVOKES, POLICY.reviseConsent(OSAKA_CLINIC, byTokyo, active, revoked).reason());
        assertEquals(Reason.REVOCATION_BY_RECORDER, POLICY.reviseConsent(TOKYO_CENTRAL, byTokyo, active, revoked).reason());
        assertEquals(Reason.REVOCATION_BY_PATIENT, POLICY.reviseConsent(SELF, byTokyo, active, revoked).reason());
        assertEquals(Reason.NOT_YOUR_PATIENT, POLICY.reviseConsent(OTHER_PATIENT, byPatient, active, revoked).reason());
        assertFalse(POLICY.reviseConsent(INSURER, byPatient, active, revoked).permits());
    }

    @Test
    void aConsentIsChangedOnlyByRevokingIt() {
        PatientConsent active = permitFor(TOKYO, ShareCategory.LAB_RESULT);
        ConsentRecordFacts byPatient = new ConsentRecordFacts(PATIENT, ConsentRecorder.PATIENT);
        PatientConsent widened = permitFor(TOKYO);
        assertEquals(Reason.NOT_A_REVOCATION, POLICY.reviseConsent(SELF, byPatient, active, widened).reason());
        assertEquals(Reason.NOT_A_REVOCATION, POLICY.reviseConsent(SELF, byPatient, Consents.revoked(active), active).reason(),
                "a revoked consent is not brought back: write a new one");
        assertEquals(Refusal.UNPROCESSABLE, Reason.NOT_A_REVOCATION.refusal());
        assertTrue(POLICY.reviseConsent(SELF, byPatient, Consents.revoked(active), Consents.revoked(active)).permits(),
                "revoking twice is harmless");
    }

    @Test
    void consentsAreReadByTheirPatientTheInstitutionThatRecordedThemAndTheOperator() {
        ConsentRecordFacts byTokyo = new ConsentRecordFacts(PATIENT, ConsentRecorder.institution(ConsentRecorder.Basis.RECEPTION, TOKYO));
        ConsentRecordFacts byPatient = new ConsentRecordFacts(PATIENT, ConsentRecorder.PATIENT);
        assertTrue(POLICY.readConsent(SELF, byTokyo).permits());
        assertFalse(POLICY.readConsent(OTHER_PATIENT, byTokyo).permits());
        assertTrue(POLICY.readConsent(TOKYO_CENTRAL, byTokyo).permits());
        assertFalse(POLICY.readConsent(OSAKA_CLINIC, byTokyo).permits(), "Osaka learns nothing of the patient's consent to Tokyo");
        assertFalse(POLICY.readConsent(TOKYO_CENTRAL, byPatient).permits(), "nor of the patient's own decisions");
        assertTrue(POLICY.readConsent(OPERATOR, byPatient).permits());
        assertFalse(POLICY.readConsent(INSURER, byPatient).permits());
        assertEquals(SearchScope.Narrowing.RECORDED_BY, POLICY.consentSearch(TOKYO_CENTRAL).narrowing());
        assertEquals(SearchScope.Narrowing.PATIENT, POLICY.consentSearch(SELF).narrowing());
        assertEquals(PATIENT, POLICY.consentSearch(SELF).value());
        assertFalse(POLICY.consentSearch(INSURER).permits());
    }

    @Test
    void institutionsFindAnUnrelatedPatientOnlyByMemberIdAndNeverSeeWhereElseThePatientIsTreated() {
        PatientFacts tokyos = new PatientFacts(PATIENT, Optional.of("06139991"), Set.of(TOKYO));
        assertEquals(Reason.RELATED_INSTITUTION, POLICY.readPatient(TOKYO_CENTRAL, tokyos, AccessPolicy.PatientAccess.BY_ID_OR_SEARCH).reason());
        assertEquals(Reason.UNRELATED_INSTITUTION, POLICY.readPatient(OSAKA_CLINIC, tokyos, AccessPolicy.PatientAccess.BY_ID_OR_SEARCH).reason());
        assertEquals(Refusal.ABSENT, Reason.UNRELATED_INSTITUTION.refusal());
        assertEquals(Reason.CARD_READER_LOOKUP, POLICY.readPatient(OSAKA_CLINIC, tokyos, AccessPolicy.PatientAccess.MEMBER_ID_LOOKUP).reason());
        assertEquals(SearchScope.Narrowing.RELATED_TO, POLICY.patientSearch(OSAKA_CLINIC, Optional.empty()).narrowing());
        assertEquals(SearchScope.Narrowing.MEMBER_ID, POLICY.patientSearch(OSAKA_CLINIC, Optional.of("06139991:A:1:00")).narrowing());
        assertEquals(PatientView.WITHOUT_OTHER_INSTITUTIONS, POLICY.patientView(OSAKA_CLINIC));
        assertEquals(PatientView.WHOLE, POLICY.patientView(SELF));
    }

    @Test
    void theOperatorFindsPatientsOnlyByMemberIdAndSeesTheirIdentifiersOnly() {
        PatientFacts someone = new PatientFacts(PATIENT, Optional.of("06139991"), Set.of(TOKYO));
        assertFalse(POLICY.readPatient(OPERATOR, someone, AccessPolicy.PatientAccess.BY_ID_OR_SEARCH).permits());
        assertTrue(POLICY.readPatient(OPERATOR, someone, AccessPolicy.PatientAccess.MEMBER_ID_LOOKUP).permits());
        assertFalse(POLICY.patientSearch(OPERATOR, Optional.empty()).permits());
        assertEquals(PatientView.IDENTIFIERS_ONLY, POLICY.patientView(OPERATOR));
    }

    @Test
    void anInsurerFindsOnlyItsOwnMembersAndNothingAboutOthers() {
        PatientFacts member = new PatientFacts(PATIENT, Optional.of("06139991"), Set.of());
        PatientFacts notMember = new PatientFacts(PATIENT, Optional.of("01130012"), Set.of());
        assertTrue(POLICY.readPatient(INSURER, member, AccessPolicy.PatientAccess.BY_ID_OR_SEARCH).permits());
        assertFalse(POLICY.readPatient(INSURER, notMember, AccessPolicy.PatientAccess.MEMBER_ID_LOOKUP).permits());
        assertEquals(SearchScope.Narrowing.NOTHING, POLICY.patientSearch(INSURER, Optional.of("01130012:A:1:00")).narrowing());
        assertEquals(SearchScope.Narrowing.MEMBER_ID, POLICY.patientSearch(INSURER, Optional.of("06139991:A:1:00")).narrowing());
        assertFalse(POLICY.patientSearch(INSURER, Optional.empty()).permits(), "no member directory");
        assertEquals(PatientView.WITHOUT_INSTITUTIONS, POLICY.patientView(INSURER));
    }

    @Test
    void anInsurerIsToldOfExactlyTheNewCheckupReportsItsSinceQueryReturns() {
        Requester otherInsurer = new Requester.Insurer("01130012");
        for (CheckupKind kind : CheckupKind.values()) {
            for (boolean agreed : List.of(false, true)) {
                RecordFacts report = RecordFacts.of(ShareCategory.CHECKUP_REPORT, TOKYO)
                        .withCheckup(new CheckupDelivery("06139991", kind, agreed));
                Set<Label> labels = Label.of(report);
                boolean receives = report.checkup().orElseThrow().insurerView() != InsurerView.NOTHING;
                assertEquals(receives, POLICY.notifiesOfReport(INSURER, labels).permits(), kind + " agreed " + agreed);
                assertEquals(receives, POLICY.acrossPatients(INSURER, "DocumentReference").orElseThrow().admits(labels),
                        "the notification says no more than the since-query");
                assertFalse(POLICY.notifiesOfReport(otherInsurer, labels).permits(), "another insurer's member");
                for (Requester other : List.of(TOKYO_CENTRAL, SELF, OPERATOR)) {
                    assertFalse(POLICY.notifiesOfReport(other, labels).permits(), "nobody but insurers subscribes");
                }
            }
        }
        assertFalse(POLICY.notifiesOfReport(INSURER, Label.of(RecordFacts.of(ShareCategory.CHECKUP_REPORT, TOKYO).withCheckup(
                new CheckupDelivery("06139991", CheckupKind.INSURER_RUN, false)).withCancelled(true, false))).permits(), "a cancelled report");
    }

    @Test
    void aSubscriptionIsSeenOnlyByTheInsurerThatCreatedIt() {
        assertTrue(POLICY.subscription(INSURER, "06139991").permits());
        assertEquals(Refusal.ABSENT, POLICY.subscription(new Requester.Insurer("01130012"), "06139991").reason().refusal());
        for (Requester other : List.of(TOKYO_CENTRAL, SELF, OPERATOR)) {
            assertFalse(POLICY.subscription(other, "06139991").permits());
            assertFalse(POLICY.subscriptionSearch(other).permits());
        }
        assertEquals(new SearchScope(Reason.SUBSCRIPTION_OWNER, SearchScope.Narrowing.SUBSCRIBED_BY, "06139991"),
                POLICY.subscriptionSearch(INSURER));
    }

    @Test
    void theAccessLogIsReadByThePatientItIsAboutAndByTheOperator() {
        assertTrue(POLICY.readAccessLogEntry(SELF, PATIENT).permits());
        assertFalse(POLICY.readAccessLogEntry(OTHER_PATIENT, PATIENT).permits());
        assertTrue(POLICY.readAccessLogEntry(OPERATOR, PATIENT).permits());
        assertFalse(POLICY.readAccessLogEntry(TOKYO_CENTRAL, PATIENT).permits());
        assertEquals(PATIENT, POLICY.accessLogSearch(SELF).value());
        assertEquals(SearchScope.Narrowing.NONE, POLICY.accessLogSearch(OPERATOR).narrowing());
    }

    @Test
    void aPageIsReadOnlyByTheCallerWhoseSearchMadeIt() {
        assertTrue(POLICY.readPage(OSAKA_CLINIC, new Requester.Institution(OSAKA)).permits());
        assertEquals(Reason.PAGE_OF_ANOTHER, POLICY.readPage(TOKYO_CENTRAL, OSAKA_CLINIC).reason());
        assertFalse(POLICY.readPage(OTHER_PATIENT, SELF).permits());
        assertFalse(POLICY.readPage(new Requester.PatientSelf(OSAKA), OSAKA_CLINIC).permits(), "the same id of another kind is another caller");
    }

    @Test
    void aCancelledDocumentIsReadByItsAuthorAndByTheAddresseeOfALetterItHadAlreadyFetched() {
        RecordFacts summary = RecordFacts.of(ShareCategory.DISCHARGE_SUMMARY, TOKYO).withCancelled(true, false);
        PatientConsent everything = permitFor(OSAKA);
        assertEquals(Reason.AUTHOR, POLICY.readRecord(AccessRequest.byInstitution(TOKYO, Purpose.TREATMENT, PATIENT), summary, List.of(), Consents.VISIT).reason());
        assertEquals(Reason.DOCUMENT_CANCELLED, POLICY.readRecord(AccessRequest.byInstitution(OSAKA, Purpose.TREATMENT, PATIENT), summary,
                List.of(everything), Consents.VISIT).reason());
        assertEquals(Reason.DOCUMENT_CANCELLED, POLICY.readRecord(new AccessRequest(SELF, Purpose.PATIENT_REQUEST, PATIENT, Optional.empty()),
                RecordFacts.of(ShareCategory.CHECKUP_REPORT, TOKYO).withCancelled(true, false), List.of(), Consents.VISIT).reason());
        assertEquals(Reason.DOCUMENT_CANCELLED, POLICY.readRecord(new AccessRequest(INSURER, Purpose.HEALTH_PROMOTION, PATIENT, Optional.of("06139991")),
                RecordFacts.of(ShareCategory.CHECKUP_REPORT, TOKYO).withCancelled(true, false), List.of(), Consents.VISIT).reason());
        RecordFacts letter = RecordFacts.referralLetter(TOKYO, OSAKA);
        PatientConsent letters = permitFor(OSAKA, ShareCategory.REFERRAL_LETTER);
        assertEquals(Reason.DOCUMENT_CANCELLED, POLICY.readRecord(AccessRequest.byInstitution(OSAKA, Purpose.TREATMENT, PATIENT),
                letter.withCancelled(true, false), List.of(letters), Consents.VISIT).reason(), "not fetched yet: gone");
        assertEquals(Reason.CONSENT_PERMITTED, POLICY.readRecord(AccessRequest.byInstitution(OSAKA, Purpose.TREATMENT, PATIENT),
                letter.withCancelled(true, true), List.of(letters), Consents.VISIT).reason(), "fetched: it stays");
        assertEquals(Set.of(new Label.Author(TOKYO), new Label.AddressedTo(OSAKA)), Label.of(letter.withCancelled(true, true)));
        assertEquals(Set.of(new Label.Author(TOKYO)), Label.of(summary));
    }

    @Test
    void onlyTheAuthorCancelsRestoresOrChangesADocument() {
        assertTrue(POLICY.documentLifecycle(TOKYO_CENTRAL, TOKYO).permits());
        assertEquals(Reason.NOT_THE_DOCUMENTS_AUTHOR, POLICY.documentLifecycle(OSAKA_CLINIC, TOKYO).reason());
        assertFalse(POLICY.documentLifecycle(SELF, TOKYO).permits());
        assertFalse(POLICY.documentLifecycle(INSURER, TOKYO).permits());
        assertFalse(POLICY.documentLifecycle(OPERATOR, TOKYO).permits());
    }

    @Test
    void onlyTheCurrentVersionOfARecordIsServed() {
        assertTrue(POLICY.readVersion(true).permits());
        assertEquals(Refusal.ABSENT, POLICY.readVersion(false).reason().refusal());
    }

    @Test
    void consentCheckAndConsentCodesAreAskedOnlyByThoseTheyConcern() {
        assertTrue(POLICY.consentCheck(SELF, PATIENT, YOKOHAMA).permits());
        assertFalse(POLICY.consentCheck(OTHER_PATIENT, PATIENT, YOKOHAMA).permits());
        assertTrue(POLICY.consentCheck(OSAKA_CLINIC, PATIENT, OSAKA).permits());
        assertFalse(POLICY.consentCheck(OSAKA_CLINIC, PATIENT, YOKOHAMA).permits());
        assertTrue(POLICY.consentCheck(OPERATOR, PATIENT, YOKOHAMA).permits());
        assertFalse(POLICY.consentCheck(INSURER, PATIENT, YOKOHAMA).permits());
        assertTrue(POLICY.consentCode(SELF, PATIENT).permits());
        assertFalse(POLICY.consentCode(OTHER_PATIENT, PATIENT).permits());
        assertFalse(POLICY.consentCode(OSAKA_CLINIC, PATIENT).permits());
        assertTrue(POLICY.referralDestinations(SELF, PATIENT).permits());
        assertFalse(POLICY.referralDestinations(OTHER_PATIENT, PATIENT).permits());
        assertFalse(POLICY.referralDestinations(OSAKA_CLINIC, PATIENT).permits());
    }

    @Test
    void searchParametersAreAnAllowListPerType() {
        assertTrue(POLICY.refusesParameter("Condition", "code").isEmpty());
        assertTrue(POLICY.refusesParameter("Patient", "family:exact").isEmpty());
        assertTrue(POLICY.refusesParameter("Observation", "_count").isEmpty());
        for (String trick : List.of("_include", "_revinclude", "_has:Condition:patient:code", "patient.name", "subject:Patient",
                "patient:missing", "_contained", "_list", "_text", "_content", "_filter", "code:in", "birthdate")) {
            assertFalse(POLICY.refusesParameter("Condition", trick).isEmpty(), trick);
        }
        assertFalse(POLICY.refusesParameter("Patient", "address").isEmpty(), "no search by address");
        assertFalse(POLICY.refusesParameter("Practitioner", "name").isEmpty(), "a type the gateway does not serve has no parameters");
    }

    @Test
    void anInsurersSubscriptionsComeWholeSoTheirSearchTakesNoPageSizeOrOffset() {
        assertTrue(POLICY.refusesParameter("Subscription", "status").isEmpty());
        for (String paging : List.of("_count", "_offset")) {
            assertTrue(POLICY.refusesParameter("Subscription", paging).orElseThrow().contains("whole in one page"), paging);
            assertTrue(POLICY.refusesParameter("DocumentReference", paging).isEmpty(), "stored searches page as ever: " + paging);
        }
    }

    @Test
    void theAccessLogRecordsEveryAccessButThePatientsOwnAndAnAuthorReadingItsOwnRecord() {
        assertFalse(POLICY.audited(SELF, Optional.of(TOKYO)));
        assertFalse(POLICY.audited(TOKYO_CENTRAL, Optional.of(TOKYO)));
        assertTrue(POLICY.audited(OSAKA_CLINIC, Optional.of(TOKYO)));
        assertTrue(POLICY.audited(TOKYO_CENTRAL, Optional.empty()), "a search naming the patient");
        assertTrue(POLICY.audited(INSURER, Optional.of(TOKYO)));
        assertTrue(POLICY.audited(OPERATOR, Optional.empty()));
    }

    /** Every caller × viewer × categories × effect × proof × letters: institutions never speak for others. */
    @Test
    void everyConsentWriteKeepsTheProvenanceRules() {
        List<Requester> requesters = List.of(TOKYO_CENTRAL, OSAKA_CLINIC, SELF, OTHER_PATIENT, INSURER, OPERATOR);
        List<Optional<String>> viewers = List.of(Optional.empty(), Optional.of(TOKYO), Optional.of(OSAKA), Optional.of(YOKOHAMA));
        List<Set<ShareCategory>> categorySets = List.of(Set.of(), Set.of(ShareCategory.REFERRAL_LETTER),
                Set.of(ShareCategory.LAB_RESULT), Set.of(ShareCategory.REFERRAL_LETTER, ShareCategory.DIAGNOSIS));
        List<ConsentWriteDecision> permits = new ArrayList<>();
        for (PolicySettings settings : List.of(PolicySettings.DEFAULTS, new PolicySettings(true, false, false))) {
            AccessPolicy policy = new AccessPolicy(settings);
            for (Requester requester : requesters) {
                for (Optional<String> viewer : viewers) {
                    for (Set<ShareCategory> categories : categorySets) {
                        for (Effect effect : Effect.values()) {
                            for (boolean code : List.of(false, true)) {
                                for (Set<String> letters : List.of(Set.<String>of(), Set.of(OSAKA))) {
                                    PatientConsent consent = new PatientConsent("c", effect, viewer, categories, Set.of(), Consents.VISIT, Optional.empty(), true);
                                    ConsentWriteDecision decision = policy.recordConsent(requester, new ConsentWrite(PATIENT, consent, code, letters));
                                    if (!decision.permits()) {
                                        assertTrue(decision.recorder().isEmpty());
                                        continue;
                                    }
                                    permits.add(decision);
                                    ConsentRecorder recorder = decision.recorder().orElseThrow();
                                    switch (requester.kind()) {
                                        case PATIENT -> {
                                            assertEquals(PATIENT, requester.id(), "only the patient themselves");
                                            assertEquals(ConsentRecorder.PATIENT, recorder);
                                        }
                                        case INSTITUTION -> {
                                            assertTrue(recorder.recordedBy(requester.id()), "provenance names the writer");
                                            boolean forItself = viewer.equals(Optional.of(requester.id()));
                                            if (forItself) {
                                                assertTrue(code || !settings.consentProofRequired(), "for itself only with the patient's code");
                                            } else {
                                                assertEquals(ConsentRecorder.Basis.LETTER_DESTINATION, recorder.basis());
                                                assertEquals(Set.of(ShareCategory.REFERRAL_LETTER), categories);
                                                assertEquals(Effect.PERMIT, effect);
                                                assertTrue(letters.contains(viewer.orElseThrow()));
                                            }
                                        }
                                        default -> throw new AssertionError("insurers and the operator write no consents: " + decision);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assertFalse(permits.isEmpty());
    }
}
