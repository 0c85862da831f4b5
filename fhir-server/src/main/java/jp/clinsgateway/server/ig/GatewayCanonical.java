package jp.clinsgateway.server.ig;

/** The canonical URLs of the gateway's own conformance resources (see the {@code ig} module). */
public final class GatewayCanonical {
    public static final String BASE = "http://clinsgateway.jp/fhir";
    public static final String IMPLEMENTATION_GUIDE = BASE + "/ImplementationGuide/clins-gateway";
    public static final String SHARE_CATEGORY = BASE + "/CodeSystem/share-category";
    public static final String AUTHOR_INSTITUTION = BASE + "/CodeSystem/author-institution";
    public static final String PATIENT_VISIBILITY = BASE + "/CodeSystem/patient-visibility";
    public static final String ADDRESSED_INSTITUTION = BASE + "/CodeSystem/addressed-institution";
    public static final String RECORD_SUBJECT = BASE + "/CodeSystem/record-subject";
    /** On a stored information item: the report (JP_Bundle_CLINS Bundle.identifier value) that holds it now. */
    public static final String REPORT = BASE + "/CodeSystem/report";
    /** On a gateway Patient: an institution named in one of the patient's active consents. */
    public static final String CONSENTED_INSTITUTION = BASE + "/CodeSystem/consented-institution";
    /** On a Consent: who recorded it ({@code patient}, or the recording institution's code). */
    public static final String CONSENT_RECORDER = BASE + "/CodeSystem/consent-recorder";
    /** On a Consent: how it reached the gateway (portal, reception, letter-destination). */
    public static final String CONSENT_BASIS = BASE + "/CodeSystem/consent-basis";
    /** The patient's one-time consent code, presented by an institution recording a consent at its reception. */
    public static final String ONE_TIME_CONSENT_CODE = BASE + "/StructureDefinition/one-time-consent-code";
    public static final String PATIENT_CONSENT = BASE + "/StructureDefinition/patient-consent";
    public static final String NAME_SEARCH_KEY = BASE + "/StructureDefinition/name-search-key";
    public static final String RECIPIENT_INSTITUTION = BASE + "/StructureDefinition/recipient-institution";
    public static final String DOCUMENT_INDEX = BASE + "/StructureDefinition/document-index";
    /** Prescriptions in the JP_Bundle_CLINS shape, which JP-CLINS 1.5.2 restricts to the other item types. */
    public static final String PRESCRIPTION_BUNDLE = BASE + "/StructureDefinition/prescription-bundle";
    /** A Patient-only collection: JP_Bundle_CLINS needs at least one item, a withdrawal has none. */
    public static final String WITHDRAWAL_BUNDLE = BASE + "/StructureDefinition/withdrawal-bundle";

    /** On a stored checkup report: which insurer receives it and how much ({@code <insurer number>:whole|specified-items}). */
    public static final String INSURER_DELIVERY = BASE + "/CodeSystem/insurer-delivery";
    /** On a checkup Composition: the patient's answer on the questionnaire whether the result may go to the insurer. */
    public static final String INSURER_PROVISION_AGREEMENT = BASE + "/StructureDefinition/insurer-provision-agreement";
    /** On a view of a checkup report derived for an insurer: which view it is (not the report as submitted). */
    public static final String DERIVED_VIEW = BASE + "/CodeSystem/derived-view";
    /** Why an institution opened an emergency window ($break-glass). */
    public static final String EMERGENCY_REASON = BASE + "/CodeSystem/emergency-reason";
    /** meta.tag of a Subscription: the insurer number that created it (the only one who sees it). */
    public static final String SUBSCRIBER = BASE + "/CodeSystem/subscriber";

    private GatewayCanonical() {
    }
}
