package jp.clinsgateway.server.notification;

import ca.uhn.fhir.context.FhirContext;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The delivery polls the outbox only between the application's start and stop: not while the context
 * starts (start-up work needs the pool's connections), not once it closes (the pool is going), and again
 * after a stopped context is started.
 */
class NotificationDeliveryLifecycleTest {

    /** An outbox that only counts how often it was asked for due notices (it never reaches a database). */
    private static final class CountingOutbox extends NotificationOutbox {
        final AtomicInteger polls = new AtomicInteger();

        CountingOutbox() {
            super(new JdbcDataSource());
        }

        @Override
        Instant now() {
            return Instant.now();
        }

        @Override
        List<Notice> due(Instant now, int limit) {
            polls.incrementAndGet();
            return List.of();
        }
    }

    private final CountingOutbox outbox = new CountingOutbox();
    private final NotificationDelivery delivery = new NotificationDelivery(outbox,
            new Subscriptions(new JdbcDataSource(), FhirContext.forR4Cached(), Clock.systemUTC()),
            new NotificationProperties(true, Map.of(), true, Duration.ofSeconds(2), Duration.ofSeconds(5), 5,
                    Duration.ofSeconds(10), Duration.ofMillis(50), Duration.ofMinutes(1), 10));

    @Test
    void nothingPollsBeforeTheStartNorAfterTheStopAndAStoppedDeliveryStartsAgain() throws InterruptedException {
        delivery.nudge();
        Thread.sleep(300);
        assertEquals(0, outbox.polls.get(), "no poll before the start, not even when nudged");
        assertFalse(delivery.isRunning());

        delivery.start();
        assertTrue(delivery.isRunning());
        assertTrue(HookReceiver.within(Duration.ofSeconds(30), () -> outbox.polls.get() > 0), "polls once started");

        delivery.stop();
        assertFalse(delivery.isRunning());
        int atStop = outbox.polls.get();
        delivery.nudge();
        Thread.sleep(300);
        assertEquals(atStop, outbox.polls.get(), "no poll after the stop, not even when nudged");

        delivery.start();
        assertTrue(HookReceiver.within(Duration.ofSeconds(30), () -> outbox.polls.get() > atStop), "polls again once restarted");
        delivery.stop();
    }
}
