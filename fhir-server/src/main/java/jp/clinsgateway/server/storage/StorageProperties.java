package jp.clinsgateway.server.storage;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param migrateSchema run HAPI's schema migration at start-up (turn off where a DBA runs
 *                      the migration tool separately)
 */
@ConfigurationProperties(prefix = "gateway.storage")
public record StorageProperties(@DefaultValue("true") boolean migrateSchema) {
}
