package jp.clinsgateway.server.notification;

import jp.clinsgateway.server.support.DocumentBuilder;
import jp.clinsgateway.server.support.DocumentKeys;
import jp.clinsgateway.server.support.FhirHttp;
import jp.clinsgateway.server.support.GatewayTest;
import jp.clinsgateway.server.support.TestPatient;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static jp.clinsgateway.server.support.Institutions.OSAKA_CLINIC;
import static jp.clinsgateway.server.support.Institutions.TOKYO_CENTRAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Insurers told of their members' new checkup reports, over HTTP: each insurer subscribes with a
 * rest-hook to its endpoint (a real HTTP server in the test), Tokyo Central submits checkups, and each
 * endpoint receives exactly the empty POSTs the policy allows. Runs on each database.
 */
abstract class CheckupNotificationContract extends GatewayTest {

    private static final Duration RECEIPT = Duration.ofSeconds(20);

    private final HookReceiver receiver = new HookReceiver();

    @org.springframework.beans.factory.annotation.Autowired
    private javax.sql.DataSource dataSource;

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }



    /** A checkup report of this programme (010 insurer-run, 030 employer-run, 990 人間ドック). */
    private static Bundle checkup(TestPatient patient, String programme, Boolean agreedOnQuestionnaire) {
        Bundle report = DocumentBuilder.checkupReport().forPatient(patient).ranBy(programme)
                .agreedOnQuestionnaire(agreedOnQuestionnaire).build();
        return report;
    }

    private static Subscription aSubscription(String endpoint, String... headers) {
        Subscription subscription = new Subscription();
        subscription.setStatus(Subscription.SubscriptionStatus.REQUESTED);
        subscription.setReason("加入者の新しい健診結果");
        subscription.setCriteria("DocumentReference?category=checkup-report");
        subscription.getChannel().setType(Subscription.SubscriptionChannelType.RESTHOOK).setEndpoint(endpoint);
        for (String header : headers) {
            subscription.getChannel().addHeader(header);
        }
        return subscription;
    }

    /** Subscribes and insists on acceptance; answers {@code Subscription/[id]}. */
    private String subscribe(FhirHttp insurer, Subscription subscription) {
        FhirHttp.Response created = insurer.create(subscription);
        assertEquals(201, created.status(), created::toString);
        Subscription stored = created.resource(Subscription.class);
        assertEquals(Subscription.SubscriptionStatus.ACTIVE, stored.getStatus(), "requested, answered active");
        return stored.getIdElement().toUnqualifiedVersionless().getValue();
    }

    private void submit(Bundle report) {
        accepted(TOKYO_CENTRAL, report);
    }

    private static FhirHttp.Response delete(FhirHttp caller, String path) {
        return caller.send(HttpRequest.newBuilder(URI.create(caller.base() + path)).DELETE());
    }

    /**
     * Waits until nothing is queued for the subscription any more, and insists it is still active: every
     * notice was delivered, none is waiting for a retry (a failed one would leave it in error).
     */
    private void assertAllDelivered(FhirHttp insurer, String subscription) {
        long id = Long.parseLong(subscription.substring("Subscription/".length()));
        org.springframework.jdbc.core.JdbcTemplate jdbc = new org.springframework.jdbc.core.JdbcTemplate(dataSource);
        assertTrue(HookReceiver.within(RECEIPT, () -> jdbc.queryForObject("select count(*) from gateway_notification where subscription = ?",
                Integer.class, id) == 0), "nothing left to send");
        assertEquals(Subscription.SubscriptionStatus.ACTIVE, insurer.get(subscription).resource(Subscription.class).getStatus(),
                "every notification accepted by the endpoint the first time");
    }

    private static List<String> paths(FhirHttp.Response refused) {
        return refused.outcome().getIssue().stream().flatMap(i -> i.getExpression().stream()).map(e -> e.getValue()).toList();
    }

    @Test
    void aMembersNewCheckupReportReachesItsInsurerAsOneEmptyPostWithItsHeaderAndNoOtherInsurerHearsOfIt() {
        String insurer = TestPatient.anInsurer();
        String other = TestPatient.anInsurer();
        String subscription = subscribe(fhir.asInsurer(insurer),
                aSubscription(receiver.endpoint("/" + insurer), "Authorization: Bearer token-of-" + insurer));
        String othersSubscription = subscribe(fhir.asInsurer(other), aSubscription(receiver.endpoint("/" + other)));

        submit(checkup(TestPatient.memberOf(TestPatient.anInsurer()), "010", null)); // a non-member's report: neither is told
        submit(checkup(TestPatient.memberOf(insurer), "030", null));     // an employer checkup: the insurer receives its 特定健診 items

        assertTrue(HookReceiver.within(RECEIPT, () -> !receiver.at("/" + insurer).isEmpty()), "the member's insurer is notified");
        // The other insurer's own member's report, last: once it has arrived, everything queued before it has been sent.
        submit(checkup(TestPatient.memberOf(other), "010", null));
        assertTrue(HookReceiver.within(RECEIPT, () -> !receiver.at("/" + other).isEmpty()), "the other insurer hears of its own member");

        assertAllDelivered(fhir.asInsurer(insurer), subscription);
        assertAllDelivered(fhir.asInsurer(other), othersSubscription);
        List<HookReceiver.Received> told = receiver.at("/" + insurer);
        assertEquals(1, told.size(), "one notification for one report, none for the non-member's or the other insurer's member's");
        assertEquals("POST", told.get(0).method());
        assertEquals(0, told.get(0).bodyLength(), "no payload: no health data in the notification");
        assertEquals("Bearer token-of-" + insurer, told.get(0).header("Authorization"), "the subscription's own header");
        assertEquals(1, receiver.at("/" + other).size(), "the other insurer: only its own member's report");
        assertNull(receiver.at("/" + other).get(0).header("Authorization"), "never another subscription's header");

        // Notified, the insurer asks its since-query: the report is there.
        Bundle since = searchAs(fhir.asInsurer(insurer), "DocumentReference?category=checkup-report&_lastUpdated=gt2020-01-01T00:00:00Z");
        assertEquals(1, since.getEntry().size());
    }

    @Test
    void aComprehensiveCheckupWithoutTheQuestionnaireAgreementTellsTheInsurerNothing() {
        String insurer = TestPatient.anInsurer();
        String subscription = subscribe(fhir.asInsurer(insurer), aSubscription(receiver.endpoint("/" + insurer)));
        TestPatient member = TestPatient.memberOf(insurer);

        submit(checkup(member, "990", null));  // 人間ドック, no answer on the questionnaire
        submit(checkup(member, "990", false)); // 人間ドック, the patient said no
        submit(checkup(member, "990", true));  // agreed: the 特定健診 items reach the insurer, so it is told

        assertTrue(HookReceiver.within(RECEIPT, () -> !receiver.at("/" + insurer).isEmpty()), "the agreed one is notified");
        assertAllDelivered(fhir.asInsurer(insurer), subscription);
        assertEquals(1, receiver.at("/" + insurer).size(), "the two without agreement told nothing");
    }

    @Test
    void nobodyButTheSubscribingInsurerSeesOrChangesItsSubscription() {
        String insurer = TestPatient.anInsurer();
        FhirHttp owner = fhir.asInsurer(insurer);
        String subscription = subscribe(owner, aSubscription(receiver.endpoint("/" + insurer), "Authorization: Bearer secret-" + insurer));
        String id = subscription.substring("Subscription/".length());

        FhirHttp otherInsurer = fhir.asInsurer(TestPatient.anInsurer());
        assertEquals(404, otherInsurer.get(subscription).status(), "another insurer: as if it did not exist");
        FhirHttp.Response listed = otherInsurer.get("Subscription");
        assertEquals(200, listed.status(), listed::toString);
        assertEquals(0, listed.resource(Bundle.class).getEntry().size(), "another insurer lists none of it");
        assertEquals(0, otherInsurer.get("Subscription?_id=" + id).resource(Bundle.class).getEntry().size());
        Subscription hijack = aSubscription("http://127.0.0.1:9/stolen");
        hijack.setId(subscription);
        assertEquals(404, otherInsurer.update(hijack).status(), "nor change it");
        assertEquals(404, delete(otherInsurer, subscription).status(), "nor delete it");

        for (FhirHttp stranger : List.of(fhir.asInstitution(TOKYO_CENTRAL), fhir.asPatient("Patient/1"), fhir.asOperator())) {
            for (String path : List.of(subscription, "Subscription", "Subscription?_id=" + id)) {
                FhirHttp.Response answer = stranger.get(path);
                assertEquals(403, answer.status(), () -> path + ": " + answer);
                assertFalse(answer.body().contains("secret-"), "never the insurer's header");
            }
            assertEquals(403, stranger.update(hijack).status());
            assertEquals(403, delete(stranger, subscription).status());
        }
        for (String other : List.of(subscription + "/_history", "Subscription/_history", subscription + "/_history/1",
                "Subscription?_include=*", "Subscription?_revinclude=*", "Subscription?_has:DocumentReference:subject:_id=1",
                "DocumentReference?category=checkup-report&_include=*")) {
            FhirHttp.Response answer = otherInsurer.get(other);
            assertTrue(answer.status() >= 400 && answer.status() < 500 || !answer.body().contains("secret-"),
                    () -> other + " shows the subscription: " + answer);
            assertFalse(answer.body().contains("secret-"), () -> other + " gives away its header: " + answer);
        }

        Subscription own = owner.get(subscription).resource(Subscription.class);
        assertEquals("Authorization: Bearer secret-" + insurer, own.getChannel().getHeader().get(0).getValue(), "the owner reads its own");
        assertEquals(1, owner.get("Subscription").resource(Bundle.class).getEntry().size());
        own.setStatus(Subscription.SubscriptionStatus.OFF);
        FhirHttp.Response off = owner.update(own);
        assertEquals(200, off.status(), off::toString);
        assertEquals(Subscription.SubscriptionStatus.OFF, owner.get(subscription).resource(Subscription.class).getStatus());
        assertEquals(1, owner.get("Subscription?status=off").resource(Bundle.class).getEntry().size());
        FhirHttp.Response deleted = delete(owner, subscription);
        assertTrue(deleted.status() == 200 || deleted.status() == 204, deleted::toString);
        assertEquals(404, owner.get(subscription).status());
    }

    @Test
    void conditionalWritesAndAnonymousCallersChangeNoInsurersSubscription() {
        String insurer = TestPatient.anInsurer();
        FhirHttp owner = fhir.asInsurer(insurer);
        String subscription = subscribe(owner, aSubscription(receiver.endpoint("/" + insurer), "Authorization: Bearer secret-" + insurer));
        String body = FhirHttp.FHIR.newJsonParser().encodeResourceToString(aSubscription("http://127.0.0.1:9/stolen"));

        FhirHttp otherInsurer = fhir.asInsurer(TestPatient.anInsurer());
        for (String conditional : List.of("Subscription?status=active", "Subscription?_id=" + subscription.substring("Subscription/".length()))) {
            FhirHttp.Response put = otherInsurer.put(conditional, body);
            assertTrue(put.status() >= 400 && put.status() < 500, () -> "conditional update " + conditional + ": " + put);
            FhirHttp.Response removed = delete(otherInsurer, conditional);
            assertTrue(removed.status() >= 400 && removed.status() < 500, () -> "conditional delete " + conditional + ": " + removed);
        }
        FhirHttp.Response anonymous = fhir.get(subscription);
        assertEquals(401, anonymous.status(), anonymous::toString);
        assertFalse(anonymous.body().contains("secret-"));
        assertEquals(401, delete(fhir, subscription).status());

        Subscription still = owner.get(subscription).resource(Subscription.class);
        assertEquals(receiver.endpoint("/" + insurer), still.getChannel().getEndpoint(), "its endpoint unchanged");
        assertEquals(Subscription.SubscriptionStatus.ACTIVE, still.getStatus());
    }

    @Test
    void aSubscriptionAskingForWhatTheGatewayDoesNotDoIsRefusedAtTheElement() {
        FhirHttp insurer = fhir.asInsurer(TestPatient.anInsurer());
        String endpoint = receiver.endpoint("/refused");

        Subscription withPayload = aSubscription(endpoint);
        withPayload.getChannel().setPayload("application/fhir+json");
        assertRefusedAt(insurer.create(withPayload), "Subscription.channel.payload");

        Subscription foreign = aSubscription(endpoint);
        foreign.setCriteria("Observation?code=http://loinc.org|4548-4");
        assertRefusedAt(insurer.create(foreign), "Subscription.criteria");
        foreign.setCriteria("DocumentReference?category=checkup-report&patient=Patient/1");
        assertRefusedAt(insurer.create(foreign), "Subscription.criteria");

        for (String internal : List.of("https://10.0.0.5/hook", "https://192.168.1.10/hook", "https://169.254.169.254/latest/meta-data",
                "https://[fd00::1]/hook", "https://100.64.0.1/hook", "http://example.org/hook", "ftp://127.0.0.1/hook",
                "https://user:pw@127.0.0.1/hook", "/relative")) {
            assertRefusedAt(insurer.create(aSubscription(internal)), "Subscription.channel.endpoint");
        }

        Subscription websocket = aSubscription(endpoint);
        websocket.getChannel().setType(Subscription.SubscriptionChannelType.WEBSOCKET);
        assertRefusedAt(insurer.create(websocket), "Subscription.channel.type");
        assertRefusedAt(insurer.create(aSubscription(endpoint, "X-Injected: a\r\nHost: internal")), "Subscription.channel.header[0]");
        assertRefusedAt(insurer.create(aSubscription(endpoint, "Host: internal.example")), "Subscription.channel.header[0]");
        Subscription error = aSubscription(endpoint);
        error.setStatus(Subscription.SubscriptionStatus.ERROR);
        assertRefusedAt(insurer.create(error), "Subscription.status");

        assertEquals(0, insurer.get("Subscription").resource(Bundle.class).getEntry().size(), "nothing refused was kept");
        org.hl7.fhir.r4.model.CapabilityStatement capabilities = fhir.get("metadata").resource(org.hl7.fhir.r4.model.CapabilityStatement.class);
        List<String> offered = capabilities.getRestFirstRep().getResource().stream().filter(r -> "Subscription".equals(r.getType()))
                .flatMap(r -> r.getInteraction().stream()).map(i -> i.getCode().toCode()).sorted().toList();
        assertEquals(List.of("create", "delete", "read", "search-type", "update"), offered, "the CapabilityStatement says what is offered");
        assertEquals(403, fhir.asInstitution(TOKYO_CENTRAL).create(aSubscription(endpoint)).status(), "institutions do not subscribe");
        assertEquals(403, fhir.asPatient("Patient/1").create(aSubscription(endpoint)).status(), "patients neither");
    }

    private static void assertRefusedAt(FhirHttp.Response refused, String path) {
        assertTrue(refused.status() >= 400 && refused.status() < 500, refused::toString);
        assertTrue(paths(refused).contains(path), () -> "names " + path + ": " + refused);
        assertTrue(refused.outcome().getIssue().stream().allMatch(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR));
    }

    @Test
    void aFailingEndpointIsRetriedAndThenTheSubscriptionShowsTheError() {
        String insurer = TestPatient.anInsurer();
        FhirHttp owner = fhir.asInsurer(insurer);
        receiver.answer("/" + insurer, 503);
        String subscription = subscribe(owner, aSubscription(receiver.endpoint("/" + insurer), "Authorization: Bearer secret-" + insurer));

        submit(checkup(TestPatient.memberOf(insurer), "010", null));

        assertTrue(HookReceiver.within(RECEIPT, () -> owner.get(subscription).resource(Subscription.class).getStatus()
                == Subscription.SubscriptionStatus.ERROR), "the subscription shows the failure");
        Subscription failed = owner.get(subscription).resource(Subscription.class);
        assertTrue(failed.getError().contains("HTTP 503"), failed::getError);
        assertFalse(failed.getError().contains("secret-"), "the error never holds the header");
        assertEquals(3, receiver.at("/" + insurer).size(), "tried as often as configured (3 in the tests), then stopped");

        // The insurer fixes its endpoint and asks again: the next report is delivered.
        receiver.answer("/" + insurer, 200);
        failed.setStatus(Subscription.SubscriptionStatus.REQUESTED);
        failed.setError(null);
        FhirHttp.Response resumed = owner.update(failed);
        assertEquals(200, resumed.status(), resumed::toString);
        assertEquals(Subscription.SubscriptionStatus.ACTIVE, resumed.resource(Subscription.class).getStatus());
        submit(checkup(TestPatient.memberOf(insurer), "010", null));
        assertTrue(HookReceiver.within(RECEIPT, () -> receiver.at("/" + insurer).size() == 4), "delivered again once active");
        assertAllDelivered(owner, subscription);
    }

    /** {@code gateway.notification.per-insurer}'s default, which the tests keep. */
    private static final int SUBSCRIPTIONS_PER_INSURER = 10;

    @Test
    void concurrentSubscribesNeverLeaveAnInsurerMoreThanItsLimit() throws Exception {
        String insurer = TestPatient.anInsurer();
        FhirHttp owner = fhir.asInsurer(insurer);
        ExecutorService senders = Executors.newFixedThreadPool(16);
        List<FhirHttp.Response> answers = new ArrayList<>();
        try {
            List<Future<FhirHttp.Response>> sent = new ArrayList<>();
            for (int i = 0; i < 5 * SUBSCRIPTIONS_PER_INSURER; i++) {
                sent.add(senders.submit(() -> owner.create(aSubscription(receiver.endpoint("/" + insurer)))));
            }
            for (Future<FhirHttp.Response> answer : sent) {
                answers.add(answer.get());
            }
        } finally {
            senders.shutdownNow();
        }
        long created = answers.stream().filter(a -> a.status() == 201).count();
        for (FhirHttp.Response answer : answers) {
            assertTrue(answer.status() == 201 || answer.status() == 422, answer::toString);
            if (answer.status() == 422) {
                assertTrue(answer.body().contains("at most " + SUBSCRIPTIONS_PER_INSURER), answer::toString);
            }
        }
        int held = searchAs(owner, "Subscription").getEntry().size();
        assertTrue(held <= SUBSCRIPTIONS_PER_INSURER, "held " + held);
        assertEquals(created, held, "every accepted create is kept, no refused one is");

        // One at a time the insurer reaches exactly its limit, and the next is refused.
        for (int i = held; i < SUBSCRIPTIONS_PER_INSURER; i++) {
            subscribe(owner, aSubscription(receiver.endpoint("/" + insurer)));
        }
        FhirHttp.Response over = owner.create(aSubscription(receiver.endpoint("/" + insurer)));
        assertEquals(422, over.status(), over::toString);
        assertEquals(SUBSCRIPTIONS_PER_INSURER, searchAs(owner, "Subscription").getEntry().size());
    }

    @Test
    void aCancelledCheckupReportIsNotToldAndARestoredOneIsToldAgainToItsInsurerOnly() {
        String insurer = TestPatient.anInsurer();
        FhirHttp owner = fhir.asInsurer(insurer);
        String subscription = subscribe(owner, aSubscription(receiver.endpoint("/" + insurer)));
        String other = TestPatient.anInsurer();
        String othersSubscription = subscribe(fhir.asInsurer(other), aSubscription(receiver.endpoint("/" + other)));
        TestPatient member = TestPatient.memberOf(insurer);
        Bundle report = checkup(member, "010", null);
        String patient = versionless(located(accepted(TOKYO_CENTRAL, report), "Patient"));
        assertTrue(HookReceiver.within(RECEIPT, () -> receiver.at("/" + insurer).size() == 1), "told of the stored report");
        assertAllDelivered(owner, subscription);

        FhirHttp author = fhir.asInstitution(TOKYO_CENTRAL);
        FhirHttp.Response cancelled = author.post("$cancel-document", null, DocumentKeys.of(report, member), "application/fhir+json");
        assertEquals(200, cancelled.status(), cancelled::toString);
        assertAllDelivered(owner, subscription);
        assertEquals(1, receiver.at("/" + insurer).size(), "a cancel tells nothing");

        // Nobody but the author restores it, and a refused restore tells nobody.
        for (FhirHttp stranger : List.of(fhir.asInstitution(OSAKA_CLINIC), owner, fhir.asPatient(patient), fhir)) {
            FhirHttp.Response refused = stranger.post("$restore-document", null, DocumentKeys.of(report, member), "application/fhir+json");
            assertTrue(refused.status() >= 400 && refused.status() < 500, refused::toString);
        }
        assertAllDelivered(owner, subscription);
        assertEquals(1, receiver.at("/" + insurer).size(), "a refused restore tells nothing");

        FhirHttp.Response restored = author.post("$restore-document", null, DocumentKeys.of(report, member), "application/fhir+json");
        assertEquals(200, restored.status(), restored::toString);
        assertTrue(HookReceiver.within(RECEIPT, () -> receiver.at("/" + insurer).size() == 2), "told again: the report is back in the since-query");
        assertAllDelivered(owner, subscription);
        assertAllDelivered(fhir.asInsurer(other), othersSubscription);
        assertEquals(List.of(), receiver.at("/" + other), "another insurer is told nothing of a member not its own");
    }

    @Test
    void anInsurersSubscriptionsComeWholeInOnePageWithNoPageLinkForAnyoneToFollow() {
        String insurer = TestPatient.anInsurer();
        FhirHttp owner = fhir.asInsurer(insurer);
        for (int i = 0; i < SUBSCRIPTIONS_PER_INSURER; i++) {
            subscribe(owner, aSubscription(receiver.endpoint("/" + insurer)));
        }
        Bundle all = searchAs(owner, "Subscription");
        assertEquals(SUBSCRIPTIONS_PER_INSURER, all.getEntry().size(), "every one, in one page");
        assertNull(all.getLink("next"), "no page link");
        for (String paged : List.of("Subscription?_count=1", "Subscription?_offset=1")) {
            FhirHttp.Response refused = owner.get(paged);
            assertEquals(400, refused.status(), refused::toString);
            assertEquals(paged.substring(paged.indexOf('?') + 1, paged.indexOf('=')),
                    refused.outcome().getIssueFirstRep().getExpression().get(0).getValue(), refused::toString);
        }
    }
}
