package jp.clinsgateway.server.access;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.IQueryParameterType;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.util.ICachedSearchDetails;
import jp.clinsgateway.consent.AccessPolicy;
import jp.clinsgateway.consent.Reason;
import jp.clinsgateway.consent.Requester;
import jp.clinsgateway.consent.ResourceKind;
import jp.clinsgateway.consent.SearchScope;
import jp.clinsgateway.consent.VisibleSet;
import jp.clinsgateway.server.consent.ConsentProperties;
import jp.clinsgateway.server.identity.Caller;
import jp.clinsgateway.server.identity.CallerResolver;
import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.server.labels.ConsentProvenance;
import jp.clinsgateway.server.labels.PatientRelations;
import jp.clinsgateway.server.labels.ShareLabels;
import jp.clinsgateway.server.patient.JpIdentifiers;
import jp.clinsgateway.server.patient.PatientRegistry;
import org.hl7.fhir.r4.model.IdType;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Narrows every client search inside the database query to what the policy lets the caller see,
 * so totals and pages are right and hidden records cost nothing: shared records by the labels of
 * the caller's visible set ({@code _tag}), Patients and Consents by the policy's search scope.
 */
@Component
@Interceptor
class SearchNarrowing {

    /** Set when the Patient search is a lookup by exactly one member ID (the per-resource check reads it). */
    static final String MEMBER_ID_LOOKUP = SearchNarrowing.class.getName() + ".memberIdLookup";

    /** A tag no record carries: a caller who may see nothing still gets a well-formed, empty search. */
    private static final TokenParam NOTHING = new TokenParam(GatewayCanonical.SHARE_CATEGORY, "none-visible");

    private final AccessPolicy policy;
    private final CallerResolver callers;
    private final ReaderScope scope;
    private final AccessTrail trail;
    private final boolean enforcing;
    private final MatchUrlService matchUrls;
    private final FhirContext fhirContext;

    SearchNarrowing(AccessPolicy policy, CallerResolver callers, ReaderScope scope, AccessTrail trail, ConsentProperties properties,
                    MatchUrlService matchUrls, FhirContext fhirContext) {
        this.policy = policy;
        this.callers = callers;
        this.scope = scope;
        this.trail = trail;
        this.enforcing = properties.enforcementEnabled();
        this.matchUrls = matchUrls;
        this.fhirContext = fhirContext;
    }

    @Hook(Pointcut.STORAGE_PRESEARCH_REGISTERED)
    public void narrow(SearchParameterMap map, ICachedSearchDetails details, RequestDetails request) {
        // Only the client's own search: the gateway's searches on its behalf run as the system.
        if (request == null || request.getRestOperationType() != RestOperationTypeEnum.SEARCH_TYPE
                || !details.getResourceType().equals(request.getResourceName())) {
            return;
        }
        Caller caller = callers.resolve(request);
        Requester requester = caller.requester().orElseThrow(); // the request gate admits no anonymous search
        String type = details.getResourceType();
        narrowToScopes(map, type, request);
        switch (ResourceKind.ofType(type)) {
            case SHARED_RECORD -> {
                if (enforcing) {
                    narrowSharedRecords(map, caller, type, request);
                }
            }
            case PATIENT -> narrowPatients(map, requester, request);
            case CONSENT -> narrowConsents(map, policy.consentSearch(requester));
            default -> {
                // conformance resources: nothing personal to narrow
            }
        }
    }

