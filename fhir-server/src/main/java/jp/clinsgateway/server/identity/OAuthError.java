package jp.clinsgateway.server.identity;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * How the gateway's OAuth endpoints refuse (RFC 6749 §5.2): a JSON object with {@code error} and
 * {@code error_description}, never cached. OAuth clients read this shape, not a FHIR OperationOutcome.
 */
final class OAuthError {

    private OAuthError() {
    }

    static void write(HttpServletResponse response, int status, String error, String description) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        SmartWeb.JSON.writeValue(response.getOutputStream(), SmartWeb.JSON.createObjectNode().put("error", error)
                .put("error_description", description));
    }
}
