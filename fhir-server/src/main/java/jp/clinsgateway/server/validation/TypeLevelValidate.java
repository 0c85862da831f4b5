package jp.clinsgateway.server.validation;

import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Validate;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.ValidationModeEnum;
import ca.uhn.fhir.rest.server.IResourceProvider;
import jp.clinsgateway.profiles.ClinicalValidator;
import jp.clinsgateway.server.web.Rejection;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * {@code POST [base]/[Type]/$validate} for every type the JP profiles (and our guide) define, so that a
 * vendor or a conformance tester can check each resource before sending: Patient and the items the
 * gateway serves, and those it takes only inside a submitted Bundle (Practitioner, Organization,
 * Encounter, Specimen, Composition, Coverage, Binary ...), on which nothing else is offered: no read,
 * no search, no write.
 *
 * <p>The body is the resource, or {@code Parameters} with {@code resource}, {@code mode} and
 * {@code profile}. The answer is the validator's judgement as an OperationOutcome, 200 whatever it
 * finds (4xx only for a body that is not FHIR). {@code profile} validates against that profile as
 * well (a versioned one as {@code meta.profile} would be). {@code mode}: {@code create} and
 * {@code update} check the content against the profiles (the rules the gateway applies when it stores
 * something, such as who may write it, are checked only then); {@code delete} has nothing to check,
 * since the gateway deletes nothing, and says so.
 */
public final class TypeLevelValidate implements IResourceProvider {

    private final Class<? extends IBaseResource> type;
    private final ClinicalValidator validator;

    public TypeLevelValidate(Class<? extends IBaseResource> type, ClinicalValidator validator) {
        this.type = type;
        this.validator = validator;
    }

    @Override
    public Class<? extends IBaseResource> getResourceType() {
        return type;
    }

    @Validate
    public MethodOutcome validate(@ResourceParam IBaseResource resource, @ResourceParam String rawBody,
                                  @ResourceParam EncodingEnum encoding, @Validate.Mode ValidationModeEnum mode,
                                  @Validate.Profile String profile) {
        String typeName = type.getSimpleName();
        if (mode == ValidationModeEnum.DELETE) {
            return answer(note(new OperationOutcome(), "mode=delete: the gateway deletes no " + typeName
                    + " (records are replaced or withdrawn through $submit, consents revoked): there is nothing a delete could be checked against"));
        }
        if (resource == null) {
            throw Rejection.malformed("Send the " + typeName + " to validate, as the body or as the 'resource' parameter");
        }
        if (!typeName.equals(resource.fhirType())) {
            throw Rejection.badRequest(resource.fhirType(), typeName + "/$validate validates a " + typeName + "; got a "
                    + resource.fhirType());
        }
        // The text as sent, so that elements a lenient parser drops are reported too; from Parameters, the resource in it.
        String text = rawBody != null && encoding != null && !isParameters(rawBody, encoding)
                ? rawBody : validator.fhirContext().newJsonParser().encodeResourceToString(resource);
        OperationOutcome outcome = (OperationOutcome) validator.validateText(text, profile).toOperationOutcome();
        if (mode == ValidationModeEnum.CREATE || mode == ValidationModeEnum.UPDATE) {
            note(outcome, "mode=" + mode.getCode() + ": the content was checked against the profiles; the rules the gateway applies when it stores a "
                    + typeName + " (who may write it, what it may refer to) are checked only when it is written");
        }
        return answer(outcome);
    }

    private boolean isParameters(String body, EncodingEnum encoding) {
        return encoding.newParser(validator.fhirContext()).parseResource(body) instanceof Parameters;
    }

    private static OperationOutcome note(OperationOutcome outcome, String text) {
        outcome.addIssue().setSeverity(IssueSeverity.INFORMATION).setCode(IssueType.INFORMATIONAL).setDiagnostics(text);
        return outcome;
    }

    private static MethodOutcome answer(OperationOutcome outcome) {
        MethodOutcome answer = new MethodOutcome();
        answer.setOperationOutcome(outcome);
        return answer;
    }
}
