package jp.clinsgateway.consent;

/** Who asks: one of the four kinds of caller the sharing service knows. */
public sealed interface Requester {

    /** The kinds of caller, for rules that speak of a kind rather than of one caller. */
    enum Kind { INSTITUTION, PATIENT, INSURER, OPERATOR }

    Kind kind();

    /** The caller within its kind: institution code, gateway Patient reference, insurer number, or "operator". */
    String id();

    /** Whether this is the same caller as {@code other} (same kind and identifier). */
    default boolean sameAs(Requester other) {
        return other != null && kind() == other.kind() && id().equals(other.id());
    }

    /** A hospital or clinic, by its 10-digit medical institution code. */
    record Institution(String code) implements Requester {
        @Override
        public Kind kind() {
            return Kind.INSTITUTION;
        }

        @Override
        public String id() {
            return code;
        }
    }

    /** The patient, reading their own records (identified by the gateway Patient reference, {@code Patient/[id]}). */
    record PatientSelf(String patientId) implements Requester {
        @Override
        public Kind kind() {
            return Kind.PATIENT;
        }

        @Override
        public String id() {
            return patientId;
        }
    }

    /** A health insurer, by its 8-digit insurer number. */
    record Insurer(String insurerNumber) implements Requester {
        @Override
        public Kind kind() {
            return Kind.INSURER;
        }

        @Override
        public String id() {
            return insurerNumber;
        }
    }

    /** The service operator: reads consent and audit metadata, never clinical content. */
    record Operator() implements Requester {
        @Override
        public Kind kind() {
            return Kind.OPERATOR;
        }

        @Override
        public String id() {
            return "operator";
        }
    }
}
