package jp.clinsgateway.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The command line: {@code java -jar keycloak-[version]-exec.jar <command> [--option value ...]}.
 * Run without a command for help.
 */
public final class KeycloakCommand {

    private static final String HELP = """
            Commands:
              demo --gateway-jar FILE [-- gateway arguments]
                  Starts a local Keycloak (JDK 21+, found automatically or KEYCLOAK_JAVA_HOME) with the demo realm,
                  then the gateway trusting it; links the demo patients' accounts and prints every identity.
                  Ports: KEYCLOAK_PORT (8180), SERVER_PORT (8080); data: GATEWAY_DATA_DIR (./data).
              provision --server URL --realm-file FILE --portal-root URL [--portal-root URL ...] [--fhir-base URL ...]
                  Makes the realm on a running Keycloak match the description (idempotent). The administrator
                  signs in to the master realm as KEYCLOAK_ADMIN_USER (admin) with KEYCLOAK_ADMIN_PASSWORD
                  (or the file KEYCLOAK_ADMIN_PASSWORD_FILE names; secrets "env:NAME" likewise from NAME or NAME_FILE).
                  The portal roots are the portal's redirect URIs and web origins (give the gateway the same list as
                  GATEWAY_IDENTITY_WEB_ORIGINS); the FHIR bases (default: [portal root]/fhir) are named in every token's aud.
              link-patients --server URL --realm-file FILE --fhir URL [--operator-key FILE]
                  Links each described patient account to the gateway Patient with its insurance member ID
                  (looked up with the description's operator client; --operator-key: its private key where it
                  authenticates with a signed JWT).
              client-assertion --client ID --key FILE --audience URL [--kid KID] [--lifetime SECONDS]
                  Prints a signed client assertion (SMART Backend Services, RFC 7523) for the client credentials grant:
                  iss = sub = the client id, aud = the authorization server's token URL
                  ([issuer]/protocol/openid-connect/token), a fresh jti, exp 60 s ahead (at most 300).
                  The key: a private JWK, or PEM PKCS#8 (an EC key with its PUBLIC KEY block or --kid).
              new-client-key --algorithm ES384|RS384 --out FILE [--kid KID]
                  Makes a key pair for a client: the private JWK into FILE (readable by its owner only), the public JWK
                  to register ("publicKey" in the realm description, or in the JWK Set at the client's jwksUrl) printed.
              patient-token --fhir URL --user NAME --password SECRET [--client patient-portal] [--redirect-uri URL] [--scope S]
                  Signs a patient in through the SMART standalone launch (authorization code + PKCE) and prints the token response.
            """;

    private KeycloakCommand() {
    }

