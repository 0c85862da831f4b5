package jp.clinsgateway.profiles;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.validation.IInstanceValidatorModule;
import ca.uhn.fhir.validation.IValidationContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The validator module of the gateway: the HL7 instance validator over the held (reconciled)
 * definitions, then what the held versions cannot say themselves, as further issues with the
 * element path: which guide version each profile declaration was validated against, and the rules
 * later guides added, as warnings. Used for submissions and by every {@code $validate}.
 */
final class ReconciledValidation implements IInstanceValidatorModule {

    private final FhirInstanceValidator instanceValidator;
    private final ProfileDeclarations declarations;

    ReconciledValidation(FhirInstanceValidator instanceValidator, ProfileDeclarations declarations) {
        this.instanceValidator = instanceValidator;
        this.declarations = declarations;
    }

    @Override
    public void validateResource(IValidationContext<IBaseResource> context) {
        instanceValidator.validateResource(context);
        Resource resource;
        try {
            resource = (Resource) context.getResource();
        } catch (DataFormatException e) {
            return; // not FHIR the model can read: the instance validator has said why
        }
        if (resource == null) {
            return;
        }
        Collection<String> requested = context.getOptions().getProfiles();
        declarations.notes(resource, requested).forEach(context::addValidationMessage);
        laterRules(resource, requested).forEach(context::addValidationMessage);
    }

    private static List<SingleValidationMessage> laterRules(Resource resource, Collection<String> requested) {
        List<LaterGuideRules.Checked> checked = new ArrayList<>();
        String root = resource.fhirType();
        checked.add(new LaterGuideRules.Checked(resource, root, false));
        if (resource instanceof Bundle bundle) {
            boolean clins = isClinsBundle(bundle, requested);
            for (int i = 0; i < bundle.getEntry().size(); i++) {
                Resource entry = bundle.getEntry().get(i).getResource();
                if (entry != null) {
                    checked.add(new LaterGuideRules.Checked(entry, root + ".entry[" + i + "].resource", clins && i > 0));
                }
            }
        }
        List<SingleValidationMessage> warnings = new ArrayList<>();
        for (GuideReconciliation.UpstreamChange change : GuideReconciliation.laterRules()) {
            for (LaterGuideRules.Checked target : checked) {
                for (LaterGuideRules.Finding finding : change.rule().orElseThrow().check(target)) {
                    SingleValidationMessage warning = new SingleValidationMessage();
                    warning.setSeverity(ResultSeverityEnum.WARNING);
                    warning.setLocationString(finding.path());
                    warning.setMessageId(GuideReconciliation.LATER_RULE_MESSAGE);
                    warning.setMessage(change.guide().title() + " " + change.version() + ": " + finding.message()
                            + ". A rule added after the held " + change.guide().held()
                            + ": a warning, not an error, until the gateway can load that version");
                    warnings.add(warning);
                }
            }
        }
        return warnings;
    }

    private static boolean isClinsBundle(Bundle bundle, Collection<String> requested) {
        return Stream.concat(requested.stream(), bundle.getMeta().getProfile().stream().map(CanonicalType::getValue))
                .filter(Objects::nonNull)
                .anyMatch(p -> p.equals(JpProfiles.BUNDLE_CLINS) || p.startsWith(JpProfiles.BUNDLE_CLINS + "|"));
    }
}
