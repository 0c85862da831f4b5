package jp.clinsgateway.consent;

import java.util.Optional;

/**
 * One reader asking to read one patient's records.
 *
 * @param requester      who asks
 * @param purpose        why
 * @param patientId      the gateway Patient whose records are read
 * @param patientInsurer the insurer number in the patient's current insurance member ID, when known (informational:
 *                       an insurer's reading is decided by the insurer a checkup report was submitted under,
 *                       {@link CheckupDelivery#insurer})
 */
public record AccessRequest(Requester requester, Purpose purpose, String patientId, Optional<String> patientInsurer) {

    public static AccessRequest byInstitution(String code, Purpose purpose, String patientId) {
        return new AccessRequest(new Requester.Institution(code), purpose, patientId, Optional.empty());
    }
}
