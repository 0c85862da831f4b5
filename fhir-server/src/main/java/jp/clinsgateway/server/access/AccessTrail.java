package jp.clinsgateway.server.access;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import jp.clinsgateway.consent.ShareCategory;
import jp.clinsgateway.server.audit.AccessAudit;
import jp.clinsgateway.server.audit.AccessEntry;
import jp.clinsgateway.server.audit.AccessEntry.Kind;
import jp.clinsgateway.server.audit.AccessEntry.Outcome;
import jp.clinsgateway.server.identity.Caller;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The accesses a request makes, collected while it runs and written to the access log once, just
 * before the answer leaves: when the request's own database work is over and its connection is back
 * in the pool, so logging never holds a second connection. If the entries cannot be written, the
 * answer is a 503 instead (nothing is served unrecorded). A refusal is logged on its way out too.
 * A record that was withdrawn answers like one that never existed (404, not 410 with its time).
 */
@Component
@Interceptor
class AccessTrail {

    private static final String PENDING = AccessTrail.class.getName();

    private static final String FETCHED = AccessTrail.class.getName() + ".fetched";

    private final AccessAudit audit;
    private final DocumentFetches fetches;

    AccessTrail(AccessAudit audit, DocumentFetches fetches) {
        this.audit = audit;
        this.fetches = fetches;
    }

    /** One entry being collected: a search's counts grow as its records are shown. */
    private static final class Pending {
        final Caller caller;
        final Kind kind;
        final String patient;
        final Outcome outcome;
        final String explanation;
        final String resourceType;
        final List<String> parameterNames;
        final Map<ShareCategory, Integer> shown = new EnumMap<>(ShareCategory.class);
        final List<String> records = new ArrayList<>();
        Integer total;

        Pending(Caller caller, Kind kind, String patient, Outcome outcome, String explanation, String resourceType, List<String> parameterNames) {
            this.caller = caller;
            this.kind = kind;
            this.patient = patient;
            this.outcome = outcome;
            this.explanation = explanation;
            this.resourceType = resourceType;
            this.parameterNames = parameterNames;
        }

        AccessEntry entry() {
            return new AccessEntry(caller, kind, patient, outcome, explanation, resourceType, parameterNames, shown, records,
                    Optional.ofNullable(total));
        }
    }

    /** A search of one patient's records: its entry, which the records shown then fill. */
    void searched(RequestDetails request, Caller caller, String resourceType, String patient, List<String> parameterNames, String explanation) {
        pending(request).putIfAbsent(Kind.SEARCH + patient, new Pending(caller, Kind.SEARCH, patient, Outcome.PERMITTED, explanation,
                resourceType, parameterNames));
    }

    /** A record shown in a search or one of its pages (a page's entry is made with its first record). */
    void shownInSearch(RequestDetails request, Caller caller, String resourceType, String patient, Optional<ShareCategory> category,
                       Supplier<String> explanation) {
        Pending entry = pending(request).computeIfAbsent(Kind.SEARCH + patient, k -> new Pending(caller, Kind.SEARCH, patient,
                Outcome.PERMITTED, explanation.get(), resourceType, List.of("_getpages")));
        category.ifPresent(c -> entry.shown.merge(c, 1, Integer::sum));
    }

    /** A single read, served or refused. */
    void read(RequestDetails request, Caller caller, Kind kind, String patient, String record, Optional<ShareCategory> category,
              Outcome outcome, String explanation) {
        Pending entry = new Pending(caller, kind, patient, outcome, explanation, record.split("/")[0], List.of());
        entry.records.add(record);
        if (outcome == Outcome.PERMITTED) {
            category.ifPresent(c -> entry.shown.put(c, 1));
        }
        pending(request).put(kind + record + outcome, entry);
    }

    /** A referral letter served to its addressee: fetched, so it stays with the addressee even if cancelled. */
    void fetched(RequestDetails request, String document, String institution) {
        request.getUserData().put(FETCHED, new String[]{document, institution});
    }

    /** A destination check ($destination-check): an entry about no patient, for the operator. */
    void checkedDestination(RequestDetails request, Caller caller, String destination, boolean connected) {
        pending(request).put(Kind.DESTINATION_CHECK + destination, new Pending(caller, Kind.DESTINATION_CHECK, "", Outcome.PERMITTED,
                "Destination " + destination + (connected ? " is connected" : " is not connected"), "Organization", List.of("institution")));
    }

    /** A Patient shown to someone other than the patient: a lookup in that patient's log. */
    void lookedUp(RequestDetails request, Caller caller, String patient, List<String> parameterNames, String explanation) {
        pending(request).putIfAbsent(Kind.PATIENT_LOOKUP + patient, new Pending(caller, Kind.PATIENT_LOOKUP, patient, Outcome.PERMITTED,
                explanation, "Patient", parameterNames));
    }

    // Before any other interceptor may answer (e.g. the HTML highlighter, which writes the response itself).
    @Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = -1000)
    public void recordBeforeAnswering(RequestDetails request, ResponseDetails response) {
        List<Pending> entries = take(request);
        if (response.getResponseResource() instanceof Bundle bundle && bundle.hasTotal()) {
            entries.stream().filter(e -> e.kind == Kind.SEARCH).forEach(e -> e.total = bundle.getTotal());
        }
        audit.record(entries.stream().map(Pending::entry).toList());
        if (request.getUserData().remove(FETCHED) instanceof String[] fetch) {
            fetches.fetched(fetch[0], fetch[1]);
        }
    }

    @Hook(value = Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION, order = -1000)
    public BaseServerResponseException recordRefusal(RequestDetails request, Throwable failure) {
        List<AccessEntry> refusals = take(request).stream().filter(e -> e.outcome == Outcome.REFUSED).map(Pending::entry).toList();
        try {
            audit.record(refusals);
        } catch (AccessAudit.AccessNotRecorded e) {
            return e;
        }
        if (failure instanceof ResourceGoneException gone) {
            org.hl7.fhir.instance.model.api.IIdType id = request.getId() != null && request.getId().hasIdPart() ? request.getId() : gone.getResourceId();
            return Refusals.absent(id == null ? "the resource" : id.toUnqualifiedVersionless().getValue());
        }
        return null;
    }

    private static List<Pending> take(RequestDetails request) {
        @SuppressWarnings("unchecked")
        Map<String, Pending> pending = (Map<String, Pending>) request.getUserData().remove(PENDING);
        return pending == null ? new ArrayList<>() : new ArrayList<>(pending.values());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Pending> pending(RequestDetails request) {
        return (Map<String, Pending>) request.getUserData().computeIfAbsent(PENDING, k -> new LinkedHashMap<>());
    }
}
