package jp.clinsgateway.consent;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every shape of request (caller × purpose × scopes × interaction × type × operation × instance
 * level × conditional): what is permitted is exactly the golden table below, stated here a second
 * time on purpose, and nothing outside it; every refusal says how it is answered.
 */
class EveryRequestTest {

    private static final AccessPolicy POLICY = new AccessPolicy(PolicySettings.DEFAULTS);
    private static final List<String> TYPES = new ArrayList<>(ResourceKind.servedTypes());

    static {
        TYPES.add(null);
        TYPES.add("Practitioner");
        TYPES.add("Organization");
    }

    /**
     * The golden table: "KIND INTERACTION TYPE-OR-OPERATION" for everything any caller may ask with
     * scopes granting everything and the caller's own purpose.
     */
    private static final Set<String> PERMITTED = Set.of(
            // institutions: shared records (narrowed by consent), documents by id, patients (by member ID or related),
            // the consents they recorded, consent writes, conformance; submit, validate, consent-check about themselves
            "INSTITUTION READ|VREAD|SEARCH|PAGE Condition|AllergyIntolerance|Observation|MedicationRequest|DocumentReference|Patient|Consent|SearchParameter",
            "INSTITUTION READ|VREAD Bundle",
            "INSTITUTION CREATE|UPDATE Consent",
            "INSTITUTION OPERATION $submit|$validate|$consent-check|$cancel-document|$restore-document|$change-document|$destination-check|$break-glass|$emergency-reviews|$review-emergency|$institution-search",
            "PATIENT READ|VREAD|SEARCH|PAGE Condition|AllergyIntolerance|Observation|MedicationRequest|DocumentReference|Patient|Consent|AuditEvent|SearchParameter",
            "PATIENT READ|VREAD Bundle",
            "PATIENT CREATE|UPDATE Consent",
            "PATIENT OPERATION $validate|$consent-check|$consent-code|$referral-destinations|$institution-search",
            "INSURER READ|VREAD|SEARCH|PAGE Condition|AllergyIntolerance|Observation|MedicationRequest|DocumentReference|Patient|SearchParameter",
            "INSURER READ|VREAD Bundle",
            "INSURER OPERATION $validate",
            // insurers: their own subscriptions to new checkup reports of their members (no versions, no history, no pages)
            "INSURER CREATE|READ|SEARCH|UPDATE|DELETE Subscription",
            "OPERATOR READ|VREAD Condition|AllergyIntolerance|Observation|MedicationRequest|DocumentReference|Bundle",
            "OPERATOR READ|VREAD|SEARCH|PAGE Patient|Consent|AuditEvent|SearchParameter",
            "OPERATOR OPERATION $validate|$consent-check|$emergency-reviews|$review-emergency|$retention|$access-signals|$consent-statistics");

    private static Set<String> expanded() {
        Set<String> all = new HashSet<>();
        for (String row : PERMITTED) {
            String[] parts = row.split(" ");
            for (String interaction : parts[1].split("\\|")) {
                for (String target : parts[2].split("\\|")) {
                    all.add(parts[0] + " " + interaction + " " + target);
                }
            }
        }
        return all;
    }

    private static List<Optional<Requester>> requesters() {
        return List.of(Optional.empty(), Optional.of(new Requester.Institution("1311234567")),
                Optional.of(new Requester.PatientSelf("Patient/7")), Optional.of(new Requester.Insurer("06139991")),
                Optional.of(new Requester.Operator()));
    }

