package jp.clinsgateway.consent;

import java.util.Arrays;
import java.util.Optional;

/**
 * Why an institution opens an emergency window (code system {@code emergency-reason} of the gateway's
 * implementation guide). The national service allows emergency viewing for a patient who cannot consent.
 */
public enum EmergencyReason {
    /** The patient cannot state consent (unconscious, confused, ...), and care cannot wait. */
    PATIENT_CANNOT_CONSENT("patient-cannot-consent"),
    /** Life or body is in danger and the consent cannot be asked in time. */
    LIFE_THREATENING("life-threatening"),
    /** A disaster: the national service opens viewing in a disaster area. */
    DISASTER("disaster"),
    /** Another emergency, explained in the text. */
    OTHER("other");

    public static final String SYSTEM = "http://clinsgateway.jp/fhir/CodeSystem/emergency-reason";

    private final String code;

    EmergencyReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Optional<EmergencyReason> fromCode(String code) {
        return Arrays.stream(values()).filter(r -> r.code.equals(code)).findFirst();
    }
}
