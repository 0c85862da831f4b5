package jp.clinsgateway.server.identity;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import jp.clinsgateway.consent.Purpose;
import jp.clinsgateway.consent.Requester;
import jp.clinsgateway.consent.SmartScopes;
import jp.clinsgateway.server.web.Rejection;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a bearer token into a {@link Caller}: the signature against the issuer's published keys
 * (JWKS, fetched once and refreshed when a new key appears), the issuer, the audience, expiry and
 * not-before; then the identity claims the authorization server puts in (see {@code keycloak/}):
 * {@code institution_code}, {@code patient}, {@code insurer_number}, the operator role, the
 * declared {@code purpose_of_use}, and the institution's or insurer's name for the access log.
 *
 * <p>No call to the authorization server per request: a token whose refresh token (or session) was revoked at Keycloak
 * stays usable here until it expires, which is why the realm keeps access tokens short-lived (five minutes in the demo).
 * Introspection ({@link SmartIntrospectionEndpoint}) does ask Keycloak, and answers such a token as inactive.
 */
@Component
public class AccessTokens {

    /** A token already checked, and until when it holds. */
    private record Verified(Caller caller, Instant expiresAt) {
    }

    private final IdentityProperties properties;
    private final Optional<JwtDecoder> decoder;
    /**
     * A client sends the same token with every request until it expires; checking its signature
     * each time is most of what identifying the caller costs. The token itself is the key, and an
     * entry lasts no longer than the token, so a remembered token is exactly as valid as a checked one.
     */
    private final Cache<String, Verified> verified = Caffeine.newBuilder()
            .maximumSize(20_000)
            .expireAfter(new Expiry<String, Verified>() {
                @Override
                public long expireAfterCreate(String token, Verified value, long now) {
                    return Math.max(0, Duration.between(Instant.now(), value.expiresAt()).toNanos());
                }

                @Override
                public long expireAfterUpdate(String token, Verified value, long now, long current) {
                    return current;
                }

                @Override
                public long expireAfterRead(String token, Verified value, long now, long current) {
                    return current;
                }
            })
            .build();

    public AccessTokens(IdentityProperties properties) {
        this.properties = properties;
        this.decoder = properties.configuredIssuer().map(issuer -> decoder(issuer, properties.backchannelIssuer().orElseThrow(), properties));
    }

    public Caller callerOf(String bearerToken) {
        Verified known = verified.getIfPresent(bearerToken);
        if (known != null && Instant.now().isBefore(known.expiresAt())) {
            return known.caller();
        }
        Jwt token = check(bearerToken);
        Caller caller = callerIn(token);
        verified.put(bearerToken, new Verified(caller, token.getExpiresAt()));
        return caller;
    }

    /**
     * The claims of a token that passes every check {@link #callerOf} makes before it looks at who the token names
     * (signature, issuer, audience, expiry, not-before); empty for one that fails any.
     *
     * @throws KeysUnavailable when the issuer's keys cannot be fetched to check it
     */
    public Optional<Map<String, Object>> claimsOf(String bearerToken) {
        try {
            return Optional.of(check(bearerToken).getClaims());
        } catch (KeysUnavailable e) {
            throw e;
        } catch (BaseServerResponseException invalid) {
            return Optional.empty();
        }
    }

    private Jwt check(String bearerToken) {
        JwtDecoder jwt = decoder.orElseThrow(() -> invalid("This gateway has no authorization server configured (gateway.identity.issuer)"));
        try {
            return jwt.decode(bearerToken);
        } catch (BadJwtException e) {
            throw invalid("The access token is not valid: " + e.getMessage());
        } catch (JwtException e) {
            // The token may be fine: its issuer's keys could not be fetched to check it.
            throw new KeysUnavailable(e);
        }
    }

