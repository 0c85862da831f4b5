package jp.clinsgateway.server.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Token introspection (RFC 7662, with SMART App Launch 2.x's required fields) for the realm's registered clients and
 * other resource servers. The caller authenticates as a client of the realm, however it does there (its credentials go
 * to Keycloak's introspection endpoint, which refuses unknown ones). A token is active when it passes every check the
 * gateway itself makes (signature, issuer, audience, expiry) <em>and</em> Keycloak still holds it active (not revoked,
 * its session not ended), asked with the gateway's own client, which every token names in {@code aud}. Keycloak answers
 * its clients only about tokens naming them, so a registered client could not ask Keycloak directly.
 *
 * <p>An active token is answered with {@code scope}, {@code client_id}, {@code exp}, {@code iat}, {@code iss},
 * {@code sub}, {@code aud} and its launch context ({@code patient}, as in the token response) and {@code fhirUser}.
 */
final class SmartIntrospectionEndpoint extends HttpServlet {

    private final IdentityProperties properties;
    private final transient AccessTokens tokens;
    private final transient HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    SmartIntrospectionEndpoint(IdentityProperties properties, AccessTokens tokens) {
        this.properties = properties;
        this.tokens = tokens;
    }

    /** Whether this gateway can introspect: it needs its own client's secret to ask Keycloak. */
    static boolean offered(IdentityProperties properties) {
        return properties.configuredIssuer().isPresent() && properties.configuredIntrospectionSecret().isPresent();
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!offered(properties)) {
            response.sendError(404, "This gateway offers no token introspection (gateway.identity.introspection-secret)");
            return;
        }
        byte[] body = request.getInputStream().readAllBytes();
        Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
        String token = form.get("token");
        if (token == null || token.isBlank()) {
            OAuthError.write(response, 400, "invalid_request", "token is required");
            return;
        }
        String authorization = request.getHeader("Authorization");
        if (authorization == null && !form.containsKey("client_id") && !form.containsKey("client_assertion")) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"clins-gateway\"");
            OAuthError.write(response, 401, "invalid_client", "Introspection is for clients of the realm: authenticate as one");
            return;
        }
        try {
            HttpResponse<String> caller = introspectAtKeycloak(body, authorization);
            if (caller.statusCode() != 200) {
                response.setHeader("WWW-Authenticate", "Basic realm=\"clins-gateway\"");
                OAuthError.write(response, 401, "invalid_client", "The authorization server did not accept the caller as one of its clients"
                        + Optional.ofNullable(field(caller.body(), "error_description")).map(d -> ": " + d).orElse(""));
                return;
            }
            HttpResponse<String> own = introspectAtKeycloak(("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                    + "&token_type_hint=access_token").getBytes(StandardCharsets.UTF_8), ownCredentials());
            if (own.statusCode() != 200) {
                OAuthError.write(response, 503, "temporarily_unavailable", "The authorization server refused the gateway's own introspection: HTTP "
                        + own.statusCode() + " (is gateway.identity.introspection-secret the secret of the client " + properties.audience() + "?)");
                return;
            }
            boolean activeAtKeycloak = SmartWeb.JSON.readTree(own.body()).path("active").asBoolean(false);
            answer(response, activeAtKeycloak ? tokens.claimsOf(token) : Optional.empty());
        } catch (IOException unreachable) {
            OAuthError.write(response, 503, "temporarily_unavailable", "The authorization server cannot be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            OAuthError.write(response, 503, "temporarily_unavailable", "Interrupted");
        }
    }

    private static void answer(HttpServletResponse response, Optional<Map<String, Object>> claims) throws IOException {
        ObjectNode answer = SmartWeb.JSON.createObjectNode().put("active", claims.isPresent());
        claims.ifPresent(token -> {
            text(answer, "scope", token.get("scope"));
            text(answer, "client_id", token.get("azp"));
            seconds(answer, "exp", token.get("exp"));
            seconds(answer, "iat", token.get("iat"));
            text(answer, "iss", token.get("iss") == null ? null : token.get("iss").toString());
            text(answer, "sub", token.get("sub"));
            if (token.get("aud") instanceof Collection<?> audiences) {
                audiences.forEach(a -> answer.withArray("aud").add(a.toString()));
            }
            answer.put("token_type", "Bearer");
            Object patient = token.get("patient");
            text(answer, "patient", patient == null ? null : patient.toString().replaceFirst("^Patient/", ""));
            text(answer, "fhirUser", token.get("fhirUser"));
        });
        response.setStatus(200);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        SmartWeb.JSON.writeValue(response.getOutputStream(), answer);
    }

    private HttpResponse<String> introspectAtKeycloak(byte[] form, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(properties.backchannelIssuer().orElseThrow()
                        + "/protocol/openid-connect/token/introspect"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(form));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String ownCredentials() {
        String pair = URLEncoder.encode(properties.audience(), StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(properties.configuredIntrospectionSecret().orElseThrow(), StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (!pair.isEmpty()) {
                String[] parts = pair.split("=", 2);
                fields.putIfAbsent(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                        parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
            }
        }
        return fields;
    }

    private static String field(String json, String name) {
        try {
            JsonNode value = SmartWeb.JSON.readTree(json).get(name);
            return value == null || !value.isTextual() ? null : value.asText();
        } catch (IOException notJson) {
            return null;
        }
    }

    private static void text(ObjectNode answer, String name, Object value) {
        if (value != null) {
            answer.put(name, value.toString());
        }
    }

    private static void seconds(ObjectNode answer, String name, Object value) {
        if (value instanceof java.time.Instant instant) {
            answer.put(name, instant.getEpochSecond());
        } else if (value instanceof Number number) {
            answer.put(name, number.longValue());
        }
    }
}
