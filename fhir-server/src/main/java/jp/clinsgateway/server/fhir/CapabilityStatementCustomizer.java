package jp.clinsgateway.server.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jp.clinsgateway.consent.GatewayOperation;
import jp.clinsgateway.consent.ResourceKind;
import jp.clinsgateway.server.identity.IdentityProperties;
import jp.clinsgateway.server.identity.SmartEndpoints;
import jp.clinsgateway.server.ig.GatewayCanonical;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;
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
 * (no direct writes), the operations that are allowed ({@code $validate} alone on the types it takes
 * only inside Bundles), and the implementation guide it conforms to.
 */
@Component
@Interceptor
public class CapabilityStatementCustomizer {

    private static final Set<TypeRestfulInteraction> READS = Set.of(TypeRestfulInteraction.READ,
            TypeRestfulInteraction.VREAD, TypeRestfulInteraction.SEARCHTYPE, TypeRestfulInteraction.HISTORYINSTANCE,
            TypeRestfulInteraction.HISTORYTYPE);
    /** An insurer's own subscriptions are the one thing a client also creates, changes and deletes directly. */
    private static final Set<TypeRestfulInteraction> SUBSCRIPTION_WRITES = Set.of(TypeRestfulInteraction.CREATE,
            TypeRestfulInteraction.UPDATE, TypeRestfulInteraction.DELETE);

    private final IdentityProperties identity;

    public CapabilityStatementCustomizer(IdentityProperties identity) {
        this.identity = identity;
    }

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void describe(IBaseConformance generated, RequestDetails request) {
        CapabilityStatement statement = (CapabilityStatement) generated;
        if (request instanceof ServletRequestDetails servlet && identity.configuredIssuer().isPresent()) {
            SmartEndpoints endpoints = SmartEndpoints.of(identity.configuredIssuer().get(), SmartEndpoints.gatewayRoot(servlet.getServletRequest()));
            boolean introspection = identity.configuredIntrospectionSecret().isPresent();
            statement.getRest().forEach(rest -> describeSecurity(rest, endpoints, introspection));
        }
        statement.getSoftware().setName("CLINS consent and information-sharing gateway");
        statement.addImplementationGuide(GatewayCanonical.IMPLEMENTATION_GUIDE);
        for (CapabilityStatementRestComponent rest : statement.getRest()) {
            rest.getInteraction().removeIf(i -> i.getCode() == CapabilityStatement.SystemRestfulInteraction.TRANSACTION
                    || i.getCode() == CapabilityStatement.SystemRestfulInteraction.BATCH);
            rest.getOperation().removeIf(o -> GatewayOperation.named("$" + o.getName()).isEmpty());
            for (CapabilityStatementRestResourceComponent resource : rest.getResource()) {
                boolean subscription = ResourceKind.ofType(resource.getType()) == ResourceKind.SUBSCRIPTION;
                resource.getInteraction().removeIf((ResourceInteractionComponent i) -> !READS.contains(i.getCode())
                        && !(subscription && SUBSCRIPTION_WRITES.contains(i.getCode())));
                if (subscription) {
                    resource.setDocumentation("An insurer's rest-hook subscriptions to new checkup reports of its members: criteria "
                            + "DocumentReference?category=checkup-report, https endpoint on a host the operator registered, no payload "
                            + "(an empty POST; then search DocumentReference?category=checkup-report&_lastUpdated=gt[time]). "
                            + "Only the insurer that created one sees it.");
                }
                resource.getOperation().removeIf(o -> GatewayOperation.named("$" + o.getName()).isEmpty());
                resource.setConditionalCreate(false).setConditionalUpdate(false);
                resource.setConditionalDelete(null);
                if (resource.getInteraction().stream().noneMatch(i -> i.getCode() == TypeRestfulInteraction.SEARCHTYPE)) {
                    // A type offered only for $validate (Practitioner, Encounter ...) has nothing to search.
                    resource.getSearchParam().clear();
                    resource.getSearchInclude().clear();
                    resource.getSearchRevInclude().clear();
                }
            }
        }
    }

    /** The SMART security section: OAuth2 through the authorization server, with its endpoints. */
    private static void describeSecurity(CapabilityStatementRestComponent rest, SmartEndpoints endpoints, boolean introspection) {
        CapabilityStatement.CapabilityStatementRestSecurityComponent security = rest.getSecurity();
        security.setCors(true);
        security.getService().clear();
        security.addService(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/restful-security-service",
                "SMART-on-FHIR", "SMART-on-FHIR")));
        security.setDescription("OAuth2 bearer tokens from the gateway's Keycloak realm (SMART App Launch 2.x): "
                + "system/ scopes for institutions, insurers and the operator (client credentials, authenticated with a signed JWT: "
                + "SMART Backend Services, RS384 or ES384), patient/ scopes for the patient portal "
                + "(authorization code + PKCE). Discovery: [base]/.well-known/smart-configuration");
        security.getExtension().removeIf(e -> e.getUrl().equals(OAUTH_URIS));
        Extension uris = security.addExtension().setUrl(OAUTH_URIS);
        uris.addExtension("authorize", new UriType(endpoints.authorize()));
        uris.addExtension("token", new UriType(endpoints.token()));
        if (introspection) {
            uris.addExtension("introspect", new UriType(endpoints.introspection()));
        }
        uris.addExtension("revoke", new UriType(endpoints.revocation()));
        uris.addExtension("manage", new UriType(endpoints.management()));
    }

    private static final String OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";
}
