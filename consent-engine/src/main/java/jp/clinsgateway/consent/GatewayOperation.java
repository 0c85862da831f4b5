package jp.clinsgateway.consent;

import java.util.Arrays;
import java.util.Optional;

/** The operations the gateway offers; any other ({@code $everything}, {@code $meta}, {@code $graphql} ...) is refused. */
public enum GatewayOperation {
    /** An EMR submits items or a document. */
    SUBMIT("$submit"),
    /** Validation against the JP profiles: stores and reveals nothing, but costs server time. */
    VALIDATE("$validate"),
    /** What a viewer may see of a patient now, and why. */
    CONSENT_CHECK("$consent-check"),
    /** The patient asks for a one-time code that proves their presence to one institution. */
    CONSENT_CODE("$consent-code"),
    /** The patient asks where the referral letters about them are addressed, and which wait for their consent. */
    REFERRAL_DESTINATIONS("$referral-destinations"),
    /** The author cancels (取消) a referral letter, discharge summary or checkup report. */
    CANCEL_DOCUMENT("$cancel-document"),
    /** The author undoes a cancel (取消UNDO). */
    RESTORE_DOCUMENT("$restore-document"),
    /** The author changes a document (変更: cancel and register, at once). */
    CHANGE_DOCUMENT("$change-document"),
    /** An institution asks whether a destination institution is connected, before addressing a letter to it (紹介先の利用状況確認). */
    DESTINATION_CHECK("$destination-check"),
    /** An institution opens an emergency window for one patient, stating a coded reason and a text (break-glass). */
    BREAK_GLASS("$break-glass"),
    /** The operator or an institution's privacy officer lists emergency windows, unreviewed first. */
    EMERGENCY_REVIEWS("$emergency-reviews"),
    /** The operator or an institution's privacy officer marks an emergency window reviewed, with a note. */
    REVIEW_EMERGENCY("$review-emergency"),
    /** The operator runs retention (or asks what it would remove, {@code dry-run=true}): expired records are expunged. */
    RETENTION("$retention"),
    /** The operator lists unusual-access signals from the access log, with their evidence. */
    ACCESS_SIGNALS("$access-signals"),
    /** The operator asks for one month's consent figures: counts only, no personal data. */
    CONSENT_STATISTICS("$consent-statistics"),
    /** The patient (or an institution) finds institutions by name or code in the institution master, e.g. to consent for one. */
    INSTITUTION_SEARCH("$institution-search");

    private final String operationName;

    GatewayOperation(String operationName) {
        this.operationName = operationName;
    }

    /** The name as it appears in the URL, with its {@code $}. */
    public String operationName() {
        return operationName;
    }

    public static Optional<GatewayOperation> named(String name) {
        return Arrays.stream(values()).filter(o -> o.operationName.equals(name)).findFirst();
    }
}
