package jp.clinsgateway.server.access;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.matcher.SearchParamMatcher;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import jp.clinsgateway.consent.AccessPolicy;
import jp.clinsgateway.consent.Decision;
import jp.clinsgateway.consent.InsurerView;
import jp.clinsgateway.consent.Label;
import jp.clinsgateway.consent.PatientView;
import jp.clinsgateway.consent.Reason;
import jp.clinsgateway.consent.Requester;
import jp.clinsgateway.consent.ResourceKind;
import jp.clinsgateway.consent.ShareCategory;
import jp.clinsgateway.consent.VisibleSet;
import jp.clinsgateway.server.audit.AccessEntry;
import jp.clinsgateway.server.consent.ConsentProperties;
import jp.clinsgateway.server.identity.Caller;
import jp.clinsgateway.server.identity.CallerResolver;
import jp.clinsgateway.server.labels.PatientRelations;
import jp.clinsgateway.server.labels.ShareLabels;
import jp.clinsgateway.server.patient.JpIdentifiers;
import jp.clinsgateway.server.web.Rejection;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The last enforcement point: every resource about to be shown to a client is decided by the
 * policy again. For a single read a refusal is a 404 worded as for a missing record; in a search,
 * where the narrowing should already have left it out, it is dropped and the narrowing's defect
 * logged. Patients are cut down to what the caller may see; only current versions are served;
 * reads under query-constrained scopes must match; each access is collected for the log.
 */
@Component
@Interceptor
class ShownResources {

    private static final Logger log = LoggerFactory.getLogger(ShownResources.class);
    private static final Set<RestOperationTypeEnum> CLIENT_READS = Set.of(RestOperationTypeEnum.READ, RestOperationTypeEnum.VREAD,
            RestOperationTypeEnum.SEARCH_TYPE, RestOperationTypeEnum.GET_PAGE);

    private final AccessPolicy policy;
    private final CallerResolver callers;
    private final ReaderScope scope;
    private final AccessTrail trail;
    private final DaoRegistry daoRegistry;
    private final SearchParamMatcher matcher;
    private final boolean enforcing;

    ShownResources(AccessPolicy policy, CallerResolver callers, ReaderScope scope, AccessTrail trail, DaoRegistry daoRegistry,
                   SearchParamMatcher matcher, ConsentProperties properties) {
        this.policy = policy;
        this.callers = callers;
        this.scope = scope;
        this.trail = trail;
        this.daoRegistry = daoRegistry;
        this.matcher = matcher;
        this.enforcing = properties.enforcementEnabled();
    }

    // On the resources about to be shown, not at STORAGE_PREACCESS_RESOURCES: there, looking at a
    // resource makes HAPI parse every search result a second time.
    @Hook(Pointcut.STORAGE_PRESHOW_RESOURCES)
    public void decideEach(IPreResourceShowDetails details, RequestDetails request) {
        if (request == null || !CLIENT_READS.contains(request.getRestOperationType())) {
            return;
        }
        Caller caller = callers.resolve(request);
        Requester requester = caller.requester().orElseThrow(); // the request gate admits no anonymous read
        boolean single = request.getRestOperationType() == RestOperationTypeEnum.READ
                || request.getRestOperationType() == RestOperationTypeEnum.VREAD;
        for (int i = 0; i < details.size(); i++) {
            if (!(details.getResource(i) instanceof Resource resource)) {
                continue;
            }
            Optional<Resource> shown = switch (ResourceKind.ofType(resource.fhirType())) {
                case SHARED_RECORD, DOCUMENT -> enforcing ? clinicalRecord(resource, caller, single, request) : Optional.of(resource);
                case PATIENT -> patient((Patient) resource, caller, single, request);
                case CONSENT -> decided(policy.readConsent(requester, StoredFacts.consent((Consent) resource)), resource, single, request);
                case CONFORMANCE -> Optional.of(resource);
                case SUBSCRIPTION -> decided(policy.subscription(requester, subscriberOf(resource)), resource, single, request);
                default -> Optional.<Resource>empty();
            };
            if (shown.isPresent() && single && request.getRestOperationType() == RestOperationTypeEnum.VREAD
                    && !policy.readVersion(isCurrent(resource)).permits()) {
                throw Refusals.absent(StoredFacts.versionless(resource) + "/_history/" + resource.getIdElement().getVersionIdPart());
            }
            if (shown.isPresent() && single) {
                requireScopeMatch(shown.get(), request);
            }
            details.setResource(i, shown.orElse(null));
        }
    }

