package jp.clinsgateway.server.audit;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import jp.clinsgateway.consent.Requester;
import jp.clinsgateway.server.identity.Caller;
import jp.clinsgateway.server.identity.CallerResolver;
import jp.clinsgateway.server.submission.Rejection;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.IdType;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/**
 * The access log as FHIR {@code AuditEvent}s: read and searched by the patient it is about (only
 * their own, whatever they name) and by the service operator; nobody else. Newest first, paged
 * with {@code _count} / {@code _offset}.
 */
@Component
public class AccessLogProvider implements IResourceProvider {

    private static final int DEFAULT_PAGE = 20;
    private static final int LARGEST_PAGE = 200;

    private final AccessLog log;
    private final CallerResolver callers;

    public AccessLogProvider(AccessLog log, CallerResolver callers) {
        this.log = log;
        this.callers = callers;
    }

    @Override
    public Class<AuditEvent> getResourceType() {
        return AuditEvent.class;
    }

    @Read
    public AuditEvent read(@IdParam IdType id, RequestDetails request) {
        Requester reader = reader(request);
        // As for clinical records: an entry the reader may not see answers exactly like a missing one.
        return (id.isIdPartValidLong() ? log.read(id.getIdPartAsLong()) : Optional.<AccessLog.Entry>empty())
                .filter(entry -> !(reader instanceof Requester.PatientSelf self) || self.patientId().equals(entry.patient()))
                .map(AccessLog.Entry::event)
                .orElseThrow(() -> new ResourceNotFoundException(id));
    }

    @Search
    public IBundleProvider search(@OptionalParam(name = AuditEvent.SP_PATIENT) ReferenceParam patient,
                                  @OptionalParam(name = AuditEvent.SP_DATE) DateRangeParam date,
                                  @Offset Integer offset, @Count Integer count, RequestDetails request) {
        Requester reader = reader(request);
        Optional<String> named = Optional.ofNullable(patient).map(p -> "Patient/" + p.getIdPart());
        if (reader instanceof Requester.PatientSelf self) {
            if (named.isPresent() && !named.get().equals(self.patientId())) {
                return page(List.of(), 0, 0, 0); // another patient's log: nothing
            }
            named = Optional.of(self.patientId());
        }
        AccessLog.Query query = new AccessLog.Query(named,
                Optional.ofNullable(date).map(DateRangeParam::getLowerBoundAsInstant).map(java.util.Date::toInstant),
                Optional.ofNullable(date).map(DateRangeParam::getUpperBoundAsInstant).map(java.util.Date::toInstant));
        int first = offset == null ? 0 : Math.max(0, offset);
        int size = count == null ? DEFAULT_PAGE : Math.min(Math.max(0, count), LARGEST_PAGE);
        return page(log.page(query, first, size), log.count(query), first, size);
    }

    private static IBundleProvider page(List<AuditEvent> events, int total, int offset, int size) {
        SimpleBundleProvider page = new SimpleBundleProvider(events);
        page.setSize(total);
        page.setCurrentPageOffset(offset);
        page.setCurrentPageSize(size);
        return page;
    }

    private Requester reader(RequestDetails request) {
        Caller caller = callers.resolve(request);
        Requester requester = caller.requester()
                .orElseThrow(() -> Rejection.unauthenticated("Reading the access log needs the caller's identity"));
        if (!(requester instanceof Requester.PatientSelf) && !(requester instanceof Requester.Operator)) {
            throw Rejection.forbidden(null, "The access log is read by the patient it is about and by the operator");
        }
        return requester;
    }
}
