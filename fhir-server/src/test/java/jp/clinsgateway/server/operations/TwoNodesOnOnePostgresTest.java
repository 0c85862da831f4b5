package jp.clinsgateway.server.operations;

import jp.clinsgateway.server.GatewayApplication;
import jp.clinsgateway.server.support.ClinsBundleBuilder;
import jp.clinsgateway.server.support.ConsentBuilder;
import jp.clinsgateway.server.support.EmbeddedPostgresInitializer;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.RoundRobinProxy;
import jp.clinsgateway.server.support.TestPatient;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static jp.clinsgateway.server.support.Institutions.OSAKA_CLINIC;
import static jp.clinsgateway.server.support.Institutions.TOKYO_CENTRAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Two gateway nodes on one PostgreSQL database, as behind a load balancer: started at the same
 * moment on an empty database (migration, search parameters and demo data under the database lock),
 * both become ready and serve. Behind one address (a round-robin proxy: each request to the other node)
 * a consent revoked through one node governs the very next request, which the other node answers.
 */
class TwoNodesOnOnePostgresTest {

    private static List<ConfigurableApplicationContext> nodes;
    private static RoundRobinProxy oneAddress;
    private static String jdbcUrl;

    @BeforeAll
    static void twoNodesStartAtOnceOnAnEmptyDatabase() {
        String database = "nodes_" + UUID.randomUUID().toString().replace("-", "");
        var postgres = EmbeddedPostgresInitializer.server();
        new JdbcTemplate(postgres.getPostgresDatabase()).execute("create database " + database + " encoding 'UTF8'");
        jdbcUrl = postgres.getJdbcUrl("postgres", database);
        CountDownLatch together = new CountDownLatch(1);
        List<CompletableFuture<ConfigurableApplicationContext>> starting = List.of(start(together), start(together));
        together.countDown();
        nodes = starting.stream().map(CompletableFuture::join).toList();
        oneAddress = RoundRobinProxy.inFrontOf(List.of(port(0), port(1)));
    }

