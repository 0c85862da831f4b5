package jp.clinsgateway.server.retention;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs retention daily ({@code gateway.retention.cron}, 03:30 Japan time by default). Every node
 * may have it on: the lease lets one run and the others find nothing to do.
 */
@Component
@ConditionalOnProperty(prefix = "gateway.retention", name = "scheduled", havingValue = "true", matchIfMissing = true)
class RetentionSchedule {

    private final RetentionRun run;

    RetentionSchedule(RetentionRun run) {
        this.run = run;
    }

    @Scheduled(cron = "${gateway.retention.cron:0 30 3 * * *}", zone = "${gateway.retention.zone:Asia/Tokyo}")
    void daily() {
        run.run("retention-schedule");
    }
}
