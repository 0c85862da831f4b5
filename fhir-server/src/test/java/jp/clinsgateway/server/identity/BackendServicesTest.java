package jp.clinsgateway.server.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import jp.clinsgateway.keycloak.ClientAssertion;
import jp.clinsgateway.keycloak.DemoKeys;
import jp.clinsgateway.keycloak.RealmDescription;
import jp.clinsgateway.keycloak.SigningKey;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.GatewayTest;
import jp.clinsgateway.server.support.GatewayWithKeycloak;
import jp.clinsgateway.server.support.TestKeycloak;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static jp.clinsgateway.server.support.Institutions.OSAKA_CLINIC;
import static jp.clinsgateway.server.support.Institutions.TOKYO_CENTRAL;
import static jp.clinsgateway.server.support.Institutions.YOKOHAMA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SMART Backend Services against the real Keycloak, through the gateway's token endpoint: EMR systems
 * that registered a JWK Set URL or a public key get tokens with assertions signed by keys made in this
 * test (RS384 and ES384), and read with them; replayed, long-lived, unsigned, symmetric, wrongly signed
 * and misaddressed assertions are refused as {@code invalid_client}; a wrong secret is {@code invalid_client} too.
 */
@GatewayWithKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackendServicesTest extends GatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String BY_URL = "emr-test-jwks-url";
    private static final String BY_KEY = "emr-test-public-key";
    private static final String SWITCHING = "emr-test-switching";

    private final SigningKey rs384 = SigningKey.generate("RS384", Optional.empty());
    private final SigningKey es384 = SigningKey.generate("ES384", Optional.empty());
    private HttpServer jwksHost;
    private String yoshida;

    @BeforeAll
    void registerClientsWithTheirOwnKeys() throws Exception {
        yoshida = "Patient/" + TestKeycloak.provisionFor(port()).get("yoshida");
        jwksHost = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] jwks = new JWKSet(rs384.publicJwk()).toString().getBytes(StandardCharsets.UTF_8);
        jwksHost.createContext("/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("Cache-Control", "max-age=300");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        jwksHost.start();
        TestKeycloak.provisionWith(port(), List.of(
                keyed(BY_URL, YOKOHAMA, "http://127.0.0.1:" + jwksHost.getAddress().getPort() + "/jwks.json", null, "RS384"),
                keyed(BY_KEY, OSAKA_CLINIC, null, TextNode.valueOf(pem(es384)), "ES384")));
    }

    @AfterAll
    void stopTheJwksHost() {
        jwksHost.stop(0);
    }

    private static RealmDescription.Institution keyed(String clientId, String code, String jwksUrl, JsonNode publicKey, String algorithm) {
        return new RealmDescription.Institution(code, "テスト用 " + clientId, clientId, "private_key_jwt", null, jwksUrl, publicKey, algorithm, List.of());
    }

    private static RealmDescription.Institution withSecret(String clientId, String code, String secret) {
        return new RealmDescription.Institution(code, "テスト用 " + clientId, clientId, "client_secret", secret, null, null, null, List.of());
    }

    /** A registered public key as an EMR vendor would send it: PEM. */
    private static String pem(SigningKey key) throws Exception {
        byte[] der = ((com.nimbusds.jose.jwk.AsymmetricJWK) key.publicJwk()).toPublicKey().getEncoded();
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
    }

    private HttpResponse<String> tokenRequest(Map<String, String> form, String authorization) throws Exception {
        StringBuilder body = new StringBuilder();
        form.forEach((name, value) -> body.append(body.isEmpty() ? "" : "&").append(encode(name)).append('=').append(encode(value)));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port() + SmartEndpoints.TOKEN_PATH))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> withAssertion(String assertion) throws Exception {
        return tokenRequest(Map.of("grant_type", "client_credentials", "scope", "system/*.rs",
                "client_assertion_type", ClientAssertion.TYPE, "client_assertion", assertion), null);
    }

    private HttpResponse<String> withSecret(String clientId, String secret) throws Exception {
        return tokenRequest(Map.of("grant_type", "client_credentials", "scope", "system/*.rs"),
                "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8)));
    }

    private static String assertion(String clientId, SigningKey key) {
        return ClientAssertion.signed(clientId, TestKeycloak.tokenUrl(), key, Duration.ofMinutes(1));
    }

    private static String accessToken(HttpResponse<String> answer) throws Exception {
        assertEquals(200, answer.statusCode(), answer::body);
        JsonNode tokens = JSON.readTree(answer.body());
        assertEquals("Bearer", tokens.get("token_type").asText());
        assertTrue(tokens.get("expires_in").asInt() > 0);
        return tokens.get("access_token").asText();
    }

    private static void assertInvalidClient(HttpResponse<String> answer, int status, String why) throws Exception {
        assertInvalidClient(answer, status, why, why);
    }

    private static void assertInvalidClient(HttpResponse<String> answer, int status, String why, String what) throws Exception {
        assertEquals(status, answer.statusCode(), () -> what + ": " + answer.body());
        JsonNode error = JSON.readTree(answer.body());
        assertEquals("invalid_client", error.get("error").asText(), answer::body);
        assertTrue(error.get("error_description").asText().contains(why), answer::body);
        assertEquals("no-store", answer.headers().firstValue("Cache-Control").orElse(""));
    }

    private static JsonNode claims(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    @Test
    void anEmrThatRegisteredAJwksUrlGetsATokenWithAnRs384AssertionAndReadsWithIt() throws Exception {
        String token = accessToken(withAssertion(assertion(BY_URL, rs384)));
        assertEquals(YOKOHAMA, claims(token).get("institution_code").asText());
        assertEquals(BY_URL, claims(token).get("azp").asText());
        FhirHttp.Response read = fhir.withToken(token).get("Condition?patient=" + yoshida);
        assertEquals(200, read.status(), read::toString);
    }

    @Test
    void anEmrThatRegisteredAPublicKeyGetsATokenWithAnEs384Assertion() throws Exception {
        String token = accessToken(withAssertion(assertion(BY_KEY, es384)));
        assertEquals(OSAKA_CLINIC, claims(token).get("institution_code").asText());
        assertEquals(200, fhir.withToken(token).get("Condition?patient=" + yoshida).status());
    }

    @Test
    void theDemoBackendServicesClientSignsInWithTheDemoKeyAsTheRunCommandShows() throws Exception {
        String token = accessToken(withAssertion(assertion(DemoKeys.BACKEND_CLIENT, DemoKeys.backendKey())));
        assertEquals(TOKYO_CENTRAL, claims(token).get("institution_code").asText());
    }

    @Test
    void aReplayedAssertionIsRefusedByKeycloak() throws Exception {
        String once = assertion(BY_KEY, es384);
        accessToken(withAssertion(once));
        assertInvalidClient(withAssertion(once), 400, "Token reuse detected");
    }

    @Test
    void anAssertionLivingLongerThanFiveMinutesIsRefused() throws Exception {
        Instant now = Instant.now();
        String longLived = sign(JWSAlgorithm.RS384, rs384, assertionClaims(BY_URL).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(30)))).build());
        assertInvalidClient(withAssertion(longLived), 400, "exp: at most 5 minutes ahead");
    }

    @Test
    void anAssertionSignedWithAnotherKeyIsRefused() throws Exception {
        SigningKey impostor = SigningKey.generate("RS384", Optional.of(rs384.kid()));
        assertInvalidClient(withAssertion(assertion(BY_URL, impostor)), 400, "Signature");
        assertInvalidClient(withAssertion(assertion(BY_URL, es384)), 400, "", "another client's key");
    }

    @Test
    void unsignedAndSymmetricAssertionsAreRefused() throws Exception {
        assertInvalidClient(withAssertion(new PlainJWT(assertionClaims(BY_URL).build()).serialize()), 400, "alg none");
        SignedJWT hs256 = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).keyID(rs384.kid()).build(),
                assertionClaims(BY_URL).build());
        hs256.sign(new MACSigner(new byte[32]));
        assertInvalidClient(withAssertion(hs256.serialize()), 400, "RS384 or ES384, not HS256");
        assertInvalidClient(withAssertion(sign(JWSAlgorithm.RS256, rs384, assertionClaims(BY_URL).build())), 400, "not RS256");
    }

    @Test
    void anAssertionWithoutJtiIsRefused() throws Exception {
        assertInvalidClient(withAssertion(sign(JWSAlgorithm.RS384, rs384, assertionClaims(BY_URL).jwtID(null).build())), 400, "jti: required");
    }

    @Test
    void anAssertionAddressedToTheGatewayRatherThanKeycloakIsRefusedNamingTheAudienceToUse() throws Exception {
        String gatewayUrl = "http://localhost:" + port() + SmartEndpoints.TOKEN_PATH;
        assertInvalidClient(withAssertion(sign(JWSAlgorithm.RS384, rs384, assertionClaims(BY_URL).audience(gatewayUrl).build())), 400,
                "token URL " + TestKeycloak.tokenUrl());
    }

    @Test
    void aWrongSecretIsAnInvalidClientAndARightOneStillWorksWhileSecretsAreEnabled() throws Exception {
        RealmDescription.Institution tokyo = TestKeycloak.REALM.institutions().get(0);
        HttpResponse<String> wrong = withSecret(tokyo.clientId(), "not-" + tokyo.secret());
        assertInvalidClient(wrong, 401, "Invalid client");
        assertTrue(wrong.headers().firstValue("WWW-Authenticate").isPresent(), "RFC 6749: 401 with a challenge");
        accessToken(withSecret(tokyo.clientId(), tokyo.secret()));
    }

    @Test
    void aClientNotAllowedTheGrantIsAnUnauthorizedClient() throws Exception {
        HttpResponse<String> portal = tokenRequest(Map.of("grant_type", "client_credentials", "client_id", TestKeycloak.REALM.portal().clientId()), null);
        assertEquals(400, portal.statusCode(), portal::body);
        assertEquals("unauthorized_client", JSON.readTree(portal.body()).get("error").asText(), portal::body);
    }

    @Test
    void aClientMovedFromASecretToAKeyNoLongerTakesItsSecretAndBack() throws Exception {
        TestKeycloak.provisionWith(port(), List.of(withSecret(SWITCHING, YOKOHAMA, "first-secret")));
        accessToken(withSecret(SWITCHING, "first-secret"));

        TestKeycloak.provisionWith(port(), List.of(keyed(SWITCHING, YOKOHAMA, null, TextNode.valueOf(es384.publicJwk().toJSONString()), "ES384")));
        assertInvalidClient(withSecret(SWITCHING, "first-secret"), 401, "");
        accessToken(withAssertion(assertion(SWITCHING, es384)));

        TestKeycloak.provisionWith(port(), List.of(withSecret(SWITCHING, YOKOHAMA, "second-secret")));
        assertInvalidClient(withAssertion(assertion(SWITCHING, es384)), 400, "");
        accessToken(withSecret(SWITCHING, "second-secret"));
    }

    @Test
    void discoveryAdvertisesSignedJwtsWithTheirAlgorithmsAndSecretsWhileEnabled() throws Exception {
        JsonNode smart = JSON.readTree(fhir.get(".well-known/smart-configuration", "application/json").body());
        assertEquals(List.of("private_key_jwt", "client_secret_basic", "client_secret_post", "none"), strings(smart.get("token_endpoint_auth_methods_supported")));
        assertEquals(List.of("RS384", "ES384"), strings(smart.get("token_endpoint_auth_signing_alg_values_supported")));
        assertTrue(strings(smart.get("capabilities")).containsAll(List.of("client-confidential-asymmetric", "client-confidential-symmetric")));
        assertTrue(strings(smart.get("grant_types_supported")).contains("client_credentials"));
    }

    private static JWTClaimsSet.Builder assertionClaims(String clientId) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(TestKeycloak.tokenUrl())
                .jwtID(UUID.randomUUID().toString()).expirationTime(Date.from(now.plusSeconds(60)));
    }

    private static String sign(JWSAlgorithm algorithm, SigningKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).keyID(key.kid()).build(), claims);
        jwt.sign(new RSASSASigner((RSAPrivateKey) ((RSAKey) key.key()).toPrivateKey()));
        return jwt.serialize();
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
