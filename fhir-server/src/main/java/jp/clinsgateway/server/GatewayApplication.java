package jp.clinsgateway.server;

import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import jp.clinsgateway.server.storage.MigrateCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.data.jpa.JpaRepositoriesAutoConfiguration;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;
import org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration;
import org.springframework.boot.autoconfigure.thymeleaf.ThymeleafAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

import java.util.Arrays;

/**
 * The consent and medical-information sharing gateway: a HAPI FHIR JPA server (R4) that accepts
 * JP-CLINS submissions, keeps one patient across institutions and serves what the patient's
 * consent allows. {@code java -jar gateway.jar migrate} only migrates the database schema and exits
 * ({@link SchemaMigrationCommand}).
 */
@SpringBootApplication(exclude = {
        HibernateJpaAutoConfiguration.class,
        JpaRepositoriesAutoConfiguration.class,
        FlywayAutoConfiguration.class,
        ElasticsearchRestClientAutoConfiguration.class,
        QuartzAutoConfiguration.class,
        ThymeleafAutoConfiguration.class})
@ConfigurationPropertiesScan
// HAPI's JPA configuration needs the subscription channel beans even with subscriptions off.
@Import(SubscriptionChannelConfig.class)
public class GatewayApplication {

    public static void main(String[] args) {
        if (args.length > 0 && MigrateCommand.NAME.equals(args[0])) {
            MigrateCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        SpringApplication.run(GatewayApplication.class, args);
    }
}
