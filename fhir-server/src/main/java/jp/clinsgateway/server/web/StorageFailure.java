package jp.clinsgateway.server.web;

import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a failure of the database means for the caller, decided by the SQLState the database gave
 * (the same codes on PostgreSQL and H2) or, when no statement ran, by the kind of failure: whether
 * sending the same request again can succeed, and whose fault it is. Never a 500 for a database
 * that merely said no.
 */
enum StorageFailure {

    /** 503: no connection in time (the pool exhausted), the database gone or shutting down, a statement timed out. */
    UNAVAILABLE,
    /** 409: a unique index refused a row another request wrote at the same moment (23505). */
    COLLISION,
    /**
     * 409: lost a race with a concurrent request: a row it refers to was removed at the same moment (foreign
     * key, 23503; H2 also 23506), a deadlock or serialization victim (40P01, 40001), a lock not granted in time.
     */
    RACE,
    /**
     * 422: a value the storage cannot hold: too long (22001), out of range (22003), a character the database
     * refuses (22021, 22P05: NUL on PostgreSQL), any other data exception (class 22), a required column
     * left empty (23502), a check refused (23513, 23514), a value too large for its index (54000). The sender's to change.
     */
    UNSTORABLE,
    /** Not a database's answer the gateway understands: an internal failure. */
    OTHER;

    private static final Set<String> RACES = Set.of("23503", "23506", "40001", "40P01", "55P03", "HYT00");
    private static final Set<String> UNSTORABLE_STATES = Set.of("23502", "23513", "23514", "54000");
    private static final Set<String> GONE = Set.of("57014", "57P01", "57P02", "57P03");
    /** Failures before any statement: no connection could be had, so nothing was tried. */
    private static final Set<String> NO_CONNECTION = Set.of(
            "java.sql.SQLTransientConnectionException",
            "java.sql.SQLNonTransientConnectionException",
            "org.springframework.transaction.CannotCreateTransactionException",
            "org.springframework.jdbc.CannotGetJdbcConnectionException",
            "org.springframework.dao.DataAccessResourceFailureException",
            "org.springframework.dao.QueryTimeoutException",
            "org.hibernate.exception.JDBCConnectionException",
            "jakarta.persistence.QueryTimeoutException");

    /**
     * The same, when only its text is left: HAPI runs a search's first page on a thread of its own and
     * hands the request a new 500 carrying just the failure's message (the pool's, Hibernate's or Spring's).
     */
    private static final Pattern NO_CONNECTION_TEXT = Pattern.compile("Connection is not available, request timed out"
            + "|Unable to acquire JDBC Connection|Could not open JPA EntityManager for transaction");

    static StorageFailure of(Throwable thrown) {
        Optional<String> state = sqlState(thrown);
        if (state.isPresent()) {
            return ofState(state.get());
        }
        for (Throwable cause = thrown; cause != null; cause = next(cause)) {
            if (NO_CONNECTION.contains(cause.getClass().getName())
                    || cause.getMessage() != null && NO_CONNECTION_TEXT.matcher(cause.getMessage()).find()) {
                return UNAVAILABLE;
            }
        }
        return OTHER;
    }

    static StorageFailure ofState(String state) {
        if (state.equals("23505")) {
            return COLLISION;
        }
        if (RACES.contains(state)) {
            return RACE;
        }
        if (UNSTORABLE_STATES.contains(state) || state.startsWith("22")) {
            return UNSTORABLE;
        }
        if (state.startsWith("08") || state.startsWith("53") || GONE.contains(state)) {
            return UNAVAILABLE;
        }
        return OTHER;
    }

    /** The first SQLState in the chain, also in a batch's next exceptions (the batch itself says only 'batch failed'). */
    private static Optional<String> sqlState(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = next(cause)) {
            if (cause instanceof SQLException sql) {
                for (SQLException each = sql; each != null; each = each.getNextException() == each ? null : each.getNextException()) {
                    if (each.getSQLState() != null && !each.getSQLState().isBlank()) {
                        return Optional.of(each.getSQLState());
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Throwable next(Throwable cause) {
        return cause.getCause() == cause ? null : cause.getCause();
    }
}
