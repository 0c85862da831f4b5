package jp.clinsgateway.server.identity;

import ca.uhn.fhir.rest.api.server.RequestDetails;

/** Establishes the {@link Caller} of a request. */
public interface CallerResolver {
    Caller resolve(RequestDetails request);
}
