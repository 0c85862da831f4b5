package jp.clinsgateway.consent;

/**
 * What a deployment may choose about the policy; everything else is fixed.
 *
 * @param emergencyAccessEnabled             reads for emergency purpose without consent (recorded)
 * @param patientReadsInstitutionalDocuments the patient also reads referral letters and discharge summaries
 *                                           (off by default: as in the national service, the patient reads
 *                                           the six items and checkup reports)
 * @param consentProofRequired               an institution records a consent for itself only with the
 *                                           patient's one-time consent code (on by default)
 * @param emergencyWindow                    how long an emergency window opened with {@code $break-glass} stays
 *                                           open for its patient (2 hours by default)
 */
public record PolicySettings(boolean emergencyAccessEnabled, boolean patientReadsInstitutionalDocuments,
                             boolean consentProofRequired, java.time.Duration emergencyWindow) {

    public static final java.time.Duration DEFAULT_EMERGENCY_WINDOW = java.time.Duration.ofHours(2);

    /** The national service's rules. */
    public static final PolicySettings DEFAULTS = new PolicySettings(true, false, true);

    public PolicySettings(boolean emergencyAccessEnabled, boolean patientReadsInstitutionalDocuments, boolean consentProofRequired) {
        this(emergencyAccessEnabled, patientReadsInstitutionalDocuments, consentProofRequired, DEFAULT_EMERGENCY_WINDOW);
    }
}
