package jp.clinsgateway.server.identity;

import jakarta.servlet.http.HttpServletRequest;

import java.util.List;

/**
 * Where SMART App Launch clients find the authorization server: Keycloak's endpoints under the
 * issuer, except the token endpoint, which is the gateway's ({@link SmartTokenEndpoint}) so the
 * token response can carry the {@code patient} launch context.
 */
public record SmartEndpoints(String issuer, String authorize, String token, String jwks) {

    public static final String TOKEN_PATH = "/smart/token";

    public static final List<String> CAPABILITIES = List.of("launch-standalone", "authorize-post", "client-public",
            "client-confidential-symmetric", "context-standalone-patient", "sso-openid-connect", "permission-v2", "permission-v1",
            "permission-patient", "permission-offline");

    /** The scopes the gateway understands (a realm offers each kind of client its share of them). */
    public static final List<String> SCOPES = List.of("openid", "fhirUser", "launch/patient", "online_access", "offline_access",
            "patient/*.rs", "patient/*.read", "patient/Patient.rs", "patient/Condition.rs", "patient/AllergyIntolerance.rs",
            "patient/Observation.rs", "patient/Observation.rs?category=laboratory", "patient/MedicationRequest.rs",
            "patient/DocumentReference.rs", "patient/Bundle.rs", "patient/Consent.cu", "patient/Consent.rs", "patient/AuditEvent.rs",
            "system/*.rs", "system/*.read", "system/Bundle.c", "system/Consent.cu", "system/Patient.rs", "system/Condition.rs",
            "system/AllergyIntolerance.rs", "system/Observation.rs", "system/MedicationRequest.rs", "system/DocumentReference.rs",
            "system/Bundle.rs", "system/Consent.rs", "system/AuditEvent.rs", "purpose/ETREAT");

    /** The gateway's own root URL as the caller reached it (scheme, host, port, context path). */
    public static String gatewayRoot(HttpServletRequest request) {
        String scheme = request.getScheme();
        int port = request.getServerPort();
        boolean usual = scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
        return scheme + "://" + request.getServerName() + (usual ? "" : ":" + port) + request.getContextPath();
    }

    /** @param gatewayRoot the gateway's own root URL (scheme, host, port, context path) */
    public static SmartEndpoints of(String issuer, String gatewayRoot) {
        return new SmartEndpoints(issuer, issuer + "/protocol/openid-connect/auth", gatewayRoot + TOKEN_PATH,
                issuer + "/protocol/openid-connect/certs");
    }

    public String revocation() {
        return issuer + "/protocol/openid-connect/revoke";
    }

    public String introspection() {
        return issuer + "/protocol/openid-connect/token/introspect";
    }

    /** Where a patient manages their account and the apps signed in with it. */
    public String management() {
        return issuer + "/account";
    }
}
