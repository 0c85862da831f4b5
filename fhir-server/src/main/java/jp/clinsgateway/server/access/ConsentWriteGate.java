package jp.clinsgateway.server.access;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.validation.ValidationResult;
import jp.clinsgateway.consent.AccessPolicy;
import jp.clinsgateway.consent.ConsentWrite;
import jp.clinsgateway.consent.ConsentWriteDecision;
import jp.clinsgateway.consent.Decision;
import jp.clinsgateway.consent.Effect;
import jp.clinsgateway.consent.PatientConsent;
import jp.clinsgateway.consent.Reason;
import jp.clinsgateway.consent.Requester;
import jp.clinsgateway.consent.ShareCategory;
import jp.clinsgateway.profiles.ClinicalValidator;
import jp.clinsgateway.server.audit.AccessAudit;
import jp.clinsgateway.server.audit.AccessEntry;
import jp.clinsgateway.server.consent.ConsentFacts;
import jp.clinsgateway.server.consent.PatientConsents;
import jp.clinsgateway.server.identity.Caller;
import jp.clinsgateway.server.identity.CallerResolver;
import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.server.labels.ConsentProvenance;
import jp.clinsgateway.server.labels.PatientRelations;
import jp.clinsgateway.server.patient.JpIdentifiers;
import jp.clinsgateway.server.storage.SnapshotWrites;
import jp.clinsgateway.server.web.Rejection;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Consents written by clients: created (the patient's own decision; an institution's, with proof of
 * the patient's presence or as a letter's author for its destination) and revoked (by the patient,
 * or by the institution that recorded it). Each is validated against {@code patient-consent},
 * decided by the policy, stamped with the provenance the policy gave it (whatever the client wrote),
 * and written to the patient's access log in the same transaction as the Consent itself.
 */
@Component
@Interceptor
class ConsentWriteGate {

    private static final Pattern PATIENT_REFERENCE = Pattern.compile("Patient/[A-Za-z0-9\\-.]{1,64}");
    private static final String WRITTEN = ConsentWriteGate.class.getName() + ".written";

    private final AccessPolicy policy;
    private final CallerResolver callers;
    private final ClinicalValidator validator;
    private final ConsentCodes codes;
    private final PatientConsents consents;
    private final DaoRegistry daoRegistry;
    private final AccessAudit audit;

    ConsentWriteGate(AccessPolicy policy, CallerResolver callers, ClinicalValidator validator, ConsentCodes codes,
                     PatientConsents consents, DaoRegistry daoRegistry, AccessAudit audit) {
        this.policy = policy;
        this.callers = callers;
        this.validator = validator;
        this.codes = codes;
        this.consents = consents;
        this.daoRegistry = daoRegistry;
        this.audit = audit;
    }

    /** What was decided about the consent being written, until its transaction commits. */
    private record Written(Caller caller, String patient, AccessEntry.Kind kind, String explanation) {
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void beforeCreate(IBaseResource resource, RequestDetails request) {
        if (!(resource instanceof Consent consent) || !isClientWrite(request)) {
            return;
        }
        if (request.getRestOperationType() == RestOperationTypeEnum.UPDATE) {
            throw Rejection.unprocessable(OperationOutcome.IssueType.NOTFOUND, "Consent.id",
                    "No Consent " + consent.getIdElement().getIdPart() + " exists to revoke: create a new Consent with POST [base]/Consent");
        }
        Caller caller = callers.resolve(request);
        Requester requester = caller.requester().orElseThrow();
        String patient = existingPatient(consent);
        Optional<String> code = takeConsentCode(consent);
        validate(consent);
        PatientConsent facts = ConsentFacts.of(consent);
        boolean institution = requester.kind() == Requester.Kind.INSTITUTION;
        boolean codeVerified = institution && code.map(c -> codes.spend(c, patient, requester.id())).orElse(false);
        Set<String> letters = institution ? letterDestinations(patient, requester.id()) : Set.of();
        ConsentWriteDecision decision = policy.recordConsent(requester, new ConsentWrite(patient, facts, codeVerified, letters));
        if (!decision.permits()) {
            String detail = code.isPresent() && !codeVerified && decision.reason() == Reason.CONSENT_PROOF_MISSING
                    ? ": the code presented is unknown, spent, expired, or issued for another patient or institution" : "";
            throw Refusals.of(decision.reason(), decision.reason().explanation() + detail, "Consent");
        }
        ConsentProvenance.apply(consent, decision.recorder().orElseThrow(), caller.name());
        relateConsentedInstitutions(patient, null, facts);
        request.getUserData().put(WRITTEN, new Written(caller, patient, AccessEntry.Kind.CONSENT_RECORDED, decision.reason().explanation()));
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void beforeUpdate(IBaseResource previous, IBaseResource updated, RequestDetails request) {
        if (!(updated instanceof Consent revised) || !isClientWrite(request)) {
            return;
        }
        Consent stored = (Consent) previous;
        String before = stored.getPatient().getReference();
        if (before != null && !before.equals(revised.getPatient().getReference())) {
            throw Rejection.unprocessable(OperationOutcome.IssueType.BUSINESSRULE, "Consent.patient",
                    "A consent stays with its patient; write a new Consent instead");
        }
        Caller caller = callers.resolve(request);
        takeConsentCode(revised);
        validate(revised);
        Decision decision = policy.reviseConsent(caller.requester().orElseThrow(), StoredFacts.consent(stored),
                ConsentFacts.of(stored), ConsentFacts.of(revised));
        if (!decision.permits()) {
            throw Refusals.of(decision.reason(), decision.reason().explanation(), "Consent.status");
        }
        ConsentProvenance.keep(stored, revised);
        String patient = StoredFacts.consent(stored).patientId();
        relateConsentedInstitutions(patient, stored.getIdElement().getIdPart(), ConsentFacts.of(revised));
        request.getUserData().put(WRITTEN, new Written(caller, patient, AccessEntry.Kind.CONSENT_REVOKED, decision.reason().explanation()));
    }

    /** Every consent write is in the patient's access log, committed with the consent or not at all. */
    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource, RequestDetails request) {
        log(resource, request);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource, RequestDetails request) {
        log(resource, request);
    }

