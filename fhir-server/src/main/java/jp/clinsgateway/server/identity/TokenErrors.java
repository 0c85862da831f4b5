package jp.clinsgateway.server.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/**
 * Keycloak's token endpoint refusals in the words of RFC 6749 §5.2. Keycloak answers a wrong client
 * secret with {@code unauthorized_client} (the RFC's word for a client that may not use the grant) where
 * the RFC says {@code invalid_client}, and answers a client not allowed the grant with 401 where the RFC
 * says 400. A failed client authentication ({@code invalid_client}) is 401 where the client tried HTTP
 * authentication (the RFC's MUST; the caller adds the challenge), else 400, whatever Keycloak chose.
 * Everything else passes unchanged.
 */
final class TokenErrors {

    /** Keycloak's description of a failed client authentication (an unknown client, a wrong secret). */
    static final String FAILED_AUTHENTICATION = "Invalid client or Invalid client credentials";

    record Answer(int status, byte[] body) {
    }

    private TokenErrors() {
    }

    /** @param httpAuthentication the client sent an {@code Authorization} header (client_secret_basic) */
    static Answer inRfc6749Terms(int status, byte[] body, boolean httpAuthentication) {
        if (status < 400) {
            return new Answer(status, body);
        }
        JsonNode error;
        try {
            error = SmartWeb.JSON.readTree(body);
        } catch (IOException notJson) {
            return new Answer(status, body);
        }
        if (!(error instanceof ObjectNode object)) {
            return new Answer(status, body);
        }
        int authenticationFailed = httpAuthentication ? 401 : 400;
        String code = error.path("error").asText();
        if ("invalid_client".equals(code)) {
            return new Answer(authenticationFailed, body);
        }
        if (!"unauthorized_client".equals(code)) {
            return new Answer(status, body);
        }
        if (FAILED_AUTHENTICATION.equals(error.path("error_description").asText())) {
            object.put("error", "invalid_client");
            return new Answer(authenticationFailed, json(object));
        }
        return new Answer(status == 401 ? 400 : status, body);
    }

    private static byte[] json(JsonNode node) {
        try {
            return SmartWeb.JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
