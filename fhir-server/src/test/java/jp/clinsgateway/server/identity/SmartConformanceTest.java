package jp.clinsgateway.server.identity;

import com.fasterxml.jackson.databind.JsonNode;
import jp.clinsgateway.keycloak.PatientSignIn;
import jp.clinsgateway.keycloak.RealmDescription;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.GatewayTest;
import jp.clinsgateway.server.support.GatewayWithKeycloak;
import jp.clinsgateway.server.support.OAuthHttp;
import jp.clinsgateway.server.support.TestKeycloak;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.StreamSupport;

import static jp.clinsgateway.server.support.Institutions.TOKYO_CENTRAL;
import static jp.clinsgateway.server.support.OAuthHttp.basic;
import static jp.clinsgateway.server.support.OAuthHttp.claims;
import static jp.clinsgateway.server.support.OAuthHttp.json;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's SMART App Launch 2.2 conformance, walked over real HTTP as a public browser app (the patient portal's
 * registration) and a confidential resource server would, against the real Keycloak; the checks follow the Inferno
 * SMART App Launch STU2.2 test kit's server checks where they apply to a standalone patient launch. It prints one
 * line per check ({@code PASS name: what was seen} or {@code FAIL name: why}) and fails if any check failed.
 * On its own: {@code mvn -pl fhir-server test -Dtest=SmartConformanceTest}.
 */
@GatewayWithKeycloak
class SmartConformanceTest extends GatewayTest {

    private static final String LAUNCH_SCOPES = "openid fhirUser launch/patient patient/*.rs offline_access";
    private static final String ATTACKER = "https://attacker.example.org";

    @Autowired
    private IdentityProperties identity;

    // What a SMART client learns on the way, check by check.
    private String root;
    private String patient;
    private JsonNode discovery;
    private JsonNode tokens;
    private String accessToken;

    @Test
    void theGatewayPassesEverySmartAppLaunchCheck() {
        patient = TestKeycloak.provisionFor(port()).get("yoshida");
        root = "http://localhost:" + port();
        String fhirBase = TestKeycloak.fhirBase(port());
        RealmDescription.Institution tokyo = TestKeycloak.REALM.institutions().stream()
                .filter(i -> i.code().equals(TOKYO_CENTRAL)).findFirst().orElseThrow();
        Map<String, String> asTokyo = Map.of("Authorization", basic(tokyo.clientId(), tokyo.secret()));
        Checks checks = new Checks(System.out);

        checks.run("discovery", () -> {
            HttpResponse<String> answer = OAuthHttp.get(fhirBase + "/.well-known/smart-configuration", Map.of("Accept", "application/json"));
            expect(answer.statusCode() == 200, "HTTP " + answer.statusCode());
            expect(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), "served as JSON");
            discovery = json(answer);
            for (String field : List.of("issuer", "jwks_uri", "authorization_endpoint", "token_endpoint", "introspection_endpoint",
                    "revocation_endpoint", "capabilities", "grant_types_supported", "code_challenge_methods_supported", "scopes_supported")) {
                expect(discovery.hasNonNull(field), "has " + field);
            }
            expect(strings(discovery.get("grant_types_supported")).containsAll(List.of("authorization_code", "refresh_token")), "grants");
            expect(strings(discovery.get("code_challenge_methods_supported")).equals(List.of("S256")), "S256, never plain");
            expect(strings(discovery.get("capabilities")).containsAll(List.of("launch-standalone", "client-public",
                    "context-standalone-patient", "sso-openid-connect", "permission-v2", "permission-offline")), "capabilities");
            expect(discovery.get("authorization_endpoint").asText().equals(root + SmartEndpoints.AUTHORIZE_PATH), "the gateway authorizes");
            expect(discovery.get("token_endpoint").asText().equals(root + SmartEndpoints.TOKEN_PATH), "the gateway's token endpoint");
            expect(discovery.get("introspection_endpoint").asText().equals(root + SmartEndpoints.INTROSPECT_PATH), "the gateway introspects");
            return "authorization " + discovery.get("authorization_endpoint").asText() + ", capabilities " + discovery.get("capabilities");
        });
        checks.run("discovery CORS", () -> {
            String allowed = OAuthHttp.get(fhirBase + "/.well-known/smart-configuration", Map.of("Origin", ATTACKER))
                    .headers().firstValue("Access-Control-Allow-Origin").orElse("");
            expect(allowed.equals("*") || allowed.equals(ATTACKER), "any origin may discover (got '" + allowed + "')");
            return "Access-Control-Allow-Origin: " + allowed;
        });
        checks.run("capability statement", () -> {
            FhirHttp.Response metadata = fhir.withHeaders(Map.of("Origin", ATTACKER)).get("metadata");
            expect(metadata.status() == 200, "HTTP " + metadata.status());
            CapabilityStatement.CapabilityStatementRestSecurityComponent security = metadata.resource(CapabilityStatement.class)
                    .getRestFirstRep().getSecurity();
            expect(security.getServiceFirstRep().getCodingFirstRep().getCode().equals("SMART-on-FHIR"), "SMART-on-FHIR service");
            Extension uris = security.getExtensionByUrl("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris");
            Map<String, String> named = Map.of("authorize", "authorization_endpoint", "token", "token_endpoint",
                    "introspect", "introspection_endpoint", "revoke", "revocation_endpoint");
            named.forEach((uri, field) -> expect(uris.getExtensionByUrl(uri) != null
                    && uris.getExtensionByUrl(uri).getValue().primitiveValue().equals(discovery.get(field).asText()), uri + " as in discovery"));
            return "oauth-uris authorize, token, introspect, revoke as in discovery";
        });
        checks.run("jwks", () -> {
            JsonNode keys = json(OAuthHttp.get(discovery.get("jwks_uri").asText(), Map.of()));
            expect(keys.path("keys").size() > 0, "published keys");
            return keys.get("keys").size() + " keys";
        });

