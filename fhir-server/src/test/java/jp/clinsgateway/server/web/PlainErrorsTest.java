package jp.clinsgateway.server.web;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import jp.clinsgateway.server.support.FhirHttp;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.DataException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a caller is told when the database refuses a statement, per SQLState: never the SQL, never a 500 for a plain refusal. */
class PlainErrorsTest {

    private static final String SQL = "insert into hfj_res_ver (res_id, res_ver) values (?, ?) [ERROR: duplicate key value "
            + "violates unique constraint \"idx_resver_id_ver\"]";

    private final PlainErrors errors = new PlainErrors();

    /** As HAPI hands it over: its 500 around Spring's translation around Hibernate's around the driver's. */
    private static Throwable refusedBy(String sqlState) {
        SQLException driver = new SQLException("ERROR: the database said no, in " + SQL, sqlState);
        ConstraintViolationException hibernate = new ConstraintViolationException("could not execute statement", driver, SQL, "idx_resver_id_ver");
        return new InternalErrorException("HAPI-0000: " + SQL, new DataIntegrityViolationException(SQL, hibernate));
    }

    @ParameterizedTest(name = "SQLState {0} is answered {1}")
    @CsvSource({
            "23505, 409", // unique violation, PostgreSQL and H2: another request wrote the same key
            "23503, 409", // foreign key: what it refers to was removed at the same moment
            "23506, 409", // H2's foreign key, parent missing
            "40001, 409", // serialization failure
            "40P01, 409", // deadlock victim
            "HYT00, 409", // H2 lock timeout
            "23502, 422", // not null
            "23513, 422", // H2 check
            "23514, 422", // check
            "22001, 422", // value too long
            "22003, 422", // numeric out of range
            "22021, 422", // character not in the database's encoding
            "22P05, 422", // NUL on PostgreSQL
            "54000, 422", // a value too large for its index
            "08006, 503", // connection failure
            "53300, 503", // too many connections
            "57014, 503", // statement timeout
            "57P01, 503", // the database shutting down
            "XX000, 500"  // the database's own internal error
    })
    void aDatabaseRefusalIsAnsweredByWhatItMeansForTheCaller(String sqlState, int status) {
        BaseServerResponseException answer = errors.plain(refusedBy(sqlState));
        assertEquals(status, answer.getStatusCode());
        assertNamesNoInternals(answer);
    }

    @Test
    void aUniqueCollisionTellsTheCallerToSendItAgain() {
        BaseServerResponseException answer = errors.plain(refusedBy("23505"));
        OperationOutcome outcome = (OperationOutcome) answer.getOperationOutcome();
        assertEquals(OperationOutcome.IssueType.LOCKERROR, outcome.getIssueFirstRep().getCode());
        assertTrue(outcome.getIssueFirstRep().getDiagnostics().contains("send it again"));
    }

    @Test
    void aForeignKeyOfABatchIsFoundInItsNextException() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 " + SQL + " was aborted", null, 0, new int[0], null);
        batch.setNextException(new SQLException("ERROR: insert or update violates foreign key constraint", "23503"));
        assertEquals(409, errors.plain(new InternalErrorException(SQL, new DataException("could not execute batch", batch))).getStatusCode());
    }

    @Test
    void hapisOwnVersionConflictStays409WithoutItsConstraintName() {
        BaseServerResponseException answer = errors.plain(new ResourceVersionConflictException("HAPI-0550: " + SQL));
        assertEquals(409, answer.getStatusCode());
        assertNamesNoInternals(answer);
    }

    @Test
    void aPoolWithoutAFreeConnectionIs503WithRetryAfter() {
        SQLTransientConnectionException hikari = new SQLTransientConnectionException(
                "HikariPool-1 - Connection is not available, request timed out after 250ms (total=1, active=1, idle=0, waiting=0)");
        for (Throwable thrown : List.of(
                new InternalErrorException("HAPI-0000: " + hikari.getMessage(),
                        new CannotCreateTransactionException("Could not open JPA EntityManager for transaction", hikari)),
                // a search's first page runs on a thread of HAPI's: only the failure's text comes back
                new InternalErrorException(hikari.getMessage()),
                new CannotCreateTransactionException("Could not open JPA EntityManager for transaction", hikari),
                hikari)) {
            BaseServerResponseException answer = errors.plain(thrown);
            assertEquals(503, answer.getStatusCode());
            assertEquals(List.of(PlainErrors.RETRY_AFTER_SECONDS), answer.getResponseHeaders().get("Retry-After"));
            assertEquals(OperationOutcome.IssueType.TRANSIENT, ((OperationOutcome) answer.getOperationOutcome()).getIssueFirstRep().getCode());
            assertNamesNoInternals(answer);
        }
    }

    @Test
    void anythingElseIsAPlain500() {
        BaseServerResponseException answer = errors.plain(new IllegalStateException("java.lang.NullPointerException in " + SQL));
        assertEquals(500, answer.getStatusCode());
        assertNamesNoInternals(answer);
    }

    private static void assertNamesNoInternals(BaseServerResponseException answer) {
        String told = answer.getMessage() + " " + FhirHttp.FHIR.newJsonParser().encodeResourceToString(answer.getOperationOutcome());
        for (String internal : List.of("hfj_", "idx_", "insert", "HAPI-", "SQL", "Exception", "java.", "org.")) {
            assertFalse(told.contains(internal), () -> "names " + internal + ": " + told);
        }
    }
}
