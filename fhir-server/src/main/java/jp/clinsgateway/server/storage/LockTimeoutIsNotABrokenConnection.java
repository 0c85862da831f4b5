package jp.clinsgateway.server.storage;

import com.zaxxer.hikari.SQLExceptionOverride;

import java.sql.SQLException;

/**
 * Tells the connection pool that a lock wait the embedded database gave up on leaves the connection
 * sound. H2 reports it as an {@link java.sql.SQLTimeoutException}, which HikariCP takes for a hung
 * connection and closes at once; the transaction then cannot even be rolled back, and a refusal
 * the gateway answers with 409 ("send again") would leave as a 500. Configured as
 * {@code spring.datasource.hikari.exception-override-class-name}; PostgreSQL waits for locks and its
 * driver reports no such code.
 */
public class LockTimeoutIsNotABrokenConnection implements SQLExceptionOverride {

    /** H2's LOCK_TIMEOUT_1 ("Timeout trying to lock table"), SQLSTATE HYT00. */
    private static final int H2_LOCK_TIMEOUT = 50200;

    @java.lang.Override
    public SQLExceptionOverride.Override adjudicate(SQLException exception) {
        return exception.getErrorCode() == H2_LOCK_TIMEOUT && "HYT00".equals(exception.getSQLState())
                ? SQLExceptionOverride.Override.DO_NOT_EVICT : SQLExceptionOverride.Override.CONTINUE_EVICT;
    }
}
