package jp.clinsgateway.consent;

import java.util.Map;
import java.util.Set;

/**
 * What one reader may see of one patient's records now: the labels to filter by, and for each
 * category the decision (with its reason) for a record of that category written by another
 * institution. Computed once per request.
 *
 * @param labels    a record is visible exactly when it carries one of these
 * @param decisions per category, why it is or is not visible
 */
public record VisibleSet(Set<Label> labels, Map<ShareCategory, Decision> decisions) {

    public VisibleSet {
        labels = Set.copyOf(labels);
        decisions = Map.copyOf(decisions);
    }

    public boolean admits(Set<Label> recordLabels) {
        return recordLabels.stream().anyMatch(labels::contains);
    }

    /** Whether anything is visible only because the reader declared an emergency. */
    public boolean byEmergency() {
        return decisions.values().stream().anyMatch(d -> d.reason() == Reason.EMERGENCY);
    }
}
