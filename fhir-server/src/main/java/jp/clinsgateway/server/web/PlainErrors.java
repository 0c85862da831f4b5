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
 * exception's own text (HAPI's would carry SQL, constraint and Java class names). What the database
 * said decides the status ({@link StorageFailure}): two submissions that create the same gateway
 * Patient at the same moment collide on a unique index, and the loser (409) is told plainly that
 * nothing of it was stored and to send it again; no connection in time is a 503 with
 * {@code Retry-After}; a value the storage cannot hold is a 422. Anything else unexpected is a 500
 * with a generic sentence; the exception itself goes to the log.
 */
@Component
public class PlainErrors {

    private static final Logger LOG = LoggerFactory.getLogger(PlainErrors.class);
    /** Long enough for a pool to free a connection, short enough that a client does not give up. */
    static final String RETRY_AFTER_SECONDS = "2";
    /** Text that only an internal failure produces (not the validator's "Constraint failed: ele-1", which is the sender's). */
    private static final Pattern INTERNALS = Pattern.compile(
            "(?i)(\\b(java|javax|jakarta|org\\.hibernate|org\\.springframework|org\\.postgresql|org\\.h2|ca\\.uhn)\\.[a-z]"
                    + "|exception|\\bsql\\b|select |insert into|hfj_|idx_|fk_|constraint \\[|unique index|primary key)");

    @Hook(value = Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION, order = 1000)
    public BaseServerResponseException plain(Throwable thrown) {
        if (thrown instanceof BaseServerResponseException answer && answer.getStatusCode() < 500 && !revealsInternals(answer)) {
            return null;
        }
        StorageFailure storage = StorageFailure.of(thrown);
        if (thrown instanceof ResourceVersionConflictException || storage == StorageFailure.COLLISION || storage == StorageFailure.RACE) {
            // HAPI reports its own unique indexes (resource versions, unique search parameters) as version conflicts.
            LOG.info("A write collided with a concurrent one: {}", thrown.getMessage());
            return Rejection.contended(null, "Another request was changing the same records at the same moment "
                    + "(for example the first submission of the same patient from another institution); nothing of this "
                    + "request was stored: send it again");
        }
        if (storage == StorageFailure.UNAVAILABLE) {
            LOG.warn("The database could not serve a request in time: {}", thrown.getMessage());
            return unavailable("The gateway's database cannot serve this request now; nothing of it was stored or served: "
                    + "send it again in a moment");
        }
        if (storage == StorageFailure.UNSTORABLE) {
            // Usually the sender's value (too long, out of range, a character the database refuses); the stack
            // trace stays in the log in case it was the gateway's own.
            LOG.warn("The database refused a value of a request", thrown);
            return Rejection.unprocessable(OperationOutcome.IssueType.VALUE, null, "A value in this request is longer, larger "
                    + "or of characters other than the storage can hold; nothing of it was stored");
        }
        if (thrown instanceof BaseServerResponseException answer && answer.getStatusCode() < 500) {
            return withPlainText(answer);
        }
        if (thrown instanceof BaseServerResponseException answer && (answer.getStatusCode() == 501 || answer.getStatusCode() == 503)) {
            if (!revealsInternals(answer)) {
                return null;
            }
            return answer.getStatusCode() == 503 ? unavailable("The gateway cannot answer this request now; send it again in a moment")
                    : withPlainText(answer);
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

    /** 503 with {@code Retry-After}, as HTTP says for a server that is temporarily unable to answer. */
    static BaseServerResponseException unavailable(String sentence) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(OperationOutcome.IssueType.TRANSIENT)
                .setDiagnostics(sentence);
        BaseServerResponseException answer = Rejection.withOutcome(outcome, BaseServerResponseException.newInstance(503, sentence));
        answer.addResponseHeader("Retry-After", RETRY_AFTER_SECONDS);
        return answer;
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
