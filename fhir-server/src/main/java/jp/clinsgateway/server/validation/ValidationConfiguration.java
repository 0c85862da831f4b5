package jp.clinsgateway.server.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.IInstanceValidatorModule;
import jp.clinsgateway.profiles.ClinicalValidator;
import jp.clinsgateway.server.ig.GatewayImplementationGuide;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One warm validator over the JP packages and our implementation guide, used by submissions
 * and by HAPI's own {@code $validate} (the bean below replaces HAPI's default instance validator,
 * which knows only what is stored in the database).
 */
@Configuration
public class ValidationConfiguration {

    @Bean
    public GatewayImplementationGuide gatewayImplementationGuide(FhirContext fhirContext) {
        return GatewayImplementationGuide.load(fhirContext);
    }

    @Bean
    public ClinicalValidator clinicalValidator(FhirContext fhirContext, GatewayImplementationGuide guide) {
        return ClinicalValidator.create(fhirContext, guide.conformanceResources());
    }

    @Bean(name = "myInstanceValidator")
    public IInstanceValidatorModule instanceValidator(ClinicalValidator clinicalValidator) {
        return clinicalValidator.validatorModule();
    }
}
