package jp.clinsgateway.consent;

import java.util.Map;
import java.util.Set;

/** What a FHIR resource type is to the access policy. */
public enum ResourceKind {
    /** The six information items and the document index: each belongs to one patient and carries labels. */
    SHARED_RECORD,
    /** A stored document Bundle: read by id (found through its index), never searched. */
    DOCUMENT,
    /** The gateway's one Patient per person: demographics and identifiers. */
    PATIENT,
    /** A patient's consent or refusal. */
    CONSENT,
    /** The access log, served as AuditEvent. */
    ACCESS_LOG,
    /** The gateway's published definitions (SearchParameter): no personal data. */
    CONFORMANCE,
    /**
     * An insurer's request to be told when new checkup reports of its members arrive (R4 {@code Subscription},
     * rest-hook without payload): held in the gateway's own table, never by HAPI's subscription machinery.
     */
    SUBSCRIPTION,
    /** No resource type (the server base), or a type the gateway does not serve. */
    NONE;

    private static final Map<String, ResourceKind> TYPES = Map.ofEntries(
            Map.entry("Condition", SHARED_RECORD), Map.entry("AllergyIntolerance", SHARED_RECORD),
            Map.entry("Observation", SHARED_RECORD), Map.entry("MedicationRequest", SHARED_RECORD),
            Map.entry("DocumentReference", SHARED_RECORD), Map.entry("Bundle", DOCUMENT), Map.entry("Patient", PATIENT),
            Map.entry("Consent", CONSENT), Map.entry("AuditEvent", ACCESS_LOG), Map.entry("SearchParameter", CONFORMANCE),
            Map.entry("Subscription", SUBSCRIPTION));

    /** The FHIR resource types the gateway serves. */
    public static Set<String> servedTypes() {
        return TYPES.keySet();
    }

    public static ResourceKind ofType(String resourceType) {
        return resourceType == null ? NONE : TYPES.getOrDefault(resourceType, NONE);
    }

    /** Whether resources of this kind hold a patient's clinical content. */
    public boolean clinical() {
        return this == SHARED_RECORD || this == DOCUMENT;
    }
}
