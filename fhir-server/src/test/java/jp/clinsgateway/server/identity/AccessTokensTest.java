package jp.clinsgateway.server.identity;

import jp.clinsgateway.consent.SmartScopes;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import jp.clinsgateway.consent.Purpose;
import jp.clinsgateway.consent.Requester;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Token checks that a real Keycloak will not produce on demand (a future not-before, no expiry, an
 * unknown purpose, keys that cannot be fetched), against an issuer of the test's own that publishes
 * its key the way Keycloak does. The end-to-end checks against Keycloak are in {@link TokenAccessTest}.
 */
class AccessTokensTest {

    private static HttpServer issuerServer;
    private static RSAKey key;
    private static String issuer;
    private static AccessTokens tokens;

    @BeforeAll
    static void publishKeys() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("test-key").generate();
        issuerServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        issuerServer.createContext("/realms/test/protocol/openid-connect/certs", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        issuerServer.start();
        issuer = "http://127.0.0.1:" + issuerServer.getAddress().getPort() + "/realms/test";
        tokens = new AccessTokens(properties(issuer));
    }

    @AfterAll
    static void stop() {
        issuerServer.stop(0);
    }

    private static IdentityProperties properties(String issuer) {
        return properties(issuer, Duration.ofSeconds(5));
    }

    private static IdentityProperties properties(String issuer, Duration clockSkew) {
        return new IdentityProperties(issuer, null, "clins-gateway", clockSkew, "gateway-operator", false, null, null, List.of(), true);
    }

    private static String token(Consumer<JWTClaimsSet.Builder> change) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer).audience("clins-gateway").subject("s")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("institution_code", "1311234567").claim("scope", "system/*.rs");
        change.accept(claims);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
                claims.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static BaseServerResponseException refusal(String token) {
        return assertThrows(BaseServerResponseException.class, () -> tokens.callerOf(token));
    }

    @Test
    void aGoodTokenNamesTheInstitutionItsPurposeAndScopes() throws Exception {
        Caller caller = tokens.callerOf(token(c -> { }));
        assertEquals(new Requester.Institution("1311234567"), caller.requester().orElseThrow());
        assertEquals(Purpose.TREATMENT, caller.purpose(), "treatment unless declared");
        assertEquals(List.of(Map.of()), caller.scopes().allowing("Condition", SmartScopes.Letter.SEARCH));

        Caller emergency = tokens.callerOf(token(c -> c.claim("purpose_of_use", "ETREAT")));
        assertEquals(Purpose.EMERGENCY, emergency.purpose());
    }

    @Test
    void eachKindOfCallerIsReadFromItsClaim() throws Exception {
        assertEquals(new Requester.PatientSelf("Patient/12"),
                tokens.callerOf(token(c -> c.claim("institution_code", null).claim("patient", "12"))).requester().orElseThrow());
        assertEquals(Purpose.PATIENT_REQUEST, tokens.callerOf(token(c -> c.claim("institution_code", null).claim("patient", "12"))).purpose());
        assertEquals(new Requester.Insurer("06139991"),
                tokens.callerOf(token(c -> c.claim("institution_code", null).claim("insurer_number", "06139991"))).requester().orElseThrow());
        assertEquals(new Requester.Operator(), tokens.callerOf(token(c -> c.claim("institution_code", null)
                .claim("realm_access", Map.of("roles", List.of("gateway-operator"))))).requester().orElseThrow());
        assertEquals(403, refusal(token(c -> c.claim("institution_code", null))).getStatusCode(), "a valid token naming nobody");
    }

    @Test
    void aTokenNotYetValidOrWithoutExpiryOrWithAnUnknownPurposeIsRefused() throws Exception {
        BaseServerResponseException early = refusal(token(c -> c.notBeforeTime(Date.from(Instant.now().plusSeconds(120)))));
        assertEquals(401, early.getStatusCode());
        assertTrue(early.getMessage().contains("not valid"), early::getMessage);
        assertEquals(401, refusal(token(c -> c.expirationTime(null))).getStatusCode());
        assertEquals(401, refusal(token(c -> c.claim("purpose_of_use", "MARKETING"))).getStatusCode());
        BaseServerResponseException challenge = refusal(token(c -> c.audience("someone-else")));
        assertTrue(challenge.getResponseHeaders().get("WWW-Authenticate").get(0).startsWith("Bearer realm=\"clins-gateway\", error=\"invalid_token\""));
    }

    @Test
    void aTokenRememberedAfterItsCheckIsRefusedOnceItExpires() throws Exception {
        AccessTokens strict = new AccessTokens(properties(issuer, Duration.ZERO));
        String shortLived = token(c -> c.expirationTime(Date.from(Instant.now().plusSeconds(2))));
        assertEquals(strict.callerOf(shortLived), strict.callerOf(shortLived), "checked once, then remembered");
        Thread.sleep(3_100);
        assertEquals(401, assertThrows(BaseServerResponseException.class, () -> strict.callerOf(shortLived)).getStatusCode());
    }

    @Test
    void keysThatCannotBeFetchedMakeTheGatewayUnavailableNotTheTokenInvalid() throws Exception {
        AccessTokens unreachable = new AccessTokens(properties("http://127.0.0.1:1/realms/test")); // nothing listens on port 1
        BaseServerResponseException refusal = assertThrows(BaseServerResponseException.class, () -> unreachable.callerOf(token(c -> { })));
        assertEquals(503, refusal.getStatusCode(), refusal::getMessage);
    }
}
