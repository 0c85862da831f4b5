package jp.clinsgateway.server.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import jp.clinsgateway.server.ig.GatewayCanonical;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.ResourceInteractionComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.springframework.stereotype.Component;

import java.util.Set;

/**
 * Makes the generated CapabilityStatement say what the gateway really offers: reads and searches
 * (no direct writes), the operations that are allowed, and the implementation guide it conforms to.
 */
@Component
@Interceptor
public class CapabilityStatementCustomizer {

    private static final Set<TypeRestfulInteraction> READS = Set.of(TypeRestfulInteraction.READ,
            TypeRestfulInteraction.VREAD, TypeRestfulInteraction.SEARCHTYPE, TypeRestfulInteraction.HISTORYINSTANCE,
            TypeRestfulInteraction.HISTORYTYPE);

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void describe(IBaseConformance generated) {
        CapabilityStatement statement = (CapabilityStatement) generated;
        statement.getSoftware().setName("CLINS consent and information-sharing gateway");
        statement.addImplementationGuide(GatewayCanonical.IMPLEMENTATION_GUIDE);
        for (CapabilityStatementRestComponent rest : statement.getRest()) {
            rest.getInteraction().removeIf(i -> i.getCode() == CapabilityStatement.SystemRestfulInteraction.TRANSACTION
                    || i.getCode() == CapabilityStatement.SystemRestfulInteraction.BATCH);
            rest.getOperation().removeIf(o -> !ClientWritePolicy.ALLOWED_OPERATIONS.contains("$" + o.getName()));
            for (CapabilityStatementRestResourceComponent resource : rest.getResource()) {
                resource.getInteraction().removeIf((ResourceInteractionComponent i) -> !READS.contains(i.getCode()));
                resource.getOperation().removeIf(o -> !ClientWritePolicy.ALLOWED_OPERATIONS.contains("$" + o.getName()));
                resource.setConditionalCreate(false).setConditionalUpdate(false);
                resource.setConditionalDelete(null);
            }
        }
    }
}
