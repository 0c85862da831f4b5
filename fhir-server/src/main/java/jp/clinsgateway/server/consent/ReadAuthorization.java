package jp.clinsgateway.server.consent;

import ca.uhn.fhir.i18n.Msg;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.IQueryParameterType;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.util.ICachedSearchDetails;
import jp.clinsgateway.consent.Label;
import jp.clinsgateway.consent.Requester;
import jp.clinsgateway.consent.VisibleSet;
import jp.clinsgateway.server.audit.AccessAudit;
import jp.clinsgateway.server.identity.Caller;
import jp.clinsgateway.server.identity.CallerResolver;
import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.server.labels.ShareLabels;
import jp.clinsgateway.server.patient.JpIdentifiers;
import jp.clinsgateway.server.patient.PatientRegistry;
import jp.clinsgateway.server.submission.Rejection;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Enforces the consent engine's decisions on every read path (the thin HAPI adapter; the
 * decisions are {@link ReaderScope}'s):
 * <ul>
 *   <li>a search of clinical records must name one patient, and is narrowed inside the query to
 *       the labels the caller may see ({@code _tag}), so totals and pages are right;</li>
 *   <li>every returned resource is checked again (a second line that should never drop anything);
 *       a denied read answers 404 exactly as for a record that does not exist;</li>
 *   <li>paths the narrowing cannot cover (history, {@code _include}/{@code _revinclude},
 *       {@code _has}, system-wide search) are refused.</li>
 * </ul>
 */
@Component
@Interceptor
public class ReadAuthorization {

    private static final Logger log = LoggerFactory.getLogger(ReadAuthorization.class);

    /** The shared records: the six items and the documents with their index. */
    static final Set<String> CLINICAL = Set.of("Condition", "AllergyIntolerance", "Observation", "MedicationRequest",
            "DocumentReference", "Bundle");
    /** Resource types that hold personal data, readable only by an identified caller (the access log guards itself). */
    static final Set<String> PERSONAL = Set.of("Condition", "AllergyIntolerance", "Observation", "MedicationRequest",
            "DocumentReference", "Bundle", "Patient", "Consent");
    private static final Set<RestOperationTypeEnum> CLIENT_READS = Set.of(RestOperationTypeEnum.READ, RestOperationTypeEnum.VREAD,
            RestOperationTypeEnum.SEARCH_TYPE, RestOperationTypeEnum.SEARCH_SYSTEM, RestOperationTypeEnum.GET_PAGE);
    private static final Set<RestOperationTypeEnum> HISTORY = Set.of(RestOperationTypeEnum.HISTORY_INSTANCE,
            RestOperationTypeEnum.HISTORY_TYPE, RestOperationTypeEnum.HISTORY_SYSTEM);
    /** A tag no record carries: a caller who may see nothing still gets a well-formed, empty search. */
    private static final TokenParam NOTHING = new TokenParam(GatewayCanonical.SHARE_CATEGORY, "none-visible");

    private final CallerResolver callers;
    private final ReaderScope scope;
    private final AccessAudit audit;
    private final boolean enforcing;

