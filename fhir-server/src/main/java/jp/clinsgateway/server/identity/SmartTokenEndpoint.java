package jp.clinsgateway.server.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The token endpoint SMART clients use: passes the request to Keycloak's token endpoint unchanged
 * and answers Keycloak's answer, adding the {@code patient} launch context beside the access token.
 * Keycloak can put the patient into the token but not (without an extension of its own) into the
 * token response, where SMART App Launch clients such as {@code fhirclient} look for it.
 *
 * <p>Before passing it on, it refuses ({@code invalid_client}, RFC 6749 §5.2) a client assertion
 * that breaks the SMART Backend Services rules ({@link ClientAssertionCheck}) and, where client secrets are
 * disabled ({@code gateway.identity.client-secrets-enabled=false}), any client secret; Keycloak's refusals
 * come back in the RFC's words ({@link TokenErrors}).
 */
final class SmartTokenEndpoint extends HttpServlet {

    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final String CHALLENGE = "Basic realm=\"clins-gateway\"";

    private final IdentityProperties properties;
    private final transient HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    SmartTokenEndpoint(IdentityProperties properties) {
        this.properties = properties;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (properties.configuredIssuer().isEmpty()) {
            response.sendError(404, "No authorization server is configured (gateway.identity.issuer)");
            return;
        }
        byte[] requestBody = request.getInputStream().readAllBytes();
        Map<String, String> form = form(requestBody);
        String authorization = request.getHeader("Authorization");
        boolean basic = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
        if (!properties.clientSecretsEnabled() && (basic || form.containsKey("client_secret"))) {
            refuse(response, basic, "Client secrets are not accepted here: authenticate with a signed JWT"
                    + " (client_assertion_type " + ASSERTION_TYPE + ", SMART Backend Services)");
            return;
        }
        if (form.containsKey("client_assertion")) {
            SmartEndpoints endpoints = SmartEndpoints.of(properties.configuredIssuer().get(), SmartEndpoints.gatewayRoot(request));
            Optional<String> problem = new ClientAssertionCheck(endpoints, properties.clockSkew())
                    .problem(form.get("client_assertion"), Instant.now());
            if (problem.isPresent()) {
                refuse(response, basic, problem.get());
                return;
            }
        }
        String keycloakToken = properties.backchannelIssuer().orElseThrow() + "/protocol/openid-connect/token";
        HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(keycloakToken))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofByteArray(requestBody));
        if (authorization != null) {
            forward.header("Authorization", authorization);
        }
        HttpResponse<byte[]> answer;
        try {
            answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            OAuthError.write(response, 503, "temporarily_unavailable", "The authorization server cannot be reached");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            OAuthError.write(response, 503, "temporarily_unavailable", "Interrupted");
            return;
        }
        TokenErrors.Answer corrected = TokenErrors.inRfc6749Terms(answer.statusCode(), answer.body(), basic);
        byte[] body = corrected.body();
        if (corrected.status() == 200) {
            JsonNode tokens = SmartWeb.JSON.readTree(body);
            if (tokens instanceof ObjectNode object && tokens.hasNonNull("access_token") && !tokens.has("patient")) {
                JsonNode patient = SmartWeb.claimsOf(tokens.get("access_token").asText()).get("patient");
                if (patient != null && patient.isTextual()) {
                    object.put("patient", patient.asText().replaceFirst("^Patient/", ""));
                }
                body = SmartWeb.JSON.writeValueAsBytes(object);
            }
        }
        response.setStatus(corrected.status());
        response.setContentType(answer.headers().firstValue("Content-Type").orElse("application/json"));
        if (corrected.status() == 401 && basic) {
            // RFC 6749 §5.2: a client that tried HTTP authentication is answered with a challenge.
            response.setHeader("WWW-Authenticate", answer.headers().firstValue("WWW-Authenticate").orElse(CHALLENGE));
        }
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        response.getOutputStream().write(body);
    }

    /**
     * {@code invalid_client}: 401 with a challenge where the client tried HTTP authentication (RFC 6749 §5.2
     * asks for it), else 400.
     */
    private static void refuse(HttpServletResponse response, boolean basic, String description) throws IOException {
        if (basic) {
            response.setHeader("WWW-Authenticate", CHALLENGE);
        }
        OAuthError.write(response, basic ? 401 : 400, "invalid_client", description);
    }

    /** The form's fields (the first value of each), read without consuming what is passed on. */
    static Map<String, String> form(byte[] body) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                fields.putIfAbsent(name, value);
            } catch (IllegalArgumentException malformed) {
                // Keycloak refuses the malformed form itself
            }
        }
        return fields;
    }
}
