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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One real Keycloak for the test JVM (started on first use in {@code target/keycloak}, stopped
 * when the JVM ends), holding the demo realm; and the tokens its clients and patients get.
 */
public final class TestKeycloak {

    public static final RealmDescription REALM = RealmDescription.demo();
    /**
     * The portal as also served from an origin of its own (a CDN), registered in the realm beside the gateway's root:
     * the browser origin the gateway's token endpoint answers with CORS ({@code gateway.identity.web-origins}).
     */
    public static final String PORTAL_ELSEWHERE = "https://portal.example.org";
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
     * Provisions the demo realm for a gateway on this port (its portal redirect URIs and web origins, its FHIR base in
     * every token's {@code aud}) and links the demo patients' accounts to their records there; answers username →
     * gateway Patient id.
     */
    public static Map<String, String> provisionFor(int gatewayPort) {
        return provisionFor(gatewayPort, REALM);
    }

    /** The same, with the demo realm changed (e.g. its portal's token lifespan); the next plain provisioning restores it. */
    public static Map<String, String> provisionFor(int gatewayPort, RealmDescription realm) {
        String root = "http://localhost:" + gatewayPort;
        try (Keycloak admin = server().admin()) {
            new RealmProvisioning(admin).provision(realm, List.of(root, PORTAL_ELSEWHERE), List.of(fhirBase(gatewayPort)));
            return PatientAccountLinks.link(admin, REALM, root + "/fhir", PatientAccountLinks.operatorToken(REALM, issuer())).stream()
                    .filter(link -> link.patientId().isPresent())
                    .collect(Collectors.toMap(PatientAccountLinks.Link::username, link -> link.patientId().get()));
        }
    }

    /** The gateway's FHIR base as its clients in these tests reach it. */
    public static String fhirBase(int gatewayPort) {
        return "http://localhost:" + gatewayPort + "/fhir";
    }

    /**
     * Provisions the demo realm with these institution clients besides (a test's own, e.g. with keys it
     * generated), for a gateway on this port. Provisioning converges: a client declared again with another
     * authentication is changed to it.
     */
    public static void provisionWith(int gatewayPort, List<RealmDescription.Institution> more) {
        List<RealmDescription.Institution> institutions = new ArrayList<>(REALM.institutions());
        institutions.addAll(more);
        RealmDescription described = new RealmDescription(REALM.realm(), REALM.displayName(), REALM.audience(), REALM.operatorRole(),
                REALM.tokenLifespanSeconds(), REALM.portal(), REALM.scopes(), institutions, REALM.insurers(), REALM.operators(),
                REALM.patients(), REALM.gatewaySecret()).validated();
        try (Keycloak admin = server().admin()) {
            new RealmProvisioning(admin).provision(described, List.of("http://localhost:" + gatewayPort, PORTAL_ELSEWHERE),
                    List.of(fhirBase(gatewayPort)));
        }
    }

    /** Keycloak's token URL for the realm: what a client assertion names in {@code aud}. */
    public static String tokenUrl() {
        return TokenClient.ofIssuer(issuer()).endpoint();
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
        return patientAuthorization(gatewayPort, username, scope).exchange();
    }

    /** The same launch up to the code the patient's browser brings back, not yet exchanged. */
    public static PatientSignIn.Authorization patientAuthorization(int gatewayPort, String username, String scope) {
        RealmDescription.PatientAccount account = REALM.patients().stream().filter(p -> p.username().equals(username)).findFirst().orElseThrow();
        return PatientSignIn.authorize(fhirBase(gatewayPort), portal(gatewayPort, scope), username, account.password());
    }

    /** The portal's registration, as an app asking for these scopes. */
    public static PatientSignIn.App portal(int gatewayPort, String scope) {
        return new PatientSignIn.App(REALM.portal().clientId(), "http://localhost:" + gatewayPort + "/portal/", scope);
    }
}
