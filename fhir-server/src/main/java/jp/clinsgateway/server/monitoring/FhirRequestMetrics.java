package jp.clinsgateway.server.monitoring;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.springframework.stereotype.Component;

import java.time.Duration;

/** Times every FHIR request when HAPI has finished with it, whatever the outcome. */
@Component
@Interceptor
public class FhirRequestMetrics {

    private final GatewayMeters meters;

    public FhirRequestMetrics(GatewayMeters meters) {
        this.meters = meters;
    }

    @Hook(Pointcut.SERVER_PROCESSING_COMPLETED)
    public void completed(RequestDetails request, ServletRequestDetails servlet) {
        RestOperationTypeEnum type = request.getRestOperationType();
        String interaction = type == null ? "unknown"
                : request.getOperation() != null && type.name().startsWith("EXTENDED_OPERATION") ? request.getOperation() : type.getCode();
        String resourceType = request.getResourceName() == null ? "none" : request.getResourceName();
        int status = servlet.getServletResponse() == null ? 0 : servlet.getServletResponse().getStatus();
        meters.fhirRequest(interaction, resourceType, status, Duration.ofMillis(request.getRequestStopwatch().getMillis()));
    }
}
