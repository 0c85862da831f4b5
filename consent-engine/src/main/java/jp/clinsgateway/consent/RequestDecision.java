package jp.clinsgateway.consent;

import java.util.List;
import java.util.Map;

/**
 * Whether a request may be made, and under which scope constraints.
 *
 * @param reason           the rule that decided
 * @param scopeConstraints for a permit under query-constrained SMART scopes, the search parameters the
 *                         resources must match (any one of them); empty when no scope constrains the request
 * @param detail           what in particular is missing (e.g. the scope needed), appended to the explanation
 */
public record RequestDecision(Reason reason, List<Map<String, String>> scopeConstraints, String detail) {

    public RequestDecision {
        scopeConstraints = List.copyOf(scopeConstraints);
    }

    static RequestDecision by(Reason reason) {
        return new RequestDecision(reason, List.of(), "");
    }

    public boolean permits() {
        return reason.effect() == Effect.PERMIT;
    }

    public String explanation() {
        return detail.isEmpty() ? reason.explanation() : reason.explanation() + ": " + detail;
    }
}
