package jp.clinsgateway.server.deployment;

import jp.clinsgateway.keycloak.LocalKeycloak;
import jp.clinsgateway.keycloak.PatientAccountLinks;
import jp.clinsgateway.keycloak.PatientSignIn;
import jp.clinsgateway.keycloak.RealmDescription;
import jp.clinsgateway.keycloak.RealmProvisioning;
import jp.clinsgateway.keycloak.TokenClient;
import jp.clinsgateway.server.GatewayApplication;
import jp.clinsgateway.server.support.ConsentBuilder;
import jp.clinsgateway.server.support.EmbeddedPostgresInitializer;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.RoundRobinProxy;
import jp.clinsgateway.server.support.TestKeycloak;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.keycloak.admin.client.Keycloak;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static jp.clinsgateway.server.support.Institutions.YOKOHAMA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The production configuration of docker/compose.yaml and the README, without Docker: the schema migrated by the
 * separate {@code migrate} step, two gateway nodes on one PostgreSQL database with their own migration off, and
 * Keycloak in production mode ({@code start}) on a second PostgreSQL database, the two nodes behind one address
 * (a round-robin proxy). What one node is told, the other enforces on the next request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProductionConfigurationTest {

    private static final RealmDescription REALM = TestKeycloak.REALM;
    private static final String PORTAL_SCOPES = "openid fhirUser launch/patient patient/*.rs patient/Consent.cu";

    private LocalKeycloak keycloak;
    private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();
    private RoundRobinProxy oneAddress;
    private String gatewayDatabase;
    private Map<String, String> patients;

    @BeforeAll
    void deploy() throws Exception {
        String keycloakDatabase = EmbeddedPostgresInitializer.newDatabase("keycloak_production");
        keycloak = LocalKeycloak.startOnPostgres(Path.of("target", "keycloak-production"), keycloakDatabase, "postgres", "postgres");
        gatewayDatabase = EmbeddedPostgresInitializer.newDatabase("gateway_production");

        GatewayApplication.main(new String[]{"migrate", "--spring.datasource.url=" + gatewayDatabase,
                "--spring.datasource.username=postgres", "--spring.datasource.password=postgres"});
        // The first node loads the demo records (as the operator's first import would), the second starts on them.
        nodes.add(startNode(true));
        nodes.add(startNode(false));
        oneAddress = RoundRobinProxy.inFrontOf(List.of(nodeA(), nodeB()));

        try (Keycloak admin = keycloak.admin()) {
            new RealmProvisioning(admin).provision(REALM, List.of(root(nodeA()), root(nodeB())));
            patients = PatientAccountLinks.link(admin, REALM, root(nodeA()) + "/fhir",
                            PatientAccountLinks.operatorToken(REALM, issuer())).stream()
                    .filter(link -> link.patientId().isPresent())
                    .collect(Collectors.toMap(PatientAccountLinks.Link::username, link -> "Patient/" + link.patientId().get()));
        }
    }

    @AfterAll
    void stop() {
        if (oneAddress != null) {
            oneAddress.close();
        }
        nodes.forEach(ConfigurableApplicationContext::close);
        if (keycloak != null) {
            keycloak.close();
        }
    }

    private ConfigurableApplicationContext startNode(boolean demoData) {
        return new SpringApplicationBuilder(GatewayApplication.class).run(
                "--server.port=0", "--management.server.port=0",
                "--spring.datasource.url=" + gatewayDatabase,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres",
                "--gateway.storage.migrate-schema=false",
                "--gateway.identity.issuer=" + issuer(),
                "--gateway.startup.demo-data=" + demoData);
    }

    private String issuer() {
        return keycloak.issuer(REALM.realm());
    }

    private int nodeA() {
        return port(nodes.get(0));
    }

    private int nodeB() {
        return port(nodes.get(1));
    }

    private static int port(ConfigurableApplicationContext node) {
        return Integer.parseInt(node.getEnvironment().getProperty("local.server.port"));
    }

    private static String root(int port) {
        return "http://localhost:" + port;
    }

    @Test
    void theMigrateStepAloneMadeTheSchemaBothNodesRunOn() throws Exception {
        try (Connection connection = DriverManager.getConnection(gatewayDatabase, "postgres", "postgres");
             ResultSet tables = connection.getMetaData().getTables(null, "public", null, new String[]{"TABLE"})) {
            List<String> names = new ArrayList<>();
            while (tables.next()) {
                names.add(tables.getString("TABLE_NAME").toLowerCase());
            }
            assertTrue(names.containsAll(List.of("hfj_resource", "fly_hfj_migration", "gateway_access_log")), names::toString);
        }
        for (int node : List.of(nodeA(), nodeB())) {
            assertEquals(200, new FhirHttp(node).get("metadata").status());
        }
    }

    @Test
    void aConsentGivenAndRevokedThroughOneNodeDecidesTheReadThroughTheOtherOnTheNextRequest() {
        String yoshida = patients.get("yoshida");
        // Behind the one address each request goes to the other node than the one before.
        FhirHttp yokohama = new FhirHttp(oneAddress.port()).withToken(
                TokenClient.ofIssuer(issuer()).clientCredentials(institution(YOKOHAMA).clientId(), institution(YOKOHAMA).secret(), "system/*.rs"));
        assertEquals(0, labResults(yokohama, yoshida), "no consent yet");

        FhirHttp yoshidaHerself = new FhirHttp(oneAddress.port()).withToken(patientToken(nodeA(), "yoshida"));
        FhirHttp.Response given = yoshidaHerself.create(ConsentBuilder.permit().to(YOKOHAMA).only("lab-result").forPatient(yoshida).build());
        assertEquals(201, given.status(), given::toString);
        int givenOn = oneAddress.lastNode();
        assertTrue(labResults(yokohama, yoshida) > 0, "the consent given on one node, read on the other");
        assertNotEquals(givenOn, oneAddress.lastNode());

        Consent revoked = given.resource(Consent.class);
        revoked.setStatus(Consent.ConsentState.INACTIVE);
        assertEquals(200, yoshidaHerself.update(revoked).status());
        int revokedOn = oneAddress.lastNode();
        assertEquals(0, labResults(yokohama, yoshida), "revoked on one node: refused on the other on the next request");
        assertNotEquals(revokedOn, oneAddress.lastNode());
    }

    private static int labResults(FhirHttp reader, String patient) {
        FhirHttp.Response response = reader.get("Observation?patient=" + patient);
        assertEquals(200, response.status(), response::toString);
        return response.resource(Bundle.class).getTotal();
    }

    private static RealmDescription.Institution institution(String code) {
        return REALM.institutions().stream().filter(i -> i.code().equals(code)).findFirst().orElseThrow();
    }

    private static String patientToken(int node, String username) {
        RealmDescription.PatientAccount account = REALM.patients().stream().filter(p -> p.username().equals(username)).findFirst().orElseThrow();
        return PatientSignIn.signIn(root(node) + "/fhir", new PatientSignIn.App(REALM.portal().clientId(), root(node) + "/portal/", PORTAL_SCOPES),
                username, account.password()).get("access_token").asText();
    }
}
