package jp.clinsgateway.server.support;

import jp.clinsgateway.keycloak.LocalKeycloak;
import jp.clinsgateway.keycloak.PatientAccountLinks;
import jp.clinsgateway.keycloak.PatientSignIn;
import jp.clinsgateway.keycloak.RealmDescription;
import jp.clinsgateway.keycloak.RealmProvisioning;
import jp.clinsgateway.keycloak.TokenClient;
import com.fasterxml.jackson.databind.JsonNode;
import org.keycloak.admin.client.Keycloak;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One real Keycloak for the test JVM (started on first use in {@code target/keycloak}, stopped
 * when the JVM ends), holding the demo realm; and the tokens its clients and patients get.
 */
public final class TestKeycloak {

    public static final RealmDescription REALM = RealmDescription.demo();
    private static LocalKeycloak server;

    private TestKeycloak() {
    }

    public static synchronized LocalKeycloak server() {
        if (server == null) {
            server = LocalKeycloak.start(Path.of("target", "keycloak"), 0, null);
        }
        return server;
    }

    public static String issuer() {
        return server().issuer(REALM.realm());
    }

    /**
     * Provisions the demo realm for a gateway on this port (its portal redirect URIs) and links the
     * demo patients' accounts to their records there; answers username → gateway Patient id.
     */
    public static Map<String, String> provisionFor(int gatewayPort) {
        return provisionFor(gatewayPort, REALM);
    }

    /** The same, with the demo realm changed (e.g. its portal's token lifespan); the next plain provisioning restores it. */
    public static Map<String, String> provisionFor(int gatewayPort, RealmDescription realm) {
        String root = "http://localhost:" + gatewayPort;
        try (Keycloak admin = server().admin()) {
            new RealmProvisioning(admin).provision(realm, List.of(root));
            return PatientAccountLinks.link(admin, REALM, root + "/fhir", PatientAccountLinks.operatorToken(REALM, issuer())).stream()
                    .filter(link -> link.patientId().isPresent())
                    .collect(Collectors.toMap(PatientAccountLinks.Link::username, link -> link.patientId().get()));
        }
    }

    public static String institution(String code, String scope) {
        RealmDescription.Institution institution = REALM.institutions().stream().filter(i -> i.code().equals(code)).findFirst().orElseThrow();
        return TokenClient.ofIssuer(issuer()).clientCredentials(institution.clientId(), institution.secret(), scope);
    }

    public static String insurer(String number, String scope) {
        RealmDescription.Insurer insurer = REALM.insurers().stream().filter(i -> i.number().equals(number)).findFirst().orElseThrow();
        return TokenClient.ofIssuer(issuer()).clientCredentials(insurer.clientId(), insurer.secret(), scope);
    }

    public static String operator(String scope) {
        RealmDescription.Operator operator = REALM.operators().get(0);
        return TokenClient.ofIssuer(issuer()).clientCredentials(operator.clientId(), operator.secret(), scope);
    }

    /** A demo patient's token response from the standalone launch (authorization code + PKCE) through the gateway. */
    public static JsonNode patientSignIn(int gatewayPort, String username, String scope) {
        RealmDescription.PatientAccount account = REALM.patients().stream().filter(p -> p.username().equals(username)).findFirst().orElseThrow();
        String root = "http://localhost:" + gatewayPort;
        return PatientSignIn.signIn(root + "/fhir", new PatientSignIn.App(REALM.portal().clientId(), root + "/portal/", scope),
                username, account.password());
    }
}
