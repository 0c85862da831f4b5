package jp.clinsgateway.consent;

/** How much of a checkup report an insurer receives. */
public enum InsurerView {
    /** The report as submitted. */
    WHOLE("whole"),
    /**
     * A view derived at read time holding only the 特定健診 items ({@link SpecifiedCheckupItems}): never
     * stored, never the other results, their sections or the report's narrative.
     */
    SPECIFIED_ITEMS("specified-items"),
    /** Nothing: the report is not found. */
    NOTHING("nothing");

    private final String code;

    InsurerView(String code) {
        this.code = code;
    }

    /** Its code in the labels ({@code insurer-delivery} tags). */
    public String code() {
        return code;
    }

    public static java.util.Optional<InsurerView> fromCode(String code) {
        return java.util.Arrays.stream(values()).filter(v -> v.code.equals(code)).findFirst();
    }
}
