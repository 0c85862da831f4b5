package jp.clinsgateway.consent;

import java.util.Optional;
import java.util.Set;

/**
 * What the policy needs to know about one gateway Patient.
 *
 * @param patientId            {@code Patient/[id]}
 * @param insurer              the insurer number in the patient's insurance member ID
 * @param relatedInstitutions  institutions that submitted records for the patient or are named in one
 *                             of the patient's active consents
 */
public record PatientFacts(String patientId, Optional<String> insurer, Set<String> relatedInstitutions) {

    public PatientFacts {
        relatedInstitutions = Set.copyOf(relatedInstitutions);
    }
}
