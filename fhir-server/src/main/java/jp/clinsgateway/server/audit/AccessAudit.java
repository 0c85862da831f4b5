package jp.clinsgateway.server.audit;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import jp.clinsgateway.consent.Purpose;
import jp.clinsgateway.consent.Requester;
import jp.clinsgateway.server.identity.Caller;
import jp.clinsgateway.server.patient.JpIdentifiers;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Date;

/**
 * Records who read (or was refused) which patient's records, when and why, as a FHIR AuditEvent
 * in the style of IHE BALP, in the {@link AccessLog}. Written before the answer leaves: a read whose
 * audit cannot be written fails instead of going unrecorded. The patient finds them with
 * {@code AuditEvent?patient=}.
 */
@Component
public class AccessAudit {

    public static final String ACCESS_DECISION = "http://clinsgateway.jp/fhir/CodeSystem/access-decision";

    /** What happened to one request. */
    public enum Outcome {
        PERMITTED("0"), REFUSED("4");

        private final String code;

        Outcome(String code) {
            this.code = code;
        }
    }

    private final AccessLog log;

    public AccessAudit(AccessLog log) {
        this.log = log;
    }

    /**
     * @param interaction the FHIR interaction (read, vread, search-type)
     * @param patient     the gateway Patient whose records were asked for
     * @param records     what was served (or, when refused, what was asked for)
     * @param query       the search, for searches
     */
    public void record(Caller caller, String interaction, String patient, Collection<String> records, Outcome outcome,
                       String explanation, String query) {
        AuditEvent event = new AuditEvent();
        event.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
        event.addSubtype(new Coding("http://hl7.org/fhir/restful-interaction", interaction, null));
        event.setAction(interaction.startsWith("search") ? AuditEvent.AuditEventAction.E : AuditEvent.AuditEventAction.R);
        event.setRecordedElement(new InstantType(new Date()));
        event.setOutcome(AuditEvent.AuditEventOutcome.fromCode(outcome.code));
        event.setOutcomeDesc(explanation);
        Purpose purpose = caller.purpose();
        event.addPurposeOfEvent(new CodeableConcept(new Coding(Purpose.SYSTEM, purpose.code(), null)));
        AuditEvent.AuditEventAgentComponent agent = event.addAgent().setRequestor(true);
        caller.requester().ifPresent(requester -> agent.setWho(who(requester)));
        caller.name().ifPresent(name -> agent.getWho().setDisplay(name));
        event.getSource().setObserver(new Reference().setDisplay("clins-gateway")).addType(
                new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server"));
        event.addEntity().setWhat(new Reference(patient))
                .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"))
                .setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"));
        if (query != null) {
            event.addEntity().setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"))
                    .setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "24", "Query"))
                    .setQuery(query.getBytes(StandardCharsets.UTF_8));
        }
        for (String record : records) {
            event.addEntity().setWhat(new Reference(record))
                    .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"))
                    .setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "4", "Domain Resource"));
        }
        try {
            log.append(patient, event);
        } catch (SQLException | RuntimeException e) {
            throw new AccessNotRecorded(e);
        }
    }

    /** 503: the access could not be written to the log, so it is not served. */
    static final class AccessNotRecorded extends BaseServerResponseException {
        AccessNotRecorded(Throwable cause) {
            super(503, "The access could not be recorded in the patient's access log, so it is refused; try again", cause);
        }
    }

    private static Reference who(Requester requester) {
        if (requester instanceof Requester.Institution institution) {
            return new Reference().setIdentifier(new Identifier().setSystem(JpIdentifiers.INSTITUTION_NUMBER).setValue(institution.code()));
        }
        if (requester instanceof Requester.Insurer insurer) {
            return new Reference().setIdentifier(new Identifier().setSystem(JpIdentifiers.INSURER_NUMBER).setValue(insurer.insurerNumber()));
        }
        if (requester instanceof Requester.PatientSelf self) {
            return new Reference(self.patientId());
        }
        return new Reference().setDisplay("service operator");
    }
}
