package jp.clinsgateway.server.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The SMART App Launch endpoints beside the FHIR API: discovery, and the gateway's authorization, token and
 * introspection endpoints in front of Keycloak's.
 */
@Configuration
public class SmartWeb {

    static final ObjectMapper JSON = new ObjectMapper();

    /** {@code [base]/.well-known/smart-configuration} (an exact mapping, so it wins over the FHIR servlet's {@code /fhir/*}). */
    @Bean
    public ServletRegistrationBean<HttpServlet> smartConfiguration(IdentityProperties properties) {
        HttpServlet servlet = new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                if (properties.configuredIssuer().isEmpty()) {
                    response.sendError(404, "No authorization server is configured (gateway.identity.issuer)");
                    return;
                }
                SmartEndpoints endpoints = SmartEndpoints.of(properties.configuredIssuer().get(), SmartEndpoints.gatewayRoot(request));
                ObjectNode document = JSON.createObjectNode()
                        .put("issuer", endpoints.issuer())
                        .put("jwks_uri", endpoints.jwks())
                        .put("authorization_endpoint", endpoints.authorize())
                        .put("token_endpoint", endpoints.token())
                        .put("revocation_endpoint", endpoints.revocation())
                        .put("management_endpoint", endpoints.management());
                if (SmartIntrospectionEndpoint.offered(properties)) {
                    document.put("introspection_endpoint", endpoints.introspection());
                }
                array(document, "grant_types_supported", List.of("authorization_code", "client_credentials", "refresh_token"));
                array(document, "token_endpoint_auth_methods_supported", SmartEndpoints.tokenEndpointAuthMethods(properties.clientSecretsEnabled()));
                array(document, "token_endpoint_auth_signing_alg_values_supported", SmartEndpoints.ASSERTION_ALGORITHMS);
                array(document, "response_types_supported", List.of("code"));
                array(document, "code_challenge_methods_supported", List.of("S256"));
                array(document, "scopes_supported", SmartEndpoints.SCOPES);
                array(document, "capabilities", SmartEndpoints.capabilities(properties.clientSecretsEnabled()));
                response.setContentType("application/json");
                response.setCharacterEncoding("UTF-8");
                response.setHeader("Cache-Control", "max-age=300");
                // SMART App Launch 2.2: the public discovery endpoints are open to any origin (the token endpoint only to registered ones).
                response.setHeader("Access-Control-Allow-Origin", "*");
                JSON.writeValue(response.getOutputStream(), document);
            }
        };
        return new ServletRegistrationBean<>(servlet, "/fhir/.well-known/smart-configuration");
    }

    @Bean
    public ServletRegistrationBean<HttpServlet> smartToken(IdentityProperties properties) {
        return new ServletRegistrationBean<>(new SmartTokenEndpoint(properties), SmartEndpoints.TOKEN_PATH);
    }

    @Bean
    public ServletRegistrationBean<HttpServlet> smartAuthorization(IdentityProperties properties) {
        return new ServletRegistrationBean<>(new SmartAuthorizationEndpoint(properties), SmartEndpoints.AUTHORIZE_PATH);
    }

    @Bean
    public ServletRegistrationBean<HttpServlet> smartIntrospection(IdentityProperties properties, AccessTokens tokens) {
        return new ServletRegistrationBean<>(new SmartIntrospectionEndpoint(properties, tokens), SmartEndpoints.INTROSPECT_PATH);
    }

    /** Only on the endpoints browser apps call with what they got from the realm (not a bean: Boot would filter everything). */
    @Bean
    public FilterRegistrationBean<RegisteredOrigins> registeredOrigins(IdentityProperties properties) {
        FilterRegistrationBean<RegisteredOrigins> registration = new FilterRegistrationBean<>(new RegisteredOrigins(properties));
        registration.addUrlPatterns(SmartEndpoints.TOKEN_PATH, SmartEndpoints.INTROSPECT_PATH);
        return registration;
    }

    private static void array(ObjectNode document, String name, List<String> values) {
        ArrayNode array = document.putArray(name);
        values.forEach(array::add);
    }

    /** The claims of a JWT, unverified: only for a token just received from the issuer itself. */
    static ObjectNode claimsOf(String jwt) throws IOException {
        String[] parts = jwt.split("\\.");
        return (ObjectNode) JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }
}
