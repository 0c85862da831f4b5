package jp.clinsgateway.server.submission;

import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * The answer to an accepted submission: a {@code transaction-response} Bundle with one entry per
 * stored, replaced or withdrawn resource (status and location), and the validator's warnings
 * as the outcome of the first entry.
 */
final class SubmissionReceipt {

    private final Bundle response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);

    SubmissionReceipt() {
        response.setTimestampElement(InstantType.now());
    }

    SubmissionReceipt created(IIdType id) {
        return add("201 Created", id);
    }

    SubmissionReceipt replaced(IIdType id) {
        return add("200 OK", id);
    }

    SubmissionReceipt matched(IIdType id) {
        return add("200 OK", id);
    }

    SubmissionReceipt withdrawn(IIdType id) {
        return add("204 No Content", id);
    }

    Bundle with(OperationOutcome warnings) {
        if (!warnings.getIssue().isEmpty() && !response.getEntry().isEmpty()) {
            response.getEntryFirstRep().getResponse().setOutcome(warnings);
        }
        return response;
    }

    private SubmissionReceipt add(String status, IIdType id) {
        response.addEntry().getResponse().setStatus(status).setLocation(id.toUnqualified().getValue());
        return this;
    }
}
