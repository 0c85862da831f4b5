package jp.clinsgateway.server.storage;

import ca.uhn.fhir.jpa.migrate.DriverTypeEnum;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect;

/** The two databases the gateway runs on, recognised from the JDBC URL. */
public enum DatabaseDialect {
    H2(HapiFhirH2Dialect.class.getName(), DriverTypeEnum.H2_EMBEDDED),
    POSTGRESQL(HapiFhirPostgresDialect.class.getName(), DriverTypeEnum.POSTGRES_9_4);

    private final String hibernateDialect;
    private final DriverTypeEnum migrationDriver;

    DatabaseDialect(String hibernateDialect, DriverTypeEnum migrationDriver) {
        this.hibernateDialect = hibernateDialect;
        this.migrationDriver = migrationDriver;
    }

    public static DatabaseDialect forJdbcUrl(String jdbcUrl) {
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        throw new IllegalArgumentException("Unsupported database (use PostgreSQL or the embedded H2): " + jdbcUrl);
    }

    public String hibernateDialect() {
        return hibernateDialect;
    }

    public DriverTypeEnum migrationDriver() {
        return migrationDriver;
    }
}
