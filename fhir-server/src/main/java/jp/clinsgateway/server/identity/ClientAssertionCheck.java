package jp.clinsgateway.server.identity;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The SMART Backend Services rules for a client assertion that the token endpoint holds before it passes
 * the request to Keycloak: a signature by RS384 or ES384 (never {@code none}, HS*, RS256), the key's
 * {@code kid}, a {@code jti}, an {@code exp} no more than five minutes ahead, {@code iss} = {@code sub}, and
 * an {@code aud} Keycloak accepts. Keycloak then checks the signature against the keys the client
 * registered, that {@code iss} is that client, {@code aud} again, and that the {@code jti} has not been used
 * before (a replay). Nothing here is trusted as the client's identity: the signature is not checked here.
 */
final class ClientAssertionCheck {

    static final Duration LONGEST_LIFETIME = Duration.ofMinutes(5);

    private final List<String> audiences;
    private final Duration clockSkew;

    /**
     * @param assertionAudience Keycloak's token URL, which assertions name in {@code aud}
     * @param clockSkew         how far the client's clock may run ahead of ours
     */
    ClientAssertionCheck(SmartEndpoints endpoints, Duration clockSkew) {
        this.audiences = List.of(endpoints.assertionAudience(), endpoints.issuer());
        this.clockSkew = clockSkew;
    }

    /** Empty if the assertion may go on to Keycloak; else why not, naming the part of it. */
    Optional<String> problem(String assertion, Instant now) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(assertion);
        } catch (ParseException e) {
            return Optional.of("client_assertion: not a JWT (" + e.getMessage() + ")");
        }
        if (jwt instanceof PlainJWT) {
            return Optional.of("client_assertion alg: an unsigned JWT (alg none) is refused; sign with RS384 or ES384");
        }
        if (jwt instanceof EncryptedJWT || !(jwt instanceof SignedJWT signed)) {
            return Optional.of("client_assertion: a signed JWT (JWS), not an encrypted one");
        }
        String algorithm = signed.getHeader().getAlgorithm().getName();
        if (!SmartEndpoints.ASSERTION_ALGORITHMS.contains(algorithm)) {
            return Optional.of("client_assertion alg: RS384 or ES384, not " + algorithm);
        }
        if (signed.getHeader().getKeyID() == null || signed.getHeader().getKeyID().isBlank()) {
            return Optional.of("client_assertion kid: required, the id of the signing key in the client's registered JWK Set");
        }
        JOSEObjectType type = signed.getHeader().getType();
        if (type != null && !type.getType().equalsIgnoreCase("JWT")) {
            return Optional.of("client_assertion typ: JWT, not " + type);
        }
        JWTClaimsSet claims;
        try {
            claims = signed.getJWTClaimsSet();
        } catch (ParseException e) {
            return Optional.of("client_assertion: its claims are not a JSON object (" + e.getMessage() + ")");
        }
        return claimProblem(claims, now);
    }

    private Optional<String> claimProblem(JWTClaimsSet claims, Instant now) {
        if (claims.getIssuer() == null || !Objects.equals(claims.getIssuer(), claims.getSubject())) {
            return Optional.of("client_assertion iss, sub: both the client_id");
        }
        if (claims.getJWTID() == null || claims.getJWTID().isBlank()) {
            return Optional.of("client_assertion jti: required, a value never used before (each assertion is used once)");
        }
        if (claims.getExpirationTime() == null) {
            return Optional.of("client_assertion exp: required, at most 5 minutes ahead");
        }
        Instant expires = claims.getExpirationTime().toInstant();
        if (!expires.isAfter(now)) {
            return Optional.of("client_assertion exp: expired at " + expires);
        }
        Duration ahead = Duration.between(now, expires);
        if (ahead.compareTo(LONGEST_LIFETIME.plus(clockSkew)) > 0) {
            return Optional.of("client_assertion exp: at most 5 minutes ahead, not " + ahead.toSeconds() + " s");
        }
        List<String> audience = claims.getAudience() == null ? List.of() : claims.getAudience();
        if (audience.stream().noneMatch(audiences::contains)) {
            return Optional.of("client_assertion aud: the authorization server's token URL " + audiences.get(0)
                    + (audience.isEmpty() ? "" : ", not " + String.join(" ", audience)));
        }
        return Optional.empty();
    }
}