        checks.run("wrong aud", () -> {
            HttpResponse<String> refused = OAuthHttp.get(authorizationRequest(ATTACKER + "/fhir", "S256"), Map.of());
            expect(refused.statusCode() == 400, "HTTP " + refused.statusCode());
            expect(refused.headers().firstValue("Location").isEmpty(), "no redirect before the sign-in");
            expect(json(refused).get("error").asText().equals("invalid_request"), "invalid_request");
            HttpResponse<String> missing = OAuthHttp.get(authorizationRequest(null, "S256"), Map.of());
            expect(missing.statusCode() == 400, "without aud: HTTP " + missing.statusCode());
            return "400 invalid_request for aud=" + ATTACKER + "/fhir and without aud, no sign-in form";
        });
        checks.run("plain PKCE", () -> {
            HttpResponse<String> answer = followToAuthorizationServer(authorizationRequest(fhirBase, "plain"));
            expect(!answer.body().contains("kc-form-login"), "no sign-in form");
            String location = answer.headers().firstValue("Location").orElse("");
            expect(answer.statusCode() == 400 || location.startsWith(root + "/portal/") && location.contains("error=invalid_request"),
                    "refused (HTTP " + answer.statusCode() + " " + location + ")");
            return "refused: " + (location.isEmpty() ? "HTTP " + answer.statusCode() : location.replaceFirst(".*\\?", ""));
        });

