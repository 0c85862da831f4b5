package jp.clinsgateway.server.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import jakarta.servlet.http.HttpServletRequest;
import jp.clinsgateway.server.submission.Rejection;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.stereotype.Component;

import java.util.Set;

/**
 * Clients write only through {@code $submit}: a record created any other way would miss the
 * validation, patient matching and labels that the consent checks rely on. Direct
 * create/update/patch/delete, transactions and batches, and HAPI's maintenance operations are
 * refused with 405; the one exception is the patient's Consent, created and revoked (updated) through
 * the FHIR API. (The gateway's own writes go to the DAOs and never pass here.)
 */
@Component
@Interceptor
public class ClientWritePolicy {

    /**
     * $everything and $meta would read around the consent narrowing, so they are not offered;
     * $validate only at type level (instance level reads the stored record).
     */
    static final Set<String> ALLOWED_OPERATIONS = Set.of("$submit", "$validate", "$consent-check");

    private static final Set<RestOperationTypeEnum> WRITES = Set.of(
            RestOperationTypeEnum.CREATE, RestOperationTypeEnum.UPDATE, RestOperationTypeEnum.PATCH,
            RestOperationTypeEnum.DELETE, RestOperationTypeEnum.TRANSACTION, RestOperationTypeEnum.BATCH,
            RestOperationTypeEnum.META_ADD, RestOperationTypeEnum.META_DELETE, RestOperationTypeEnum.GRAPHQL_REQUEST);

    /** A POST to the base is a transaction or batch: refused before HAPI looks for a handler it does not have. */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_PROCESSED)
    public boolean refuseTransactions(HttpServletRequest request) {
        String path = request.getPathInfo();
        if ("POST".equals(request.getMethod()) && (path == null || path.equals("/"))) {
            throw refused("transaction and batch are not offered by this gateway: submit clinical data with POST [base]/$submit");
        }
        return true;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void refuseDirectWrites(RequestDetails request, RestOperationTypeEnum operation) {
        boolean consentDecision = "Consent".equals(request.getResourceName())
                && (operation == RestOperationTypeEnum.CREATE || operation == RestOperationTypeEnum.UPDATE);
        if (WRITES.contains(operation) && !consentDecision) {
            throw refused(operation.getCode() + " is not offered by this gateway: submit clinical data with POST [base]/$submit");
        }
        boolean extended = operation == RestOperationTypeEnum.EXTENDED_OPERATION_SERVER
                || operation == RestOperationTypeEnum.EXTENDED_OPERATION_TYPE
                || operation == RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE;
        if (extended && (!ALLOWED_OPERATIONS.contains(request.getOperation())
                || operation == RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE)) {
            throw refused("The operation " + request.getOperation() + " is not offered by this gateway");
        }
    }

    private static RuntimeException refused(String message) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.NOTSUPPORTED).setDiagnostics(message);
        return Rejection.withOutcome(outcome, new MethodNotAllowedException(message));
    }
}
