package jp.clinsgateway.server.consent;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import jp.clinsgateway.server.access.OperationAccess;
import jp.clinsgateway.server.patient.JpIdentifiers;
import jp.clinsgateway.server.web.Rejection;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.stereotype.Component;

import java.util.Date;

/**
 * {@code POST [base]/$consent-code} with {@code institution=[10-digit code]}: the signed-in patient
 * gets a one-time code for that institution, to show at its reception. The institution sends it in
 * the Consent it records (extension {@code one-time-consent-code}); the gateway accepts a consent an
 * institution records for itself only with such a code. Defined in the implementation guide as
 * OperationDefinition {@code consent-code}.
 */
@Component
public class ConsentCodeOperation {

    private final OperationAccess access;

    public ConsentCodeOperation(OperationAccess access) {
        this.access = access;
    }

    @Operation(name = "$consent-code", idempotent = false, canonicalUrl = "http://clinsgateway.jp/fhir/OperationDefinition/consent-code")
    public Parameters issue(@OperationParam(name = "institution", min = 1) StringType institution, RequestDetails request) {
        String code = institution == null ? null : institution.getValue();
        if (!JpIdentifiers.isInstitutionCode(code)) {
            throw Rejection.badRequest("institution", "Name the institution the code is for by its 10-digit medical institution code");
        }
        OperationAccess.IssuedCode issued = access.consentCode(request, code);
        Parameters answer = new Parameters();
        answer.addParameter().setName("code").setValue(new StringType(issued.code()));
        answer.addParameter().setName("patient").setValue(new Reference(issued.patient()));
        answer.addParameter().setName("institution").setValue(new StringType(issued.institution()));
        answer.addParameter().setName("expires").setValue(new InstantType(Date.from(issued.expires())));
        return answer;
    }
}
