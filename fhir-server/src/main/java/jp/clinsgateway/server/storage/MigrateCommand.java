package jp.clinsgateway.server.storage;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;

/**
 * {@code java -jar fhir-server.jar migrate}: the schema migration alone, as a DBA's step before
 * starting nodes with {@code gateway.storage.migrate-schema=false}. The same tasks, tables and lock
 * as a node's start-up migration, on the same {@code spring.datasource.*} settings; no server starts.
 */
public final class MigrateCommand {

    public static final String NAME = "migrate";

    @Configuration
    @ImportAutoConfiguration(DataSourceAutoConfiguration.class)
    static class DatabaseOnly {
    }

    private MigrateCommand() {
    }

    public static void run(String[] args) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(DatabaseOnly.class)
                .web(WebApplicationType.NONE).run(args)) {
            DatabaseDialect dialect = DatabaseDialect.forJdbcUrl(context.getBean(DataSourceProperties.class).determineUrl());
            SchemaMigration.migrate(context.getBean(DataSource.class), dialect);
        }
    }
}
