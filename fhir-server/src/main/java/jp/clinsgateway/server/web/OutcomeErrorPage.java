package jp.clinsgateway.server.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

import java.io.IOException;

/**
 * Spring's error page (every error outside the FHIR endpoint: a path nothing serves, a method no
 * one offers), as an OperationOutcome instead of Spring's own JSON. It says only what HTTP says:
 * never the exception, whose message can name classes or SQL. A database without a free connection
 * is a 503 with {@code Retry-After} here as under {@code /fhir}.
 */
@Controller
public class OutcomeErrorPage implements ErrorController {

    @RequestMapping("/error")
    public void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer given ? given : 404;
        if (status == 500 && request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable thrown
                && StorageFailure.of(thrown) == StorageFailure.UNAVAILABLE) {
            // outside the FHIR endpoint too: no connection in time is the database's moment, not a failure
            response.setHeader("Retry-After", PlainErrors.RETRY_AFTER_SECONDS);
            ContainerOutcome.write(response, 503, IssueType.TRANSIENT, "The gateway's database cannot serve this request now: "
                    + "send it again in a moment");
            return;
        }
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri instanceof String given ? given : request.getRequestURI();
        ContainerOutcome.write(response, status, typeOf(status), diagnostics(status, request.getMethod(), path));
    }

    private static IssueType typeOf(int status) {
        return switch (status) {
            case 404 -> IssueType.NOTFOUND;
            case 405, 501 -> IssueType.NOTSUPPORTED;
            case 401 -> IssueType.LOGIN;
            case 403 -> IssueType.FORBIDDEN;
            case 413 -> IssueType.TOOCOSTLY;
            default -> status >= 500 ? IssueType.EXCEPTION : IssueType.INVALID;
        };
    }

    static String diagnostics(int status, String method, String path) {
        return switch (status) {
            case 404 -> "Nothing is served at " + printable(path) + ": the FHIR API is at /fhir, the patient portal at /portal/";
            case 405 -> "The method " + printable(method) + " is not offered at " + printable(path);
            case 501 -> "The method " + printable(method) + " is not offered by this server";
            case 400 -> "The request could not be read";
            default -> status >= 500 ? "The gateway could not answer this request; it has been logged" : "The request failed with HTTP " + status;
        };
    }

    private static String printable(String text) {
        if (text == null) {
            return "";
        }
        String shown = text.replaceAll("[\\p{Cntrl}]", "?");
        return shown.length() > 100 ? shown.substring(0, 100) + "…" : shown;
    }
}
