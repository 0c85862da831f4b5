package jp.clinsgateway.server.audit;

import jp.clinsgateway.consent.ShareCategory;
import jp.clinsgateway.server.identity.Caller;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One access for the patient's access log, as it happened: who, what kind of access, to which
 * patient, with which outcome and why, and what was actually returned (categories and counts, the
 * records served) — never the query's values, which the operator could read.
 *
 * @param caller         who
 * @param kind           what kind of access
 * @param patient        whose records ({@code Patient/[id]}); empty for an access about no patient (a destination check)
 * @param outcome        served or refused
 * @param explanation    the rule (or per category, the rules) that decided
 * @param resourceType   the type read or searched
 * @param parameterNames for searches, the names of the parameters used (no values)
 * @param shown          per category, how many records were returned
 * @param records        the records served (single reads) or written (consents)
 * @param total          for searches, the total the answer reported, when it did
 */
public record AccessEntry(Caller caller, Kind kind, String patient, Outcome outcome, String explanation,
                          String resourceType, List<String> parameterNames, Map<ShareCategory, Integer> shown,
                          List<String> records, Optional<Integer> total) {

    /** What kind of access. */
    public enum Kind {
        READ("read"), VREAD("vread"), SEARCH("search-type"), PATIENT_LOOKUP("search-type"),
        CONSENT_RECORDED("create"), CONSENT_REVOKED("update"),
        DOCUMENT_CANCELLED("update"), DOCUMENT_RESTORED("update"), DOCUMENT_CHANGED("update"),
        DESTINATION_CHECK("operation");

        private final String restfulInteraction;

        Kind(String restfulInteraction) {
            this.restfulInteraction = restfulInteraction;
        }

        /** Its code in http://hl7.org/fhir/restful-interaction. */
        public String restfulInteraction() {
            return restfulInteraction;
        }

        /** Its code in the gateway's access-kind CodeSystem (what the patient's portal names it by). */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** What happened to the access. */
    public enum Outcome {
        PERMITTED("0"), REFUSED("4");

        private final String code;

        Outcome(String code) {
            this.code = code;
        }

        /** Its code in AuditEvent.outcome. */
        public String code() {
            return code;
        }
    }

    /**
     * What the access gave back, as the patient's history states it: records shown, a search that
     * showed nothing, only a count, a refusal, or a change (a consent or document step).
     */
    public enum Returned {
        SHOWN, NOTHING, COUNT_ONLY, REFUSED, CHANGED, CHECKED;

        /** Its code in the access log (the {@code returned} column and the query entity's detail). */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** What this access returned, decided from what was recorded at the time (never from the query asked). */
    public Returned returned() {
        if (outcome == Outcome.REFUSED) {
            return Returned.REFUSED;
        }
        return switch (kind) {
            case CONSENT_RECORDED, CONSENT_REVOKED, DOCUMENT_CANCELLED, DOCUMENT_RESTORED, DOCUMENT_CHANGED -> Returned.CHANGED;
            case DESTINATION_CHECK -> Returned.CHECKED;
            case PATIENT_LOOKUP -> Returned.SHOWN; // the Patient itself was shown
            case READ, VREAD, SEARCH -> shown.values().stream().anyMatch(count -> count > 0) ? Returned.SHOWN
                    : total.filter(t -> t > 0).isPresent() ? Returned.COUNT_ONLY : Returned.NOTHING;
        };
    }

    public AccessEntry {
        parameterNames = List.copyOf(parameterNames);
        shown = Map.copyOf(shown);
        records = List.copyOf(records);
    }
}
