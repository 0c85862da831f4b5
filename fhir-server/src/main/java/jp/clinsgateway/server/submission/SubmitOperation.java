package jp.clinsgateway.server.submission;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.stereotype.Component;

/**
 * {@code POST [base]/$submit}: an EMR submits a JP_Bundle_CLINS (information items) or a
 * referral letter, discharge summary or checkup report (document Bundle). Defined in the
 * implementation guide as OperationDefinition {@code submit}.
 */
@Component
public class SubmitOperation {

    private final SubmissionService submissions;

    public SubmitOperation(SubmissionService submissions) {
        this.submissions = submissions;
    }

    @Operation(name = "$submit", idempotent = false, canonicalUrl = "http://clinsgateway.jp/fhir/OperationDefinition/submit")
    public Bundle submit(@ResourceParam String body, RequestDetails request) {
        return submissions.submit(body, request);
    }
}
