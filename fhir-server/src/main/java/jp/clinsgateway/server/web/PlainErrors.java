package jp.clinsgateway.server.web;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.regex.Pattern;

/**
 * What the FHIR endpoint answers when something below it fails: a plain sentence, never the
 * exception's own text (HAPI's would carry SQL, constraint and Java class names). Two submissions
 * that create the same gateway Patient at the same moment collide on a unique index: the loser is
 * told plainly that nothing of it was stored and to send it again. Anything else unexpected is a
 * 500 with a generic sentence; the exception itself goes to the log.
 */
@Component
public class PlainErrors {

    private static final Logger LOG = LoggerFactory.getLogger(PlainErrors.class);
    /** Text that only an internal failure produces (not the validator's "Constraint failed: ele-1", which is the sender's). */
    private static final Pattern INTERNALS = Pattern.compile(
            "(?i)(\\b(java|javax|jakarta|org\\.hibernate|org\\.springframework|org\\.postgresql|org\\.h2|ca\\.uhn)\\.[a-z]"
                    + "|exception|\\bsql\\b|select |insert into|hfj_|idx_|fk_|constraint \\[|unique index|primary key)");

    @Hook(value = Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION, order = 1000)
    public BaseServerResponseException plain(Throwable thrown) {
        if (thrown instanceof BaseServerResponseException answer && answer.getStatusCode() < 500 && !revealsInternals(answer)) {
            return null;
        }
        if (thrown instanceof ResourceVersionConflictException || isUniqueViolation(thrown)) {
            LOG.info("A write collided with a concurrent one: {}", thrown.getMessage());
            return Rejection.contended(null, "Another request was changing the same records at the same moment "
                    + "(for example the first submission of the same patient from another institution); nothing of this "
                    + "request was stored: send it again");
        }
        if (thrown instanceof BaseServerResponseException answer && answer.getStatusCode() < 500) {
            return withPlainText(answer);
        }
        if (thrown instanceof BaseServerResponseException answer && (answer.getStatusCode() == 501 || answer.getStatusCode() == 503)
                && !revealsInternals(answer)) {
            return null;
        }
        LOG.error("A request failed inside the gateway", thrown);
        InternalErrorException internal = new InternalErrorException("The gateway could not complete this request; "
                + "nothing of it was stored. The failure has been logged");
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(OperationOutcome.IssueType.EXCEPTION)
                .setDiagnostics(internal.getMessage());
        internal.setOperationOutcome(outcome);
        return internal;
    }

    /** A unique index refused a row: another request wrote the same key (the same new patient) at the same moment. */
    private static boolean isUniqueViolation(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof org.hibernate.exception.ConstraintViolationException
                    || cause instanceof org.springframework.dao.DataIntegrityViolationException
                    || cause instanceof java.sql.SQLIntegrityConstraintViolationException) {
                return true;
            }
        }
        return false;
    }

    private static boolean revealsInternals(BaseServerResponseException answer) {
        if (answer.getMessage() != null && INTERNALS.matcher(answer.getMessage()).find() && answer.getOperationOutcome() == null) {
            return true;
        }
        return answer.getOperationOutcome() instanceof OperationOutcome outcome && outcome.getIssue().stream()
                .anyMatch(i -> i.hasDiagnostics() && INTERNALS.matcher(i.getDiagnostics()).find());
    }

    /** A 4xx whose text names internals: the same status, with HTTP's own words. */
    private static BaseServerResponseException withPlainText(BaseServerResponseException answer) {
        LOG.info("A refusal carried internal details, answered plainly: {}", answer.getMessage());
        String sentence = answer.getStatusCode() == 404 ? "Nothing of that is known here"
                : "The request could not be processed as sent (HTTP " + answer.getStatusCode() + ")";
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(answer.getStatusCode() == 404 ? OperationOutcome.IssueType.NOTFOUND : OperationOutcome.IssueType.INVALID)
                .setDiagnostics(sentence);
        return Rejection.withOutcome(outcome, BaseServerResponseException.newInstance(answer.getStatusCode(), sentence));
    }
}
