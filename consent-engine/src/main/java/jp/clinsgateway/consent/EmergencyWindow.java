package jp.clinsgateway.consent;

import java.time.Instant;

/**
 * An emergency window: one institution may read one patient's records without consent, for a limited
 * time, because it stated why ({@code $break-glass}).
 *
 * @param institution the institution that opened it
 * @param patient     the gateway Patient ({@code Patient/[id]})
 * @param reason      the coded reason
 * @param text        the reason in the reader's words
 * @param opened      when it opened
 * @param until       when it closes
 */
public record EmergencyWindow(String institution, String patient, EmergencyReason reason, String text, Instant opened, Instant until) {

    /**
     * Open until it closes. Not also "not before it opened": another node's clock may run a little behind the
     * opener's, and the database may round the opening time up (PostgreSQL keeps microseconds, rounding).
     */
    public boolean openAt(Instant now) {
        return now.isBefore(until);
    }
}
