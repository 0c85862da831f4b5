package jp.clinsgateway.consent;

/**
 * The rule that decided: every decision of the access policy names one, with the sentence a
 * patient, an auditor or a developer reads. A refusal also says how it is answered ({@link Refusal}).
 */
public enum Reason {
    // --- who reads which clinical record
    AUTHOR(Effect.PERMIT, "The institution that submitted a record always reads it"),
    UNDELIVERED(Effect.DENY, "The author marked the record as not to be provided (UNDELIVERED): only the author reads it"),
    PATIENT_SELF(Effect.PERMIT, "Patients read their own records"),
    OTHER_PATIENT(Effect.DENY, "A patient reads only their own records"),
    UNINFORMED(Effect.DENY, "The author has not yet told the patient this diagnosis (UNINFORMED)"),
    INSTITUTIONAL_DOCUMENT(Effect.DENY, "Referral letters and discharge summaries are written for institutions: "
            + "the patient reads the six information items and checkup reports"),
    OPERATOR(Effect.DENY, "The service operator reads no clinical content"),
    INSURER_MEMBER_CHECKUP(Effect.PERMIT, "An insurer receives its members' insurer-run checkup reports whole"),
    INSURER_SPECIFIED_ITEMS(Effect.PERMIT, "An insurer receives only the 特定健診 items of an employer-run checkup, "
            + "or of a comprehensive checkup whose questionnaire says the result may go to the insurer"),
    INSURER_NOT_AGREED(Effect.DENY, "A comprehensive checkup (人間ドック) reaches the insurer only if the patient agreed on the questionnaire"),
    INSURER_UNCLASSIFIED(Effect.DENY, "A checkup report whose checkup programme is not known reaches no insurer"),
    INSURER_OUT_OF_SCOPE(Effect.DENY, "An insurer reads only the checkup reports submitted under its own members' insurance member ID"),
    NOT_ADDRESSED(Effect.DENY, "A referral letter is read only by the institution it is addressed to"),
    CONSENT_REFUSED(Effect.DENY, "The patient refused"),
    CONSENT_PERMITTED(Effect.PERMIT, "The patient consented"),
    EMERGENCY(Effect.PERMIT, "Emergency access without consent (recorded and shown to the patient)"),
    EMERGENCY_DISABLED(Effect.DENY, "Emergency access is switched off in this deployment"),
    REFERRAL_ON_HOLD(Effect.DENY, "The patient has not yet consented to this destination: the referral letter is on hold"),
    NO_CONSENT(Effect.DENY, "No consent of the patient covers this institution, category and time"),
    OLD_VERSION(Effect.DENY, "Only the current version of a record is served"),
    DOCUMENT_CANCELLED(Effect.DENY, "The author cancelled the document: only the author (and the addressee of a letter it had already fetched) reads it"),

    // --- who finds which Patient
    CARD_READER_LOOKUP(Effect.PERMIT, "An institution looks a patient up by the insurance member ID on the patient's card"),
    RELATED_INSTITUTION(Effect.PERMIT, "The institution submitted records for the patient or holds the patient's consent"),
    UNRELATED_INSTITUTION(Effect.DENY, "An institution finds a patient it has no relation with only by the insurance member ID"),
    INSURER_MEMBER(Effect.PERMIT, "An insurer finds its own members by insurance member ID"),
    INSURER_MEMBERS_REPORTS(Effect.PERMIT, "An insurer searches the checkup reports of all its members at once "
            + "(DocumentReference?category=checkup-report&_lastUpdated=gt[time]), narrowed to what it receives"),

    // --- insurers' subscriptions to their members' new checkup reports
    SUBSCRIPTION_OWNER(Effect.PERMIT, "An insurer reads, changes and deletes its own subscriptions"),
    NOT_SUBSCRIPTION_OWNER(Effect.DENY, "A subscription is seen only by the insurer that created it"),
    SUBSCRIPTIONS_BY_INSURERS(Effect.DENY, Refusal.FORBIDDEN, "Only an insurer subscribes, to be told when new checkup reports "
            + "of its members arrive (Subscription, criteria DocumentReference?category=checkup-report)"),
    REPORT_NOTIFIED(Effect.PERMIT, "The insurer receives this checkup report, so its subscriptions are told that a new one arrived"),
    REPORT_NOT_NOTIFIED(Effect.DENY, "The insurer does not receive this checkup report, so its subscriptions are told nothing"),

