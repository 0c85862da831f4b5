package jp.clinsgateway.server.notification;

import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.Delete;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import jp.clinsgateway.server.access.SubscriptionAccess;
import jp.clinsgateway.server.web.Rejection;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Subscription;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/**
 * {@code Subscription}: an insurer creates, reads, lists, updates and deletes its own rest-hook
 * subscriptions to its members' new checkup reports ({@link SubscriptionRules}); another caller's
 * subscription answers as if it did not exist, and only insurers have any.
 */
@Component
public class SubscriptionProvider implements IResourceProvider {

    private final Subscriptions subscriptions;
    private final SubscriptionAccess access;
    private final SubscriptionRules rules;
    private final NotificationProperties properties;

    SubscriptionProvider(Subscriptions subscriptions, SubscriptionAccess access, NotificationProperties properties) {
        this.subscriptions = subscriptions;
        this.access = access;
        this.rules = new SubscriptionRules(new EndpointRule(properties));
        this.properties = properties;
    }

    @Override
    public Class<Subscription> getResourceType() {
        return Subscription.class;
    }

    @Create
    public MethodOutcome create(@ResourceParam Subscription asked, RequestDetails request) {
        String insurer = access.subscriber(request);
        Subscription kept = rules.accepted(asked, insurer);
        Subscription stored = subscriptions.createWithin(insurer, kept, properties.perInsurer())
                .orElseThrow(() -> Rejection.unprocessable(IssueType.BUSINESSRULE, "Subscription",
                        "An insurer holds at most " + properties.perInsurer() + " subscriptions: update or delete one"))
                .subscription();
        return new MethodOutcome(stored.getIdElement(), true).setResource(stored);
    }

    @Read
    public Subscription read(@IdParam IdType id, RequestDetails request) {
        return own(id, request).subscription();
    }

    @Search
    public IBundleProvider search(@OptionalParam(name = Subscription.SP_STATUS) TokenParam status,
                                     @OptionalParam(name = "_id") TokenParam id, RequestDetails request) {
        String insurer = access.subscriber(request);
        List<Subscription> own = subscriptions.of(insurer, Optional.ofNullable(status).map(TokenParam::getValue)).stream()
                .filter(s -> id == null || String.valueOf(s.id()).equals(id.getValue()))
                .map(Subscriptions.Stored::subscription).toList();
        // Whole, in one page: HAPI's paging store keeps only its own searches, so a page of this list would have no next link.
        SimpleBundleProvider whole = new SimpleBundleProvider(own);
        whole.setPreferredPageSize(Math.max(1, own.size()));
        return whole;
    }

    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam Subscription asked, RequestDetails request) {
        Subscriptions.Stored stored = own(id, request);
        Subscription kept = rules.accepted(asked, stored.insurer());
        Subscription updated = subscriptions.replace(stored.id(), kept).subscription();
        return new MethodOutcome(updated.getIdElement(), false).setResource(updated);
    }

    @Delete
    public MethodOutcome delete(@IdParam IdType id, RequestDetails request) {
        subscriptions.delete(own(id, request).id());
        return new MethodOutcome();
    }

    /** The caller's own subscription by id; any other answers exactly like one that does not exist. */
    private Subscriptions.Stored own(IdType id, RequestDetails request) {
        if (id == null || !id.hasIdPart()) {
            // a conditional update or delete (Subscription?status=...): a subscription is changed by its id only
            throw Rejection.malformed("Change or delete a subscription by its id: [base]/Subscription/[id]");
        }
        return (id.isIdPartValidLong() ? subscriptions.find(id.getIdPartAsLong()) : Optional.<Subscriptions.Stored>empty())
                .filter(s -> access.mayUse(request, s.insurer()))
                .orElseThrow(() -> new ResourceNotFoundException(ca.uhn.fhir.i18n.Msg.code(2001)
                        + "Resource Subscription/" + id.getIdPart() + " is not known"));
    }
}
