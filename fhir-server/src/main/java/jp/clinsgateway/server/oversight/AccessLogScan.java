package jp.clinsgateway.server.oversight;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.IdType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * Reads the access log for oversight: every entry recorded in a period, oldest first. Read-only,
 * beside {@link jp.clinsgateway.server.audit.AccessLog} (which writes and pages it for patients),
 * so the log's writer and its paging stay as they are.
 */
@Component
class AccessLogScan {

    private final JdbcTemplate jdbc;
    private final FhirContext fhirContext;

    AccessLogScan(DataSource dataSource, FhirContext fhirContext) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.fhirContext = fhirContext;
    }

    /** Entries recorded from {@code from} (inclusive) to {@code to} (exclusive). */
    List<LoggedAccess> between(Instant from, Instant to) {
        var parser = fhirContext.newJsonParser();
        return jdbc.query("select id, patient, event from gateway_access_log where recorded >= ? and recorded < ? order by recorded, id",
                (row, i) -> {
                    AuditEvent event = parser.parseResource(AuditEvent.class, row.getString(3));
                    event.setIdElement(new IdType("AuditEvent", row.getLong(1)));
                    return LoggedAccess.of(event, row.getString(2));
                }, Timestamp.from(from), Timestamp.from(to));
    }
}
