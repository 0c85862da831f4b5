package jp.clinsgateway.server.web;

import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Why a request is refused, as the 4xx answer with an OperationOutcome naming the element
 * at fault: the one error vocabulary of the gateway. Thrown inside a submission's transaction, nothing of the Bundle is stored.
 */
public final class Rejection {

    private Rejection() {
    }

    /** 400: the body is not a FHIR resource at all. */
    public static BaseServerResponseException malformed(String message) {
        return withOutcome(new InvalidRequestException(message), IssueType.STRUCTURE, null, message);
    }

    /** 400: a request the gateway does not offer or cannot enforce, e.g. a search naming no patient. */
    public static BaseServerResponseException badRequest(String path, String message) {
        return withOutcome(new InvalidRequestException(message), IssueType.INVALID, path, message);
    }

    /** 422: a rule of the profile or of the sharing service is broken at {@code path}. */
    public static BaseServerResponseException unprocessable(IssueType type, String path, String message) {
        return withOutcome(new UnprocessableEntityException(message), type, path, message);
    }

    /** 401: the caller did not say who they are; the challenge tells them how (RFC 6750). */
    public static BaseServerResponseException unauthenticated(String message) {
        BaseServerResponseException refusal = withOutcome(new AuthenticationException(message), IssueType.LOGIN, null, message);
        refusal.addResponseHeader("WWW-Authenticate", "Bearer realm=\"clins-gateway\"");
        return refusal;
    }

    /** 403: the caller may not submit this, e.g. another institution's items. */
    public static BaseServerResponseException forbidden(String path, String message) {
        return withOutcome(new ForbiddenOperationException(message), IssueType.FORBIDDEN, path, message);
    }

    /** 404: nothing the caller may know of answers to what was named. */
    public static BaseServerResponseException notFound(String path, String message) {
        return withOutcome(new ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException(message), IssueType.NOTFOUND, path, message);
    }

    /** 409: the submission clashes with what is stored, e.g. a document identifier already used. */
    public static BaseServerResponseException conflict(String path, String message) {
        return withOutcome(new ResourceVersionConflictException(message), IssueType.DUPLICATE, path, message);
    }

    /** 409: another request holds what this one must change; sending it again succeeds once that one is done. */
    public static BaseServerResponseException contended(String path, String message) {
        return withOutcome(new ResourceVersionConflictException(message), IssueType.LOCKERROR, path, message);
    }

    public static BaseServerResponseException withOutcome(OperationOutcome outcome, BaseServerResponseException exception) {
        exception.setOperationOutcome(outcome);
        return exception;
    }

    private static BaseServerResponseException withOutcome(
            BaseServerResponseException exception, IssueType type, String path, String message) {
        OperationOutcome outcome = new OperationOutcome();
        OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(type)
                .setDiagnostics(message);
        if (path != null) {
            issue.addExpression(path);
        }
        return withOutcome(outcome, exception);
    }
}
