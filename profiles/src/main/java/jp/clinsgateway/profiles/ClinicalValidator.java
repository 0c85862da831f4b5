package jp.clinsgateway.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.IInstanceValidatorModule;
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
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One warm, thread-safe validator over the JP packages, the R4 core definitions and the
 * gateway's own conformance resources. It runs offline: codes from code systems that are not
 * available here (MEDIS, JLAC, YJ, the MHLW masters) are reported as warnings, never as errors,
 * while every structural and profile rule stays an error.
 *
 * <p>Profiles declared with a version of the held guides' families ({@link JpGuide}) are validated
 * against the held definitions, reconciled with the later changes ({@link GuideReconciliation});
 * each result says which version was used, and carries the later guides' rules as warnings.
 */
public final class ClinicalValidator {

    private final FhirContext fhirContext;
    private final ValidationSupportChain validationSupport;
    private final FhirValidator validator;
    private final IInstanceValidatorModule module;

    private ClinicalValidator(FhirContext fhirContext, ValidationSupportChain validationSupport, JpDefinitions held) {
        this.fhirContext = fhirContext;
        this.validationSupport = validationSupport;
        FhirInstanceValidator instanceValidator = new FhirInstanceValidator(validationSupport);
        instanceValidator.setAnyExtensionsAllowed(true);
        instanceValidator.setErrorForUnknownProfiles(true);
        instanceValidator.setBestPracticeWarningLevel(BestPracticeWarningLevel.Ignore);
        this.module = new ReconciledValidation(instanceValidator, new ProfileDeclarations(held));
        this.validator = fhirContext.newValidator().registerValidatorModule(module);
        this.validator.setConcurrentBundleValidation(false);
    }

    /**
     * Builds the validator over the JP packages and the given extra conformance resources
     * (our implementation guide's profiles, value sets and code systems).
     */
    public static ClinicalValidator create(FhirContext fhirContext, Collection<? extends IBaseResource> extraResources) {
        JpDefinitions held = JpConformanceResources.read(fhirContext);
        PrePopulatedValidationSupport definitions = new PrePopulatedValidationSupport(fhirContext);
        held.resources().forEach(definitions::addResource);
        extraResources.forEach(definitions::addResource);

        UnknownCodeSystemWarningValidationSupport unknownCodeSystems =
                new UnknownCodeSystemWarningValidationSupport(fhirContext);
        unknownCodeSystems.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);

        ValidationSupportChain chain = new ValidationSupportChain(
                new VersionedCanonicals(fhirContext, held),
                definitions,
                fhirContext.getValidationSupport(),
                new CommonCodeSystemsTerminologyService(fhirContext),
                new InMemoryTerminologyServerValidationSupport(fhirContext),
                new SnapshotGeneratingValidationSupport(fhirContext),
                unknownCodeSystems);
        return new ClinicalValidator(fhirContext, chain, held);
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
     * Validates the text exactly as received (JSON or XML) against the given profile (none: only
     * those it declares), so that elements a lenient parser would drop are reported too, with line
     * and column.
     */
    public ValidationResult validateText(String resourceText, String profileUrl) {
        return validator.validateWithResult(resourceText, new ValidationOptions().addProfileIfNotBlank(profileUrl));
    }

    /** The resource types the held JP profiles and the given guide's profiles constrain (Patient, Practitioner ...). */
    public Set<String> profiledTypes() {
        Set<String> types = new TreeSet<>();
        for (IBaseResource definition : validationSupport.<IBaseResource>fetchAllStructureDefinitions()) {
            if (definition instanceof StructureDefinition sd && sd.getKind() == StructureDefinition.StructureDefinitionKind.RESOURCE
                    && sd.getDerivation() == StructureDefinition.TypeDerivationRule.CONSTRAINT && sd.getUrl() != null
                    && !sd.getUrl().startsWith("http://hl7.org/")) {
                types.add(sd.getType());
            }
        }
        return types;
    }

    /**
     * The validator module (the instance validator, then the version notes and the later guides'
     * rules), for HAPI's own {@code $validate} operation.
     */
    public IInstanceValidatorModule validatorModule() {
        return module;
    }

    /** The support chain, for the server's own {@code $validate} and terminology lookups. */
    public IValidationSupport validationSupport() {
        return validationSupport;
    }

    public FhirContext fhirContext() {
        return fhirContext;
    }
}
