package jp.clinsgateway.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import jp.clinsgateway.server.monitoring.GatewayMeters;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Meta;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * The access log: an append-only table of FHIR AuditEvents (one JSON row each, keyed by patient
 * and time). Appending is a single insert, cheap enough for every read; HAPI's resource storage,
 * with its indexes and versions, would cost the read path more than the read itself. The table is
 * created by {@link jp.clinsgateway.server.storage.SchemaMigration}; {@link AccessLogProvider}
 * serves it as {@code AuditEvent}.
 */
@Component
public class AccessLog {

    /** Which entries: those about one patient (or all), recorded within a time range. */
    public record Query(Optional<String> patient, Optional<Instant> from, Optional<Instant> to) {
    }

    private final JdbcTemplate jdbc;
    private final FhirContext fhirContext;
    private final GatewayMeters meters;

    public AccessLog(DataSource dataSource, FhirContext fhirContext, GatewayMeters meters) {
        this.meters = meters;
        this.jdbc = new JdbcTemplate(dataSource);
        this.fhirContext = fhirContext;
    }

    /** One event to append, with the patient it is about and what the access returned. */
    public record Appended(String patient, AccessEntry.Returned returned, AuditEvent event) {
    }

    /**
     * Appends the events in one batch. Inside a database transaction (a consent write) they join it
     * and commit or roll back with it; outside one they take a single connection, after the request's
     * own work has released its connection: never a second connection while one is held, which under
     * load starved the pool.
     */
    public void append(List<Appended> events) {
        List<Object[]> rows = events.stream().map(e -> new Object[]{e.patient(), Timestamp.from(e.event().getRecorded().toInstant()),
                e.returned().code(), parser().encodeResourceToString(e.event())}).toList();
        try {
            jdbc.batchUpdate("insert into gateway_access_log (patient, recorded, returned, event) values (?, ?, ?, ?)", rows);
        } catch (RuntimeException e) {
            meters.auditWrites(rows.size(), false);
            throw e;
        }
        meters.auditWrites(rows.size(), true);
    }

    /** Counts every matching entry: only when a caller asks for the total. */
    public int count(Query query) {
        List<Object> arguments = new ArrayList<>();
        Integer count = jdbc.queryForObject("select count(*) from gateway_access_log" + where(query, arguments), Integer.class,
                arguments.toArray());
        return count == null ? 0 : count;
    }

    /**
     * Newest first: by time, then by entry. Each query is served by an index (patient and time for a
     * patient's log, time for the operator's), and never counts the table.
     */
    public List<AuditEvent> page(Query query, int offset, int count) {
        List<Object> arguments = new ArrayList<>();
        String sql = "select id, recorded, event from gateway_access_log" + where(query, arguments)
                + " order by recorded desc, id desc offset " + Math.max(0, offset) + " rows fetch next " + Math.max(0, count) + " rows only";
        return jdbc.query(sql, (row, i) -> event(row.getLong(1), row.getTimestamp(2), row.getString(3)), arguments.toArray());
    }

    public Optional<Entry> read(long id) {
        return jdbc.query("select id, recorded, event, patient from gateway_access_log where id = ?",
                (row, i) -> new Entry(row.getString(4), event(row.getLong(1), row.getTimestamp(2), row.getString(3))), id).stream().findFirst();
    }

    /** One stored event and the patient it is about. */
    public record Entry(String patient, AuditEvent event) {
    }

    private static String where(Query query, List<Object> arguments) {
        List<String> conditions = new ArrayList<>();
        query.patient().ifPresent(p -> {
            conditions.add("patient = ?");
            arguments.add(p);
        });
        query.from().ifPresent(from -> {
            conditions.add("recorded >= ?");
            arguments.add(Timestamp.from(from));
        });
        query.to().ifPresent(to -> {
            conditions.add("recorded <= ?");
            arguments.add(Timestamp.from(to));
        });
        return conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
    }

    private AuditEvent event(long id, Timestamp recorded, String json) {
        AuditEvent event = parser().parseResource(AuditEvent.class, json);
        event.setIdElement(new IdType("AuditEvent", id));
        event.setMeta(new Meta().setVersionId("1").setLastUpdated(Date.from(recorded.toInstant())));
        return event;
    }

    private IParser parser() {
        return fhirContext.newJsonParser();
    }
}
