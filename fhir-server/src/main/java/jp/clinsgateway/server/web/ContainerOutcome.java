package jp.clinsgateway.server.web;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletResponse;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * An error answered outside HAPI's RestfulServer (by a servlet filter or by Tomcat itself) still
 * reaches the client as a FHIR OperationOutcome, never as an HTML error page.
 */
public final class ContainerOutcome {

    private ContainerOutcome() {
    }

    public static void write(HttpServletResponse response, int status, IssueType type, String diagnostics) throws IOException {
        write(response, status, type, null, diagnostics);
    }

    /** The same, naming the element or parameter at fault ({@code issue.expression}) when {@code path} is given. */
    public static void write(HttpServletResponse response, int status, IssueType type, String path, String diagnostics) throws IOException {
        OperationOutcome outcome = new OperationOutcome();
        OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(type).setDiagnostics(diagnostics);
        if (path != null) {
            issue.addExpression(path);
        }
        byte[] body = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(outcome).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/fhir+json;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