    // --- emergency reads (break-glass)
    EMERGENCY_ROLE_MISSING(Effect.DENY, Refusal.FORBIDDEN, "An emergency read needs the emergency-access role, "
            + "granted by the institution's administrator"),
    EMERGENCY_REASON_MISSING(Effect.DENY, Refusal.FORBIDDEN, "An emergency read needs a stated reason: open an emergency window "
            + "for this patient with $break-glass (a coded reason and a text) first"),
    EMERGENCY_WINDOW_CLOSED(Effect.DENY, Refusal.FORBIDDEN, "The emergency window for this patient has closed: "
            + "open a new one with $break-glass, stating the reason again"),
    BREAK_GLASS_OPENED(Effect.PERMIT, "An emergency window opened for one patient, for a limited time, with a stated reason"),
    BREAK_GLASS_REASON_NEEDED(Effect.DENY, Refusal.UNPROCESSABLE, "State the reason: a code of the emergency-reason CodeSystem and a text"),
    EMERGENCY_REVIEWER(Effect.PERMIT, "The operator reviews every emergency read; an institution's privacy officer those of the institution"),
    NOT_AN_EMERGENCY_REVIEWER(Effect.DENY, Refusal.FORBIDDEN, "Emergency reads are reviewed by the operator, "
            + "or by the institution's privacy officer (role privacy-officer) for the institution's own"),
    NOT_A_MEMBER(Effect.DENY, "An insurer finds only its own members"),
    ENROLMENT_LOOKUP(Effect.PERMIT, "The operator looks a patient up by insurance member ID to link a portal account"),
    NO_PATIENT_DIRECTORY(Effect.DENY, Refusal.FORBIDDEN, "Look a patient up by one insurance member ID: "
            + "identifier=http://jpfhir.jp/fhir/clins/Idsystem/JP_Insurance_memberID|[insurer]:[symbol]:[number]:[branch]"),

    // --- who reads which Consent and access log entry
    CONSENT_RECORDER(Effect.PERMIT, "An institution reads the consents it recorded"),
    NOT_RECORDER(Effect.DENY, "An institution reads only the consents it recorded"),
    OPERATOR_METADATA(Effect.PERMIT, "The operator reads consent and access metadata, never clinical content"),
    PAGE_OF_ANOTHER(Effect.DENY, "A page of search results belongs to the caller whose search made it"),

    // --- who writes which Consent
    CONSENT_BY_PATIENT(Effect.PERMIT, "The patient decided"),
    CONSENT_AT_RECEPTION(Effect.PERMIT, "The institution recorded the consent the patient gave at its reception, proven with the patient's one-time consent code"),
    CONSENT_FOR_LETTER_DESTINATION(Effect.PERMIT, "The author of a referral letter recorded the patient's consent for the letter's destination"),
    NOT_YOUR_PATIENT(Effect.DENY, Refusal.FORBIDDEN, "A patient decides only their own consents"),
    CONSENT_PROOF_MISSING(Effect.DENY, Refusal.FORBIDDEN, "An institution records a patient's consent only with the one-time consent code "
            + "the patient shows from the portal (extension one-time-consent-code), valid for this patient and this institution"),
    INSTITUTION_CONSENTS_FOR_ITSELF(Effect.DENY, Refusal.FORBIDDEN, "An institution records consents naming itself as the viewer, "
            + "or, as a referral letter's author, consent to that letter's destination for referral letters"),
    NOT_A_REVOCATION(Effect.DENY, Refusal.UNPROCESSABLE, "A consent is changed only by revoking it (status inactive); write a new Consent instead"),
    REVOCATION_BY_PATIENT(Effect.PERMIT, "The patient revokes any of their consents"),
    REVOCATION_BY_RECORDER(Effect.PERMIT, "An institution revokes a consent it recorded"),
    ONLY_THE_PATIENT_REVOKES(Effect.DENY, Refusal.FORBIDDEN, "Only the patient revokes a consent another party recorded"),
    CHECK_ALLOWED(Effect.PERMIT, "The patient asks about any viewer, an institution about itself, the operator about anyone"),
    CHECK_NOT_ALLOWED(Effect.DENY, Refusal.FORBIDDEN, "The patient asks about any viewer, an institution about itself, the operator about anyone"),
    CODE_FOR_SELF(Effect.PERMIT, "The patient asks for a one-time consent code for themselves"),
    DOCUMENT_AUTHOR_ACTS(Effect.PERMIT, "The institution that submitted a document cancels, restores or changes it"),
    NOT_THE_DOCUMENTS_AUTHOR(Effect.DENY, Refusal.FORBIDDEN, "Only the institution that submitted a document cancels, restores or changes it"),
    OWN_REFERRAL_DESTINATIONS(Effect.PERMIT, "The patient learns where the referral letters about them are addressed "
            + "(not their content), to decide on each destination"),

