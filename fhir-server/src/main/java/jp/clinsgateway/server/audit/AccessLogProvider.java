package jp.clinsgateway.server.audit;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.SearchTotalModeEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import jp.clinsgateway.server.access.OperationAccess;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.IdType;
import org.springframework.stereotype.Component;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The access log as FHIR {@code AuditEvent}s: read and searched by the patient it is about (only
 * their own, whatever they name) and by the service operator; nobody else. Newest first, paged
 * with {@code _count} / {@code _offset}. A page reads one entry more than it shows, to know whether
 * a next page exists, and never counts the log (which grows with every read in the country): the
 * total is given when it is free (the last page) or asked for with {@code _total=accurate}.
 */
@Component
public class AccessLogProvider implements IResourceProvider {

    private static final int DEFAULT_PAGE = 20;
    private static final int LARGEST_PAGE = 200;

    private final AccessLog log;
    private final OperationAccess access;

    public AccessLogProvider(AccessLog log, OperationAccess access) {
        this.log = log;
        this.access = access;
    }

    @Override
    public Class<AuditEvent> getResourceType() {
        return AuditEvent.class;
    }

    @Read
    public AuditEvent read(@IdParam IdType id, RequestDetails request) {
        // As for clinical records: an entry the reader may not see answers exactly like a missing one.
        return (id.isIdPartValidLong() ? log.read(id.getIdPartAsLong()) : Optional.<AccessLog.Entry>empty())
                .filter(entry -> access.mayReadAccessLogEntry(request, entry.patient()))
                .map(AccessLog.Entry::event)
                .orElseThrow(() -> new ResourceNotFoundException(id));
    }

    @Search
    public IBundleProvider search(@OptionalParam(name = AuditEvent.SP_PATIENT) ReferenceParam patient,
                                  @OptionalParam(name = AuditEvent.SP_DATE) DateRangeParam date,
                                  @Offset Integer offset, @Count Integer count, RequestDetails request) {
        Optional<String> named = Optional.ofNullable(patient).map(p -> "Patient/" + p.getIdPart());
        Optional<String> covered = access.accessLogPatient(request, named);
        if (named.isPresent() && !named.equals(covered)) {
            return page(List.of(), 0, 0, 0, false); // another patient's log: nothing
        }
        AccessLog.Query query = new AccessLog.Query(covered,
                Optional.ofNullable(date).map(DateRangeParam::getLowerBoundAsInstant).map(java.util.Date::toInstant),
                Optional.ofNullable(date).map(DateRangeParam::getUpperBoundAsInstant).map(java.util.Date::toInstant));
        int first = offset == null ? 0 : Math.max(0, offset);
        int size = count == null ? DEFAULT_PAGE : Math.min(Math.max(0, count), LARGEST_PAGE);
        List<AuditEvent> read = log.page(query, first, size + 1);
        boolean more = read.size() > size;
        List<AuditEvent> shown = more ? read.subList(0, size) : read;
        Integer total = totalAsked(request) ? Integer.valueOf(log.count(query)) : more ? null : Integer.valueOf(first + shown.size());
        return page(shown, total, first, size, more);
    }

    private static boolean totalAsked(RequestDetails request) {
        String[] total = request.getParameters().get(Constants.PARAM_SEARCH_TOTAL_MODE);
        return total != null && Arrays.asList(total).contains(SearchTotalModeEnum.ACCURATE.getCode());
    }

    private static IBundleProvider page(List<AuditEvent> events, Integer total, int offset, int size, boolean more) {
        SimpleBundleProvider page = new SimpleBundleProvider(events) {
            @Override
            public Integer size() {
                return total;
            }
        };
        page.setCurrentPageOffset(offset);
        page.setCurrentPageSize(size);
        return page;
    }
}
