package jp.clinsgateway.server.consent;

import jp.clinsgateway.consent.PolicySettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param emergencyAccessEnabled             allow reads for emergency purpose without consent (recorded)
 * @param patientReadsInstitutionalDocuments the patient also reads referral letters and discharge summaries
 *                                           (the national service shows the six items and checkup reports only)
 * @param consentProofRequired               an institution records a consent for itself only with the patient's
 *                                           one-time consent code (switch off for development only)
 * @param emergencyWindow                    how long an emergency window ($break-glass) stays open (2 hours by default)
 * @param enforcementEnabled                 FOR BENCHMARKS ONLY: false serves every clinical record to every
 *                                           identified caller, to measure what enforcement costs
 */
@ConfigurationProperties(prefix = "gateway.consent")
public record ConsentProperties(@DefaultValue("true") boolean emergencyAccessEnabled,
                                @DefaultValue("false") boolean patientReadsInstitutionalDocuments,
                                @DefaultValue("true") boolean consentProofRequired,
                                @DefaultValue("true") boolean enforcementEnabled,
                                @DefaultValue("PT2H") java.time.Duration emergencyWindow) {

    public PolicySettings policySettings() {
        return new PolicySettings(emergencyAccessEnabled, patientReadsInstitutionalDocuments, consentProofRequired, emergencyWindow);
    }
}
