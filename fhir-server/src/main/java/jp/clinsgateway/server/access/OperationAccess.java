package jp.clinsgateway.server.access;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import jp.clinsgateway.consent.Label;
import jp.clinsgateway.consent.ShareCategory;
import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.server.labels.ShareLabels;
import org.hl7.fhir.r4.model.DocumentReference;
import jp.clinsgateway.consent.AccessPolicy;
import jp.clinsgateway.consent.Decision;
import jp.clinsgateway.consent.Purpose;
import jp.clinsgateway.consent.Requester;
import jp.clinsgateway.consent.SearchScope;
import jp.clinsgateway.consent.VisibleSet;
import jp.clinsgateway.server.identity.Caller;
import jp.clinsgateway.server.identity.CallerResolver;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The policy's decisions for the gateway's own providers and operations (the access log,
 * {@code $consent-check}, {@code $consent-code}, {@code $referral-destinations}): they ask here and apply the answer; what to
 * decide stays in the policy. Each refuses with the policy's answer when it denies.
 */
@Component
public class OperationAccess {

    private final AccessPolicy policy;
    private final CallerResolver callers;
    private final ReaderScope scope;
    private final ConsentCodes codes;
    private final DaoRegistry daoRegistry;
    private final AccessTrail trail;
    private final EmergencyWindows windows;
    private final java.time.Clock clock;

    OperationAccess(AccessPolicy policy, CallerResolver callers, ReaderScope scope, ConsentCodes codes, DaoRegistry daoRegistry,
                    AccessTrail trail, EmergencyWindows windows, java.time.Clock clock) {
        this.policy = policy;
        this.callers = callers;
        this.scope = scope;
        this.codes = codes;
        this.daoRegistry = daoRegistry;
        this.trail = trail;
        this.windows = windows;
        this.clock = clock;
    }

    // ------------------------------------------------------------------ break-glass

    /** An emergency window as opened or listed: its id in the review queue, and its review once done. */
    public record EmergencyWindowView(String id, jp.clinsgateway.consent.EmergencyWindow window, Optional<Instant> reviewed,
                                      Optional<String> reviewer, Optional<String> note) {
    }

