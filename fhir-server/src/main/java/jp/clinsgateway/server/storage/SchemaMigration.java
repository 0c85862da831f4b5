package jp.clinsgateway.server.storage;

import ca.uhn.fhir.jpa.migrate.HapiMigrator;
import ca.uhn.fhir.jpa.migrate.MigrationResult;
import ca.uhn.fhir.jpa.migrate.SchemaMigrator;
import ca.uhn.fhir.jpa.migrate.tasks.HapiFhirJpaMigrationTasks;
import ca.uhn.fhir.util.VersionEnum;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.util.Set;

/**
 * Brings the database schema to the version this HAPI release needs, with HAPI's own migration
 * tasks (the same ones its CLI runs), before Hibernate starts. Idempotent: an up-to-date schema
 * costs one query. Hibernate's {@code hbm2ddl=update} is not used: it cannot rename or
 * re-type columns and leaves production databases drifting from HAPI's expectations.
 */
public final class SchemaMigration {

    private static final Logger log = LoggerFactory.getLogger(SchemaMigration.class);

    private SchemaMigration() {
    }

    public static void migrate(DataSource dataSource, DatabaseDialect dialect) {
        long start = System.nanoTime();
        HapiMigrator migrator =
                new HapiMigrator(SchemaMigrator.HAPI_FHIR_MIGRATION_TABLENAME, dataSource, dialect.migrationDriver());
        migrator.createMigrationTableIfRequired();
        migrator.addTasks(new HapiFhirJpaMigrationTasks(Set.of()).getAllTasks(VersionEnum.values()));
        MigrationResult result = migrator.migrate();
        log.info("Database schema ({}) migrated in {} ms: {}", dialect, (System.nanoTime() - start) / 1_000_000,
                result.summary());
    }
}
