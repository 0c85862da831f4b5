package jp.clinsgateway.consent;

import java.util.Optional;

/**
 * Whether a consent may be recorded, and the provenance it is recorded with.
 *
 * @param reason   the rule that decided
 * @param recorder for a permit, who recorded it and how
 */
public record ConsentWriteDecision(Reason reason, Optional<ConsentRecorder> recorder) {

    static ConsentWriteDecision permit(Reason reason, ConsentRecorder recorder) {
        return new ConsentWriteDecision(reason, Optional.of(recorder));
    }

    static ConsentWriteDecision deny(Reason reason) {
        return new ConsentWriteDecision(reason, Optional.empty());
    }

    public boolean permits() {
        return reason.effect() == Effect.PERMIT;
    }
}
