package jp.clinsgateway.server.web;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tomcat's error report, as an OperationOutcome: what Tomcat refuses before any servlet runs (a
 * request line with raw non-ASCII bytes, such as an unencoded 𠮷 in a search, or a malformed
 * header) gets the same kind of answer as every other refusal of the gateway.
 */
public class OperationOutcomeErrorReport extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        AtomicBoolean writable = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, writable);
        if (!writable.get()) {
            return;
        }
        try {
            response.resetBuffer();
            ContainerOutcome.write(response, status, status >= 500 ? IssueType.EXCEPTION : IssueType.INVALID, diagnostics(status, response, throwable));
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // The connection is gone; there is no one left to tell.
        }
    }

    private static String diagnostics(int status, Response response, Throwable throwable) {
        String detail = throwable != null && throwable.getMessage() != null ? throwable.getMessage() : response.getMessage();
        String reason = status == 400
                ? "The HTTP request could not be read; characters outside ASCII in the URL must be percent-encoded (UTF-8)"
                : "The request failed with HTTP " + status;
        return detail == null || detail.isBlank() ? reason : reason + ": " + detail;
    }
}
