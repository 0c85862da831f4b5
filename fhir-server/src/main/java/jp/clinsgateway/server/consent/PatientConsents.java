package jp.clinsgateway.server.consent;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import jp.clinsgateway.consent.PatientConsent;
import org.hl7.fhir.r4.model.Consent;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * The patient's consents as they stand in the database at this moment. Read on every request,
 * never cached, so that a revocation governs the very next request on any node.
 */
@Component
public class PatientConsents {

    private final DaoRegistry daoRegistry;

    public PatientConsents(DaoRegistry daoRegistry) {
        this.daoRegistry = daoRegistry;
    }

    public List<PatientConsent> of(String patientReference) {
        SearchParameterMap byPatient = SearchParameterMap.newSynchronous().add("patient", new ReferenceParam(patientReference));
        return daoRegistry.getResourceDao(Consent.class).search(byPatient, new SystemRequestDetails())
                .getAllResources().stream()
                .map(Consent.class::cast)
                .map(ConsentFacts::of)
                .toList();
    }
}
