package jp.clinsgateway.consent;

import java.util.Set;

/**
 * A new consent a caller asks to record.
 *
 * @param patientId          {@code Patient/[id]} it is about
 * @param consent            its facts
 * @param codeVerified       the caller presented a one-time consent code that the gateway checked: issued by
 *                           this patient, for this institution, unused and unexpired (it is spent by this write)
 * @param letterDestinations the institutions the caller's referral letters for this patient are addressed to
 */
public record ConsentWrite(String patientId, PatientConsent consent, boolean codeVerified, Set<String> letterDestinations) {

    public ConsentWrite {
        letterDestinations = Set.copyOf(letterDestinations);
    }
}
