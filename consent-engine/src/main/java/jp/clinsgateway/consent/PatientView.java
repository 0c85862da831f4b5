package jp.clinsgateway.consent;

/** How much of a Patient a caller is shown. */
public enum PatientView {
    /** Everything: the patient themselves. */
    WHOLE,
    /** Demographics and the member ID, and only the reader's own local patient ID: others' would reveal where the person is treated. */
    WITHOUT_OTHER_INSTITUTIONS,
    /** Demographics and the member ID, no institution's local patient ID: an insurer. */
    WITHOUT_INSTITUTIONS,
    /** The id and the member ID only: the operator links a portal account and needs nothing else. */
    IDENTIFIERS_ONLY
}
