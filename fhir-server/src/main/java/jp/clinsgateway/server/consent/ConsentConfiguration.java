package jp.clinsgateway.server.consent;

import jp.clinsgateway.consent.ConsentEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
public class ConsentConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ConsentConfiguration.class);

    @Bean
    public ConsentEngine consentEngine(ConsentProperties properties) {
        if (!properties.enforcementEnabled()) {
            log.warn("CONSENT ENFORCEMENT IS OFF (gateway.consent.enforcement-enabled=false): every identified caller reads every record. Benchmarks only.");
        }
        return new ConsentEngine(properties.emergencyAccessEnabled());
    }
}
