package jp.clinsgateway.server.identity;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.searchparam.matcher.SearchParamMatcher;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import jp.clinsgateway.consent.Requester;
import jp.clinsgateway.server.identity.SmartScopes.Interaction;
import jp.clinsgateway.server.submission.Rejection;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Lets a request through only if the caller's SMART scopes grant its interaction on its resource
 * type (403 otherwise). A scope with a query ({@code patient/Observation.rs?category=laboratory})
 * grants only matching resources: a search must carry those parameters, a read must hit a match.
 * What the scopes grant is still narrowed by whose data the caller may see (the consent engine).
 * Every request's caller is established here first, so a bad token is refused on any path.
 */
@Component
@Interceptor
public class ScopeEnforcement {

    private static final String CONSTRAINED_READ = ScopeEnforcement.class.getName() + ".constrained";

    private final CallerResolver callers;
    private final SearchParamMatcher matcher;

    public ScopeEnforcement(CallerResolver callers, SearchParamMatcher matcher) {
        this.callers = callers;
        this.matcher = matcher;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void checkScopes(RequestDetails request, RestOperationTypeEnum operation) {
        Caller caller = callers.resolve(request);
        if (caller.requester().isEmpty()) {
            return; // anonymous: what needs an identity refuses with 401 where it is read
        }
        Optional<Access> access = accessOf(request, operation);
        if (access.isEmpty()) {
            return;
        }
        if (access.get().type() == null) { // the next page of a search already allowed
            if (!caller.scopes().permitsAny(Interaction.SEARCH)) {
                throw Rejection.forbidden(null, "The access token's scopes allow no search");
            }
            return;
        }
        String type = access.get().type();
        Interaction interaction = access.get().interaction();
        List<Map<String, String>> allowing = caller.scopes().allowing(type, interaction);
        if (allowing.isEmpty()) {
            String context = caller.requester().get() instanceof Requester.PatientSelf ? "patient/" : "system/";
            throw Rejection.forbidden(null, "The access token's scopes do not allow " + interaction.name().toLowerCase()
                    + " of " + type + " (a scope such as " + context + type + "." + interaction.letter() + " is needed)");
        }
        if (allowing.stream().anyMatch(Map::isEmpty)) {
            return;
        }
        if (interaction == Interaction.SEARCH) {
            boolean carried = allowing.stream().anyMatch(constraint -> constraint.entrySet().stream().allMatch(c -> carries(request, c)));
            if (!carried) {
                throw Rejection.forbidden(null, "The access token allows only " + allowing.stream()
                        .map(c -> type + "?" + c.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&")))
                        .collect(Collectors.joining(" or ")) + "; add those search parameters");
            }
        } else {
            request.getUserData().put(CONSTRAINED_READ, allowing.stream()
                    .map(c -> type + "?" + c.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&")))
                    .toList());
        }
    }

    /** A read under a query-constrained scope: the resource must match one of the scope's queries. */
    @Hook(Pointcut.STORAGE_PRESHOW_RESOURCES)
    public void checkConstrainedRead(IPreResourceShowDetails details, RequestDetails request) {
        if (request == null || !(request.getUserData().get(CONSTRAINED_READ) instanceof List<?> criteria)) {
            return;
        }
        for (IBaseResource resource : details) {
            if (resource != null && criteria.stream().noneMatch(c -> matcher.match((String) c, resource, request).matched())) {
                throw Rejection.forbidden(null, "The access token's scopes cover only " + criteria);
            }
        }
    }

    private record Access(String type, Interaction interaction) {
    }

    private static Optional<Access> accessOf(RequestDetails request, RestOperationTypeEnum operation) {
        String type = request.getResourceName();
        switch (operation) {
            case READ:
            case VREAD:
                return Optional.of(new Access(type, Interaction.READ));
            case SEARCH_TYPE:
                return Optional.of(new Access(type, Interaction.SEARCH));
            case GET_PAGE:
                return Optional.of(new Access(null, Interaction.SEARCH));
            case CREATE:
                return Optional.of(new Access(type, Interaction.CREATE));
            case UPDATE:
            case PATCH:
                return Optional.of(new Access(type, Interaction.UPDATE));
            case DELETE:
                return Optional.of(new Access(type, Interaction.DELETE));
            case EXTENDED_OPERATION_SERVER:
            case EXTENDED_OPERATION_TYPE:
                return operationAccess(request.getOperation());
            default:
                return Optional.empty(); // metadata, and what other layers refuse anyway
        }
    }

    private static Optional<Access> operationAccess(String operation) {
        if ("$submit".equals(operation)) {
            return Optional.of(new Access("Bundle", Interaction.CREATE));
        }
        if ("$consent-check".equals(operation)) {
            return Optional.of(new Access("Consent", Interaction.READ));
        }
        return Optional.empty(); // $validate stores and reveals nothing
    }

    private static boolean carries(RequestDetails request, Map.Entry<String, String> constraint) {
        String[] values = request.getParameters() == null ? null : request.getParameters().get(constraint.getKey());
        return values != null && values.length == 1 && values[0].equals(constraint.getValue());
    }
}
