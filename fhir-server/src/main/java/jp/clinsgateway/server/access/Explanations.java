package jp.clinsgateway.server.access;

import jp.clinsgateway.consent.VisibleSet;

import java.util.Map;

/** The sentences the access log keeps about a decision. */
final class Explanations {

    private Explanations() {
    }

    /** Per category, what was decided and why: what the patient later reads in the access log. */
    static String of(VisibleSet visible) {
        StringBuilder text = new StringBuilder();
        visible.decisions().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> text.append(text.length() == 0 ? "" : "; ").append(e.getKey().code()).append(": ")
                        .append(e.getValue().permits() ? "permit" : "deny").append(" (").append(e.getValue().explanation()).append(')'));
        return text.toString();
    }
}
