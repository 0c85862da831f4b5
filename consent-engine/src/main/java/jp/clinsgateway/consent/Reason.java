package jp.clinsgateway.consent;

/** The rule that decided a {@link ConsentDecision}, with the sentence a patient or auditor reads. */
public enum Reason {
    AUTHOR(Effect.PERMIT, "The institution that submitted a record always reads it"),
    UNDELIVERED(Effect.DENY, "The author marked the record as not to be provided (UNDELIVERED): only the author reads it"),
    PATIENT_SELF(Effect.PERMIT, "Patients read their own records"),
    UNINFORMED(Effect.DENY, "The author has not yet told the patient this diagnosis (UNINFORMED)"),
    OPERATOR(Effect.DENY, "The service operator reads no clinical content"),
    INSURER_MEMBER_CHECKUP(Effect.PERMIT, "An insurer reads its own members' checkup reports"),
    INSURER_OUT_OF_SCOPE(Effect.DENY, "An insurer reads only its own members' checkup reports"),
    NOT_ADDRESSED(Effect.DENY, "A referral letter is read only by the institution it is addressed to"),
    CONSENT_REFUSED(Effect.DENY, "The patient refused"),
    CONSENT_PERMITTED(Effect.PERMIT, "The patient consented"),
    EMERGENCY(Effect.PERMIT, "Emergency access without consent (recorded and shown to the patient)"),
    EMERGENCY_DISABLED(Effect.DENY, "Emergency access is switched off in this deployment"),
    REFERRAL_ON_HOLD(Effect.DENY, "The patient has not yet consented to this destination: the referral letter is on hold"),
    NO_CONSENT(Effect.DENY, "No consent of the patient covers this institution, category and time");

    private final Effect effect;
    private final String explanation;

    Reason(Effect effect, String explanation) {
        this.effect = effect;
        this.explanation = explanation;
    }

    public Effect effect() {
        return effect;
    }

    public String explanation() {
        return explanation;
    }
}
