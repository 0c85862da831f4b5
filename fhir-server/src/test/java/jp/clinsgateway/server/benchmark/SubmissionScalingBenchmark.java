package jp.clinsgateway.server.benchmark;

import jp.clinsgateway.server.support.ClinsBundleBuilder;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.GatewayOnPostgres;
import jp.clinsgateway.server.support.GatewayTest;
import jp.clinsgateway.server.support.TestPatient;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.test.context.TestPropertySource;

import jp.clinsgateway.server.identity.DevelopmentIdentityHeader;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.IntStream;

import static jp.clinsgateway.server.support.Institutions.TOKYO_CENTRAL;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How the time to store one CLINS Bundle grows with its item count, on PostgreSQL: a new patient
 * per size (create), then the same report sent again (replace). Prints the figures; a benchmark,
 * not part of the suite: {@code mvn -pl fhir-server test -Dtest=SubmissionScalingBenchmark -Dbenchmark=true
 * [-Dbenchmark.sizes=100,400,800]}.
 */
@GatewayOnPostgres
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
@TestPropertySource(properties = "gateway.web.max-request-size=12MB")
class SubmissionScalingBenchmark extends GatewayTest {

    @Test
    void timePerItemCount() {
        // Warm the validator and the database first.
        fhir.submit(TOKYO_CENTRAL, ClinsBundleBuilder.diagnoses().forPatient(TestPatient.aPatient()).withItems("W1", "W2").build());
        for (String size : System.getProperty("benchmark.sizes", "100,400,800").split(",")) {
            int n = Integer.parseInt(size.strip());
            TestPatient patient = TestPatient.aPatient();
            String[] ids = IntStream.range(0, n).mapToObj(i -> "S" + i).toArray(String[]::new);
            Bundle bundle = ClinsBundleBuilder.diagnoses().forPatient(patient).withItems(ids).asReport("bench-" + n).build();
            String json = FhirHttp.FHIR.newJsonParser().encodeResourceToString(bundle);
            long created = timed(json);
            System.out.printf("BENCHMARK items=%d create=%d ms%n", n, created);
            long replaced = timed(json);
            System.out.flush();
            System.out.printf("BENCHMARK items=%d bytes=%d create=%d ms (%.1f ms/item) resend=%d ms (%.1f ms/item)%n",
                    n, json.length(), created, (double) created / n, replaced, (double) replaced / n);
        }
    }

    private long timed(String json) {
        long start = System.nanoTime();
        // Without FhirHttp's two-minute timeout: the point is to see how long a large Bundle takes.
        HttpRequest request = HttpRequest.newBuilder(URI.create(fhir.base() + "$submit")).timeout(Duration.ofHours(1))
                .header("Content-Type", "application/fhir+json").header(DevelopmentIdentityHeader.HEADER, TOKYO_CENTRAL)
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(200, response.statusCode(), () -> response.body().substring(0, Math.min(2000, response.body().length())));
            return ms;
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
