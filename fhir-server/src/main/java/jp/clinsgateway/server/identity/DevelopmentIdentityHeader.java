package jp.clinsgateway.server.identity;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.springframework.stereotype.Component;

/**
 * DEVELOPMENT ONLY: takes the caller's institution code from an unauthenticated request header.
 * Anyone can set a header, so this is switched off by {@code gateway.identity.development-header-enabled=false}
 * and is to be replaced by verified tokens.
 */
@Component
public class DevelopmentIdentityHeader implements CallerResolver {

    public static final String HEADER = "X-Development-Institution-Code";

    private final IdentityProperties properties;

    public DevelopmentIdentityHeader(IdentityProperties properties) {
        this.properties = properties;
    }

    @Override
    public Caller resolve(RequestDetails request) {
        if (!properties.developmentHeaderEnabled()) {
            return Caller.ANONYMOUS;
        }
        String code = request.getHeader(HEADER);
        return code == null || code.isBlank() ? Caller.ANONYMOUS : Caller.institution(code.strip());
    }
}
