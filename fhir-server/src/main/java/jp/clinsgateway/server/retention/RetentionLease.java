package jp.clinsgateway.server.retention;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * One retention run at a time across every node, through the database: a single lease row, taken by
 * one conditional update (atomic on both H2 and PostgreSQL) and released when the run ends. A node
 * that dies mid-run holds it only until the lease expires. Lease times are the real time, whatever
 * clock retention judges records by.
 */
@Component
class RetentionLease {

    /** Long enough for any run; a crashed holder blocks the next run for at most this long. */
    static final Duration LEASE = Duration.ofHours(2);

    private final JdbcTemplate jdbc;

    RetentionLease(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** The holder's token, if this caller now holds the lease; empty while another run holds it. */
    java.util.Optional<String> take() {
        String holder = UUID.randomUUID().toString();
        Instant now = Instant.now();
        int taken = jdbc.update("update gateway_retention_lease set holder = ?, expires = ? where id = 1 and (holder is null or expires < ?)",
                holder, Timestamp.from(now.plus(LEASE)), Timestamp.from(now));
        return taken == 1 ? java.util.Optional.of(holder) : java.util.Optional.empty();
    }

    void release(String holder) {
        jdbc.update("update gateway_retention_lease set holder = null, expires = null where id = 1 and holder = ?", holder);
    }
}
