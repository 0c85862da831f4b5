package jp.clinsgateway.server.ig;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.registry.SearchParamRegistryImpl;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.hl7.fhir.r4.model.SearchParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the implementation guide's search parameters (idempotently, by id) so that HAPI
 * indexes and searches them, and refreshes the registry before any data is written.
 */
public final class SearchParameterInstaller {

    private static final Logger log = LoggerFactory.getLogger(SearchParameterInstaller.class);

    private SearchParameterInstaller() {
    }

    public static void install(GatewayImplementationGuide guide, DaoRegistry daoRegistry, ISearchParamRegistry registry) {
        IFhirResourceDao<SearchParameter> dao = daoRegistry.getResourceDao(SearchParameter.class);
        for (SearchParameter parameter : guide.conformanceResources(SearchParameter.class)) {
            dao.update(parameter.copy(), new SystemRequestDetails());
            log.info("Search parameter {} on {} installed", parameter.getCode(), parameter.getBase());
        }
        if (registry instanceof SearchParamRegistryImpl impl) {
            impl.forceRefresh();
        }
    }
}
