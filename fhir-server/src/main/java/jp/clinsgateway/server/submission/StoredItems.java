package jp.clinsgateway.server.submission;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.server.labels.ShareLabels;
import jp.clinsgateway.server.patient.JpIdentifiers;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/**
 * An institution's stored information items of one type for one patient: found (all of them, or
 * those one report holds, by its {@code report} tag: one query) and withdrawn. A withdrawal deletes:
 * HAPI keeps every version in its history, which the API serves to nobody, and the receipt names
 * each withdrawn item for the author's records. Runs inside the submission's transaction.
 */
@Component
class StoredItems {

    /** A stored item, by its server id and its item identifier. */
    record StoredItem(IIdType id, String itemIdentifier) {
    }

    private final DaoRegistry daoRegistry;

    StoredItems(DaoRegistry daoRegistry) {
        this.daoRegistry = daoRegistry;
    }

    List<StoredItem> of(String itemType, IdType patientId, String institutionCode, Optional<ReportIdentifier> report,
                        RequestDetails request) {
        SearchParameterMap byAuthor = SearchParameterMap.newSynchronous()
                .add("patient", new ReferenceParam(patientId.getValue()))
                .add("_tag", new TokenParam(GatewayCanonical.AUTHOR_INSTITUTION, institutionCode));
        report.ifPresent(r -> byAuthor.add("_tag", ShareLabels.reportToken(r.value())));
        return daoRegistry.getResourceDao(itemType).search(byAuthor, request).getAllResources().stream()
                .map(r -> new StoredItem(r.getIdElement().toUnqualifiedVersionless(), itemIdentifierOf((Resource) r)))
                .toList();
    }

    void withdraw(StoredItem item, String why, RequestDetails request, SubmissionReceipt receipt) {
        daoRegistry.getResourceDao(item.id().getResourceType()).delete(item.id(), request);
        receipt.withdrawn(item.id(), "Withdrawn: " + why);
    }

    private static String itemIdentifierOf(Resource item) {
        return item.getNamedProperty("identifier").getValues().stream()
                .map(Identifier.class::cast)
                .filter(i -> JpIdentifiers.RESOURCE_INSTANCE.equals(i.getSystem()))
                .map(Identifier::getValue)
                .findFirst()
                .orElse(item.getIdElement().toUnqualifiedVersionless().getValue());
    }
}
