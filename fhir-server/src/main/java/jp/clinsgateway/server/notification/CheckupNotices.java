package jp.clinsgateway.server.notification;

import jp.clinsgateway.server.access.SubscriptionAccess;
import org.hl7.fhir.r4.model.Meta;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.HashMap;
import java.util.Map;

/**
 * At submission, in its transaction: queues one notice for each active subscription whose insurer the
 * policy lets receive the newly stored checkup report (the same decision as the insurer's since-query),
 * and wakes the delivery once the transaction commits. Nothing is sent from the request's thread.
 */
@Component
public class CheckupNotices {

    private final Subscriptions subscriptions;
    private final NotificationOutbox outbox;
    private final SubscriptionAccess access;
    private final NotificationDelivery delivery;

    CheckupNotices(Subscriptions subscriptions, NotificationOutbox outbox, SubscriptionAccess access, NotificationDelivery delivery) {
        this.subscriptions = subscriptions;
        this.outbox = outbox;
        this.access = access;
        this.delivery = delivery;
    }

    /**
     * A checkup report's index was stored.
     *
     * @param index     the stored index's id ({@code DocumentReference/[id]})
     * @param indexMeta its labels
     */
    public void reportStored(String index, Meta indexMeta) {
        Map<String, Boolean> told = new HashMap<>();
        boolean queued = false;
        for (Subscriptions.Stored subscription : subscriptions.activeOf(access.candidates(indexMeta))) {
            if (told.computeIfAbsent(subscription.insurer(), insurer -> access.notifies(insurer, indexMeta))) {
                outbox.add(subscription.id(), index, outbox.now());
                queued = true;
            }
        }
        if (queued && TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    delivery.nudge();
                }
            });
        } else if (queued) {
            delivery.nudge();
        }
    }
}