    @Test
    void exactlyTheGoldenTableIsPermittedAndEveryRefusalIsAnsweredAsItSays() {
        Set<String> permitted = new HashSet<>();
        int asked = 0;
        for (Optional<Requester> requester : requesters()) {
            for (Purpose purpose : Purpose.values()) {
                for (String scope : List.of("system/*.cruds", "", "system/*.rs", "patient/Observation.rs?category=laboratory")) {
                    for (Interaction interaction : Interaction.values()) {
                        for (String type : TYPES) {
                            List<Optional<GatewayOperation>> operations = new ArrayList<>();
                            operations.add(Optional.empty());
                            if (interaction == Interaction.OPERATION) {
                                for (GatewayOperation operation : GatewayOperation.values()) {
                                    operations.add(Optional.of(operation));
                                }
                            }
                            for (Optional<GatewayOperation> operation : operations) {
                                for (boolean instance : List.of(false, true)) {
                                    for (boolean conditional : List.of(false, true)) {
                                        RequestFacts facts = new RequestFacts(requester, purpose, SmartScopes.parse(scope), interaction,
                                                type, operation, instance, conditional);
                                        RequestDecision decision = POLICY.request(facts);
                                        asked++;
                                        check(facts, decision);
                                        if (decision.permits() && requester.isPresent()
                                                && purpose == Purpose.defaultFor(requester.get().kind()) && scope.equals("system/*.cruds")) {
                                            String target = interaction == Interaction.OPERATION ? operation.get().operationName() : type;
                                            permitted.add(requester.get().kind() + " " + interaction + " " + target);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        permitted.removeIf(p -> p.contains(" CAPABILITIES "));
        assertEquals(new java.util.TreeSet<>(expanded()), new java.util.TreeSet<>(permitted));
        assertTrue(asked > 50_000, "asked " + asked);
    }

    /** The rules that must hold for every request, whatever the table says. */
    private static void check(RequestFacts facts, RequestDecision decision) {
        Interaction interaction = facts.interaction();
        String shape = facts.toString();
        if (!decision.permits()) {
            assertNotNull(decision.reason().refusal(), () -> "a refusal says how it is answered: " + shape);
            if (facts.requester().isEmpty() && decision.reason().refusal() != Refusal.NOT_OFFERED
                    && decision.reason().refusal() != Refusal.BAD_REQUEST) {
                assertEquals(Refusal.UNAUTHENTICATED, decision.reason().refusal(), shape);
            }
            return;
        }
        assertTrue(facts.requester().isPresent() || interaction == Interaction.CAPABILITIES, () -> "anonymous: only the CapabilityStatement: " + shape);
        assertFalse(Set.of(Interaction.HISTORY, Interaction.PATCH, Interaction.BATCH).contains(interaction),
                () -> "never offered: " + shape);
        boolean insurer = facts.requester().map(r -> r.kind() == Requester.Kind.INSURER).orElse(false);
        if (interaction == Interaction.CREATE || interaction == Interaction.UPDATE || interaction == Interaction.DELETE) {
            assertTrue("Consent".equals(facts.resourceType()) && interaction != Interaction.DELETE
                            || "Subscription".equals(facts.resourceType()) && insurer,
                    () -> "the only client writes are Consents and insurers' Subscriptions: " + shape);
            assertFalse(facts.conditional(), () -> "no conditional writes: " + shape);
        }
        if ("Subscription".equals(facts.resourceType()) && interaction != Interaction.CAPABILITIES && interaction != Interaction.OPERATION) {
            assertTrue(insurer, () -> "only insurers have subscriptions: " + shape);
        }
        if (interaction == Interaction.OPERATION) {
            assertFalse(facts.instanceLevel(), () -> "no instance-level operations: " + shape);
        }
        if (interaction == Interaction.SEARCH || interaction == Interaction.PAGE) {
            assertFalse("Bundle".equals(facts.resourceType()), () -> "documents are found through their index: " + shape);
        }
        facts.requester().ifPresent(requester -> {
            if (interaction != Interaction.CAPABILITIES) {
                assertTrue(facts.purpose().mayBeDeclaredBy(requester.kind()), () -> "a purpose the caller may declare: " + shape);
            }
            if (requester.kind() == Requester.Kind.OPERATOR && (interaction == Interaction.SEARCH || interaction == Interaction.PAGE)) {
                assertFalse(facts.kind().clinical(), () -> "the operator never searches clinical records: " + shape);
            }
            boolean needsNoScope = interaction == Interaction.CAPABILITIES
                    || facts.operation().map(o -> o == GatewayOperation.VALIDATE).orElse(false);
            if (facts.scopes().grants().isEmpty()) {
                assertTrue(needsNoScope, () -> "without scopes, only capabilities and $validate: " + shape);
            }
            if (!decision.scopeConstraints().isEmpty()) {
                assertEquals("Observation", facts.resourceType(), () -> "only a constrained scope's type is constrained: " + shape);
            }
        });
    }
}
