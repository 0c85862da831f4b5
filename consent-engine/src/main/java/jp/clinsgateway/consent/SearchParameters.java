package jp.clinsgateway.consent;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The search parameters offered per resource type: an allow-list, so a parameter added to HAPI
 * or to FHIR later (a chain, a reverse chain, an include, a new special parameter) is refused until
 * someone decides it cannot read around the narrowing.
 */
public final class SearchParameters {

    /** Parameters that shape the result but select nothing another parameter could not. */
    private static final Set<String> RESULT = Set.of("_count", "_offset", "_sort", "_total", "_summary",
            "_elements", "_format", "_pretty", "_id", "_lastUpdated", "_tag", "_profile");

    private static final Map<String, Set<String>> BY_TYPE = Map.of(
            "Condition", Set.of("patient", "subject", "code", "clinical-status", "verification-status", "category",
                    "onset-date", "abatement-date", "recorded-date", "date", "identifier", "severity", "body-site"),
            "AllergyIntolerance", Set.of("patient", "code", "clinical-status", "verification-status", "category",
                    "criticality", "type", "date", "onset", "last-date", "identifier", "severity"),
            "Observation", Set.of("patient", "subject", "code", "category", "date", "status", "identifier",
                    "value-quantity", "value-concept", "value-string"),
            "MedicationRequest", Set.of("patient", "subject", "code", "status", "intent", "authoredon", "identifier",
                    "medication", "category"),
            "DocumentReference", Set.of("patient", "subject", "type", "date", "category", "status", "identifier",
                    "author-institution", "recipient-institution"),
            "Patient", Set.of("identifier", "name", "family", "given", "birthdate", "gender"),
            "Consent", Set.of("patient", "status", "date", "period"),
            "AuditEvent", Set.of("patient", "date"),
            "SearchParameter", Set.of("url", "base", "code", "name"),
            "Subscription", Set.of("status"));

    /**
     * Searches answered whole, in one page, by a provider of the gateway's own rather than HAPI's stored
     * searches (an insurer's subscriptions, a handful at most): a page size or offset would cut the answer
     * with no next page to follow.
     */
    private static final Map<String, Set<String>> UNPAGED = Map.of("Subscription", Set.of("_count", "_offset"));

    /** Modifiers that only narrow what their parameter selects. */
    private static final Set<String> MODIFIERS = Set.of("exact", "contains", "missing", "not", "text", "above", "below",
            "identifier", "of-type", "exclude");

    /** The patient a search of shared records names is taken exactly as written: no modifier. */
    private static final Set<String> PATIENT_PARAMETERS = Set.of("patient", "subject");

    private SearchParameters() {
    }

    /**
     * Why {@code parameter} (as it appears in the query: a name, perhaps with {@code :modifier})
     * may not be used in a search of {@code resourceType}; empty when it may.
     */
    public static Optional<String> refusal(String resourceType, String parameter) {
        int colon = parameter.indexOf(':');
        String name = colon < 0 ? parameter : parameter.substring(0, colon);
        String modifier = colon < 0 ? null : parameter.substring(colon + 1);
        boolean known = RESULT.contains(name) || BY_TYPE.getOrDefault(resourceType, Set.of()).contains(name);
        if (!known) {
            return Optional.of("'" + parameter + "' is not offered in a search of " + resourceType
                    + " (chains, _has, _include, _revinclude, _contained, _list and _text are never offered)");
        }
        if (UNPAGED.getOrDefault(resourceType, Set.of()).contains(name)) {
            return Optional.of("'" + name + "' is not offered in a search of " + resourceType + ": the answer comes whole in one page");
        }
        if (modifier != null && (PATIENT_PARAMETERS.contains(name) || !MODIFIERS.contains(modifier))) {
            return Optional.of("The modifier ':" + modifier + "' is not offered on '" + name + "'");
        }
        return Optional.empty();
    }
}
