package jp.clinsgateway.server.oversight;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import jp.clinsgateway.server.web.Rejection;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;

/**
 * {@code GET [base]/$access-signals?since=&until=} (operator only, by the access policy): the
 * unusual-access signals in the access log over a period (default: the last day), each a
 * {@code signal} part with its {@code kind} (code system {@code access-signal}), the {@code caller},
 * the {@code period}, how many different {@code patients}, a {@code description} of the rule, and one
 * {@code evidence} reference per access log entry ({@code AuditEvent/[id]}) that shows it.
 * Defined in the implementation guide as OperationDefinition {@code access-signals}.
 */
@Component
public class AccessSignalsOperation {

    public static final String SIGNAL_SYSTEM = "http://clinsgateway.jp/fhir/CodeSystem/access-signal";

    private final AccessLogScan log;
    private final OversightProperties properties;
    private final Clock clock;

    public AccessSignalsOperation(AccessLogScan log, OversightProperties properties, Clock clock) {
        this.log = log;
        this.properties = properties;
        this.clock = clock;
    }

    @Operation(name = "$access-signals", idempotent = true, canonicalUrl = "http://clinsgateway.jp/fhir/OperationDefinition/access-signals")
    public Parameters signals(@OperationParam(name = "since", max = 1) DateTimeType since,
                              @OperationParam(name = "until", max = 1) DateTimeType until) {
        Instant to = until != null && until.getValue() != null ? until.getValue().toInstant() : clock.instant();
        Instant from = since != null && since.getValue() != null ? since.getValue().toInstant() : to.minus(properties.defaultPeriod());
        if (!from.isBefore(to)) {
            throw Rejection.badRequest("since", "since must lie before until");
        }
        if (from.plus(properties.maximumPeriod()).isBefore(to)) {
            throw Rejection.badRequest("since", "Ask for at most " + properties.maximumPeriod() + " at a time");
        }
        Parameters answer = new Parameters();
        answer.addParameter().setName("period").setValue(new Period().setStart(Date.from(from)).setEnd(Date.from(to)));
        for (AccessSignal signal : new AccessSignals(properties).in(log.between(from, to))) {
            Parameters.ParametersParameterComponent part = answer.addParameter().setName("signal");
            part.addPart().setName("kind").setValue(new Coding(SIGNAL_SYSTEM, signal.kind().code(), null));
            part.addPart().setName("caller").setValue(new StringType(signal.caller()));
            part.addPart().setName("period").setValue(new Period().setStartElement(new DateTimeType(Date.from(signal.from())))
                    .setEndElement(new DateTimeType(Date.from(signal.to()))));
            part.addPart().setName("patients").setValue(new IntegerType(signal.patients()));
            part.addPart().setName("description").setValue(new StringType(signal.description()));
            signal.evidence().forEach(e -> part.addPart().setName("evidence").setValue(new Reference(e)));
        }
        answer.addParameter().setName("as-of").setValue(new InstantType(Date.from(clock.instant())));
        return answer;
    }
}
