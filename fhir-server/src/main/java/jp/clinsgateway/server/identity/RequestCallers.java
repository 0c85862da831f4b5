package jp.clinsgateway.server.identity;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.springframework.stereotype.Component;

/**
 * The caller of a request, established once per request: from its bearer token when it has one
 * (a bad token is refused, never read as anonymous), else from the development headers where they
 * are switched on, else anonymous.
 */
@Component
public class RequestCallers implements CallerResolver {

    private static final String PER_REQUEST = RequestCallers.class.getName();

    private final AccessTokens tokens;
    private final DevelopmentIdentityHeader developmentHeader;

    public RequestCallers(AccessTokens tokens, DevelopmentIdentityHeader developmentHeader) {
        this.tokens = tokens;
        this.developmentHeader = developmentHeader;
    }

    @Override
    public Caller resolve(RequestDetails request) {
        Object known = request.getUserData().get(PER_REQUEST);
        if (known instanceof Caller caller) {
            return caller;
        }
        Caller caller = establish(request);
        request.getUserData().put(PER_REQUEST, caller);
        return caller;
    }

    private Caller establish(RequestDetails request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && !authorization.isBlank()) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw AccessTokens.invalid("Present the access token as 'Authorization: Bearer <token>'");
            }
            return tokens.callerOf(authorization.substring(7).strip());
        }
        return developmentHeader.callerOf(request).orElse(Caller.ANONYMOUS);
    }
}
