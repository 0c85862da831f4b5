package jp.clinsgateway.server.access;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import jakarta.servlet.http.HttpServletRequest;
import jp.clinsgateway.consent.AccessPolicy;
import jp.clinsgateway.consent.Decision;
import jp.clinsgateway.consent.GatewayOperation;
import jp.clinsgateway.consent.Interaction;
import jp.clinsgateway.consent.Purpose;
import jp.clinsgateway.consent.Reason;
import jp.clinsgateway.consent.RequestDecision;
import jp.clinsgateway.consent.RequestFacts;
import jp.clinsgateway.consent.SmartScopes;
import jp.clinsgateway.server.identity.Caller;
import jp.clinsgateway.server.identity.CallerResolver;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The first enforcement point of every FHIR request: turns it into {@link RequestFacts}, asks the
 * policy, and refuses what it refuses before anything is read. Checks each search parameter
 * against the policy's allow-list, and binds each page of search results to the caller (and scope
 * constraints) whose search made it.
 */
@Component
@Interceptor
class RequestGate {

    /** The scope constraints a permitted request runs under, for the later per-resource checks. */
    static final String SCOPE_CONSTRAINTS = RequestGate.class.getName() + ".constraints";

    private final AccessPolicy policy;
    private final CallerResolver callers;
    private final PageOwners pages;

    RequestGate(AccessPolicy policy, CallerResolver callers, PageOwners pages) {
        this.policy = policy;
        this.callers = callers;
        this.pages = pages;
    }

    /** A POST to the base is a transaction or batch: refused before HAPI looks for a handler it does not have. */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_PROCESSED)
    public boolean refuseBatches(HttpServletRequest request) {
        String path = request.getPathInfo();
        if ("POST".equals(request.getMethod()) && (path == null || path.equals("/"))) {
            RequestDecision decision = policy.request(new RequestFacts(Optional.empty(), Purpose.TREATMENT, SmartScopes.parse(""),
                    Interaction.BATCH, null, Optional.empty(), false, false));
            throw Refusals.of(decision.reason(), decision.explanation());
        }
        return true;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void admit(RequestDetails request, RestOperationTypeEnum operation) {
        Caller caller = callers.resolve(request);
        Interaction interaction = interactionOf(operation);
        String type = request.getResourceName();
        Optional<String> pageConstraints = Optional.empty();
        if (interaction == Interaction.PAGE && caller.requester().isPresent()) {
            String searchId = single(request, "_getpages").orElse("");
            PageOwners.Owner owner = pages.of(searchId).orElseThrow(() -> Refusals.absent("search " + searchId));
            Decision page = policy.readPage(caller.requester().get(), owner.requester());
            if (!page.permits()) {
                throw Refusals.absent("search " + searchId); // as if there were no such search
            }
            type = owner.resourceType();
            pageConstraints = Optional.of(owner.scopeConstraints());
        }
        Optional<GatewayOperation> gatewayOperation = interaction == Interaction.OPERATION
                ? GatewayOperation.named(operation == RestOperationTypeEnum.VALIDATE ? "$validate" : request.getOperation())
                : Optional.empty();
        boolean instanceLevel = operation == RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE
                || (operation == RestOperationTypeEnum.VALIDATE && request.getId() != null && request.getId().hasIdPart());
        boolean conditional = (operation == RestOperationTypeEnum.CREATE && request.getHeader("If-None-Exist") != null)
                || (operation == RestOperationTypeEnum.UPDATE && (request.getId() == null || !request.getId().hasIdPart()));
        RequestDecision decision = policy.request(new RequestFacts(caller.requester(), caller.purpose(), caller.scopes(),
                interaction, type, gatewayOperation, instanceLevel, conditional));
        if (!decision.permits()) {
            throw Refusals.of(decision.reason(), decision.explanation());
        }
        List<Map<String, String>> constraints = decision.scopeConstraints();
        request.getUserData().put(SCOPE_CONSTRAINTS, constraints);
        if (interaction == Interaction.SEARCH) {
            checkParameters(request, type);
        }
        if (pageConstraints.isPresent() && !pageConstraints.get().equals(fingerprint(constraints))) {
            throw Refusals.of(Reason.SCOPE_NOT_GRANTED, Reason.SCOPE_NOT_GRANTED.explanation()
                    + ": this page belongs to a search made under other scopes; search again");
        }
    }

    /** Registers the owner of a search whose answer has a next page, before the answer leaves. */
    @Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = -1000)
    public void bindPagesToTheirSearch(RequestDetails request, ResponseDetails response) {
        if (request.getRestOperationType() != RestOperationTypeEnum.SEARCH_TYPE
                || !(response.getResponseResource() instanceof Bundle bundle) || bundle.getLink("next") == null) {
            return;
        }
        Caller caller = callers.resolve(request);
        String next = bundle.getLink("next").getUrl();
        int at = next.indexOf("_getpages=");
        if (at < 0 || caller.requester().isEmpty()) {
            return;
        }
        String searchId = next.substring(at + "_getpages=".length()).split("&", 2)[0];
        @SuppressWarnings("unchecked")
        List<Map<String, String>> constraints = (List<Map<String, String>>) request.getUserData().getOrDefault(SCOPE_CONSTRAINTS, List.of());
        pages.register(searchId, caller.requester().get(), request.getResourceName(), fingerprint(constraints));
    }

    private void checkParameters(RequestDetails request, String type) {
        if (request.getParameters() == null) {
            return;
        }
        for (String parameter : request.getParameters().keySet()) {
            Optional<String> refusal = policy.refusesParameter(type, parameter);
            if (refusal.isPresent()) {
                throw Refusals.of(Reason.PARAMETER_NOT_OFFERED, refusal.get(), parameter);
            }
        }
    }

    /** The scope constraints a search ran under, as one comparable string. */
    static String fingerprint(List<Map<String, String>> constraints) {
        return constraints.stream()
                .map(c -> new java.util.TreeMap<>(c).toString())
                .sorted()
                .collect(Collectors.joining(" or "));
    }

    private static Optional<String> single(RequestDetails request, String parameter) {
        String[] values = request.getParameters() == null ? null : request.getParameters().get(parameter);
        return values == null || values.length == 0 ? Optional.empty() : Optional.of(values[0]);
    }

    /** HAPI's operation types, as the policy's interactions; what is not named here is an operation nobody is offered. */
    static Interaction interactionOf(RestOperationTypeEnum operation) {
        return switch (operation) {
            case METADATA -> Interaction.CAPABILITIES;
            case READ -> Interaction.READ;
            case VREAD -> Interaction.VREAD;
            case SEARCH_TYPE, SEARCH_SYSTEM -> Interaction.SEARCH;
            case GET_PAGE -> Interaction.PAGE;
            case HISTORY_INSTANCE, HISTORY_TYPE, HISTORY_SYSTEM -> Interaction.HISTORY;
            case CREATE -> Interaction.CREATE;
            case UPDATE -> Interaction.UPDATE;
            case PATCH -> Interaction.PATCH;
            case DELETE -> Interaction.DELETE;
            case TRANSACTION, BATCH -> Interaction.BATCH;
            default -> Interaction.OPERATION; // $validate, our operations, and every other operation (refused)
        };
    }
}