    // --- what kind of request a caller may make at all
    REQUEST_ALLOWED(Effect.PERMIT, "A request of a kind this caller may make"),
    ANONYMOUS(Effect.DENY, Refusal.UNAUTHENTICATED, "This needs the caller's identity: present an access token"),
    CALLER_NOT_ALLOWED(Effect.DENY, Refusal.FORBIDDEN, "This kind of caller may not do this"),
    OPERATOR_NO_CLINICAL(Effect.DENY, Refusal.FORBIDDEN, "The service operator reads no clinical content"),
    OVERSIGHT_BY_OPERATOR(Effect.DENY, Refusal.FORBIDDEN, "Retention runs, access signals and consent statistics are the service operator's"),
    ACCESS_LOG_READERS(Effect.DENY, Refusal.FORBIDDEN, "The access log is read by the patient it is about and by the operator"),
    SUBMIT_BY_INSTITUTIONS(Effect.DENY, Refusal.FORBIDDEN, "Only a medical institution submits clinical data"),
    CONSENT_WRITERS(Effect.DENY, Refusal.FORBIDDEN, "Only the patient, or an institution on the patient's behalf, writes consents"),
    PURPOSE_NOT_ALLOWED(Effect.DENY, Refusal.FORBIDDEN, "This kind of caller cannot declare that purpose of use"),
    SCOPE_NOT_GRANTED(Effect.DENY, Refusal.FORBIDDEN, "The access token's scopes do not allow this"),
    WRITE_NOT_OFFERED(Effect.DENY, Refusal.NOT_OFFERED, "Clinical data is written only through POST [base]/$submit; Consents are created and revoked, "
            + "insurers' Subscriptions created, updated and deleted"),
    BATCH_NOT_OFFERED(Effect.DENY, Refusal.NOT_OFFERED, "transaction and batch are not offered by this gateway: submit clinical data with POST [base]/$submit"),
    OPERATION_NOT_OFFERED(Effect.DENY, Refusal.NOT_OFFERED, "This operation is not offered by this gateway"),
    HISTORY_NOT_OFFERED(Effect.DENY, Refusal.BAD_REQUEST, "History is not offered: earlier versions of shared records are not shared"),
    CONDITIONAL_NOT_OFFERED(Effect.DENY, Refusal.BAD_REQUEST, "Conditional create and update are not offered: create the resource, or update it by id"),
    SEARCH_DOCUMENTS_BY_INDEX(Effect.DENY, Refusal.BAD_REQUEST, "Find documents through DocumentReference?patient=...; then read the Bundle it points at"),
    TYPE_NOT_SERVED(Effect.DENY, Refusal.BAD_REQUEST, "This resource type is not served by this gateway"),
    PARAMETER_NOT_OFFERED(Effect.DENY, Refusal.BAD_REQUEST, "This search parameter is not offered for this resource type"),
    NAME_ONE_PATIENT(Effect.DENY, Refusal.BAD_REQUEST, "A search of shared records names one patient: patient=Patient/[id]");

    private final Effect effect;
    private final Refusal refusal;
    private final String explanation;

    /** A record-level rule: a refused read is answered as if the record were absent. */
    Reason(Effect effect, String explanation) {
        this(effect, effect == Effect.DENY ? Refusal.ABSENT : null, explanation);
    }

    Reason(Effect effect, Refusal refusal, String explanation) {
        this.effect = effect;
        this.refusal = refusal;
        this.explanation = explanation;
    }

    public Effect effect() {
        return effect;
    }

    /** How a refusal by this rule is answered; null for a permit. */
    public Refusal refusal() {
        return refusal;
    }

    public String explanation() {
        return explanation;
    }
}
