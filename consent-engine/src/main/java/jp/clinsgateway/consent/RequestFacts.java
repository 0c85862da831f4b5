package jp.clinsgateway.consent;

import java.util.Optional;

/**
 * One request as the policy sees it, before anything is read.
 *
 * @param requester     who asks; empty for an anonymous caller
 * @param purpose       the purpose of use declared
 * @param scopes        the SMART scopes the caller's token was granted
 * @param interaction   what is asked
 * @param resourceType  the FHIR type asked about (for a page: the type its search was of); null at the base
 * @param operation     for {@link Interaction#OPERATION}: which of the gateway's operations, empty for any other
 * @param instanceLevel whether the interaction names one resource (an operation on {@code Type/[id]})
 * @param conditional   whether a write is conditional ({@code If-None-Exist}, or an update by search URL)
 */
public record RequestFacts(Optional<Requester> requester, Purpose purpose, SmartScopes scopes, Interaction interaction,
                           String resourceType, Optional<GatewayOperation> operation, boolean instanceLevel,
                           boolean conditional) {

    public ResourceKind kind() {
        return ResourceKind.ofType(resourceType);
    }
}
