package jp.clinsgateway.server.identity;

import com.fasterxml.jackson.databind.JsonNode;
import jp.clinsgateway.keycloak.RealmDescription;
import jp.clinsgateway.server.support.GatewayTest;
import jp.clinsgateway.server.support.GatewayWithKeycloak;
import jp.clinsgateway.server.support.OAuthHttp;
import jp.clinsgateway.server.support.TestKeycloak;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static jp.clinsgateway.server.support.Institutions.TOKYO_CENTRAL;
import static jp.clinsgateway.server.support.OAuthHttp.basic;
import static jp.clinsgateway.server.support.OAuthHttp.claims;
import static jp.clinsgateway.server.support.OAuthHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SMART App Launch 2.x at the gateway's own OAuth endpoints, against the real Keycloak: an authorization request
 * must name this gateway's FHIR base as {@code aud}, and the tokens name it; registered clients introspect tokens
 * and see what they grant, and what Keycloak no longer holds is inactive; browser apps on the realm's registered
 * origins, and only those, may read the token endpoint's answers; refresh tokens refresh until revoked.
 */
@GatewayWithKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmartAppLaunchTest extends GatewayTest {

    private static final String PORTAL_SCOPES = "openid fhirUser launch/patient patient/*.rs";
    private static final String ATTACKER = "https://attacker.example.org";

    private Map<String, String> patients;
    private String root;

    @BeforeAll
    void provisionTheRealmAndLinkThePatients() {
        patients = TestKeycloak.provisionFor(port());
        root = "http://localhost:" + port();
    }

    private Map<String, String> authorizationRequest(String aud) {
        Map<String, String> request = new LinkedHashMap<>();
        request.put("response_type", "code");
        request.put("client_id", TestKeycloak.REALM.portal().clientId());
        request.put("redirect_uri", root + "/portal/");
        request.put("scope", PORTAL_SCOPES);
        request.put("state", "s-1");
        if (aud != null) {
            request.put("aud", aud);
        }
        request.put("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        request.put("code_challenge_method", "S256");
        return request;
    }

    private HttpResponse<String> authorize(String aud) {
        return OAuthHttp.get(root + SmartEndpoints.AUTHORIZE_PATH + "?" + OAuthHttp.form(authorizationRequest(aud)), Map.of());
    }

    @Test
    void anAuthorizationRequestForAnotherServerIsRefusedBeforeAnyoneSignsIn() {
        for (String wrong : new String[]{ATTACKER + "/fhir", root, root + "/fhir/Patient", root + "/fhir?x=1"}) {
            HttpResponse<String> refused = authorize(wrong);
            assertEquals(400, refused.statusCode(), wrong + ": " + refused.body());
            assertTrue(refused.headers().firstValue("Location").isEmpty(), "no redirect to an unverified redirect_uri");
            assertEquals("invalid_request", json(refused).get("error").asText());
            assertTrue(json(refused).get("error_description").asText().contains(TestKeycloak.fhirBase(port())), refused::body);
        }
        HttpResponse<String> missing = authorize(null);
        assertEquals(400, missing.statusCode());
        assertTrue(json(missing).get("error_description").asText().startsWith("aud is required"), missing::body);

        Map<String, String> twice = authorizationRequest(TestKeycloak.fhirBase(port()));
        HttpResponse<String> repeated = OAuthHttp.get(root + SmartEndpoints.AUTHORIZE_PATH + "?" + OAuthHttp.form(twice)
                + "&aud=" + OAuthHttp.encode(ATTACKER + "/fhir"), Map.of());
        assertEquals(400, repeated.statusCode(), "one aud only: " + repeated.body());
    }

    @Test
    void anAuthorizationRequestNamingThisGatewayGoesOnToTheAuthorizationServerUnchanged() {
        String keycloak = TestKeycloak.issuer() + "/protocol/openid-connect/auth?";
        for (String same : new String[]{TestKeycloak.fhirBase(port()), TestKeycloak.fhirBase(port()) + "/",
                "HTTP://LOCALHOST:" + port() + "/fhir"}) {
            HttpResponse<String> sent = authorize(same);
            assertEquals(302, sent.statusCode(), same + ": " + sent.body());
            String location = sent.headers().firstValue("Location").orElseThrow();
            assertTrue(location.startsWith(keycloak), location);
            assertTrue(location.contains("code_challenge_method=S256") && location.contains("state=s-1")
                    && location.contains("redirect_uri=" + OAuthHttp.encode(root + "/portal/")), location);
        }
        HttpResponse<String> posted = OAuthHttp.post(root + SmartEndpoints.AUTHORIZE_PATH,
                authorizationRequest(TestKeycloak.fhirBase(port())), Map.of());
        assertEquals(303, posted.statusCode(), "authorize-post: the browser follows with a GET");
        assertTrue(posted.headers().firstValue("Location").orElseThrow().startsWith(keycloak));

        HttpResponse<String> loginForm = OAuthHttp.get(authorize(TestKeycloak.fhirBase(port())).headers().firstValue("Location").orElseThrow(), Map.of());
        assertEquals(200, loginForm.statusCode(), "Keycloak shows its sign-in form");
        assertTrue(loginForm.body().contains("kc-form-login"));
    }

    @Test
    void everyTokenNamesTheGatewayAndItsFhirBaseAsAudience() {
        JsonNode patient = TestKeycloak.patientSignIn(port(), "yoshida", PORTAL_SCOPES);
        String institution = TestKeycloak.institution(TOKYO_CENTRAL, "system/*.rs");
        for (String token : List.of(patient.get("access_token").asText(), institution)) {
            List<String> audience = strings(claims(token).get("aud"));
            assertTrue(audience.containsAll(List.of(TestKeycloak.REALM.audience(), TestKeycloak.fhirBase(port()))), audience::toString);
            assertFalse(audience.contains(TestKeycloak.PORTAL_ELSEWHERE + "/fhir"), "the portal's origin serves no FHIR");
        }
        assertEquals(200, fhir.withToken(patient.get("access_token").asText()).get("Patient/" + patients.get("yoshida")).status());
    }

    @Test
    void aRegisteredClientIntrospectsAPatientsTokenAndSeesWhatItGrants() {
        JsonNode tokens = TestKeycloak.patientSignIn(port(), "takahashi", PORTAL_SCOPES);
        String access = tokens.get("access_token").asText();
        RealmDescription.Institution tokyo = institution(TOKYO_CENTRAL);

        JsonNode answer = introspect(access, Map.of("Authorization", basic(tokyo.clientId(), tokyo.secret())), Map.of());
        assertTrue(answer.get("active").asBoolean(), answer::toString);
        assertEquals(tokens.get("scope").asText(), answer.get("scope").asText());
        assertEquals(TestKeycloak.REALM.portal().clientId(), answer.get("client_id").asText());
        assertEquals(claims(access).get("exp").asLong(), answer.get("exp").asLong());
        assertEquals(patients.get("takahashi"), answer.get("patient").asText(), "as in the token response");
        assertEquals("Patient/" + patients.get("takahashi"), answer.get("fhirUser").asText());
        JsonNode idToken = claims(tokens.get("id_token").asText());
        assertEquals(idToken.get("iss").asText(), answer.get("iss").asText());
        assertEquals(idToken.get("sub").asText(), answer.get("sub").asText());
        assertTrue(strings(answer.get("aud")).contains(TestKeycloak.fhirBase(port())), answer::toString);

        JsonNode posted = introspect(access, Map.of(), Map.of("client_id", tokyo.clientId(), "client_secret", tokyo.secret()));
        assertTrue(posted.get("active").asBoolean(), "client_secret_post as well: " + posted);

        String institutionToken = TestKeycloak.institution(TOKYO_CENTRAL, "system/*.rs");
        RealmDescription.Insurer sakura = TestKeycloak.REALM.insurers().get(0);
        JsonNode other = introspect(institutionToken, Map.of("Authorization", basic(sakura.clientId(), sakura.secret())), Map.of());
        assertTrue(other.get("active").asBoolean(), other::toString);
        assertEquals(tokyo.clientId(), other.get("client_id").asText());
        assertFalse(other.has("patient"), "no launch context in a system token");
    }

    @Test
    void introspectionAnswersInactiveForWhatTheGatewayWouldRefuseAndAsksCallersWhoTheyAre() {
        RealmDescription.Institution tokyo = institution(TOKYO_CENTRAL);
        Map<String, String> asTokyo = Map.of("Authorization", basic(tokyo.clientId(), tokyo.secret()));
        JsonNode garbage = introspect("not-a-token", asTokyo, Map.of());
        assertEquals("{\"active\":false}", garbage.toString());
        String token = TestKeycloak.institution(TOKYO_CENTRAL, "system/*.rs");
        String[] parts = token.split("\\.");
        JsonNode forged = introspect(parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 4) + "AAAA", asTokyo, Map.of());
        assertFalse(forged.get("active").asBoolean(), "a forged signature");

        HttpResponse<String> anonymous = OAuthHttp.post(root + SmartEndpoints.INTROSPECT_PATH, Map.of("token", token), Map.of());
        assertEquals(401, anonymous.statusCode(), anonymous::body);
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
        HttpResponse<String> wrongSecret = OAuthHttp.post(root + SmartEndpoints.INTROSPECT_PATH, Map.of("token", token),
                Map.of("Authorization", basic(tokyo.clientId(), "not-the-secret")));
        assertEquals(401, wrongSecret.statusCode(), wrongSecret::body);
        assertEquals("invalid_client", json(wrongSecret).get("error").asText());
        HttpResponse<String> portal = OAuthHttp.post(root + SmartEndpoints.INTROSPECT_PATH,
                Map.of("token", token, "client_id", TestKeycloak.REALM.portal().clientId()), Map.of());
        assertEquals(401, portal.statusCode(), "a public client has nothing to authenticate with: " + portal.body());
    }

    @Test
    void keycloakAnswersTheGatewaysOwnClientAboutEveryToken() {
        String token = TestKeycloak.institution(TOKYO_CENTRAL, "system/*.rs");
        HttpResponse<String> answer = OAuthHttp.post(TestKeycloak.issuer() + "/protocol/openid-connect/token/introspect",
                Map.of("token", token), Map.of("Authorization", basic(TestKeycloak.REALM.audience(), TestKeycloak.REALM.gatewaySecret())));
        assertEquals(200, answer.statusCode(), answer::body);
        assertTrue(json(answer).get("active").asBoolean(), "the gateway's client is in the token's aud: " + answer.body());
    }

    @Test
    void theTokenEndpointLetsOnlyTheRealmsRegisteredBrowserOriginsReadItsAnswers() {
        String token = root + SmartEndpoints.TOKEN_PATH;
        HttpResponse<String> preflight = OAuthHttp.preflight(token, TestKeycloak.PORTAL_ELSEWHERE);
        assertEquals(204, preflight.statusCode());
        assertEquals(TestKeycloak.PORTAL_ELSEWHERE, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase().contains("content-type"));
        HttpResponse<String> strangersPreflight = OAuthHttp.preflight(token, ATTACKER);
        assertTrue(strangersPreflight.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), "an unregistered origin");

        JsonNode tokens = TestKeycloak.patientSignIn(port(), "saito", PORTAL_SCOPES);
        Map<String, String> refresh = Map.of("grant_type", "refresh_token", "refresh_token", tokens.get("refresh_token").asText(),
                "client_id", TestKeycloak.REALM.portal().clientId());
        HttpResponse<String> registered = OAuthHttp.post(token, refresh, Map.of("Origin", TestKeycloak.PORTAL_ELSEWHERE));
        assertEquals(200, registered.statusCode(), registered::body);
        assertEquals(TestKeycloak.PORTAL_ELSEWHERE, registered.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(registered.headers().allValues("Vary").stream().anyMatch(v -> v.contains("Origin")), "caches keep answers per origin");
        HttpResponse<String> stranger = OAuthHttp.post(token, Map.of("grant_type", "refresh_token", "refresh_token", "x",
                "client_id", TestKeycloak.REALM.portal().clientId()), Map.of("Origin", ATTACKER));
        assertTrue(stranger.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), stranger.headers()::toString);

        HttpResponse<String> discovery = OAuthHttp.get(root + "/fhir/.well-known/smart-configuration", Map.of("Origin", ATTACKER));
        assertEquals("*", discovery.headers().firstValue("Access-Control-Allow-Origin").orElse(null), "discovery is public, for any origin");
    }

    @Test
    void aRefreshTokenRefreshesUntilRevokedAndItsAccessTokenThenLastsOnlyUntilItExpires() {
        JsonNode tokens = TestKeycloak.patientSignIn(port(), "yoshida", PORTAL_SCOPES + " offline_access");
        assertTrue(tokens.hasNonNull("refresh_token"), "offline_access asked: " + tokens);
        assertEquals("Offline", claims(tokens.get("refresh_token").asText()).get("typ").asText());
        JsonNode discovery = json(OAuthHttp.get(root + "/fhir/.well-known/smart-configuration", Map.of()));
        String clientId = TestKeycloak.REALM.portal().clientId();

        HttpResponse<String> refreshed = OAuthHttp.post(discovery.get("token_endpoint").asText(), Map.of("grant_type", "refresh_token",
                "refresh_token", tokens.get("refresh_token").asText(), "client_id", clientId), Map.of());
        assertEquals(200, refreshed.statusCode(), refreshed::body);
        JsonNode renewed = json(refreshed);
        assertEquals(patients.get("yoshida"), renewed.get("patient").asText(), "the launch context again");
        assertTrue(renewed.get("scope").asText().contains("patient/*.rs"));
        String access = renewed.get("access_token").asText();
        assertEquals(200, fhir.withToken(access).get("Patient/" + patients.get("yoshida")).status());

        HttpResponse<String> revoked = OAuthHttp.post(discovery.get("revocation_endpoint").asText(), Map.of("token",
                renewed.get("refresh_token").asText(), "token_type_hint", "refresh_token", "client_id", clientId), Map.of());
        assertEquals(200, revoked.statusCode(), revoked::body);
        HttpResponse<String> again = OAuthHttp.post(discovery.get("token_endpoint").asText(), Map.of("grant_type", "refresh_token",
                "refresh_token", renewed.get("refresh_token").asText(), "client_id", clientId), Map.of());
        assertEquals(400, again.statusCode(), again::body);
        assertEquals("invalid_grant", json(again).get("error").asText());

        RealmDescription.Institution tokyo = institution(TOKYO_CENTRAL);
        JsonNode introspected = introspect(access, Map.of("Authorization", basic(tokyo.clientId(), tokyo.secret())), Map.of());
        assertFalse(introspected.get("active").asBoolean(), "introspection asks Keycloak: " + introspected);
        assertEquals(200, fhir.withToken(access).get("Patient/" + patients.get("yoshida")).status(),
                "the gateway checks the signature only: the access token lasts until it expires (tokenLifespanSeconds, 300 s)");
        assertTrue(claims(access).get("exp").asLong() - claims(access).get("iat").asLong() <= TestKeycloak.REALM.tokenLifespanSeconds());
    }

    private JsonNode introspect(String token, Map<String, String> headers, Map<String, String> credentials) {
        Map<String, String> form = new LinkedHashMap<>(credentials);
        form.put("token", token);
        HttpResponse<String> answer = OAuthHttp.post(root + SmartEndpoints.INTROSPECT_PATH, form, headers);
        assertEquals(200, answer.statusCode(), answer::body);
        assertEquals("no-store", answer.headers().firstValue("Cache-Control").orElse(null));
        return json(answer);
    }

    private static RealmDescription.Institution institution(String code) {
        return TestKeycloak.REALM.institutions().stream().filter(i -> i.code().equals(code)).findFirst().orElseThrow();
    }

    private static List<String> strings(JsonNode array) {
        return array.isArray() ? StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList() : List.of(array.asText());
    }
}
