package jp.clinsgateway.server.notification;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Subscription;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Insurers' subscriptions, in the gateway's own table (one JSON row each, keyed by insurer), not in HAPI's
 * resource storage: HAPI's subscription machinery never sees them, so nothing matches or delivers around the
 * policy. The row's status and error are the truth; the JSON holds what the insurer asked for.
 */
@Component
class Subscriptions {

    /** A stored subscription and whom it belongs to. */
    record Stored(long id, String insurer, Subscription subscription) {
        boolean active(Instant now) {
            return subscription.getStatus() == Subscription.SubscriptionStatus.ACTIVE
                    && (!subscription.hasEnd() || subscription.getEnd().toInstant().isAfter(now));
        }
    }

    private final JdbcTemplate jdbc;
    private final FhirContext fhirContext;
    private final Clock clock;

    Subscriptions(DataSource dataSource, FhirContext fhirContext, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.fhirContext = fhirContext;
        this.clock = clock;
    }

    /**
     * Stores the subscription unless the insurer would then hold more than {@code limit}. Each create
     * counts after its own row is committed and withdraws it if the count is over: of concurrent creates
     * the later ones see every earlier row, so the insurer never keeps more than the limit (at worst
     * several racing creates are all refused, and the insurer sends one again). No lock is needed.
     */
    Optional<Stored> createWithin(String insurer, Subscription subscription, int limit) {
        if (count(insurer) >= limit) {
            return Optional.empty();
        }
        Stored created = create(insurer, subscription);
        if (count(insurer) > limit) {
            delete(created.id());
            return Optional.empty();
        }
        return Optional.of(created);
    }

    private Stored create(String insurer, Subscription subscription) {
        Instant now = clock.instant();
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement insert = connection.prepareStatement("insert into gateway_subscription (insurer, status, version, updated, resource)"
                    + " values (?, ?, 1, ?, ?)", new String[]{"id"});
            insert.setString(1, insurer);
            insert.setString(2, subscription.getStatus().toCode());
            insert.setTimestamp(3, Timestamp.from(now));
            insert.setString(4, json(subscription));
            return insert;
        }, key);
        long id = key.getKey().longValue();
        return find(id).orElseThrow();
    }

    Optional<Stored> find(long id) {
        return jdbc.query("select id, insurer, status, version, updated, error, resource from gateway_subscription where id = ?",
                (rs, n) -> stored(rs), id).stream().findFirst();
    }

    /** An insurer's subscriptions, optionally with one status. */
    List<Stored> of(String insurer, Optional<String> status) {
        return status.isPresent()
                ? jdbc.query("select id, insurer, status, version, updated, error, resource from gateway_subscription"
                + " where insurer = ? and status = ? order by id", (rs, n) -> stored(rs), insurer, status.get())
                : jdbc.query("select id, insurer, status, version, updated, error, resource from gateway_subscription"
                + " where insurer = ? order by id", (rs, n) -> stored(rs), insurer);
    }

    int count(String insurer) {
        Integer count = jdbc.queryForObject("select count(*) from gateway_subscription where insurer = ?", Integer.class, insurer);
        return count == null ? 0 : count;
    }

    /** The active subscriptions of these insurers: the candidates to tell of a stored report (the policy decides which are told). */
    List<Stored> activeOf(java.util.Set<String> insurers) {
        Instant now = clock.instant();
        List<Stored> active = new java.util.ArrayList<>();
        for (String insurer : insurers) {
            of(insurer, Optional.of("active")).stream().filter(s -> s.active(now)).forEach(active::add);
        }
        return active;
    }

    /** The insurer's new terms; the error is cleared (an insurer re-activates a failed subscription by updating it). */
    Stored replace(long id, Subscription subscription) {
        jdbc.update("update gateway_subscription set status = ?, version = version + 1, updated = ?, error = null, resource = ? where id = ?",
                subscription.getStatus().toCode(), Timestamp.from(clock.instant()), json(subscription), id);
        return find(id).orElseThrow();
    }

    /** Delivery failed after every retry: status error, and why, for the insurer to see. */
    void failed(long id, String error) {
        jdbc.update("update gateway_subscription set status = 'error', version = version + 1, updated = ?, error = ? where id = ? and status = 'active'",
                Timestamp.from(clock.instant()), error.length() > 2000 ? error.substring(0, 2000) : error, id);
    }

    void delete(long id) {
        jdbc.update("delete from gateway_notification where subscription = ?", id);
        jdbc.update("delete from gateway_subscription where id = ?", id);
    }

    private Stored stored(java.sql.ResultSet rs) throws java.sql.SQLException {
        Subscription subscription = fhirContext.newJsonParser().parseResource(Subscription.class, rs.getString("resource"));
        long id = rs.getLong("id");
        subscription.setId(new IdType("Subscription", String.valueOf(id), String.valueOf(rs.getLong("version"))));
        subscription.getMeta().setVersionId(String.valueOf(rs.getLong("version")))
                .setLastUpdatedElement(new InstantType(java.util.Date.from(rs.getTimestamp("updated").toInstant())));
        subscription.setStatus(Subscription.SubscriptionStatus.fromCode(rs.getString("status")));
        subscription.setError(rs.getString("error"));
        return new Stored(id, rs.getString("insurer"), subscription);
    }

    private String json(Subscription subscription) {
        Subscription kept = subscription.copy();
        kept.setId((String) null);
        kept.setError(null);
        return fhirContext.newJsonParser().encodeResourceToString(kept);
    }
}
