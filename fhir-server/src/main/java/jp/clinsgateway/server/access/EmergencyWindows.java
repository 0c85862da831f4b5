package jp.clinsgateway.server.access;

import jp.clinsgateway.consent.EmergencyReason;
import jp.clinsgateway.consent.EmergencyWindow;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The emergency windows institutions opened ({@code $break-glass}), in the database so that every node
 * honours a window any node opened; each row is also an item of the review queue. The table is created by
 * {@link jp.clinsgateway.server.storage.SchemaMigration}.
 */
@Component
class EmergencyWindows {

    /** A stored window and its review. */
    record Stored(long id, EmergencyWindow window, Optional<Instant> reviewed, Optional<String> reviewer, Optional<String> note) {
    }

    private static final String COLUMNS = "id, institution, patient, reason, reason_text, opened, closes, reviewed, reviewer, review_note";

    private final JdbcTemplate jdbc;

    EmergencyWindows(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    long open(EmergencyWindow window) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement insert = connection.prepareStatement("insert into gateway_emergency_window"
                    + " (institution, patient, reason, reason_text, opened, closes) values (?, ?, ?, ?, ?, ?)", new String[]{"id"});
            insert.setString(1, window.institution());
            insert.setString(2, window.patient());
            insert.setString(3, window.reason().code());
            insert.setString(4, window.text());
            insert.setTimestamp(5, Timestamp.from(window.opened()));
            insert.setTimestamp(6, Timestamp.from(window.until()));
            return insert;
        }, key);
        return key.getKey().longValue();
    }

    /** The latest window this institution opened for this patient. */
    Optional<EmergencyWindow> latest(String institution, String patient) {
        return jdbc.query("select " + COLUMNS + " from gateway_emergency_window where institution = ? and patient = ?"
                        + " order by opened desc, id desc offset 0 rows fetch next 1 rows only", ROW, institution, patient)
                .stream().findFirst().map(Stored::window);
    }

    /** Newest first; {@code openedBy}: only this institution's; {@code reviewed}: only reviewed or only unreviewed ones. */
    List<Stored> list(Optional<String> openedBy, Optional<Boolean> reviewed) {
        List<String> conditions = new ArrayList<>();
        List<Object> arguments = new ArrayList<>();
        openedBy.ifPresent(code -> {
            conditions.add("institution = ?");
            arguments.add(code);
        });
        reviewed.ifPresent(done -> conditions.add(done ? "reviewed is not null" : "reviewed is null"));
        return jdbc.query("select " + COLUMNS + " from gateway_emergency_window"
                + (conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions)) + " order by id desc", ROW, arguments.toArray());
    }

    Optional<Stored> find(long id) {
        return jdbc.query("select " + COLUMNS + " from gateway_emergency_window where id = ?", ROW, id).stream().findFirst();
    }

    /** Marks it reviewed, once: false if it already was. */
    boolean review(long id, String reviewer, String note, Instant at) {
        return jdbc.update("update gateway_emergency_window set reviewed = ?, reviewer = ?, review_note = ? where id = ? and reviewed is null",
                Timestamp.from(at), reviewer, note, id) == 1;
    }

    private static final RowMapper<Stored> ROW = (row, i) -> new Stored(row.getLong(1),
            new EmergencyWindow(row.getString(2), row.getString(3), EmergencyReason.fromCode(row.getString(4)).orElse(EmergencyReason.OTHER),
                    row.getString(5), row.getTimestamp(6).toInstant(), row.getTimestamp(7).toInstant()),
            Optional.ofNullable(row.getTimestamp(8)).map(Timestamp::toInstant), Optional.ofNullable(row.getString(9)),
            Optional.ofNullable(row.getString(10)));
}
