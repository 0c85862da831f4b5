package jp.clinsgateway.server.operations;

import jp.clinsgateway.server.GatewayApplication;
import jp.clinsgateway.server.support.ClinsBundleBuilder;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.TestPatient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static jp.clinsgateway.server.support.Institutions.TOKYO_CENTRAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a load balancer and an operator see of a gateway from the moment it listens: alive but not
 * ready while it warms (the FHIR API answering 503 with Retry-After), then ready; every answer with
 * a request id; metrics in Prometheus format on the management port.
 */
class TheGatewayWarmsUpBehindItsProbesTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aWarmingGatewayIsAliveButNotReadyThenServesWithRequestIdsAndMetrics() throws Exception {
        ConcurrentHashMap<String, Integer> ports = new ConcurrentHashMap<>();
        ApplicationListener<WebServerInitializedEvent> listening = event ->
                ports.put(event.getApplicationContext().getServerNamespace() == null ? "server" : event.getApplicationContext().getServerNamespace(),
                        event.getWebServer().getPort());
        CompletableFuture<ConfigurableApplicationContext> starting = CompletableFuture.supplyAsync(() ->
                // Arguments, not default properties: those rank below application.yaml.
                new SpringApplicationBuilder(GatewayApplication.class)
                        .listeners(listening)
                        .run("--server.port=0", "--management.server.port=0", "--gateway.startup.demo-data=true",
                                "--GATEWAY_DATA_DIR=./target/test-h2/warm-" + UUID.randomUUID(),
                                "--gateway.identity.development-header-enabled=true"));
        // A busy machine (shared cores) takes minutes to open the port.
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
        while (!ports.containsKey("server") && !starting.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(ports.containsKey("server"), "the web server listens before the gateway is warm");
        int port = ports.get("server");
        try (ConfigurableApplicationContext gateway = warmingObserved(port, starting)) {
            assertEquals(200, get(port, "/readyz").statusCode());
            assertEquals(200, get(port, "/livez").statusCode());
            HttpResponse<String> metadata = get(port, "/fhir/metadata");
            assertEquals(200, metadata.statusCode());
            assertTrue(metadata.headers().firstValue("X-Request-Id").isPresent(), "a generated request id");
            HttpResponse<String> named = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/fhir/metadata"))
                    .header("X-Request-Id", "lb-1234.abc").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("lb-1234.abc", named.headers().firstValue("X-Request-Id").orElseThrow(), "a well-formed id is kept");
            HttpResponse<String> forged = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/fhir/metadata"))
                    .header("X-Request-Id", "x\"; drop").build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(!forged.headers().firstValue("X-Request-Id").orElseThrow().contains("drop"), "anything else is replaced");

            FhirHttp.Response submitted = new FhirHttp(port).submit(TOKYO_CENTRAL,
                    ClinsBundleBuilder.labResults().forPatient(TestPatient.aPatient()).withItems("L1").build());
            assertEquals(200, submitted.status(), submitted::toString);
            int management = ports.get("management");
            assertEquals(404, get(port, "/actuator/prometheus").statusCode(), "metrics are not on the public port");
            String metrics = get(management, "/actuator/prometheus").body();
            for (String meter : new String[]{"gateway_fhir_requests_seconds_count{", "interaction=\"$submit\"",
                    "gateway_validation_seconds_count{", "hikaricp_connections_active", "http_server_requests_seconds"}) {
                assertTrue(metrics.contains(meter), meter + " in\n" + metrics.lines().filter(l -> l.startsWith("gateway")).toList());
            }
        }
    }

    /** Asks the probes and the API while the gateway warms; answers the started gateway. */
    private ConfigurableApplicationContext warmingObserved(int port, CompletableFuture<ConfigurableApplicationContext> starting) throws Exception {
        boolean seenWarming = false;
        while (!starting.isDone()) {
            HttpResponse<String> ready = get(port, "/readyz");
            HttpResponse<String> api = get(port, "/fhir/metadata");
            if (starting.isDone()) {
                break;
            }
            if (api.statusCode() == 503) {
                assertEquals(503, ready.statusCode(), "not ready while the API is closed");
                assertEquals(200, get(port, "/livez").statusCode(), "alive while warming");
                assertTrue(api.headers().firstValue("Retry-After").isPresent(), "503 says when to come back");
                assertTrue(api.body().contains("OperationOutcome"), api.body());
                seenWarming = true;
            }
            Thread.sleep(200);
        }
        assertTrue(seenWarming, "the probes answered while the gateway warmed");
        return starting.join();
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