        checks.run("PKCE required", () -> {
            HttpResponse<String> answer = followToAuthorizationServer(authorizationRequest(fhirBase, null));
            expect(!answer.body().contains("kc-form-login"), "no sign-in form");
            String location = answer.headers().firstValue("Location").orElse("");
            expect(answer.statusCode() == 400 || location.startsWith(root + "/portal/") && location.contains("error=invalid_request"),
                    "refused (HTTP " + answer.statusCode() + " " + location + ")");
            return "refused without code_challenge: " + (location.isEmpty() ? "HTTP " + answer.statusCode() : location.replaceFirst(".*\\?", ""));
        });
        checks.run("wrong PKCE verifier", () -> {
            PatientSignIn.Authorization authorization = TestKeycloak.patientAuthorization(port(), "yoshida", LAUNCH_SCOPES);
            HttpResponse<String> refused = exchange(authorization, "a-verifier-the-app-never-made-" + "x".repeat(20), Map.of());
            expect(refused.statusCode() == 400, "HTTP " + refused.statusCode() + " " + refused.body());
            expect(json(refused).get("error").asText().equals("invalid_grant"), refused.body());
            return "400 invalid_grant: " + json(refused).path("error_description").asText();
        });
        checks.run("standalone launch with PKCE", () -> {
            PatientSignIn.Authorization authorization = TestKeycloak.patientAuthorization(port(), "yoshida", LAUNCH_SCOPES);
            // The exchange as a browser app on a registered origin makes it (Inferno's CORS token exchange).
            HttpResponse<String> answer = exchange(authorization, authorization.verifier(), Map.of("Origin", TestKeycloak.PORTAL_ELSEWHERE));
            expect(answer.statusCode() == 200, "HTTP " + answer.statusCode() + " " + answer.body());
            expect("no-store".equals(answer.headers().firstValue("Cache-Control").orElse(null)), "Cache-Control: no-store");
            expect("no-cache".equals(answer.headers().firstValue("Pragma").orElse(null)), "Pragma: no-cache");
            expect(TestKeycloak.PORTAL_ELSEWHERE.equals(answer.headers().firstValue("Access-Control-Allow-Origin").orElse(null)),
                    "CORS for the registered origin");
            tokens = json(answer);
            accessToken = tokens.get("access_token").asText();
            return "S256 at " + discovery.get("authorization_endpoint").asText() + ", the sign-in form, the code exchanged";
        });
        checks.run("token response", () -> {
            expect(tokens.path("token_type").asText().equalsIgnoreCase("bearer"), "token_type Bearer");
            expect(tokens.path("expires_in").asInt() > 0, "expires_in");
            List<String> scope = List.of(tokens.path("scope").asText().split(" "));
            expect(scope.containsAll(List.of("openid", "fhirUser", "launch/patient", "patient/*.rs", "offline_access")), "scope " + scope);
            expect(patient.equals(tokens.path("patient").asText()), "patient " + tokens.path("patient"));
            expect(tokens.hasNonNull("refresh_token"), "refresh_token (offline_access asked)");
            expect(tokens.hasNonNull("id_token"), "id_token (openid asked)");
            return "patient " + patient + ", scope '" + tokens.get("scope").asText() + "', expires_in " + tokens.get("expires_in")
                    + ", id_token, refresh_token";
        });
        checks.run("id token", () -> {
            Jwt idToken = NimbusJwtDecoder.withJwkSetUri(discovery.get("jwks_uri").asText()).build().decode(tokens.get("id_token").asText());
            expect(idToken.getIssuer().toString().equals(discovery.get("issuer").asText()), "iss is the issuer");
            expect(idToken.getAudience().contains(TestKeycloak.REALM.portal().clientId()), "aud is the app");
            expect(("Patient/" + patient).equals(idToken.getClaimAsString("fhirUser")), "fhirUser " + idToken.getClaimAsString("fhirUser"));
            return "signed by the published keys, fhirUser " + idToken.getClaimAsString("fhirUser");
        });
        checks.run("token audience", () -> {
            List<String> audience = strings(claims(accessToken).get("aud"));
            expect(audience.containsAll(List.of(identity.audience(), fhirBase)), "aud " + audience);
            return "aud " + audience;
        });
        checks.run("patient read", () -> {
            FhirHttp app = fhir.withToken(accessToken);
            expect(app.get("Patient/" + patient).status() == 200, "the patient in context");
            expect(app.get("Patient?_count=5").resource(Bundle.class).getTotal() == 1, "a Patient search finds only that patient");
            return "Patient/" + patient + " read with the access token";
        });

        checks.run("refresh", () -> {
            HttpResponse<String> answer = OAuthHttp.post(discovery.get("token_endpoint").asText(), Map.of("grant_type", "refresh_token",
                    "refresh_token", tokens.get("refresh_token").asText(), "client_id", TestKeycloak.REALM.portal().clientId()), Map.of());
            expect(answer.statusCode() == 200, "HTTP " + answer.statusCode() + " " + answer.body());
            expect("no-store".equals(answer.headers().firstValue("Cache-Control").orElse(null)), "Cache-Control: no-store");
            JsonNode renewed = json(answer);
            expect(renewed.hasNonNull("access_token") && renewed.path("expires_in").asInt() > 0, "a new access token");
            expect(renewed.path("scope").asText().contains("patient/*.rs"), "scope");
            expect(patient.equals(renewed.path("patient").asText()), "the launch context again");
            expect(fhir.withToken(renewed.get("access_token").asText()).get("Patient/" + patient).status() == 200, "the new token reads");
            tokens = renewed;
            accessToken = renewed.get("access_token").asText();
            return "a new access token for patient " + patient + " without asking for scopes";
        });

