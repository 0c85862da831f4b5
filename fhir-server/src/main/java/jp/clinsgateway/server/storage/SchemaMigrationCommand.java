package jp.clinsgateway.server.storage;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import javax.sql.DataSource;

/**
 * {@code java -jar gateway.jar migrate}: brings the database schema up to date and exits, for deployments
 * that run the gateway nodes with {@code gateway.storage.migrate-schema=false} after one migration step.
 * It reads the same configuration as the gateway (application.yaml, {@code SPRING_DATASOURCE_*}, imported
 * secret files) but starts only the data source: no web server, validator or HAPI.
 */
@ImportAutoConfiguration(DataSourceAutoConfiguration.class)
public class SchemaMigrationCommand {

    /** The first argument, {@code migrate}, selects this command; the rest are Spring arguments such as {@code --spring.datasource.url=...}. */
    public static final String NAME = "migrate";

    public static void run(String... springArguments) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SchemaMigrationCommand.class)
                .web(WebApplicationType.NONE)
                .run(springArguments)) {
            DataSourceProperties properties = context.getBean(DataSourceProperties.class);
            SchemaMigration.migrate(context.getBean(DataSource.class), DatabaseDialect.forJdbcUrl(properties.determineUrl()));
        }
    }
}
