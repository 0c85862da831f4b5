package jp.clinsgateway.server.directory;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import jp.clinsgateway.server.access.OperationAccess;
import jp.clinsgateway.server.patient.JpIdentifiers;
import jp.clinsgateway.server.web.Rejection;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * {@code GET [base]/$destination-check?institution=[10-digit code]}: before addressing a referral
 * letter, an institution asks whether the destination uses the sharing service (紹介先の利用状況確認).
 * Answers {@code connected} (boolean) and the institution's {@code name} when the directory knows
 * it; each check is in the access log. Defined in the implementation guide as OperationDefinition
 * {@code destination-check}.
 */
@Component
public class DestinationCheckOperation {

    private final InstitutionDirectory directory;
    private final OperationAccess access;

    public DestinationCheckOperation(InstitutionDirectory directory, OperationAccess access) {
        this.directory = directory;
        this.access = access;
    }

    @Operation(name = "$destination-check", idempotent = true, canonicalUrl = "http://clinsgateway.jp/fhir/OperationDefinition/destination-check")
    public Parameters check(@OperationParam(name = "institution", min = 1) StringType institution, RequestDetails request) {
        String code = institution == null ? null : Optional.ofNullable(institution.getValue()).map(String::strip).orElse(null);
        if (!JpIdentifiers.isInstitutionCode(code)) {
            throw Rejection.badRequest("institution", "Name the destination by its 10-digit medical institution code");
        }
        Optional<InstitutionDirectory.Institution> known = directory.find(code);
        boolean connected = known.map(InstitutionDirectory.Institution::connected).orElse(false);
        access.destinationChecked(request, code, connected);
        Parameters answer = new Parameters();
        answer.addParameter().setName("institution").setValue(new StringType(code));
        answer.addParameter().setName("connected").setValue(new BooleanType(connected));
        known.ifPresent(i -> answer.addParameter().setName("name").setValue(new StringType(i.name())));
        return answer;
    }
}
