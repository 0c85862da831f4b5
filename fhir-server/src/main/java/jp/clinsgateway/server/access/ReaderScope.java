package jp.clinsgateway.server.access;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import jp.clinsgateway.consent.AccessPolicy;
import jp.clinsgateway.consent.AccessRequest;
import jp.clinsgateway.consent.Decision;
import jp.clinsgateway.consent.Purpose;
import jp.clinsgateway.consent.Requester;
import jp.clinsgateway.consent.VisibleSet;
import jp.clinsgateway.server.audit.AccessEntry;
import jp.clinsgateway.server.consent.PatientConsents;
import jp.clinsgateway.server.identity.Caller;
import jp.clinsgateway.server.monitoring.GatewayMeters;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a caller may see of one patient's clinical records, decided by the policy once per request
 * and patient from the patient's consents (the request's later per-record checks reuse it).
 */
@Component
class ReaderScope {

    private static final String PER_REQUEST = ReaderScope.class.getName();

    private final AccessPolicy policy;
    private final PatientConsents consents;
    private final DaoRegistry daoRegistry;
    private final EmergencyWindows windows;
    private final AccessTrail trail;
    private final Clock clock;
    private final GatewayMeters meters;

    ReaderScope(AccessPolicy policy, PatientConsents consents, DaoRegistry daoRegistry, EmergencyWindows windows, AccessTrail trail,
                Clock clock, GatewayMeters meters) {
        this.meters = meters;
        this.policy = policy;
        this.consents = consents;
        this.daoRegistry = daoRegistry;
        this.windows = windows;
        this.trail = trail;
        this.clock = clock;
    }

    VisibleSet visibleSet(Caller caller, String patientReference, RequestDetails request) {
        @SuppressWarnings("unchecked")
        Map<String, VisibleSet> decided = (Map<String, VisibleSet>) request.getUserData().computeIfAbsent(PER_REQUEST, k -> new HashMap<>());
        return decided.computeIfAbsent(patientReference, patient -> {
            if (caller.purpose() == Purpose.EMERGENCY) {
                admitEmergencyRead(caller, patient, request);
            }
            return counted(policy.visibleSet(accessRequest(caller, patient), consents.of(patient), clock.instant()));
        });
    }

    /**
     * A read declaring the emergency purpose goes on to the consent rules only with the emergency-access role
     * and an open window for this patient ($break-glass); else it is refused (403) and the refusal logged.
     */
    private void admitEmergencyRead(Caller caller, String patient, RequestDetails request) {
        Requester requester = caller.requester().orElseThrow();
        Decision decision = policy.emergencyRead(requester, caller.hasRole(Caller.EMERGENCY_ACCESS),
                windows.latest(requester.id(), patient), clock.instant());
        if (!decision.permits()) {
            String type = request.getResourceName() == null ? "" : request.getResourceName();
            String asked = request.getId() != null && request.getId().hasIdPart() ? type + "/" + request.getId().getIdPart() : type;
            trail.read(request, caller, AccessEntry.Kind.READ, patient, asked, Optional.empty(), AccessEntry.Outcome.REFUSED,
                    decision.explanation());
            throw Refusals.of(decision.reason(), decision.explanation());
        }
    }

    /** Each category's decision, by effect and reason, in the metrics. */
    private VisibleSet counted(VisibleSet visible) {
        visible.decisions().values().forEach(d -> meters.consentDecision(d.effect().name().toLowerCase(), d.reason().name()));
        return visible;
    }

    /** What a viewer other than the caller may see ({@code $consent-check}), decided the same way. */
    VisibleSet visibleSetFor(String viewer, Purpose purpose, String patientReference) {
        return policy.visibleSet(AccessRequest.byInstitution(viewer, purpose, patientReference), consents.of(patientReference), clock.instant());
    }

    private AccessRequest accessRequest(Caller caller, String patientReference) {
        Requester requester = caller.requester().orElseThrow();
        Optional<String> insurer = requester.kind() == Requester.Kind.INSURER ? insurerOf(patientReference) : Optional.empty();
        return new AccessRequest(requester, caller.purpose(), patientReference, insurer);
    }

    /** The insurer number in the patient's insurance member ID ({@code insurer:symbol:number:branch}). */
    private Optional<String> insurerOf(String patientReference) {
        return stored(patientReference).flatMap(patient -> StoredFacts.patient(patient).insurer());
    }

    /** The gateway Patient, read as the gateway (not as the caller). */
    Optional<Patient> stored(String patientReference) {
        try {
            return Optional.of(daoRegistry.getResourceDao(Patient.class).read(new IdType(patientReference), new SystemRequestDetails()));
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return Optional.empty();
        }
    }
}
