package jp.clinsgateway.server.labels;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import jp.clinsgateway.consent.Label;
import jp.clinsgateway.consent.ShareCategory;
import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.server.storage.SnapshotWrites;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * Brings records stored with the first labels up to date: {@code patient-visibility|visible}
 * becomes {@code patient-visibility|<category>}, so which categories the patient reads is decided
 * at read time. Idempotent (nothing to do once no record carries the old code); runs at start-up.
 */
public final class LabelMigration {

    private static final Logger log = LoggerFactory.getLogger(LabelMigration.class);
    private static final List<String> LABELLED_TYPES = List.of("Condition", "AllergyIntolerance", "Observation",
            "MedicationRequest", "DocumentReference", "Bundle");

    private LabelMigration() {
    }

    public static int run(DaoRegistry daoRegistry) {
        int relabelled = 0;
        for (String type : LABELLED_TYPES) {
            IFhirResourceDao<IBaseResource> dao = daoRegistry.getResourceDao(type);
            SearchParameterMap legacy = SearchParameterMap.newSynchronous()
                    .add("_tag", new TokenParam(GatewayCanonical.PATIENT_VISIBILITY, ShareLabels.LEGACY_PATIENT_VISIBLE));
            for (IBaseResource found : dao.search(legacy, new SystemRequestDetails()).getAllResources()) {
                Resource record = (Resource) found;
                Optional<ShareCategory> category = ShareLabels.categoryOf(record.getMeta());
                record.getMeta().getTag().removeIf(t -> GatewayCanonical.PATIENT_VISIBILITY.equals(t.getSystem()));
                category.ifPresent(c -> record.getMeta().addTag(ShareLabels.tagOf(new Label.PatientVisible(c))));
                dao.update(record, SnapshotWrites.request());
                relabelled++;
            }
        }
        if (relabelled > 0) {
            log.info("Relabelled {} records for per-category patient visibility", relabelled);
        }
        return relabelled;
    }
}