    private static CompletableFuture<ConfigurableApplicationContext> start(CountDownLatch together) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                together.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            // Arguments, not default properties: those rank below application.yaml.
            return new SpringApplicationBuilder(GatewayApplication.class)
                    .run("--server.port=0", "--management.server.port=0", "--gateway.startup.demo-data=true",
                            "--spring.datasource.url=" + jdbcUrl, "--spring.datasource.username=postgres",
                            "--spring.datasource.password=postgres", "--gateway.identity.development-header-enabled=true");
        });
    }

    @AfterAll
    static void stop() {
        if (oneAddress != null) {
            oneAddress.close();
        }
        if (nodes != null) {
            nodes.forEach(ConfigurableApplicationContext::close);
        }
    }

    private static FhirHttp node(int index) {
        return new FhirHttp(port(index));
    }

    private static int port(int index) {
        return ((WebServerApplicationContext) nodes.get(index)).getWebServer().getPort();
    }

    @Test
    void bothNodesAreReadyAndServeTheDemoDataLoadedOnce() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port(i) + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready::body);
        }
        int patients = node(0).asInstitution(TOKYO_CENTRAL).get("Patient?_summary=count").resource(Bundle.class).getTotal();
        assertEquals(patients, node(1).asInstitution(TOKYO_CENTRAL).get("Patient?_summary=count").resource(Bundle.class).getTotal());
        // Each task's version recorded once (the migration table's own first row aside).
        java.util.List<String> ran = new JdbcTemplate(nodes.get(0).getBean(javax.sql.DataSource.class))
                .queryForList("select version from \"GATEWAY_MIGRATION\" where success = true", String.class);
        for (ca.uhn.fhir.jpa.migrate.taskdef.BaseTask task : jp.clinsgateway.server.storage.GatewayMigrationTasks.all()) {
            assertEquals(1, java.util.Collections.frequency(ran, task.getMigrationVersion()), "each migration ran once: " + task.getMigrationVersion());
        }
        Integer demoSubmissions = new JdbcTemplate(nodes.get(0).getBean(javax.sql.DataSource.class))
                .queryForObject("select count(*) from hfj_resource where res_type = 'Patient'", Integer.class);
        assertEquals(patients, demoSubmissions, "the demo patients exist once, not once per node");
    }

    @Test
    void aConsentRevokedThroughOneNodeGovernsTheNextRequestWhichTheOtherAnswers() {
        FhirHttp gateway = new FhirHttp(oneAddress.port());
        TestPatient person = TestPatient.aPatient();
        FhirHttp.Response submitted = gateway.submit(TOKYO_CENTRAL, ClinsBundleBuilder.labResults().forPatient(person).withItems("L1", "L2").build());
        assertEquals(200, submitted.status(), submitted::toString);
        String patient = submitted.resource(Bundle.class).getEntry().stream().map(e -> e.getResponse().getLocation())
                .filter(l -> l.startsWith("Patient/")).map(l -> l.replaceAll("/_history/.*", "")).findFirst().orElseThrow();
        TestPatient bystander = TestPatient.aPatient();
        String other = gateway.submit(TOKYO_CENTRAL, ClinsBundleBuilder.labResults().forPatient(bystander).withItems("B1").build())
                .resource(Bundle.class).getEntry().stream().map(e -> e.getResponse().getLocation())
                .filter(l -> l.startsWith("Patient/")).map(l -> l.replaceAll("/_history/.*", "")).findFirst().orElseThrow();
        FhirHttp.Response otherConsent = gateway.asPatient(other).create(ConsentBuilder.permit().to(OSAKA_CLINIC).forPatient(other).build());
        assertEquals(201, otherConsent.status(), otherConsent::toString);

        FhirHttp.Response given = gateway.asPatient(patient).create(ConsentBuilder.permit().to(OSAKA_CLINIC).forPatient(patient).build());
        assertEquals(201, given.status(), given::toString);
        int consentedOn = oneAddress.lastNode();
        FhirHttp osaka = gateway.asInstitution(OSAKA_CLINIC);
        assertEquals(2, osaka.get("Observation?patient=" + patient).resource(Bundle.class).getTotal());
        assertNotEquals(consentedOn, oneAddress.lastNode(), "the consent given on one node, read on the other");
        JdbcTemplate database = new JdbcTemplate(nodes.get(0).getBean(javax.sql.DataSource.class));
        long bystanderRevision = revision(database, other);

        Consent consent = given.resource(Consent.class);
        consent.setStatus(Consent.ConsentState.INACTIVE);
        FhirHttp.Response revoked = gateway.asPatient(patient).update(consent);
        assertEquals(200, revoked.status(), revoked::toString);
        int revokedOn = oneAddress.lastNode();
        assertEquals(0, osaka.get("Observation?patient=" + patient).resource(Bundle.class).getTotal(),
                "the revocation governs the very next request");
        assertNotEquals(revokedOn, oneAddress.lastNode(), "the very next request was answered by the other node");
        assertEquals(bystanderRevision, revision(database, other), "another patient's consents stay as they were remembered");
        assertEquals(1, osaka.get("Observation?patient=" + other).resource(Bundle.class).getTotal());
        assertEquals(java.util.Set.of(0, 1), java.util.Set.copyOf(oneAddress.answeredBy()), "both nodes answered through the one address");
    }

    @Test
    void aNewCheckupReportIsNotifiedOncePerSubscriptionThoughBothNodesDrainTheOutbox() {
        String insurer = "37" + String.format("%06d", java.util.concurrent.ThreadLocalRandom.current().nextInt(1_000_000));
        try (jp.clinsgateway.server.notification.HookReceiver receiver = new jp.clinsgateway.server.notification.HookReceiver()) {
            org.hl7.fhir.r4.model.Subscription subscription = new org.hl7.fhir.r4.model.Subscription();
            subscription.setStatus(org.hl7.fhir.r4.model.Subscription.SubscriptionStatus.REQUESTED)
                    .setCriteria("DocumentReference?category=checkup-report")
                    .getChannel().setType(org.hl7.fhir.r4.model.Subscription.SubscriptionChannelType.RESTHOOK)
                    .setEndpoint(receiver.endpoint("/" + insurer));
            FhirHttp.Response created = node(0).asInsurer(insurer).create(subscription);
            assertEquals(201, created.status(), created::toString);
            int reports = 6;
            for (int i = 0; i < reports; i++) {
                TestPatient p = TestPatient.aPatient();
                TestPatient member = new TestPatient(insurer + p.memberId().substring(8), p.family(), p.given());
                // alternate nodes: each wakes its own drain at once, and both poll the one outbox
                FhirHttp.Response submitted = node(i % 2).submit(TOKYO_CENTRAL,
                        jp.clinsgateway.server.support.DocumentBuilder.checkupReport().forPatient(member).build());
                assertEquals(200, submitted.status(), submitted::toString);
            }
            JdbcTemplate database = new JdbcTemplate(nodes.get(0).getBean(javax.sql.DataSource.class));
            org.junit.jupiter.api.Assertions.assertTrue(jp.clinsgateway.server.notification.HookReceiver.within(java.time.Duration.ofSeconds(30),
                    () -> database.queryForObject("select count(*) from gateway_notification", Integer.class) == 0), "all sent");
            assertEquals(reports, receiver.at("/" + insurer).size(), "one POST per stored report, not one per node");
        }
    }

    private static long revision(JdbcTemplate database, String patient) {
        return database.queryForObject("select revision from gateway_patient_consent_revision where patient = ?", Long.class, patient);
    }
}
