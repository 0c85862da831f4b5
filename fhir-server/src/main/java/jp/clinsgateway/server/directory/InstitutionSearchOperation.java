package jp.clinsgateway.server.directory;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import jp.clinsgateway.server.patient.JpIdentifiers;
import jp.clinsgateway.server.web.Rejection;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.stereotype.Component;

/**
 * {@code GET [base]/$institution-search?text=[name or code]}: institutions of the institution master
 * whose name contains the text or whose code starts with it, as Organizations (searchset), so a patient
 * names the institution of a consent by name instead of typing its 10-digit code. Reads nothing about
 * any patient, so it is not in an access log. Defined in the implementation guide as
 * OperationDefinition {@code institution-search}.
 */
@Component
public class InstitutionSearchOperation {

    static final int LIMIT = 20;

    private final InstitutionDirectory directory;

    public InstitutionSearchOperation(InstitutionDirectory directory) {
        this.directory = directory;
    }

    @Operation(name = "$institution-search", idempotent = true, bundleType = ca.uhn.fhir.model.valueset.BundleTypeEnum.SEARCHSET,
            canonicalUrl = "http://clinsgateway.jp/fhir/OperationDefinition/institution-search")
    public Bundle search(@OperationParam(name = "text", min = 1) StringType text) {
        String asked = text == null || text.getValue() == null ? "" : text.getValue().strip();
        if (asked.isEmpty() || asked.length() > 100) {
            throw Rejection.badRequest("text", "Give part of the institution's name or the start of its 10-digit code (at most 100 characters)");
        }
        Bundle found = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        for (InstitutionDirectory.Institution institution : directory.search(asked, LIMIT)) {
            Organization organization = new Organization();
            organization.setId("institution-" + institution.code());
            organization.addIdentifier().setSystem(JpIdentifiers.INSTITUTION_NUMBER).setValue(institution.code());
            organization.setName(institution.name());
            organization.setActive(institution.connected());
            found.addEntry().setResource(organization);
        }
        found.setTotal(found.getEntry().size());
        return found;
    }
}
