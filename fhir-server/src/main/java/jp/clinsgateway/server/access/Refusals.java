package jp.clinsgateway.server.access;

import ca.uhn.fhir.i18n.Msg;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import jp.clinsgateway.consent.Reason;
import jp.clinsgateway.server.web.Rejection;
import org.hl7.fhir.r4.model.OperationOutcome;

/** Turns the policy's refusals into the gateway's error answers (an OperationOutcome, the status the rule names). */
final class Refusals {

    private Refusals() {
    }

    static BaseServerResponseException of(Reason reason, String explanation) {
        return of(reason, explanation, null);
    }

    static BaseServerResponseException of(Reason reason, String explanation, String path) {
        return switch (reason.refusal()) {
            case UNAUTHENTICATED -> Rejection.unauthenticated(explanation);
            case FORBIDDEN -> Rejection.forbidden(path, explanation);
            case ABSENT -> absent(path == null ? "the resource" : path);
            case NOT_OFFERED -> notOffered(explanation);
            case BAD_REQUEST -> Rejection.badRequest(path, explanation);
            case UNPROCESSABLE -> Rejection.unprocessable(OperationOutcome.IssueType.BUSINESSRULE, path, explanation);
        };
    }

    /**
     * 404 worded exactly as HAPI words it for a record that does not exist: a refused reader learns
     * nothing, not even that the record is there.
     */
    static ResourceNotFoundException absent(String versionlessId) {
        return new ResourceNotFoundException(Msg.code(2001) + "Resource " + versionlessId + " is not known");
    }

    private static BaseServerResponseException notOffered(String message) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.NOTSUPPORTED).setDiagnostics(message);
        return Rejection.withOutcome(outcome, new MethodNotAllowedException(message));
    }
}
