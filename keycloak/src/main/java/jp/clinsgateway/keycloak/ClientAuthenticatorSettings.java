package jp.clinsgateway.keycloak;

import org.keycloak.representations.idm.ClientRepresentation;

import java.util.Map;

/**
 * A client's authentication as Keycloak 26 holds it: the client authenticator and the client
 * attributes it reads. Setting one kind clears the other's attributes, so a client switched from a
 * secret to keys (or from a JWK Set URL to a registered key) keeps nothing of the old way.
 */
final class ClientAuthenticatorSettings {

    static final String CLIENT_SECRET = "client-secret";
    /** Keycloak's "Signed JWT" authenticator: RFC 7523 assertions checked against the client's registered keys. */
    static final String CLIENT_JWT = "client-jwt";

    static final String USE_JWKS_URL = "use.jwks.url";
    static final String JWKS_URL = "jwks.url";
    static final String USE_JWKS_STRING = "use.jwks.string";
    static final String JWKS_STRING = "jwks.string";
    /** Keycloak's stored certificate or public key, used when neither JWK Set is: always cleared, never set. */
    static final String CERTIFICATE = "jwt.credential.certificate";
    static final String PUBLIC_KEY = "jwt.credential.public.key";
    static final String SIGNING_ALGORITHM = "token.endpoint.auth.signing.alg";
    static final String MAXIMUM_LIFETIME = "token.endpoint.auth.signing.max.exp";

    /**
     * Keycloak refuses an assertion whose {@code exp} is more than this ahead of its clock (its default is
     * 60 s, which refuses SMART clients that send the five minutes SMART allows). Five minutes, and half a
     * minute for a client whose clock runs ahead; the gateway's token endpoint holds the same line.
     */
    static final int MAXIMUM_LIFETIME_SECONDS = 300 + 30;

    private ClientAuthenticatorSettings() {
    }

    static void apply(ClientAuthentication authentication, ClientRepresentation client) {
        Map<String, String> attributes = client.getAttributes();
        attributes.put(CERTIFICATE, "");
        attributes.put(PUBLIC_KEY, "");
        if (authentication instanceof ClientAuthentication.ClientSecret secret) {
            client.setClientAuthenticatorType(CLIENT_SECRET);
            client.setSecret(secret.value());
            attributes.put(USE_JWKS_URL, "false");
            attributes.put(JWKS_URL, "");
            attributes.put(USE_JWKS_STRING, "false");
            attributes.put(JWKS_STRING, "");
            attributes.put(SIGNING_ALGORITHM, "");
            attributes.put(MAXIMUM_LIFETIME, "");
        } else if (authentication instanceof ClientAuthentication.PrivateKeyJwt keys) {
            client.setClientAuthenticatorType(CLIENT_JWT);
            client.setSecret(null);
            attributes.put(USE_JWKS_URL, String.valueOf(keys.jwksUrl().isPresent()));
            attributes.put(JWKS_URL, keys.jwksUrl().map(Object::toString).orElse(""));
            attributes.put(USE_JWKS_STRING, String.valueOf(keys.keys().isPresent()));
            attributes.put(JWKS_STRING, keys.keys().map(set -> set.toString(true)).orElse(""));
            attributes.put(SIGNING_ALGORITHM, keys.algorithm());
            attributes.put(MAXIMUM_LIFETIME, String.valueOf(MAXIMUM_LIFETIME_SECONDS));
        }
    }

    static boolean usesSecret(ClientRepresentation client) {
        return CLIENT_SECRET.equals(client.getClientAuthenticatorType());
    }
}
