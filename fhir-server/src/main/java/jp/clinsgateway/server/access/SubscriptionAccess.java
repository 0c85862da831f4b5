package jp.clinsgateway.server.access;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import jp.clinsgateway.consent.AccessPolicy;
import jp.clinsgateway.consent.Requester;
import jp.clinsgateway.consent.SearchScope;
import jp.clinsgateway.server.identity.CallerResolver;
import jp.clinsgateway.server.labels.ShareLabels;
import org.hl7.fhir.r4.model.Meta;
import org.springframework.stereotype.Component;

/**
 * The policy's decisions on insurers' subscriptions, for the Subscription provider and the notifier:
 * whose subscriptions a request works on, whether a stored one is the caller's, and whether an insurer
 * is told of a newly stored checkup report. What to decide stays in the policy.
 */
@Component
public class SubscriptionAccess {

    private final AccessPolicy policy;
    private final CallerResolver callers;

    SubscriptionAccess(AccessPolicy policy, CallerResolver callers) {
        this.policy = policy;
        this.callers = callers;
    }

    /** The insurer number whose subscriptions this request creates or lists; refused for every other caller. */
    public String subscriber(RequestDetails request) {
        SearchScope scope = policy.subscriptionSearch(callers.resolve(request).requester().orElseThrow());
        if (!scope.permits()) {
            throw Refusals.of(scope.reason(), scope.reason().explanation());
        }
        return scope.value();
    }

    /** Whether the caller may read, change or delete a subscription {@code subscriber} created (else: as if absent). */
    public boolean mayUse(RequestDetails request, String subscriber) {
        return policy.subscription(callers.resolve(request).requester().orElseThrow(), subscriber).permits();
    }

    /**
     * The insurers a stored report's labels name for delivery: the only ones whose subscriptions can be told of it
     * (so a submission looks at their subscriptions, not at every insurer's); {@link #notifies} still decides.
     */
    public java.util.Set<String> candidates(Meta indexMeta) {
        return ShareLabels.labelsOf(indexMeta).stream().filter(jp.clinsgateway.consent.Label.InsurerDelivery.class::isInstance)
                .map(l -> ((jp.clinsgateway.consent.Label.InsurerDelivery) l).insurer())
                .collect(java.util.stream.Collectors.toSet());
    }

    /** Whether the insurer {@code insurerNumber} is told that the report indexed with these labels arrived. */
    public boolean notifies(String insurerNumber, Meta indexMeta) {
        return policy.notifiesOfReport(new Requester.Insurer(insurerNumber), ShareLabels.labelsOf(indexMeta)).permits();
    }
}
