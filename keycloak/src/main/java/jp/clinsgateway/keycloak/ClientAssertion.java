package jp.clinsgateway.keycloak;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * The one-time JWT a Backend Services client signs to authenticate at the token endpoint (SMART
 * {@code client-confidential-asymmetric}, RFC 7523): {@code iss} and {@code sub} its client id,
 * {@code aud} the authorization server's token URL, a fresh {@code jti}, {@code exp} at most five
 * minutes ahead; in the header {@code alg} (RS384 or ES384), {@code kid} and {@code typ: JWT}.
 */
public final class ClientAssertion {

    /** The {@code client_assertion_type} form field that goes with it. */
    public static final String TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    /** The longest lifetime SMART Backend Services allows an assertion. */
    public static final Duration LONGEST_LIFETIME = Duration.ofMinutes(5);
    /** What the command signs for when not told otherwise: short, so a leaked assertion is soon worthless. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(1);

    private ClientAssertion() {
    }

    /**
     * @param audience the authorization server's token URL ({@code [issuer]/protocol/openid-connect/token})
     * @param lifetime at most {@link #LONGEST_LIFETIME}
     */
    public static String signed(String clientId, String audience, SigningKey key, Duration lifetime) {
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(LONGEST_LIFETIME) > 0) {
            throw new IllegalArgumentException("An assertion lives more than 0 and at most 5 minutes, not " + lifetime);
        }
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(clientId)
                .subject(clientId)
                .audience(audience)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.parse(key.algorithm())).type(JOSEObjectType.JWT).keyID(key.kid()).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer(key));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("The key cannot sign " + key.algorithm() + ": " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    private static JWSSigner signer(SigningKey key) throws JOSEException {
        return key.key() instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key.key());
    }
}
