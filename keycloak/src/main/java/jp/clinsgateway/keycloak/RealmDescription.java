package jp.clinsgateway.keycloak;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What the gateway's realm holds, declared in one small JSON file (the demo's is
 * {@code demo-realm.json}): who may call the gateway and with which scopes. {@link RealmProvisioning}
 * makes a Keycloak realm match it, as often as it is run.
 *
 * <p>Each confidential client declares how it authenticates ({@link ClientAuthentication}): signed JWT
 * assertions checked against the keys it registered ({@code "auth": "private_key_jwt"}, as in production),
 * or a shared secret for development. A secret written {@code env:NAME} is read from the environment
 * variable {@code NAME} (or the file {@code NAME_FILE} names: {@link EnvironmentSecret}), so a description
 * need not hold secrets.
 *
 * @param realm          the realm's name; the gateway's issuer is {@code [keycloak]/realms/[realm]}
 * @param audience       what every token for the gateway carries in {@code aud} (the gateway's {@code gateway.identity.audience}):
 *                       the client id of the gateway's own client in the realm, the resource server
 * @param operatorRole   the realm role that makes a service account the service operator
 * @param tokenLifespanSeconds how long an access token lives: at most an hour, because the gateway checks tokens by their
 *                       signature, so one stays usable until it expires even after its refresh token is revoked
 * @param gatewaySecret  the secret of the gateway's own client ({@code gateway.identity.introspection-secret}): with it the
 *                       gateway asks Keycloak whether a token is still active (introspection), which Keycloak answers only
 *                       to a client the token names in {@code aud}
 */
public record RealmDescription(String realm, String displayName, String audience, String operatorRole,
                               int tokenLifespanSeconds, Portal portal, Scopes scopes,
                               List<Institution> institutions, List<Insurer> insurers, List<Operator> operators,
                               List<PatientAccount> patients, String gatewaySecret) {

    /**
     * The patient portal: a public SMART client (authorization code + PKCE).
     *
     * @param redirectPaths              where the portal may be sent back to, relative to each gateway root URL it is served from
     * @param accessTokenLifespanSeconds how long the portal's access tokens live, if not the realm's (a test makes it
     *                                   short so a session must outlive it by refreshing)
     */
    public record Portal(String clientId, String name, List<String> redirectPaths, Integer accessTokenLifespanSeconds) {

        public Portal(String clientId, String name, List<String> redirectPaths) {
            this(clientId, name, redirectPaths, null);
        }

        /** The same portal with access tokens of this lifespan. */
        public Portal withAccessTokenLifespan(int seconds) {
            return new Portal(clientId, name, redirectPaths, seconds);
        }
    }

    /** The SMART scopes each kind of client may ask for (besides {@code openid}). */
    public record Scopes(List<String> patient, List<String> institution, List<String> insurer, List<String> operator) {

        /** Every scope named anywhere, each once. */
        public List<String> all() {
            return Stream.of(patient, institution, insurer, operator).flatMap(List::stream).distinct().toList();
        }
    }

    /**
     * What every confidential client declares: its client id, its name, and how it authenticates at the
     * token endpoint ({@link ClientAuthentication}: {@code auth}, and {@code jwksUrl} or {@code publicKey}
     * with {@code algorithm}, or {@code secret}).
     */
    public interface ConfidentialClient extends ClientAuthentication.Declaration {
        String clientId();

        String name();

        /** How it authenticates; fails for a declaration the description's validation refuses. */
        default ClientAuthentication authentication() {
            List<String> problems = new ArrayList<>();
            ClientAuthentication authentication = ClientAuthentication.declared(this, clientId(), problems);
            if (authentication == null) {
                throw new IllegalArgumentException("The client " + clientId() + " is not valid: " + String.join("; ", problems));
            }
            return authentication;
        }
    }

    /**
     * An EMR installation at a hospital or clinic: client credentials, tokens carrying its 10-digit code.
     *
     * @param roles the gateway roles its administrator granted ({@code emergency-access}, {@code privacy-officer}); may be absent
     */
    public record Institution(String code, String name, String clientId, String auth, String secret, String jwksUrl,
                              JsonNode publicKey, String algorithm, List<String> roles) implements ConfidentialClient {
        public Institution {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }
    }

    /** A health insurer: client credentials, tokens carrying its 8-digit insurer number. */
    public record Insurer(String number, String name, String clientId, String auth, String secret, String jwksUrl,
                          JsonNode publicKey, String algorithm) implements ConfidentialClient {
    }

    /** The service operator's own client: consent and audit metadata, patient enrolment. */
    public record Operator(String clientId, String name, String auth, String secret, String jwksUrl,
                           JsonNode publicKey, String algorithm) implements ConfidentialClient {
    }

    /**
     * A patient's portal account. Linked to the gateway Patient with the same insurance member ID
     * once that exists ({@link PatientAccountLinks}); its tokens then carry the patient context.
     *
     * @param password empty for an account whose password the patient sets themselves
     */
    public record PatientAccount(String username, String password, String family, String given, String email,
                                 String memberId) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /** The demo realm: the demo institutions, insurers and patients of the implementation guide's examples. */
    public static RealmDescription demo() {
        try (InputStream in = RealmDescription.class.getResourceAsStream("/demo-realm.json")) {
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RealmDescription read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    public static RealmDescription read(InputStream in) throws IOException {
        return JSON.readValue(in, RealmDescription.class).validated();
    }

    /** This description with its defaults filled in; fails naming every problem (as {@link #read} does). */
    public RealmDescription validated() {
        RealmDescription description = withDefaults();
        List<String> problems = description.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("The realm description is not valid: " + String.join("; ", problems));
        }
        return description;
    }

    /** A secret as declared, or from the environment for {@code env:NAME} (the variable, or the file {@code NAME_FILE} names). */
    public static String secret(String declared) {
        if (declared != null && declared.startsWith("env:")) {
            String name = declared.substring(4);
            return EnvironmentSecret.read(name).orElseThrow(() -> new IllegalStateException(
                    "The environment variable " + name + " (or the file " + name + "_FILE names) holds no secret"));
        }
        return declared;
    }

    /** The same realm with this portal client. */
    public RealmDescription withPortal(Portal other) {
        return new RealmDescription(realm, displayName, audience, operatorRole, tokenLifespanSeconds, other, scopes, institutions,
                insurers, operators, patients, gatewaySecret);
    }

    private RealmDescription withDefaults() {
        return new RealmDescription(realm, displayName == null ? realm : displayName, audience == null ? "clins-gateway" : audience,
                operatorRole == null ? "gateway-operator" : operatorRole, tokenLifespanSeconds <= 0 ? 300 : tokenLifespanSeconds,
                portal, scopes, listOf(institutions), listOf(insurers), listOf(operators), listOf(patients), gatewaySecret);
    }

    /** Longer-lived access tokens would outlast a revocation for longer than a patient should wait. */
    static final int LONGEST_TOKEN_LIFESPAN_SECONDS = 3600;

    private static <T> List<T> listOf(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    /** Each problem with its place in the file, e.g. {@code institutions[1].code: ...}. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (realm == null || !realm.matches("[A-Za-z0-9_-]+")) {
            problems.add("realm: a name of letters, digits, '-' and '_'");
        }
        if (portal == null || portal.clientId() == null || portal.redirectPaths() == null || portal.redirectPaths().isEmpty()) {
            problems.add("portal: clientId and redirectPaths are required");
        }
        if (tokenLifespanSeconds > LONGEST_TOKEN_LIFESPAN_SECONDS) {
            problems.add("tokenLifespanSeconds: at most " + LONGEST_TOKEN_LIFESPAN_SECONDS
                    + " (an access token stays usable until it expires, even after its refresh token is revoked)");
        }
        if (gatewaySecret == null || gatewaySecret.isBlank()) {
            problems.add("gatewaySecret: required (or env:NAME): the secret of the gateway's own client '" + audience
                    + "', with which it introspects tokens");
        }
        if (scopes == null || Stream.of(scopes.patient(), scopes.institution(), scopes.insurer(), scopes.operator()).anyMatch(l -> l == null)) {
            problems.add("scopes: lists for patient, institution, insurer and operator are required");
        }
        for (int i = 0; i < institutions.size(); i++) {
            Institution institution = institutions.get(i);
            if (institution.code() == null || !institution.code().matches("[0-9]{10}")) {
                problems.add("institutions[" + i + "].code: a 10-digit medical institution code");
            }
            requireClient(problems, "institutions[" + i + "]", institution);
        }
        for (int i = 0; i < insurers.size(); i++) {
            Insurer insurer = insurers.get(i);
            if (insurer.number() == null || !insurer.number().matches("[0-9]{8}")) {
                problems.add("insurers[" + i + "].number: an 8-digit insurer number");
            }
            requireClient(problems, "insurers[" + i + "]", insurer);
        }
        for (int i = 0; i < operators.size(); i++) {
            requireClient(problems, "operators[" + i + "]", operators.get(i));
        }
        for (int i = 0; i < patients.size(); i++) {
            PatientAccount patient = patients.get(i);
            if (patient.username() == null || patient.username().isBlank()) {
                problems.add("patients[" + i + "].username: required");
            }
            if (patient.memberId() == null || !patient.memberId().matches("[0-9]{8}:[^:]*:[^:]+:[0-9]{2}")) {
                problems.add("patients[" + i + "].memberId: insurer(8 digits):symbol:number:branch(2 digits)");
            }
        }
        duplicates(problems, "clientId", Stream.of(
                institutions.stream().map(Institution::clientId), insurers.stream().map(Insurer::clientId),
                operators.stream().map(Operator::clientId), Stream.of(portal == null ? null : portal.clientId(), audience))
                .flatMap(Function.identity()).toList());
        duplicates(problems, "patients.username", patients.stream().map(PatientAccount::username).toList());
        return problems;
    }

    private static void requireClient(List<String> problems, String path, ConfidentialClient client) {
        if (client.clientId() == null || client.clientId().isBlank()) {
            problems.add(path + ".clientId: required");
        }
        ClientAuthentication.declared(client, path, problems);
    }

    private static void duplicates(List<String> problems, String what, List<String> values) {
        Set<String> seen = new HashSet<>();
        values.stream().filter(v -> v != null && !seen.add(v)).distinct()
                .forEach(v -> problems.add(what + ": '" + v + "' is declared twice"));
    }
}
