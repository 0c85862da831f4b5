package jp.clinsgateway.server.consent;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jp.clinsgateway.consent.PatientConsent;
import org.hl7.fhir.r4.model.Consent;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * The patient's consents as they stand in the database at this moment. Remembered between
 * requests only together with the patient's {@link ConsentRevision} they were read at, and checked against
 * the database's revision for that patient on every request: a revocation governs the very next request on any node.
 */
@Component
public class PatientConsents {

    private record Remembered(long revision, List<PatientConsent> consents) {
    }

    private final DaoRegistry daoRegistry;
    private final ConsentRevision revision;
    private final Cache<String, Remembered> remembered = Caffeine.newBuilder().maximumSize(10_000).build();

    public PatientConsents(DaoRegistry daoRegistry, ConsentRevision revision) {
        this.daoRegistry = daoRegistry;
        this.revision = revision;
    }

    public List<PatientConsent> of(String patientReference) {
        // The revision is read before the consents: a change racing the load leaves an entry that
        // looks outdated at the next request (and is reloaded), never one that looks current but is not.
        long now = revision.of(patientReference);
        Remembered known = remembered.getIfPresent(patientReference);
        if (known != null && known.revision() == now) {
            return known.consents();
        }
        List<PatientConsent> consents = load(patientReference);
        remembered.put(patientReference, new Remembered(now, consents));
        return consents;
    }

    private List<PatientConsent> load(String patientReference) {
        SearchParameterMap byPatient = SearchParameterMap.newSynchronous().add("patient", new ReferenceParam(patientReference));
        return daoRegistry.getResourceDao(Consent.class).search(byPatient, new SystemRequestDetails())
                .getAllResources().stream()
                .map(Consent.class::cast)
                .map(ConsentFacts::of)
                .toList();
    }
}
