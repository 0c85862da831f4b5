package jp.clinsgateway.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How a confidential client (an EMR installation, an insurer, the operator) proves who it is at the
 * token endpoint, as its entry in the realm description declares it:
 * <ul>
 *   <li>{@code "auth": "private_key_jwt"}: a signed JWT assertion (SMART Backend Services, RFC 7523), checked
 *   against the public keys the client registered: {@code "jwksUrl"} (an https URL the client publishes its
 *   JWK Set at, so it rotates its own keys) or {@code "publicKey"} (a PEM public key or certificate, a JWK or
 *   a JWK Set), signed with {@code "algorithm"} RS384 or ES384. Nothing secret is held by the realm.</li>
 *   <li>{@code "auth": "client_secret"} with {@code "secret"}: a shared secret, for development and the demo.
 *   An entry with only a {@code secret} means this too.</li>
 * </ul>
 */
public sealed interface ClientAuthentication {

    /** The signature algorithms SMART Backend Services names; RS256, PS*, HS* and {@code none} are refused. */
    List<String> ALGORITHMS = List.of("RS384", "ES384");

    String PRIVATE_KEY_JWT = "private_key_jwt";
    String CLIENT_SECRET = "client_secret";

    /** A shared secret as declared ({@code env:NAME} reads it from the environment when used). */
    record ClientSecret(String declared) implements ClientAuthentication {

        public String value() {
            return RealmDescription.secret(declared);
        }
    }

    /**
     * Signed-JWT client authentication.
     *
     * @param jwksUrl where the client publishes its JWK Set, or empty
     * @param keys    the registered public keys (each with {@code kid}, {@code use: sig} and the algorithm), or empty
     */
    record PrivateKeyJwt(String algorithm, Optional<URI> jwksUrl, Optional<JWKSet> keys) implements ClientAuthentication {
    }

    /** What a client entry of the description declares about its authentication. */
    interface Declaration {
        String auth();

        String secret();

        String jwksUrl();

        JsonNode publicKey();

        String algorithm();
    }

    /**
     * The declared authentication, or null with each problem added to {@code problems}, named by its
     * place (e.g. {@code institutions[3].publicKey: ...}).
     */
    static ClientAuthentication declared(Declaration entry, String path, List<String> problems) {
        int before = problems.size();
        String auth = entry.auth() != null ? entry.auth() : entry.secret() != null ? CLIENT_SECRET : null;
        if (auth == null) {
            problems.add(path + ".auth: " + PRIVATE_KEY_JWT + " (with jwksUrl or publicKey, and algorithm RS384 or ES384) or "
                    + CLIENT_SECRET + " (with secret)");
            return null;
        }
        switch (auth) {
            case CLIENT_SECRET -> {
                if (entry.secret() == null || entry.secret().isBlank()) {
                    problems.add(path + ".secret: required (or env:NAME)");
                }
                for (String keyField : keyFieldsDeclared(entry)) {
                    problems.add(path + "." + keyField + ": only with auth " + PRIVATE_KEY_JWT);
                }
                return problems.size() > before ? null : new ClientSecret(entry.secret());
            }
            case PRIVATE_KEY_JWT -> {
                return privateKeyJwt(entry, path, problems, before);
            }
            default -> {
                problems.add(path + ".auth: '" + auth + "' is neither " + PRIVATE_KEY_JWT + " nor " + CLIENT_SECRET);
                return null;
            }
        }
    }

    private static ClientAuthentication privateKeyJwt(Declaration entry, String path, List<String> problems, int before) {
        if (entry.secret() != null) {
            problems.add(path + ".secret: a client authenticating with " + PRIVATE_KEY_JWT + " has no secret");
        }
        String algorithm = entry.algorithm();
        if (algorithm == null || !ALGORITHMS.contains(algorithm)) {
            problems.add(path + ".algorithm: RS384 or ES384" + (algorithm == null ? "" : ", not '" + algorithm + "'"));
            algorithm = null;
        }
        boolean url = entry.jwksUrl() != null;
        boolean key = entry.publicKey() != null && !entry.publicKey().isNull();
        if (url == key) {
            problems.add(path + ": " + PRIVATE_KEY_JWT + " needs exactly one of jwksUrl (preferred: the client rotates its own keys) and publicKey");
            return null;
        }
        Optional<URI> jwksUrl = url ? jwksUrl(entry.jwksUrl(), path + ".jwksUrl", problems) : Optional.empty();
        Optional<JWKSet> keys = key && algorithm != null ? RegisteredKeys.read(entry.publicKey(), algorithm, path + ".publicKey", problems)
                : Optional.empty();
        return problems.size() > before ? null : new PrivateKeyJwt(algorithm, jwksUrl, keys);
    }

    private static List<String> keyFieldsDeclared(Declaration entry) {
        List<String> fields = new ArrayList<>();
        if (entry.jwksUrl() != null) {
            fields.add("jwksUrl");
        }
        if (entry.publicKey() != null && !entry.publicKey().isNull()) {
            fields.add("publicKey");
        }
        if (entry.algorithm() != null) {
            fields.add("algorithm");
        }
        return fields;
    }

    /** TLS, as SMART requires of a JWK Set URL; plain http only on this machine, for development and tests. */
    private static Optional<URI> jwksUrl(String declared, String path, List<String> problems) {
        try {
            URI uri = new URI(declared);
            boolean loopback = "http".equals(uri.getScheme())
                    && Set.of("localhost", "127.0.0.1", "[::1]").contains(String.valueOf(uri.getHost()));
            if (uri.getHost() != null && ("https".equals(uri.getScheme()) || loopback) && uri.getUserInfo() == null && uri.getFragment() == null) {
                return Optional.of(uri);
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        problems.add(path + ": an https URL (plain http only on localhost, for development), not '" + declared + "'");
        return Optional.empty();
    }
}
