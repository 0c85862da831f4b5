package jp.clinsgateway.server.notification;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How insurers' subscriptions are delivered ({@code gateway.notification.*}). The endpoint is a request
 * the insurer makes the gateway send, so where it may go is the operator's decision, not the insurer's.
 *
 * @param enabled              deliver notifications (subscriptions are still kept when off)
 * @param endpointHosts        per insurer number, the hosts the operator registered for its endpoint; outside
 *                             development an insurer without an entry cannot subscribe
 * @param developmentEndpoints DEVELOPMENT AND TESTS ONLY: any insurer may name any host, and {@code http} to a
 *                             loopback address is allowed; follows {@code gateway.identity.development-header-enabled}
 *                             unless set
 * @param connectTimeout       to open the connection to the endpoint
 * @param responseTimeout      for the endpoint's answer
 * @param maxAttempts          attempts per notification before the subscription is set to {@code error}
 * @param firstRetry           wait before the second attempt; each further one waits twice as long
 * @param pollInterval         how often each node looks for due notifications (a stored report also wakes it)
 * @param claimFor             how long a node holds a notification it is delivering before another may take it
 * @param perInsurer           subscriptions an insurer may hold
 */
@ConfigurationProperties(prefix = "gateway.notification")
public record NotificationProperties(@DefaultValue("true") boolean enabled,
                                     Map<String, List<String>> endpointHosts,
                                     @DefaultValue("false") boolean developmentEndpoints,
                                     @DefaultValue("PT2S") Duration connectTimeout,
                                     @DefaultValue("PT5S") Duration responseTimeout,
                                     @DefaultValue("5") int maxAttempts,
                                     @DefaultValue("PT10S") Duration firstRetry,
                                     @DefaultValue("PT2S") Duration pollInterval,
                                     @DefaultValue("PT1M") Duration claimFor,
                                     @DefaultValue("10") int perInsurer) {

    public NotificationProperties {
        endpointHosts = endpointHosts == null ? Map.of() : Map.copyOf(endpointHosts);
    }

    /** The wait before attempt {@code attempt + 1}, after {@code attempt} failed ones. */
    Duration retryAfter(int attempt) {
        return firstRetry.multipliedBy(1L << Math.min(20, Math.max(0, attempt - 1)));
    }
}
