package jp.clinsgateway.server.consent;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import jp.clinsgateway.consent.AccessRequest;
import jp.clinsgateway.consent.ConsentEngine;
import jp.clinsgateway.consent.Requester;
import jp.clinsgateway.consent.VisibleSet;
import jp.clinsgateway.server.identity.Caller;
import jp.clinsgateway.server.patient.JpIdentifiers;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a caller may see of one patient's records, decided by the consent engine once per request
 * and patient (the request's later per-resource checks reuse it).
 */
@Component
public class ReaderScope {

    private static final String PER_REQUEST = ReaderScope.class.getName();

    private final ConsentEngine engine;
    private final PatientConsents consents;
    private final DaoRegistry daoRegistry;

    public ReaderScope(ConsentEngine engine, PatientConsents consents, DaoRegistry daoRegistry) {
        this.engine = engine;
        this.consents = consents;
        this.daoRegistry = daoRegistry;
    }

    public VisibleSet visibleSet(Caller caller, String patientReference, RequestDetails request) {
        @SuppressWarnings("unchecked")
        Map<String, VisibleSet> decided = (Map<String, VisibleSet>) request.getUserData().computeIfAbsent(PER_REQUEST, k -> new HashMap<>());
        return decided.computeIfAbsent(patientReference, patient ->
                engine.visibleSet(accessRequest(caller, patient), consents.of(patient), Instant.now()));
    }

    public AccessRequest accessRequest(Caller caller, String patientReference) {
        Requester requester = caller.requester().orElseThrow();
        Optional<String> insurer = requester instanceof Requester.Insurer ? insurerOf(patientReference) : Optional.empty();
        return new AccessRequest(requester, caller.purpose(), patientReference, insurer);
    }

    /** The insurer number in the patient's insurance member ID ({@code insurer:symbol:number:branch}). */
    public Optional<String> insurerOf(String patientReference) {
        try {
            Patient patient = daoRegistry.getResourceDao(Patient.class).read(new IdType(patientReference), new SystemRequestDetails());
            return insurerOf(patient);
        } catch (ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException | ca.uhn.fhir.rest.server.exceptions.ResourceGoneException e) {
            return Optional.empty();
        }
    }

    static Optional<String> insurerOf(Patient patient) {
        return patient.getIdentifier().stream()
                .filter(i -> JpIdentifiers.INSURANCE_MEMBER_ID.equals(i.getSystem()) && i.hasValue())
                .map(i -> i.getValue().split(":", 2)[0])
                .findFirst();
    }
}