        checks.run("introspection", () -> {
            JsonNode answer = introspect(accessToken, asTokyo);
            expect(answer.path("active").asBoolean(), "active: " + answer);
            expect(answer.path("scope").asText().equals(tokens.get("scope").asText()), "scope as granted");
            expect(answer.path("client_id").asText().equals(TestKeycloak.REALM.portal().clientId()), "client_id");
            expect(answer.path("exp").asLong() == claims(accessToken).get("exp").asLong(), "exp");
            expect(patient.equals(answer.path("patient").asText()), "patient");
            expect(("Patient/" + patient).equals(answer.path("fhirUser").asText()), "fhirUser");
            expect(answer.hasNonNull("iss") && answer.hasNonNull("sub"), "iss and sub (an id_token was issued)");
            JsonNode garbage = introspect("garbage", asTokyo);
            expect(!garbage.path("active").asBoolean(true), "garbage is inactive");
            HttpResponse<String> anonymous = OAuthHttp.post(discovery.get("introspection_endpoint").asText(), Map.of("token", accessToken), Map.of());
            expect(anonymous.statusCode() == 401, "a caller without credentials: HTTP " + anonymous.statusCode());
            return "active, scope, client_id, exp, patient, fhirUser, iss, sub for " + tokyo.clientId() + "; garbage inactive; anonymous 401";
        });
        checks.run("token endpoint CORS", () -> {
            String token = discovery.get("token_endpoint").asText();
            HttpResponse<String> registered = OAuthHttp.preflight(token, TestKeycloak.PORTAL_ELSEWHERE);
            expect(TestKeycloak.PORTAL_ELSEWHERE.equals(registered.headers().firstValue("Access-Control-Allow-Origin").orElse(null)),
                    "the registered origin");
            expect(registered.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"), "POST allowed");
            HttpResponse<String> other = OAuthHttp.preflight(token, ATTACKER);
            expect(other.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), "no allow header for " + ATTACKER);
            List<String> realms;
            try (Keycloak admin = TestKeycloak.server().admin()) {
                realms = admin.realm(TestKeycloak.REALM.realm()).clients().findByClientId(TestKeycloak.REALM.portal().clientId())
                        .get(0).getWebOrigins();
            }
            expect(realms.containsAll(identity.webOrigins()), "the gateway's origins " + identity.webOrigins() + " are the realm's " + realms);
            return "preflight allowed for " + TestKeycloak.PORTAL_ELSEWHERE + " (a web origin of the realm's portal client), not for " + ATTACKER;
        });
        checks.run("revocation", () -> {
            HttpResponse<String> revoked = OAuthHttp.post(discovery.get("revocation_endpoint").asText(), Map.of("token",
                    tokens.get("refresh_token").asText(), "token_type_hint", "refresh_token", "client_id", TestKeycloak.REALM.portal().clientId()), Map.of());
            expect(revoked.statusCode() == 200, "HTTP " + revoked.statusCode() + " " + revoked.body());
            HttpResponse<String> refresh = OAuthHttp.post(discovery.get("token_endpoint").asText(), Map.of("grant_type", "refresh_token",
                    "refresh_token", tokens.get("refresh_token").asText(), "client_id", TestKeycloak.REALM.portal().clientId()), Map.of());
            expect(refresh.statusCode() == 400, "the revoked refresh token refreshes no more: HTTP " + refresh.statusCode());
            expect(!introspect(accessToken, asTokyo).path("active").asBoolean(true), "introspection: inactive");
            boolean stillReads = fhir.withToken(accessToken).get("Patient/" + patient).status() == 200;
            long left = claims(accessToken).get("exp").asLong() - System.currentTimeMillis() / 1000;
            return "refresh refused, introspection inactive; at the FHIR API the access token " + (stillReads
                    ? "stays usable until it expires (" + left + " s left; tokens live " + TestKeycloak.REALM.tokenLifespanSeconds() + " s)"
                    : "is refused at once");
        });

