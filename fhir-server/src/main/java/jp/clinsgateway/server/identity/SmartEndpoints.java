package jp.clinsgateway.server.identity;

import jakarta.servlet.http.HttpServletRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * Where SMART App Launch clients find the authorization server. The gateway's own endpoints: authorization (it
 * checks {@code aud} before sending the browser on to Keycloak, {@link SmartAuthorizationEndpoint}), token (so the
 * token response can carry the {@code patient} launch context, {@link SmartTokenEndpoint}) and introspection
 * ({@link SmartIntrospectionEndpoint}); Keycloak's under the issuer for the keys, revocation and account management.
 */
public record SmartEndpoints(String issuer, String authorize, String token, String introspection, String jwks) {

    public static final String AUTHORIZE_PATH = "/smart/authorize";
    public static final String TOKEN_PATH = "/smart/token";
    public static final String INTROSPECT_PATH = "/smart/introspect";

    /** What SMART Backend Services names for client assertions; Keycloak is told to require the client's one. */
    public static final List<String> ASSERTION_ALGORITHMS = List.of("RS384", "ES384");

    /** What SMART clients find in discovery: secrets ({@code client-confidential-symmetric}) only where they are accepted. */
    public static List<String> capabilities(boolean clientSecretsEnabled) {
        List<String> capabilities = new ArrayList<>(List.of("launch-standalone", "authorize-post", "client-public",
                "client-confidential-asymmetric"));
        if (clientSecretsEnabled) {
            capabilities.add("client-confidential-symmetric");
        }
        capabilities.addAll(List.of("context-standalone-patient", "sso-openid-connect", "permission-v2", "permission-v1",
                "permission-patient", "permission-offline"));
        return List.copyOf(capabilities);
    }

    /** How clients may authenticate at the token endpoint: signed JWTs, secrets where enabled, and none for the public portal. */
    public static List<String> tokenEndpointAuthMethods(boolean clientSecretsEnabled) {
        return clientSecretsEnabled ? List.of("private_key_jwt", "client_secret_basic", "client_secret_post", "none")
                : List.of("private_key_jwt", "none");
    }

    /** The scopes the gateway understands (a realm offers each kind of client its share of them). */
    public static final List<String> SCOPES = List.of("openid", "fhirUser", "launch/patient", "online_access", "offline_access",
            "patient/*.rs", "patient/*.read", "patient/Patient.rs", "patient/Condition.rs", "patient/AllergyIntolerance.rs",
            "patient/Observation.rs", "patient/Observation.rs?category=laboratory", "patient/MedicationRequest.rs",
            "patient/DocumentReference.rs", "patient/Bundle.rs", "patient/Consent.cu", "patient/Consent.rs", "patient/AuditEvent.rs",
            "system/*.rs", "system/*.read", "system/Bundle.c", "system/Consent.cu", "system/Patient.rs", "system/Condition.rs",
            "system/AllergyIntolerance.rs", "system/Observation.rs", "system/MedicationRequest.rs", "system/DocumentReference.rs",
            "system/Bundle.rs", "system/Consent.rs", "system/AuditEvent.rs", "system/Bundle.d", "system/Subscription.cruds",
            "purpose/ETREAT");

    /** The gateway's own root URL as the caller reached it (scheme, host, port, context path). */
    public static String gatewayRoot(HttpServletRequest request) {
        String scheme = request.getScheme();
        int port = request.getServerPort();
        boolean usual = scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
        return scheme + "://" + request.getServerName() + (usual ? "" : ":" + port) + request.getContextPath();
    }

    /** @param gatewayRoot the gateway's own root URL (scheme, host, port, context path) */
    public static SmartEndpoints of(String issuer, String gatewayRoot) {
        return new SmartEndpoints(issuer, gatewayRoot + AUTHORIZE_PATH, gatewayRoot + TOKEN_PATH, gatewayRoot + INTROSPECT_PATH,
                issuer + "/protocol/openid-connect/certs");
    }

    /** Keycloak's authorization endpoint, where the gateway's sends the browser once {@code aud} is checked. */
    public static String keycloakAuthorization(String issuer) {
        return issuer + "/protocol/openid-connect/auth";
    }

    /** Keycloak's own token URL: what a client assertion names in {@code aud} (Keycloak accepts its own URLs only). */
    public String assertionAudience() {
        return issuer + "/protocol/openid-connect/token";
    }

    /** Keycloak's own: it revokes refresh tokens (and the access tokens of their session, for introspection). */
    public String revocation() {
        return issuer + "/protocol/openid-connect/revoke";
    }

    /** Where a patient manages their account and the apps signed in with it. */
    public String management() {
        return issuer + "/account";
    }
}
