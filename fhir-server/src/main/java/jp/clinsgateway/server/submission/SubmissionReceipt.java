package jp.clinsgateway.server.submission;

import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * The answer to an accepted submission: a {@code transaction-response} Bundle with one entry per
 * resource (status and location): the gateway Patient (201 created, 200 matched), each item in the
 * Bundle's order (201 added, 200 replaced), then each withdrawn item (204, with an outcome naming its
 * item identifier and why it was withdrawn: the author's record of what readers no longer see).
 * The validator's warnings are the outcome of the first entry.
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

    SubmissionReceipt withdrawn(IIdType id, String why) {
        add("204 No Content", id);
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(OperationOutcome.IssueType.INFORMATIONAL).setDiagnostics(why);
        response.getEntry().get(response.getEntry().size() - 1).getResponse().setOutcome(outcome);
        return this;
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
