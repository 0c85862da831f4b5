package jp.clinsgateway.server.storage;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.entity.StorageSettings;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.cfg.AvailableSettings;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

import javax.sql.DataSource;
import java.util.HashMap;
import java.util.Map;

/**
 * HAPI's JPA storage on the configured database: the embedded H2 file database by default,
 * PostgreSQL in production (standard {@code spring.datasource.*} properties).
 */
@Configuration
// Batch2: HAPI's job framework, which re-indexes stored data when a search parameter changes.
@Import({JpaR4Config.class, HapiJpaConfig.class, ThreadPoolFactoryConfig.class, JpaBatch2Config.class, Batch2JobsConfig.class})
public class StorageConfiguration {

    @Bean
    public JpaStorageSettings jpaStorageSettings() {
        JpaStorageSettings settings = new JpaStorageSettings();
        // Submissions replace items by business identifier; clients never choose server ids.
        settings.setResourceClientIdStrategy(JpaStorageSettings.ClientIdStrategyEnum.ALPHANUMERIC);
        settings.setResourceServerIdStrategy(JpaStorageSettings.IdStrategyEnum.SEQUENTIAL_NUMERIC);
        settings.setAllowExternalReferences(false);
        settings.setAutoCreatePlaceholderReferenceTargets(false);
        settings.setEnforceReferentialIntegrityOnWrite(true);
        settings.setEnforceReferentialIntegrityOnDelete(false);
        settings.setIndexMissingFields(StorageSettings.IndexEnabledEnum.DISABLED);
        settings.setDeleteExpungeEnabled(false);
        settings.setExpungeEnabled(false);
        settings.setAllowMultipleDelete(false);
        // Searches must give exact totals and stable paging.
        settings.setDefaultTotalMode(ca.uhn.fhir.rest.api.SearchTotalModeEnum.ACCURATE);
        settings.setReuseCachedSearchResultsForMillis(null);
        settings.setFetchSizeDefaultMaximum(10_000);
        settings.setMarkResourcesForReindexingUponSearchParameterChange(true);
        settings.setAdvancedHSearchIndexing(false);
        return settings;
    }

    @Bean
    public PartitionSettings partitionSettings() {
        return new PartitionSettings();
    }

    @Bean
    public DatabaseDialect databaseDialect(DataSourceProperties dataSourceProperties) {
        return DatabaseDialect.forJdbcUrl(dataSourceProperties.determineUrl());
    }

    @Primary
    @Bean
    public LocalContainerEntityManagerFactoryBean entityManagerFactory(
            ConfigurableListableBeanFactory beanFactory,
            FhirContext fhirContext,
            JpaStorageSettings storageSettings,
            DataSource dataSource,
            DatabaseDialect dialect,
            StorageProperties storageProperties,
            StartingNode startingNode) {
        startingNode.begin();
        if (storageProperties.migrateSchema()) {
            SchemaMigration.migrate(dataSource, dialect);
        }
        LocalContainerEntityManagerFactoryBean factory =
                HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
        Map<String, Object> jpa = new HashMap<>();
        jpa.put(AvailableSettings.DIALECT, dialect.hibernateDialect());
        jpa.put(AvailableSettings.HBM2DDL_AUTO, "none");
        jpa.put(AvailableSettings.SCANNER, "org.hibernate.boot.archive.scan.internal.DisabledScanner");
        jpa.put(AvailableSettings.IMPLICIT_NAMING_STRATEGY,
                "org.springframework.boot.orm.jpa.hibernate.SpringImplicitNamingStrategy");
        jpa.put(AvailableSettings.PHYSICAL_NAMING_STRATEGY,
                "org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy");
        jpa.put(AvailableSettings.STATEMENT_BATCH_SIZE, "20");
        jpa.put(AvailableSettings.USE_QUERY_CACHE, "false");
        jpa.put(AvailableSettings.USE_SECOND_LEVEL_CACHE, "false");
        jpa.put(AvailableSettings.USE_STRUCTURED_CACHE, "false");
        jpa.put(AvailableSettings.USE_MINIMAL_PUTS, "false");
        jpa.put("hibernate.search.enabled", "false");
        factory.setPersistenceUnitName("HAPI_PU");
        factory.setJpaPropertyMap(jpa);
        factory.setDataSource(dataSource);
        return factory;
    }

    @Primary
    @Bean
    public JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        return new JpaTransactionManager(entityManagerFactory);
    }
}