    /**
     * A token whose scopes grant this type only with a query ({@code patient/Observation.rs?category=laboratory})
     * gets the matching resources: the scope's parameters are added to the search, as SMART's granular
     * scopes ask, rather than the search refused. Several constraints on one parameter become one OR-list;
     * constraints that FHIR search cannot OR together (on different parameters) must be asked for.
     */
    private void narrowToScopes(SearchParameterMap map, String type, RequestDetails request) {
        @SuppressWarnings("unchecked")
        List<Map<String, String>> constraints = (List<Map<String, String>>) request.getUserData()
                .getOrDefault(RequestGate.SCOPE_CONSTRAINTS, List.of());
        if (constraints.isEmpty()) {
            return;
        }
        boolean oneParameter = constraints.stream().allMatch(c -> c.size() == 1)
                && constraints.stream().map(c -> c.keySet().iterator().next()).distinct().count() == 1;
        String query;
        if (constraints.size() == 1) {
            query = constraints.get(0).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
        } else if (oneParameter) {
            String name = constraints.get(0).keySet().iterator().next();
            query = name + "=" + constraints.stream().map(c -> c.get(name)).collect(Collectors.joining(","));
        } else {
            throw Refusals.of(Reason.SCOPE_NOT_GRANTED, Reason.SCOPE_NOT_GRANTED.explanation() + ": the token allows only "
                    + constraints.stream().map(c -> type + "?" + c.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("&"))).collect(Collectors.joining(" or ")) + "; search each of them");
        }
        SearchParameterMap scoped = matchUrls.translateMatchUrl(type + "?" + query, fhirContext.getResourceDefinition(type));
        for (String name : scoped.keySet()) {
            List<List<IQueryParameterType>> asked = map.get(name);
            List<List<IQueryParameterType>> both = new java.util.ArrayList<>(asked == null ? List.of() : asked);
            for (List<IQueryParameterType> allowed : scoped.get(name)) { // AND: what was asked, and what the scope allows
                if (both.stream().noneMatch(orList -> tokens(orList).equals(tokens(allowed)))) {
                    both.add(allowed);
                }
            }
            map.put(name, both);
        }
    }

    private java.util.Set<String> tokens(List<IQueryParameterType> orList) {
        return orList.stream().map(p -> (p.getQueryParameterQualifier() == null ? "" : p.getQueryParameterQualifier()) + "="
                + p.getValueAsQueryToken(fhirContext)).collect(Collectors.toSet());
    }

    private void narrowSharedRecords(SearchParameterMap map, Caller caller, String type, RequestDetails request) {
        Optional<VisibleSet> acrossPatients = namesAPatient(map) ? Optional.empty()
                : policy.acrossPatients(caller.requester().get(), type);
        VisibleSet visible;
        if (acrossPatients.isPresent()) {
            // an insurer's search of all its members' reports: each member's log gets an entry as their reports are shown
            visible = acrossPatients.get();
        } else {
            String patient = namedPatient(map);
            visible = scope.visibleSet(caller, patient, request);
            if (policy.audited(caller.requester().get(), Optional.empty())) {
                trail.searched(request, caller, type, patient, parameterNames(request), Explanations.of(visible));
            }
        }
        TokenOrListParam tags = new TokenOrListParam();
        visible.labels().stream().map(ShareLabels::tokenOf).forEach(tags::add);
        if (tags.getValuesAsQueryTokens().isEmpty()) {
            tags.add(NOTHING);
        }
        map.add("_tag", tags);
    }

    private void narrowPatients(SearchParameterMap map, Requester requester, RequestDetails request) {
        Optional<String> memberId = oneMemberId(map);
        SearchScope search = policy.patientSearch(requester, memberId);
        if (!search.permits()) {
            throw Refusals.of(search.reason(), search.reason().explanation(), "identifier");
        }
        switch (search.narrowing()) {
            case PATIENT_ITSELF -> map.add("_id", new TokenParam(new IdType(search.value()).getIdPart()));
            case MEMBER_ID -> request.getUserData().put(MEMBER_ID_LOOKUP, Boolean.TRUE);
            case RELATED_TO -> map.add("_tag", PatientRelations.relatedTo(search.value()));
            case NOTHING -> map.add("_id", new TokenParam("none"));
            default -> throw new IllegalStateException("No Patient search is narrowed by " + search.narrowing());
        }
    }

    private static void narrowConsents(SearchParameterMap map, SearchScope search) {
        if (!search.permits()) {
            throw Refusals.of(search.reason(), search.reason().explanation());
        }
        switch (search.narrowing()) {
            case PATIENT -> {
                // The patient's own, whatever they name: another patient's consents are simply not found.
                List<List<IQueryParameterType>> named = map.remove("patient");
                boolean another = named != null && named.stream().flatMap(List::stream)
                        .anyMatch(p -> !(p instanceof ReferenceParam ref) || !search.value().equals("Patient/" + ref.getIdPart()));
                map.add("patient", new ReferenceParam(search.value()));
                if (another) {
                    map.add("_id", new TokenParam("none"));
                }
            }
            case RECORDED_BY -> map.add("_tag", ConsentProvenance.recordedBy(search.value()));
            case NONE -> {
                // the operator: consent metadata of anyone
            }
            default -> throw new IllegalStateException("No Consent search is narrowed by " + search.narrowing());
        }
    }

    /** The one insurance member ID a Patient search asks for, when it asks for exactly that and nothing else. */
    private static Optional<String> oneMemberId(SearchParameterMap map) {
        List<List<IQueryParameterType>> identifiers = map.get("identifier");
        if (!map.keySet().stream().allMatch(p -> p.equals("identifier")) || identifiers == null || identifiers.size() != 1
                || identifiers.get(0).size() != 1 || !(identifiers.get(0).get(0) instanceof TokenParam token)
                || token.getModifier() != null || !JpIdentifiers.INSURANCE_MEMBER_ID.equals(token.getSystem())
                || token.getValue() == null || token.getValue().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(PatientRegistry.normalize(token.getValue()));
    }

    private static boolean namesAPatient(SearchParameterMap map) {
        return map.containsKey("patient") || map.containsKey("subject");
    }

    /** The one patient a search of shared records names ({@code patient} or {@code subject}). */
    private static String namedPatient(SearchParameterMap map) {
        for (String parameter : List.of("patient", "subject")) {
            List<List<IQueryParameterType>> andList = map.get(parameter);
            if (andList == null || andList.isEmpty()) {
                continue;
            }
            if (andList.size() == 1 && andList.get(0).size() == 1 && andList.get(0).get(0) instanceof ReferenceParam ref
                    && ref.getChain() == null && ref.getIdPart() != null
                    && (ref.getResourceType() == null || ref.getResourceType().equals("Patient"))) {
                return "Patient/" + ref.getIdPart();
            }
            throw Refusals.of(Reason.NAME_ONE_PATIENT, "Name exactly one patient: " + parameter + "=Patient/[id]", parameter);
        }
        throw Refusals.of(Reason.NAME_ONE_PATIENT, Reason.NAME_ONE_PATIENT.explanation(), "patient");
    }

    /** The names of the search's parameters, never their values (the operator reads the log). */
    static List<String> parameterNames(RequestDetails request) {
        Map<String, String[]> parameters = request.getParameters();
        return parameters == null ? List.of() : parameters.keySet().stream().sorted().toList();
    }
}
