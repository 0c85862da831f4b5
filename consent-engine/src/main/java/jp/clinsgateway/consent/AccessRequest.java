package jp.clinsgateway.consent;

import java.util.Optional;

/**
 * One reader asking to read one patient's records.
 *
 * @param requester      who asks
 * @param purpose        why
 * @param patientId      the gateway Patient whose records are read
 * @param patientInsurer the insurer number in the patient's insurance member ID, when known:
 *                       an insurer reads only its own members' checkup reports
 */
public record AccessRequest(Requester requester, Purpose purpose, String patientId, Optional<String> patientInsurer) {

    public static AccessRequest byInstitution(String code, Purpose purpose, String patientId) {
        return new AccessRequest(new Requester.Institution(code), purpose, patientId, Optional.empty());
    }
}
