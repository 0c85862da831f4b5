package jp.clinsgateway.keycloak;

import org.keycloak.admin.client.Keycloak;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The README's run command: a local Keycloak with the demo realm, and the gateway beside it trusting
 * that realm, with the demo patients' accounts linked to their records; then it prints who can sign
 * in and how each gets a token. Ends when the gateway ends (Ctrl-C ends both).
 */
final class DemoStack {

    private final Path gatewayJar;
    private final List<String> gatewayArguments;
    private final PrintStream out;

    DemoStack(Path gatewayJar, List<String> gatewayArguments, PrintStream out) {
        this.gatewayJar = gatewayJar;
        this.gatewayArguments = gatewayArguments;
        this.out = out;
    }

    int run() throws IOException, InterruptedException {
        int keycloakPort = Integer.parseInt(env("KEYCLOAK_PORT", "8180"));
        int gatewayPort = Integer.parseInt(env("SERVER_PORT", "8080"));
        Path data = Path.of(env("GATEWAY_DATA_DIR", "./data"));
        RealmDescription realm = RealmDescription.demo();

        out.println("Starting Keycloak on http://127.0.0.1:" + keycloakPort + " (the first start prepares the server: about a minute) ...");
        try (LocalKeycloak keycloak = LocalKeycloak.start(data.resolve("keycloak"), keycloakPort, env("KEYCLOAK_ADMIN_PASSWORD", "admin"))) {
            String issuer = keycloak.issuer(realm.realm());
            out.printf("Keycloak ready in %.1f s, %d MB resident%n", keycloak.startTime().toMillis() / 1000.0, keycloak.residentMemory() >> 20);
            List<String> roots = List.of("http://localhost:" + gatewayPort, "http://127.0.0.1:" + gatewayPort);
            try (Keycloak admin = keycloak.admin()) {
                new RealmProvisioning(admin).provision(realm, roots);
            }
            Process gateway = startGateway(realm, issuer, roots, gatewayPort);
            Runtime.getRuntime().addShutdownHook(new Thread(gateway::destroy));
            String fhirBase = "http://localhost:" + gatewayPort + "/fhir";
            if (!awaitGateway(gateway, fhirBase)) {
                return gateway.waitFor();
            }
            List<PatientAccountLinks.Link> links;
            try (Keycloak admin = keycloak.admin()) {
                links = PatientAccountLinks.link(admin, realm, fhirBase, PatientAccountLinks.operatorToken(realm, issuer));
            }
            Path demoKey = DemoKeys.writeInto(data.resolve("demo-keys"));
            printIdentities(realm, keycloak, issuer, fhirBase, links, demoKey);
            return gateway.waitFor();
        }
    }

