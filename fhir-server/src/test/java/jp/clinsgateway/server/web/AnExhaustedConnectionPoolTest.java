package jp.clinsgateway.server.web;

import jp.clinsgateway.server.GatewayApplication;
import jp.clinsgateway.server.support.ClinsBundleBuilder;
import jp.clinsgateway.server.support.ConsentBuilder;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.GatewayTest;
import jp.clinsgateway.server.support.TestPatient;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import javax.sql.DataSource;
import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static jp.clinsgateway.server.support.Institutions.OSAKA_CLINIC;
import static jp.clinsgateway.server.support.Institutions.TOKYO_CENTRAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway whose database pool has no connection to give (two connections, a quarter-second wait):
 * reads and submissions are answered 503 with {@code Retry-After} and an OperationOutcome naming no
 * SQL or class, never 500; under many concurrent reads every answered read is in the access log
 * (a read that could not be audited was refused, not served).
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.datasource.url=jdbc:h2:file:./target/test-h2/${random.uuid}/gateway",
                "gateway.startup.demo-data=false",
                "gateway.identity.development-header-enabled=true"})
class AnExhaustedConnectionPoolTest extends GatewayTest {

    static final int POOL = 2;
    /** How long a request waits for a connection once the pool is starved. */
    private static final long STARVED_WAIT_MS = 250;

    @Autowired
    private DataSource dataSource;

    private String patient;

    @BeforeEach
    void osakaMayReadThePatientsLabResults() {
        Bundle receipt = accepted(TOKYO_CENTRAL, ClinsBundleBuilder.labResults().forPatient(TestPatient.aPatient())
                .withItems("L1", "L2").build());
        patient = versionless(located(receipt, "Patient"));
        FhirHttp.Response consent = fhir.asPatient(patient).create(ConsentBuilder.permit().to(OSAKA_CLINIC).forPatient(patient).build());
        assertEquals(201, consent.status(), consent::toString);
    }

    @Test
    void withEveryConnectionTakenAReadIsAnswered503WithRetryAfter() throws Exception {
        List<FhirHttp.Response> answers = starved(() -> {
            List<Connection> held = takeEveryConnection();
            try {
                return List.of(
                        fhir.asInstitution(OSAKA_CLINIC).get("Observation?patient=" + patient),
                        fhir.asPatient(patient).get("Observation?patient=" + patient),
                        fhir.submit(TOKYO_CENTRAL, ClinsBundleBuilder.labResults().forPatient(TestPatient.aPatient()).withItems("L9").build()));
            } finally {
                for (Connection connection : held) {
                    connection.close();
                }
            }
        });
        answers.forEach(AnExhaustedConnectionPoolTest::assertUnavailable);
        assertEquals(2, fhir.asInstitution(OSAKA_CLINIC).get("Observation?patient=" + patient).resource(Bundle.class).getTotal(),
                "served again once a connection is free");
    }

    @Test
    void underManyConcurrentReadsEveryAnsweredReadIsInTheAccessLogAndNoneIs500() throws Exception {
        int loggedBefore = accessLogEntries();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<FhirHttp.Response> unavailable = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService readers = Executors.newFixedThreadPool(24);
        try {
            starved(() -> {
                List<Future<?>> reads = new ArrayList<>();
                for (int i = 0; i < 120; i++) {
                    reads.add(readers.submit(() -> {
                        FhirHttp.Response response = fhir.asInstitution(OSAKA_CLINIC).get("Observation?patient=" + patient);
                        statuses.computeIfAbsent(response.status(), s -> new AtomicInteger()).incrementAndGet();
                        if (response.status() == 503) {
                            unavailable.add(response);
                        }
                    }));
                }
                for (Future<?> read : reads) {
                    read.get();
                }
                return null;
            });
        } finally {
            readers.shutdownNow();
        }
        assertTrue(statuses.keySet().stream().allMatch(s -> s == 200 || s == 503), statuses::toString);
        unavailable.forEach(AnExhaustedConnectionPoolTest::assertUnavailable);
        int answered = statuses.getOrDefault(200, new AtomicInteger()).get();
        assertEquals(answered, accessLogEntries() - loggedBefore, "one access-log entry for each answered read, " + statuses);
    }

    private int accessLogEntries() {
        return searchAs(fhir.asPatient(patient), "AuditEvent?_total=accurate&_count=0").getTotal();
    }

    /**
     * Runs {@code work} on a pool cut to {@value #POOL} connections, requests waiting only
     * {@value #STARVED_WAIT_MS} ms for one. The gateway starts, and the test's data is stored, on the
     * usual pool: with two connections HAPI's start-up work (its batch jobs and schema checks each hold
     * one and wait for another) can starve itself on a busy machine, which is not what this test is
     * about. The size is Hikari's to change at run time (the idle connections are closed, busy ones on
     * their return); the wait is read once, when the pool is made, and no setter reaches it: hence the
     * field.
     */
    private <T> T starved(Callable<T> work) throws Exception {
        HikariDataSource hikari = dataSource.unwrap(HikariDataSource.class);
        Object pool = hikari.getHikariPoolMXBean();
        Field wait = pool.getClass().getSuperclass().getDeclaredField("connectionTimeout");
        wait.setAccessible(true);
        long usualWait = wait.getLong(pool);
        int usualSize = hikari.getMaximumPoolSize();
        hikari.setMaximumPoolSize(POOL);
        hikari.getHikariPoolMXBean().softEvictConnections();
        wait.setLong(pool, STARVED_WAIT_MS);
        try {
            return work.call();
        } finally {
            wait.setLong(pool, usualWait);
            hikari.setMaximumPoolSize(usualSize);
        }
    }

    private List<Connection> takeEveryConnection() throws SQLException {
        List<Connection> held = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 10_000;
        while (held.size() < POOL) {
            try {
                held.add(dataSource.getConnection());
            } catch (SQLException busy) {
                // a background task has one for a moment
                if (System.currentTimeMillis() > deadline) {
                    throw busy;
                }
            }
        }
        return held;
    }

    private static void assertUnavailable(FhirHttp.Response response) {
        assertEquals(503, response.status(), response::toString);
        assertNotNull(response.header("Retry-After"), "Retry-After");
        OperationOutcome outcome = response.outcome();
        assertEquals(OperationOutcome.IssueType.TRANSIENT, outcome.getIssueFirstRep().getCode(), response::toString);
        for (String internal : List.of("Hikari", "SQL", "Exception", "java.", "jdbc", "HAPI-")) {
            assertFalse(response.body().contains(internal), () -> "names " + internal + ": " + response.body());
        }
    }
}
