package jp.clinsgateway.server.consent;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import jp.clinsgateway.server.access.OperationAccess;
import jp.clinsgateway.server.identity.CallerResolver;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.stereotype.Component;

import java.util.Date;

/**
 * {@code GET [base]/$referral-destinations}: for the signed-in patient, each referral letter about
 * them with its sender, its destination and whether it waits for the patient's consent to that
 * destination — what the patient needs to decide, without the letter itself (referral letters are
 * written for institutions). Defined in the implementation guide as OperationDefinition
 * {@code referral-destinations}.
 */
@Component
public class ReferralDestinationsOperation {

    private final CallerResolver callers;
    private final OperationAccess access;

    public ReferralDestinationsOperation(CallerResolver callers, OperationAccess access) {
        this.callers = callers;
        this.access = access;
    }

    @Operation(name = "$referral-destinations", idempotent = true,
            canonicalUrl = "http://clinsgateway.jp/fhir/OperationDefinition/referral-destinations")
    public Parameters destinations(RequestDetails request) {
        String patient = callers.resolve(request).requester().map(r -> r.id()).orElse("");
        Parameters answer = new Parameters();
        for (OperationAccess.Destination destination : access.referralDestinations(request, patient)) {
            Parameters.ParametersParameterComponent letter = answer.addParameter().setName("referral");
            letter.addPart().setName("letter").setValue(new StringType(destination.letter()));
            letter.addPart().setName("from").setValue(new StringType(destination.from()));
            letter.addPart().setName("to").setValue(new StringType(destination.to()));
            destination.date().ifPresent(date -> letter.addPart().setName("date").setValue(new DateTimeType(Date.from(date))));
            letter.addPart().setName("onHold").setValue(new BooleanType(destination.onHold()));
        }
        return answer;
    }
}