        checks.run("granular scope", () -> {
            JsonNode labOnly = TestKeycloak.patientSignIn(port(), "takahashi", "openid launch/patient patient/Observation.rs?category=laboratory");
            String takahashi = labOnly.get("patient").asText();
            FhirHttp.Response search = fhir.withToken(labOnly.get("access_token").asText()).get("Observation?patient=Patient/" + takahashi);
            expect(search.status() == 200, "a search without category is narrowed to the scope's, not refused: HTTP " + search.status()
                    + " " + (search.status() >= 400 ? search.outcome().getIssueFirstRep().getDiagnostics() : ""));
            Bundle found = search.resource(Bundle.class);
            expect(found.getTotal() > 0, "lab results found");
            found.getEntry().forEach(e -> expect(((Observation) e.getResource()).getCategory().stream()
                    .anyMatch(c -> c.getCoding().stream().anyMatch(code -> code.getCode().equals("laboratory"))), "only laboratory results"));
            return found.getTotal() + " laboratory results, nothing else, for patient/Observation.rs?category=laboratory";
        });

        checks.assertAllPassed();
    }

    /** A SMART authorization request to the discovered endpoint, with a fresh PKCE pair of the given method. */
    private String authorizationRequest(String aud, String challengeMethod) {
        Map<String, String> request = new LinkedHashMap<>();
        request.put("response_type", "code");
        request.put("client_id", TestKeycloak.REALM.portal().clientId());
        request.put("redirect_uri", root + "/portal/");
        request.put("scope", LAUNCH_SCOPES);
        request.put("state", "conformance");
        if (aud != null) {
            request.put("aud", aud);
        }
        if (challengeMethod != null) {
            // RFC 7636, appendix B: the verifier, and its S256 challenge
            String verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
            request.put("code_challenge", challengeMethod.equals("plain") ? verifier : "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
            request.put("code_challenge_method", challengeMethod);
        }
        return discovery.get("authorization_endpoint").asText() + "?" + OAuthHttp.form(request);
    }

    /** Follows the gateway's redirect to the authorization server, and no further (not to the app). */
    private HttpResponse<String> followToAuthorizationServer(String url) {
        HttpResponse<String> answer = OAuthHttp.get(url, Map.of());
        String location = answer.headers().firstValue("Location").orElse("");
        return answer.statusCode() / 100 == 3 && location.startsWith(TestKeycloak.issuer()) ? OAuthHttp.get(location, Map.of()) : answer;
    }

    private HttpResponse<String> exchange(PatientSignIn.Authorization authorization, String verifier, Map<String, String> headers) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", authorization.code());
        form.put("redirect_uri", authorization.app().redirectUri());
        form.put("client_id", authorization.app().clientId());
        form.put("code_verifier", verifier);
        return OAuthHttp.post(discovery.get("token_endpoint").asText(), form, headers);
    }

    private JsonNode introspect(String token, Map<String, String> credentials) {
        HttpResponse<String> answer = OAuthHttp.post(discovery.get("introspection_endpoint").asText(), Map.of("token", token), credentials);
        expect(answer.statusCode() == 200, "introspection HTTP " + answer.statusCode() + " " + answer.body());
        return json(answer);
    }

    private static void expect(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    private static List<String> strings(JsonNode array) {
        return array.isArray() ? StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList() : List.of(array.asText());
    }

    /** The report: one line per check, in order; a check that throws fails with what it was expecting. */
    private static final class Checks {
        private final PrintStream out;
        private final List<String> failed = new ArrayList<>();
        private int passed;

        Checks(PrintStream out) {
            this.out = out;
        }

        void run(String name, Callable<String> check) {
            try {
                out.println("PASS " + name + ": " + check.call());
                passed++;
            } catch (Exception | AssertionError e) {
                String why = e instanceof AssertionError ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
                out.println("FAIL " + name + ": " + why);
                failed.add(name + ": " + why);
            }
        }

        void assertAllPassed() {
            out.println("SMART App Launch conformance: " + passed + " passed, " + failed.size() + " failed");
            assertTrue(failed.isEmpty(), () -> "Failed checks:\n" + String.join("\n", failed));
        }
    }
}
