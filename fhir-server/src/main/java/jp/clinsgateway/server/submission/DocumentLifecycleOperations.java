package jp.clinsgateway.server.submission;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import jp.clinsgateway.server.access.OperationAccess;
import jp.clinsgateway.server.identity.Caller;
import jp.clinsgateway.server.web.Rejection;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.function.BiConsumer;

/**
 * The national service's document operations, by the institution that submitted the document:
 * {@code POST [base]/$cancel-document} (取消), {@code $restore-document} (取消UNDO) and
 * {@code $change-document} (変更), each with {@code identifier} (the document's Bundle.identifier),
 * {@code insurer} (8-digit insurer number) and {@code insured} (symbol:number:branch), and for a
 * change the new {@code document}. Defined in the implementation guide as OperationDefinitions
 * {@code cancel-document}, {@code restore-document} and {@code change-document}.
 */
@Component
public class DocumentLifecycleOperations {

    private final DocumentLifecycle lifecycle;
    private final SubmissionService submissions;
    private final OperationAccess access;
    private final FhirContext fhirContext;
    private final TransactionTemplate transaction;

    public DocumentLifecycleOperations(DocumentLifecycle lifecycle, SubmissionService submissions, OperationAccess access,
                                       FhirContext fhirContext, PlatformTransactionManager transactionManager) {
        this.lifecycle = lifecycle;
        this.submissions = submissions;
        this.access = access;
        this.fhirContext = fhirContext;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    @Operation(name = "$cancel-document", idempotent = false, canonicalUrl = "http://clinsgateway.jp/fhir/OperationDefinition/cancel-document")
    public Parameters cancel(@OperationParam(name = "identifier", min = 1) Identifier identifier,
                             @OperationParam(name = "insurer", min = 1) StringType insurer,
                             @OperationParam(name = "insured", min = 1) StringType insured, RequestDetails request) {
        return step(identifier, insurer, insured, request, lifecycle::cancel);
    }

    @Operation(name = "$restore-document", idempotent = false, canonicalUrl = "http://clinsgateway.jp/fhir/OperationDefinition/restore-document")
    public Parameters restore(@OperationParam(name = "identifier", min = 1) Identifier identifier,
                              @OperationParam(name = "insurer", min = 1) StringType insurer,
                              @OperationParam(name = "insured", min = 1) StringType insured, RequestDetails request) {
        return step(identifier, insurer, insured, request, lifecycle::restore);
    }

    @Operation(name = "$change-document", idempotent = false, canonicalUrl = "http://clinsgateway.jp/fhir/OperationDefinition/change-document")
    public Bundle change(@OperationParam(name = "identifier", min = 1) Identifier identifier,
                         @OperationParam(name = "insurer", min = 1) StringType insurer,
                         @OperationParam(name = "insured", min = 1) StringType insured,
                         @OperationParam(name = "document", min = 1) Bundle document, RequestDetails request) {
        if (document == null) {
            throw Rejection.badRequest("document", "Send the new document as the parameter 'document'");
        }
        DocumentLifecycle.StoredDocument earlier = lifecycle.find(identifier, value(insurer), value(insured));
        Caller author = access.documentLifecycle(request, earlier.author());
        return submissions.change(earlier, fhirContext.newJsonParser().encodeResourceToString(document), author, request);
    }

    private Parameters step(Identifier identifier, StringType insurer, StringType insured, RequestDetails request,
                            BiConsumer<DocumentLifecycle.StoredDocument, Caller> action) {
        DocumentLifecycle.StoredDocument document = lifecycle.find(identifier, value(insurer), value(insured));
        Caller author = access.documentLifecycle(request, document.author());
        transaction.executeWithoutResult(status -> action.accept(document, author));
        Parameters answer = new Parameters();
        answer.addParameter().setName("document").setValue(new Reference(document.bundle().getIdElement().toUnqualifiedVersionless().getValue()));
        answer.addParameter().setName("index").setValue(new Reference(document.index().getIdElement().toUnqualifiedVersionless().getValue()));
        answer.addParameter().setName("status").setValue(new CodeType(document.index().getStatus().toCode()));
        return answer;
    }

    private static String value(StringType text) {
        return text == null ? null : text.getValue();
    }
}
