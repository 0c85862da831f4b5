package jp.clinsgateway.server.oversight;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One unusual-access signal with its evidence: what kind, by whom, over which time, how many
 * different patients, and the access log entries that show it (references, for the operator to read).
 */
record AccessSignal(Kind kind, String caller, Instant from, Instant to, int patients, List<String> evidence, String description) {

    /** The kinds of signal (code system {@code access-signal}). */
    enum Kind {
        /** One institution read many different patients in a short time. */
        MANY_PATIENTS,
        /** An institution reached patients that have given it no consent and have no relation with it. */
        NO_CONSENT_OR_RELATION,
        /** Many refused accesses by one caller in a short time. */
        REFUSAL_BURST,
        /** Emergency reads (without consent): each is reviewed. */
        EMERGENCY_READ;

        String code() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    AccessSignal {
        evidence = List.copyOf(evidence);
    }
}
