package jp.clinsgateway.server.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The token endpoint SMART clients use: passes the request to Keycloak's token endpoint unchanged
 * and answers Keycloak's answer, adding the {@code patient} launch context beside the access token.
 * Keycloak can put the patient into the token but not (without an extension of its own) into the
 * token response, where SMART App Launch clients such as {@code fhirclient} look for it.
 */
final class SmartTokenEndpoint extends HttpServlet {

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
        String keycloakToken = properties.backchannelIssuer().orElseThrow() + "/protocol/openid-connect/token";
        HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(keycloakToken))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.getInputStream().readAllBytes()));
        if (request.getHeader("Authorization") != null) {
            forward.header("Authorization", request.getHeader("Authorization"));
        }
        HttpResponse<byte[]> answer;
        try {
            answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            error(response, 503, "temporarily_unavailable", "The authorization server cannot be reached");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(response, 503, "temporarily_unavailable", "Interrupted");
            return;
        }
        byte[] body = answer.body();
        if (answer.statusCode() == 200) {
            JsonNode tokens = SmartWeb.JSON.readTree(body);
            if (tokens instanceof ObjectNode object && tokens.hasNonNull("access_token") && !tokens.has("patient")) {
                JsonNode patient = SmartWeb.claimsOf(tokens.get("access_token").asText()).get("patient");
                if (patient != null && patient.isTextual()) {
                    object.put("patient", patient.asText().replaceFirst("^Patient/", ""));
                }
                body = SmartWeb.JSON.writeValueAsBytes(object);
            }
        }
        response.setStatus(answer.statusCode());
        response.setContentType(answer.headers().firstValue("Content-Type").orElse("application/json"));
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        response.getOutputStream().write(body);
    }

    private static void error(HttpServletResponse response, int status, String error, String description) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        SmartWeb.JSON.writeValue(response.getOutputStream(), SmartWeb.JSON.createObjectNode().put("error", error)
                .put("error_description", description));
    }
}
