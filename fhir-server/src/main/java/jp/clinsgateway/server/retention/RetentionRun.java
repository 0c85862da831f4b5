package jp.clinsgateway.server.retention;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jp.clinsgateway.consent.ShareCategory;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * One retention run: finds the expired records as of the clock's now and expunges each (or, a dry
 * run, only reports them). A real run holds the {@link RetentionLease}, so two nodes (or the
 * schedule and the operator) never run at once; each run, dry or real, goes into the operator's log.
 */
@Component
public class RetentionRun {

    private static final Logger log = LoggerFactory.getLogger(RetentionRun.class);

    private final ExpiredRecords expired;
    private final RecordExpunge expunge;
    private final RetentionLease lease;
    private final RetentionRunLog runLog;
    private final Clock clock;

    RetentionRun(ExpiredRecords expired, RecordExpunge expunge, RetentionLease lease, RetentionRunLog runLog, Clock clock) {
        this.expired = expired;
        this.expunge = expunge;
        this.lease = lease;
        this.runLog = runLog;
        this.clock = clock;
    }

    /** What a run now would remove; changes nothing. */
    public RetentionReport dryRun(String by) {
        Instant now = clock.instant();
        Map<ShareCategory, Integer> counts = new EnumMap<>(ShareCategory.class);
        List<String> removed = new ArrayList<>();
        for (ExpiredRecords.Expired record : expired.at(now)) {
            counts.merge(record.category(), 1, Integer::sum);
            record.resources().forEach(id -> removed.add(id.getValue()));
        }
        RetentionReport report = new RetentionReport(true, now, counts, removed);
        runLog.record(report, by);
        return report;
    }

    /** Runs, unless another run holds the lease (then empty: nothing was done). */
    public Optional<RetentionReport> run(String by) {
        Optional<String> holder = lease.take();
        if (holder.isEmpty()) {
            log.info("Retention: another run is under way; this one does nothing");
            return Optional.empty();
        }
        try {
            Instant now = clock.instant();
            Map<ShareCategory, Integer> counts = new EnumMap<>(ShareCategory.class);
            List<String> removed = new ArrayList<>();
            for (ExpiredRecords.Expired record : expired.at(now)) {
                if (expunge.expunge(record)) {
                    counts.merge(record.category(), 1, Integer::sum);
                    record.resources().stream().map(IIdType::getValue).forEach(removed::add);
                }
            }
            RetentionReport report = new RetentionReport(false, now, counts, removed);
            runLog.record(report, by);
            log.info("Retention as of {}: {} records expunged {}", now, report.total(), report.counts());
            return Optional.of(report);
        } finally {
            lease.release(holder.get());
        }
    }
}
