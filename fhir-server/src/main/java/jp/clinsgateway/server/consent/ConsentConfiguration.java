package jp.clinsgateway.server.consent;

import jp.clinsgateway.consent.AccessPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
public class ConsentConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ConsentConfiguration.class);

    /** The one policy decision point; only the enforcement adapter ({@code server.access}) asks it. */
    @Bean
    public AccessPolicy accessPolicy(ConsentProperties properties) {
        if (!properties.enforcementEnabled()) {
            log.warn("CONSENT ENFORCEMENT IS OFF (gateway.consent.enforcement-enabled=false): every identified caller reads every record. Benchmarks only.");
        }
        if (!properties.consentProofRequired()) {
            log.warn("Institutions may record consents without the patient's one-time code (gateway.consent.consent-proof-required=false). Development only.");
        }
        return new AccessPolicy(properties.policySettings());
    }

    /** The gateway's one clock: time-limited rules (emergency windows), retention and oversight are judged by it; tests put in their own. */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean
    public java.time.Clock clock() {
        return java.time.Clock.systemUTC();
    }
}
