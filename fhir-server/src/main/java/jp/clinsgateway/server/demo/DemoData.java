package jp.clinsgateway.server.demo;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import jp.clinsgateway.server.storage.SnapshotWrites;
import jp.clinsgateway.server.ig.GatewayImplementationGuide;
import jp.clinsgateway.server.submission.SubmissionService;
import jp.clinsgateway.server.submission.Submitter;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Loads the implementation guide's examples (demo patients with names such as 𠮷田 and 髙橋,
 * their items and documents from two institutions) into an empty database, through the same
 * submission path as an EMR, so the demo data is validated like everything else.
 */
public final class DemoData {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    private DemoData() {
    }

    public static void loadIntoEmptyDatabase(GatewayImplementationGuide guide, SubmissionService submissions,
                                             DaoRegistry daoRegistry, FhirContext fhirContext) {
        SystemRequestDetails request = SnapshotWrites.request();
        boolean empty = daoRegistry.getResourceDao(Patient.class)
                .search(SearchParameterMap.newSynchronous().setCount(1), request).getResources(0, 1).isEmpty();
        if (!empty) {
            log.info("Demo data not loaded: the database already holds patients");
            return;
        }
        int count = 0;
        for (Map.Entry<String, Resource> example : guide.examples().entrySet()) {
            if (!(example.getValue() instanceof Bundle bundle)) {
                continue;
            }
            String institution = Submitter.institutionOf(bundle);
            submissions.submit(fhirContext.newJsonParser().encodeResourceToString(bundle), institution, request);
            count++;
        }
        log.info("Demo data loaded: {} submissions", count);
    }
}
