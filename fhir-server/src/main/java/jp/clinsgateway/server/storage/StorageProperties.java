package jp.clinsgateway.server.storage;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param migrateSchema run the schema migrations (HAPI's and the gateway's, see {@link SchemaMigration}) at
 *                      start-up; turn off where a DBA runs them separately ({@code java -jar ... migrate})
 */
@ConfigurationProperties(prefix = "gateway.storage")
public record StorageProperties(@DefaultValue("true") boolean migrateSchema) {
}