    private Optional<Resource> clinicalRecord(Resource record, Caller caller, boolean single, RequestDetails request) {
        Requester requester = caller.requester().orElseThrow();
        Set<Label> labels = ShareLabels.labelsOf(record.getMeta());
        Optional<String> patient = StoredFacts.patientOf(record);
        Optional<String> author = ShareLabels.authorOf(record.getMeta());
        Optional<ShareCategory> category = StoredFacts.categoryOf(record);
        Optional<VisibleSet> visible = patient.map(p -> scope.visibleSet(caller, p, request));
        boolean admitted = visible.map(v -> v.admits(labels)).orElse(false);
        String id = StoredFacts.versionless(record);
        if (!admitted) {
            if (!single) {
                log.warn("Search narrowing let through {} for {}; dropped by the second line", id, requester);
                return Optional.empty();
            }
            patient.ifPresent(p -> trail.read(request, caller, kindOf(request), p, id, category, AccessEntry.Outcome.REFUSED,
                    category.flatMap(c -> visible.map(v -> v.decisions().get(c))).map(Decision::explanation)
                            .orElse("Refused: no rule or consent lets this reader see the record")));
            throw Refusals.absent(id);
        }
        if (single && record instanceof org.hl7.fhir.r4.model.Bundle && category.equals(Optional.of(ShareCategory.REFERRAL_LETTER))
                && labels.contains(new Label.AddressedTo(requester.id()))) {
            trail.fetched(request, id, requester.id());
        }
        Resource shown = record;
        if (record instanceof org.hl7.fhir.r4.model.Bundle document && category.equals(Optional.of(ShareCategory.CHECKUP_REPORT))) {
            InsurerView view = policy.checkupView(requester, labels);
            if (view == InsurerView.SPECIFIED_ITEMS) {
                shown = InsurerCheckupView.of(document, view, policy);
            } else if (view == InsurerView.NOTHING) {
                throw Refusals.absent(id); // the labels admitted it, so the narrowing and this disagree: never serve it
            }
        }
        if (policy.audited(requester, author)) {
            if (single) {
                trail.read(request, caller, kindOf(request), patient.get(), id, category, AccessEntry.Outcome.PERMITTED,
                        Explanations.of(visible.get()));
            } else {
                trail.shownInSearch(request, caller, record.fhirType(), patient.get(), category, () -> Explanations.of(visible.get()));
            }
        }
        return Optional.of(shown);
    }

    private Optional<Resource> patient(Patient patient, Caller caller, boolean single, RequestDetails request) {
        Requester requester = caller.requester().orElseThrow();
        AccessPolicy.PatientAccess access = Boolean.TRUE.equals(request.getUserData().get(SearchNarrowing.MEMBER_ID_LOOKUP))
                ? AccessPolicy.PatientAccess.MEMBER_ID_LOOKUP : AccessPolicy.PatientAccess.BY_ID_OR_SEARCH;
        Decision decision = policy.readPatient(requester, StoredFacts.patient(patient), access);
        Optional<Resource> shown = decided(decision, patient, single, request);
        if (shown.isPresent() && policy.audited(requester, Optional.empty())) {
            trail.lookedUp(request, caller, StoredFacts.versionless(patient), SearchNarrowing.parameterNames(request), decision.explanation());
        }
        return shown.map(p -> viewOf((Patient) p, policy.patientView(requester), requester));
    }

