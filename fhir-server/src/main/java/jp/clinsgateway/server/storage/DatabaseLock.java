package jp.clinsgateway.server.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Work that only one gateway node may do at a time, such as migrating the schema when several
 * nodes start together on one database: on PostgreSQL a session advisory lock, held on its own
 * connection while the work runs, the other nodes waiting for it. The embedded H2 database belongs
 * to a single process, so there the work simply runs.
 */
public enum DatabaseLock {
    SCHEMA_MIGRATION(0x636c_696e_0001L),
    START_UP(0x636c_696e_0002L);

    /** A lock taken; closing it lets the next node through. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private static final Logger log = LoggerFactory.getLogger(DatabaseLock.class);

    private final long key;

    DatabaseLock(long key) {
        this.key = key;
    }

    public void holding(DataSource dataSource, DatabaseDialect dialect, Runnable work) {
        try (Held ignored = take(dataSource, dialect)) {
            work.run();
        }
    }

    /** Waits for the lock (logging that it waits, if another node has it) and answers it held. */
    public Held take(DataSource dataSource, DatabaseDialect dialect) {
        if (dialect != DatabaseDialect.POSTGRESQL) {
            return () -> { };
        }
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            if (!call(connection, "select pg_try_advisory_lock(?)")) {
                log.info("Waiting for another node to finish its {}", description());
                call(connection, "select true from (select pg_advisory_lock(?)) taken");
            }
            Connection taken = connection;
            return () -> release(taken);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new IllegalStateException("Could not take the database lock for the " + description(), e);
        }
    }

    private void release(Connection connection) {
        try {
            call(connection, "select pg_advisory_unlock(?)");
        } catch (SQLException e) {
            log.warn("Could not release the database lock for the {}; it goes with the connection", description(), e);
        } finally {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // A session lock ends with its session anyway.
        }
    }

    /** Runs a lock function; answers its boolean result. */
    private boolean call(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, key);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private String description() {
        return name().toLowerCase().replace('_', ' ');
    }
}
