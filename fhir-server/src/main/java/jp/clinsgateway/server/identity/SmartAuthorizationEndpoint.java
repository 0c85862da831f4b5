package jp.clinsgateway.server.identity;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The authorization endpoint SMART apps send the browser to: it refuses a request whose {@code aud} is not this
 * gateway's FHIR base before anyone signs in, then sends the browser on to Keycloak's authorization endpoint with the
 * same parameters (Keycloak knows nothing of {@code aud}). A refusal is answered here (400 {@code invalid_request}),
 * never by a redirect: the redirect URI is not verified until Keycloak sees it. PKCE, the client, its redirect URIs and
 * scopes are Keycloak's to check.
 */
final class SmartAuthorizationEndpoint extends HttpServlet {

    private final IdentityProperties properties;

    SmartAuthorizationEndpoint(IdentityProperties properties) {
        this.properties = properties;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        authorize(request, response, HttpServletResponse.SC_FOUND);
    }

    /** {@code authorize-post}: the form's parameters go on as a query, so the browser follows with a GET (303). */
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        authorize(request, response, HttpServletResponse.SC_SEE_OTHER);
    }

    private void authorize(HttpServletRequest request, HttpServletResponse response, int redirect) throws IOException {
        if (properties.configuredIssuer().isEmpty()) {
            response.sendError(404, "No authorization server is configured (gateway.identity.issuer)");
            return;
        }
        Map<String, String[]> parameters = request.getParameterMap();
        Optional<String> repeated = parameters.entrySet().stream().filter(p -> p.getValue().length > 1).map(Map.Entry::getKey).findFirst();
        if (repeated.isPresent()) {
            OAuthError.write(response, 400, "invalid_request", "The parameter " + repeated.get() + " is given more than once");
            return;
        }
        FhirBase base = FhirBase.of(request, properties);
        String[] aud = parameters.get("aud");
        if (aud == null || aud[0].isBlank()) {
            OAuthError.write(response, 400, "invalid_request", "aud is required: the FHIR base URL of this gateway, " + base.url());
            return;
        }
        if (!base.isNamedBy(aud[0])) {
            OAuthError.write(response, 400, "invalid_request", "aud '" + aud[0] + "' is not the FHIR base URL of this gateway ("
                    + base.url() + "): it grants access to no other server");
            return;
        }
        String query = parameters.entrySet().stream()
                .map(p -> encode(p.getKey()) + "=" + encode(p.getValue()[0]))
                .collect(Collectors.joining("&"));
        response.setStatus(redirect);
        response.setHeader("Location", SmartEndpoints.keycloakAuthorization(properties.configuredIssuer().get()) + "?" + query);
        response.setHeader("Cache-Control", "no-store");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
