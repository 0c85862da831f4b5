package jp.clinsgateway.server.submission;

import jp.clinsgateway.consent.ShareCategory;
import jp.clinsgateway.profiles.JpProfiles;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The three clinical documents, told apart by their Composition type (doc-typecodes / LOINC). */
public enum DocumentType {
    REFERRAL_LETTER("57133-1", ShareCategory.REFERRAL_LETTER, List.of(JpProfiles.BUNDLE_REFERRAL)),
    DISCHARGE_SUMMARY("18842-5", ShareCategory.DISCHARGE_SUMMARY, List.of(JpProfiles.BUNDLE_DISCHARGE_SUMMARY)),
    CHECKUP_REPORT("53576-5", ShareCategory.CHECKUP_REPORT,
            List.of(JpProfiles.BUNDLE_CHECKUP, JpProfiles.BUNDLE_CHECKUP_CLINS));

    public static final String TYPE_SYSTEM = "http://jpfhir.jp/fhir/Common/CodeSystem/doc-typecodes";

    private final String typeCode;
    private final ShareCategory category;
    private final List<String> profiles;

    DocumentType(String typeCode, ShareCategory category, List<String> profiles) {
        this.typeCode = typeCode;
        this.category = category;
        this.profiles = profiles;
    }

    public static Optional<DocumentType> ofTypeCode(String code) {
        return Arrays.stream(values()).filter(t -> t.typeCode.equals(code)).findFirst();
    }

    public String typeCode() {
        return typeCode;
    }

    public ShareCategory category() {
        return category;
    }

    /** The profile to validate against: the one the Bundle declares if it is one of ours, else the default. */
    public String profileFor(List<String> declared) {
        return profiles.stream().filter(declared::contains).findFirst().orElse(profiles.get(0));
    }
}
