package jp.clinsgateway.server.consent;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param emergencyAccessEnabled allow reads for emergency purpose without consent (recorded)
 * @param enforcementEnabled     FOR BENCHMARKS ONLY: false serves every record to every
 *                               identified caller, to measure what enforcement costs
 */
@ConfigurationProperties(prefix = "gateway.consent")
public record ConsentProperties(@DefaultValue("true") boolean emergencyAccessEnabled,
                                @DefaultValue("true") boolean enforcementEnabled) {
}