    /** The gateway trusting the realm: its issuer, its own client there (introspection) and the portal's registered web origins. */
    private Process startGateway(RealmDescription realm, String issuer, List<String> webOrigins, int port) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(env("JAVA_OPTS", "-Xmx1g").trim().split("\\s+")));
        command.addAll(List.of("-jar", gatewayJar.toString()));
        command.addAll(gatewayArguments);
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put("GATEWAY_IDENTITY_ISSUER", issuer);
        builder.environment().put("GATEWAY_IDENTITY_AUDIENCE", realm.audience());
        builder.environment().put("GATEWAY_IDENTITY_INTROSPECTION_SECRET", RealmDescription.secret(realm.gatewaySecret()));
        builder.environment().put("GATEWAY_IDENTITY_WEB_ORIGINS", String.join(",", webOrigins));
        builder.environment().put("SERVER_PORT", String.valueOf(port));
        return builder.start();
    }

    /** Waits for the gateway's CapabilityStatement: it answers only once demo data and validator are ready. */
    private static boolean awaitGateway(Process gateway, String fhirBase) throws InterruptedException {
        URI metadata = URI.create(fhirBase + "/metadata");
        while (gateway.isAlive()) {
            try {
                HttpResponse<Void> answer = TokenClient.HTTP.send(HttpRequest.newBuilder(metadata).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return true;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        return false;
    }

    private void printIdentities(RealmDescription realm, LocalKeycloak keycloak, String issuer, String fhirBase,
                                 List<PatientAccountLinks.Link> links, Path demoKey) {
        String token = issuer + "/protocol/openid-connect/token";
        String gatewayToken = fhirBase.replaceFirst("/fhir$", "") + "/smart/token";
        out.println();
        out.println("=== The gateway is ready: " + fhirBase + " (SMART: " + fhirBase + "/.well-known/smart-configuration)");
        out.println("Patient portal: " + fhirBase.replaceFirst("/fhir$", "") + "/portal/");
        out.println("Authorization server: " + issuer + "   (admin console " + keycloak.url() + "/admin, user admin, password "
                + keycloak.adminPassword() + ")");
        out.println();
        out.println("Institutions (EMR systems; client credentials). A token, then a call:");
        for (RealmDescription.Institution institution : realm.institutions()) {
            out.printf("  %s %s: client %s, %s%n", institution.code(), institution.name(), institution.clientId(), credential(institution));
        }
        RealmDescription.Institution first = realm.institutions().get(0);
        out.println("  SMART Backend Services (a signed JWT, no shared secret), with the demo key (" + demoKey
                + "; published with this demo, so never register it anywhere else):");
        out.printf("    ASSERTION=$(java -jar keycloak/target/keycloak-0.1.0-SNAPSHOT-exec.jar client-assertion --client %s --key %s --audience %s)%n",
                DemoKeys.BACKEND_CLIENT, demoKey, token);
        out.printf("    TOKEN=$(curl -s -d grant_type=client_credentials -d 'scope=system/*.rs' -d client_assertion_type=%s"
                        + " -d \"client_assertion=$ASSERTION\" %s | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')%n",
                ClientAssertion.TYPE, gatewayToken);
        out.printf("    curl -H \"Authorization: Bearer $TOKEN\" '%s/Patient?name=%%E9%%AB%%98%%E6%%A9%%8B'%n", fhirBase);
        out.println("    (each assertion once: a second use is refused; README: SMART Backend Services)");
        out.println("  With a client secret (development only; off where gateway.identity.client-secrets-enabled=false):");
        out.printf("    TOKEN=$(curl -s -u %s:%s -d grant_type=client_credentials -d 'scope=system/*.rs system/Bundle.c' %s | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')%n",
                first.clientId(), first.secret(), gatewayToken);
        out.printf("    curl -H \"Authorization: Bearer $TOKEN\" '%s/Patient?name=%%E9%%AB%%98%%E6%%A9%%8B'%n", fhirBase);
        out.println("    (add the scope purpose/ETREAT for an emergency read without consent; it is recorded and shown to the patient)");
        out.println("    a consent given at the institution's reception (scope system/Consent.cu) needs the one-time code the patient shows from");
        out.println("    the portal's consent screen, sent in the Consent as extension " + "http://clinsgateway.jp/fhir/StructureDefinition/one-time-consent-code"
                + " (README: Access policy and consent)");
        out.println("    another institution finds a patient by insurance member ID: Patient?identifier=http://jpfhir.jp/fhir/clins/Idsystem/JP_Insurance_memberID|[ID]");
        out.println("Insurers (client credentials, scope system/*.rs):");
        for (RealmDescription.Insurer insurer : realm.insurers()) {
            out.printf("  %s %s: client %s, %s%n", insurer.number(), insurer.name(), insurer.clientId(), credential(insurer));
        }
        out.println("Operator (client credentials, scope system/*.rs):");
        for (RealmDescription.Operator operator : realm.operators()) {
            out.printf("  client %s, %s%n", operator.clientId(), credential(operator));
        }
        out.printf("Introspection (RFC 7662, for any client above with its own credentials): curl -u %s:%s -d token=$TOKEN %s/smart/introspect%n",
                first.clientId(), first.secret(), fhirBase.replaceFirst("/fhir$", ""));
        out.println("Patients: the portal " + fhirBase.replaceFirst("/fhir$", "") + "/portal/ signs in with SMART App Launch"
                + " (authorization code + PKCE) as:");
        for (RealmDescription.PatientAccount patient : realm.patients()) {
            String link = links.stream().filter(l -> l.username().equals(patient.username())).findFirst()
                    .flatMap(PatientAccountLinks.Link::patientId).map(id -> "Patient/" + id).orElse("not linked: no records yet");
            out.printf("  %s %s: user %s, password %s (%s)%n", patient.family(), patient.given(), patient.username(), patient.password(), link);
        }
        out.printf("    a patient's token from the command line: java -jar keycloak/target/keycloak-0.1.0-SNAPSHOT-exec.jar patient-token --fhir %s --user %s --password %s%n",
                fhirBase, realm.patients().get(0).username(), realm.patients().get(0).password());
        out.println();
    }

    private static String credential(RealmDescription.ConfidentialClient client) {
        if (client.authentication() instanceof ClientAuthentication.PrivateKeyJwt keys) {
            return "signed JWT (" + keys.algorithm() + (client.clientId().equals(DemoKeys.BACKEND_CLIENT) ? ", the demo key below)" : ")");
        }
        return "secret " + client.secret();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
