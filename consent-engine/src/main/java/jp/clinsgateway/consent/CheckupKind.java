package jp.clinsgateway.consent;

/**
 * Who ran a health checkup, as far as it decides what the patient's insurer receives. Read at
 * submission from the eCheckup Composition's {@code event.code} (健診プログラムサービスコード,
 * {@code urn:oid:1.2.392.200119.6.1002}).
 */
public enum CheckupKind {
    /** The insurer's own checkup: 特定健診 (010), or the 広域連合's health programme for the over-75s (020). */
    INSURER_RUN,
    /** The employer's checkup under the Industrial Safety and Health Act: 事業者健診 (030). */
    EMPLOYER_RUN,
    /** A comprehensive checkup (人間ドック) and every other checkup: school, cancer, hepatitis screening, other (040, 060, 090, 990). */
    COMPREHENSIVE,
    /** No programme the gateway knows (000 不明, or a code outside the list): treated as the most restrictive. */
    UNCLASSIFIED
}
