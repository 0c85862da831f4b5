package jp.clinsgateway.server.monitoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * The gateway's own measurements, beside those Spring Boot records (HTTP server, JVM, database
 * pool): FHIR requests per interaction, consent decisions by effect and reason, access-log writes,
 * validation time. Served in Prometheus format at the management port's {@code /actuator/prometheus}.
 * Tags carry only small fixed vocabularies (never a patient, an institution or a query value).
 */
@Component
public class GatewayMeters {

    private final MeterRegistry registry;

    public GatewayMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** @param interaction HAPI's name for it ({@code read}, {@code search-type}, {@code $submit}, ...) */
    public void fhirRequest(String interaction, String resourceType, int status, Duration took) {
        Timer.builder("gateway.fhir.requests")
                .description("FHIR requests by interaction, resource type and HTTP status")
                .tag("interaction", interaction).tag("type", resourceType).tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                .register(registry).record(took);
    }

    public void consentDecision(String effect, String reason) {
        Counter.builder("gateway.consent.decisions")
                .description("Access decisions per category or resource, by effect and the policy's reason")
                .tag("effect", effect).tag("reason", reason)
                .register(registry).increment();
    }

    public void auditWrites(int entries, boolean written) {
        Counter.builder("gateway.audit.writes")
                .description("Access-log entries appended (written) or lost with a refused request (failed)")
                .tag("outcome", written ? "written" : "failed")
                .register(registry).increment(entries);
    }

    /** @param what {@code submission}, {@code validate} or {@code consent} */
    public void validation(String what, boolean valid, Duration took) {
        Timer.builder("gateway.validation")
                .description("Profile validation of submitted and written resources")
                .tag("what", what).tag("valid", Boolean.toString(valid))
                .publishPercentileHistogram()
                .register(registry).record(took);
    }
}
