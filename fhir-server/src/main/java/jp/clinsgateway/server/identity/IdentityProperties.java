package jp.clinsgateway.server.identity;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * @param issuer                   the authorization server's issuer (a Keycloak realm URL, e.g.
 *                                 {@code https://auth.example.jp/realms/clins}); tokens must come from
 *                                 it and are checked against its published keys. Unset: no token is accepted.
 * @param internalIssuer           the same realm at the address the gateway itself reaches it by, where that
 *                                 differs from the public one (e.g. {@code http://keycloak:8080/realms/clins} inside a
 *                                 container network): the keys and the token endpoint are fetched there. Unset: the issuer.
 * @param audience                 the audience a token must name to be accepted here: the client id of the gateway's own
 *                                 client in the realm (every token names it in {@code aud}, beside the FHIR base URLs)
 * @param clockSkew                tolerance for expiry and not-before between the two servers' clocks
 * @param operatorRole             the realm role that makes a token's holder the service operator
 * @param developmentHeaderEnabled trust the {@value DevelopmentIdentityHeader#HEADER} request
 *                                 headers as the caller, without a token. Tests and local development only.
 * @param fhirBase                 the FHIR base URL an authorization request's {@code aud} must name, where it is fixed (a
 *                                 proxy that passes no {@code X-Forwarded-*}). Unset: the base as the client reached it.
 * @param introspectionSecret      the secret of the gateway's own client in the realm (client id: the audience), with which
 *                                 it asks Keycloak whether a token is still active. Unset: the gateway offers no introspection.
 * @param webOrigins               the browser origins registered in the realm (the portal client's web origins): only these
 *                                 get CORS answers from the token and introspection endpoints
 * @param clientSecretsEnabled     clients may authenticate at the token endpoint with a shared secret
 *                                 ({@code client_secret_basic}, {@code client_secret_post}), as the demo's do, and
 *                                 discovery says so. Off in production: only signed JWT assertions ({@code private_key_jwt}).
 */
@ConfigurationProperties(prefix = "gateway.identity")
public record IdentityProperties(String issuer,
                                 String internalIssuer,
                                 @DefaultValue("clins-gateway") String audience,
                                 @DefaultValue("30s") Duration clockSkew,
                                 @DefaultValue("gateway-operator") String operatorRole,
                                 @DefaultValue("false") boolean developmentHeaderEnabled,
                                 String fhirBase,
                                 String introspectionSecret,
                                 @DefaultValue List<String> webOrigins,
                                 @DefaultValue("true") boolean clientSecretsEnabled) {

    public Optional<String> configuredIssuer() {
        return url(issuer);
    }

    /** Where the gateway fetches the issuer's keys and forwards token requests. */
    public Optional<String> backchannelIssuer() {
        return url(internalIssuer).or(this::configuredIssuer);
    }

    public Optional<String> configuredFhirBase() {
        return url(fhirBase);
    }

    public Optional<String> configuredIntrospectionSecret() {
        return Optional.ofNullable(introspectionSecret).filter(secret -> !secret.isBlank());
    }

    private static Optional<String> url(String value) {
        return Optional.ofNullable(value).map(String::strip).filter(i -> !i.isEmpty()).map(i -> i.replaceFirst("/+$", ""));
    }
}
