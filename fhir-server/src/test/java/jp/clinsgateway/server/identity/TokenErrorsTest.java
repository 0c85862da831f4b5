package jp.clinsgateway.server.identity;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Keycloak's refusals as RFC 6749 §5.2 words them (the answers are Keycloak 26's, seen at its token endpoint). */
class TokenErrorsTest {

    private static byte[] error(String error, String description) {
        return ("{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode json(TokenErrors.Answer answer) throws Exception {
        return SmartWeb.JSON.readTree(answer.body());
    }

    @Test
    void aWrongClientSecretIsAnInvalidClient() throws Exception {
        TokenErrors.Answer answer = TokenErrors.inRfc6749Terms(401, error("unauthorized_client", "Invalid client or Invalid client credentials"), true);
        assertEquals(401, answer.status());
        assertEquals("invalid_client", json(answer).get("error").asText());
        assertEquals("Invalid client or Invalid client credentials", json(answer).get("error_description").asText());
        assertEquals(400, TokenErrors.inRfc6749Terms(401, error("unauthorized_client", "Invalid client or Invalid client credentials"), false).status(),
                "a secret in the form: 400");
    }

    @Test
    void aFailedAuthenticationThroughTheAuthorizationHeaderIs401AndOtherwise400() {
        byte[] noSecretAccepted = error("invalid_client", "Parameter client_assertion_type is missing");
        assertEquals(401, TokenErrors.inRfc6749Terms(400, noSecretAccepted, true).status());
        assertArrayEquals(noSecretAccepted, TokenErrors.inRfc6749Terms(400, noSecretAccepted, true).body());
        assertEquals(400, TokenErrors.inRfc6749Terms(401, error("invalid_client", "Invalid client credentials"), false).status());
    }

    @Test
    void aClientNotAllowedTheGrantStaysUnauthorizedClientWithTheRfcsStatus() throws Exception {
        TokenErrors.Answer answer = TokenErrors.inRfc6749Terms(401, error("unauthorized_client", "Public client not allowed to retrieve service account"), false);
        assertEquals(400, answer.status());
        assertEquals("unauthorized_client", json(answer).get("error").asText());
    }

    @Test
    void everythingElsePassesUnchanged() {
        byte[] reuse = error("invalid_client", "Token reuse detected");
        assertArrayEquals(reuse, TokenErrors.inRfc6749Terms(400, reuse, false).body());
        assertEquals(400, TokenErrors.inRfc6749Terms(400, reuse, false).status());
        byte[] scope = error("invalid_scope", "Invalid scopes: system/Nothing.rs");
        assertArrayEquals(scope, TokenErrors.inRfc6749Terms(400, scope, false).body());
        byte[] html = "<html>".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(html, TokenErrors.inRfc6749Terms(502, html, false).body());
    }
}
