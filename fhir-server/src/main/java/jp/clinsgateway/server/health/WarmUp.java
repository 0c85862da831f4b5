package jp.clinsgateway.server.health;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Whether the gateway has finished warming up (schema migrated, search parameters installed,
 * validator warm, demo data loaded): part of the readiness probe, and what keeps the FHIR API
 * closed until then.
 */
@Component("warmUp")
public class WarmUp implements HealthIndicator {

    private volatile boolean warm;

    public void done() {
        warm = true;
    }

    public boolean isWarm() {
        return warm;
    }

    @Override
    public Health health() {
        return warm ? Health.up().build() : Health.outOfService().withDetail("warming", "search parameters, validator, demo data").build();
    }
}
