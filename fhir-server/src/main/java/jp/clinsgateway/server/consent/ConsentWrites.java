package jp.clinsgateway.server.consent;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.validation.ValidationResult;
import jp.clinsgateway.consent.Requester;
import jp.clinsgateway.profiles.ClinicalValidator;
import jp.clinsgateway.server.identity.Caller;
import jp.clinsgateway.server.identity.CallerResolver;
import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.server.submission.Rejection;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.stereotype.Component;

import java.util.Set;

/**
 * Consents are written through the FHIR API (create; revoke by updating to {@code inactive}),
 * validated against our {@code patient-consent} profile like every other input. The patient
 * writes their own; an institution writes them at its card reader on the patient's behalf.
 */
@Component
@Interceptor
public class ConsentWrites {

    private static final Set<RestOperationTypeEnum> CLIENT_WRITES = Set.of(RestOperationTypeEnum.CREATE, RestOperationTypeEnum.UPDATE);

    private final ClinicalValidator validator;
    private final CallerResolver callers;

    public ConsentWrites(ClinicalValidator validator, CallerResolver callers) {
        this.validator = validator;
        this.callers = callers;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void beforeCreate(IBaseResource resource, RequestDetails request) {
        if (resource instanceof Consent consent && isClientWrite(request)) {
            check(consent, request);
        }
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void beforeUpdate(IBaseResource previous, IBaseResource updated, RequestDetails request) {
        if (updated instanceof Consent consent && isClientWrite(request)) {
            check(consent, request);
            String before = ((Consent) previous).getPatient().getReference();
            if (before != null && !before.equals(consent.getPatient().getReference())) {
                throw Rejection.unprocessable(OperationOutcome.IssueType.BUSINESSRULE, "Consent.patient",
                        "A consent stays with its patient; write a new Consent instead");
            }
        }
    }

    private void check(Consent consent, RequestDetails request) {
        Caller caller = callers.resolve(request);
        Requester requester = caller.requester()
                .orElseThrow(() -> Rejection.unauthenticated("Writing a consent needs the caller's identity"));
        if (requester instanceof Requester.PatientSelf self) {
            if (!self.patientId().equals(consent.getPatient().getReference())) {
                throw Rejection.forbidden("Consent.patient", "A patient decides only their own consents");
            }
        } else if (!(requester instanceof Requester.Institution)) {
            throw Rejection.forbidden("Consent", "Only the patient, or an institution on the patient's behalf, writes consents");
        }
        ValidationResult result = validator.validate(consent, GatewayCanonical.PATIENT_CONSENT);
        if (!result.isSuccessful()) {
            throw Rejection.withOutcome((OperationOutcome) result.toOperationOutcome(),
                    new UnprocessableEntityException("The Consent does not conform to " + GatewayCanonical.PATIENT_CONSENT));
        }
    }

    private static boolean isClientWrite(RequestDetails request) {
        return request != null && CLIENT_WRITES.contains(request.getRestOperationType());
    }
}
