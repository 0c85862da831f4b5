package jp.clinsgateway.server.notification;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * The notifications still to send: one row per stored report and subscription to tell, inserted in the
 * submission's own transaction (so a report rolled back tells nobody, and a stored one is never forgotten),
 * unique per report and subscription. Any node may drain it: a node takes a row by a conditional update
 * of its claim (one statement, so of two nodes exactly one succeeds, on H2 and PostgreSQL alike) and
 * deletes it once delivered. A node that dies mid-delivery loses its claim when it expires, and another
 * node sends again: at least once, and once in every run without a crash.
 */
@Component
class NotificationOutbox {

    /** A notification to send: to which subscription, about which report index, after how many failed attempts. */
    record Notice(long id, long subscription, String report, int attempts) {
    }

    private final JdbcTemplate jdbc;

    NotificationOutbox(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /**
     * The database's clock, the one every node shares: due times and claims are judged by it, so a node
     * whose own clock is off neither holds claims for hours nor retries early.
     */
    Instant now() {
        return jdbc.queryForObject("select current_timestamp", Timestamp.class).toInstant();
    }

    /** Queues a notice unless this report was already queued for this subscription (a report is told once). */
    void add(long subscription, String report, Instant due) {
        jdbc.update("insert into gateway_notification (subscription, report, attempts, due)"
                + " select ?, ?, 0, ? where not exists (select 1 from gateway_notification where subscription = ? and report = ?)",
                subscription, report, Timestamp.from(due), subscription, report);
    }

    /** Notices due now that no node holds. */
    List<Notice> due(Instant now, int limit) {
        Timestamp at = Timestamp.from(now);
        return jdbc.query("select id, subscription, report, attempts from gateway_notification"
                        + " where due <= ? and (claimed_until is null or claimed_until < ?) order by due, id fetch first " + limit + " rows only",
                (rs, n) -> new Notice(rs.getLong("id"), rs.getLong("subscription"), rs.getString("report"), rs.getInt("attempts")),
                at, at);
    }

    /** Takes a notice for this node until {@code until}; false when another node took it first. */
    boolean claim(Notice notice, Instant now, Instant until) {
        return jdbc.update("update gateway_notification set claimed_until = ? where id = ? and attempts = ?"
                        + " and (claimed_until is null or claimed_until < ?)",
                Timestamp.from(until), notice.id(), notice.attempts(), Timestamp.from(now)) == 1;
    }

    void delivered(Notice notice) {
        jdbc.update("delete from gateway_notification where id = ?", notice.id());
    }

    /** A failed attempt: due again at {@code due}, free for any node. */
    void retryAt(Notice notice, Instant due) {
        jdbc.update("update gateway_notification set attempts = ?, due = ?, claimed_until = null where id = ?",
                notice.attempts() + 1, Timestamp.from(due), notice.id());
    }

    /** The subscription failed: its queued notices are dropped (the insurer's since-query finds the reports). */
    void dropAll(long subscription) {
        jdbc.update("delete from gateway_notification where subscription = ?", subscription);
    }
}
