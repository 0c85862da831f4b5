package jp.clinsgateway.profiles;

/** Canonical URLs of the JP profiles the gateway validates against. */
public final class JpProfiles {
    public static final String BUNDLE_CLINS = "http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Bundle_CLINS";
    public static final String BUNDLE_REFERRAL = "http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Bundle_eReferral";
    public static final String BUNDLE_DISCHARGE_SUMMARY =
            "http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Bundle_eDischargeSummary";
    /**
     * The eCheckupReport package's CLINS variant of the checkup report. Its Patient profile wants
     * the member ID under {@code http://jpfhir.jp/fhir/eCS/Idsysmem/JP_Insurance_memberID} (sic),
     * not JP-CLINS' system, so the gateway validates against it only when a sender declares it.
     */
    public static final String BUNDLE_CHECKUP_CLINS = "http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Bundle_eCheckupGeneral";
    /** The checkup report (eCheckupReport's own canonical): the default for Composition type 53576-5. */
    public static final String BUNDLE_CHECKUP = "http://jpfhir.jp/fhir/eCheckup/StructureDefinition/JP_Bundle_eCheckupGeneral";

    public static final String PATIENT = "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Patient_eCS";
    public static final String CONDITION = "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Condition_eCS";
    public static final String ALLERGY_INTOLERANCE = "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_AllergyIntolerance_eCS";
    public static final String OBSERVATION_LAB_RESULT =
            "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Observation_LabResult_eCS";
    public static final String MEDICATION_REQUEST = "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_MedicationRequest_eCS";

    private JpProfiles() {
    }

    /** The canonical URL of a profile declaration without its {@code |version}. */
    public static String withoutVersion(String canonical) {
        int bar = canonical == null ? -1 : canonical.indexOf('|');
        return bar < 0 ? canonical : canonical.substring(0, bar);
    }
}
