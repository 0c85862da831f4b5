package jp.clinsgateway.server.oversight;

import jp.clinsgateway.consent.Purpose;
import jp.clinsgateway.server.patient.JpIdentifiers;
import org.hl7.fhir.r4.model.AuditEvent;

import java.time.Instant;
import java.util.Optional;

/**
 * One access log entry, as the signals read it: who, when, about which patient, refused or not,
 * the purpose declared and the rule's sentence.
 *
 * @param entry       the entry's reference ({@code AuditEvent/[id]}): the evidence
 * @param caller      who, as {@code system|value} of the agent's identifier (or the agent's reference)
 * @param institution whether the caller is a medical institution
 */
record LoggedAccess(String entry, Instant recorded, String caller, boolean institution, String patient, boolean refused,
                    boolean emergency, String explanation) {

    static LoggedAccess of(AuditEvent event, String patient) {
        AuditEvent.AuditEventAgentComponent agent = event.getAgentFirstRep();
        String caller;
        boolean institution = false;
        if (agent.getWho().hasIdentifier()) {
            caller = agent.getWho().getIdentifier().getSystem() + "|" + agent.getWho().getIdentifier().getValue();
            institution = JpIdentifiers.INSTITUTION_NUMBER.equals(agent.getWho().getIdentifier().getSystem());
        } else {
            caller = Optional.ofNullable(agent.getWho().getReference()).orElse("unknown");
        }
        boolean emergency = event.getPurposeOfEvent().stream().flatMap(c -> c.getCoding().stream())
                .anyMatch(c -> Purpose.SYSTEM.equals(c.getSystem()) && Purpose.EMERGENCY.code().equals(c.getCode()));
        boolean refused = event.getOutcome() != null && event.getOutcome() != AuditEvent.AuditEventOutcome._0;
        return new LoggedAccess("AuditEvent/" + event.getIdElement().getIdPart(), event.getRecorded().toInstant(), caller,
                institution, patient == null ? "" : patient, refused, emergency, Optional.ofNullable(event.getOutcomeDesc()).orElse(""));
    }

    /** The caller's institution code, or the caller as logged. */
    String callerValue() {
        int bar = caller.indexOf('|');
        return bar < 0 ? caller : caller.substring(bar + 1);
    }
}
