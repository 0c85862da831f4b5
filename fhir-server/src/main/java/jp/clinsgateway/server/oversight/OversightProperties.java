package jp.clinsgateway.server.oversight;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The thresholds of the unusual-access signals ({@code gateway.oversight.*}).
 *
 * @param manyPatients        how many different patients one caller reads within {@link #manyPatientsWithin} to be a signal
 * @param manyPatientsWithin  the sliding window of {@link #manyPatients}
 * @param refusals            how many refused accesses by one caller within {@link #refusalsWithin} make a burst
 * @param refusalsWithin      the sliding window of {@link #refusals}
 * @param unrelatedPatients   how many different patients an institution reaches with no consent or relation to be a signal
 * @param defaultPeriod       the period looked at when the operator names none (ending now)
 * @param maximumPeriod       the longest period one request may look at (the log is read whole for it)
 */
@ConfigurationProperties(prefix = "gateway.oversight")
public record OversightProperties(@DefaultValue("30") int manyPatients,
                                  @DefaultValue("PT1H") Duration manyPatientsWithin,
                                  @DefaultValue("10") int refusals,
                                  @DefaultValue("PT10M") Duration refusalsWithin,
                                  @DefaultValue("1") int unrelatedPatients,
                                  @DefaultValue("P1D") Duration defaultPeriod,
                                  @DefaultValue("P31D") Duration maximumPeriod) {
}
