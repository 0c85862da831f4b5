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

    public boolean openAt(Instant now) {
        return !now.isBefore(opened) && now.isBefore(until);
    }
}
