package jp.clinsgateway.server.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.IncomingRequestAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.CorsInterceptor;
import ca.uhn.fhir.rest.server.interceptor.ResponseHighlighterInterceptor;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import jp.clinsgateway.consent.ResourceKind;
import jp.clinsgateway.server.access.AccessEnforcement;
import jp.clinsgateway.server.consent.ConsentCheckOperation;
import jp.clinsgateway.server.consent.ConsentCodeOperation;
import jp.clinsgateway.server.consent.ReferralDestinationsOperation;
import jp.clinsgateway.server.directory.DestinationCheckOperation;
import jp.clinsgateway.server.directory.InstitutionSearchOperation;
import jp.clinsgateway.server.emergency.BreakGlassOperations;
import jp.clinsgateway.server.audit.AccessLogProvider;
import jp.clinsgateway.server.input.StoredResourceLimits;
import jp.clinsgateway.server.input.Utf8Bodies;
import jp.clinsgateway.server.monitoring.ClientErrorLog;
import jp.clinsgateway.server.monitoring.FhirRequestMetrics;
import jp.clinsgateway.server.monitoring.RequestIds;
import jp.clinsgateway.server.names.NameSearchInterceptor;
import jp.clinsgateway.server.notification.SubscriptionProvider;
import jp.clinsgateway.server.oversight.AccessSignalsOperation;
import jp.clinsgateway.server.oversight.ConsentStatisticsOperation;
import jp.clinsgateway.server.retention.RetentionOperation;
import jp.clinsgateway.server.web.PlainErrors;
import jp.clinsgateway.server.submission.DocumentLifecycleOperations;
import jp.clinsgateway.server.submission.SubmitOperation;
import jp.clinsgateway.server.validation.TypeLevelValidate;
import jp.clinsgateway.profiles.ClinicalValidator;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/** The FHIR REST endpoint at {@code /fhir}: HAPI's JPA resource providers plus our operations. */
@Configuration
public class FhirServerConfiguration {

    @Bean
    public RestfulServer restfulServer(
            FhirContext fhirContext,
            IFhirSystemDao<?, ?> systemDao,
            ResourceProviderFactory resourceProviders,
            JpaStorageSettings storageSettings,
            ISearchParamRegistry searchParamRegistry,
            IValidationSupport validationSupport,
            DatabaseBackedPagingProvider pagingProvider,
            SubmitOperation submitOperation,
            ConsentCheckOperation consentCheckOperation,
            ConsentCodeOperation consentCodeOperation,
            ReferralDestinationsOperation referralDestinations,
            DocumentLifecycleOperations documentLifecycle,
            DestinationCheckOperation destinationCheck,
            InstitutionSearchOperation institutionSearch,
            BreakGlassOperations breakGlass,
            AccessLogProvider accessLog,
            RetentionOperation retention,
            AccessSignalsOperation accessSignals,
            ConsentStatisticsOperation consentStatistics,
            SubscriptionProvider subscriptions,
            AccessEnforcement accessEnforcement,
            NameSearchInterceptor nameSearch,
            CapabilityStatementCustomizer capabilityStatement,
            ClinicalValidator validator,
            FhirRequestMetrics requestMetrics,
            ClientErrorLog clientErrors,

            Utf8Bodies utf8Bodies,
            StoredResourceLimits storedResourceLimits,
            PlainErrors plainErrors) {
        RestfulServer server = new RestfulServer(fhirContext);
        server.setServerName("CLINS consent and information-sharing gateway");
        // HAPI keeps a DAO for every type (its internals need several); the API serves only ours. Subscriptions
        // are the gateway's own (SubscriptionProvider): HAPI's provider, and with it its subscription matching, never serves them.
        server.registerProviders(resourceProviders.createProviders().stream()
                .filter(p -> p instanceof IResourceProvider r && ResourceKind.servedTypes().contains(r.getResourceType().getSimpleName())
                        && ResourceKind.ofType(r.getResourceType().getSimpleName()) != ResourceKind.SUBSCRIPTION)
                .toList());
        // $validate for every type the JP profiles define, after HAPI's providers: HAPI tries the method registered
        // last first, so ours also answers for the served types (HAPI's would judge a Parameters body as Parameters).
        validator.profiledTypes().stream()
                .map(type -> new TypeLevelValidate(fhirContext.getResourceDefinition(type).getImplementingClass(), validator))
                .forEach(server::registerProvider);
        server.registerProvider(submitOperation);
        server.registerProvider(consentCheckOperation);
        server.registerProvider(consentCodeOperation);
        server.registerProvider(referralDestinations);
        server.registerProvider(documentLifecycle);
        server.registerProvider(destinationCheck);
        server.registerProvider(institutionSearch);
        server.registerProvider(breakGlass);
        server.registerProvider(accessLog);
        server.registerProvider(retention);
        server.registerProvider(accessSignals);
        server.registerProvider(consentStatistics);
        server.registerProvider(subscriptions);
        server.setServerConformanceProvider(new JpaCapabilityStatementProvider(
                server, systemDao, storageSettings, searchParamRegistry, validationSupport));
        server.setPagingProvider(pagingProvider);
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        server.setDefaultPrettyPrint(false);
        server.setServerAddressStrategy(new IncomingRequestAddressStrategy());
        server.registerInterceptor(requestMetrics);
        server.registerInterceptor(clientErrors);
        server.registerInterceptor(new CorsInterceptor(browserApps()));
        // Broken bytes, control characters and unstorable numbers are refused before anything reads them.
        server.registerInterceptor(utf8Bodies);
        server.registerInterceptor(storedResourceLimits);
        server.registerInterceptor(plainErrors);
        // The enforcement adapter first: nothing runs for a request the policy refuses.
        accessEnforcement.interceptors().forEach(server::registerInterceptor);
        server.registerInterceptor(nameSearch);
        server.registerInterceptor(capabilityStatement);
        server.registerInterceptor(new ResponseHighlighterInterceptor());
        return server;
    }

    /**
     * SMART apps in the browser call us from their own origin. Credentials travel only as bearer
     * tokens (never cookies), so any origin may ask; the token decides what it gets. SMART App Launch 2.2
     * asks this of registered origins at least and of any origin for {@code metadata}; the narrowing to
     * registered origins happens where a browser app gets its token ({@code /smart/token}).
     */
    private static CorsConfiguration browserApps() {
        CorsConfiguration cors = new CorsConfiguration();
        cors.addAllowedOriginPattern("*");
        cors.setAllowedMethods(List.of("GET", "POST", "PUT", "OPTIONS"));
        cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Accept", "Prefer", "If-Match", "If-None-Exist",
                RequestIds.HEADER));
        cors.setExposedHeaders(List.of("Location", "Content-Location", "ETag", "Last-Modified", "WWW-Authenticate",
                RequestIds.HEADER));
        cors.setAllowCredentials(false);
        return cors;
    }

    @Bean
    public ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer server) {
        ServletRegistrationBean<RestfulServer> registration = new ServletRegistrationBean<>(server, "/fhir/*");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
