package jp.clinsgateway.server.retention;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The daily retention run is scheduled; records are judged at the gateway's one {@code Clock} (ConsentConfiguration). */
@Configuration
@EnableScheduling
public class RetentionConfiguration {
}
