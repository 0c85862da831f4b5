package jp.clinsgateway.consent;

/**
 * A stored consent as the policy sees it when someone reads or revokes it.
 *
 * @param patientId {@code Patient/[id]} the consent is about
 * @param recorder  who recorded it
 */
public record ConsentRecordFacts(String patientId, ConsentRecorder recorder) {
}
