package jp.clinsgateway.server.audit;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import jp.clinsgateway.consent.Purpose;
import jp.clinsgateway.consent.Requester;
import jp.clinsgateway.consent.ShareCategory;
import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.server.patient.JpIdentifiers;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.Date;
import java.util.Map;

/**
 * Writes {@link AccessEntry}s into the {@link AccessLog} as FHIR AuditEvents in the style of IHE
 * BALP. A read whose entry cannot be written is refused ({@link AccessNotRecorded}, 503) rather
 * than served unrecorded. The patient finds them with {@code AuditEvent?patient=}.
 *
 * <p>What was returned is in the entity of role Query: its {@code description} names the searched
 * type and parameter names (never their values), and one {@code detail} per category gives how many
 * records of it were shown ({@code total} the search's total, when the answer carried one).
 */
@Component
public class AccessAudit {

    /** What kind of access an entry records (read, search, consent-recorded, document-cancelled ...). */
    public static final String ACCESS_KIND = GatewayCanonical.BASE + "/CodeSystem/access-kind";

    /** Extension-free codes for the query entity's details: a share category code, or this. */
    public static final String TOTAL_DETAIL = "total";

    /** The query entity's detail saying what the access returned ({@link AccessEntry.Returned#code()}). */
    public static final String RETURNED_DETAIL = "returned";

    private final AccessLog log;

    public AccessAudit(AccessLog log) {
        this.log = log;
    }

    /**
     * Appends the entries: inside the caller's database transaction when there is one (a consent
     * write and its entry commit or roll back together), else on one connection of its own.
     */
    public void record(Collection<AccessEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try {
            log.append(entries.stream().map(e -> new AccessLog.Appended(e.patient(), e.returned(), eventOf(e))).toList());
        } catch (RuntimeException e) {
            throw new AccessNotRecorded(e);
        }
    }

    static AuditEvent eventOf(AccessEntry entry) {
        AuditEvent event = new AuditEvent();
        event.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
        event.addSubtype(new Coding("http://hl7.org/fhir/restful-interaction", entry.kind().restfulInteraction(), null));
        event.addSubtype(new Coding(ACCESS_KIND, entry.kind().code(), null));
        event.setAction(switch (entry.kind()) {
            case SEARCH, PATIENT_LOOKUP, DESTINATION_CHECK -> AuditEvent.AuditEventAction.E;
            case CONSENT_RECORDED -> AuditEvent.AuditEventAction.C;
            case CONSENT_REVOKED, DOCUMENT_CANCELLED, DOCUMENT_RESTORED, DOCUMENT_CHANGED -> AuditEvent.AuditEventAction.U;
            default -> AuditEvent.AuditEventAction.R;
        });
        event.setRecordedElement(new InstantType(new Date()));
        event.setOutcome(AuditEvent.AuditEventOutcome.fromCode(entry.outcome().code()));
        event.setOutcomeDesc(entry.explanation());
        Purpose purpose = entry.caller().purpose();
        event.addPurposeOfEvent(new CodeableConcept(new Coding(Purpose.SYSTEM, purpose.code(), null)));
        AuditEvent.AuditEventAgentComponent agent = event.addAgent().setRequestor(true);
        entry.caller().requester().ifPresent(requester -> agent.setWho(who(requester)));
        entry.caller().name().ifPresent(name -> agent.getWho().setDisplay(name));
        event.getSource().setObserver(new Reference().setDisplay("clins-gateway")).addType(
                new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server"));
        if (!entry.patient().isEmpty()) {
            event.addEntity().setWhat(new Reference(entry.patient()))
                    .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"))
                    .setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"));
        }
        AuditEvent.AuditEventEntityComponent query = event.addEntity()
                .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"))
                .setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "24", "Query"))
                .setDescription(entry.resourceType() + (entry.parameterNames().isEmpty() ? "" : "?" + String.join("&", entry.parameterNames())));
        for (ShareCategory category : ShareCategory.values()) {
            Integer count = entry.shown().get(category);
            if (count != null) {
                query.addDetail().setType(category.code()).setValue(new StringType(Integer.toString(count)));
            }
        }
        entry.total().ifPresent(total -> query.addDetail().setType(TOTAL_DETAIL).setValue(new StringType(Integer.toString(total))));
        query.addDetail().setType(RETURNED_DETAIL).setValue(new StringType(entry.returned().code()));
        for (String record : entry.records()) {
            event.addEntity().setWhat(new Reference(record))
                    .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"))
                    .setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "4", "Domain Resource"));
        }
        return event;
    }

    /** 503: the access could not be written to the log, so it is not served. */
    public static final class AccessNotRecorded extends BaseServerResponseException {
        AccessNotRecorded(Throwable cause) {
            super(503, "The access could not be recorded in the patient's access log, so it is refused; try again", cause);
            addResponseHeader("Retry-After", "2");
            OperationOutcome outcome = new OperationOutcome();
            outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(OperationOutcome.IssueType.TRANSIENT)
                    .setDiagnostics(getMessage());
            setOperationOutcome(outcome);
        }
    }

    private static final Map<Requester.Kind, String> IDENTIFIER_SYSTEMS = Map.of(
            Requester.Kind.INSTITUTION, JpIdentifiers.INSTITUTION_NUMBER,
            Requester.Kind.INSURER, JpIdentifiers.INSURER_NUMBER);

    private static Reference who(Requester requester) {
        return switch (requester.kind()) {
            case INSTITUTION, INSURER -> new Reference().setIdentifier(new Identifier()
                    .setSystem(IDENTIFIER_SYSTEMS.get(requester.kind())).setValue(requester.id()));
            case PATIENT -> new Reference(requester.id());
            case OPERATOR -> new Reference().setIdentifier(new Identifier().setSystem(GatewayCanonical.BASE + "/operator")
                    .setValue("operator")).setDisplay("service operator");
        };
    }

    /** The categories shown, from an entry's event (for tests and readers of the log). */
    public static Map<String, Integer> shownOf(AuditEvent event) {
        return event.getEntity().stream()
                .filter(e -> e.hasRole() && "24".equals(e.getRole().getCode()))
                .flatMap(e -> e.getDetail().stream())
                .filter(d -> !TOTAL_DETAIL.equals(d.getType()) && !RETURNED_DETAIL.equals(d.getType()))
                .collect(java.util.stream.Collectors.toMap(AuditEvent.AuditEventEntityDetailComponent::getType,
                        d -> Integer.parseInt(d.getValue().primitiveValue())));
    }
}
