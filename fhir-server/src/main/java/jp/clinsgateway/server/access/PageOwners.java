package jp.clinsgateway.server.access;

import jp.clinsgateway.consent.Requester;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who made each paged search, of which type and under which scope constraints, in the database (any
 * node may serve the next page). Only searches whose answer has a next page are registered; the
 * table is created by {@link jp.clinsgateway.server.storage.SchemaMigration}.
 */
@Component
class PageOwners {

    /** The search behind a page. */
    record Owner(Requester requester, String resourceType, String scopeConstraints) {
    }

    /** Longer than HAPI keeps a search's results, so a live page always finds its owner. */
    private static final Duration KEPT = Duration.ofDays(1);

    private final JdbcTemplate jdbc;
    private final AtomicLong registrations = new AtomicLong();

    PageOwners(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    void register(String searchId, Requester requester, String resourceType, String scopeConstraints) {
        Instant now = Instant.now();
        jdbc.update("insert into gateway_search_owner (search_uuid, owner, resource_type, scope_constraints, created)"
                        + " select ?, ?, ?, ?, ? where not exists (select 1 from gateway_search_owner where search_uuid = ?)",
                searchId, key(requester), resourceType, scopeConstraints, Timestamp.from(now), searchId);
        if (registrations.incrementAndGet() % 1000 == 0) {
            jdbc.update("delete from gateway_search_owner where created < ?", Timestamp.from(now.minus(KEPT)));
        }
    }

    Optional<Owner> of(String searchId) {
        return jdbc.query("select owner, resource_type, scope_constraints from gateway_search_owner where search_uuid = ?",
                (row, i) -> new Owner(requester(row.getString(1)), row.getString(2), row.getString(3)), searchId).stream().findFirst();
    }

    private static String key(Requester requester) {
        return requester.kind() + "|" + requester.id();
    }

    private static Requester requester(String key) {
        String[] parts = key.split("\\|", 2);
        return switch (Requester.Kind.valueOf(parts[0])) {
            case INSTITUTION -> new Requester.Institution(parts[1]);
            case PATIENT -> new Requester.PatientSelf(parts[1]);
            case INSURER -> new Requester.Insurer(parts[1]);
            case OPERATOR -> new Requester.Operator();
        };
    }
}