    /**
     * Opens an emergency window for the caller's institution and one patient ({@code $break-glass}), if the policy
     * lets it (role, coded reason, text); a refusal is in the patient's access log.
     */
    public EmergencyWindowView openEmergencyWindow(RequestDetails request, String patient, String reasonCode, String text) {
        Caller caller = callers.resolve(request);
        Requester requester = caller.requester().orElseThrow();
        Optional<jp.clinsgateway.consent.EmergencyReason> reason = Optional.ofNullable(reasonCode)
                .flatMap(jp.clinsgateway.consent.EmergencyReason::fromCode);
        Decision decision = policy.openEmergencyWindow(requester, caller.hasRole(Caller.EMERGENCY_ACCESS), reason, text);
        if (!decision.permits()) {
            if (requester.kind() == Requester.Kind.INSTITUTION && scope.stored(patient).isPresent()) {
                trail.read(request, caller, jp.clinsgateway.server.audit.AccessEntry.Kind.READ, patient, "Patient/$break-glass", Optional.empty(),
                        jp.clinsgateway.server.audit.AccessEntry.Outcome.REFUSED, decision.explanation());
            }
            throw Refusals.of(decision.reason(), decision.explanation(), reason.isEmpty() ? "reason" : "text");
        }
        if (scope.stored(patient).isEmpty()) {
            throw Refusals.absent(patient);
        }
        jp.clinsgateway.consent.EmergencyWindow window = policy.emergencyWindow(requester.id(), patient, reason.get(), text.strip(), clock.instant());
        long id = windows.open(window);
        return new EmergencyWindowView(Long.toString(id), window, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The review queue as the caller may see it ({@code $emergency-reviews}). */
    public List<EmergencyWindowView> emergencyReviews(RequestDetails request, Optional<Boolean> reviewed) {
        return windows.list(reviewerScope(request), reviewed).stream().map(OperationAccess::view).toList();
    }

    /** Marks a window reviewed by the caller, with a note ({@code $review-emergency}); 404 for one the caller may not review. */
    public EmergencyWindowView reviewEmergency(RequestDetails request, long id, String note) {
        Optional<String> openedBy = reviewerScope(request);
        EmergencyWindows.Stored stored = windows.find(id).filter(w -> openedBy.map(w.window().institution()::equals).orElse(true))
                .orElseThrow(() -> Refusals.absent("emergency window " + id));
        Requester reviewer = requester(request);
        String who = reviewer.kind() == Requester.Kind.OPERATOR ? "operator" : "privacy-officer of " + reviewer.id();
        if (!windows.review(stored.id(), who, note, clock.instant())) {
            throw jp.clinsgateway.server.web.Rejection.conflict("window", "This emergency window was already reviewed");
        }
        return view(windows.find(id).orElseThrow());
    }

    /** Which windows the caller reviews: empty = all (the operator); a code = that institution's (its privacy officer). */
    private Optional<String> reviewerScope(RequestDetails request) {
        Caller caller = callers.resolve(request);
        SearchScope search = policy.emergencyReviews(caller.requester().orElseThrow(), caller.hasRole(Caller.PRIVACY_OFFICER));
        if (!search.permits()) {
            throw Refusals.of(search.reason(), search.reason().explanation());
        }
        return search.narrowing() == SearchScope.Narrowing.OPENED_BY ? Optional.of(search.value()) : Optional.empty();
    }

    private static EmergencyWindowView view(EmergencyWindows.Stored stored) {
        return new EmergencyWindowView(Long.toString(stored.id()), stored.window(), stored.reviewed(), stored.reviewer(), stored.note());
    }

    /** The caller of a request the request gate has admitted (so identified). */
    private Requester requester(RequestDetails request) {
        return callers.resolve(request).requester().orElseThrow();
    }

    /** What {@code viewer} may see of {@code patient} now, for {@code $consent-check} (refused unless the caller may ask). */
    public VisibleSet consentCheck(RequestDetails request, String patient, String viewer, Purpose purpose) {
        Decision decision = policy.consentCheck(requester(request), patient, viewer);
        if (!decision.permits()) {
            throw Refusals.of(decision.reason(), decision.reason().explanation(), "viewer");
        }
        if (scope.stored(patient).isEmpty()) {
            throw Refusals.absent(patient);
        }
        return scope.visibleSetFor(viewer, purpose, patient);
    }

    /** A one-time consent code of the calling patient for one institution. */
    public IssuedCode consentCode(RequestDetails request, String institution) {
        Requester requester = requester(request);
        Decision decision = policy.consentCode(requester, requester.id());
        if (!decision.permits()) {
            throw Refusals.of(decision.reason(), decision.reason().explanation());
        }
        ConsentCodes.Issued issued = codes.issue(requester.id(), institution);
        return new IssuedCode(issued.code(), requester.id(), issued.institution(), issued.expires());
    }

    /**
     * The referral letters about the calling patient (where each is addressed and whether it waits for
     * the patient's consent to that destination), for {@code $referral-destinations}.
     */
    public List<Destination> referralDestinations(RequestDetails request, String patient) {
        Requester requester = requester(request);
        Decision decision = policy.referralDestinations(requester, patient);
        if (!decision.permits()) {
            throw Refusals.of(decision.reason(), decision.reason().explanation(), "patient");
        }
        SearchParameterMap letters = SearchParameterMap.newSynchronous()
                .add("patient", new ReferenceParam(patient))
                .add("category", new TokenParam(GatewayCanonical.SHARE_CATEGORY, ShareCategory.REFERRAL_LETTER.code()));
        return daoRegistry.getResourceDao(DocumentReference.class).search(letters, new SystemRequestDetails()).getAllResources().stream()
                .map(DocumentReference.class::cast)
                .flatMap(index -> ShareLabels.labelsOf(index.getMeta()).stream()
                        .filter(Label.AddressedTo.class::isInstance).map(l -> ((Label.AddressedTo) l).institution())
                        .map(to -> new Destination(index.getIdElement().getIdPart(), ShareLabels.authorOf(index.getMeta()).orElse(""), to,
                                Optional.ofNullable(index.getDate()).map(java.util.Date::toInstant),
                                !scope.visibleSetFor(to, Purpose.TREATMENT, patient).decisions().get(ShareCategory.REFERRAL_LETTER).permits())))
                .toList();
    }

    /** A referral letter's sender and destination, and whether it waits for the patient's consent. */
    public record Destination(String letter, String from, String to, Optional<Instant> date, boolean onHold) {
    }

    /** The caller, if the policy lets it cancel, restore or change a document {@code authorInstitution} submitted. */
    public Caller documentLifecycle(RequestDetails request, String authorInstitution) {
        Caller caller = callers.resolve(request);
        Decision decision = policy.documentLifecycle(caller.requester().orElseThrow(), authorInstitution);
        if (!decision.permits()) {
            throw Refusals.of(decision.reason(), decision.reason().explanation(), "identifier");
        }
        return caller;
    }

    /** A destination check, in the access log (about no patient: the operator sees it). */
    public void destinationChecked(RequestDetails request, String destination, boolean connected) {
        trail.checkedDestination(request, callers.resolve(request), destination, connected);
    }

    /** A code as issued to the patient: shown once, never stored in the clear. */
    public record IssuedCode(String code, String patient, String institution, Instant expires) {
    }

    /** Which access log entries a search covers: one patient's, or (the operator's) all. */
    public Optional<String> accessLogPatient(RequestDetails request, Optional<String> named) {
        SearchScope search = policy.accessLogSearch(requester(request));
        if (!search.permits()) {
            throw Refusals.of(search.reason(), search.reason().explanation());
        }
        return search.narrowing() == SearchScope.Narrowing.PATIENT ? Optional.of(search.value()) : named;
    }

    /** Whether the caller may read an access log entry about {@code patient} (else: as if it did not exist). */
    public boolean mayReadAccessLogEntry(RequestDetails request, String patient) {
        return policy.readAccessLogEntry(requester(request), patient).permits();
    }
}
