package jp.clinsgateway.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Answers a versioned canonical of a held JP profile ({@code url|1.11.0}) with the held definition
 * of {@code url} when the version belongs to the accepted family of its guide ({@link JpGuide});
 * any other version stays unknown to the validator, which then reports the profile as not found.
 */
final class VersionedCanonicals implements IValidationSupport {

    private final FhirContext fhirContext;
    private final JpDefinitions held;

    VersionedCanonicals(FhirContext fhirContext, JpDefinitions held) {
        this.fhirContext = fhirContext;
        this.held = held;
    }

    @Override
    public IBaseResource fetchStructureDefinition(String url) {
        if (url == null || url.indexOf('|') < 0) {
            return null;
        }
        JpDefinitions.Declaration declaration = held.declaration(url);
        return declaration.usesHeldCopy() ? held.definition(declaration.url()).orElse(null) : null;
    }

    @Override
    public FhirContext getFhirContext() {
        return fhirContext;
    }

    @Override
    public String getName() {
        return "JP versioned canonicals";
    }
}