    private void log(IBaseResource resource, RequestDetails request) {
        if (!(resource instanceof Consent) || request == null || !(request.getUserData().remove(WRITTEN) instanceof Written written)) {
            return;
        }
        audit.record(List.of(new AccessEntry(written.caller(), written.kind(), written.patient(), AccessEntry.Outcome.PERMITTED,
                written.explanation(), "Consent", List.of(), Map.of(),
                List.of(resource.getIdElement().toUnqualifiedVersionless().getValue()), Optional.empty())));
    }

    /** The Patient the consent is about, which must be a gateway Patient. */
    private String existingPatient(Consent consent) {
        String reference = consent.getPatient().getReference();
        if (reference == null || !PATIENT_REFERENCE.matcher(reference).matches()) {
            throw Rejection.unprocessable(OperationOutcome.IssueType.VALUE, "Consent.patient.reference",
                    "Name the gateway Patient the consent is about: Patient/[id]");
        }
        String patient = new IdType(reference).toUnqualifiedVersionless().getValue();
        try {
            daoRegistry.getResourceDao(Patient.class).read(new IdType(patient), new SystemRequestDetails());
        } catch (ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException | ca.uhn.fhir.rest.server.exceptions.ResourceGoneException e) {
            throw Rejection.unprocessable(OperationOutcome.IssueType.NOTFOUND, "Consent.patient.reference", "No patient " + patient + " is known");
        }
        return patient;
    }

    /** The one-time code, which proves presence once and is not stored with the consent. */
    private static Optional<String> takeConsentCode(Consent consent) {
        List<Extension> presented = consent.getExtensionsByUrl(GatewayCanonical.ONE_TIME_CONSENT_CODE);
        Optional<String> code = presented.stream().map(e -> e.getValue() == null ? null : e.getValue().primitiveValue())
                .filter(v -> v != null && !v.isBlank()).findFirst();
        consent.getExtension().removeIf(e -> GatewayCanonical.ONE_TIME_CONSENT_CODE.equals(e.getUrl()));
        return code;
    }

    private void validate(Consent consent) {
        ValidationResult result = validator.validate(consent, GatewayCanonical.PATIENT_CONSENT);
        if (!result.isSuccessful()) {
            throw Rejection.withOutcome((OperationOutcome) result.toOperationOutcome(),
                    new UnprocessableEntityException("The Consent does not conform to " + GatewayCanonical.PATIENT_CONSENT));
        }
        ConsentFacts.checkViewers(consent);
    }

    /** The institutions the given institution's referral letters for this patient are addressed to. */
    private Set<String> letterDestinations(String patient, String institution) {
        SearchParameterMap letters = SearchParameterMap.newSynchronous()
                .add("patient", new ReferenceParam(patient))
                .add("_tag", new TokenParam(GatewayCanonical.AUTHOR_INSTITUTION, institution))
                .add("category", new TokenParam(GatewayCanonical.SHARE_CATEGORY, ShareCategory.REFERRAL_LETTER.code()));
        return daoRegistry.getResourceDao(DocumentReference.class).search(letters, new SystemRequestDetails()).getAllResources().stream()
                .map(DocumentReference.class::cast)
                .flatMap(d -> d.getExtensionsByUrl(GatewayCanonical.RECIPIENT_INSTITUTION).stream())
                .map(e -> e.getValue() instanceof Identifier id ? id.getValue() : null)
                .filter(code -> code != null && JpIdentifiers.isInstitutionCode(code))
                .collect(Collectors.toSet());
    }

    /**
     * Keeps the patient's {@code consented-institution} tags equal to the institutions named in the
     * patient's active consents, this write included (so institutions find the patients who consented to them).
     */
    private void relateConsentedInstitutions(String patient, String writtenId, PatientConsent written) {
        List<PatientConsent> all = new ArrayList<>(consents.of(patient));
        all.removeIf(c -> writtenId != null && writtenId.equals(c.id()));
        all.add(written);
        Set<String> consented = all.stream().filter(c -> c.active() && c.effect() == Effect.PERMIT)
                .flatMap(c -> c.viewer().stream()).collect(Collectors.toSet());
        Patient stored = daoRegistry.getResourceDao(Patient.class).read(new IdType(patient), new SystemRequestDetails());
        if (PatientRelations.setConsented(stored.getMeta(), consented)) {
            daoRegistry.getResourceDao(Patient.class).update(stored, SnapshotWrites.request());
        }
    }

    private static boolean isClientWrite(RequestDetails request) {
        return request != null && (request.getRestOperationType() == RestOperationTypeEnum.CREATE
                || request.getRestOperationType() == RestOperationTypeEnum.UPDATE);
    }
}
