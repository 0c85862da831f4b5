package jp.clinsgateway.server.notification;

import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.server.web.Rejection;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;

import java.util.Locale;
import java.util.Set;

/**
 * What an insurer may ask for in a Subscription: the one criteria the gateway supports, a rest-hook
 * without payload (so no health data leaves in the notification: R4 then sends an empty POST, and the
 * insurer calls its since-query), an endpoint the {@link EndpointRule} allows, and its own headers for
 * its endpoint's authentication. Anything else is refused with the element's path.
 */
final class SubscriptionRules {

    /** The one criteria: new checkup reports, as the insurer's since-query finds them (its members', as it receives them). */
    static final String CRITERIA = "DocumentReference?category=checkup-report";
    private static final Set<String> CRITERIA_FORMS = Set.of(CRITERIA,
            "DocumentReference?category=" + GatewayCanonical.SHARE_CATEGORY + "|checkup-report");

    private static final int MAX_HEADERS = 5;
    private static final int MAX_HEADER_LENGTH = 4096;
    /** Headers the HTTP exchange itself sets; an insurer's header never replaces them. */
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "content-type", "connection",
            "transfer-encoding", "expect", "upgrade", "te", "trailer", "keep-alive", "proxy-authorization", "proxy-connection");

    private final EndpointRule endpoints;

    SubscriptionRules(EndpointRule endpoints) {
        this.endpoints = endpoints;
    }

    /**
     * The subscription as the gateway keeps it: status {@code active} (asked {@code requested} or {@code active})
     * or {@code off}, no error; refused when it asks for anything the gateway does not do.
     */
    Subscription accepted(Subscription asked, String insurer) {
        Subscription.SubscriptionStatus status = asked.getStatus();
        if (status != Subscription.SubscriptionStatus.REQUESTED && status != Subscription.SubscriptionStatus.ACTIVE
                && status != Subscription.SubscriptionStatus.OFF) {
            throw Rejection.unprocessable(IssueType.VALUE, "Subscription.status",
                    "Ask for status 'requested' (the gateway answers 'active') or 'off'; 'error' is the gateway's to set");
        }
        if (!CRITERIA_FORMS.contains(asked.getCriteria() == null ? "" : asked.getCriteria().trim())) {
            throw Rejection.unprocessable(IssueType.NOTSUPPORTED, "Subscription.criteria",
                    "The gateway notifies only of new checkup reports: criteria '" + CRITERIA + "'");
        }
        Subscription.SubscriptionChannelComponent channel = asked.getChannel();
        if (channel.getType() != Subscription.SubscriptionChannelType.RESTHOOK) {
            throw Rejection.unprocessable(IssueType.NOTSUPPORTED, "Subscription.channel.type", "The gateway notifies by rest-hook only");
        }
        if (channel.hasPayload() || channel.getPayloadElement().hasExtension()) {
            throw Rejection.unprocessable(IssueType.NOTSUPPORTED, "Subscription.channel.payload",
                    "Notifications carry no payload (an empty POST: no health data leaves in a notification); "
                            + "leave payload out and search DocumentReference?category=checkup-report&_lastUpdated=gt[time] when notified");
        }
        endpoints.refusal(insurer, channel.getEndpoint()).ifPresent(why -> {
            throw Rejection.unprocessable(IssueType.VALUE, "Subscription.channel.endpoint", why);
        });
        if (channel.getHeader().size() > MAX_HEADERS) {
            throw Rejection.unprocessable(IssueType.TOOLONG, "Subscription.channel.header", "At most " + MAX_HEADERS + " headers");
        }
        for (int i = 0; i < channel.getHeader().size(); i++) {
            checkHeader(channel.getHeader().get(i), "Subscription.channel.header[" + i + "]");
        }
        if (asked.hasEnd() && asked.getEnd().toInstant().isBefore(java.time.Instant.now())) {
            throw Rejection.unprocessable(IssueType.VALUE, "Subscription.end", "The end is in the past");
        }
        Subscription kept = new Subscription();
        kept.setStatus(status == Subscription.SubscriptionStatus.OFF ? Subscription.SubscriptionStatus.OFF : Subscription.SubscriptionStatus.ACTIVE);
        kept.setCriteria(CRITERIA);
        kept.setReason(asked.hasReason() ? asked.getReason() : "New checkup reports of the insurer's members");
        asked.getContact().forEach(c -> kept.addContact(c.copy()));
        if (asked.hasEnd()) {
            kept.setEndElement(asked.getEndElement().copy());
        }
        kept.getChannel().setType(Subscription.SubscriptionChannelType.RESTHOOK).setEndpoint(channel.getEndpoint().trim());
        channel.getHeader().forEach(h -> kept.getChannel().addHeader(h.getValue().trim()));
        kept.getMeta().addTag(GatewayCanonical.SUBSCRIBER, insurer, null);
        return kept;
    }

    /** {@code Name: value}, a token name that is not the exchange's own, no line breaks (no header injection). */
    private static void checkHeader(StringType header, String path) {
        String value = header.getValue() == null ? "" : header.getValue();
        int colon = value.indexOf(':');
        String name = colon <= 0 ? "" : value.substring(0, colon).trim();
        if (value.length() > MAX_HEADER_LENGTH || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
                || !name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+") || RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            throw Rejection.unprocessable(IssueType.VALUE, path,
                    "A header is 'Name: value' on one line (e.g. 'Authorization: Bearer ...'), not one the HTTP exchange sets itself");
        }
    }

    /** Name and value of a kept header. */
    static String[] split(String header) {
        int colon = header.indexOf(':');
        return new String[]{header.substring(0, colon).trim(), header.substring(colon + 1).trim()};
    }
}