    public ReadAuthorization(CallerResolver callers, ReaderScope scope, AccessAudit audit, ConsentProperties properties) {
        this.callers = callers;
        this.scope = scope;
        this.audit = audit;
        this.enforcing = properties.enforcementEnabled();
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void refuseUnenforceablePaths(RequestDetails request, RestOperationTypeEnum operation) {
        if (!enforcing) {
            return;
        }
        if (HISTORY.contains(operation)) {
            throw Rejection.badRequest(null, "History is not offered: earlier versions of shared records are not shared");
        }
        if (operation == RestOperationTypeEnum.SEARCH_SYSTEM) {
            throw Rejection.badRequest(null, "Search a resource type for one patient, e.g. Condition?patient=Patient/[id]");
        }
        if (request.getParameters() != null) {
            for (String parameter : request.getParameters().keySet()) {
                if (parameter.startsWith("_include") || parameter.startsWith("_revinclude") || parameter.startsWith("_has")) {
                    throw Rejection.badRequest(parameter, parameter + " is not offered: search each resource type for the patient");
                }
            }
        }
    }

    @Hook(Pointcut.STORAGE_PRESEARCH_REGISTERED)
    public void narrowSearch(SearchParameterMap map, ICachedSearchDetails details, RequestDetails request) {
        if (!enforcing || request == null || !CLIENT_READS.contains(request.getRestOperationType())) {
            return;
        }
        String type = details.getResourceType();
        if (!PERSONAL.contains(type)) {
            return;
        }
        Caller caller = identified(request);
        Requester requester = caller.requester().orElseThrow();
        if (type.equals("Bundle")) {
            throw Rejection.badRequest(null, "Find documents through DocumentReference?patient=...; then read the Bundle it points at");
        }
        if (type.equals("Patient")) {
            narrowPatientSearch(map, requester);
            return;
        }
        if (type.equals("Consent")) {
            if (requester instanceof Requester.PatientSelf self) {
                narrowToOwn(map, self);
            } else if (!(requester instanceof Requester.Operator)) {
                namedPatient(map);
            }
            return;
        }
        if (requester instanceof Requester.Operator) {
            throw Rejection.forbidden(null, "The service operator reads no clinical content");
        }
        String patient = namedPatient(map);
        VisibleSet visible = scope.visibleSet(caller, patient, request);
        if (!(requester instanceof Requester.PatientSelf)) {
            audit.record(caller, "search-type", patient, List.of(), AccessAudit.Outcome.PERMITTED,
                    explain(visible), type + "?" + request.getCompleteUrl().replaceFirst("^[^?]*\\??", ""));
        }
        TokenOrListParam tags = new TokenOrListParam();
        visible.labels().stream().map(ShareLabels::tokenOf).forEach(tags::add);
        if (tags.getValuesAsQueryTokens().isEmpty()) {
            tags.add(NOTHING);
        }
        map.add("_tag", tags);
    }

    /** A patient's search of consents covers their own, whatever it names. */
    private static void narrowToOwn(SearchParameterMap map, Requester.PatientSelf self) {
        List<List<IQueryParameterType>> named = map.remove("patient");
        boolean another = named != null && named.stream().flatMap(List::stream)
                .anyMatch(p -> !(p instanceof ReferenceParam ref) || !self.patientId().equals("Patient/" + ref.getIdPart()));
        map.add("patient", new ReferenceParam(self.patientId()));
        if (another) {
            map.add("_id", new TokenParam("none")); // another patient's: nothing
        }
    }

    /**
     * Institutions look patients up freely (to find whom they treat); the patient finds only
     * themselves; an insurer (its members) and the operator (to enrol a patient's portal account)
     * only by one exact insurance member ID.
     */
    private static void narrowPatientSearch(SearchParameterMap map, Requester requester) {
        if (requester instanceof Requester.PatientSelf self) {
            map.add("_id", new TokenParam(new IdType(self.patientId()).getIdPart()));
            return;
        }
        if (requester instanceof Requester.Institution) {
            return;
        }
        String memberId = oneMemberId(map).orElseThrow(() -> Rejection.forbidden("identifier",
                "Look a patient up by one insurance member ID: identifier=" + JpIdentifiers.INSURANCE_MEMBER_ID
                        + "|[insurer]:[symbol]:[number]:[branch]"));
        if (requester instanceof Requester.Insurer insurer && !memberId.startsWith(insurer.insurerNumber() + ":")) {
            map.add("_id", new TokenParam("none")); // another insurer's member: nothing, not even whether they exist
        }
    }

    private static Optional<String> oneMemberId(SearchParameterMap map) {
        List<List<IQueryParameterType>> identifiers = map.get("identifier");
        if (!map.keySet().stream().allMatch(p -> p.equals("identifier")) || identifiers == null || identifiers.size() != 1
                || identifiers.get(0).size() != 1 || !(identifiers.get(0).get(0) instanceof TokenParam token)
                || token.getModifier() != null || !JpIdentifiers.INSURANCE_MEMBER_ID.equals(token.getSystem())
                || token.getValue() == null || token.getValue().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(PatientRegistry.normalize(token.getValue()));
    }

    // On the resources about to be shown, not at STORAGE_PREACCESS_RESOURCES: there, looking at a
    // resource makes HAPI parse every search result a second time.
    @Hook(Pointcut.STORAGE_PRESHOW_RESOURCES)
    public void checkEachResource(IPreResourceShowDetails details, RequestDetails request) {
        if (!enforcing || request == null || !CLIENT_READS.contains(request.getRestOperationType())) {
            return;
        }
        boolean singleRead = request.getRestOperationType() == RestOperationTypeEnum.READ
                || request.getRestOperationType() == RestOperationTypeEnum.VREAD;
        for (int i = 0; i < details.size(); i++) {
            IBaseResource resource = details.getResource(i);
            if (resource == null || !PERSONAL.contains(resource.fhirType()) || mayRead(identified(request), resource, request)) {
                continue;
            }
            if (singleRead) {
                auditSingleRead(request, resource, AccessAudit.Outcome.REFUSED);
                // As if absent: a denied reader learns nothing, not even that the record exists.
                throw new ResourceNotFoundException(Msg.code(2001) + "Resource "
                        + resource.getIdElement().toUnqualifiedVersionless().getValue() + " is not known");
            }
            log.warn("Search narrowing let through {} for {}; dropped by the second line",
                    resource.getIdElement().toUnqualifiedVersionless().getValue(), identified(request).requester());
            details.setResource(i, null);
        }
        if (singleRead && details.size() == 1 && details.getResource(0) != null && CLINICAL.contains(details.getResource(0).fhirType())) {
            auditSingleRead(request, details.getResource(0), AccessAudit.Outcome.PERMITTED);
        }
    }

    /** A read of a record by anyone but its author or its patient goes into the patient's access log. */
    private void auditSingleRead(RequestDetails request, IBaseResource resource, AccessAudit.Outcome outcome) {
        Caller caller = identified(request);
        Requester requester = caller.requester().orElseThrow();
        if (!(resource instanceof Resource record) || !CLINICAL.contains(record.fhirType()) || requester instanceof Requester.PatientSelf) {
            return;
        }
        boolean own = requester instanceof Requester.Institution i && ShareLabels.labelsOf(record.getMeta()).contains(new Label.Author(i.code()));
        Optional<String> patient = patientOf(record);
        if ((own && outcome == AccessAudit.Outcome.PERMITTED) || patient.isEmpty()) {
            return;
        }
        String explanation = outcome == AccessAudit.Outcome.REFUSED ? "Refused: no rule or consent lets this reader see the record"
                : explain(scope.visibleSet(caller, patient.get(), request));
        audit.record(caller, request.getRestOperationType() == RestOperationTypeEnum.VREAD ? "vread" : "read", patient.get(),
                List.of(record.getIdElement().toUnqualifiedVersionless().getValue()), outcome, explanation, null);
    }

    /** Per category, what was decided and why: what the patient later reads in the access log. */
    private static String explain(VisibleSet visible) {
        StringBuilder text = new StringBuilder();
        visible.decisions().entrySet().stream()
                .sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> text.append(text.length() == 0 ? "" : "; ").append(e.getKey().code()).append(": ")
                        .append(e.getValue().permits() ? "permit" : "deny").append(" (").append(e.getValue().explanation()).append(')'));
        return text.toString();
    }

    private boolean mayRead(Caller caller, IBaseResource resource, RequestDetails request) {
        Requester requester = caller.requester().orElseThrow();
        if (resource instanceof Patient patient) {
            String reference = "Patient/" + patient.getIdElement().getIdPart();
            if (requester instanceof Requester.PatientSelf self) {
                return self.patientId().equals(reference);
            }
            if (requester instanceof Requester.Insurer insurer) {
                return ReaderScope.insurerOf(patient).map(insurer.insurerNumber()::equals).orElse(false);
            }
            return requester instanceof Requester.Institution || requester instanceof Requester.Operator;
        }
        if (resource instanceof Consent consent) {
            if (requester instanceof Requester.PatientSelf self) {
                return self.patientId().equals(consent.getPatient().getReference());
            }
            return !(requester instanceof Requester.Insurer);
        }
        Resource record = (Resource) resource;
        Set<Label> labels = ShareLabels.labelsOf(record.getMeta());
        return patientOf(record)
                .map(patient -> scope.visibleSet(caller, patient, request).admits(labels))
                .orElseGet(() -> requester instanceof Requester.Institution i && labels.contains(new Label.Author(i.code())));
    }

    /** The gateway Patient a stored record belongs to. */
    static Optional<String> patientOf(Resource record) {
        String reference = null;
        if (record instanceof Condition c) {
            reference = c.getSubject().getReference();
        } else if (record instanceof AllergyIntolerance a) {
            reference = a.getPatient().getReference();
        } else if (record instanceof Observation o) {
            reference = o.getSubject().getReference();
        } else if (record instanceof MedicationRequest m) {
            reference = m.getSubject().getReference();
        } else if (record instanceof DocumentReference d) {
            reference = d.getSubject().getReference();
        } else if (record instanceof Bundle b) {
            return ShareLabels.subjectOf(b.getMeta());
        }
        return Optional.ofNullable(reference).filter(r -> r.startsWith("Patient/"))
                .map(r -> new IdType(r).toUnqualifiedVersionless().getValue());
    }

    private Caller identified(RequestDetails request) {
        Caller caller = callers.resolve(request);
        if (caller.requester().isEmpty()) {
            throw Rejection.unauthenticated("Reading personal data needs the caller's identity");
        }
        return caller;
    }

    /** The one patient a search of clinical records names ({@code patient} or {@code subject}). */
    private static String namedPatient(SearchParameterMap map) {
        for (String parameter : List.of("patient", "subject")) {
            List<List<IQueryParameterType>> andList = map.get(parameter);
            if (andList == null || andList.isEmpty()) {
                continue;
            }
            if (andList.size() == 1 && andList.get(0).size() == 1 && andList.get(0).get(0) instanceof ReferenceParam ref
                    && ref.getChain() == null && ref.getIdPart() != null) {
                return "Patient/" + ref.getIdPart();
            }
            throw Rejection.badRequest(parameter, "Name exactly one patient: " + parameter + "=Patient/[id]");
        }
        throw Rejection.badRequest("patient", "A search of shared records names one patient: patient=Patient/[id]");
    }
}
