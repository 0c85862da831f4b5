package jp.clinsgateway.server.retention;

import jp.clinsgateway.consent.Purpose;
import jp.clinsgateway.consent.ShareCategory;
import jp.clinsgateway.server.audit.AccessAudit;
import jp.clinsgateway.server.audit.AccessEntry;
import jp.clinsgateway.server.audit.AccessLog;
import jp.clinsgateway.server.ig.GatewayCanonical;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.stereotype.Component;

import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Puts each retention run into the operator's log (the access log, as an entry about no patient):
 * an AuditEvent of kind {@code retention-run} or {@code retention-dry-run}, with one detail per
 * category giving how many records went (or would go), in the same shape as an access's counts.
 * Which records is not logged: the run's answer names them, the log keeps only the figures.
 */
@Component
class RetentionRunLog {

    static final String RUN = "retention-run";
    static final String DRY_RUN = "retention-dry-run";

    private final AccessLog log;

    RetentionRunLog(AccessLog log) {
        this.log = log;
    }

    void record(RetentionReport report, String by) {
        AuditEvent event = new AuditEvent();
        event.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
        event.addSubtype(new Coding("http://hl7.org/fhir/restful-interaction", "operation", null));
        event.addSubtype(new Coding(AccessAudit.ACCESS_KIND, report.dryRun() ? DRY_RUN : RUN, null));
        event.setAction(report.dryRun() ? AuditEvent.AuditEventAction.E : AuditEvent.AuditEventAction.D);
        event.setRecordedElement(new InstantType(new Date()));
        event.setOutcome(AuditEvent.AuditEventOutcome._0);
        event.setOutcomeDesc((report.dryRun() ? "Retention dry run: " : "Retention run: ") + report.total()
                + " records expired as of " + report.asOf() + (report.dryRun() ? " (nothing changed)" : " expunged"));
        event.addPurposeOfEvent(new CodeableConcept(new Coding(Purpose.SYSTEM, Purpose.OPERATIONS.code(), null)));
        event.addAgent().setRequestor(true).setWho(new Reference().setIdentifier(new Identifier()
                .setSystem(GatewayCanonical.BASE + "/operator").setValue(by)).setDisplay(by));
        event.getSource().setObserver(new Reference().setDisplay("clins-gateway")).addType(
                new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server"));
        AuditEvent.AuditEventEntityComponent query = event.addEntity()
                .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"))
                .setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "24", "Query"))
                .setDescription("$retention" + (report.dryRun() ? "?dry-run=true" : ""));
        for (Map.Entry<ShareCategory, Integer> count : report.counts().entrySet()) {
            query.addDetail().setType(count.getKey().code()).setValue(new StringType(Integer.toString(count.getValue())));
        }
        query.addDetail().setType(AccessAudit.TOTAL_DETAIL).setValue(new StringType(Integer.toString(report.total())));
        log.append(List.of(new AccessLog.Appended("", report.dryRun() ? AccessEntry.Returned.CHECKED : AccessEntry.Returned.CHANGED, event)));
    }
}