    public static void main(String[] arguments) throws Exception {
        if (arguments.length == 0 || arguments[0].equals("help") || arguments[0].equals("--help")) {
            System.out.println(HELP);
            return;
        }
        List<String> rest = new ArrayList<>(Arrays.asList(arguments).subList(1, arguments.length));
        List<String> passThrough = new ArrayList<>();
        int separator = rest.indexOf("--");
        if (separator >= 0) {
            passThrough.addAll(rest.subList(separator + 1, rest.size()));
            rest = new ArrayList<>(rest.subList(0, separator));
        }
        Map<String, List<String>> options = options(rest);
        switch (arguments[0]) {
            case "demo" -> System.exit(new DemoStack(Path.of(one(options, "gateway-jar")), passThrough, System.out).run());
            case "provision" -> {
                List<String> roots = options.get("portal-root");
                if (roots == null || roots.isEmpty()) {
                    throw new IllegalArgumentException("--portal-root is required\n" + HELP);
                }
                List<String> fhirBases = options.getOrDefault("fhir-base",
                        roots.stream().map(root -> root.replaceFirst("/+$", "") + RealmProvisioning.FHIR_PATH).toList());
                try (Keycloak admin = admin(one(options, "server"))) {
                    new RealmProvisioning(admin).provision(RealmDescription.read(Path.of(one(options, "realm-file"))), roots, fhirBases);
                }
                System.out.println("Realm provisioned");
            }
            case "link-patients" -> {
                RealmDescription description = RealmDescription.read(Path.of(one(options, "realm-file")));
                String issuer = one(options, "server").replaceFirst("/+$", "") + "/realms/" + description.realm();
                try (Keycloak admin = admin(one(options, "server"))) {
                    Optional<SigningKey> key = options.containsKey("operator-key")
                            ? Optional.of(SigningKey.read(Path.of(one(options, "operator-key")), Optional.empty())) : Optional.empty();
                    PatientAccountLinks.link(admin, description, one(options, "fhir"), PatientAccountLinks.operatorToken(description, issuer, key))
                            .forEach(link -> System.out.println(link.username() + " (" + link.memberId() + "): "
                                    + link.patientId().map(id -> "Patient/" + id).orElse("no Patient with this member ID yet")));
                }
            }
            case "patient-token" -> {
                String fhir = one(options, "fhir").replaceFirst("/+$", "");
                String root = fhir.replaceFirst("/fhir$", "");
                PatientSignIn.App app = new PatientSignIn.App(optional(options, "client", "patient-portal"),
                        optional(options, "redirect-uri", root + "/portal/"),
                        optional(options, "scope", "openid fhirUser launch/patient patient/*.rs"));
                JsonNode tokens = PatientSignIn.signIn(fhir, app, one(options, "user"), one(options, "password"));
                System.out.println(TokenClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tokens));
            }
            case "client-assertion" -> {
                SigningKey key = SigningKey.read(Path.of(one(options, "key")), Optional.ofNullable(optional(options, "kid", null)));
                Duration lifetime = Duration.ofSeconds(Long.parseLong(optional(options, "lifetime", "60")));
                System.out.println(ClientAssertion.signed(one(options, "client"), one(options, "audience"), key, lifetime));
            }
            case "new-client-key" -> {
                Path out = Path.of(one(options, "out"));
                SigningKey key = SigningKey.generate(one(options, "algorithm"), Optional.ofNullable(optional(options, "kid", null)));
                key.writeTo(out);
                System.err.println("Private key written to " + out + " (keep it at the client). The public key to register:");
                System.out.println(key.publicJwk().toJSONString());
            }
            default -> {
                System.err.println("Unknown command " + arguments[0] + "\n" + HELP);
                System.exit(2);
            }
        }
    }

    private static Keycloak admin(String server) {
        String password = EnvironmentSecret.read("KEYCLOAK_ADMIN_PASSWORD").orElseThrow(() -> new IllegalArgumentException(
                "Set KEYCLOAK_ADMIN_PASSWORD (or KEYCLOAK_ADMIN_PASSWORD_FILE, a file holding it) to the Keycloak administrator's password"));
        String user = System.getenv().getOrDefault("KEYCLOAK_ADMIN_USER", "admin");
        return KeycloakBuilder.builder().serverUrl(server).realm("master").clientId("admin-cli").username(user).password(password).build();
    }

    private static Map<String, List<String>> options(List<String> arguments) {
        Map<String, List<String>> options = new HashMap<>();
        for (int i = 0; i < arguments.size(); i++) {
            String name = arguments.get(i);
            if (!name.startsWith("--") || i + 1 >= arguments.size()) {
                throw new IllegalArgumentException("Expected --option value, found " + name + "\n" + HELP);
            }
            options.computeIfAbsent(name.substring(2), k -> new ArrayList<>()).add(arguments.get(++i));
        }
        return options;
    }

    private static String one(Map<String, List<String>> options, String name) {
        List<String> values = options.get(name);
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("--" + name + " is required\n" + HELP);
        }
        return values.get(0);
    }

    private static String optional(Map<String, List<String>> options, String name, String fallback) {
        List<String> values = options.get(name);
        return values == null || values.isEmpty() ? fallback : values.get(0);
    }
}
