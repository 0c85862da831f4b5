package jp.clinsgateway.server.identity;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the token endpoint refuses in a client assertion before Keycloak sees it; the signature itself is Keycloak's to check. */
class ClientAssertionCheckTest {

    private static final String ISSUER = "https://auth.example.jp/realms/clins";
    private static final String TOKEN_URL = ISSUER + "/protocol/openid-connect/token";
    private static final SmartEndpoints ENDPOINTS = SmartEndpoints.of(ISSUER, "https://gateway.example.jp");
    private static final ClientAssertionCheck CHECK = new ClientAssertionCheck(ENDPOINTS, Duration.ofSeconds(30));

    private static RSAKey rsa;
    private static ECKey ec;

    @BeforeAll
    static void keys() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_384).keyID("ec-1").generate();
    }

    private static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer("emr-1311234567").subject("emr-1311234567").audience(TOKEN_URL)
                .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
    }

    private static String signed(JWSAlgorithm algorithm, JWSSigner signer, UnaryOperator<JWSHeader.Builder> header,
                                 UnaryOperator<JWTClaimsSet.Builder> claims) throws Exception {
        SignedJWT jwt = new SignedJWT(header.apply(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).keyID("rsa-1")).build(),
                claims.apply(claims()).build());
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static String rs384(UnaryOperator<JWTClaimsSet.Builder> claims) throws Exception {
        return signed(JWSAlgorithm.RS384, new RSASSASigner(rsa), h -> h, claims);
    }

    private static void assertRefused(String assertion, String why) {
        Optional<String> problem = CHECK.problem(assertion, Instant.now());
        assertTrue(problem.isPresent(), () -> "refused for " + why);
        assertTrue(problem.get().contains(why), problem::get);
    }

    @Test
    void aWellFormedRs384OrEs384AssertionGoesOnToKeycloak() throws Exception {
        assertEquals(Optional.empty(), CHECK.problem(rs384(c -> c), Instant.now()));
        assertEquals(Optional.empty(), CHECK.problem(signed(JWSAlgorithm.ES384, new ECDSASigner(ec), h -> h.keyID("ec-1"), c -> c), Instant.now()));
        assertEquals(Optional.empty(), CHECK.problem(rs384(c -> c.audience(ISSUER)), Instant.now()), "the issuer names Keycloak too");
        assertEquals(Optional.empty(), CHECK.problem(rs384(c -> c.issueTime(null)), Instant.now()), "iat is optional");
    }

    @Test
    void anUnsignedAssertionIsRefused() {
        assertRefused(new PlainJWT(claims().build()).serialize(), "alg none");
        assertRefused("not-a-jwt", "not a JWT");
    }

    @Test
    void onlyRs384AndEs384SignaturesAreAccepted() throws Exception {
        assertRefused(signed(JWSAlgorithm.HS256, new MACSigner(new byte[32]), h -> h, c -> c), "RS384 or ES384, not HS256");
        assertRefused(signed(JWSAlgorithm.RS256, new RSASSASigner(rsa), h -> h, c -> c), "RS384 or ES384, not RS256");
        assertRefused(signed(JWSAlgorithm.PS384, new RSASSASigner(rsa), h -> h, c -> c), "RS384 or ES384, not PS384");
    }

    @Test
    void anAssertionLivesAtMostFiveMinutesWhateverItsIssueTime() throws Exception {
        Instant now = Instant.now();
        assertRefused(rs384(c -> c.expirationTime(Date.from(now.plusSeconds(301 + 30)))), "at most 5 minutes ahead");
        assertRefused(rs384(c -> c.issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofHours(1))))), "at most 5 minutes ahead");
        assertEquals(Optional.empty(), CHECK.problem(rs384(c -> c.expirationTime(Date.from(now.plusSeconds(320)))), now),
                "a client clock running up to the clock skew ahead");
        assertRefused(rs384(c -> c.expirationTime(null)), "exp: required");
        assertRefused(rs384(c -> c.expirationTime(Date.from(now.minusSeconds(5)))), "expired");
    }

    @Test
    void jtiKidAndAClientThatIsBothIssuerAndSubjectAreRequired() throws Exception {
        assertRefused(rs384(c -> c.jwtID(null)), "jti: required");
        assertRefused(signed(JWSAlgorithm.RS384, new RSASSASigner(rsa), h -> h.keyID(null), c -> c), "kid: required");
        assertRefused(rs384(c -> c.subject("emr-2711234568")), "iss, sub: both the client_id");
        assertRefused(signed(JWSAlgorithm.RS384, new RSASSASigner(rsa), h -> h.type(new JOSEObjectType("at+jwt")), c -> c), "typ: JWT");
    }

    @Test
    void anAssertionForAnotherAudienceIsRefusedNamingTheTokenUrlToUse() throws Exception {
        assertRefused(rs384(c -> c.audience("https://gateway.example.jp/smart/token")), "token URL " + TOKEN_URL);
        assertRefused(rs384(c -> c.audience((String) null)), "aud");
    }
}
