package jp.clinsgateway.profiles;

/** Canonical URLs of the JP profiles the gateway validates against. */
public final class JpProfiles {
    public static final String BUNDLE_CLINS = "http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Bundle_CLINS";
    public static final String BUNDLE_REFERRAL = "http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Bundle_eReferral";
    public static final String BUNDLE_DISCHARGE_SUMMARY =
            "http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Bundle_eDischargeSummary";
    /** The checkup report as sent to the sharing service (the eCheckupReport package's CLINS variant). */
    public static final String BUNDLE_CHECKUP_CLINS = "http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Bundle_eCheckupGeneral";
    /** The checkup report as defined for insurers' use (eCheckupReport's own canonical). */
    public static final String BUNDLE_CHECKUP = "http://jpfhir.jp/fhir/eCheckup/StructureDefinition/JP_Bundle_eCheckupGeneral";

    public static final String PATIENT = "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Patient_eCS";
    public static final String CONDITION = "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Condition_eCS";
    public static final String ALLERGY_INTOLERANCE = "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_AllergyIntolerance_eCS";
    public static final String OBSERVATION_LAB_RESULT =
            "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Observation_LabResult_eCS";
    public static final String MEDICATION_REQUEST = "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_MedicationRequest_eCS";

    private JpProfiles() {
    }
}
