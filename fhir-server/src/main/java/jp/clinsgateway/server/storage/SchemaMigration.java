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
 * Brings the database schema to the version this release needs, before Hibernate starts: HAPI's own
 * migration tasks (the same ones its CLI runs), then the gateway's ({@link GatewayMigrationTasks}),
 * each recorded in its own migration table. Nodes that start together take turns under
 * {@link DatabaseLock#SCHEMA_MIGRATION}: the first migrates, the others then find nothing to do.
 * Idempotent: an up-to-date schema costs a query per migration table. Hibernate's
 * {@code hbm2ddl=update} is not used: it cannot rename or re-type columns and leaves production
 * databases drifting from HAPI's expectations.
 */
public final class SchemaMigration {

    private static final Logger log = LoggerFactory.getLogger(SchemaMigration.class);

    private SchemaMigration() {
    }

    public static void migrate(DataSource dataSource, DatabaseDialect dialect) {
        DatabaseLock.SCHEMA_MIGRATION.holding(dataSource, dialect, () -> {
            long start = System.nanoTime();
            MigrationResult hapi = run(new HapiMigrator(SchemaMigrator.HAPI_FHIR_MIGRATION_TABLENAME, dataSource, dialect.migrationDriver()),
                    new HapiFhirJpaMigrationTasks(Set.of()).getAllTasks(VersionEnum.values()));
            MigrationResult gateway = run(new HapiMigrator(GatewayMigrationTasks.MIGRATION_TABLE, dataSource, dialect.migrationDriver()),
                    GatewayMigrationTasks.all());
            log.info("Database schema ({}) migrated in {} ms: HAPI {}; gateway {}", dialect, (System.nanoTime() - start) / 1_000_000,
                    hapi.summary(), gateway.summary());
        });
    }

    private static MigrationResult run(HapiMigrator migrator, Iterable<ca.uhn.fhir.jpa.migrate.taskdef.BaseTask> tasks) {
        migrator.createMigrationTableIfRequired();
        migrator.addTasks(tasks);
        return migrator.migrate();
    }
}
