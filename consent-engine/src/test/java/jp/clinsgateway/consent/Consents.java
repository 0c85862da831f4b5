package jp.clinsgateway.consent;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Builds the patient's consents for the tests, in the words of the domain. */
final class Consents {

    static final Instant VISIT = Instant.parse("2026-11-24T01:00:00Z");
    private static int next;

    private Consents() {
    }

    /** The card reader's comprehensive consent: every category, for one viewer, on the day of the visit. */
    static PatientConsent comprehensive(String viewer) {
        return new PatientConsent(id(), Effect.PERMIT, Optional.of(viewer), Set.of(), Set.of(),
                VISIT, Optional.of(VISIT.plus(Duration.ofDays(1))), true);
    }

    /** Item-by-item: only the named categories, for one viewer. */
    static PatientConsent only(String viewer, ShareCategory... categories) {
        return new PatientConsent(id(), Effect.PERMIT, Optional.of(viewer), Set.of(categories), Set.of(),
                VISIT, Optional.empty(), true);
    }

    /** A refusal of one viewer, for the named categories or, with none named, for everything. */
    static PatientConsent refusal(String viewer, ShareCategory... categories) {
        return new PatientConsent(id(), Effect.DENY, Optional.of(viewer), Set.of(categories), Set.of(),
                VISIT, Optional.empty(), true);
    }

    /** A refusal of every institution. */
    static PatientConsent refusalOfEveryone() {
        return new PatientConsent(id(), Effect.DENY, Optional.empty(), Set.of(), Set.of(), VISIT, Optional.empty(), true);
    }

    /** The patient refuses emergency access without consent. */
    static PatientConsent noEmergencyAccess() {
        return new PatientConsent(id(), Effect.DENY, Optional.empty(), Set.of(), Set.of(Purpose.EMERGENCY),
                VISIT, Optional.empty(), true);
    }

    static PatientConsent revoked(PatientConsent consent) {
        return new PatientConsent(consent.id(), consent.effect(), consent.viewer(), consent.categories(), consent.purposes(),
                consent.start(), consent.end(), false);
    }

    private static synchronized String id() {
        return "c" + (++next);
    }
}
