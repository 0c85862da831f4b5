package jp.clinsgateway.server.identity;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import jp.clinsgateway.consent.Purpose;
import jp.clinsgateway.consent.Requester;
import jp.clinsgateway.server.web.Rejection;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * DEVELOPMENT AND TESTS ONLY: takes the caller from unauthenticated request headers. Anyone can
 * set a header, so this is off unless {@code gateway.identity.development-header-enabled=true};
 * real callers present a token ({@link AccessTokens}).
 *
 * <ul>
 *   <li>{@value #HEADER}: an institution, by its 10-digit code;</li>
 *   <li>{@value #PATIENT}: the patient, by gateway Patient id ({@code Patient/12} or {@code 12});</li>
 *   <li>{@value #INSURER}: an insurer, by its 8-digit insurer number;</li>
 *   <li>{@value #OPERATOR}: the service operator (any value);</li>
 *   <li>{@value #PURPOSE}: the purpose of use (v3-ActReason code, e.g. {@code ETREAT}); by default
 *       treatment for institutions, PATRQT for patients, HPRGRP for insurers, HOPERAT for the operator;</li>
 *   <li>{@value #ROLES}: the gateway roles granted, comma-separated ({@code emergency-access}, {@code privacy-officer}).</li>
 * </ul>
 */
@Component
public class DevelopmentIdentityHeader {

    public static final String HEADER = "X-Development-Institution-Code";
    public static final String PATIENT = "X-Development-Patient";
    public static final String INSURER = "X-Development-Insurer";
    public static final String OPERATOR = "X-Development-Operator";
    public static final String PURPOSE = "X-Development-Purpose";
    public static final String ROLES = "X-Development-Roles";

    private final IdentityProperties properties;

    public DevelopmentIdentityHeader(IdentityProperties properties) {
        this.properties = properties;
    }

    /** The caller the headers name; empty when they name none or the headers are switched off. */
    public Optional<Caller> callerOf(RequestDetails request) {
        if (!properties.developmentHeaderEnabled()) {
            return Optional.empty();
        }
        Optional<Requester> requester = header(request, HEADER).<Requester>map(Requester.Institution::new)
                .or(() -> header(request, PATIENT).map(p -> new Requester.PatientSelf(p.startsWith("Patient/") ? p : "Patient/" + p)))
                .or(() -> header(request, INSURER).map(Requester.Insurer::new))
                .or(() -> header(request, OPERATOR).map(any -> new Requester.Operator()));
        if (requester.isEmpty()) {
            return Optional.empty();
        }
        Purpose purpose = header(request, PURPOSE)
                .map(code -> Purpose.fromCode(code).orElseThrow(() -> Rejection.malformed(
                        "Unknown purpose of use '" + code + "' in " + PURPOSE + " (v3-ActReason: TREAT, ETREAT, PATRQT, HPRGRP, HOPERAT)")))
                .orElseGet(() -> Purpose.defaultFor(requester.get().kind()));
        java.util.Set<String> roles = header(request, ROLES).map(r -> java.util.Arrays.stream(r.split(",")).map(String::strip)
                .filter(v -> !v.isEmpty()).collect(java.util.stream.Collectors.toSet())).orElse(java.util.Set.of());
        return Optional.of(new Caller(requester, purpose, jp.clinsgateway.consent.SmartScopes.ALL, Optional.empty(), roles));
    }

    private static Optional<String> header(RequestDetails request, String name) {
        return Optional.ofNullable(request.getHeader(name)).map(String::strip).filter(v -> !v.isEmpty());
    }
}
