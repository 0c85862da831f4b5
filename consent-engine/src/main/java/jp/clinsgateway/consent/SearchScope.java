package jp.clinsgateway.consent;

/**
 * How a permitted search of patients, consents or the access log is narrowed (searches of shared
 * records are narrowed by a {@link VisibleSet}).
 *
 * @param reason    the rule that decided; a deny refuses the search
 * @param narrowing what the results are limited to
 * @param value     the patient reference, institution code or member ID the narrowing names
 */
public record SearchScope(Reason reason, Narrowing narrowing, String value) {

    /** What a search's results are limited to. */
    public enum Narrowing {
        /** Nothing beyond what was asked (the operator's search of consents or the access log). */
        NONE,
        /** Resources about this patient (value: {@code Patient/[id]}). */
        PATIENT,
        /** This Patient itself (value: {@code Patient/[id]}). */
        PATIENT_ITSELF,
        /** The one patient with this insurance member ID (value: the ID, as asked). */
        MEMBER_ID,
        /** Patients this institution submitted records for or holds the consent of (value: institution code). */
        RELATED_TO,
        /** Consents this institution recorded (value: institution code). */
        RECORDED_BY,
        /** Emergency windows this institution opened (value: institution code). */
        OPENED_BY,
        /** Subscriptions this insurer created (value: insurer number). */
        SUBSCRIBED_BY,
        /** No result at all: asked about what the caller may never see, answered as an empty search. */
        NOTHING
    }

    static SearchScope of(Reason reason, Narrowing narrowing, String value) {
        return new SearchScope(reason, narrowing, value);
    }

    static SearchScope refused(Reason reason) {
        return new SearchScope(reason, Narrowing.NOTHING, "");
    }

    public boolean permits() {
        return reason.effect() == Effect.PERMIT;
    }
}
