package jp.clinsgateway.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Asks a token endpoint for tokens, as an EMR, insurer or operator system does: the client
 * credentials grant with a signed client assertion (SMART Backend Services) or the client's secret
 * (HTTP Basic, development), and the scopes it wants.
 */
public final class TokenClient {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final URI tokenEndpoint;

    public TokenClient(String tokenEndpoint) {
        this.tokenEndpoint = URI.create(tokenEndpoint);
    }

    /** Keycloak's token endpoint of a realm, from its issuer URL. */
    public static TokenClient ofIssuer(String issuer) {
        return new TokenClient(issuer + "/protocol/openid-connect/token");
    }

    /** The access token; fails with the endpoint's error when it refuses. Without scopes, the token grants none. */
    public String clientCredentials(String clientId, String secret, String scope) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (scope != null && !scope.isBlank()) {
            form.put("scope", scope);
        }
        JsonNode answer = post(form,
                "Basic " + Base64.getEncoder().encodeToString((encode(clientId) + ":" + encode(RealmDescription.secret(secret)))
                        .getBytes(StandardCharsets.UTF_8)));
        return answer.get("access_token").asText();
    }

    /** The access token for a client authenticating with a signed assertion ({@link ClientAssertion}). */
    public String clientCredentialsWithAssertion(String assertion, String scope) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (scope != null && !scope.isBlank()) {
            form.put("scope", scope);
        }
        form.put("client_assertion_type", ClientAssertion.TYPE);
        form.put("client_assertion", assertion);
        return post(form, null).get("access_token").asText();
    }

    /** The token URL itself: what an assertion for this endpoint names in {@code aud}. */
    public String endpoint() {
        return tokenEndpoint.toString();
    }

    /** POSTs a form to the token endpoint; the JSON answer, or an exception naming the refusal. */
    JsonNode post(Map<String, String> form, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(tokenEndpoint).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(form)));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("The token endpoint " + tokenEndpoint + " refused: HTTP " + response.statusCode() + " " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("The token endpoint " + tokenEndpoint + " cannot be reached", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String form(Map<String, String> fields) {
        return new LinkedHashMap<>(fields).entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
