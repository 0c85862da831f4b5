package jp.clinsgateway.consent;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a shared record is, for consent purposes: the six information items and the three
 * documents of the national sharing service. A patient consents (or refuses) per category.
 */
public enum ShareCategory {
    DIAGNOSIS("diagnosis", Kind.ITEM),
    INFECTION("infection", Kind.ITEM),
    ALLERGY("allergy", Kind.ITEM),
    CONTRAINDICATION("contraindication", Kind.ITEM),
    LAB_RESULT("lab-result", Kind.ITEM),
    PRESCRIPTION("prescription", Kind.ITEM),
    REFERRAL_LETTER("referral-letter", Kind.DOCUMENT),
    DISCHARGE_SUMMARY("discharge-summary", Kind.DOCUMENT),
    CHECKUP_REPORT("checkup-report", Kind.DOCUMENT);

    /** Whether a category is one of the six information items or one of the three documents. */
    public enum Kind { ITEM, DOCUMENT }

    private final String code;
    private final Kind kind;

    ShareCategory(String code, Kind kind) {
        this.code = code;
        this.kind = kind;
    }

    /** The code used in labels, consents and the API (code system {@code share-category}). */
    public String code() {
        return code;
    }

    public Kind kind() {
        return kind;
    }

    public static Optional<ShareCategory> fromCode(String code) {
        return Arrays.stream(values()).filter(c -> c.code.equals(code)).findFirst();
    }
}
