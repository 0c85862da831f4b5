package jp.clinsgateway.consent;

import java.util.Optional;

/**
 * Who recorded a consent, and how: provenance the gateway sets itself, never taken from the client.
 *
 * @param basis       how the consent reached the gateway
 * @param institution the recording institution, for the institutional bases
 */
public record ConsentRecorder(Basis basis, Optional<String> institution) {

    /** How a consent reached the gateway. */
    public enum Basis {
        /** The patient, signed in to the portal. */
        PATIENT,
        /** An institution, for itself, at its reception, with the patient's one-time consent code. */
        RECEPTION,
        /** The author of a referral letter, for the letter's destination. */
        LETTER_DESTINATION,
        /** Recorded before the gateway kept provenance: only the patient revokes it, no institution reads it. */
        UNKNOWN
    }

    public static final ConsentRecorder PATIENT = new ConsentRecorder(Basis.PATIENT, Optional.empty());
    public static final ConsentRecorder UNKNOWN = new ConsentRecorder(Basis.UNKNOWN, Optional.empty());

    public static ConsentRecorder institution(Basis basis, String code) {
        return new ConsentRecorder(basis, Optional.of(code));
    }

    public boolean recordedBy(String institutionCode) {
        return institution.map(institutionCode::equals).orElse(false);
    }
}