    private static Optional<Resource> decided(Decision decision, Resource resource, boolean single, RequestDetails request) {
        if (decision.permits()) {
            return Optional.of(resource);
        }
        if (single) {
            throw Refusals.absent(StoredFacts.versionless(resource));
        }
        return Optional.empty();
    }

    /** A Patient cut down to what this caller is shown. */
    private static Patient viewOf(Patient stored, PatientView view, Requester requester) {
        switch (view) {
            case WHOLE:
                return stored;
            case WITHOUT_OTHER_INSTITUTIONS: {
                Patient shown = stored.copy();
                String own = JpIdentifiers.localPatientIdSystem(requester.id());
                shown.getIdentifier().removeIf(i -> i.getSystem() != null && i.getSystem().startsWith(JpIdentifiers.LOCAL_PATIENT_ID_PREFIX)
                        && !i.getSystem().equals(own));
                PatientRelations.keepOnly(shown.getMeta(), requester.id());
                return shown;
            }
            case WITHOUT_INSTITUTIONS: {
                Patient shown = stored.copy();
                shown.getIdentifier().removeIf(i -> i.getSystem() != null && i.getSystem().startsWith(JpIdentifiers.LOCAL_PATIENT_ID_PREFIX));
                PatientRelations.keepOnly(shown.getMeta(), "");
                return shown;
            }
            default: {
                Patient shown = new Patient();
                shown.setIdElement(stored.getIdElement().copy());
                shown.setMeta(new Meta().setVersionIdElement(stored.getMeta().getVersionIdElement().copy())
                        .setLastUpdatedElement(stored.getMeta().getLastUpdatedElement().copy()));
                stored.getIdentifier().stream().filter(i -> JpIdentifiers.INSURANCE_MEMBER_ID.equals(i.getSystem()))
                        .forEach(i -> shown.addIdentifier(i.copy()));
                return shown;
            }
        }
    }

    /** The insurer that created a subscription, from the tag the gateway writes on it; none: nobody's. */
    private static String subscriberOf(Resource subscription) {
        return subscription.getMeta().getTag().stream()
                .filter(t -> jp.clinsgateway.server.ig.GatewayCanonical.SUBSCRIBER.equals(t.getSystem()) && t.hasCode())
                .map(org.hl7.fhir.r4.model.Coding::getCode).findFirst().orElse("");
    }

    /** Whether this is the record's current version (a withdrawn record has none). */
    private boolean isCurrent(Resource resource) {
        try {
            IBaseResource current = daoRegistry.getResourceDao(resource.fhirType())
                    .read(resource.getIdElement().toUnqualifiedVersionless(), new SystemRequestDetails());
            return current.getIdElement().getVersionIdPart().equals(resource.getIdElement().getVersionIdPart());
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return false;
        }
    }

    /** A read under a query-constrained scope: the resource must match one of the scope's queries. */
    private void requireScopeMatch(Resource resource, RequestDetails request) {
        @SuppressWarnings("unchecked")
        List<Map<String, String>> constraints = (List<Map<String, String>>) request.getUserData().getOrDefault(RequestGate.SCOPE_CONSTRAINTS, List.of());
        if (constraints.isEmpty()) {
            return;
        }
        List<String> criteria = constraints.stream().map(c -> resource.fhirType() + "?" + c.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).reduce((a, b) -> a + "&" + b).orElse("")).toList();
        if (criteria.stream().noneMatch(c -> matcher.match(c, resource, request).matched())) {
            throw Rejection.forbidden(null, Reason.SCOPE_NOT_GRANTED.explanation() + ": the token's scopes cover only " + criteria);
        }
    }

    private static AccessEntry.Kind kindOf(RequestDetails request) {
        return request.getRestOperationType() == RestOperationTypeEnum.VREAD ? AccessEntry.Kind.VREAD : AccessEntry.Kind.READ;
    }
}
