package jp.clinsgateway.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;

import java.util.Collection;
import java.util.List;

/**
 * One warm, thread-safe validator over the JP packages, the R4 core definitions and the
 * gateway's own conformance resources. It runs offline: codes from code systems that are not
 * available here (MEDIS, JLAC, YJ, the MHLW masters) are reported as warnings, never as errors,
 * while every structural and profile rule stays an error.
 */
public final class ClinicalValidator {

    private final FhirContext fhirContext;
    private final ValidationSupportChain validationSupport;
    private final FhirValidator validator;
    private final FhirInstanceValidator instanceValidator;

    private ClinicalValidator(FhirContext fhirContext, ValidationSupportChain validationSupport) {
        this.fhirContext = fhirContext;
        this.validationSupport = validationSupport;
        this.instanceValidator = new FhirInstanceValidator(validationSupport);
        instanceValidator.setAnyExtensionsAllowed(true);
        instanceValidator.setErrorForUnknownProfiles(true);
        instanceValidator.setBestPracticeWarningLevel(BestPracticeWarningLevel.Ignore);
        this.validator = fhirContext.newValidator().registerValidatorModule(instanceValidator);
        this.validator.setConcurrentBundleValidation(false);
    }

    /**
     * Builds the validator over the JP packages and the given extra conformance resources
     * (our implementation guide's profiles, value sets and code systems).
     */
    public static ClinicalValidator create(FhirContext fhirContext, Collection<? extends IBaseResource> extraResources) {
        PrePopulatedValidationSupport definitions = new PrePopulatedValidationSupport(fhirContext);
        JpConformanceResources.load(fhirContext).forEach(definitions::addResource);
        extraResources.forEach(definitions::addResource);

        UnknownCodeSystemWarningValidationSupport unknownCodeSystems =
                new UnknownCodeSystemWarningValidationSupport(fhirContext);
        unknownCodeSystems.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);

        ValidationSupportChain chain = new ValidationSupportChain(
                definitions,
                fhirContext.getValidationSupport(),
                new CommonCodeSystemsTerminologyService(fhirContext),
                new InMemoryTerminologyServerValidationSupport(fhirContext),
                new SnapshotGeneratingValidationSupport(fhirContext),
                unknownCodeSystems);
        return new ClinicalValidator(fhirContext, chain);
    }

    public static ClinicalValidator create(FhirContext fhirContext) {
        return create(fhirContext, List.of());
    }

    /** Validates against the profiles the resource declares in {@code meta.profile}. */
    public ValidationResult validate(IBaseResource resource) {
        return validator.validateWithResult(resource);
    }

    /** Validates against the given profile, in addition to those the resource declares. */
    public ValidationResult validate(IBaseResource resource, String profileUrl) {
        return validator.validateWithResult(resource, new ValidationOptions().addProfile(profileUrl));
    }

    /**
     * Validates the text exactly as received (JSON or XML) against the given profile, so that
     * elements a lenient parser would drop are reported too, with line and column.
     */
    public ValidationResult validateText(String resourceText, String profileUrl) {
        return validator.validateWithResult(resourceText, new ValidationOptions().addProfile(profileUrl));
    }

    /** The instance validator module, for HAPI's own {@code $validate} operation. */
    public FhirInstanceValidator instanceValidator() {
        return instanceValidator;
    }

    /** The support chain, for the server's own {@code $validate} and terminology lookups. */
    public IValidationSupport validationSupport() {
        return validationSupport;
    }

    public FhirContext fhirContext() {
        return fhirContext;
    }
}
