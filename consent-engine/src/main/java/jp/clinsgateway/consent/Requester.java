package jp.clinsgateway.consent;

/** Who asks to read: one of the four kinds of reader the sharing service knows. */
public sealed interface Requester {

    /** A hospital or clinic, by its 10-digit medical institution code. */
    record Institution(String code) implements Requester {
    }

    /** The patient, reading their own records (identified by the gateway Patient id). */
    record PatientSelf(String patientId) implements Requester {
    }

    /** A health insurer, by its 8-digit insurer number. */
    record Insurer(String insurerNumber) implements Requester {
    }

    /** The service operator: reads consent and audit metadata, never clinical content. */
    record Operator() implements Requester {
    }
}
