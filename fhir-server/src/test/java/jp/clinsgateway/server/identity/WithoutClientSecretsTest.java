package jp.clinsgateway.server.identity;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServlet;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A deployment with {@code gateway.identity.client-secrets-enabled=false}, as in production: discovery
 * offers only signed JWTs, and the token endpoint refuses a secret itself, before any authorization
 * server sees it (here there is none: the backchannel points at a closed port, which would answer 503).
 */
class WithoutClientSecretsTest {

    private static final String ISSUER = "http://127.0.0.1:1/realms/clins";

    private static IdentityProperties properties(boolean secretsEnabled) {
        return new IdentityProperties(ISSUER, null, "clins-gateway", Duration.ofSeconds(30), "gateway-operator", false, null, null, java.util.List.of(), secretsEnabled);
    }

    private static MockHttpServletResponse tokenRequest(IdentityProperties properties, String form, String authorization) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", SmartEndpoints.TOKEN_PATH);
        request.setContentType("application/x-www-form-urlencoded");
        request.setContent(form.getBytes(StandardCharsets.UTF_8));
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        new SmartTokenEndpoint(properties).service(request, response);
        return response;
    }

    private static JsonNode discovery(IdentityProperties properties) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/fhir/.well-known/smart-configuration");
        MockHttpServletResponse response = new MockHttpServletResponse();
        ((HttpServlet) new SmartWeb().smartConfiguration(properties).getServlet()).service(request, response);
        assertEquals(200, response.getStatus());
        return SmartWeb.JSON.readTree(response.getContentAsByteArray());
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    @Test
    void discoveryOffersSignedJwtsOnlyAndNoSymmetricClients() throws Exception {
        JsonNode smart = discovery(properties(false));
        assertEquals(List.of("private_key_jwt", "none"), strings(smart.get("token_endpoint_auth_methods_supported")));
        assertEquals(List.of("RS384", "ES384"), strings(smart.get("token_endpoint_auth_signing_alg_values_supported")));
        assertTrue(strings(smart.get("capabilities")).contains("client-confidential-asymmetric"));
        assertFalse(strings(smart.get("capabilities")).contains("client-confidential-symmetric"));

        JsonNode development = discovery(properties(true));
        assertEquals(List.of("private_key_jwt", "client_secret_basic", "client_secret_post", "none"),
                strings(development.get("token_endpoint_auth_methods_supported")));
        assertTrue(strings(development.get("capabilities")).containsAll(List.of("client-confidential-asymmetric", "client-confidential-symmetric")));
    }

    @Test
    void aSecretInTheAuthorizationHeaderIsAnInvalidClientWithAChallenge() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString("emr-1311234567:demo-tokyo-central-secret".getBytes(StandardCharsets.UTF_8));
        MockHttpServletResponse response = tokenRequest(properties(false), "grant_type=client_credentials&scope=system%2F*.rs", basic);
        assertEquals(401, response.getStatus());
        assertEquals("Basic realm=\"clins-gateway\"", response.getHeader("WWW-Authenticate"));
        JsonNode error = SmartWeb.JSON.readTree(response.getContentAsByteArray());
        assertEquals("invalid_client", error.get("error").asText());
        assertTrue(error.get("error_description").asText().contains("signed JWT"), error::toString);
        assertEquals("no-store", response.getHeader("Cache-Control"));
    }

    @Test
    void aSecretInTheFormIsAnInvalidClient() throws Exception {
        MockHttpServletResponse response = tokenRequest(properties(false),
                "grant_type=client_credentials&client_id=emr-1311234567&client_secret=demo-tokyo-central-secret", null);
        assertEquals(400, response.getStatus());
        assertEquals("invalid_client", SmartWeb.JSON.readTree(response.getContentAsByteArray()).get("error").asText());
    }

    @Test
    void withSecretsEnabledTheRequestGoesOnToTheAuthorizationServer() throws Exception {
        MockHttpServletResponse response = tokenRequest(properties(true),
                "grant_type=client_credentials&client_id=emr-1311234567&client_secret=demo-tokyo-central-secret", null);
        assertEquals(503, response.getStatus(), "passed on, to an authorization server that is not there");
    }

    @Test
    void aMalformedAssertionIsRefusedWithoutReachingTheAuthorizationServer() throws Exception {
        MockHttpServletResponse response = tokenRequest(properties(false), "grant_type=client_credentials&client_assertion_type="
                + "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=eyJhbGciOiJub25lIn0.e30.", null);
        assertEquals(400, response.getStatus());
        JsonNode error = SmartWeb.JSON.readTree(response.getContentAsByteArray());
        assertEquals("invalid_client", error.get("error").asText());
        assertTrue(error.get("error_description").asText().contains("alg none"), error::toString);
    }
}