    private Caller callerIn(Jwt token) {
        Requester requester = requesterOf(token).orElseThrow(() -> Rejection.forbidden(null,
                "The access token names no institution, patient, insurer or operator role"));
        Purpose purpose = Optional.ofNullable(token.getClaimAsString("purpose_of_use"))
                .map(code -> Purpose.fromCode(code).orElseThrow(() -> invalid("Unknown purpose_of_use '" + code + "' in the access token")))
                .orElseGet(() -> Purpose.defaultFor(requester.kind()));
        Optional<String> name = Optional.ofNullable(token.getClaimAsString("institution_name"))
                .or(() -> Optional.ofNullable(token.getClaimAsString("insurer_name")));
        return new Caller(Optional.of(requester), purpose, SmartScopes.parse(token.getClaimAsString("scope")), name, gatewayRoles(token));
    }

    /** The gateway roles among the token's realm roles (granted in Keycloak by the institution's administrator). */
    private static java.util.Set<String> gatewayRoles(Jwt token) {
        Map<String, Object> realmAccess = token.getClaimAsMap("realm_access");
        if (realmAccess == null || !(realmAccess.get("roles") instanceof Collection<?> roles)) {
            return java.util.Set.of();
        }
        return roles.stream().map(String::valueOf)
                .filter(r -> r.equals(Caller.EMERGENCY_ACCESS) || r.equals(Caller.PRIVACY_OFFICER))
                .collect(java.util.stream.Collectors.toSet());
    }

    private Optional<Requester> requesterOf(Jwt token) {
        String institution = token.getClaimAsString("institution_code");
        if (institution != null) {
            return Optional.of(new Requester.Institution(institution));
        }
        String patient = token.getClaimAsString("patient");
        if (patient != null) {
            return Optional.of(new Requester.PatientSelf(patient.startsWith("Patient/") ? patient : "Patient/" + patient));
        }
        String insurer = token.getClaimAsString("insurer_number");
        if (insurer != null) {
            return Optional.of(new Requester.Insurer(insurer));
        }
        Map<String, Object> realmAccess = token.getClaimAsMap("realm_access");
        if (realmAccess != null && realmAccess.get("roles") instanceof Collection<?> roles && roles.contains(properties.operatorRole())) {
            return Optional.of(new Requester.Operator());
        }
        return Optional.empty();
    }

    /** 401 with the {@code WWW-Authenticate} challenge RFC 6750 asks for. */
    static BaseServerResponseException invalid(String message) {
        BaseServerResponseException refusal = Rejection.unauthenticated(message);
        refusal.getResponseHeaders().put("WWW-Authenticate", List.of("Bearer realm=\"clins-gateway\", error=\"invalid_token\", error_description=\""
                + message.replace("\"", "'").replaceAll("[\\r\\n]", " ") + "\""));
        return refusal;
    }

    /** 503: the authorization server's keys cannot be fetched, so no token can be checked now. */
    static final class KeysUnavailable extends BaseServerResponseException {
        KeysUnavailable(Throwable cause) {
            super(503, "The authorization server's signing keys cannot be fetched to check the access token; try again", cause);
            addResponseHeader("Retry-After", "10");
        }
    }

    private static JwtDecoder decoder(String issuer, String backchannel, IdentityProperties properties) {
        // Keycloak publishes its keys here; fetched on first use, so the gateway starts without it.
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout((int) Duration.ofSeconds(5).toMillis());
        requests.setReadTimeout((int) Duration.ofSeconds(10).toMillis());
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(backchannel + "/protocol/openid-connect/certs")
                .restOperations(new RestTemplate(requests)).build();
        OAuth2TokenValidator<Jwt> audience = token -> token.getAudience() != null && token.getAudience().contains(properties.audience())
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "the token is not meant for " + properties.audience(), null));
        OAuth2TokenValidator<Jwt> expires = token -> token.getExpiresAt() != null ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "the token has no expiry", null));
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(properties.clockSkew()),
                expires, new JwtIssuerValidator(issuer), audience));
        return decoder;
    }
}
