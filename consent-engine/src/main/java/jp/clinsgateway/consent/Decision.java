package jp.clinsgateway.consent;

import java.util.Optional;

/**
 * The policy's answer: permit or deny, the rule that decided, and the patient's consent that
 * decided it when a consent did.
 */
public record Decision(Reason reason, Optional<String> consentId) {

    public static Decision by(Reason reason) {
        return new Decision(reason, Optional.empty());
    }

    static Decision byConsent(Reason reason, PatientConsent consent) {
        return new Decision(reason, Optional.of(consent.id()));
    }

    public Effect effect() {
        return reason.effect();
    }

    public boolean permits() {
        return effect() == Effect.PERMIT;
    }

    /** One sentence for the patient's access log and for {@code $consent-check}. */
    public String explanation() {
        return reason.explanation() + consentId.map(id -> " (Consent/" + id + ")").orElse("");
    }
}
