package jp.clinsgateway.server.access;

import org.springframework.stereotype.Component;

import java.util.List;

/**
 * The enforcement adapter: the one place that turns FHIR requests into the policy's facts and its
 * decisions into refusals, query narrowing and access log entries ({@code jp.clinsgateway.consent.AccessPolicy}
 * decides; this package enforces; nothing else in the server decides access). Its interceptors, in
 * the order the REST server must run them.
 */
@Component
public class AccessEnforcement {

    private final List<Object> interceptors;

    AccessEnforcement(RequestGate gate, SearchNarrowing narrowing, ShownResources shown, ConsentWriteGate consentWrites,
                      AccessTrail trail) {
        this.interceptors = List.of(gate, narrowing, shown, consentWrites, trail);
    }

    public List<Object> interceptors() {
        return interceptors;
    }
}
