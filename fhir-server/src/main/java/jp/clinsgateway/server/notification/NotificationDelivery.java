package jp.clinsgateway.server.notification;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Drains the {@link NotificationOutbox} on its own thread, never on a request's: every
 * {@code poll-interval}, and at once when a submission that queued notices commits. Each notice is
 * claimed, checked again (the subscription still active, its endpoint still allowed), sent, and deleted;
 * a failed one is retried with growing waits, and after the last attempt the subscription is set to
 * {@code error} with the reason, which its insurer reads on the Subscription.
 * <p>
 * Polls only while the application runs (a lifecycle bean): not while the context starts, when
 * start-up work needs the pool's connections, and not after it begins to close, when the pool goes.
 */
@Component
class NotificationDelivery implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NotificationDelivery.class);
    private static final int BATCH = 50;

    private final NotificationOutbox outbox;
    private final Subscriptions subscriptions;
    private final NotificationProperties properties;
    private final EndpointRule endpoints;
    private final RestHook restHook;
    private final AtomicBoolean nudged = new AtomicBoolean();
    /** The polling thread while running; a new one at each start (a stopped context may be started again). */
    private volatile ScheduledExecutorService thread;

    NotificationDelivery(NotificationOutbox outbox, Subscriptions subscriptions, NotificationProperties properties) {
        this.outbox = outbox;
        this.subscriptions = subscriptions;
        this.properties = properties;
        this.endpoints = new EndpointRule(properties);
        this.restHook = new RestHook(properties);
    }

    @Override
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "checkup-notifications");
            t.setDaemon(true);
            return t;
        });
        if (properties.enabled()) {
            long every = Math.max(50, properties.pollInterval().toMillis());
            started.scheduleWithFixedDelay(this::drainQuietly, every, every, TimeUnit.MILLISECONDS);
        }
        thread = started;
    }

    /** Interrupts a delivery in flight and waits a moment for it: its notice stays claimed, and is sent again later. */
    @Override
    public synchronized void stop() {
        if (thread != null) {
            thread.shutdownNow();
            try {
                thread.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    /**
     * A submission queued notices and committed: drain now rather than at the next poll. Before the
     * start or after the stop the notices wait in the outbox for the next node that polls.
     */
    void nudge() {
        ScheduledExecutorService running = thread;
        if (running != null && properties.enabled() && nudged.compareAndSet(false, true)) {
            try {
                running.execute(() -> {
                    nudged.set(false);
                    drainQuietly();
                });
            } catch (RejectedExecutionException stopping) {
                nudged.set(false);
            }
        }
    }

    private void drainQuietly() {
        try {
            drain();
        } catch (RuntimeException e) {
            // the database may be starting or briefly away: the next poll tries again, and nothing queued is lost
            log.warn("Checkup notifications not drained this time: {}", e.toString());
        }
    }

    /** Sends every notice due now, in batches, until none is left. */
    void drain() {
        List<NotificationOutbox.Notice> due;
        do {
            due = outbox.due(outbox.now(), BATCH);
            for (NotificationOutbox.Notice notice : due) {
                Instant now = outbox.now();
                if (outbox.claim(notice, now, now.plus(properties.claimFor()))) {
                    deliver(notice);
                }
            }
        } while (due.size() == BATCH && !Thread.currentThread().isInterrupted());
    }

    private void deliver(NotificationOutbox.Notice notice) {
        Optional<Subscriptions.Stored> subscription = subscriptions.find(notice.subscription());
        if (subscription.isEmpty() || !subscription.get().active(outbox.now())) {
            outbox.delivered(notice); // deleted, switched off, failed or ended since: nothing to tell
            return;
        }
        Optional<String> failure = endpoints.refusal(subscription.get().insurer(), subscription.get().subscription().getChannel().getEndpoint())
                .or(() -> restHook.send(subscription.get().subscription()));
        if (failure.isEmpty()) {
            outbox.delivered(notice);
            log.info("Notified Subscription/{} of a new checkup report", notice.subscription());
            return;
        }
        int attempts = notice.attempts() + 1;
        if (attempts >= properties.maxAttempts()) {
            String error = failure.get() + " (" + attempts + " attempts); notifications stopped: update the subscription"
                    + " (status requested) to resume, and search DocumentReference?category=checkup-report&_lastUpdated=gt[time] for what was missed";
            subscriptions.failed(notice.subscription(), error);
            outbox.dropAll(notice.subscription());
            log.warn("Subscription/{} set to error: {}", notice.subscription(), failure.get());
        } else {
            outbox.retryAt(notice, outbox.now().plus(properties.retryAfter(attempts)));
            log.info("Subscription/{}: attempt {} failed ({}), retrying", notice.subscription(), attempts, failure.get());
        }
    }
}
