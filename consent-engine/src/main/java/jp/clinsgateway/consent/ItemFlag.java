package jp.clinsgateway.consent;

import java.util.Arrays;
import java.util.Optional;

/**
 * The sharing flags an institution may set on an item ({@code meta.tag}, code system
 * {@code http://jpfhir.jp/fhir/clins/CodeSystem/JP_ehrshrs_indication}).
 */
public enum ItemFlag {
    /** Diagnosis not yet told to the patient: hidden from the patient. */
    UNINFORMED,
    /** Not to be provided: seen by its author only. */
    UNDELIVERED,
    /** Long-term storage: kept beyond the usual retention period. */
    LTS;

    public static final String SYSTEM = "http://jpfhir.jp/fhir/clins/CodeSystem/JP_ehrshrs_indication";

    public static Optional<ItemFlag> fromCode(String code) {
        return Arrays.stream(values()).filter(f -> f.name().equals(code)).findFirst();
    }
}
